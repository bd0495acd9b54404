"""Linking subjects to official units and checking mergers against the official lineage."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.extract.model import Subject
from pipelines.gazetteer import Gazetteer, LineageCheck, Link


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


def test_load_is_a_singleton(gz: Gazetteer) -> None:
    assert Gazetteer.load() is gz


def test_commune_resolves_in_2025(gz: Gazetteer) -> None:
    link = gz.link(Subject("Pa U", "commune", "Lai Chau"))
    assert isinstance(link, Link)
    assert (link.status, link.era, link.unit_code, link.unit_name) == (
        "resolved",
        "2025",
        "03442",
        "Xã Pa Ủ",
    )
    assert (link.province_code, link.province_name) == ("12", "Lai Châu")
    assert link.province_code_2025 == "12"
    assert link.lat is not None and link.lon is not None


def test_chu_se(gz: Gazetteer) -> None:
    link = gz.link(Subject("Chu Se", "commune", "Gia Lai"))
    assert (link.status, link.era, link.unit_name, link.province_name) == (
        "resolved",
        "2025",
        "Xã Chư Sê",
        "Gia Lai",
    )


def test_district_is_legacy(gz: Gazetteer) -> None:
    link = gz.link(Subject("Giao Thuy", "district", "Nam Dinh"))
    assert (link.status, link.era, link.unit_name) == ("resolved", "legacy", "Huyện Giao Thủy")
    assert link.province_name == "Nam Định"
    assert link.province_name_2025 == "Ninh Bình"


def test_district_by_former_name(gz: Gazetteer) -> None:
    link = gz.link(Subject("Long Dien", "district", "Ba Ria-Vung Tau"))
    assert (link.status, link.unit_name) == ("resolved", "Huyện Long Đất")
    assert "former" in link.reason
    assert link.province_name_2025 == "Hồ Chí Minh"


def test_commune_only_in_legacy(gz: Gazetteer) -> None:
    link = gz.link(Subject("Giao Hai", "commune", "Nam Dinh"))
    assert (link.status, link.era, link.unit_name) == ("resolved", "legacy", "Xã Giao Hải")
    assert link.province_name_2025 == "Ninh Bình"
    # Giao Long exists in 2025 only in Vinh Long: a Nam Dinh subject must stay in Nam Dinh.
    link = gz.link(Subject("Giao Long", "commune", "Nam Dinh"))
    assert (link.era, link.province_name) == ("legacy", "Nam Định")


def test_legacy_province_name_finds_2025_commune(gz: Gazetteer) -> None:
    link = gz.link(Subject("Bao La", "commune", "Hoa Binh"))
    assert (link.status, link.era, link.province_name_2025) == ("resolved", "2025", "Phú Thọ")


def test_province_level(gz: Gazetteer) -> None:
    link = gz.link(Subject("Nam Dinh", "province", "Nam Dinh"))
    assert (link.status, link.era, link.province_name, link.province_name_2025) == (
        "resolved",
        "legacy",
        "Nam Định",
        "Ninh Bình",
    )
    link = gz.link(Subject("Hai Phong", "province", "Hai Phong"))
    assert (link.era, link.province_code, link.province_code_2025) == ("2025", "31", "31")


def test_village_not_applicable(gz: Gazetteer) -> None:
    link = gz.link(Subject("Pha Bu", "village", "Lai Chau"))
    assert link.status == "not_applicable"
    assert link.unit_code is None
    assert link.province_name == "Lai Châu"
    assert "village" in link.reason
    assert (
        gz.link(Subject("Provincial People's Procuracy", "agency", "Tuyen Quang")).status
        == "not_applicable"
    )


def test_made_up_name_unresolved(gz: Gazetteer) -> None:
    link = gz.link(Subject("Xyzzy Qux", "commune", "Lai Chau"))
    assert link.status == "unresolved"
    assert link.unit_code is None
    assert "Xyzzy Qux" in link.reason


def test_name_elsewhere_is_not_forced(gz: Gazetteer) -> None:
    link = gz.link(Subject("Pa U", "commune", "Hanoi"))
    assert link.status == "unresolved"
    assert "Lai Châu" in link.reason


def test_ambiguous_without_province(gz: Gazetteer) -> None:
    link = gz.link(Subject("Tan Son", "commune", None))
    assert link.status == "ambiguous"
    assert link.reason.split()[0].isdigit() and int(link.reason.split()[0]) > 2


def test_unique_without_province(gz: Gazetteer) -> None:
    link = gz.link(Subject("Tra Cang", "commune", None))
    assert (link.status, link.era, link.province_name) == ("resolved", "legacy", "Quảng Nam")


def test_fuzzy_fallback(gz: Gazetteer) -> None:
    link = gz.link(Subject("Noong U", "commune", "Dien Bien"))  # official spelling "Nong U"
    assert link.status == "resolved"
    assert link.unit_name == "Xã Nong U"
    assert "fuzzy" in link.reason


def test_ya_ma_agrees(gz: Gazetteer) -> None:
    check = gz.lineage_check(
        Subject("Ya Ma", "commune", "Gia Lai"), ["Ya Ma", "Dak To Pang", "Kong Yang"]
    )
    assert isinstance(check, LineageCheck)
    assert check.status == "agrees"
    assert check.matched == 3
    assert sorted(check.official) == ["Dak To Pang", "Kong Yang", "Ya Ma"]


def test_wrong_province_searches_the_country(gz: Gazetteer) -> None:
    check = gz.lineage_check(
        Subject("Ya Ma", "commune", "Quang Ngai"), ["Ya Ma", "Dak To Pang", "Kong Yang"]
    )
    assert check.status == "agrees"
    assert "Gia Lai" in check.reason


@pytest.mark.parametrize(
    ("name", "province", "predecessors"),
    [
        ("Dong Thai", "Ninh Binh", ["Yen Dong", "Yen Thanh", "Yen Thai"]),
        ("Pu Nhi", "Dien Bien", ["Noong U", "Pu Nhi"]),
        ("Mao Dien", "Hai Phong", ["Tan Truong", "Cam Dong", "Phuc Dien"]),
    ],
)
def test_gold_mergers_agree(
    gz: Gazetteer, name: str, province: str, predecessors: list[str]
) -> None:
    assert gz.lineage_check(Subject(name, "commune", province), predecessors).status == "agrees"


def test_wrong_predecessors(gz: Gazetteer) -> None:
    ya_ma = Subject("Ya Ma", "commune", "Gia Lai")
    assert gz.lineage_check(ya_ma, ["Pa U", "Hua Bum"]).status == "disagrees"
    partly = gz.lineage_check(ya_ma, ["Ya Ma", "Hua Bum"])
    assert (partly.status, partly.matched) == ("partly_agrees", 1)
    assert "Hua Bum" in partly.reason
    assert gz.lineage_check(ya_ma, ["Ya Ma", "Kong Yang"]).status == "partly_agrees"  # one missing


def test_earlier_reforms_are_unresolved(gz: Gazetteer) -> None:
    district = gz.lineage_check(
        Subject("Long Dat", "district", "Ba Ria-Vung Tau"), ["Long Dien", "Dat Do"]
    )
    assert district.status == "unresolved"
    tam_an = gz.lineage_check(
        Subject("Tam An", "commune", "Ba Ria-Vung Tau"), ["Tam Phuoc", "An Nhut", "An Ngai"]
    )
    assert tam_an.status == "unresolved"
    # the package's former names confirm the January 2025 merger
    assert "3 of the 3" in tam_an.reason
    # A namesake in another province sharing only its own name is not taken.
    phuoc_hoi = gz.lineage_check(
        Subject("Phuoc Hoi", "commune", "Ba Ria-Vung Tau"), ["Phuoc Hoi", "Loc An"]
    )
    assert phuoc_hoi.status == "unresolved"


def test_lookups_are_fast(gz: Gazetteer) -> None:
    subjects = [Subject(f"Xa {i}", "commune", "Gia Lai") for i in range(200)] + [
        Subject("Pa U", "commune", "Lai Chau"),
        Subject("Giao Thuy", "district", "Nam Dinh"),
    ]
    start = time.perf_counter()
    for s in subjects:
        gz.link(s)
    first = (time.perf_counter() - start) / len(subjects)
    start = time.perf_counter()
    for _ in range(50):
        for s in subjects:
            gz.link(s)
        gz.province_of("Mai Chau", "district")
    cached = (time.perf_counter() - start) / (50 * len(subjects))
    assert first < 5e-3, first  # uncached, including the fuzzy fallback over a province
    assert cached < 2e-5, cached  # cached: a dict lookup


def test_index_build_time() -> None:
    """Building the indexes from the package data (fresh process) takes under 2 s of CPU.

    CPU time, not wall time: other jobs on a shared 2-core machine would make wall time flaky.
    """
    code = (
        "import time, polars\n"
        "c = time.process_time()\n"
        "from pipelines.gazetteer import Gazetteer\n"
        "Gazetteer.load()\n"
        "print(time.process_time() - c)\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    seconds = float(out.stdout.strip())
    assert seconds < 2.0, seconds
