"""Reproducible speed and accuracy runs; results go to docs/benchmarks.md."""
