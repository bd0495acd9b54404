"""A short digest of a package's own Python source: the version of code whose output we keep.

The corpus reader's digest is stored with every document row and the extractor's with every
extraction row, so an incremental run re-reads or re-extracts everything once after either one
changes, and only then.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def source_digest(root: Path) -> str:
    """8 hex of sha1 over every `*.py` under `root` (relative path and bytes, in path order)."""
    h = hashlib.sha1()
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:8]
