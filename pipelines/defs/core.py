"""Core layer: extraction and linking, per shard of articles, into immutable Parquet parts."""

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
        "Metric facts, mergers and people of every article in the shard, each with subject, "
        "value, qualifier and the evidence span (character offsets into the stored text); "
        "subjects linked to official units (`Gazetteer.link`) and mergers checked against the "
        "official lineage (`Gazetteer.lineage_check`). An article whose text and extractor "
        "version are unchanged keeps its rows; only new or changed articles are extracted. "
        "Writes `parts/<shard>/{facts,mergers,people,subjects,extraction}.parquet`, replacing "
        "them whole."
    ),
)
def article_facts(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    t0 = time.perf_counter()
    version = work.extractor_version()
    parts = paths.parts()
    shards = list(context.partition_keys)
    n_pending = sum(work.pending_extractions(s, parts, version) for s in shards)
    # every core (see work.map_shards); each process loads the gazetteer once, in extract_job
    stats = work.map_shards(work.extract_job, [(s, str(parts), version) for s in shards], n_pending)
    errors = [(s.shard, key, msg) for s in stats for key, msg in s.errors]
    for shard, key, msg in errors[:20]:
        context.log.warning(f"extraction failed for {key} ({shard}): {msg}")
    # a preview, not a copy: the first facts of the first shards that have some
    frames = []
    for s in stats:
        if s.n_facts and len(frames) < 2:
            df = work.read_part(parts, s.shard, "facts")
            if df is not None:
                frames.append(df.head(10))
    facts = (
        pl.concat(frames, how="vertical_relaxed")
        if frames
        else pl.DataFrame(schema=work.FACT_SCHEMA)
    )
    summary = pl.DataFrame(
        [{k: v for k, v in asdict(s).items() if k != "errors"} for s in stats[:10]]
    )
    return MaterializeResult(
        metadata={
            "n_shards": len(stats),
            "n_articles": sum(s.n_articles for s in stats),
            "n_extracted": sum(s.n_extracted for s in stats),
            "n_unchanged": sum(s.n_reused for s in stats),
            "n_facts": sum(s.n_facts for s in stats),
            "n_mergers": sum(s.n_mergers for s in stats),
            "n_people": sum(s.n_people for s in stats),
            "n_subjects": sum(s.n_subjects for s in stats),
            "n_subjects_linked": sum(s.n_linked for s in stats),
            "n_errors": len(errors),
            "extractor_version": version,
            "seconds": round(time.perf_counter() - t0, 3),
            "per_shard": MetadataValue.md(md_table(summary, max_rows=10)),
            "preview": MetadataValue.md(
                md_table(
                    facts.select(
                        "subject_name", "subject_level", "metric", "value", "qualifier", "evidence"
                    ).head(10),
                    width=50,
                    max_rows=10,
                )
            ),
        }
    )
