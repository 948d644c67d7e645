"""The interactive API documentation, `/docs` (Swagger UI) and `/redoc` (router.py), with its JavaScript, CSS
and favicon served from this package (assets/, vendored from npm: see assets/README.md), not from a CDN."""
