"""Benchmarks of the simulator: ``python -m bench`` (see bench/README.md).

Everything is measured side by side in one run and reported as ratios, since
the machine it runs on is shared and noisy; nothing here asserts absolute numbers.
"""
