"""Raw layer: article files (one dynamic partition each) and the official gazetteer tables."""

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
from pipelines.defs.inputs import list_inputs
from pipelines.defs.preview import md_table
from pipelines.defs.resources import PipelinePaths

#: One partition per article file; keys come from `inputs.partition_key_for(file name)`.
articles_partitions = DynamicPartitionsDefinition(name="articles")


@asset(
    group_name="raw",
    partitions_def=articles_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    kinds={"python", "parquet"},
    description=(
        "Article files read by the corpus reader: decoded, boilerplate stripped, NFC-normalized "
        "text, language, source and date. One partition per file; unreadable files become "
        "`rejected` rows with a reason instead of disappearing. Writes "
        "`parts/<partition>/documents.parquet`."
    ),
)
def articles(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    # A single-run backfill hands this one run many keys; a normal run hands it one.
    files = list_inputs(paths.articles())
    parts = paths.parts()
    gone, jobs = [], []
    for key in context.partition_keys:
        path = files.get(key)
        if path is None:
            # deleted after the partition was requested: recorded as a rejected row (the corpus
            # reader says the file is gone); the sensor drops the partition on its next tick
            gone.append(key)
            path = paths.articles() / key
        jobs.append((str(path), key, str(parts)))
    rows = work.map_articles(work.read_key, jobs)
    if gone:
        context.log.warning(f"{len(gone)} partition(s) have no file any more: {gone[:10]}")
    df = (
        pl.DataFrame(rows, schema=work.DOCUMENT_SCHEMA)
        if rows
        else pl.DataFrame(schema=work.DOCUMENT_SCHEMA)
    )
    by_status = Counter(r["status"] for r in rows)
    by_language = Counter(r["language"] or "?" for r in rows if r["status"] == "ok")
    meta = {
        "n_files": len(rows),
        "n_missing_files": len(gone),
        "by_status": MetadataValue.json(dict(by_status)),
        "by_language": MetadataValue.json(dict(by_language)),
        "preview": MetadataValue.md(
            md_table(df.select("file_name", "status", "language", "n_chars", "title", "reason"))
        ),
    }
    if len(rows) == 1:  # the sensor compares this to decide whether a file changed
        meta["content_hash"] = rows[0]["content_hash"]
        meta["doc_id"] = rows[0]["doc_id"]
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
    counts = (
        df.group_by("era", "level").len().sort("era", "level")
        if "level" in df.columns
        else df.group_by("era").len()
    )
    n_2025_communes = (
        df.filter((pl.col("era") == "2025") & (pl.col("level") == "commune")).height
        if "level" in df.columns
        else None
    )
    return MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "n_2025_communes": n_2025_communes if n_2025_communes is not None else -1,
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
    by_rel = (
        df.group_by("relation").len().sort("relation")
        if "relation" in df.columns
        else pl.DataFrame()
    )
    return MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "by_relation": MetadataValue.md(md_table(by_rel, max_rows=10)),
            "preview": MetadataValue.md(md_table(df, max_rows=5, width=30)),
        }
    )
