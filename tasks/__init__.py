"""The queue contract: the Procrastinate app and the task functions. Task arguments are ids only."""
