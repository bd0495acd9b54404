"""Asset checks on the published warehouse; the rules themselves are in `pipelines.quality`.

They read the file the `warehouse` asset just swapped in, read-only, so they check exactly what
readers will see. Thresholds are documented in `pipelines/quality.py`.

The evidence-span check is incremental: after an incremental publish only the spans of the
documents that publish replaced (`_publish_changes`) are checked again, and the failures found
earlier in the other documents, unchanged since, are carried over from the check of the build
it was copied from (`CheckMemo`). With no memo of that very build it checks everything.
"""

import os
from pathlib import Path

import polars as pl
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from pipelines import quality
from pipelines.defs.inputs import list_inputs
from pipelines.defs.out import warehouse
from pipelines.defs.preview import md_table
from pipelines.defs.resources import PipelinePaths
from pipelines.publish import open_readonly

SPANS_SQL = """
SELECT 'fact' AS kind, fact_id AS id, doc_id, evidence, span_start, span_end FROM facts
UNION ALL SELECT 'merger', merger_id, doc_id, evidence, span_start, span_end FROM mergers
UNION ALL SELECT 'person', person_id, doc_id, evidence, span_start, span_end FROM people
"""
#: Spans that may break `quality.evidence_spans`, found inside DuckDB (its `substring` counts code
#: points, as Python's slicing does), so the corpus's texts never travel into Python: at 100,000
#: articles that is 270 MB. Only these suspects and their texts go through the Python rule.
SUSPECT_SPANS_SQL = f"""
WITH spans AS (SELECT * FROM ({SPANS_SQL}) WHERE {{scope}}),
     texts AS (SELECT DISTINCT ON (doc_id) doc_id, text FROM documents
               WHERE doc_id IS NOT NULL AND {{scope}})
SELECT s.* FROM spans s LEFT JOIN texts t USING (doc_id)
WHERE t.text IS NULL OR coalesce(s.evidence, '') = '' OR s.span_start IS NULL
   OR s.span_end IS NULL OR s.span_start < 0 OR s.span_end < s.span_start
   OR s.span_end > length(t.text)
   OR substring(t.text, s.span_start + 1, s.span_end - s.span_start) <> s.evidence
"""


def _result(
    outcome: quality.Outcome, severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
) -> AssetCheckResult:
    meta: dict[str, object] = {
        k: (MetadataValue.json(v) if isinstance(v, dict | list) else v)
        for k, v in outcome.metadata.items()
    }
    meta["summary"] = outcome.description
    if outcome.failures.height:
        meta["failures"] = MetadataValue.md(md_table(outcome.failures, max_rows=15))
    return AssetCheckResult(
        passed=outcome.passed, severity=severity, metadata=meta, description=outcome.description
    )


