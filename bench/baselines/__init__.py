"""The baselines `make bench` measures this project against, each run as its own uvicorn app or worker."""
