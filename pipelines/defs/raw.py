"""Raw layer: article files (one dynamic partition per shard of files) and the official gazetteer tables."""

from collections import Counter

import polars as pl
from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    DynamicPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipelines.defs import work
from pipelines.defs.inputs import list_inputs, shards_of
from pipelines.defs.preview import md_table
from pipelines.defs.resources import PipelinePaths

#: One partition per shard of the corpus (`inputs.shard_for`): at most `inputs.SHARDS` of them.
articles_partitions = DynamicPartitionsDefinition(name="articles")


@asset(
    group_name="raw",
    partitions_def=articles_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    kinds={"python", "parquet"},
    description=(
        "Article files read by the corpus reader: decoded, boilerplate stripped, NFC-normalized "
        "text, language, source and date. Partitioned by shard (a hash of the file name, see "
        "`pipelines/defs/inputs.py`); a file whose bytes did not change since the last run keeps "
        "its row without being read. Unreadable files become `rejected` rows with a reason "
        "instead of disappearing. Writes `parts/<shard>/documents.parquet`."
    ),
)
def articles(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    # A single-run backfill hands this one run many shards; a sensor run hands it one.
    by_shard = shards_of(list_inputs(paths.articles()))
    jobs = []
    for shard in context.partition_keys:
        files = [(k, str(p)) for k, p in by_shard.get(shard, {}).items()]
        jobs.append((shard, files, str(paths.parts()), work.files_to_read(shard, files, paths.parts())))
    n_files = sum(len(job[1]) for job in jobs)
    stats = work.map_shards(work.read_job, jobs, sum(len(job[3]) for job in jobs))
    by_status: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    for s in stats:
        by_status.update(s.by_status)
        by_language.update(s.by_language)
    preview = pl.DataFrame(
        [r for s in stats for r in s.preview][:10],
        schema={c: work.DOCUMENT_SCHEMA[c] for c in work.PREVIEW_COLUMNS},
    )
    meta = {
        "n_shards": len(stats),
        "n_files": n_files,
        "n_files_read": sum(s.n_read for s in stats),
        "n_files_unchanged": sum(s.n_reused for s in stats),
        "by_status": MetadataValue.json(dict(by_status)),
        "by_language": MetadataValue.json(dict(by_language)),
        "preview": MetadataValue.md(md_table(preview)),
    }
    return MaterializeResult(metadata=meta)


@asset(
    group_name="raw",
    kinds={"python", "parquet"},
    description=(
        "Official administrative units from the `vietnamadminunits` package: the 2025 units "
        "(34 provinces, 3,321 communes and wards) and the legacy units (63 provinces, districts, "
        "10,040 wards), one table with an `era` column. Loaded once; the gazetteer changes only "
        "with the package version."
    ),
)
def raw_admin_units(paths: PipelinePaths) -> MaterializeResult:
    df = work.write_admin_units(paths.gazetteer())
    counts = df.group_by("era", "level").len().sort("era", "level")
    n_2025_communes = df.filter((pl.col("era") == "2025") & (pl.col("level") == "commune")).height
    return MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "n_2025_communes": n_2025_communes,
            "by_era_level": MetadataValue.md(md_table(counts, max_rows=20)),
            "preview": MetadataValue.md(md_table(df, max_rows=5, width=30)),
        }
    )


@asset(
    group_name="raw",
    kinds={"python", "parquet"},
    description=(
        "Official lineage from legacy units to 2025 units (many-to-many: unchanged, renamed, "
        "merged, split with a default new unit), from the package's converter mapping. Kept as a "
        "relation, not flattened, so a split commune maps to every unit it went into."
    ),
)
def raw_unit_lineage(paths: PipelinePaths) -> MaterializeResult:
    df = work.write_unit_lineage(paths.gazetteer())
    by_rel = df.group_by("relation").len().sort("relation")
    return MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "by_relation": MetadataValue.md(md_table(by_rel, max_rows=10)),
            "preview": MetadataValue.md(md_table(df, max_rows=5, width=30)),
        }
    )
