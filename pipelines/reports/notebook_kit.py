"""What every analysis notebook needs first: the warehouse, opened read-only, and an honest
caveat when a figure rests on too few observations. Shared so the notebooks stay about their
analysis."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import polars as pl

MEMORY_ENV = "VN_PARTY_DUCKDB_MEMORY"
DEFAULT_MEMORY = "256MB"

#: below this many observations a comparison is anecdote, not evidence
SMALL_N = 10


def project_root(start: Path | None = None) -> Path:
    """The first parent holding pyproject.toml and the pipelines package."""
    start = (start or Path.cwd()).resolve()
    for p in [start, *start.parents]:
        if (p / "pyproject.toml").exists() and (p / "pipelines").is_dir():
            return p
    return start


def open_warehouse() -> tuple[duckdb.DuckDBPyConnection, Path]:
    """`$WAREHOUSE_PATH` (default warehouse/vn_party.duckdb) opened read-only: never writes."""
    path = Path(os.environ.get("WAREHOUSE_PATH", project_root() / "warehouse" / "vn_party.duckdb"))
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: build it first with `make run`")
    pl.Config.set_tbl_rows(40)
    pl.Config.set_tbl_cols(20)
    # capped like the pipeline's connections: a join over every article's text (the span check)
    # would otherwise take as much memory as the corpus; past the cap DuckDB spills to a temp dir
    con = duckdb.connect(str(path), read_only=True, config={
        "memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY),
        "temp_directory": str(Path(tempfile.gettempdir()) / "vn_party_notebooks.tmp")})
    return con, path


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    """One value from a query (fetchall: DuckDB 2 keeps a single-row fetch open)."""
    return con.execute(sql).fetchall()[0][0]


def caveat(n: int, what: str, small: int = SMALL_N) -> None:
    """Print a plain caveat when a figure rests on fewer than `small` observations."""
    if n < small:
        print(f"Caveat: only {n} {what}; too few to conclude anything beyond these cases.")
    else:
        print(f"n = {n} {what}.")


#: rows a notebook table or per-row chart shows at most: a figure or table with one row per
#: article or commune stops being readable (and costs seconds to draw) long before 100,000 rows
TOP_N = 25


def shown(n_shown: int, total: int, what: str, order: str = "") -> None:
    """Say when a table or chart shows only part of its rows, so a cap is never mistaken for
    the whole."""
    if n_shown < total:
        print(f"Showing the top {n_shown:,} of {total:,} {what}" + (f" ({order})" if order else "")
              + ".")
    else:
        print(f"Showing all {total:,} {what}.")
