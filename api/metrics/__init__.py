"""Prometheus metrics: the `/metrics` route, the cluster's state read at scrape time, the HTTP middleware."""
