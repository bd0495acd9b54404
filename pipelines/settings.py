"""Paths and defaults, overridable by environment variables (read at call time, not import time,
so tests can point a run at a temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Languages the extractor has a pack for (tier 1 first); lingua is restricted to these.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en", "ms", "id", "pl", "fr", "ru")

#: The gazetteer's tables, written as `<parts>/_gazetteer/<name>.parquet` and loaded as is.
GAZETTEER_TABLES: tuple[str, ...] = ("admin_units", "unit_lineage")


def articles_dir() -> Path:
    """Folder of article files (`ARTICLES_DIR`, default `seeds/`)."""
    return Path(os.environ.get("ARTICLES_DIR", PROJECT_ROOT / "seeds")).resolve()


def warehouse_path() -> Path:
    """The published DuckDB file (`WAREHOUSE_PATH`, default `warehouse/vn_party.duckdb`)."""
    return Path(os.environ.get("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse" / "vn_party.duckdb")).resolve()


def warehouse_dir() -> Path:
    """Folder beside the warehouse file that holds Parquet parts, reports and the review page."""
    return warehouse_path().parent


def parts_dir() -> Path:
    """Immutable per-article Parquet outputs (`PARTS_DIR`, default `<warehouse dir>/parts`)."""
    return Path(os.environ.get("PARTS_DIR", warehouse_dir() / "parts")).resolve()


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster_home")).resolve()


ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", "")
