"""The sections and helpers of `scripts/bench.py` (`make bench`)."""
