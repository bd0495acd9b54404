"""Each data-quality rule fails on bad data: the plain functions, and one check through Dagster."""

from __future__ import annotations

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


def test_dagster_check_fails_on_a_warehouse_with_a_bad_span(tmp_path):
    """End to end: parts with a wrong span -> published warehouse -> the asset check fails."""
    parts, target = tmp_path / "parts", tmp_path / "vn.duckdb"
    doc = {c: None for c in work.DOCUMENT_SCHEMA} | {
        "doc_id": "d1",
        "partition_key": "a.txt",
        "article_key": "a.txt",
        "file_name": "a.txt",
        "status": "ok",
        "text": TEXT,
        "n_chars": len(TEXT),
        "content_hash": "x",
    }
    fact = {c: None for c in work.FACT_SCHEMA} | {
        "fact_id": "f1",
        "doc_id": "d1",
        "article_key": "a.txt",
        "metric": "party_cells",
        "unit": "count",
        "value": 26.0,
        "evidence": "26 chi bộ",
        "span_start": 0,
        "span_end": 9,  # wrong offsets
    }
    work.write_part(work.frame([doc], work.DOCUMENT_SCHEMA), parts / "a.txt", "documents")
    work.write_part(work.frame([fact], work.FACT_SCHEMA), parts / "a.txt", "facts")
    ex = {
        "partition_key": "a.txt",
        "article_key": "a.txt",
        "doc_id": "d1",
        "status": "ok",
        "n_facts": 1,
        "n_mergers": 0,
        "n_people": 0,
    }
    work.write_part(work.frame([ex], work.EXTRACTION_SCHEMA), parts / "a.txt", "extraction")
    publish(parts, target, gazetteer_dir=tmp_path / "none", sql_dir=tmp_path / "none")

    paths = PipelinePaths(articles_dir=str(tmp_path / "in"), warehouse_path=str(target))
    outcome = evidence_spans_match(paths=paths)
    assert not outcome.passed
    assert outcome.metadata["n_bad"].value == 1
