"""articles_sensor over a temporary input folder: new, changed, unchanged and deleted files."""

from __future__ import annotations

import shutil

import pytest
from dagster import DagsterInstance, SensorResult, build_sensor_context

from pipelines import settings
from pipelines.defs.inputs import partition_key_for
from pipelines.defs.raw import articles_partitions
from pipelines.defs.resources import PipelinePaths
from pipelines.defs.sensors import articles_sensor

SEED = next((settings.PROJECT_ROOT / "seeds").glob("*.txt"))


@pytest.fixture
def env(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    paths = PipelinePaths(
        articles_dir=str(folder), warehouse_path=str(tmp_path / "wh" / "vn.duckdb")
    )
    with DagsterInstance.ephemeral() as instance:
        yield folder, paths, instance


def tick(instance, paths, cursor=None) -> SensorResult:
    ctx = build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths})
    result = articles_sensor(ctx)
    assert isinstance(result, SensorResult)
    # the daemon applies partition requests before launching; do the same here
    for req in result.dynamic_partitions_requests or []:
        if type(req).__name__ == "AddDynamicPartitionsRequest":
            instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
        else:
            for key in req.partition_keys:
                instance.delete_dynamic_partition(req.partitions_def_name, key)
    return result


def partitions(instance):
    return set(instance.get_dynamic_partitions(articles_partitions.name))


def test_new_file_registers_partition_and_requests_its_run(env):
    folder, paths, instance = env
    first = tick(instance, paths)
    assert partitions(instance) == {SEED.name}
    assert [r.partition_key for r in first.run_requests] == [SEED.name]

    (folder / "Bài mới (Lai Châu).txt").write_text("Xã Pa U có 26 chi bộ.", encoding="utf-8")
    second = tick(instance, paths, first.cursor)
    new_key = partition_key_for("Bài mới (Lai Châu).txt")
    assert new_key != "Bài mới (Lai Châu).txt" and new_key.isascii()
    assert partitions(instance) == {SEED.name, new_key}
    assert [r.partition_key for r in second.run_requests] == [new_key]
    assert second.run_requests[0].run_key.startswith(f"{new_key}:")


def test_unchanged_file_yields_no_run(env):
    _, paths, instance = env
    first = tick(instance, paths)
    again = tick(instance, paths, first.cursor)
    assert not again.run_requests
    assert again.skip_reason is not None


def test_changed_file_reruns_only_that_partition(env):
    folder, paths, instance = env
    shutil.copy(SEED, folder / "other.txt")
    first = tick(instance, paths)
    assert {r.partition_key for r in first.run_requests} == {SEED.name, "other.txt"}
    (folder / "other.txt").write_text("changed content", encoding="utf-8")
    second = tick(instance, paths, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["other.txt"]
    old_key = next(r.run_key for r in first.run_requests if r.partition_key == "other.txt")
    assert second.run_requests[0].run_key != old_key


def test_deleted_file_removes_partition_and_republishes(env):
    folder, paths, instance = env
    shutil.copy(SEED, folder / "gone.txt")
    first = tick(instance, paths)
    assert "gone.txt" in partitions(instance)
    (folder / "gone.txt").unlink()
    second = tick(instance, paths, first.cursor)
    assert partitions(instance) == {SEED.name}
    assert len(second.run_requests) == 1
    req = second.run_requests[0]
    assert req.partition_key is None and [k.to_user_string() for k in req.asset_selection] == [
        "warehouse"
    ]


def test_file_already_built_is_not_rerun(env, tmp_path):
    """Parts holding the file's current hash (e.g. from `make run`) mean nothing to do."""
    folder, paths, instance = env
    from pipelines.defs import work
    from pipelines.defs.inputs import file_sha256

    instance.add_dynamic_partitions(articles_partitions.name, [SEED.name])
    row = {c: None for c in work.DOCUMENT_SCHEMA} | {
        "content_hash": file_sha256(folder / SEED.name)
    }
    work.write_part(work.frame([row], work.DOCUMENT_SCHEMA), paths.parts() / SEED.name, "documents")
    work.write_part(work.frame([], work.EXTRACTION_SCHEMA), paths.parts() / SEED.name, "extraction")
    assert not tick(instance, paths).run_requests
