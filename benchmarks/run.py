"""`python -m benchmarks.run`: extraction throughput, end-to-end materialization, the one-new-article
update and a peer comparison, on synthetic corpora of N articles; prints a Markdown table (also
written to `benchmarks/out/results.md`, with the raw figures in `results.json`).

For each N (`--sizes 1000,10000,100000`, the default; `--quick` is 200,1000):

1. build (or reuse) `benchmarks/out/corpus_<N>/` with `benchmarks.corpus_builder`;
2. extraction, single process: `read_bytes` + `extract_document` over the first
   min(N, --extract-limit) files, after one warm-up article (lingua, gazetteer, packs load once;
   that cold start is reported on its own). Articles/s of wall time in one process = per core.
   The builder's tracked facts are scored on the same articles;
3. peer: quantulum3 `parser.parse(text)` over the English articles among them (at most
   --peer-limit), and our `read_bytes` + `extract_document` over the same articles; the ratio is
   ours / quantulum3 in articles per second;
4. end to end, first full load: `python -m pipelines run --no-reports` in a child process with
   ARTICLES_DIR = the corpus and a fresh WAREHOUSE_PATH and DAGSTER_HOME (so every article is
   new); wall time, CPU time of the child and its reaped workers (the per-article steps spawn one
   worker per core), peak RSS (`os.wait4` ru_maxrss = the largest single process; psutil sampling
   of the whole process tree = the sum over the child and its workers), the Dagster runs' own
   duration and per-step times from the instance's run stats, the "extracted: K of N" line of its
   stdout, warehouse and parts sizes;
5. reports layer (skip with --no-reports-run): `python -m pipelines run` (with reports) right after
   the load; nothing is new, so it extracts nothing and only publishes + builds the review site and
   notebooks. Timed the same way;
6. one new article: one more synthetic file is added and `python -m pipelines run --no-reports`
   re-runs (incremental); we report the wall time, "extracted: K of N" from its stdout (cross-checked
   by the extraction rows written since), and the Dagster run duration (RUN_START -> end of the runs
   the command launched, i.e. the time beyond Dagster's run start). Then a second new file is
   materialized the way the sensor does it (one run for that one partition: articles,
   article_facts, warehouse and its checks) and timed the same way.

A child that runs past --timeout seconds is killed with its whole process group (workers
included); the table then says how far it got.

When others edit the checkout while it runs, use --snapshot: the extractor version is a digest of
the extractor's source, so an edit mid-run makes the "incremental" runs re-extract everything.
--snapshot extracts `git archive HEAD` (plus this benchmarks/ folder from the working tree) into a
temporary folder and runs the benchmark from there; the table shows the code benchmarked and the
extractor version at the start and end of each size.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import OUT_DIR
from benchmarks.corpus_builder import CorpusBuilder, ExpectedFact, read_truth
from pipelines import settings

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (200, 1_000)
TARGET_EXTRACT_RATE = 500.0  # articles/s per core
TARGET_E2E_SECONDS = 600.0  # 100,000 articles end to end, 2 cores
TARGET_E2E_N = 100_000
TARGET_PEAK_BYTES = 4 * 1024**3
TARGET_UPDATE_SECONDS = 5.0  # beyond Dagster's run start


# ----------------------------------------------------------------------------- results


@dataclass
class SizeResult:
    n: int
    corpus: dict[str, Any] = field(default_factory=dict)
    extraction: dict[str, Any] = field(default_factory=dict)
    peer: dict[str, Any] = field(default_factory=dict)
    e2e: dict[str, Any] = field(default_factory=dict)
    update: dict[str, Any] = field(default_factory=dict)
    update_single: dict[str, Any] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # command, machine, load averages, times


# ----------------------------------------------------------------------------- corpus


def corpus_dir(n: int, out_dir: Path = OUT_DIR) -> Path:
    return out_dir / f"corpus_{n}"


def build_corpus(n: int, out_dir: Path = OUT_DIR, seed: int = 0, builder: CorpusBuilder | None = None) -> tuple[Path, dict]:
    builder = builder or CorpusBuilder(seed)
    folder = corpus_dir(n, out_dir)
    t0 = time.perf_counter()
    manifest = builder.write(folder, n)
    manifest = {**manifest, "wall_seconds": round(time.perf_counter() - t0, 2)}
    return folder, manifest


def article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("bench_") and p.is_file())


# ----------------------------------------------------------------------------- extraction


def _warm_up() -> float:
    from pipelines.corpus import read_bytes
    from pipelines.extract import extract_document, extract_text

    t0 = time.perf_counter()
    text = "The Party Committee of Pa Co commune (Hoa Binh) has 10 Party cells with 232 members.\n"
    extract_document(read_bytes(text.encode(), "warmup.txt"))
    for lang in settings.SUPPORTED_LANGUAGES:  # each language's pack compiles its patterns once
        extract_text(text, lang)
    return time.perf_counter() - t0


def score_truth(found: dict[str, set[tuple[str, str, float]]], truth: list[ExpectedFact]) -> dict[str, Any]:
    """Share of the builder's expected facts found with the right subject name and value."""
    from pipelines.extract.engine import get_pack
    from pipelines.textnorm import key

    packed = {lang for lang in {t.language for t in truth} if get_pack(lang).code == lang}
    tot: Counter[tuple[str, str]] = Counter()
    hit: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    for t in truth:
        if t.file_name not in found:
            continue
        k = (t.language, t.metric)
        tot[k] += 1
        if (key(t.subject_name), t.metric, t.value) in found[t.file_name]:
            hit[k] += 1
        elif len(misses) < 20:
            misses.append({"file": t.file_name, "metric": t.metric, "value": t.value, "sentence": t.sentence})

    def rate(metric: str, langs: set[str] | None) -> tuple[int, int]:
        keys = [k for k in tot if k[1] == metric and (langs is None or k[0] in langs)]
        return sum(hit[k] for k in keys), sum(tot[k] for k in keys)

    out: dict[str, Any] = {"languages_with_pack": sorted(packed)}
    for metric in ("party_members", "party_cells"):
        h, n = rate(metric, packed)
        out[f"{metric}_packed"] = (h, n)
        h, n = rate(metric, None)
        out[f"{metric}_all"] = (h, n)
    out["by_language"] = {
        f"{lang}/{metric}": (hit[(lang, metric)], tot[(lang, metric)]) for lang, metric in sorted(tot)
    }
    out["misses"] = misses
    return out


