"""Article keys and shards, unreadable and duplicate files, per-article re-extraction through Dagster."""

from __future__ import annotations

import shutil

import duckdb
import polars as pl
import pytest
from conftest import SEEDS, materialize_graph
from dagster import DagsterInstance, materialize

from pipelines.definitions import pipeline_assets as all_assets
from pipelines.defs.inputs import SHARDS, list_inputs, partition_key_for, shard_for, shards_of
from pipelines.defs.resources import PipelinePaths


@pytest.mark.parametrize(
    "name",
    [
        "000_0dc725d09b6e7b3a.txt",
        "Bài viết số 1.txt",
        "a b,c[1].txt",
        "..txt",
        "x" * 300 + ".txt",
        "Đắk Tô...html",
        "_gazetteer",
    ],
)
def test_partition_keys_are_safe_and_stable(name):
    key = partition_key_for(name)
    assert key == partition_key_for(name)
    assert key.isascii() and "/" not in key and "..." not in key and len(key) <= 100
    assert not key.startswith((".", "_"))  # "_gazetteer" beside the parts is never a key


def test_distinct_names_get_distinct_keys():
    names = ["Bài 1.txt", "Bai 1.txt", "bài 1.txt", "Bài_1.txt"]
    assert len({partition_key_for(n) for n in names}) == len(names)


def test_listing_skips_gold_and_hidden_files_but_keeps_odd_types(tmp_path):
    for name in ["a.txt", "a.gold.json", ".hidden.txt", "scan.pdf", "noext"]:
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in list_inputs(tmp_path).values()) == ["a.txt", "noext", "scan.pdf"]


@pytest.fixture(scope="module")
def odd_corpus(tmp_path_factory):
    """Two seeds, a copy of one under another name, a binary file and a PDF."""
    root = tmp_path_factory.mktemp("odd")
    articles = root / "in"
    articles.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    for s in seeds:
        shutil.copy(s, articles / s.name)
    shutil.copy(seeds[0], articles / "zz copy of first.txt")
    (articles / "broken.txt").write_bytes(bytes(range(256)) * 20)
    (articles / "scan.pdf").write_bytes(b"%PDF-1.4 Partai Komunis " * 10)
    run = materialize_graph(articles, root / "wh" / "vn.duckdb")
    return run, seeds


def test_rejected_and_duplicate_files_are_kept_with_reasons(odd_corpus):
    run, seeds = odd_corpus
    assert run.result.success
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        rows = {
            r[0]: r[1:]
            for r in con.execute("SELECT file_name, status, reason FROM documents").fetchall()
        }
        assert len(rows) == 5
        assert rows[seeds[0].name][0] == "ok" and rows[seeds[1].name][0] == "ok"
        assert rows["zz copy of first.txt"] == ("duplicate", f"same text as {seeds[0].name}")
        assert rows["broken.txt"][0] == "rejected" and rows["broken.txt"][1]
        assert rows["scan.pdf"][0] == "rejected" and rows["scan.pdf"][1]
        assert con.execute("SELECT count(*) FROM rejected_files").fetchone()[0] == 3
        dup_facts = con.execute("SELECT count(*) - count(DISTINCT fact_id) FROM facts").fetchone()[
            0
        ]
        assert dup_facts == 0
    checks = {e.check_name: e.passed for e in run.result.get_asset_check_evaluations()}
    assert checks["input_files_accounted"]


def _extracted_at(run) -> dict[str, object]:
    """article key -> when its extraction row was written, over every shard."""
    out = {}
    for part in run.parts_dir.glob("shard-*/extraction.parquet"):
        df = pl.read_parquet(part)
        out.update(zip(df["article_key"].to_list(), df["extracted_at"].to_list(), strict=True))
    return out


def test_changed_article_reextracts_only_that_article(odd_corpus):
    run, seeds = odd_corpus
    changed_key = partition_key_for("zz copy of first.txt")
    before = _extracted_at(run)
    assert set(before) == set(list_inputs(run.articles_dir))
    (run.articles_dir / "zz copy of first.txt").write_text(
        "Sel Parti kini mempunyai 22 ahli parti.", encoding="utf-8"
    )
    paths = PipelinePaths(articles_dir=str(run.articles_dir), warehouse_path=str(run.warehouse))
    result = materialize(
        all_assets,
        instance=run.instance,
        resources={"paths": paths},
        partition_key=shard_for(changed_key),
    )
    assert result.success
    after = _extracted_at(run)
    assert [k for k in before if before[k] != after[k]] == [changed_key]
    (mat,) = result.asset_materializations_for_node("article_facts")
    assert mat.metadata["n_extracted"].value == 1
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        status = con.execute(
            "SELECT status FROM documents WHERE file_name = 'zz copy of first.txt'"
        ).fetchone()
        assert status == ("ok",)  # no longer a duplicate: its own text now
        # the incremental publish redid the other copy's text too: it is no longer the original
        # of a duplicate, and its facts are still there once
        assert con.execute("SELECT count(*) - count(DISTINCT fact_id) FROM facts").fetchone() == (0,)
        assert con.execute("SELECT build FROM meta").fetchone() == ("incremental",)


