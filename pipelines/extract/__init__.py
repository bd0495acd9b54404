"""Text -> facts. Knows nothing of Dagster or DuckDB (see docs/contracts.md)."""

from pipelines.extract.engine import extract_document, extract_text
from pipelines.extract.model import Extraction, Fact, Merger, Person, Subject

__all__ = ["Extraction", "Fact", "Merger", "Person", "Subject", "extract_document", "extract_text"]
