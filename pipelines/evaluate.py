"""Scoring against gold files, exactly as `spec/facts.md` says.

A predicted metric fact matches a gold one when the metric is the same, the values agree
within 0.5 %, and the subjects agree (same level, same ASCII-folded case-insensitive name;
province compared only when both give one). Mergers match on the new unit and the set of
predecessors; people on name and role. Matching is one-to-one (greedy, gold order).

`python -m pipelines evaluate DIR` prints precision, recall and F1 per kind and per language.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.textnorm import spaced_key

KINDS = ("metrics", "mergers", "people")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocResult:
    doc: str
    language: str
    scores: dict[str, Score] = field(default_factory=dict)
    misses: dict[str, list[Any]] = field(default_factory=dict)  # gold not found
    extras: dict[str, list[Any]] = field(default_factory=dict)  # predicted not in gold


def _name(s: str | None) -> str:
    return spaced_key(s or "")


def subject_match(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return a == b
    if a.get("level") != b.get("level") or _name(a.get("name")) != _name(b.get("name")):
        return False
    pa, pb = a.get("province"), b.get("province")
    return not (pa and pb) or _name(pa) == _name(pb)


def _value_match(g: float, p: float) -> bool:
    if g == p:
        return True
    return abs(g - p) <= 0.005 * max(abs(g), abs(p))


def metric_match(g: dict, p: dict) -> bool:
    return (
        g["metric"] == p["metric"]
        and _value_match(float(g["value"]), float(p["value"]))
        and subject_match(g["subject"], p["subject"])
    )


def merger_match(g: dict, p: dict) -> bool:
    return subject_match(g["new_unit"], p["new_unit"]) and {_name(x) for x in g["predecessors"]} == {
        _name(x) for x in p["predecessors"]
    }


def person_match(g: dict, p: dict) -> bool:
    return _name(g["name"]) == _name(p["name"]) and g["role"] == p["role"]


MATCHERS = {"metrics": metric_match, "mergers": merger_match, "people": person_match}


def score_kind(gold: list[dict], pred: list[dict], match) -> tuple[Score, list, list]:
    used = [False] * len(pred)
    tp = 0
    misses = []
    for g in gold:
        for i, p in enumerate(pred):
            if not used[i] and match(g, p):
                used[i] = True
                tp += 1
                break
        else:
            misses.append(g)
    extras = [p for i, p in enumerate(pred) if not used[i]]
    return Score(tp, len(extras), len(misses)), misses, extras


def score_document(gold: dict, pred: dict) -> DocResult:
    res = DocResult(gold.get("doc", ""), gold.get("language") or pred.get("language") or "und")
    for kind in KINDS:
        s, misses, extras = score_kind(gold.get(kind, []), pred.get(kind, []), MATCHERS[kind])
        res.scores[kind] = s
        res.misses[kind] = misses
        res.extras[kind] = extras
    return res


def evaluate_dir(path: str | Path) -> dict[str, Any]:
    """Extract every article in `path` that has a `*.gold.json` and score it.

    Returns {"documents": [DocResult...], "by_kind": {kind: Score}, "by_language": {lang: {kind: Score}}}.
    """
    from pipelines.corpus import read_article
    from pipelines.extract import extract_document

    root = Path(path)
    docs: list[DocResult] = []
    for gpath in sorted(root.glob("*.gold.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        article = root / gold.get("doc", gpath.name.replace(".gold.json", ".txt"))
        if not article.exists():
            continue
        doc = read_article(article)
        if doc.language is None or doc.language != gold.get("language"):
            # score with the language the article is labelled with when detection disagrees
            doc.language = gold.get("language") or doc.language
        pred = extract_document(doc).to_gold(article.name, doc.source_url, doc.published)
        docs.append(score_document(gold, pred))
    by_kind = {k: Score() for k in KINDS}
    by_lang: dict[str, dict[str, Score]] = defaultdict(lambda: {k: Score() for k in KINDS})
    for d in docs:
        for k in KINDS:
            by_kind[k].add(d.scores[k])
            by_lang[d.language][k].add(d.scores[k])
    return {"documents": docs, "by_kind": by_kind, "by_language": dict(by_lang)}


def format_report(report: dict[str, Any], verbose: bool = False) -> str:
    lines = []
    if verbose:
        for d in report["documents"]:
            for k in KINDS:
                for g in d.misses[k]:
                    lines.append(f"  MISS  {d.doc} {k}: {_short(g)}")
                for p in d.extras[k]:
                    lines.append(f"  EXTRA {d.doc} {k}: {_short(p)}")
        lines.append("")
    lines.append(f"{'':10} {'kind':8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for lang, ks in sorted(report["by_language"].items()):
        for k in KINDS:
            s = ks[k]
            lines.append(f"{lang:10} {k:8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}")
    for k in KINDS:
        s = report["by_kind"][k]
        lines.append(f"{'ALL':10} {k:8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}")
    return "\n".join(lines)


def _short(x: dict) -> str:
    if "metric" in x:
        s = x["subject"]
        return f"{x['metric']}={x['value']} [{s['name']}|{s['level']}|{s.get('province')}] ({x.get('qualifier')})"
    if "predecessors" in x:
        n = x["new_unit"]
        return f"{n['name']}|{n['level']}|{n.get('province')} <- {x['predecessors']}"
    return f"{x['name']} = {x['role']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("gold_dir", help="folder of articles (*.txt) with *.gold.json beside them")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    args = ap.parse_args(argv)
    if not Path(args.gold_dir).is_dir():
        print(f"not a folder: {args.gold_dir}", file=sys.stderr)
        return 2
    report = evaluate_dir(args.gold_dir)
    print(f"{len(report['documents'])} documents scored in {args.gold_dir}")
    print(format_report(report, args.verbose))
    return 0
