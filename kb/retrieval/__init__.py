"""Retrieval: answering questions, keyword search, spelling, scope and highlighting."""
