"""The real thing: `make ui`'s script (dagster dev: webserver + daemon) on a free port, a
materialization launched through GraphQL, executed by the daemon, read back from DuckDB.

Everything temporary: DAGSTER_HOME, ARTICLES_DIR (a copy of the seeds), WAREHOUSE_PATH. The server
runs in its own session/process group and is always terminated in `finally` (SIGTERM to `dagster dev`,
SIGKILL to its group if anything lingers).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.definitions import pipeline_assets
from pipelines.defs.checks import warehouse_checks
from pipelines.defs.inputs import list_inputs, shards_of

ROOT = settings.PROJECT_ROOT
LOCATION = "pipelines.definitions"
STARTUP_TIMEOUT = 240  # compiling dagster without .pyc files is slow on this machine
RUN_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gql(port: int, query: str, variables: dict | None = None) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        body = json.load(resp)
    assert "errors" not in body, body
    return body["data"]


def wait_up(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + STARTUP_TIMEOUT
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster dev exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                pass
            data = gql(
                port,
                "{ repositoriesOrError { ... on RepositoryConnection { nodes { location { name } } } } }",
            )
            if data["repositoriesOrError"].get("nodes"):
                return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"dagster dev did not serve within {STARTUP_TIMEOUT}s:\n{log.read_text()[-3000:]}")


def group_alive(pgid: int) -> list[str]:
    """Live (non-zombie) processes of the group."""
    out = subprocess.run(
        ["ps", "-o", "pid=,stat=", "-g", str(pgid)], capture_output=True, text=True
    ).stdout
    return [
        line.split()[0]
        for line in out.splitlines()
        if line.split() and not line.split()[1].startswith("Z")
    ]


def stop(proc: subprocess.Popen) -> bool:
    """SIGTERM `dagster dev`; SIGKILL what is left of its group after 30 s. True if SIGTERM
    sufficed. Only the main process is signalled, as `kill <pid>` would: `dagster dev` then stops
    webserver, daemon and code server in order. (Signalling the whole group races with it: the
    code server exits first and `dagster dev` restarts it, and the orphan lingers until its
    heartbeat times out.)"""
    graceful = True
    try:
        os.kill(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.time() + 30
    while (proc.poll() is None or group_alive(proc.pid)) and time.time() < deadline:
        time.sleep(0.5)
    if group_alive(proc.pid):
        graceful = False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.time() + 10
    while group_alive(proc.pid) and time.time() < deadline:
        time.sleep(0.2)
    return graceful


ADD_PARTITION = """
mutation($repo: RepositorySelector!, $key: String!) {
  addDynamicPartition(repositorySelector: $repo, partitionsDefName: "articles", partitionKey: $key) {
    __typename ... on PythonError { message } ... on UnauthorizedError { message }
  }
}"""

LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""

RUN_STATUS = """
query($id: ID!) { runOrError(runId: $id) { ... on Run { status stepStats { stepKey status } } } }"""


def test_dagster_dev_materializes_the_seeds_through_graphql(tmp_path):
    home, articles, target = (
        tmp_path / "home",
        tmp_path / "articles",
        tmp_path / "wh" / "vn_party.duckdb",
    )
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    shutil.copytree(ROOT / "seeds", articles)
    for p in articles.iterdir():
        p.chmod(0o644)
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "ARTICLES_DIR": str(articles),
        "WAREHOUSE_PATH": str(target),
        "ARTICLES_SENSOR": "off",  # this test launches the run itself
        "PORT": str(port),
    }
    env.pop("PARTS_DIR", None)
    log = tmp_path / "dagster.log"
    t0 = time.time()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / "scripts" / "ui.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_up(port, proc, log)
        t_up = time.time() - t0
        repo = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
        keys = list(shards_of(list_inputs(articles)))
        for key in keys:
            res = gql(port, ADD_PARTITION, {"repo": repo, "key": key})
            assert res["addDynamicPartition"]["__typename"] == "AddDynamicPartitionSuccess", res
        params = {
            "selector": {  # the pipeline layers and their checks (reports are not needed here)
                **repo,
                "jobName": "__ASSET_JOB",
                "assetSelection": [{"path": [a.key.path[-1]]} for a in pipeline_assets],
                "assetCheckSelection": [
                    {"assetKey": {"path": ["warehouse"]}, "name": c.check_key.name}
                    for c in warehouse_checks
                ],
            },
            "executionMetadata": {
                "tags": [  # one run over all partitions: what a single-run backfill launches
                    {"key": "dagster/asset_partition_range_start", "value": keys[0]},
                    {"key": "dagster/asset_partition_range_end", "value": keys[-1]},
                ]
            },
        }
        launched = gql(port, LAUNCH, {"params": params})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        deadline, status = time.time() + RUN_TIMEOUT, None
        while time.time() < deadline:
            run = gql(port, RUN_STATUS, {"id": run_id})["runOrError"]
            status = run["status"]
            if status in ("SUCCESS", "FAILURE", "CANCELED"):
                break
            time.sleep(1)
        assert status == "SUCCESS", (run, log.read_text()[-3000:])
        steps = {s["stepKey"]: s["status"] for s in run["stepStats"]}
        assert (
            steps["warehouse"] == "SUCCESS"
            and steps["warehouse_input_files_accounted"] == "SUCCESS"
        )
        print(f"dagster dev up in {t_up:.1f}s; run done {time.time() - t0 - t_up:.1f}s later")
    finally:
        graceful = stop(proc)
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone() == (5,)
        assert con.execute(
            "SELECT count(*) FROM admin_units WHERE era = '2025' AND level = 'commune'"
        ).fetchone() == (3321,)
        assert con.execute("SELECT dagster_run_id FROM meta").fetchone() == (run_id,)
    assert not group_alive(proc.pid), "processes left in the server's group"
    assert graceful, "dagster dev ignored SIGTERM (see scripts/ui.sh)"
