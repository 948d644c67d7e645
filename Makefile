# Two commands on a fresh machine: `make run` and `make test`. Each calls one script in scripts/.
.PHONY: run test lint bootstrap clean

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

lint:
	@bash scripts/lint.sh

bootstrap:
	@bash scripts/bootstrap.sh

clean:
	rm -rf .venv .data .pytest_cache .mypy_cache .ruff_cache .hypothesis
