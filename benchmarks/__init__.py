"""Benchmarks: a synthetic corpus builder and `python -m benchmarks.run` (prints a table).

Not timed tests: `tests/test_benchmarks.py` only checks that they run and that the builder's
ground truth is recovered. Outputs go to `benchmarks/out/` (git-ignored).
"""

from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
