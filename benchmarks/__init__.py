"""Reproducible speed benchmarks (generated data, fixed seeds); run with ``make bench``."""
