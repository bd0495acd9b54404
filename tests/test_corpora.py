"""Per-language example corpora: tests/corpora/<lang>.yaml.

Each case is an article in miniature with the facts it must yield (`expect`: metrics, mergers,
people, in the gold format of spec/facts.md) and the metrics it must not yield (`absent`).
Expected facts are matched with the scorer's own matchers, so a case passes exactly when the
evaluation would count its facts as found.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.evaluate import merger_match, metric_match, person_match
from pipelines.extract import extract_text

CORPORA = Path(__file__).parent / "corpora"


def _cases() -> list[pytest.param]:
    out = []
    for path in sorted(CORPORA.glob("*.yaml")):
        lang = path.stem
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            out.append(pytest.param(lang, case, id=f"{lang}-{i:02d}"))
    return out


def _metric(spec: dict) -> dict:
    subj = spec["subject"]
    return {
        "metric": spec["metric"],
        "value": spec["value"],
        "subject": {"name": subj["name"], "level": subj["level"], "province": subj.get("province")},
    }


def _show(pred: dict) -> str:
    lines = []
    for m in pred["metrics"]:
        s = m["subject"]
        lines.append(f"  metric {m['metric']}={m['value']} [{s['name']}|{s['level']}|{s.get('province')}] {m['qualifier']} target={m['target']}")
    for m in pred["mergers"]:
        lines.append(f"  merger {m['new_unit']['name']}|{m['new_unit']['level']} <- {m['predecessors']}")
    for p in pred["people"]:
        lines.append(f"  person {p['name']} = {p['role']}")
    return "\n".join(lines) or "  (nothing)"


def test_every_language_has_a_corpus():
    assert {p.stem for p in CORPORA.glob("*.yaml")} >= {"vi", "en", "ms", "id", "pl", "fr", "ru"}


@pytest.mark.parametrize(("lang", "case"), _cases())
def test_case(lang: str, case: dict) -> None:
    pred = extract_text(case["text"], lang, source_url=case.get("source_url")).to_gold("case.txt", case.get("source_url"), None)
    expect = case.get("expect") or {}
    got = _show(pred)
    for spec in expect.get("metrics", []):
        want = _metric(spec)
        hits = [p for p in pred["metrics"] if metric_match(want, p)]
        assert hits, f"missing metric {spec}\ngot:\n{got}"
        if "qualifier" in spec:
            assert any(p["qualifier"] == spec["qualifier"] for p in hits), f"qualifier of {spec}\ngot:\n{got}"
        if "target" in spec:
            assert any(p["target"] == spec["target"] for p in hits), f"target of {spec}\ngot:\n{got}"
    for spec in expect.get("mergers", []):
        want = {"new_unit": {**{"province": None}, **spec["new_unit"]}, "predecessors": spec["predecessors"]}
        assert any(merger_match(want, p) for p in pred["mergers"]), f"missing merger {spec}\ngot:\n{got}"
    for spec in expect.get("people", []):
        assert any(person_match(spec, p) for p in pred["people"]), f"missing person {spec}\ngot:\n{got}"
    for spec in expect.get("absent", []):
        # a metric name (never produced) or {metric, value} (not produced with that value)
        spec = {"metric": spec} if isinstance(spec, str) else spec
        bad = [
            p for p in pred["metrics"]
            if p["metric"] == spec["metric"] and ("value" not in spec or abs(float(p["value"]) - float(spec["value"])) < 1e-6)
        ]
        assert not bad, f"{spec} must not be produced\ngot:\n{got}"
