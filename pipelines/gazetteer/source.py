"""Raw access to the data files shipped by the `vietnamadminunits` package.

The package's own `__init__` imports its geocoding converter (shapely, geopy, large parser
tables), which is slow and can reach the network; we only need two data files, so we locate the
package folder with `importlib.util.find_spec` (which does not execute it) and read the files
directly: the SQLite database with Python's `sqlite3` (DuckDB's sqlite extension needs the
network) and the converter JSON with `json`.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

PACKAGE = "vietnamadminunits"


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Folder `vietnamadminunits/data` of the installed package (without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


_COLUMNS_2025 = (
    "province",
    "ward",
    "provinceShort",
    "wardShort",
    "wardType",
    "provinceCode",
    "provinceLat",
    "provinceLon",
    "wardCode",
    "wardLat",
    "wardLon",
    "wardAreaKm2",
    "provinceKey",
    "wardKey",
    "provinceAlias",
    "wardAlias",
)
_COLUMNS_LEGACY = (
    "province",
    "district",
    "ward",
    "provinceShort",
    "districtShort",
    "wardShort",
    "districtType",
    "wardType",
    "provinceCode",
    "provinceLat",
    "provinceLon",
    "districtCode",
    "districtLat",
    "districtLon",
    "wardCode",
    "wardLat",
    "wardLon",
    "provinceKey",
    "districtKey",
    "wardKey",
    "provinceAlias",
    "districtAlias",
    "wardAlias",
)


def _read_table(table: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """Some columns of one table of `dataset.db` (bounds and geocoder strings are skipped)."""
    con = sqlite3.connect(f"file:{data_dir() / 'dataset.db'}?mode=ro", uri=True)
    try:
        cur = con.execute(f"SELECT {', '.join(columns)} FROM {table}")
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)


@lru_cache(maxsize=1)
def raw_units_2025() -> pl.DataFrame:
    """`admin_units`: the 3,321 communes/wards of the 34 provinces of July 2025."""
    return _read_table("admin_units", _COLUMNS_2025)


@lru_cache(maxsize=1)
def raw_units_legacy() -> pl.DataFrame:
    """`admin_units_legacy`: 10,040 rows (wards of 63 provinces; 5 island districts have no ward)."""
    return _read_table("admin_units_legacy", _COLUMNS_LEGACY)


@lru_cache(maxsize=1)
def converter() -> dict[str, Any]:
    """`converter_2025.json`: DICT_PROVINCE, DICT_PROVINCE_WARD_NO_DIVIDED, DICT_PROVINCE_WARD_DIVIDED."""
    with open(data_dir() / "converter_2025.json", encoding="utf-8") as f:
        return json.load(f)


def rows_of(df: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """Rows as dicts, built from column lists (several times faster than `iter_rows(named=True)`)."""
    cols = df.to_dict(as_series=False)
    names = list(cols)
    for values in zip(*cols.values(), strict=True):
        yield dict(zip(names, values, strict=True))
