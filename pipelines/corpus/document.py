"""The `Document` record: what the corpus layer hands to extraction and to the warehouse.

Its fields are the `corpus` contract of docs/contracts.md; the `documents` warehouse table mirrors them,
so fields are only added there first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"
STATUS_DUPLICATE = "duplicate"


@dataclass(slots=True)
class Document:
    """One article file after reading, decoding, cleaning and metadata detection.

    All character offsets elsewhere in the project refer to `text`. `status` is mutable because the
    caller that sees the whole corpus marks duplicates (same `doc_id` under another file name).
    """

    doc_id: str
    file_name: str
    path: str
    status: str
    reason: str | None
    content_hash: str
    n_bytes: int
    encoding: str | None = None
    text: str = ""
    title: str | None = None
    source_url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    language_confidence: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK


def text_id(text: str) -> str:
    """doc_id of a text: the same cleaned text under two file names gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
