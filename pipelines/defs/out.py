"""Out layer: the published DuckDB warehouse and its SQL marts.

One unpartitioned asset reads every article's Parquet parts plus the gazetteer copies and builds a
new DuckDB file that replaces the old one atomically (`pipelines.publish`). It runs in the
`duckdb_publish` pool, limited to one slot (`scripts/ui.sh` sets the limit on the instance), so
two runs never publish at once; `publish` also holds a file lock, so `make run` beside the UI is
safe too.

Marts convention (also in docs/contracts.md): every `warehouse/sql/out_*.sql` runs in name order,
in the same temporary file, after the core tables. A file holding one query (`SELECT`/`WITH`) becomes
`CREATE TABLE <stem> AS <query>`; a file starting with `CREATE` runs verbatim as its own DDL.
"""

import polars as pl
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines import publish as publisher
from pipelines.defs import work
from pipelines.defs.core import article_facts
from pipelines.defs.preview import md_table
from pipelines.defs.raw import articles, articles_partitions, raw_admin_units, raw_unit_lineage
from pipelines.defs.resources import PipelinePaths

PUBLISH_POOL = "duckdb_publish"


@asset(
    group_name="out",
    deps=[articles, article_facts, raw_admin_units, raw_unit_lineage],
    pool=PUBLISH_POOL,
    kinds={"duckdb"},
    description=(
        "The DuckDB warehouse (`documents`, `facts`, `mergers`, `people`, `subjects`, "
        "`admin_units`, `unit_lineage`, `meta`, the `rejected_files` view and the `out_*` marts), "
        "rebuilt from all article parts into a new file and swapped in with `os.replace`: readers "
        "open it read-only and never block a publish; a failed publish keeps the old file."
    ),
)
def warehouse(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    keys = set(context.instance.get_dynamic_partitions(articles_partitions.name))
    removed = work.prune_parts(paths.parts(), keys)
    if removed:
        context.log.info(f"removed parts of deleted articles: {removed}")
    result = publisher.publish(
        paths.parts(),
        paths.warehouse(),
        gazetteer_dir=paths.gazetteer(),
        keys=keys,
        meta={"extractor_version": work.extractor_version(), "dagster_run_id": context.run_id},
    )
    with publisher.open_readonly(result.path) as con:
        # a preview: the first rows only (at 100,000 documents the whole table is 1 s of sorting)
        docs = con.sql(
            "SELECT file_name, status, language, n_facts, n_mergers, n_people, reason FROM documents"
            " ORDER BY file_name LIMIT 20"
        ).pl()
        by_metric = con.sql(
            "SELECT metric, count(*) AS n FROM facts GROUP BY metric ORDER BY n DESC, metric"
        ).pl()
    counts = pl.DataFrame({"table": list(result.counts), "rows": list(result.counts.values())})
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(result.path)),
            "dagster/row_count": result.counts.get("facts", 0),
            **{f"rows_{t}": n for t, n in result.counts.items()},
            "marts": MetadataValue.json(result.marts),
            "publish_seconds": round(result.seconds, 3),
            "publish_timings": MetadataValue.json(result.timings),
            "tables": MetadataValue.md(md_table(counts, max_rows=40)),
            "documents": MetadataValue.md(md_table(docs, max_rows=20)),
            "facts_by_metric": MetadataValue.md(md_table(by_metric, max_rows=25)),
        }
    )
