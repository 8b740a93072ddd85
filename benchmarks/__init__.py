"""The registry-scale benchmark: ``python -m benchmarks.run`` (or ``make bench``)."""
