"""The clinician review queue: outcomes that ask for review, and confirmations or overrides of them."""
