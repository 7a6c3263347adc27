"""Text: normalization, Japanese and English analysis, the glossary matcher."""
