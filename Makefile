# Two commands on a fresh machine: `make run` and `make test`. Each calls one script in scripts/.
.PHONY: run test lint bootstrap clean bench bench-ops bench-engine audit sbom mutation

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

lint:
	@bash scripts/lint.sh

bootstrap:
	@bash scripts/bootstrap.sh

# The known-vulnerability audit of constraints.txt alone (also part of `make lint`).
audit:
	@bash scripts/audit.sh

# CycloneDX SBOM of the runtime dependency set, validated, in dist/sbom.cdx.json (docs/security.md).
sbom:
	@bash scripts/sbom.sh

# Ops routes and the audit listing at 1,000,000 jobs / 5,000,000 audit events (minutes; not a test).
# Options after ARGS=, e.g. `make bench-ops ARGS=--small`; see `python -m bench.ops_scale --help`.
bench-ops:
	@bash scripts/bench-ops.sh $(ARGS)

# The triage engine's time per intake (budget: p99 < 20 ms on a 4,000-character note; not a test).
bench-engine:
	@bash scripts/bootstrap.sh
	@.venv/bin/python -m bench.engine_speed $(ARGS)

clean:
	rm -rf .venv .data .pytest_cache .mypy_cache .ruff_cache .hypothesis

# This project side by side with its baselines: intake and worker throughput, end to end, memory, cost
# growth (about half an hour; `make bench ARGS=--quick` for a dry run). Writes docs/benchmarks.md.
bench:
	@bash scripts/bench.sh $(ARGS)

# Mutation testing of store/, tasks/ and api/auth.py (mutmut; well over an hour on two cores). Results in mutants/;
# `make mutation ARGS='<mutant names>'` re-tests those only. See docs/testing.md.
mutation:
	@bash scripts/mutation.sh $(ARGS)
