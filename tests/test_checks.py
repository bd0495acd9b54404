"""Each data-quality rule fails on bad data: the plain functions, and one check through Dagster."""

from __future__ import annotations

import shutil
import time

import polars as pl

from pipelines import quality
from pipelines.defs import work
from pipelines.defs.checks import evidence_spans_match
from pipelines.defs.resources import PipelinePaths
from pipelines.publish import publish

TEXT = "Xã Pa U có 26 chi bộ. Đảng bộ xã có gần 400 đảng viên."
DOCS = pl.DataFrame({"doc_id": ["d1"], "text": [TEXT]})


def spans(evidence: str, start: int, end: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kind": ["fact"],
            "id": ["f1"],
            "doc_id": ["d1"],
            "evidence": [evidence],
            "span_start": [start],
            "span_end": [end],
        }
    )


def test_evidence_spans_pass_and_fail():
    ev = "Xã Pa U có 26 chi bộ."
    assert quality.evidence_spans(spans(ev, 0, len(ev)), DOCS).passed
    shifted = quality.evidence_spans(spans(ev, 1, len(ev) + 1), DOCS)
    assert not shifted.passed and shifted.failures.height == 1
    assert not quality.evidence_spans(spans(ev, 0, 500), DOCS).passed  # beyond the text
    assert not quality.evidence_spans(spans("", 0, 0), DOCS).passed  # empty evidence
    missing_doc = spans(ev, 0, len(ev)).with_columns(pl.lit("nope").alias("doc_id"))
    assert not quality.evidence_spans(missing_doc, DOCS).passed


def facts(unit: str, value: float, target: float | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {"fact_id": ["f"], "metric": ["m"], "unit": [unit], "value": [value], "target": [target]},
        schema={
            "fact_id": pl.String,
            "metric": pl.String,
            "unit": pl.String,
            "value": pl.Float64,
            "target": pl.Float64,
        },
    )


def test_value_plausibility_pass_and_fail():
    for ok in (
        facts("count", 26),
        facts("percent", 104.55),
        facts("percent", 90.48, 90),
        facts("VND", 2.1e12),
    ):
        assert quality.value_plausibility(ok).passed
    for bad in (
        facts("count", -1),
        facts("count", 26.5),
        facts("percent", 250),
        facts("percent", -3),
        facts("percent", 90, 300),
        facts("VND", 0),
        facts("furlongs", 1),
    ):
        assert not quality.value_plausibility(bad).passed, bad


def mergers(*statuses: str | None) -> pl.DataFrame:
    n = len(statuses)
    return pl.DataFrame(
        {
            "merger_id": [f"m{i}" for i in range(n)],
            "new_unit_name": ["Ya Ma"] * n,
            "new_unit_province": ["Gia Lai"] * n,
            "predecessors": [["Ya Ma", "Dak To Pang"]] * n,
            "lineage_status": list(statuses),
            "lineage_official": [["Ya Ma", "Dak To Pang", "Kong Yang"]] * n,
        }
    )


def test_lineage_agreement_pass_and_fail():
    good = quality.lineage_agreement(mergers("agrees", "partly_agrees", "unresolved", None))
    assert good.passed
    assert good.metadata["n_resolved"] == 2 and good.metadata["agreement_rate"] == 0.5
    bad = quality.lineage_agreement(mergers("agrees", "disagrees"))
    assert not bad.passed and bad.metadata["n_disagree"] == 1 and bad.failures.height == 1
    assert quality.lineage_agreement(mergers()).passed  # nothing to compare


def test_files_accounted_pass_and_fail():
    docs = pl.DataFrame(
        {
            "file_name": ["a.txt", "b.bin"],
            "status": ["ok", "rejected"],
            "reason": [None, "binary file"],
        }
    )
    assert quality.files_accounted(["a.txt", "b.bin"], docs).passed
    assert not quality.files_accounted(["a.txt", "b.bin", "c.txt"], docs).passed  # c.txt dropped
    no_reason = docs.with_columns(pl.lit(None, pl.String).alias("reason"))
    assert not quality.files_accounted(["a.txt", "b.bin"], no_reason).passed


