"""Worker processes: run the queue's tasks with a pool of their own."""
