"""Content: the entry model, finding the content folder, parsing, loading, lint, snapshot."""
