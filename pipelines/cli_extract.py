"""`python -m pipelines extract FILE... --out DIR`: one gold-format JSON per article."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines extract", description=__doc__)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", required=True, type=Path, help="folder for <stem>.json files")
    args = ap.parse_args(argv)
    from pipelines.corpus import read_article
    from pipelines.extract import extract_document

    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for f in args.files:
        doc = read_article(f)
        if doc.status == "rejected":
            print(f"{f}: rejected: {doc.reason}")
            status = 1
            continue
        ex = extract_document(doc)
        out = args.out / f"{f.stem}.json"
        payload = ex.to_gold(f.name, doc.source_url, doc.published)
        out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{f} -> {out}: {len(ex.metrics)} metrics, {len(ex.mergers)} mergers, {len(ex.people)} people")
    return status
