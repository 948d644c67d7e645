"""PostgreSQL access shared by the API and the workers: pool, migrations, queries, typed rows."""
