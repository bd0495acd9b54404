"""The benchmarks run (not timed): the corpus builder is deterministic and carries ground truth the
extractor recovers, and `benchmarks.run` at a tiny size prints the expected table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run as bench
from benchmarks.corpus_builder import CorpusBuilder, read_truth, source_files
from pipelines.defs.inputs import list_inputs
from pipelines.textnorm import fold

N = 50


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[dict]]:
    out = tmp_path_factory.mktemp("bench")
    code = bench.main(["--sizes", str(N), "--no-e2e", "--peer-limit", "3", "--out", str(out)])
    assert code == 0
    table = (out / "results.md").read_text(encoding="utf-8")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, table, results


def test_builder_is_deterministic_and_prefix_stable() -> None:
    a, b = CorpusBuilder(seed=3), CorpusBuilder(seed=3)
    assert [x.text for x in a.iter_articles(5)] == [y.text for y in b.iter_articles(5)]
    assert a.article(7).text == b.article(7).text  # article i does not depend on N
    assert CorpusBuilder(seed=4).article(0).text != a.article(0).text
    names = [name for name, _ in a.iter_bytes(20)]
    assert len(set(names)) == 20


def test_builder_truth_sits_in_the_text() -> None:
    builder = CorpusBuilder()
    n_expected = 0
    for art in builder.iter_articles(40):
        assert art.expected, art.name  # every article carries at least one tracked fact
        for e in art.expected:
            n_expected += 1
            assert e.sentence in art.text
            assert e.subject_name == fold(e.subject_name)
            assert fold(e.subject_name).lower() in fold(e.sentence).lower()
    assert n_expected >= 40


def test_builder_works_from_the_seeds_alone(tmp_path: Path) -> None:
    builder = CorpusBuilder(seed=1, sources=source_files(include_devset=False))
    manifest = builder.write(tmp_path / "c", 12)
    assert manifest["n"] == 12
    files = list_inputs(tmp_path / "c")  # the pipeline's view: hidden truth/manifest are not inputs
    assert len(files) == 12
    assert len(read_truth(tmp_path / "c")) == manifest["n_expected_facts"] > 0
    again = builder.write(tmp_path / "c", 12)  # reused, not rebuilt
    assert again["seconds"] == manifest["seconds"]


def test_bench_table_has_the_expected_rows(tiny_run) -> None:
    _, table, results = tiny_run
    for row in (
        "extraction articles/s per core",
        "extraction MB/s",
        "builder truth recovered: party_members, languages with a pack",
        "peer: quantulum3 articles/s",
        "peer: speed ratio ours / quantulum3",
    ):
        assert f"| {row}" in table, row
    assert f"N={N:,}" in table
    assert ">= 500" in table
    assert "end to end" not in table  # --no-e2e
    (r,) = results
    assert r["extraction"]["articles"] == N
    assert r["extraction"]["n_errors"] == 0
    assert r["extraction"]["articles_per_s"] > 0
    assert r["peer"]["articles"] >= 1 and r["peer"]["ratio"] > 0


def test_extractor_recovers_the_builders_truth(tiny_run) -> None:
    _, _, results = tiny_run
    truth = results[0]["extraction"]["truth"]
    hit, total = truth["party_members_packed"]
    assert total >= N  # at least one tracked party_members fact per article in a packed language
    assert hit / total >= 0.8, (hit, total, truth["misses"][:5])


def test_quick_sizes() -> None:
    assert bench.QUICK_SIZES == (200, 1_000)
    assert bench.DEFAULT_SIZES == (1_000, 10_000, 100_000)
