"""The operators' dashboard at `/ops` (router.py): sessions (sessions.py), views and charts (views.py),
Jinja2 templates (templates/) and a small script and stylesheet (static/), served by the API itself."""
