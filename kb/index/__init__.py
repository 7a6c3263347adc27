"""The index: tokenizers, schema, build and the content-keyed on-disk cache."""
