"""The authors' loop: the question log, gaps found in it, and phrasings accepted into entries."""