def _write_shard(parts, key: str, doc_id: str, span_end: int) -> None:
    """One shard folder holding one article of TEXT with one fact whose span ends at `span_end`
    (9 is wrong, 21 is right for the evidence "Xã Pa U có 26 chi bộ.")."""
    doc = {c: None for c in work.DOCUMENT_SCHEMA} | {
        "doc_id": doc_id,
        "partition_key": key,
        "article_key": f"{key}.txt",
        "file_name": f"{key}.txt",
        "status": "ok",
        "text": TEXT,
        "n_chars": len(TEXT),
        "content_hash": doc_id,
    }
    fact = {c: None for c in work.FACT_SCHEMA} | {
        "fact_id": f"f-{doc_id}",
        "doc_id": doc_id,
        "article_key": f"{key}.txt",
        "metric": "party_cells",
        "unit": "count",
        "value": 26.0,
        "evidence": "Xã Pa U có 26 chi bộ.",
        "span_start": 0,
        "span_end": span_end,
    }
    ex = {
        "partition_key": key,
        "article_key": f"{key}.txt",
        "doc_id": doc_id,
        "status": "ok",
        "n_facts": 1,
        "n_mergers": 0,
        "n_people": 0,
    }
    work.write_part(work.frame([doc], work.DOCUMENT_SCHEMA), parts / key, "documents")
    work.write_part(work.frame([fact], work.FACT_SCHEMA), parts / key, "facts")
    work.write_part(work.frame([ex], work.EXTRACTION_SCHEMA), parts / key, "extraction")


def _check(tmp_path, target):
    paths = PipelinePaths(articles_dir=str(tmp_path / "in"), warehouse_path=str(target))
    outcome = evidence_spans_match(paths=paths)
    return outcome.passed, outcome.metadata["n_bad"].value, outcome.metadata["scope"].value


def test_dagster_check_fails_on_a_warehouse_with_a_bad_span(tmp_path):
    """End to end: parts with a wrong span -> published warehouse -> the asset check fails."""
    parts, target = tmp_path / "parts", tmp_path / "vn.duckdb"
    _write_shard(parts, "a", "d1", span_end=9)  # wrong offsets
    publish(parts, target, gazetteer_dir=tmp_path / "none", sql_dir=tmp_path / "none")
    assert _check(tmp_path, target) == (False, 1, "full")


def test_span_check_after_an_incremental_publish_keeps_earlier_failures(tmp_path):
    """The incremental check re-reads only the changed documents, yet a bad span in a shard
    the publish did not touch still fails it, and fixing that shard makes it pass."""
    parts, target = tmp_path / "parts", tmp_path / "vn.duckdb"
    none = {"gazetteer_dir": tmp_path / "none", "sql_dir": tmp_path / "none"}
    _write_shard(parts, "a", "d1", span_end=9)  # bad
    _write_shard(parts, "b", "d2", span_end=21)  # good
    publish(parts, target, **none)
    assert _check(tmp_path, target) == (False, 1, "full")

    time.sleep(0.01)
    _write_shard(parts, "b", "d3", span_end=21)  # only shard b changes (a new, good text)
    assert publish(parts, target, **none).meta["build"] == "incremental"
    passed, n_bad, scope = _check(tmp_path, target)
    assert (passed, n_bad) == (False, 1) and scope.startswith("incremental")

    time.sleep(0.01)
    _write_shard(parts, "a", "d1", span_end=21)  # the bad shard is fixed
    publish(parts, target, **none)
    passed, n_bad, scope = _check(tmp_path, target)
    assert (passed, n_bad) == (True, 0) and scope.startswith("incremental")

    time.sleep(0.01)
    _write_shard(parts, "a", "d1", span_end=9)  # broken again, and the memo is lost
    publish(parts, target, **none)
    shutil.rmtree(tmp_path / ".vn.duckdb.checks")
    assert _check(tmp_path, target) == (False, 1, "full")
