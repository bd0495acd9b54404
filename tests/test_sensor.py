"""articles_sensor over a temporary input folder: new, changed, unchanged and deleted files, and
the shards (partitions) they make run."""

from __future__ import annotations

import os
import shutil

import pytest
from dagster import DagsterInstance, SensorResult, build_sensor_context, materialize

from pipelines import settings
from pipelines.defs.inputs import partition_key_for, shard_for
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


def shard_of(name: str) -> str:
    return shard_for(partition_key_for(name))


def name_in(shard: str | None = None, *, not_in: set[str] = frozenset(), stem: str = "f") -> str:
    """A file name whose article lands in `shard` (or in none of `not_in`)."""
    for i in range(10_000):
        name = f"{stem}{i}.txt"
        s = shard_of(name)
        if (shard is None or s == shard) and s not in not_in:
            return name
    raise AssertionError("no such name")


def test_new_file_registers_its_shard_and_requests_its_run(env):
    folder, paths, instance = env
    first = tick(instance, paths)
    seed_shard = shard_of(SEED.name)
    assert partitions(instance) == {seed_shard}
    assert [r.partition_key for r in first.run_requests] == [seed_shard]

    # a new file in another shard: a new partition and a run of it only
    odd = "Bài mới (Lai Châu).txt"
    if shard_of(odd) == seed_shard:
        odd = name_in(not_in={seed_shard}, stem="Bài mới ")
    (folder / odd).write_text("Xã Pa U có 26 chi bộ.", encoding="utf-8")
    second = tick(instance, paths, first.cursor)
    new_shard = shard_of(odd)
    assert partition_key_for(odd).isascii()
    assert partitions(instance) == {seed_shard, new_shard}
    assert [r.partition_key for r in second.run_requests] == [new_shard]
    assert second.run_requests[0].run_key.startswith(f"{new_shard}:")

    # a new file in an existing shard: no new partition, that shard runs again
    same = name_in(seed_shard)
    (folder / same).write_text("Xã Pa U có 27 chi bộ.", encoding="utf-8")
    third = tick(instance, paths, second.cursor)
    assert partitions(instance) == {seed_shard, new_shard}
    assert [r.partition_key for r in third.run_requests] == [seed_shard]
    assert third.run_requests[0].run_key != first.run_requests[0].run_key


def test_unchanged_file_yields_no_run(env):
    _, paths, instance = env
    first = tick(instance, paths)
    again = tick(instance, paths, first.cursor)
    assert not again.run_requests
    assert again.skip_reason is not None


def test_changed_file_reruns_only_its_shard(env):
    folder, paths, instance = env
    other = name_in(not_in={shard_of(SEED.name)})
    shutil.copy(SEED, folder / other)
    first = tick(instance, paths)
    assert {r.partition_key for r in first.run_requests} == {shard_of(SEED.name), shard_of(other)}
    (folder / other).write_text("changed content", encoding="utf-8")
    second = tick(instance, paths, first.cursor)
    assert [r.partition_key for r in second.run_requests] == [shard_of(other)]
    old_key = next(r.run_key for r in first.run_requests if r.partition_key == shard_of(other))
    assert second.run_requests[0].run_key != old_key


def test_deleted_file_alone_in_its_shard_removes_the_partition_and_republishes(env):
    folder, paths, instance = env
    gone = name_in(not_in={shard_of(SEED.name)})
    shutil.copy(SEED, folder / gone)
    first = tick(instance, paths)
    assert shard_of(gone) in partitions(instance)
    (folder / gone).unlink()
    second = tick(instance, paths, first.cursor)
    assert partitions(instance) == {shard_of(SEED.name)}
    assert len(second.run_requests) == 1
    req = second.run_requests[0]
    assert req.partition_key is None and [k.to_user_string() for k in req.asset_selection] == [
        "warehouse"
    ]


def test_deleted_file_beside_others_reruns_its_shard(env):
    folder, paths, instance = env
    gone = name_in(shard_of(SEED.name))
    shutil.copy(SEED, folder / gone)
    first = tick(instance, paths)
    (folder / gone).unlink()
    second = tick(instance, paths, first.cursor)
    assert partitions(instance) == {shard_of(SEED.name)}
    assert [r.partition_key for r in second.run_requests] == [shard_of(SEED.name)]


def test_shard_already_built_is_not_rerun(env):
    """Parts built from the files' current bytes (e.g. by `make run`) mean nothing to do, even
    with no cursor; touching a file without changing it does not re-run it either."""
    folder, paths, instance = env
    from pipelines.definitions import pipeline_assets

    first = tick(instance, paths)
    (req,) = first.run_requests
    result = materialize(
        pipeline_assets,
        instance=instance,
        resources={"paths": paths},
        partition_key=req.partition_key,
    )
    assert result.success
    assert not tick(instance, paths).run_requests  # no cursor: the parts decide
    os.utime(folder / SEED.name)  # same bytes, new mtime
    assert not tick(instance, paths, first.cursor).run_requests
    (folder / SEED.name).write_text("Xã Pa U có 26 chi bộ.", encoding="utf-8")
    assert tick(instance, paths, first.cursor).run_requests
