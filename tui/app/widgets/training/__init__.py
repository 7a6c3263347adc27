"""The Training screen's views, one per step: setup, question, feedback and summary."""