def bench_extraction(files: list[Path], truth: list[ExpectedFact] | None = None) -> dict[str, Any]:
    """Single-process read_bytes + extract_document over `files` (bytes loaded before timing)."""
    from pipelines.corpus import read_bytes
    from pipelines.extract import extract_document
    from pipelines.textnorm import key

    cold = _warm_up()
    blobs = [(p.name, p.read_bytes()) for p in files]
    n_bytes = sum(len(b) for _, b in blobs)
    found: dict[str, set[tuple[str, str, float]]] = {}
    langs: Counter[str] = Counter()
    status: Counter[str] = Counter()
    errors: list[str] = []
    english: list[tuple[str, bytes]] = []
    per_article: list[float] = []
    n_facts = 0
    read_s = extract_s = 0.0  # the two halves: corpus reader (decode, clean, language), extractor
    cpu0, t0 = time.process_time(), time.perf_counter()
    for name, data in blobs:
        a = time.perf_counter()
        doc = read_bytes(data, name)
        b = time.perf_counter()
        read_s += b - a
        status[doc.status] += 1
        if doc.status == "ok":
            try:
                ex = extract_document(doc)
                extract_s += time.perf_counter() - b
            except Exception as e:  # the extractor must not raise; count it, keep going
                errors.append(f"{name}: {type(e).__name__}: {e}")
                continue
            n_facts += len(ex.metrics)
            found[name] = {(key(f.subject.name), f.metric, f.value) for f in ex.metrics}
            langs[doc.language or "?"] += 1
            if doc.language == "en":
                english.append((name, data))
        per_article.append(time.perf_counter() - a)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    result = {
        "articles": len(blobs),
        "bytes": n_bytes,
        "seconds": wall,
        "cpu_seconds": cpu,
        "articles_per_s": len(blobs) / wall if wall else 0.0,
        "articles_per_cpu_s": len(blobs) / cpu if cpu else 0.0,
        "read_articles_per_s": len(blobs) / read_s if read_s else 0.0,
        "extract_articles_per_s": status.get("ok", 0) / extract_s if extract_s else 0.0,
        "mb_per_s": n_bytes / 1e6 / wall if wall else 0.0,
        "ms_median": statistics.median(per_article) * 1e3 if per_article else 0.0,
        "ms_p99": (sorted(per_article)[int(0.99 * (len(per_article) - 1))] * 1e3) if per_article else 0.0,
        "cold_start_s": cold,
        "facts": n_facts,
        "status": dict(status),
        "languages": dict(sorted(langs.items())),
        "errors": errors[:10],
        "n_errors": len(errors),
        "english_files": [n for n, _ in english],
    }
    if truth is not None:
        result["truth"] = score_truth(found, truth)
    return result


def bench_peer(files: list[Path], limit: int = 300) -> dict[str, Any]:
    """quantulum3 vs our extractor on the same English articles (articles per second)."""
    import warnings

    from pipelines.corpus import read_bytes
    from pipelines.extract import extract_document

    blobs = [(p.name, p.read_bytes()) for p in files[:limit]]
    if not blobs:
        return {"articles": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        texts = [read_bytes(b, n).text for n, b in blobs]
        t0 = time.perf_counter()
        parser.parse(texts[0])  # loads its unit tables
        peer_cold = time.perf_counter() - t0
        n_quantities = 0
        t0 = time.perf_counter()
        for text in texts:
            n_quantities += len(parser.parse(text))
        peer_s = time.perf_counter() - t0
    _warm_up()
    n_facts = 0
    t0 = time.perf_counter()
    for name, data in blobs:
        n_facts += len(extract_document(read_bytes(data, name)).metrics)
    ours_s = time.perf_counter() - t0
    peer_rate, ours_rate = len(blobs) / peer_s, len(blobs) / ours_s
    return {
        "articles": len(blobs),
        "bytes": sum(len(b) for _, b in blobs),
        "peer": "quantulum3 " + _version("quantulum3"),
        "peer_seconds": peer_s,
        "peer_cold_s": peer_cold,
        "peer_articles_per_s": peer_rate,
        "peer_quantities": n_quantities,
        "ours_seconds": ours_s,
        "ours_articles_per_s": ours_rate,
        "ours_facts": n_facts,
        "ratio": ours_rate / peer_rate,
    }


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


# ----------------------------------------------------------------------------- child processes


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        with contextlib.suppress(psutil.Error):
            total += q.memory_info().rss
    return total


def run_child(cmd: list[str], env: dict[str, str], log: Path, timeout: float) -> dict[str, Any]:
    """Run `cmd`, sampling its tree's RSS; returns wall/CPU seconds, peak RSS, exit code."""
    t0 = time.perf_counter()
    load0 = os.getloadavg()
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            cmd, env=env, cwd=settings.PROJECT_ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            peak_sampled, timed_out, status, ru, load_max = _watch(proc, t0, timeout)
        finally:
            _kill_group(proc.pid)  # workers left behind by a killed (or interrupted) child
        proc.returncode = os.waitstatus_to_exitcode(status) if not timed_out else -signal.SIGTERM
    wall = time.perf_counter() - t0
    out = {
        "wall_s": wall,
        "returncode": proc.returncode,
        "timed_out": timed_out,
        "peak_rss_sampled": peak_sampled,
        "log": str(log),
        "load_start": load0[0],
        "load_max": load_max,
    }
    if ru is not None:
        out["peak_rss_maxrss"] = ru.ru_maxrss * 1024  # KiB on Linux
        out["cpu_s"] = ru.ru_utime + ru.ru_stime
    return out


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _watch(proc: subprocess.Popen, t0: float, timeout: float) -> tuple[int, bool, int, Any, float]:
    """Wait for `proc`, sampling its tree's RSS and the load; kill its group after `timeout`."""
    peak_sampled, timed_out, status, ru = 0, False, 0, None
    load_max = os.getloadavg()[0]
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_sampled = max(peak_sampled, _tree_rss(proc.pid))
        if time.perf_counter() - t0 > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGTERM)
            for _ in range(50):
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.2)
            else:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, ru = os.wait4(proc.pid, 0)
            break
        load_max = max(load_max, os.getloadavg()[0])
        time.sleep(0.25)
    return peak_sampled, timed_out, status, ru, load_max


