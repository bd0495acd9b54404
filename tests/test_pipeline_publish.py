"""Publishing the warehouse: atomic under kill, unbothered by readers, marts by convention."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.defs import work
from pipelines.publish import SLEEP_ENV, publish

TEXT = "Xã Pa U có 26 chi bộ."


def write_article(parts: Path, key: str, doc_id: str, text: str = TEXT, n_facts: int = 1) -> None:
    doc = {c: None for c in work.DOCUMENT_SCHEMA} | {
        "doc_id": doc_id,
        "partition_key": key,
        "article_key": key,
        "file_name": key,
        "status": "ok",
        "text": text,
        "n_chars": len(text),
        "content_hash": doc_id,
    }
    facts = [
        {c: None for c in work.FACT_SCHEMA}
        | {
            "fact_id": f"{doc_id}-{i}",
            "doc_id": doc_id,
            "article_key": key,
            "metric": "party_cells",
            "unit": "count",
            "value": 26.0,
            "evidence": text,
            "span_start": 0,
            "span_end": len(text),
        }
        for i in range(n_facts)
    ]
    ex = {
        "partition_key": key,
        "article_key": key,
        "doc_id": doc_id,
        "status": "ok",
        "n_facts": n_facts,
        "n_mergers": 0,
        "n_people": 0,
    }
    work.write_part(work.frame([doc], work.DOCUMENT_SCHEMA), parts / key, "documents")
    work.write_part(work.frame(facts, work.FACT_SCHEMA), parts / key, "facts")
    work.write_part(work.frame([ex], work.EXTRACTION_SCHEMA), parts / key, "extraction")


def count(path: Path, sql: str = "SELECT count(*) FROM documents") -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


@pytest.fixture
def tree(tmp_path):
    parts, target, none = tmp_path / "parts", tmp_path / "wh" / "vn.duckdb", tmp_path / "none"
    write_article(parts, "a.txt", "d1")
    publish(parts, target, gazetteer_dir=none, sql_dir=none)
    assert count(target) == 1
    return parts, target, none


def test_kill_during_publish_leaves_previous_warehouse_whole(tree):
    parts, target, none = tree
    write_article(parts, "b.txt", "d2")
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from pipelines.publish import publish
        publish(Path({str(parts)!r}), Path({str(target)!r}), gazetteer_dir=Path({str(none)!r}), sql_dir=Path({str(none)!r}))
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, SLEEP_ENV: "60"})
    try:
        deadline = time.time() + 30
        while not list(target.parent.glob(f"{target.name}.tmp-*")) and time.time() < deadline:
            time.sleep(0.05)
        assert list(target.parent.glob(f"{target.name}.tmp-*")), "publish never started building"
        time.sleep(0.3)  # inside the build (the hook sleeps after the core tables)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert count(target) == 1  # the old warehouse, whole and readable
    assert count(target, "SELECT count(*) FROM facts") == 1
    # the next publish cleans the debris and swaps in the new file
    publish(parts, target, gazetteer_dir=none, sql_dir=none)
    assert count(target) == 2
    assert not list(target.parent.glob(f"{target.name}.tmp-*"))


def test_reader_holding_the_file_open_does_not_block_publish(tree):
    parts, target, none = tree
    reader = duckdb.connect(str(target), read_only=True)
    try:
        write_article(parts, "b.txt", "d2")
        publish(parts, target, gazetteer_dir=none, sql_dir=none)
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # its snapshot
    finally:
        reader.close()
    assert count(target) == 2


def test_failed_publish_keeps_previous_warehouse(tree, tmp_path):
    parts, target, none = tree
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "out_broken.sql").write_text("SELECT no_such_column FROM facts")
    write_article(parts, "b.txt", "d2")
    with pytest.raises(duckdb.Error):
        publish(parts, target, gazetteer_dir=none, sql_dir=sql)
    assert count(target) == 1
    assert not list(target.parent.glob(f"{target.name}.tmp-*"))


def test_marts_run_in_name_order_as_select_or_own_ddl(tree, tmp_path):
    parts, target, none = tree
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "out_a.sql").write_text(
        "-- a query\nSELECT doc_id, count(*) AS n FROM facts GROUP BY doc_id;\n-- end\n"
    )
    (sql / "out_b.sql").write_text("CREATE TABLE out_b AS SELECT sum(n) AS total FROM out_a;")
    (sql / "not_a_mart.sql").write_text("SELECT 1/0")
    result = publish(parts, target, gazetteer_dir=none, sql_dir=sql)
    assert result.marts == ["out_a", "out_b"]
    assert count(target, "SELECT total FROM out_b") == 1


def test_per_document_mart_is_updated_in_place_and_equals_a_rebuild(tree, tmp_path):
    """A mart declared `-- per document: doc_id` keeps its rows across incremental publishes and
    redoes only the changed documents'; a DDL file declaring it is simply rebuilt."""
    parts, target, none = tree
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "out_a.sql").write_text(
        "-- facts per document\n-- per document: doc_id\n"
        "SELECT d.doc_id, d.file_name, count(f.fact_id) AS n FROM documents d"
        " LEFT JOIN facts f USING (doc_id) GROUP BY ALL"
    )
    (sql / "out_b.sql").write_text("-- per document: doc_id\nCREATE TABLE out_b AS SELECT * FROM out_a")
    publish(parts, target, gazetteer_dir=none, sql_dir=sql)
    time.sleep(0.01)
    write_article(parts, "b.txt", "d2", n_facts=3)  # a second shard; a.txt is untouched
    result = publish(parts, target, gazetteer_dir=none, sql_dir=sql)
    kept = result.meta["kept_in_place"].split(",")
    assert result.meta["build"] == "incremental" and "out_a" in kept and "out_b" not in kept
    rows = "SELECT doc_id, file_name, n FROM {} ORDER BY doc_id"
    with duckdb.connect(str(target), read_only=True) as con:
        got = con.execute(rows.format("out_a")).fetchall()
        assert con.execute(rows.format("out_b")).fetchall() == got
    assert got == [("d1", "a.txt", 1), ("d2", "b.txt", 3)]
    full = publish(parts, tmp_path / "full.duckdb", gazetteer_dir=none, sql_dir=sql, incremental=False)
    with duckdb.connect(str(full.path), read_only=True) as con:
        assert con.execute(rows.format("out_a")).fetchall() == got


def test_duplicate_text_keeps_both_rows_and_facts_once(tmp_path):
    parts, target, none = tmp_path / "parts", tmp_path / "vn.duckdb", tmp_path / "none"
    write_article(parts, "b_copy.txt", "same", n_facts=2)
    write_article(parts, "a_first.txt", "same", n_facts=2)
    publish(parts, target, gazetteer_dir=none, sql_dir=none)
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute(
            "SELECT file_name, status, reason, n_facts FROM documents ORDER BY file_name"
        ).fetchall()
        assert rows == [
            ("a_first.txt", "ok", None, 2),
            ("b_copy.txt", "duplicate", "same text as a_first.txt", 0),
        ]
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 2
        assert con.execute("SELECT file_name FROM rejected_files").fetchall() == [("b_copy.txt",)]
