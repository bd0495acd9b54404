"""Unit tables read from vietnamadminunits: counts, columns and a few known units."""

from __future__ import annotations

import polars as pl

from pipelines.gazetteer import admin_units, units_2025, units_legacy
from pipelines.gazetteer.source import raw_units_legacy
from pipelines.gazetteer.units import SCHEMA
from pipelines.textnorm import key


def _count(df: pl.DataFrame, level: str) -> int:
    return df.filter(pl.col("level") == level).height


def test_2025_counts() -> None:
    df = units_2025()
    assert _count(df, "province") == 34
    assert _count(df, "commune") == 3321
    assert _count(df, "district") == 0
    assert set(df["era"]) == {"2025"}


def test_legacy_counts() -> None:
    df = units_legacy()
    assert _count(df, "province") == 63
    assert _count(df, "district") == 696
    # 10,040 source rows = 10,035 wards + 5 island districts that have no ward.
    assert raw_units_legacy().height == 10_040
    assert _count(df, "commune") == 10_035
    islands = raw_units_legacy().filter(pl.col("wardCode").is_null())["districtCode"].to_list()
    assert len(islands) == 5
    assert set(islands) <= set(df.filter(pl.col("level") == "district")["code"])


def test_columns_and_unique_codes() -> None:
    df = admin_units()
    assert list(df.columns) == list(SCHEMA)
    assert df.height == 34 + 3321 + 63 + 696 + 10_035
    assert df.select(pl.struct("era", "level", "code").is_unique().all()).item()
    for col in ("code", "name", "short_name", "key", "short_key", "province_code", "lat", "lon"):
        assert df[col].null_count() == 0, col


def test_known_units() -> None:
    df = admin_units()
    pa_u = df.filter((pl.col("era") == "2025") & (pl.col("short_key") == "pau")).row(0, named=True)
    assert pa_u["name"] == "Xã Pa Ủ"
    assert pa_u["unit_type"] == "Xã"
    assert pa_u["province_name"] == "Lai Châu"
    assert pa_u["area_km2"] > 0
    brvt = df.filter((pl.col("level") == "province") & (pl.col("short_key") == "bariavungtau"))
    assert brvt["era"].to_list() == ["legacy"]
    hanoi = df.filter(
        (pl.col("era") == "2025") & (pl.col("level") == "province") & (pl.col("code") == "01")
    )
    assert hanoi["unit_type"].item() == "Thành phố"
    giao_thuy = df.filter((pl.col("level") == "district") & (pl.col("short_key") == "giaothuy"))
    assert giao_thuy["province_name"].to_list() == ["Nam Định"]
    assert giao_thuy["unit_type"].item() == "Huyện"


def test_vectorised_keys_equal_textnorm_key() -> None:
    df = admin_units()
    assert all(key(n) == k for n, k in zip(df["name"], df["key"], strict=True))
    assert all(key(n) == k for n, k in zip(df["short_name"], df["short_key"], strict=True))
