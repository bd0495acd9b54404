"""The whole graph on the seeds, then SQL on the published DuckDB file."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.publish import TABLE_DDL, _columns


@pytest.fixture(scope="module")
def con(seed_warehouse):
    c = duckdb.connect(str(seed_warehouse), read_only=True)
    yield c
    c.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_run_succeeds_and_checks_pass(seed_run):
    assert seed_run.result.success
    evaluations = {e.check_name: e.passed for e in seed_run.result.get_asset_check_evaluations()}
    assert set(evaluations) == {
        "evidence_spans_match",
        "fact_values_plausible",
        "mergers_agree_with_lineage",
        "input_files_accounted",
    }
    assert all(evaluations.values()), evaluations


def test_single_run_backfill_covers_every_partition(seed_run):
    from pipelines.defs.inputs import list_inputs, shards_of

    mats = seed_run.result.asset_materializations_for_node("article_facts")
    shards = shards_of(list_inputs(seed_run.articles_dir))
    assert sorted(m.partition for m in mats) == sorted(shards)
    assert all(k.startswith("shard-") for k in shards)
    assert sum(len(files) for files in shards.values()) == 5
    assert len({r.run_id for r in seed_run.instance.get_runs()}) == 1


def test_five_documents(con):
    assert q(con, "SELECT count(*), count(*) FILTER (WHERE status = 'ok') FROM documents") == [
        (5, 5)
    ]
    assert q(con, "SELECT count(*) FROM rejected_files") == [(0,)]
    langs = dict(q(con, "SELECT language, count(*) FROM documents GROUP BY 1"))
    assert langs == {"ms": 2, "pl": 2, "id": 1}


def test_tables_have_contract_columns(con):
    for table in TABLE_DDL:
        cols = [r[0] for r in q(con, f"DESCRIBE {table}")]
        assert cols == _columns(table), table
    for table in ("admin_units", "unit_lineage", "meta"):
        assert q(con, f"SELECT count(*) FROM {table}")[0][0] > 0


def test_evidence_occurs_at_offsets(con):
    rows = q(
        con,
        """SELECT f.evidence, substr(d.text, f.span_start + 1, f.span_end - f.span_start)
           FROM facts f JOIN documents d USING (doc_id)
           UNION ALL SELECT m.evidence, substr(d.text, m.span_start + 1, m.span_end - m.span_start)
           FROM mergers m JOIN documents d USING (doc_id)""",
    )
    assert all(ev == sliced for ev, sliced in rows), [r for r in rows if r[0] != r[1]][:3]
    n_docs_with_text = q(
        con, "SELECT count(*) FROM documents WHERE n_chars > 1000 AND length(text) = n_chars"
    )
    assert n_docs_with_text == [(5,)]


def test_admin_units_has_3321_communes_of_2025(con):
    assert q(con, "SELECT count(*) FROM admin_units WHERE era = '2025' AND level = 'commune'") == [
        (3321,)
    ]
    assert q(con, "SELECT count(DISTINCT province_code) FROM admin_units WHERE era = '2025'") == [
        (34,)
    ]
    assert q(con, "SELECT count(*) > 10000 FROM unit_lineage") == [(True,)]


def test_facts_of_one_article_not_counted_twice(con):
    assert q(con, "SELECT count(*) - count(DISTINCT fact_id) FROM facts") == [(0,)]
    assert (
        q(con, "SELECT sum(n_facts) FROM documents")[0][0]
        == q(con, "SELECT count(*) FROM facts")[0][0]
    )


# --- fact content: these need the real extractor (pipelines/extract/engine.py) -----------------


def test_pa_u_has_26_cells_and_nearly_400_members(con):
    rows = set(
        q(
            con,
            """SELECT metric, value, qualifier FROM facts
               WHERE subject_name = 'Pa U' AND metric IN ('party_cells', 'party_members')""",
        )
    )
    assert ("party_cells", 26, "exact") in rows, rows
    assert ("party_members", 400, "approx") in rows, rows


def test_ya_ma_merger_agrees_with_lineage(con):
    rows = q(
        con,
        "SELECT list_sort(predecessors), lineage_status FROM mergers WHERE new_unit_name = 'Ya Ma'",
    )
    assert rows, "no merger into Ya Ma extracted"
    preds, status = rows[0]
    assert sorted(preds) == sorted(["Ya Ma", "Dak To Pang", "Kong Yang"])
    assert status == "agrees"
