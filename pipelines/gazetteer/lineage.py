"""The official legacy -> 2025 lineage, kept many-to-many (`unit_lineage` of the warehouse).

`converter_2025.json` speaks in package keys ('tinhgialai_huyenkongchro_xayama'); we translate
them to the codes of `admin_units` so the lineage joins to both eras' units, and we name the
relation of every (legacy ward, new ward) pair instead of flattening it:

- a legacy ward listed under DICT_PROVINCE_WARD_DIVIDED went to several new wards: 'split'
  (`is_default` = the package's isDefaultNewWard, the new ward holding the old seat);
- otherwise it went wholly to one new ward; if that new ward has other predecessors (whole or
  split parts) the pair is 'merged', else 'unchanged' (same short name) or 'renamed'.

The 5 island districts that had no wards (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) map to
2025 special zones; their `legacy_code` is the district code (it joins to the legacy district row).
A key that does not map to a code keeps its row with a null code rather than vanishing.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import polars as pl

from pipelines.gazetteer.source import converter, raw_units_2025, raw_units_legacy, rows_of
from pipelines.textnorm import key

LINEAGE_SCHEMA: dict[str, type[pl.DataType]] = {
    "legacy_code": pl.String,
    "legacy_name": pl.String,
    "legacy_district": pl.String,
    "legacy_province_code": pl.String,
    "legacy_province": pl.String,
    "new_code": pl.String,
    "new_name": pl.String,
    "new_province_code": pl.String,
    "new_province": pl.String,
    "relation": pl.String,
    "is_default": pl.Boolean,
}

PROVINCE_LINEAGE_SCHEMA: dict[str, type[pl.DataType]] = {
    "legacy_province_code": pl.String,
    "legacy_province": pl.String,
    "new_province_code": pl.String,
    "new_province": pl.String,
    "relation": pl.String,
}


def _legacy_by_key() -> dict[str, dict[str, str | None]]:
    """'province_district_ward' package key -> legacy unit attributes (ward, or district if none)."""
    out: dict[str, dict[str, str | None]] = {}
    for r in rows_of(raw_units_legacy()):
        full = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        has_ward = r["wardCode"] is not None
        out[full] = {
            "code": r["wardCode"] if has_ward else r["districtCode"],
            "name": r["ward"] if has_ward else r["district"],
            "short": r["wardShort"] if has_ward else r["districtShort"],
            "district": r["district"],
            "province_code": r["provinceCode"],
            "province": r["provinceShort"],
        }
    return out


def _new_by_key() -> dict[tuple[str, str], dict[str, str | None]]:
    """(province key, ward key) -> 2025 unit attributes."""
    return {
        (r["provinceKey"], r["wardKey"]): {
            "code": r["wardCode"],
            "name": r["ward"],
            "short": r["wardShort"],
            "province_code": r["provinceCode"],
            "province": r["provinceShort"],
        }
        for r in rows_of(raw_units_2025())
    }


def _pairs() -> list[tuple[str, str, str, bool, bool]]:
    """(new province key, new ward key, legacy full key, is_split, is_default) for every pair."""
    conv = converter()
    pairs: list[tuple[str, str, str, bool, bool]] = []
    for prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, legacy_keys in wards.items():
            pairs.extend((prov, ward, lk, False, True) for lk in legacy_keys)
    for prov, divided in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for lk, targets in divided.items():
            pairs.extend(
                (prov, t["newWardKey"], lk, True, bool(t["isDefaultNewWard"])) for t in targets
            )
    return pairs


@lru_cache(maxsize=1)
def unit_lineage() -> pl.DataFrame:
    """One row per (legacy ward, 2025 ward) pair with its relation; see the module docstring."""
    legacy, new = _legacy_by_key(), _new_by_key()
    pairs = _pairs()
    n_preds: dict[tuple[str, str], int] = defaultdict(int)
    for prov, ward, _lk, _split, _default in pairs:
        n_preds[(prov, ward)] += 1
    empty: dict[str, str | None] = {}
    rows = []
    for prov, ward, lk, split, default in pairs:
        old, nu = legacy.get(lk, empty), new.get((prov, ward), empty)
        if split:
            relation = "split"
        elif n_preds[(prov, ward)] > 1:
            relation = "merged"
        elif key(old.get("short") or "") == key(nu.get("short") or ""):
            relation = "unchanged"
        else:
            relation = "renamed"
        rows.append(
            (
                old.get("code"),
                old.get("name"),
                old.get("district"),
                old.get("province_code"),
                old.get("province"),
                nu.get("code"),
                nu.get("name"),
                nu.get("province_code"),
                nu.get("province"),
                relation,
                default,
            )
        )
    return pl.DataFrame(rows, schema=LINEAGE_SCHEMA, orient="row").sort("new_code", "legacy_code")


@lru_cache(maxsize=1)
def province_lineage() -> pl.DataFrame:
    """One row per legacy province with the 2025 province it became part of (63 rows).

    'unchanged' when the 2025 province has this one predecessor, 'merged' otherwise.
    """
    leg = {
        r["provinceKey"]: r for r in raw_units_legacy().unique("provinceKey").iter_rows(named=True)
    }
    new = {
        r["provinceKey"]: r for r in raw_units_2025().unique("provinceKey").iter_rows(named=True)
    }
    rows = []
    for new_key, legacy_keys in converter()["DICT_PROVINCE"].items():
        nu = new.get(new_key, {})
        for lk in legacy_keys:
            old = leg.get(lk, {})
            rows.append(
                (
                    old.get("provinceCode"),
                    old.get("provinceShort"),
                    nu.get("provinceCode"),
                    nu.get("provinceShort"),
                    "unchanged" if len(legacy_keys) == 1 else "merged",
                )
            )
    return pl.DataFrame(rows, schema=PROVINCE_LINEAGE_SCHEMA, orient="row").sort(
        "legacy_province_code"
    )