class CheckMemo:
    """A check's failures at one warehouse build, kept beside the warehouse
    (`.<warehouse>.checks/<check>-<build_id>.parquet`), so the check of the next, incremental
    build re-checks only the documents that build changed."""

    def __init__(self, warehouse: Path, check: str):
        self.folder = warehouse.parent / f".{warehouse.name}.checks"
        self.check = check

    def _path(self, build_id: str) -> Path:
        return self.folder / f"{self.check}-{build_id}.parquet"

    def load(self, build_id: str | None) -> pl.DataFrame | None:
        """The failures recorded for `build_id`, or None when there is no memo of that build."""
        if not build_id:
            return None
        try:
            return pl.read_parquet(self._path(build_id))
        except (OSError, pl.exceptions.PolarsError):
            return None

    def save(self, build_id: str, failures: pl.DataFrame) -> None:
        """Record the failures of `build_id` (written whole, then renamed) and drop older memos."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(build_id)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        failures.write_parquet(tmp)
        tmp.replace(path)
        for old in self.folder.glob(f"{self.check}-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)


def _build(con) -> tuple[str | None, str | None]:
    """(build_id, previous_build_id) of the warehouse; (None, None) for an older layout."""
    cols = {r[0] for r in con.execute("DESCRIBE meta").fetchall()}
    if not {"build_id", "previous_build_id"} <= cols:
        return None, None
    return con.execute("SELECT build_id, nullif(previous_build_id, '') FROM meta").fetchone()


def _frames(paths: PipelinePaths, *sqls: str) -> list[pl.DataFrame]:
    with open_readonly(paths.warehouse()) as con:
        return [con.sql(sql).pl() for sql in sqls]


@asset_check(
    asset=warehouse,
    description="Every fact, merger and person evidence span slices the stored text to exactly its evidence.",
)
def evidence_spans_match(paths: PipelinePaths) -> AssetCheckResult:
    memo = CheckMemo(paths.warehouse(), "evidence_spans_match")
    with open_readonly(paths.warehouse()) as con:
        build_id, previous = _build(con)
        carried = memo.load(previous)
        scope, changed = "true", []
        if carried is not None:  # incremental: only the documents this build replaced
            scope = "doc_id IN (SELECT doc_id FROM _publish_changes)"
            changed = [r[0] for r in con.execute("SELECT doc_id FROM _publish_changes").fetchall()]
        n = con.execute(f"SELECT count(*) FROM ({SPANS_SQL})").fetchall()[0][0]
        suspects = con.sql(SUSPECT_SPANS_SQL.format(scope=scope)).pl()
        ids = suspects["doc_id"].unique().drop_nulls().to_list()
        docs = con.sql(
            "SELECT DISTINCT doc_id, text FROM documents WHERE list_contains($ids, doc_id)",
            params={"ids": ids},
        ).pl()
    outcome = quality.evidence_spans(suspects, docs)
    failures = outcome.failures
    if carried is not None:
        kept = carried.filter(~pl.col("doc_id").is_in(changed))
        failures = pl.concat([kept, failures], how="vertical_relaxed") if kept.height else failures
    if build_id:
        memo.save(build_id, failures)
    n_bad = failures.height
    outcome.passed = n_bad == 0
    outcome.failures = failures
    outcome.description = f"{n - n_bad}/{n} evidence spans slice the stored text exactly"
    outcome.metadata |= {
        "n_spans": n,
        "n_bad": n_bad,
        "scope": f"incremental: the spans of {len(changed)} changed documents" if carried is not None else "full",
    }
    return _result(outcome)


@asset_check(
    asset=warehouse,
    description="Counts are non-negative integers, percentages within 0..200, VND amounts positive.",
)
def fact_values_plausible(paths: PipelinePaths) -> AssetCheckResult:
    (facts,) = _frames(paths, "SELECT fact_id, metric, unit, value, target FROM facts")
    return _result(quality.value_plausibility(facts))


@asset_check(
    asset=warehouse,
    description=(
        "Mergers whose new unit resolves are compared with the official lineage; fails (WARN) if "
        "any disagrees. Agreement rate in the metadata."
    ),
)
def mergers_agree_with_lineage(paths: PipelinePaths) -> AssetCheckResult:
    (mergers,) = _frames(
        paths,
        "SELECT merger_id, new_unit_name, new_unit_province, predecessors, lineage_status, lineage_official FROM mergers",
    )
    return _result(quality.lineage_agreement(mergers), AssetCheckSeverity.WARN)


@asset_check(
    asset=warehouse,
    description="Every input file is in `documents`, as ok, duplicate or rejected with a reason.",
)
def input_files_accounted(paths: PipelinePaths) -> AssetCheckResult:
    (docs,) = _frames(paths, "SELECT file_name, status, reason FROM documents")
    names = [p.name for p in list_inputs(paths.articles()).values()]
    return _result(quality.files_accounted(names, docs))


warehouse_checks = [
    evidence_spans_match,
    fact_values_plausible,
    mergers_agree_with_lineage,
    input_files_accounted,
]
