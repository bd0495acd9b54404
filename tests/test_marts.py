"""The out_* marts on the synthetic warehouse of tests/analysis_fixtures.py: exact expected rows."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest
from analysis_fixtures import (
    DOC_ID,
    DOC_MS,
    DOC_PL,
    FACTS,
    build_synthetic_warehouse,
    mart_files,
)

MARTS = (
    "out_fact_provinces",
    "out_province_metrics",
    "out_merger_profile",
    "out_merger_claims",
    "out_timeline",
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_synthetic_warehouse(tmp_path_factory.mktemp("marts") / "vn_party.duckdb")
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def rows(con, sql):
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def test_mart_files_are_one_select_with_documented_columns(con):
    names = {p.stem for p in mart_files()}
    assert set(MARTS) <= names
    for p in mart_files():
        if p.stem not in MARTS:
            continue
        sql = p.read_text(encoding="utf-8")
        assert sql.lstrip().startswith("--"), f"{p.name}: header comment first"
        body = "\n".join(ln for ln in sql.splitlines() if not ln.lstrip().startswith("--"))
        assert ";" not in body, f"{p.name}: one statement, no semicolon"
        assert not sql.rstrip().splitlines()[-1].lstrip().startswith("--")
        header = "\n".join(ln for ln in sql.splitlines() if ln.lstrip().startswith("--"))
        cols = [d[0] for d in con.execute(f"SELECT * FROM {p.stem} LIMIT 0").description]
        for col in cols:
            assert re.search(rf"\b{col}\b", header), f"{p.stem}.{col} is not documented"


def test_province_metrics_2025(con):
    got = rows(con, """SELECT province_code, province, province_2025, n_articles, n_facts,
        n_communes, commune_party_members, commune_party_cells, round(members_per_cell, 4) mpc,
        n_communes_sized, mean_cells_top_tier_rate, mean_cell_meeting_attendance_rate,
        mean_economic_growth_rate
        FROM out_province_metrics WHERE era = '2025' ORDER BY province""")
    assert got == [
        dict(province_code=None, province="(unknown)", province_2025=None, n_articles=1,
             n_facts=1, n_communes=0, commune_party_members=None, commune_party_cells=None,
             mpc=None, n_communes_sized=0, mean_cells_top_tier_rate=None,
             mean_cell_meeting_attendance_rate=92.5, mean_economic_growth_rate=None),
        dict(province_code="52", province="Gia Lai", province_2025="Gia Lai", n_articles=1,
             n_facts=3, n_communes=2, commune_party_members=230.0, commune_party_cells=12.0,
             mpc=19.1667, n_communes_sized=1, mean_cells_top_tier_rate=None,
             mean_cell_meeting_attendance_rate=None, mean_economic_growth_rate=None),
        dict(province_code="12", province="Lai Châu", province_2025="Lai Châu", n_articles=2,
             n_facts=4, n_communes=1, commune_party_members=400.0, commune_party_cells=26.0,
             mpc=15.3846, n_communes_sized=1, mean_cells_top_tier_rate=85.94,
             mean_cell_meeting_attendance_rate=None, mean_economic_growth_rate=None),
        dict(province_code="37", province="Ninh Bình", province_2025="Ninh Bình", n_articles=1,
             n_facts=4, n_communes=2, commune_party_members=512.0, commune_party_cells=19.0,
             mpc=26.9474, n_communes_sized=1, mean_cells_top_tier_rate=None,
             mean_cell_meeting_attendance_rate=None, mean_economic_growth_rate=7.0),
        dict(province_code=None, province="Tuyen Quang", province_2025=None, n_articles=1,
             n_facts=1, n_communes=1, commune_party_members=40.0, commune_party_cells=None,
             mpc=None, n_communes_sized=0, mean_cells_top_tier_rate=None,
             mean_cell_meeting_attendance_rate=None, mean_economic_growth_rate=None),
    ]


def test_province_metrics_legacy(con):
    got = rows(con, """SELECT province_code, province, province_code_2025, n_facts, n_communes,
        commune_party_members, commune_party_cells, mean_economic_growth_rate
        FROM out_province_metrics WHERE era = 'legacy' ORDER BY province""")
    assert got == [
        dict(province_code=None, province="(several legacy provinces)", province_code_2025=None,
             n_facts=1, n_communes=0, commune_party_members=None, commune_party_cells=None,
             mean_economic_growth_rate=7.0),
        dict(province_code=None, province="(unknown)", province_code_2025=None, n_facts=1,
             n_communes=0, commune_party_members=None, commune_party_cells=None,
             mean_economic_growth_rate=None),
        # Kong Yang (legacy Gia Lai, code 64) rolls up to 2025 Gia Lai (52)
        dict(province_code="64", province="Gia Lai", province_code_2025="52", n_facts=3,
             n_communes=2, commune_party_members=95.0, commune_party_cells=None,
             mean_economic_growth_rate=None),
        # Pa U is a 2025 commune: its members are not summed in the legacy row
        dict(province_code="12", province="Lai Châu", province_code_2025="12", n_facts=4,
             n_communes=1, commune_party_members=None, commune_party_cells=None,
             mean_economic_growth_rate=None),
        dict(province_code="37", province="Ninh Bình", province_code_2025="37", n_facts=3,
             n_communes=2, commune_party_members=180.0, commune_party_cells=None,
             mean_economic_growth_rate=None),
        dict(province_code=None, province="Tuyen Quang", province_code_2025=None, n_facts=1,
             n_communes=1, commune_party_members=40.0, commune_party_cells=None,
             mean_economic_growth_rate=None),
    ]


def test_every_fact_placed_once_per_era(con):
    got = dict(con.execute(
        "SELECT era, sum(n_facts) FROM out_province_metrics GROUP BY era").fetchall())
    assert got == {"2025": len(FACTS), "legacy": len(FACTS)}


def test_fact_provinces_place_each_fact_once_per_era_as_the_metrics_count(con):
    """out_province_metrics is out_fact_provinces aggregated: same facts, same provinces."""
    per_fact = con.execute(
        "SELECT era, count(*), count(DISTINCT fact_id) FROM out_fact_provinces GROUP BY era"
    ).fetchall()
    assert sorted(per_fact) == [("2025", len(FACTS), len(FACTS)), ("legacy", len(FACTS), len(FACTS))]
    by_province = con.execute(
        """SELECT era, province_code, province, count(*) FROM out_fact_provinces GROUP BY ALL
           EXCEPT SELECT era, province_code, province, n_facts FROM out_province_metrics"""
    ).fetchall()
    assert by_province == []


def test_merger_profile(con):
    got = rows(con, """SELECT unit_code, short_name, province, area_km2, names_in_articles,
        n_articles, n_facts, n_predecessors, predecessors, predecessor_relations, is_merged,
        has_split_part, party_members, party_cells, round(members_per_cell, 3) mpc,
        round(members_per_predecessor, 3) mpp, n_merger_claims
        FROM out_merger_profile ORDER BY unit_code""")
    assert got == [
        dict(unit_code="10001", short_name="Pa Ủ", province="Lai Châu", area_km2=300.5,
             names_in_articles=["Pa U"], n_articles=2, n_facts=3, n_predecessors=1,
             predecessors=["Xã Pa Ủ"], predecessor_relations=["unchanged"], is_merged=False,
             has_split_part=False, party_members=400.0, party_cells=26.0, mpc=15.385,
             mpp=400.0, n_merger_claims=1),
        dict(unit_code="20001", short_name="Đồng Thái", province="Ninh Bình", area_km2=25.4,
             names_in_articles=["Dong Thai"], n_articles=1, n_facts=2, n_predecessors=3,
             predecessors=["Xã Yên Đồng", "Xã Yên Thành", "Xã Yên Thái"],
             predecessor_relations=["merged", "merged", "merged"], is_merged=True,
             has_split_part=False, party_members=512.0, party_cells=19.0, mpc=26.947,
             mpp=170.667, n_merger_claims=1),
        dict(unit_code="30001", short_name="Ya Ma", province="Gia Lai", area_km2=80.0,
             names_in_articles=["Ya Ma"], n_articles=1, n_facts=2, n_predecessors=3,
             predecessors=["Xã Ya Ma", "Xã Đắk Tơ Pang", "Xã Kông Yang"],
             predecessor_relations=["merged", "merged", "split"], is_merged=True,
             has_split_part=True, party_members=230.0, party_cells=12.0, mpc=19.167,
             mpp=76.667, n_merger_claims=1),
    ]


def test_merger_claims(con):
    got = rows(con, """SELECT merger_id, doc_id, new_unit_code, claimed, official, n_claimed,
        n_official, n_matched, missing, extra, verdict FROM out_merger_claims ORDER BY merger_id""")
    assert got == [
        dict(merger_id="m1", doc_id=DOC_MS, new_unit_code="20001",
             claimed=["Yen Dong", "Yen Thanh", "Yen Thai"],
             official=["Xã Yên Đồng", "Xã Yên Thành", "Xã Yên Thái"], n_claimed=3,
             n_official=3, n_matched=3, missing=[], extra=[], verdict="agrees"),
        dict(merger_id="m2", doc_id=DOC_PL, new_unit_code="30001",
             claimed=["Ya Ma", "Dak To Pang"],
             official=["Xã Ya Ma", "Xã Đắk Tơ Pang", "Xã Kông Yang"], n_claimed=2,
             n_official=3, n_matched=2, missing=["Xã Kông Yang"], extra=[],
             verdict="partly agrees"),
        dict(merger_id="m3", doc_id=DOC_ID, new_unit_code="10001", claimed=["Mu Ca", "Ka Lang"],
             official=["Xã Pa Ủ"], n_claimed=2, n_official=1, n_matched=0,
             missing=["Xã Pa Ủ"], extra=["Mu Ca", "Ka Lang"], verdict="disagrees"),
        dict(merger_id="m4", doc_id=DOC_ID, new_unit_code=None, claimed=["Tan Lap", "Tan Son"],
             official=None, n_claimed=2, n_official=None, n_matched=0, missing=None, extra=None,
             verdict="unresolved"),
    ]


def test_merger_claims_verdict_from_lists_when_status_unknown(con, tmp_path):
    """An unrecognised lineage_status falls back to comparing the lists."""
    path = build_synthetic_warehouse(tmp_path / "w.duckdb", marts=False)
    w = duckdb.connect(str(path))
    w.execute("UPDATE mergers SET lineage_status = 'checked'")
    sql = next(p for p in mart_files() if p.stem == "out_merger_claims").read_text()
    got = dict(w.execute(f"SELECT merger_id, verdict FROM ({sql})").fetchall())
    w.close()
    assert got == {"m1": "agrees", "m2": "partly agrees", "m3": "disagrees", "m4": "unresolved"}


def test_timeline(con):
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT fact_id, placed, basis, date_used FROM out_timeline").fetchall()}
    assert got == {
        "f01": ("after", "wording", None),        # "Selepas penggabungan, ..."
        "f02": ("after", "wording", None),
        "f03": ("unknown", "none", None),         # undated article, no wording
        "f04": ("unknown", "none", None),
        "f05": ("before", "period", dt.date(2023, 12, 31)),
        "f06": ("unknown", "none", None),
        "f13": ("unknown", "none", None),
        "f07": ("after", "published", dt.date(2025, 9, 15)),
        "f08": ("after", "published", dt.date(2025, 9, 15)),
        "f09": ("before", "wording", None),       # "Przed połączeniem ..." beats the date
        "f10": ("after", "published", dt.date(2025, 9, 15)),
        "f11": ("after", "published", dt.date(2025, 9, 15)),
        "f12": ("before", "published", dt.date(2025, 3, 1)),
    }
    cols = [d[0] for d in con.execute("SELECT * FROM out_timeline LIMIT 0").description]
    assert cols == ["fact_id", "doc_id", "subject", "subject_level", "metric", "value", "placed",
                    "basis", "date_used"]


@pytest.mark.parametrize(
    ("evidence", "placed"),
    [
        ("Sau sáp nhập, xã có 512 đảng viên", "after"),
        ("Trước khi sáp nhập, xã có 200 đảng viên", "before"),
        ("Setelah penggabungan, komune memiliki 300 anggota", "after"),
        ("Po fuzji gmina liczy 300 członków", "after"),
        ("Après la fusion, la commune compte 300 membres", "after"),
        ("After the merger the commune has 300 members", "after"),
        ("Before the merger it had 100 and after the merger 300", "unknown"),
    ],
)
def test_timeline_wording(tmp_path, evidence, placed):
    path = build_synthetic_warehouse(tmp_path / "w.duckdb", marts=False)
    w = duckdb.connect(str(path))
    w.execute("UPDATE facts SET evidence = ? WHERE fact_id = 'f03'", [evidence])
    sql = next(p for p in mart_files() if p.stem == "out_timeline").read_text()
    got = w.execute(f"SELECT placed FROM ({sql}) WHERE fact_id = 'f03'").fetchone()[0]
    w.close()
    assert got == placed
