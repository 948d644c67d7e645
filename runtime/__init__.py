"""Process plumbing shared by the API and the workers: settings, logging, the CLI, the embedded database."""
