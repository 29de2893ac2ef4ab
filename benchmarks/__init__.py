"""Benchmarks and the synthetic corpus they run on (`benchmarks.synthetic`, `benchmarks.scale`)."""
