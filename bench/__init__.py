"""Benchmarks and the synthetic knowledge bases they run against."""