def test_rerunning_an_unchanged_shard_extracts_nothing(odd_corpus):
    run, _ = odd_corpus
    shard = shard_for(partition_key_for("broken.txt"))
    paths = PipelinePaths(articles_dir=str(run.articles_dir), warehouse_path=str(run.warehouse))
    before = _extracted_at(run)
    result = materialize(
        all_assets[:1] + [a for a in all_assets if a.key.to_user_string() == "article_facts"],
        instance=run.instance,
        resources={"paths": paths},
        partition_key=shard,
        selection=["articles", "article_facts"],
    )
    assert result.success
    (raw_mat,) = result.asset_materializations_for_node("articles")
    assert raw_mat.metadata["n_files_read"].value == 0
    (mat,) = result.asset_materializations_for_node("article_facts")
    assert mat.metadata["n_extracted"].value == 0
    assert _extracted_at(run) == before


def test_deleted_file_drops_its_rows(odd_corpus):
    """What the sensor does for a deleted file: re-run its shard, or drop the shard if emptied."""
    run, _ = odd_corpus
    key = partition_key_for("scan.pdf")
    shard = shard_for(key)
    (run.articles_dir / "scan.pdf").unlink()
    paths = PipelinePaths(articles_dir=str(run.articles_dir), warehouse_path=str(run.warehouse))
    if shard in shards_of(list_inputs(run.articles_dir)):
        result = materialize(
            all_assets, instance=run.instance, resources={"paths": paths}, partition_key=shard
        )
    else:
        run.instance.delete_dynamic_partition("articles", shard)
        warehouse_only = [a for a in all_assets if a.key.to_user_string() == "warehouse"]
        result = materialize(warehouse_only, instance=run.instance, resources={"paths": paths})
        assert not (run.parts_dir / shard).exists()
    assert result.success
    assert key not in _extracted_at(run)
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        assert con.execute(
            "SELECT count(*) FROM documents WHERE file_name = 'scan.pdf'"
        ).fetchone() == (0,)


def test_shards_are_stable_and_bounded():
    keys = [partition_key_for(f"{i:05d}.txt") for i in range(5000)]
    shards = {shard_for(k) for k in keys}
    assert len(shards) == SHARDS  # 5,000 files fill every shard ...
    assert all(shard_for(k) == shard_for(k) for k in keys[:50])  # ... the same way each time
    assert all(s.startswith("shard-") and len(s) == len("shard-00") for s in shards)


def test_empty_instance_refuses_unregistered_partition(tmp_path):
    paths = PipelinePaths(articles_dir=str(SEEDS), warehouse_path=str(tmp_path / "vn.duckdb"))
    with pytest.raises(Exception, match="(?i)partition"):
        materialize(
            all_assets[:1],
            instance=DagsterInstance.ephemeral(),
            resources={"paths": paths},
            partition_key="shard-99",
        )


def test_parts_of_another_layout_are_extracted_again(tmp_path):
    """Parts written by a version of the code with other columns are not carried over (a crash
    or a silently wrong column otherwise): the shard's articles are extracted again."""
    from pipelines.defs import work
    from pipelines.gazetteer import Gazetteer

    arts = tmp_path / "in"
    arts.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, arts / seed.name)
    shard = shard_for(partition_key_for(seed.name))
    parts, version = tmp_path / "parts", work.extractor_version()
    work.read_shard(shard, [(partition_key_for(seed.name), str(arts / seed.name))], parts)
    first = work.extract_shard(shard, parts, Gazetteer.load(), version)
    assert first.n_extracted == 1 and first.n_facts > 0
    assert work.extract_shard(shard, parts, Gazetteer.load(), version).n_reused == 1
    facts = pl.read_parquet(parts / shard / "facts.parquet").drop("confidence")
    facts.write_parquet(parts / shard / "facts.parquet")  # an older layout, same version
    again = work.extract_shard(shard, parts, Gazetteer.load(), version)
    assert (again.n_extracted, again.n_reused, again.n_facts) == (1, 0, first.n_facts)
    assert "confidence" in pl.read_parquet(parts / shard / "facts.parquet").columns
