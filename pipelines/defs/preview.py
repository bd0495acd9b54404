"""Markdown previews for asset metadata (a small table in the Dagster UI)."""

from __future__ import annotations

from typing import Any

import polars as pl


def _cell(v: Any, width: int) -> str:
    s = "" if v is None else str(v)
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def md_table(df: pl.DataFrame, max_rows: int = 8, width: int = 60) -> str:
    """First rows of `df` as a Markdown table; long cells are cut."""
    if df.width == 0:
        return "_(no columns)_"
    head = df.head(max_rows)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * head.width]
    for row in head.iter_rows():
        lines.append("| " + " | ".join(_cell(v, width) for v in row) + " |")
    if df.height > max_rows:
        lines.append(f"\n_{df.height - max_rows} more rows_")
    if df.height == 0:
        lines.append("\n_(no rows)_")
    return "\n".join(lines)
