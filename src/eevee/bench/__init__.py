"""Benchmarks behind ``eevee bench``: figures are medians or ratios from one run."""
