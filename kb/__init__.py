"""faq-assistant knowledge base: entries, loading, index, search, checks and training."""
