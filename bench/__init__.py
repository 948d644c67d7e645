"""Benchmarks: not tests. Each one starts its own throwaway PostgreSQL and reports numbers (`make bench-ops`)."""
