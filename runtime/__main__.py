"""`python -m runtime` and the `triage` command: the CLI, imported only once it runs.

This module stays free of imports on purpose. The worker's engine processes are spawned, and a spawned child
imports its parent's main script first; were that the CLI module itself, every engine process would load the
whole service (web framework, database driver, settings: about 50 MB) to run a pure function.
"""


def main() -> None:
    from runtime.cli import main as run_cli

    run_cli()


if __name__ == "__main__":
    main()
