"""Benchmarks: a realistic log generator and measurements of catch-up, queries and memory.

Every figure is printed beside a bare baseline measured in the same run, with the ratio,
because the machines these run on are shared and noisy. See bench/README.md.
"""
