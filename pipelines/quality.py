"""Data-quality rules as plain functions over polars frames.

The Dagster asset checks in `defs/checks.py` read the published warehouse and call these; tests
feed them hand-made bad frames and watch them fail. Each returns a `Outcome`: passed or not,
a one-line description, metadata for the UI and the offending rows.

Thresholds (documented here because the checks' behaviour depends on them):
- evidence spans: zero tolerance, every fact / merger / person span must slice the stored text to
  exactly its evidence, and evidence must not be empty;
- values: counts >= 0 and integral; percentages (value and target) within 0..200, since attendance
  and plan fulfilment can exceed 100 ("104.55%"); VND > 0;
- lineage: among mergers whose new unit resolved, the check fails if any is `disagrees`
  (agreement below 100% of the decided ones); it is registered with WARN severity because a
  disagreement is more often an extraction error than bad data, and should not block a publish;
- files: every input file has a `documents` row, and every row whose status is not `ok`
  carries a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

PERCENT_MAX = 200.0
#: `Gazetteer.lineage_check` verdicts: 'agrees' | 'partly_agrees' | 'disagrees' | 'unresolved'.
#: Unresolved (or unchecked) mergers are not counted; 'partly_agrees' counts as decided, not agreeing.
UNDECIDED_LINEAGE = {None, "", "unresolved"}
AGREEING_LINEAGE = {"agrees"}
DISAGREEING_LINEAGE = {"disagrees"}


#: the columns of `evidence_spans` failures (always present, also when there are none)
SPAN_FAILURE_COLUMNS = ("kind", "id", "doc_id", "evidence", "problem")


@dataclass
class Outcome:
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)
    failures: pl.DataFrame = field(default_factory=pl.DataFrame)


def evidence_spans(spans: pl.DataFrame, documents: pl.DataFrame) -> Outcome:
    """Every span slices its document's text to exactly its evidence.

    `spans`: kind, id, doc_id, evidence, span_start, span_end (facts, mergers and people stacked).
    `documents`: doc_id, text.
    """
    texts = {
        r["doc_id"]: r["text"] for r in documents.select("doc_id", "text").iter_rows(named=True)
    }
    bad: list[dict[str, Any]] = []
    for r in spans.iter_rows(named=True):
        text = texts.get(r["doc_id"])
        s, e, ev = r["span_start"], r["span_end"], r["evidence"]
        if text is None:
            problem = "document missing"
        elif not ev:
            problem = "empty evidence"
        elif s is None or e is None or not (0 <= s <= e <= len(text)):
            problem = f"span {s}..{e} outside text of {len(text)} chars"
        elif text[s:e] != ev:
            problem = f"text[{s}:{e}] = {text[s:e][:60]!r}"
        else:
            continue
        bad.append(
            {
                "kind": r["kind"],
                "id": r["id"],
                "doc_id": r["doc_id"],
                "evidence": (ev or "")[:80],
                "problem": problem,
            }
        )
    n = spans.height
    return Outcome(
        passed=not bad,
        description=f"{n - len(bad)}/{n} evidence spans slice the stored text exactly",
        metadata={"n_spans": n, "n_bad": len(bad)},
        failures=pl.DataFrame(bad, schema=dict.fromkeys(SPAN_FAILURE_COLUMNS, pl.String), orient="row"),
    )


def value_plausibility(facts: pl.DataFrame) -> Outcome:
    """Counts non-negative integers, percentages in 0..200 (value and target), VND positive.

    Vectorized (one polars expression, not a Python loop): it runs on every publish, over every
    fact of the corpus."""
    v, t, unit = pl.col("value"), pl.col("target"), pl.col("unit")
    if "target" not in facts.columns:
        facts = facts.with_columns(pl.lit(None, pl.Float64).alias("target"))
    pct = pl.lit(PERCENT_MAX)
    problem = (
        pl.when(v.is_null())
        .then(pl.lit("missing value"))
        .when((unit == "count") & ((v < 0) | (v != v.floor())))
        .then(pl.format("count {} is not a non-negative integer", v))
        .when((unit == "percent") & ((v < 0) | (v > pct)))
        .then(pl.format("percentage {} outside 0..{}", v, pl.lit(f"{PERCENT_MAX:g}")))
        .when((unit == "percent") & t.is_not_null() & ((t < 0) | (t > pct)))
        .then(pl.format("target {} outside 0..{}", t, pl.lit(f"{PERCENT_MAX:g}")))
        .when((unit == "VND") & (v <= 0))
        .then(pl.format("VND amount {} not positive", v))
        .when(unit.is_null() | ~unit.is_in(["count", "percent", "VND"]))
        .then(pl.format("unknown unit '{}'", unit.fill_null("None")))
        .otherwise(None)
    )
    bad = (
        facts.with_columns(problem.alias("problem"))
        .filter(pl.col("problem").is_not_null())
        .select("fact_id", "metric", "value", "problem")
    )
    n = facts.height
    return Outcome(
        passed=bad.height == 0,
        description=f"{n - bad.height}/{n} fact values are plausible for their unit",
        metadata={"n_facts": n, "n_bad": bad.height},
        failures=bad if bad.height else pl.DataFrame(),
    )


def lineage_agreement(mergers: pl.DataFrame) -> Outcome:
    """Extracted mergers against the official lineage; fails on any `disagrees`."""
    statuses = mergers.get_column("lineage_status").to_list() if mergers.height else []
    counts: dict[str, int] = {}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    decided = [s for s in statuses if s not in UNDECIDED_LINEAGE]
    agree = sum(1 for s in decided if s in AGREEING_LINEAGE)
    disagree = [s for s in decided if s in DISAGREEING_LINEAGE]
    rate = agree / len(decided) if decided else None
    failures = (
        mergers.filter(pl.col("lineage_status").is_in(sorted(DISAGREEING_LINEAGE))).select(
            "merger_id", "new_unit_name", "new_unit_province", "predecessors", "lineage_official"
        )
        if mergers.height
        else pl.DataFrame()
    )
    desc = (
        f"{agree}/{len(decided)} resolved mergers agree with the official lineage"
        if decided
        else "no merger with a resolved new unit to compare"
    )
    return Outcome(
        passed=not disagree,
        description=desc,
        metadata={
            "n_mergers": len(statuses),
            "n_resolved": len(decided),
            "n_agree": agree,
            "n_disagree": len(disagree),
            "agreement_rate": rate if rate is not None else -1.0,
            "by_status": counts,
        },
        failures=failures,
    )


def files_accounted(input_files: Iterable[str], documents: pl.DataFrame) -> Outcome:
    """Every input file has a documents row; every non-ok row says why."""
    names = sorted(set(input_files))
    have = set(documents.get_column("file_name").to_list()) if documents.height else set()
    missing = [n for n in names if n not in have]
    no_reason = (
        documents.filter(
            (pl.col("status") != "ok") & (pl.col("reason").is_null() | (pl.col("reason") == ""))
        )
        .get_column("file_name")
        .to_list()
        if documents.height
        else []
    )
    rows = [{"file_name": n, "problem": "no row in documents"} for n in missing]
    rows += [{"file_name": n, "problem": "status is not ok but no reason given"} for n in no_reason]
    by_status = dict(documents.group_by("status").len().iter_rows()) if documents.height else {}
    return Outcome(
        passed=not rows,
        description=f"{len(names) - len(missing)}/{len(names)} input files accounted for",
        metadata={
            "n_input_files": len(names),
            "n_missing": len(missing),
            "n_without_reason": len(no_reason),
            "by_status": by_status,
        },
        failures=pl.DataFrame(rows, orient="row") if rows else pl.DataFrame(),
    )
