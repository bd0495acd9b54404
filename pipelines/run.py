"""`python -m pipelines run`: the whole pipeline in one process, then a short summary.

Steps: sync the `articles` partitions of the Dagster instance (DAGSTER_HOME) with the files of
ARTICLES_DIR (add new, delete gone and their parts), execute the `materialize_all` job in-process
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
    added: list[str]
    removed: list[str]
    seconds: float
    checks: dict[str, bool]
    success: bool
    failed_steps: list[str]


def sync_partitions(
    instance: Any, articles_dir: Path, parts_dir: Path
) -> tuple[list[str], list[str], list[str]]:
    """Register a partition per input file, delete partitions (and parts) of deleted files."""
    from pipelines.defs import work
    from pipelines.defs.inputs import list_inputs
    from pipelines.defs.raw import articles_partitions

    name = articles_partitions.name
    files = list_inputs(articles_dir)
    registered = instance.get_dynamic_partitions(name)
    added = [k for k in files if k not in set(registered)]
    removed = [k for k in registered if k not in files]
    if added:
        instance.add_dynamic_partitions(name, added)
    for key in removed:
        instance.delete_dynamic_partition(name, key)
        work.delete_part(parts_dir, key)
    return list(files), added, removed


def materialize_all(instance: Any, keys: list[str], resources: dict[str, Any] | None = None) -> Any:
    """One in-process run of every asset and check over all `keys` (a single-run backfill)."""
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from pipelines.definitions import defs

    job = defs.resolve_job_def("materialize_all")
    tags = {"vn_party/launched_by": "python -m pipelines run"}
    quiet = {
        "loggers": {
            "console": {"config": {"log_level": os.environ.get("DAGSTER_LOG_LEVEL", "WARNING")}}
        }
    }
    if keys:
        # dynamic partitions are ordered by registration; the range first..last covers exactly `keys`
        # because sync_partitions() just made the registered set equal to the input files
        ordered = [k for k in instance.get_dynamic_partitions("articles") if k in set(keys)]
        tags |= {
            ASSET_PARTITION_RANGE_START_TAG: ordered[0],
            ASSET_PARTITION_RANGE_END_TAG: ordered[-1],
        }
        return job.execute_in_process(
            run_config=quiet,
            instance=instance,
            tags=tags,
            resources=resources,
            raise_on_error=False,
        )
    # no articles: publish an empty warehouse (gazetteer only)
    return job.execute_in_process(
        run_config=quiet,
        instance=instance,
        tags=tags,
        resources=resources,
        raise_on_error=False,
        asset_selection=[_key("raw_admin_units"), _key("raw_unit_lineage"), _key("warehouse")],
    )


def _key(name: str) -> Any:
    from dagster import AssetKey

    return AssetKey(name)


def run(instance: Any | None = None) -> RunOutcome:
    from dagster import DagsterInstance

    t0 = time.perf_counter()
    if instance is None:
        home = settings.dagster_home()
        home.mkdir(parents=True, exist_ok=True)
        if not (home / "dagster.yaml").exists():  # a fresh home: keep telemetry off, as in ours
            (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        os.environ["DAGSTER_HOME"] = str(home)
        instance = DagsterInstance.get()
    keys, added, removed = sync_partitions(instance, settings.articles_dir(), settings.parts_dir())
    result = materialize_all(instance, keys)
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    return RunOutcome(
        warehouse=settings.warehouse_path(),
        partitions=keys,
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
        mergers = q(
            "SELECT new_unit_name, coalesce(new_unit_province, '?'), predecessors, coalesce(lineage_status, '-')"
            " FROM mergers ORDER BY new_unit_name"
        )
        lines.append(f"mergers: {len(mergers)}")
        for name, prov, preds, status in mergers[:15]:
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
        rejected = q("SELECT file_name, status, reason FROM rejected_files ORDER BY file_name")
        lines.append(f"files not extracted: {len(rejected)}")
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
    parser.parse_args(argv)
    print(f"articles: {settings.articles_dir()}")
    outcome = run()
    if outcome.added or outcome.removed:
        print(
            f"partitions: +{len(outcome.added)} new, -{len(outcome.removed)} deleted, {len(outcome.partitions)} total"
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