def _env(articles: Path, work: Path) -> dict[str, str]:
    home = work / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = dict(os.environ)
    env |= {
        "ARTICLES_DIR": str(articles),
        "WAREHOUSE_PATH": str(work / "warehouse" / "vn_party.duckdb"),
        "DAGSTER_HOME": str(home),
        "ARTICLES_SENSOR": "off",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PARTS_DIR", None)
    return env


def _dir_bytes(path: Path) -> tuple[int, int]:
    total, n = 0, 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
                n += 1
            except OSError:
                pass
    return total, n


def _parts_since(parts: Path, since: float, name: str = "extraction") -> tuple[int, int]:
    """(articles whose `name` row was written at/after `since`, articles with a row), over the
    shard folders: `extracted_at` of the extraction parts, `read_at` of the documents parts."""
    import datetime as dt

    import polars as pl

    column = "extracted_at" if name == "extraction" else "read_at"
    files = sorted(parts.glob(f"shard-*/{name}.parquet")) if parts.is_dir() else []
    if not files:
        return 0, 0
    stamps = pl.concat([pl.read_parquet(f, columns=[column]) for f in files])[column]
    cutoff = dt.datetime.fromtimestamp(since, dt.UTC).replace(tzinfo=None)
    return int((stamps >= cutoff).sum()), stamps.len()


def dagster_runs(home: Path) -> list[dict[str, Any]]:
    """Every run of the instance at `home`, oldest first, with its duration and per-step times."""
    from dagster import DagsterInstance

    instance = DagsterInstance.from_config(str(home))
    try:
        out = []
        for run in reversed(instance.get_runs()):
            stats = instance.get_run_stats(run.run_id)
            steps = {}
            for s in instance.get_run_step_stats(run.run_id):
                if s.start_time and s.end_time:
                    steps[s.step_key] = s.end_time - s.start_time
            dur = (stats.end_time - stats.start_time) if stats.start_time and stats.end_time else None
            out.append(
                {
                    "run_id": run.run_id,
                    "status": str(run.status.value),
                    "run_s": dur,
                    "start": stats.start_time,
                    "end": stats.end_time,
                    "steps": steps,
                }
            )
        return out
    finally:
        instance.dispose()


def runs_since(home: Path, since: float) -> dict[str, Any] | None:
    """The Dagster runs that started at/after `since` (epoch s), as one: `run_s` = first RUN_START
    -> last end, `runs`, statuses, per-step times summed over the runs."""
    runs = [r for r in dagster_runs(home) if r["start"] and r["start"] >= since - 1]
    if not runs:
        return None
    steps: Counter[str] = Counter()
    for r in runs:
        steps.update(r["steps"])
    ends = [r["end"] for r in runs if r["end"]]
    return {
        "runs": len(runs),
        "status": ", ".join(sorted({r["status"] for r in runs})),
        "run_s": (max(ends) - min(r["start"] for r in runs)) if len(ends) == len(runs) else None,
        "runs_s": [r["run_s"] for r in runs],
        "steps": dict(steps),
    }


def _dagster(home: Path, since: float) -> dict[str, Any] | None:
    try:
        return runs_since(home, since)
    except Exception as e:  # noqa: BLE001 - a half-written instance after a timeout
        return {"error": f"{type(e).__name__}: {e}"}


EXTRACTED_RE = re.compile(r"^extracted: (\d+) of (\d+) articles", re.M)


def parse_extracted(log: Path | str) -> tuple[int, int] | None:
    """(K, N) from the "extracted: K of N articles" line `python -m pipelines run` prints."""
    try:
        text = Path(log).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = EXTRACTED_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


CHECKS_RE = re.compile(r"^checks: (.*)$", re.M)


def parse_checks(log: Path | str) -> str | None:
    """The "checks: name ok, name FAILED" line `python -m pipelines run` prints."""
    try:
        m = CHECKS_RE.search(Path(log).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return m.group(1).strip() if m else None


def code_version() -> str:
    """The commit the benchmarked code is at (+ "dirty" when the tree differs), and where it is."""
    root = settings.PROJECT_ROOT
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        return f"{head}{' (dirty)' if dirty else ''} at {root}"
    except (OSError, subprocess.CalledProcessError):
        stamp = root / "SNAPSHOT"
        return (stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "?") + f" at {root}"


def extractor_source_version() -> str:
    """The extractor version the source on disk gives NOW (the pipeline computes it at import from
    the extractor's source): if it moves during a benchmark, incremental runs re-extract everything."""
    from pipelines.extract import engine

    return f"0.3.0+{engine._source_digest()}" if hasattr(engine, "_source_digest") else engine.EXTRACTOR_VERSION


def _log_tail(log: Path | str, n: int = 5) -> list[str]:
    try:
        return Path(log).read_text(encoding="utf-8", errors="replace").strip().splitlines()[-n:]
    except OSError:
        return []


LOAD_CMD = ("-m", "pipelines", "run", "--no-reports")
REPORTS_CMD = ("-m", "pipelines", "run")


def bench_e2e(articles: Path, work: Path, timeout: float) -> dict[str, Any]:
    """First full load into a fresh warehouse and instance: `python -m pipelines run --no-reports`."""
    env = _env(articles, work)
    since = time.time()
    res = run_child([sys.executable, *LOAD_CMD], env, work / "e2e.log", timeout)
    wh = Path(env["WAREHOUSE_PATH"])
    res["command"] = "python " + " ".join(LOAD_CMD)
    res["warehouse_bytes"] = wh.stat().st_size if wh.exists() else None
    res["parts_bytes"], res["parts_files"] = _dir_bytes(wh.parent / "parts")
    res["extracted"], _ = _parts_since(wh.parent / "parts", 0)
    res["read"], _ = _parts_since(wh.parent / "parts", 0, "documents")
    res["stdout_extracted"] = parse_extracted(res["log"])
    res["checks"] = parse_checks(res["log"])
    res["dagster"] = _dagster(Path(env["DAGSTER_HOME"]), since)
    if res["returncode"]:
        res["log_tail"] = _log_tail(res["log"])
    return res


def bench_reports(articles: Path, work: Path, timeout: float) -> dict[str, Any]:
    """`python -m pipelines run` (reports included) after the load: extracts nothing, publishes and
    builds the review site and notebooks; the time of the reports layer."""
    env = _env(articles, work)
    since = time.time()
    res = run_child([sys.executable, *REPORTS_CMD], env, work / "reports.log", timeout)
    res["command"] = "python " + " ".join(REPORTS_CMD)
    res["stdout_extracted"] = parse_extracted(res["log"])
    res["checks"] = parse_checks(res["log"])
    res["dagster"] = _dagster(Path(env["DAGSTER_HOME"]), since)
    if res["returncode"]:
        res["log_tail"] = _log_tail(res["log"])
    return res


def bench_update(articles: Path, work: Path, builder: CorpusBuilder, n: int, timeout: float) -> dict[str, Any]:
    """Add article N, re-run `python -m pipelines run --no-reports`; count what was re-extracted."""
    env = _env(articles, work)
    new = builder.article(n)
    path = articles / new.name
    path.write_bytes(new.data)
    try:
        since = time.time() - 0.01
        res = run_child([sys.executable, *LOAD_CMD], env, work / "update.log", timeout)
        res["command"] = "python " + " ".join(LOAD_CMD)
        parts = Path(env["WAREHOUSE_PATH"]).parent / "parts"
        res["extracted"], res["articles_total"] = _parts_since(parts, since)
        res["stdout_extracted"] = parse_extracted(res["log"])
        res["checks"] = parse_checks(res["log"])
        res["dagster"] = _dagster(Path(env["DAGSTER_HOME"]), since)
        if res["returncode"]:
            res["log_tail"] = _log_tail(res["log"])
        return res
    finally:
        path.unlink(missing_ok=True)


def bench_update_single(articles: Path, work: Path, builder: CorpusBuilder, n: int, timeout: float) -> dict[str, Any]:
    """Add article N+1 and materialize only its partition (what the sensor's run request does)."""
    env = _env(articles, work)
    new = builder.article(n + 1)
    path = articles / new.name
    path.write_bytes(new.data)
    try:
        since = time.time() - 0.01
        res = run_child(
            [sys.executable, "-m", "benchmarks.run", "--single-partition-child"], env, work / "update_single.log", timeout
        )
        parts = Path(env["WAREHOUSE_PATH"]).parent / "parts"
        res["extracted"], res["articles_total"] = _parts_since(parts, since)
        res["dagster"] = _dagster(Path(env["DAGSTER_HOME"]), since)
        with contextlib.suppress(ValueError, IndexError):
            res["child"] = json.loads((work / "update_single.log").read_text().strip().splitlines()[-1])
    finally:
        path.unlink(missing_ok=True)
    # leave the instance consistent with the folder for later runs: drop the partition again
    return res


def single_partition_child() -> int:
    """Child process: find the new file's shard and run that one partition, as the sensor does."""
    t0 = time.perf_counter()
    from dagster import AssetKey, DagsterInstance

    from pipelines.definitions import defs
    from pipelines.defs.inputs import list_inputs, shard_for
    from pipelines.run import staleness, sync_partitions

    t_import = time.perf_counter() - t0
    instance = DagsterInstance.get()
    files = list_inputs(settings.articles_dir())
    todo = staleness(files, settings.parts_dir())
    sync_partitions(instance, settings.articles_dir(), settings.parts_dir(), files)
    t_sync = time.perf_counter() - t0 - t_import
    if len(todo.articles) != 1:  # (the previous step's article is deleted again: not counted)
        print(json.dumps({"error": f"expected one new file, found {len(todo.articles)}"}))
        return 1
    shard = shard_for(todo.articles[0])
    job = defs.resolve_job_def("materialize_all")
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    t1 = time.perf_counter()
    result = job.execute_in_process(
        run_config=quiet,
        instance=instance,
        partition_key=shard,
        asset_selection=[AssetKey("articles"), AssetKey("article_facts"), AssetKey("warehouse")],
        raise_on_error=False,
        tags={"vn_party/launched_by": "benchmarks.run single partition"},
    )
    print(
        json.dumps(
            {
                "success": result.success,
                "import_s": t_import,
                "sync_s": t_sync,
                "execute_s": time.perf_counter() - t1,
                "checks": {e.check_name: e.passed for e in result.get_asset_check_evaluations()},
            }
        )
    )
    return 0 if result.success else 1


# ----------------------------------------------------------------------------- driver


def run_size(
    n: int,
    *,
    out_dir: Path,
    seed: int,
    extract_limit: int | None,
    peer_limit: int,
    e2e: bool,
    timeout: float,
    keep: bool,
    reports: bool = True,
    command: str = "",
    log=print,
) -> SizeResult:
    builder = CorpusBuilder(seed)
    res = SizeResult(n)
    res.meta = {
        "command": command,
        "machine": machine_line(with_load=False),
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "load_start": os.getloadavg(),
        "workers": os.environ.get("VN_PARTY_WORKERS") or f"{os.cpu_count()} (default: every core)",
        "code": code_version(),
        "extractor_version": extractor_source_version(),
    }
    log(f"[N={n:,}] building corpus ...")
    folder, res.corpus = build_corpus(n, out_dir, seed, builder)
    files = article_files(folder)
    sample = files if not extract_limit else files[:extract_limit]
    log(f"[N={n:,}] corpus {len(files):,} files, {res.corpus['n_bytes'] / 1e6:.1f} MB; extracting {len(sample):,} ...")
    truth = read_truth(folder)
    res.extraction = bench_extraction(sample, truth)
    log(f"[N={n:,}] extraction {res.extraction['articles_per_s']:.1f} articles/s; peer ...")
    english = [folder / name for name in res.extraction.pop("english_files")]
    res.peer = bench_peer(english, peer_limit)
    if e2e:
        work = Path(tempfile.mkdtemp(prefix=f"work_{n}_", dir=out_dir))
        try:
            log(f"[N={n:,}] end to end: python -m pipelines run --no-reports (work dir {work}) ...")
            res.e2e = bench_e2e(folder, work, timeout)
            log(f"[N={n:,}] end to end {res.e2e['wall_s']:.1f}s rc={res.e2e['returncode']}")
            if res.e2e["returncode"] == 0 and reports:
                log(f"[N={n:,}] reports layer: python -m pipelines run (with reports) ...")
                res.reports = bench_reports(folder, work, timeout)
                log(f"[N={n:,}] reports {res.reports['wall_s']:.1f}s rc={res.reports['returncode']}")
            if res.e2e["returncode"] == 0:
                log(f"[N={n:,}] one new article: python -m pipelines run --no-reports again ...")
                res.update = bench_update(folder, work, builder, n, timeout)
                log(f"[N={n:,}] update {res.update['wall_s']:.1f}s, re-extracted {res.update['extracted']}")
                log(f"[N={n:,}] one new article: single-partition run ...")
                res.update_single = bench_update_single(folder, work, builder, n, timeout)
                log(f"[N={n:,}] single-partition update {res.update_single['wall_s']:.1f}s")
        finally:
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
    res.meta["finished"] = time.strftime("%Y-%m-%d %H:%M")
    res.meta["extractor_version_end"] = extractor_source_version()
    res.meta["load_end"] = os.getloadavg()
    return res


# ----------------------------------------------------------------------------- table


def _fmt_n(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def _mb(b: float | None) -> str:
    return "-" if b is None else (f"{b / 1024**3:.2f} GiB" if b >= 1024**3 else f"{b / 1024**2:,.0f} MiB")


def _secs(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:,.1f} s" if s < 120 else f"{s:,.0f} s ({s / 60:.1f} min)"


def _frac(pair: tuple[int, int] | None) -> str:
    if not pair or not pair[1]:
        return "-"
    h, n = pair
    return f"{h:,}/{n:,} ({h / n:.0%})"


def _e2e_cell(e: dict) -> str:
    if not e:
        return "not run"
    s = _secs(e["wall_s"])
    if e.get("timed_out"):
        return f"killed at {s} ({e.get('read', 0):,} articles read, {e.get('extracted', 0):,} extracted by then)"
    if e.get("returncode"):
        how = "stopped by signal" if e["returncode"] < 0 else "FAILED"
        failed = [ln.split("run FAILED at ", 1)[1].split(":")[0] for ln in e.get("log_tail", []) if "run FAILED at " in ln]
        if failed:
            return f"{how} (rc={e['returncode']}) at {s}, failed step {failed[0]}"
        if "read" not in e:
            return f"{how} (rc={e['returncode']}) at {s}"
        return f"{how} (rc={e['returncode']}) at {s}: {e.get('read', 0):,} articles read, {e.get('extracted', 0):,} extracted by then"
    return s


def rows_for(results: list[SizeResult]) -> list[tuple[str, str, list[str], str]]:
    """(measure, target, one cell per size, verdict) rows of the table."""
    rows: list[tuple[str, str, list[str], str]] = []

    def add(measure: str, target: str, cells: list[str], verdict: str = "") -> None:
        rows.append((measure, target, cells, verdict))

    R = results
    if any(r.meta for r in R):
        add("run: started - finished", "", [f"{r.meta.get('started', '?')} - {r.meta.get('finished', '?')}" if r.meta else "-" for r in R])
        add("run: command", "", [f"`{r.meta['command']}`" if r.meta.get("command") else "-" for r in R])
        add(
            "run: load average 1/5/15 min at start -> end (the cores are shared with other work)",
            "",
            [
                " -> ".join(", ".join(f"{x:.1f}" for x in r.meta[k]) for k in ("load_start", "load_end") if r.meta.get(k))
                if r.meta else "-"
                for r in R
            ],
        )
        add("run: worker processes per step (VN_PARTY_WORKERS)", "", [str(r.meta.get("workers", "-")) for r in R])
        add("run: code benchmarked", "", [str(r.meta.get("code", "-")) for r in R])
        add(
            "run: extractor version at start / end (must not move, or incremental runs re-extract all)",
            "same",
            [f"{r.meta.get('extractor_version', '-')} / {r.meta.get('extractor_version_end', '-')}" for r in R],
            "holds" if all(r.meta.get("extractor_version") == r.meta.get("extractor_version_end") for r in R if r.meta)
            else "MOVED: the source changed during the run",
        )
    add(
        "corpus (files, MB, mean KB/article)",
        "",
        [f"{r.corpus.get('n', 0):,}, {r.corpus.get('n_bytes', 0) / 1e6:,.1f} MB, "
         f"{r.corpus.get('n_bytes', 0) / max(1, r.corpus.get('n', 1)) / 1e3:.1f} KB" for r in R],
    )
    add("corpus languages", "", [", ".join(f"{k} {v:,}" for k, v in r.corpus.get("by_language", {}).items()) for r in R])
    add("extraction: articles measured", "", [f"{r.extraction.get('articles', 0):,}" for r in R])
    rates = [r.extraction.get("articles_per_s", 0.0) for r in R]
    add(
        "extraction articles/s per core (read_bytes + extract_document, 1 process)",
        ">= 500",
        [_fmt_n(x) for x in rates],
        ("holds" if rates and min(rates) >= TARGET_EXTRACT_RATE else f"misses (best {max(rates or [0]):.0f}/s, {max(rates or [0]) / TARGET_EXTRACT_RATE:.0%} of target)"),
    )
    add("extraction articles per CPU-second", "", [_fmt_n(r.extraction.get("articles_per_cpu_s")) for r in R])
    add(
        "  of which: extract_document alone / read_bytes alone (decode, clean, lingua), articles/s",
        "",
        [f"{_fmt_n(r.extraction.get('extract_articles_per_s'))} / {_fmt_n(r.extraction.get('read_articles_per_s'))}" for r in R],
    )
    add("extraction MB/s", "", [_fmt_n(r.extraction.get("mb_per_s"), 2) for r in R])
    add(
        "extraction ms/article median / p99",
        "",
        [f"{r.extraction.get('ms_median', 0):.1f} / {r.extraction.get('ms_p99', 0):.1f}" for r in R],
    )
    add("extraction cold start (first article: lingua, gazetteer, packs)", "", [_secs(r.extraction.get("cold_start_s")) for r in R])
    add("extraction errors (exceptions) / rejected", "0", [f"{r.extraction.get('n_errors', 0)} / {r.extraction.get('status', {}).get('rejected', 0)}" for r in R])
    add(
        "builder truth recovered: party_members, languages with a pack",
        ">= 80%",
        [_frac(r.extraction.get("truth", {}).get("party_members_packed")) for r in R],
    )
    add("builder truth recovered: party_members, all languages", "", [_frac(r.extraction.get("truth", {}).get("party_members_all")) for r in R])
    add("builder truth recovered: party_cells, languages with a pack", "", [_frac(r.extraction.get("truth", {}).get("party_cells_packed")) for r in R])
    add("peer: English articles compared", "", [f"{r.peer.get('articles', 0):,}" for r in R])
    add("peer: quantulum3 articles/s", "", [_fmt_n(r.peer.get("peer_articles_per_s")) for r in R])
    add("peer: ours on the same articles, articles/s", "", [_fmt_n(r.peer.get("ours_articles_per_s")) for r in R])
    add("peer: speed ratio ours / quantulum3", "", [_fmt_n(r.peer.get("ratio"), 2) + "x" if r.peer.get("ratio") else "-" for r in R])
    if any(r.e2e for r in R):
        e2e_rows(R, add)
    return rows


def _outside(d: dict) -> str:
    run_s = (d.get("dagster") or {}).get("run_s") if d else None
    return _secs(d["wall_s"] - run_s) if run_s else "-"


def _kn(pair: Any) -> str:
    return f"{pair[0]:,} of {pair[1]:,}" if pair else "-"


def _load_cell(d: dict) -> str:
    if not d or "load_start" not in d:
        return "-"
    return f"{d['load_start']:.1f} / {d.get('load_max', 0):.1f}"


def _steps_cell(d: dict, names: tuple[str, ...]) -> str:
    steps = (d.get("dagster") or {}).get("steps") or {}
    return " / ".join(_secs(steps.get(s)) for s in names) if d else "-"


def e2e_rows(R: list[SizeResult], add: Any) -> None:
    """Rows of the end-to-end part: first load, reports layer, one new article."""
    e2e_verdict = "not measured at 100,000"
    for r in R:
        if r.n == TARGET_E2E_N and r.e2e:
            ok = _completed(r.e2e) and r.e2e["wall_s"] <= TARGET_E2E_SECONDS
            e2e_verdict = "holds" if ok else "misses"
    proj = [r for r in R if _completed(r.e2e)]
    if proj and e2e_verdict == "not measured at 100,000":
        big = max(proj, key=lambda r: r.n)
        est = big.e2e["wall_s"] * TARGET_E2E_N / big.n
        e2e_verdict = f"not measured; linear projection from N={big.n:,}: {_secs(est)} -> {'holds' if est <= TARGET_E2E_SECONDS else 'misses'}"
    add(
        "end to end, first full load: `python -m pipelines run --no-reports`, wall",
        "100,000 in <= 10 min on 2 cores",
        [_e2e_cell(r.e2e) for r in R],
        e2e_verdict,
    )
    add("  articles extracted (its stdout: extracted K of N)", "", [_kn(r.e2e.get("stdout_extracted")) if r.e2e else "-" for r in R])
    add("  articles/s (N / wall)", "", [_fmt_n(r.n / r.e2e["wall_s"]) if _completed(r.e2e) else "-" for r in R])
    add(
        "  CPU s of the child + its workers (cores busy = CPU / wall)",
        "",
        [f"{r.e2e['cpu_s']:,.0f} s ({r.e2e['cpu_s'] / r.e2e['wall_s']:.2f})" if r.e2e.get("cpu_s") else "-" for r in R],
    )
    add("  load average (1 min) at its start / highest during it", "", [_load_cell(r.e2e) for r in R])
    add("  Dagster run (RUN_START -> end)", "", [_secs((r.e2e.get("dagster") or {}).get("run_s")) for r in R])
    add("  time outside the Dagster run (wall - run: imports, partition sync, hashing, summary)", "", [_outside(r.e2e) for r in R])
    steps_of = [((r.e2e.get("dagster") or {}).get("steps") or {}) for r in R]
    totals: Counter[str] = Counter()
    for st in steps_of:
        totals.update(st)
    for step, _ in totals.most_common():  # every step the runs had, slowest first
        add(f"    step {step}", "", [_secs(st.get(step)) for st in steps_of])
    peaks = [max(r.e2e.get("peak_rss_maxrss", 0), r.e2e.get("peak_rss_sampled", 0)) for r in R if r.e2e]
    mem_verdict = "-"
    for r in R:
        if r.n == TARGET_E2E_N and _completed(r.e2e):
            mem_verdict = "holds" if max(r.e2e.get("peak_rss_maxrss", 0), r.e2e.get("peak_rss_sampled", 0)) < TARGET_PEAK_BYTES else "misses"
    if mem_verdict == "-" and peaks:
        mem_verdict = f"not measured at 100,000 (largest run: {_mb(max(peaks))})"
    add(
        "  peak RSS, process tree (sum over the child and its workers, sampled every 0.25 s)",
        "< 4 GB at 100,000",
        [_mb(r.e2e.get("peak_rss_sampled")) if r.e2e else "-" for r in R],
        mem_verdict,
    )
    add("  peak RSS, largest single process (ru_maxrss)", "", [_mb(r.e2e.get("peak_rss_maxrss")) if r.e2e else "-" for r in R])
    add("  checks (its stdout)", "", [r.e2e.get("checks") or "-" if r.e2e else "-" for r in R])
    add("  warehouse file (DuckDB)", "", [_mb(r.e2e.get("warehouse_bytes")) if r.e2e else "-" for r in R])
    add(
        "  Parquet parts folder (files)",
        "",
        [f"{_mb(r.e2e.get('parts_bytes'))} ({r.e2e.get('parts_files', 0):,})" if r.e2e else "-" for r in R],
    )
    if any(r.reports for r in R):
        add(
            "reports layer: `python -m pipelines run` right after the load (extracts nothing), wall",
            "",
            [_e2e_cell(r.reports) if r.reports else "not run" for r in R],
        )
        add("  articles extracted (its stdout)", "0", [_kn(r.reports.get("stdout_extracted")) if r.reports else "-" for r in R])
        add(
            "  CPU s (cores busy)",
            "",
            [f"{r.reports['cpu_s']:,.0f} s ({r.reports['cpu_s'] / r.reports['wall_s']:.2f})" if r.reports.get("cpu_s") else "-" for r in R],
        )
        add("  peak RSS, process tree (sampled) / largest single process", "", [
            f"{_mb(r.reports.get('peak_rss_sampled'))} / {_mb(r.reports.get('peak_rss_maxrss'))}" if r.reports else "-" for r in R
        ])
        add("  Dagster run (RUN_START -> end)", "", [_secs((r.reports.get("dagster") or {}).get("run_s")) if r.reports else "-" for r in R])
        rsteps = [((r.reports.get("dagster") or {}).get("steps") or {}) for r in R]
        rtot: Counter[str] = Counter()
        for st in rsteps:
            rtot.update(st)
        for step, _ in rtot.most_common(6):
            add(f"    step {step}", "", [_secs(st.get(step)) for st in rsteps])
    def update_run_rows(attr: str) -> None:
        """The Dagster run and its steps of one of the two update paths (`update`, `update_single`)."""
        res = [getattr(r, attr) for r in R]
        add(
            "  Dagster run (RUN_START -> end)",
            "<= 5 s beyond run start",
            [_secs((u.get("dagster") or {}).get("run_s")) if u else "-" for u in res],
            _verdict_update([r for r in R if getattr(r, attr)], attr),
        )
        add(
            "    its steps: articles / article_facts / warehouse",
            "",
            [_steps_cell(u, ("articles", "article_facts", "warehouse")) for u in res],
        )

    upd = [r for r in R if r.update]
    add(
        "one new article: `python -m pipelines run --no-reports` again, wall",
        "",
        [_e2e_cell(r.update) if r.update else "-" for r in R],
    )
    add(
        "  articles extracted (its stdout: extracted K of N)",
        "1 of N+1",
        [_kn(r.update.get("stdout_extracted")) if r.update else "-" for r in R],
        "holds" if upd and all((r.update.get("stdout_extracted") or (None,))[0] == 1 for r in upd) else ("misses" if upd else "-"),
    )
    add(
        "  extraction rows written (cross-check)",
        "",
        [f"{r.update.get('extracted', 0):,} of {r.update.get('articles_total', 0):,}" if r.update else "-" for r in R],
    )
    update_run_rows("update")
    add("  time outside the Dagster run (wall - run: imports, partition sync, hashing, summary)", "", [_outside(r.update) for r in R])
    add("one new article, single-partition run (sensor path): wall", "", [_e2e_cell(r.update_single) if r.update_single else "-" for r in R])
    update_run_rows("update_single")
    add(
        "  extraction rows written",
        "1",
        [f"{r.update_single.get('extracted', 0):,}" if r.update_single else "-" for r in R],
    )


def _completed(e: dict) -> bool:
    return bool(e) and not e.get("timed_out") and not e.get("returncode")


def _verdict_update(rs: list[SizeResult], attr: str) -> str:
    if not rs:
        return "-"
    vals = [((getattr(r, attr).get("dagster") or {}).get("run_s"), r.n) for r in rs]
    if any(v is None for v, _ in vals):
        return "unknown"
    worst, n = max(vals)
    return ("holds" if worst <= TARGET_UPDATE_SECONDS else "misses") + f" (worst {worst:.1f} s at N={n:,})"


def render_table(results: list[SizeResult], header: str = "") -> str:
    rows = rows_for(results)
    cols = ["measure", "target", *[f"N={r.n:,}" for r in results], "target holds?"]
    lines = [header] if header else []
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for measure, target, cells, verdict in rows:
        lines.append("| " + " | ".join([measure, target, *cells, verdict]) + " |")
    return "\n".join(lines) + "\n"


def machine_line(with_load: bool = True) -> str:
    import platform

    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 1024**3:.0f} GiB RAM"
    except Exception:  # noqa: BLE001
        mem = "? RAM"
    line = f"{os.cpu_count()} cores, {mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    if with_load:
        line += ", load average (1/5/15 min) now " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return line + " (the cores are shared with other work)"


def run_from_snapshot(argv: list[str], out: Path, results: Path) -> int:
    """Re-run this command from a frozen copy of HEAD (see the module docstring)."""
    import tarfile

    root = settings.PROJECT_ROOT
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    top = Path(tempfile.mkdtemp(prefix=f"bench_snap_{head}_"))
    dest = top / root.name
    dest.mkdir()
    if (root.parent / "shared").is_dir():  # the corpus builder's devset sits beside the checkout
        (top / "shared").symlink_to(root.parent / "shared")
    try:
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=root, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        for f in (root / "benchmarks").glob("*.py"):
            shutil.copy2(f, dest / "benchmarks" / f.name)
        (dest / "SNAPSHOT").write_text(f"{head} (git archive of HEAD, benchmarks/ from the working tree)\n")
        args = [a for a in argv if a != "--snapshot"] + ["--out", str(out.resolve()), "--results", str(results.resolve())]
        env = os.environ | {"BENCHMARKS_COMMAND": "python -m benchmarks.run " + " ".join(argv)}
        return subprocess.run([sys.executable, "-m", "benchmarks.run", *args], cwd=dest, env=env).returncode
    finally:
        shutil.rmtree(top, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes (default 1000,10000,100000)")
    ap.add_argument("--quick", action="store_true", help="sizes 200,1000")
    ap.add_argument("--extract-limit", type=int, default=10_000, help="articles timed for extraction per size (0 = all)")
    ap.add_argument("--peer-limit", type=int, default=100, help="English articles compared with quantulum3")
    ap.add_argument("--no-e2e", action="store_true", help="extraction and peer only")
    ap.add_argument("--no-reports-run", action="store_true", help="skip the reports-layer run after the load")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds before a pipeline child is killed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--keep", action="store_true", help="keep the warehouse work folders")
    ap.add_argument("--results", type=Path, default=None, help="Markdown output (default OUT/results.md)")
    ap.add_argument("--single-partition-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--snapshot", action="store_true", help="run from a frozen copy of HEAD (others edit the checkout)")
    ap.add_argument("--render", type=Path, nargs="+", help="re-print the table of earlier results*.json files")
    args = ap.parse_args(argv)
    if args.render:
        loaded = [SizeResult(**d) for path in args.render for d in json.loads(path.read_text(encoding="utf-8"))]
        table = render_table(
            sorted(loaded, key=lambda r: r.n),
            f"Benchmarks (re-rendered from {', '.join(map(str, args.render))}; machine: {machine_line()})\n",
        )
        if args.results:
            args.results.write_text(table, encoding="utf-8")
        print(table)
        return 0
    if args.snapshot:
        argv = list(sys.argv[1:] if argv is None else argv)
        return run_from_snapshot(argv, args.out, args.results or args.out / "results.md")
    if args.single_partition_child:
        return single_partition_child()
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    args.out.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)

    results_md = args.results or args.out / "results.md"
    command = os.environ.get("BENCHMARKS_COMMAND") or "python -m benchmarks.run " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    results: list[SizeResult] = []
    t0 = time.perf_counter()
    for n in sizes:
        results.append(
            run_size(
                n,
                out_dir=args.out,
                seed=args.seed,
                extract_limit=args.extract_limit or None,
                peer_limit=args.peer_limit,
                e2e=not args.no_e2e,
                timeout=args.timeout,
                keep=args.keep,
                reports=not args.no_reports_run,
                command=command.strip(),
                log=log,
            )
        )
        # written after every size, so a long run that is stopped still leaves its figures
        header = (
            f"Benchmarks ({time.strftime('%Y-%m-%d %H:%M')}; {machine_line()})\n\n"
            f"Command: `{command.strip()}`; sizes done: {', '.join(f'{r.n:,}' for r in results)}; "
            f"total {_secs(time.perf_counter() - t0)}\n"
        )
        results_md.parent.mkdir(parents=True, exist_ok=True)
        results_md.with_suffix(".json").write_text(
            json.dumps([r.__dict__ for r in results], indent=1, default=str), encoding="utf-8"
        )
        table = render_table(results, header)
        results_md.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
