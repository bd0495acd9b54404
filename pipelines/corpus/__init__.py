"""corpus: article files -> clean text + metadata (`Document`); see docs/contracts.md.

`read_article(path)` never raises for bad input: unreadable, binary, undecodable, empty or
unsupported-language files come back with status "rejected" and a human `reason`.
"""

from .document import STATUS_DUPLICATE, STATUS_OK, STATUS_REJECTED, Document, text_id
from .reader import MAX_TEXT_CHARS, read_article, read_bytes

__all__ = [
    "MAX_TEXT_CHARS",
    "STATUS_DUPLICATE",
    "STATUS_OK",
    "STATUS_REJECTED",
    "Document",
    "read_article",
    "read_bytes",
    "text_id",
]
