"""The HTTP edge: create_app(), routers per domain, auth, problem+json errors. Handlers stay thin."""
