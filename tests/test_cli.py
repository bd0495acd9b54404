"""The command-line contracts of design.md: `extract FILE... --out DIR` and `evaluate DIR`."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_extract_writes_one_gold_format_file_per_article(tmp_path):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:2]
    res = _run("extract", *map(str, seeds), "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    for s in seeds:
        out = json.loads((tmp_path / f"{s.stem}.json").read_text(encoding="utf-8"))
        assert out["doc"] == s.name
        assert set(out) >= {"language", "source_url", "published", "metrics", "mergers", "people"}
        text_facts = out["metrics"]
        assert text_facts, "a seed article has metric facts"
        for f in text_facts:
            assert {"subject", "metric", "value", "qualifier", "target", "period", "evidence"} <= set(f)


def test_evaluate_prints_scores_per_kind_and_language():
    res = _run("evaluate", "seeds")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert any(line.startswith("ALL") and "metrics" in line for line in lines)
    assert any(line.startswith("pl ") for line in lines) and any(line.startswith("ms ") for line in lines)


def test_unknown_command_and_missing_folder_fail_clearly(tmp_path):
    assert _run("frobnicate").returncode == 2
    res = _run("evaluate", str(tmp_path / "nope"))
    assert res.returncode == 2 and "not a folder" in res.stderr
