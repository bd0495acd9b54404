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


def test_parse_extracted_reads_the_run_summary(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("articles: /x\nextracted: 1 of 1,001 articles (unchanged files are skipped)\n".replace(",", ""))
    assert bench.parse_extracted(log) == (1, 1001)
    log.write_text("Traceback ...\n")
    assert bench.parse_extracted(log) is None
    assert bench.parse_extracted(tmp_path / "missing.log") is None


def test_table_renders_end_to_end_rows_from_recorded_figures() -> None:
    """The end-to-end part of the table from hand-made figures (no pipeline run)."""
    dag = {"run_s": 3.0, "runs": 1, "steps": {"articles": 0.5, "article_facts": 1.0, "warehouse": 1.5}}
    r = bench.SizeResult(
        1000,
        meta={"command": "python -m benchmarks.run", "load_start": (1.0, 1.0, 1.0), "load_end": (2.0, 2.0, 2.0)},
        e2e={"wall_s": 60.0, "returncode": 0, "timed_out": False, "cpu_s": 90.0, "peak_rss_sampled": 2**30,
             "peak_rss_maxrss": 2**29, "stdout_extracted": (1000, 1000), "dagster": dag},
        reports={"wall_s": 30.0, "returncode": 0, "stdout_extracted": (0, 1000), "dagster": dag},
        update={"wall_s": 10.0, "returncode": 0, "stdout_extracted": (1, 1001), "extracted": 1,
                "articles_total": 1001, "dagster": dag},
        update_single={"wall_s": 8.0, "returncode": 0, "extracted": 1, "dagster": dag},
    )
    table = bench.render_table([r])
    assert "`python -m pipelines run --no-reports`, wall" in table
    assert "| reports layer:" in table
    assert "1 of 1,001" in table
    assert "load average 1/5/15 min" in table
    timed_out = bench.SizeResult(100_000, e2e={"wall_s": 900.0, "returncode": -15, "timed_out": True, "read": 5, "extracted": 3})
    assert "killed at 900 s" in bench.render_table([timed_out])
