"""The legacy -> 2025 lineage: every pair kept, relations named, codes joining both eras."""

from __future__ import annotations

import polars as pl

from pipelines.gazetteer import admin_units, province_lineage, unit_lineage


def test_relation_counts() -> None:
    counts = dict(unit_lineage().group_by("relation").len().iter_rows())
    assert set(counts) == {"unchanged", "renamed", "merged", "split"}
    assert all(n > 0 for n in counts.values()), counts
    # 9,569 whole-ward pairs + 1,033 pairs of 471 split wards
    assert sum(counts.values()) == 10_602
    assert counts["split"] == 1033


def test_codes_map_to_both_eras() -> None:
    lin = unit_lineage()
    units = admin_units()
    legacy_codes = units.filter(pl.col("era") == "legacy")["code"]
    new_codes = units.filter((pl.col("era") == "2025") & (pl.col("level") == "commune"))["code"]
    unmapped_legacy = lin.filter(~pl.col("legacy_code").is_in(legacy_codes.implode())).height
    unmapped_new = lin.filter(~pl.col("new_code").is_in(new_codes.implode())).height
    # Reported numbers: every key of the converter maps to a code (null codes would be kept).
    assert (unmapped_legacy, unmapped_new) == (0, 0)
    assert lin["legacy_code"].null_count() == 0 and lin["new_code"].null_count() == 0


def test_every_unit_is_covered() -> None:
    lin = unit_lineage()
    units = admin_units()
    new = units.filter((pl.col("era") == "2025") & (pl.col("level") == "commune"))
    assert new.join(lin, left_on="code", right_on="new_code", how="anti").height == 0
    legacy = units.filter((pl.col("era") == "legacy") & (pl.col("level") == "commune"))
    assert legacy.join(lin, left_on="code", right_on="legacy_code", how="anti").height == 0


def test_split_wards_have_one_default() -> None:
    split = unit_lineage().filter(pl.col("relation") == "split")
    per_ward = split.group_by("legacy_code").agg(pl.len(), pl.col("is_default").sum())
    assert per_ward["len"].min() >= 2
    assert set(per_ward["is_default"]) == {1}
    assert per_ward.height == 471


def test_ya_ma_lineage() -> None:
    rows = unit_lineage().filter(pl.col("new_name") == "Xã Ya Ma")
    assert sorted(rows["legacy_name"]) == ["Xã Kông Yang", "Xã Ya Ma", "Xã Đăk Tơ Pang"]
    assert set(rows["relation"]) == {"merged"}
    assert set(rows["new_province"]) == {"Gia Lai"}
    assert set(rows["legacy_province"]) == {"Gia Lai"}


def test_unchanged_and_renamed_are_alone() -> None:
    lin = unit_lineage()
    n_preds = lin.group_by("new_code").len()
    alone = lin.filter(pl.col("relation").is_in(["unchanged", "renamed"])).join(
        n_preds, on="new_code"
    )
    assert set(alone["len"]) == {1}


def test_province_lineage() -> None:
    pl_ = province_lineage()
    assert pl_.height == 63
    assert pl_["new_province_code"].n_unique() == 34
    assert pl_.null_count().sum_horizontal().item() == 0
    by_name = dict(zip(pl_["legacy_province"], pl_["new_province"], strict=True))
    assert by_name["Nam Định"] == "Ninh Bình"
    assert by_name["Bà Rịa - Vũng Tàu"] == "Hồ Chí Minh"
    assert by_name["Kon Tum"] == "Quảng Ngãi"
    assert by_name["Lai Châu"] == "Lai Châu"
    assert dict(pl_.group_by("relation").len().iter_rows()) == {"unchanged": 11, "merged": 52}
