"""Incremental work: unchanged files are skipped by content hash, one new article is extracted
alone, and a publish rereads only the shard folders that changed."""

from __future__ import annotations

import shutil
import time

import duckdb
import pytest

from pipelines.run import contiguous_ranges
from tests.conftest import SEEDS


def test_contiguous_ranges_follow_registration_order():
    order = ["a", "b", "c", "d", "e"]
    assert contiguous_ranges(order, {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert contiguous_ranges(order, set()) == []
    assert contiguous_ranges(order, set(order)) == [("a", "e")]


@pytest.fixture
def project(tmp_path, monkeypatch):
    arts = tmp_path / "articles"
    arts.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, arts / f.name)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("ARTICLES_DIR", str(arts))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "wh" / "vn_party.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("VN_PARTY_WORKERS", "1")
    return tmp_path, arts


def _docs(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute("SELECT file_name, n_facts FROM documents").fetchall())


def test_run_extracts_only_new_or_changed_files(project):
    from pipelines.run import run

    root, arts = project
    first = run(reports=False)
    assert first.success and first.extracted == 2
    again = run(reports=False)
    assert again.success and again.extracted == 0  # nothing changed: nothing extracted
    assert set(_docs(again.warehouse)) == {f.name for f in arts.iterdir()}

    new = sorted(SEEDS.glob("*.txt"))[2]
    shutil.copy(new, arts / new.name)
    added = run(reports=False)
    assert added.extracted == 1 and new.name in _docs(added.warehouse)

    (arts / new.name).write_text((arts / new.name).read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    changed = run(reports=False)
    assert changed.extracted == 1

    (arts / new.name).unlink()
    removed = run(reports=False)
    assert removed.extracted == 0 and new.name not in _docs(removed.warehouse)


def test_publish_rereads_only_changed_shards(project):
    from pipelines.publish import publish, scan_parts
    from pipelines.run import run

    root, _ = project
    out = run(reports=False)
    parts = root / "wh" / "parts"
    assert len(scan_parts(parts)) == len(out.partitions) == 2  # the two seeds hash to two shards
    again = publish(parts, out.warehouse)
    assert (again.meta["build"], again.meta["n_shards_rebuilt"]) == ("incremental", 0)

    key = sorted(scan_parts(parts))[0]
    time.sleep(0.01)
    facts = parts / key / "facts.parquet"
    tmp = facts.with_name(".facts.parquet.tmp-test")
    shutil.copy(facts, tmp)
    tmp.replace(facts)  # what a re-run of the shard does: replace a part file in the folder
    redone = publish(parts, out.warehouse)
    assert (redone.meta["build"], redone.meta["n_shards_rebuilt"]) == ("incremental", 1)
    assert redone.counts == again.counts

    shutil.rmtree(parts / key)
    result = publish(parts, out.warehouse)
    assert result.meta["n_shards_rebuilt"] == 1
    assert result.counts["documents"] == 1


def _snapshot(path) -> dict[str, list[tuple]]:
    """Every user-facing table, rows sorted (physical order differs between build kinds)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_name NOT IN ('meta')"
                " AND table_name NOT LIKE '\\_%' ESCAPE '\\'"
            ).fetchall()
        ]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_incremental_publish_equals_a_full_build(project):
    """Add, duplicate, change and delete files; after each run the incrementally published
    warehouse must hold exactly what a build from empty holds (tables and marts)."""
    from pipelines.publish import publish
    from pipelines.run import run

    root, arts = project
    parts = root / "wh" / "parts"
    seeds = sorted(SEEDS.glob("*.txt"))

    def check(outcome, build: str) -> None:
        assert outcome.success
        with duckdb.connect(str(outcome.warehouse), read_only=True) as con:
            assert con.execute("SELECT build FROM meta").fetchone() == (build,)
            kept = set(con.execute("SELECT kept_in_place FROM meta").fetchone()[0].split(","))
        # an incremental build updated the per-document marts and kept the gazetteer tables
        per_document = {"out_fact_provinces", "out_merger_claims", "out_timeline"}
        assert (per_document | {"admin_units", "unit_lineage"} <= kept) == (build == "incremental")
        full = publish(parts, root / "full" / "vn.duckdb", incremental=False)
        assert full.meta["build"] == "full"
        assert _snapshot(outcome.warehouse) == _snapshot(full.path)

    check(run(reports=False), "full")
    shutil.copy(seeds[2], arts / seeds[2].name)
    shutil.copy(seeds[0], arts / "zz copy.txt")  # a duplicate in (most likely) another shard
    check(run(reports=False), "incremental")
    with duckdb.connect(str(root / "wh" / "vn_party.duckdb"), read_only=True) as con:
        assert con.execute(
            "SELECT status FROM documents WHERE file_name = 'zz copy.txt'"
        ).fetchone() == ("duplicate",)
    # the original changes: the copy becomes the canonical holder of the old text
    (arts / seeds[0].name).write_text("Xã Pa U có 26 chi bộ.", encoding="utf-8")
    check(run(reports=False), "incremental")
    with duckdb.connect(str(root / "wh" / "vn_party.duckdb"), read_only=True) as con:
        assert con.execute(
            "SELECT status, n_facts > 0 FROM documents WHERE file_name = 'zz copy.txt'"
        ).fetchone() == ("ok", True)
    (arts / seeds[1].name).unlink()
    check(run(reports=False), "incremental")


def test_gazetteer_assets_rerun_only_when_their_version_changes(project):
    """`make run` leaves out the two gazetteer assets while their files carry this package and
    code version, and materializes them again when the stamp says otherwise."""
    from dagster import AssetKey, DagsterInstance

    from pipelines.run import run

    root, _ = project
    assert run(reports=False).success
    instance = DagsterInstance.get()

    def last_run(asset: str) -> str:
        return instance.get_latest_materialization_event(AssetKey(asset)).run_id

    gazetteer_run = last_run("raw_admin_units")
    assert run(reports=False).success
    assert last_run("warehouse") != gazetteer_run  # a new run published...
    assert last_run("raw_admin_units") == last_run("raw_unit_lineage") == gazetteer_run  # ...alone
    with duckdb.connect(str(root / "wh" / "vn_party.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM admin_units").fetchone()[0] > 10_000

    (root / "wh" / "parts" / "_gazetteer" / "unit_lineage.version").write_text("0.0+other")
    assert run(reports=False).success
    assert last_run("raw_unit_lineage") == last_run("warehouse") != gazetteer_run
