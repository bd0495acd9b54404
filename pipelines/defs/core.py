"""Core layer: per-article extraction and linking into immutable Parquet parts."""

import time
from dataclasses import asdict

import polars as pl
from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from pipelines.defs import work
from pipelines.defs.preview import md_table
from pipelines.defs.raw import articles, articles_partitions, raw_admin_units, raw_unit_lineage
from pipelines.defs.resources import PipelinePaths


@asset(
    group_name="core",
    partitions_def=articles_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[articles, raw_admin_units, raw_unit_lineage],
    kinds={"python", "parquet"},
    description=(
        "Metric facts, mergers and people of one article, each with subject, value, qualifier and "
        "the evidence span (character offsets into the stored text); subjects linked to official "
        "units (`Gazetteer.link`) and mergers checked against the official lineage "
        "(`Gazetteer.lineage_check`). Writes `parts/<partition>/{facts,mergers,people,subjects,"
        "extraction}.parquet`, replacing them whole when the article changes."
    ),
)
def article_facts(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    t0 = time.perf_counter()
    version = work.extractor_version()
    parts = paths.parts()
    # every core (see work.map_articles); each process loads the gazetteer once, in extract_key
    stats = work.map_articles(work.extract_key, [(k, str(parts), version) for k in context.partition_keys])
    errors = [s for s in stats if s.error]
    for s in errors:
        context.log.warning(f"extraction failed for {s.key}: {s.error}")
    # a preview, not a copy: the first articles with facts (Dagster copies this metadata into
    # every partition's materialization, so it stays small however many articles ran)
    with_facts = [s.key for s in stats if s.n_facts][:5]
    frames = [df for k in with_facts if (df := work.read_part(parts, k, "facts")) is not None]
    facts = pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame(schema=work.FACT_SCHEMA)
    summary = pl.DataFrame([asdict(s) for s in stats[:10]]) if stats else pl.DataFrame()
    return MaterializeResult(
        metadata={
            "n_articles": len(stats),
            "n_facts": sum(s.n_facts for s in stats),
            "n_mergers": sum(s.n_mergers for s in stats),
            "n_people": sum(s.n_people for s in stats),
            "n_subjects": sum(s.n_subjects for s in stats),
            "n_subjects_linked": sum(s.n_linked for s in stats),
            "n_errors": len(errors),
            "extractor_version": version,
            "seconds": round(time.perf_counter() - t0, 3),
            "per_article": MetadataValue.md(
                md_table(summary.drop("doc_id") if summary.width else summary, max_rows=10)
            ),
            "preview": MetadataValue.md(
                md_table(
                    facts.select(
                        "subject_name", "subject_level", "metric", "value", "qualifier", "evidence"
                    ),
                    width=50,
                    max_rows=10,
                )
            ),
        }
    )
