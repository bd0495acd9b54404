"""`python -m pipelines run`: the whole pipeline in one process, then a short summary.

Steps: sync the `articles` partitions (shards of the corpus, see `defs/inputs.py`) of the Dagster
instance (DAGSTER_HOME) with the files of ARTICLES_DIR (add new, delete emptied and their parts),
find the shards holding new, changed or deleted files, execute the `materialize_all` job in-process
as ONE run over all partitions (a single-run backfill: the partition range tags, so each
partitioned asset loops over `context.partition_keys` once), which publishes the warehouse and runs
the checks; then print what landed. The run is recorded in the instance, so `make ui` shows it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines import settings


@dataclass
class RunOutcome:
    warehouse: Path
    partitions: list[str]
    n_files: int
    extracted: int
    added: list[str]
    removed: list[str]
    seconds: float
    checks: dict[str, bool]
    success: bool
    failed_steps: list[str]


def sync_partitions(
    instance: Any, articles_dir: Path, parts_dir: Path, files: dict[str, Path] | None = None
) -> tuple[list[str], list[str], list[str]]:
    """Register a partition per shard that holds input files; delete the partitions (and parts)
    of shards left without files. Returns (shards, added, removed)."""
    from pipelines.defs import work
    from pipelines.defs.inputs import list_inputs, shards_of
    from pipelines.defs.raw import articles_partitions

    name = articles_partitions.name
    files = list_inputs(articles_dir) if files is None else files
    shards = list(shards_of(files))
    registered = instance.get_dynamic_partitions(name)
    known = set(registered)
    added = [k for k in shards if k not in known]
    removed = [k for k in registered if k not in set(shards)]
    if added:
        instance.add_dynamic_partitions(name, added)
    for key in removed:
        instance.delete_dynamic_partition(name, key)
        work.delete_part(parts_dir, key)
    return shards, added, removed


@dataclass
class Staleness:
    """What an incremental run must redo: the articles to read/extract and their shards."""

    articles: list[str]  # article keys: new files, changed bytes, other code versions, missing parts
    deleted: list[str]  # article keys whose parts remain but whose file is gone
    shards: list[str]  # shards holding any of the above


def staleness(files: dict[str, Path], parts_dir: Path) -> Staleness:
    """New files, files whose bytes changed (sha256), parts written by another reader or extractor
    version, and files deleted since: their shards re-run; every other shard is skipped, and
    inside a re-run shard the unchanged articles are carried over (`work.read_shard`)."""
    from pipelines.defs.inputs import file_sha256, shard_for
    from pipelines.defs.work import extractor_version, reader_version
    from pipelines.publish import stored_state

    stored = stored_state(parts_dir)
    versions = (reader_version(), extractor_version())
    stale = []
    for key, path in files.items():
        have = stored.get(key)
        if have is None or have[1:] != versions:
            stale.append(key)
            continue
        try:
            digest = file_sha256(path)
        except OSError:
            digest = None
        if digest != have[0]:
            stale.append(key)
    deleted = sorted(k for k in stored if k not in files)
    shards = sorted({shard_for(k) for k in stale} | {shard_for(k) for k in deleted})
    return Staleness(articles=stale, deleted=deleted, shards=shards)


def contiguous_ranges(ordered: list[str], wanted: set[str]) -> list[tuple[str, str]]:
    """Runs of `wanted` keys in registration order, as (first, last): one single-run backfill each."""
    ranges: list[tuple[str, str]] = []
    start = prev = None
    for k in ordered:
        if k in wanted:
            start = start or k
            prev = k
        elif start is not None:
            ranges.append((start, prev))
            start = None
    if start is not None:
        ranges.append((start, prev))
    return ranges


PARTITIONED = ("articles", "article_facts")
REPORTS = ("out_review_site", "out_notebook_provinces", "out_notebook_mergers", "out_notebook_corpus")


def materialize_all(
    instance: Any,
    keys: list[str],
    resources: dict[str, Any] | None = None,
    *,
    stale: list[str] | None = None,
    reports: bool = True,
    refresh_gazetteer: bool = False,
) -> Any:
    """Extract the `stale` partitions (shards; all `keys` when None) and publish, in as few runs as the
    partition order allows: each contiguous run of stale keys is one single-run backfill (the
    partition range tags, so each partitioned asset loops over `context.partition_keys` once);
    the last run also publishes the warehouse, runs the checks and (unless `reports` is False)
    the reports. With nothing stale, one run publishes (deletions, marts) without extracting.
    The two gazetteer assets are left out while their files were written by this very package
    and code version (`work.gazetteer_current`), unless `refresh_gazetteer`."""
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from pipelines.definitions import defs
    from pipelines.defs import work
    from pipelines.defs.resources import PipelinePaths

    job = defs.resolve_job_def("materialize_all")
    tags = {"vn_party/launched_by": "python -m pipelines run"}
    quiet = {
        "loggers": {
            "console": {"config": {"log_level": os.environ.get("DAGSTER_LOG_LEVEL", "WARNING")}}
        }
    }
    every = [k for k in job.asset_layer.executable_asset_keys]
    skip = set() if reports else {_key(n) for n in REPORTS}
    paths = (resources or {}).get("paths") or PipelinePaths()
    if not refresh_gazetteer and work.gazetteer_current(paths.gazetteer()):
        skip |= {_key(f"raw_{n}") for n in settings.GAZETTEER_TABLES}  # this very version wrote them
    publish_only = [k for k in every if k.path[-1] not in PARTITIONED and k not in skip]
    todo = set(keys if stale is None else stale) & set(keys)
    ranges = contiguous_ranges(instance.get_dynamic_partitions("articles"), todo)

    def execute(extra_tags: dict[str, str], selection: list[Any]) -> Any:
        return job.execute_in_process(
            run_config=quiet,
            instance=instance,
            tags=tags | extra_tags,
            resources=resources,
            raise_on_error=False,
            asset_selection=selection,
        )

    if not ranges:
        return execute({}, publish_only)
    for i, (first, last) in enumerate(ranges):
        final = i == len(ranges) - 1
        selection = [k for k in every if k not in skip] if final else [_key(n) for n in PARTITIONED]
        result = execute(
            {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}, selection
        )
        if not result.success:
            break
    return result


def _key(name: str) -> Any:
    from dagster import AssetKey

    return AssetKey(name)


def run(instance: Any | None = None, *, incremental: bool = True, reports: bool = True) -> RunOutcome:
    from dagster import DagsterInstance

    t0 = time.perf_counter()
    if instance is None:
        home = settings.dagster_home()
        home.mkdir(parents=True, exist_ok=True)
        if not (home / "dagster.yaml").exists():  # a fresh home: keep telemetry off, as in ours
            (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        os.environ["DAGSTER_HOME"] = str(home)
        instance = DagsterInstance.get()
    from pipelines.defs.inputs import list_inputs

    files = list_inputs(settings.articles_dir())  # listed once: partitions and staleness agree
    todo = staleness(files, settings.parts_dir()) if incremental else None
    keys, added, removed = sync_partitions(instance, settings.articles_dir(), settings.parts_dir(), files)
    result = materialize_all(
        instance,
        keys,
        stale=None if todo is None else todo.shards,
        reports=reports,
        refresh_gazetteer=not incremental,
    )
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    return RunOutcome(
        warehouse=settings.warehouse_path(),
        partitions=keys,
        n_files=len(files),
        extracted=len(files) if todo is None else len(todo.articles),
        added=added,
        removed=removed,
        seconds=time.perf_counter() - t0,
        checks=checks,
        success=result.success,
        failed_steps=[e.step_key for e in result.get_step_failure_events()],
    )


def summary(path: Path) -> str:
    """A few lines on what the warehouse holds (read-only)."""
    from pipelines.publish import open_readonly

    with open_readonly(path) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        lines = []
        by_status = dict(q("SELECT status, count(*) FROM documents GROUP BY 1 ORDER BY 1"))
        langs = q(
            "SELECT coalesce(language, '?'), count(*) FROM documents WHERE status = 'ok' GROUP BY 1 ORDER BY 2 DESC, 1"
        )
        lines.append(
            f"articles: {sum(by_status.values())} files, "
            + ", ".join(f"{n} {s}" for s, n in by_status.items())
            + ("; by language: " + ", ".join(f"{lang} {n}" for lang, n in langs) if langs else "")
        )
        n_facts = q("SELECT count(*) FROM facts")[0][0]
        lines.append(f"facts: {n_facts}")
        for metric, n in q("SELECT metric, count(*) FROM facts GROUP BY 1 ORDER BY 2 DESC, 1"):
            lines.append(f"  {metric:<40} {n}")
        n_mergers = q("SELECT count(*) FROM mergers")[0][0]
        mergers = q(
            "SELECT new_unit_name, coalesce(new_unit_province, '?'), predecessors, coalesce(lineage_status, '-')"
            " FROM mergers ORDER BY new_unit_name LIMIT 15"
        )
        lines.append(f"mergers: {n_mergers}" + (" (first 15 by name)" if n_mergers > 15 else ""))
        for name, prov, preds, status in mergers:
            lines.append(f"  {name} ({prov}) <- {', '.join(preds)}  [lineage: {status}]")
        n_people = q("SELECT count(*) FROM people")[0][0]
        roles = q("SELECT role, count(*) FROM people GROUP BY 1 ORDER BY 2 DESC, 1")
        lines.append(
            f"people: {n_people}"
            + (" (" + ", ".join(f"{r} {n}" for r, n in roles) + ")" if roles else "")
        )
        linked = q("SELECT count(*) FILTER (WHERE unit_code IS NOT NULL), count(*) FROM subjects")[
            0
        ]
        lines.append(f"subjects: {linked[1]} ({linked[0]} linked to an official unit)")
        n_rejected = q("SELECT count(*) FROM rejected_files")[0][0]
        rejected = q("SELECT file_name, status, reason FROM rejected_files ORDER BY file_name LIMIT 30")
        lines.append(
            f"files not extracted: {n_rejected}"
            + (" (first 30; all in the rejected_files view)" if n_rejected > 30 else "")
        )
        for name, status, reason in rejected:
            lines.append(f"  {name}: {status} - {reason}")
        marts = [
            r[0]
            for r in q(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'out\\_%' ESCAPE '\\' ORDER BY 1"
            )
        ]
        if marts:
            lines.append(f"marts: {', '.join(marts)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--full", action="store_true", help="re-extract every article, changed or not")
    parser.add_argument("--no-reports", action="store_true", help="skip the review site and notebooks")
    args = parser.parse_args(argv)
    print(f"articles: {settings.articles_dir()}")
    outcome = run(incremental=not args.full, reports=not args.no_reports)
    print(f"extracted: {outcome.extracted} of {outcome.n_files} articles (unchanged files are skipped)")
    if outcome.added or outcome.removed:
        print(
            f"shards (Dagster partitions): +{len(outcome.added)} new, -{len(outcome.removed)} emptied,"
            f" {len(outcome.partitions)} total"
        )
    if outcome.warehouse.exists():
        print(summary(outcome.warehouse))
    failed = [name for name, ok in outcome.checks.items() if not ok]
    print(
        "checks: "
        + ", ".join(f"{n} {'ok' if ok else 'FAILED'}" for n, ok in sorted(outcome.checks.items()))
    )
    for label, rel in (("review site", "review/index.html"), ("notebooks", "reports")):
        if (outcome.warehouse.parent / rel).exists():
            print(f"{label}: {outcome.warehouse.parent / rel}")
    print(f"warehouse: {outcome.warehouse}  ({outcome.seconds:.1f}s)")
    if not outcome.success:
        print(
            f"run FAILED at {outcome.failed_steps}: the run is in `make ui` (DAGSTER_HOME {settings.dagster_home()})",
            file=sys.stderr,
        )
        return 1
    if failed:
        print(
            f"checks failed: {failed} (the warehouse is published; see the check metadata)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
