"""Shared extraction engine (being written; see docs/contracts.md for the interface)."""

from __future__ import annotations

from typing import Any

from pipelines.extract.model import Extraction

EXTRACTOR_VERSION = "0.1.0"


def extract_text(
    text: str, language: str | None, source_url: str | None = None, published: str | None = None
) -> Extraction:
    return Extraction(language=language or "und")


def extract_document(doc: Any) -> Extraction:
    return extract_text(doc.text, doc.language, getattr(doc, "source_url", None), getattr(doc, "published", None))
