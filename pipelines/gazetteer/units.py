"""The official units of both eras as one tidy table (`admin_units` of the warehouse).

The package stores one row per ward with the province (and, for the legacy era, the district)
repeated on every row; the warehouse and the linker want one row per unit at each level, so we
derive the province and district rows here. Names keep their diacritics; `key`/`short_key` are
`textnorm.key` forms so SQL joins and Python lookups agree.

Conventions: `name` is the full official name ("Xã Pa Ủ", "Tỉnh Lai Châu"); `province_name` is
the province's short name ("Lai Châu"); `district_name` is the full district name ("Huyện Mường Tè",
which keeps "Thành phố Nam Định" apart from the province). Legacy communes: the 5 island districts
without wards (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) appear only as districts, so the
10,040 source rows give 10,035 legacy communes.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from pipelines.gazetteer.source import raw_units_2025, raw_units_legacy

SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "era": pl.String,
    "level": pl.String,
    "code": pl.String,
    "name": pl.String,
    "short_name": pl.String,
    "unit_type": pl.String,
    "key": pl.String,
    "short_key": pl.String,
    "province_code": pl.String,
    "province_name": pl.String,
    "district_code": pl.String,
    "district_name": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "area_km2": pl.Float64,
}


def _province_type(full: pl.Expr) -> pl.Expr:
    """'Tỉnh' or 'Thành phố' from the province's full name (the package has no type column)."""
    return (
        pl.when(full.str.starts_with("Thành phố"))
        .then(pl.lit("Thành phố"))
        .otherwise(pl.lit("Tỉnh"))
    )


def key_expr(col: str) -> pl.Expr:
    """`textnorm.key` as a vectorised polars expression (same output on Vietnamese names; a test
    checks every row), because calling `key` 28,000 times dominated the load time."""
    return (
        pl.col(col)
        .str.replace_all("đ", "d", literal=True)
        .str.replace_all("Đ", "D", literal=True)
        .str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}+", "")
        .str.to_lowercase()
        .str.replace_all(r"[^0-9a-z]+", "")
    )


def _keys(df: pl.DataFrame) -> pl.DataFrame:
    """Add `key`/`short_key`, the lookup keys the linker computes from article text."""
    return df.with_columns(
        key_expr("name").alias("key"), key_expr("short_name").alias("short_key")
    ).select(list(SCHEMA))


def _unit_columns(
    era: str,
    level: str,
    prefix: str,
    *,
    unit_type: pl.Expr | None = None,
    with_district: bool = False,
    area: pl.Expr | None = None,
) -> list[pl.Expr]:
    """The SCHEMA columns of one level, from the package's `<prefix>Code/<prefix>/<prefix>Short/
    <prefix>Type/<prefix>Lat/<prefix>Lon` fields (prefix 'ward', 'district' or 'province')."""
    col = pl.col
    return [
        pl.lit(era).alias("era"),
        pl.lit(level).alias("level"),
        col(f"{prefix}Code").alias("code"),
        col(prefix).alias("name"),
        col(f"{prefix}Short").alias("short_name"),
        (col(f"{prefix}Type") if unit_type is None else unit_type).alias("unit_type"),
        col("provinceCode").alias("province_code"),
        col("provinceShort").alias("province_name"),
        (col("districtCode") if with_district else pl.lit(None, pl.String)).alias("district_code"),
        (col("district") if with_district else pl.lit(None, pl.String)).alias("district_name"),
        col(f"{prefix}Lat").cast(pl.Float64).alias("lat"),
        col(f"{prefix}Lon").cast(pl.Float64).alias("lon"),
        (pl.lit(None, pl.Float64) if area is None else area).alias("area_km2"),
    ]


@lru_cache(maxsize=1)
def units_2025() -> pl.DataFrame:
    """34 provinces and 3,321 communes/wards/special zones of 1 July 2025 (era '2025')."""
    raw = raw_units_2025()
    communes = raw.select(
        _unit_columns("2025", "commune", "ward", area=pl.col("wardAreaKm2").cast(pl.Float64))
    )
    provinces = (
        raw.group_by("provinceCode", maintain_order=True)
        .agg(
            pl.col("province").first(),
            pl.col("provinceShort").first(),
            pl.col("provinceLat").first(),
            pl.col("provinceLon").first(),
            pl.col("wardAreaKm2").sum().alias("area"),
        )
        .select(
            _unit_columns(
                "2025",
                "province",
                "province",
                unit_type=_province_type(pl.col("province")),
                area=pl.col("area").cast(pl.Float64).round(2),
            )
        )
    )
    return _keys(pl.concat([provinces, communes], how="vertical"))


@lru_cache(maxsize=1)
def units_legacy() -> pl.DataFrame:
    """63 provinces, 696 districts and 10,035 communes/wards/townships before 1 July 2025."""
    raw = raw_units_legacy()
    communes = raw.filter(pl.col("wardCode").is_not_null()).select(
        _unit_columns("legacy", "commune", "ward", with_district=True)
    )
    districts = (
        raw.group_by("districtCode", maintain_order=True)
        .first()
        .select(_unit_columns("legacy", "district", "district", with_district=True))
    )
    provinces = (
        raw.group_by("provinceCode", maintain_order=True)
        .first()
        .select(
            _unit_columns(
                "legacy", "province", "province", unit_type=_province_type(pl.col("province"))
            )
        )
    )
    return _keys(pl.concat([provinces, districts, communes], how="vertical"))


@lru_cache(maxsize=1)
def admin_units() -> pl.DataFrame:
    """Both eras in one frame: the warehouse's `admin_units` table."""
    return pl.concat([units_2025(), units_legacy()], how="vertical")
