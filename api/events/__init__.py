"""`GET /v1/events`: the tenant's intake status changes as Server-Sent Events."""
