"""A synthetic corpus of N articles recombined from the real ones, with carried ground truth.

Sources are the project's `seeds/*.txt` and, when the folder exists, `../shared/devset/*.txt`,
read at run time (their text is never copied into the project). Each synthetic article:

- takes one language (weighted by how many source articles exist in it);
- a title and 4-9 paragraphs (distinct ones), each a run of consecutive sentences of one source article of that
  language, with every unit name the source's gold file knows (subjects, merger units,
  predecessors, organisations) replaced by a commune name of the official gazetteer
  (`pipelines.gazetteer.units_2025()` / `units_legacy()`), provinces by provinces, and numbers by
  random numbers written with the same separators (years, dates, document numbers kept; a
  percentage stays below 100);
- 1-3 *tracked* sentences from a small per-language template ("The Party Committee of X commune
  has N Party members ..."), with a gazetteer commune for X and a random N written the language's
  way (`format_number`): these are the expected facts (`party_members` and, when the template
  names cells, `party_cells`), subject name in the spec's ASCII form.

Deterministic: article i depends only on (seed, i) and the sources, so the corpus of 1,000 is the
first 1,000 of the corpus of 10,000. `write_corpus(folder, n)` writes `bench_<i>_<lang>.txt` files
plus two hidden files the pipeline ignores (`.manifest.json`, `.truth.jsonl`: the expected facts).

    python -m benchmarks.corpus_builder 1000 --out benchmarks/out/corpus_1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from pipelines import settings
from pipelines.extract.numbers import find_numbers, format_number
from pipelines.textnorm import fold

BUILDER_VERSION = "1"
SEEDS_DIR = settings.PROJECT_ROOT / "seeds"
DEVSET_DIR = settings.PROJECT_ROOT.parent / "shared" / "devset"
#: Languages whose numbers may group thousands with spaces ("1 193").
_SPACE_GROUPS = {"pl", "fr", "ru"}

# Tracked sentences, our own wording per language. {name}/{prov}: commune and province,
# {n}: party members, {c}: party cells. The value of {n} (and {c}) is the expected fact.
TEMPLATES: dict[str, list[str]] = {
    "en": [
        "The Party Committee of {name} commune ({prov}) currently has {n} Party members.",
        "{name} commune Party Committee has {c} Party cells with a total of {n} Party members.",
        "After the merger, the Party Committee of {name} commune has {n} party members in {c} Party cells.",
    ],
    "vi": [
        "Đảng bộ xã {name} hiện có {n} đảng viên, sinh hoạt tại {c} chi bộ trực thuộc.",
        "Hiện nay, Đảng bộ xã {name} ({prov}) có {c} chi bộ với {n} đảng viên.",
    ],
    "ms": [
        "Jawatankuasa Parti komune {name} ({prov}) kini mempunyai {n} ahli parti dalam {c} sel parti.",
        "Jawatankuasa Parti komune {name} mempunyai {n} ahli parti.",
    ],
    "id": [
        "Komite Partai Komune {name} ({prov}) saat ini memiliki {n} anggota Partai di {c} sel Partai.",
        "Komite Partai Komune {name} memiliki {n} anggota Partai.",
    ],
    "pl": [
        "Komitet Partii Gminy {name} ({prov}) liczy {n} członków partii działających w {c} komórkach partyjnych.",
        "Komitet Partii Gminy {name} zrzesza obecnie {n} członków partii.",
    ],
    "fr": [
        "Le Comité du Parti de la commune de {name} ({prov}) compte {n} membres du Parti répartis dans {c} cellules du Parti.",
        "Le Comité du Parti de la commune de {name} compte {n} membres du Parti.",
    ],
    "ru": [
        "Партийный комитет коммуны {name} ({prov}) насчитывает {n} членов партии в {c} партийных ячейках.",
        "Партийный комитет коммуны {name} насчитывает {n} членов партии.",
    ],
}

_PERCENT_AFTER = re.compile(
    r"\s?(?:%|percent|per cent|phần trăm|persen|peratus|procent|pour cent|процент)", re.I
)


@dataclass(frozen=True)
class ExpectedFact:
    """One fact the builder put into an article (the spec's subject form: ASCII name)."""

    file_name: str
    language: str
    subject_name: str
    subject_level: str
    subject_province: str
    metric: str
    value: float
    qualifier: str
    sentence: str


@dataclass
class SyntheticArticle:
    name: str
    language: str
    text: str
    expected: list[ExpectedFact] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


@dataclass
class _Sentence:
    text: str
    names: list[tuple[int, int, str]]  # (start, end, "unit"|"province")
    numbers: list[tuple[int, int]]  # spans of numbers that may be replaced


@dataclass
class _Source:
    file_name: str
    language: str
    title: _Sentence | None
    paragraphs: list[list[_Sentence]]


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-cased ASCII fold of `text` and, per folded char, the index of its original char."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch).lower()
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


def _find_names(text: str, names: dict[str, str]) -> list[tuple[int, int, str]]:
    """Spans of the known names (diacritic- and case-insensitive, whole words), longest first."""
    folded, idx = _folded_with_map(text)
    taken = [False] * len(text)
    found: list[tuple[int, int, str]] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", folded):
            if m.end() <= m.start():
                continue
            a, b = idx[m.start()], idx[m.end() - 1] + 1
            if any(taken[a:b]):
                continue
            for k in range(a, b):
                taken[k] = True
            found.append((a, b, names[name]))
    return sorted(found)


def _replaceable_numbers(text: str, language: str) -> list[tuple[int, int]]:
    out = []
    for num in find_numbers(text, space_groups=language in _SPACE_GROUPS):
        raw = num.raw
        before = text[num.start - 1] if num.start else ""
        after = text[num.end] if num.end < len(text) else ""
        if before in "/-–" or after in "/-–":
            continue  # dates, ranges, document numbers
        if raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2099:
            continue  # a year
        if _PERCENT_AFTER.match(text, num.end) and num.value >= 100:
            continue  # "100%" stays; smaller percentages keep their digit count, so stay < 100
        out.append((num.start, num.end))
    return out


def _sentences(text: str) -> list[list[str]]:
    from pipelines.extract.sentences import split_sentences

    paras: dict[int, list[str]] = {}
    for s in split_sentences(text):
        paras.setdefault(s.paragraph, []).append(text[s.start : s.end])
    return [p for _, p in sorted(paras.items())]


def _gold_names(gold: dict) -> dict[str, str]:
    """folded lower name -> "unit" | "province", from every place the gold file names."""
    names: dict[str, str] = {}

    def subject(d: dict | None) -> None:
        if not d:
            return
        if d.get("name"):
            names.setdefault(fold(d["name"]).lower(), "province" if d.get("level") == "province" else "unit")
        if d.get("province"):
            names[fold(d["province"]).lower()] = "province"

    for f in gold.get("metrics", []):
        subject(f.get("subject"))
    for m in gold.get("mergers", []):
        subject(m.get("new_unit"))
        for p in m.get("predecessors", []):
            names.setdefault(fold(p).lower(), "unit")
    for p in gold.get("people", []):
        subject(p.get("organization"))
    return {k: v for k, v in names.items() if len(k) >= 3}


def source_files(include_devset: bool = True) -> list[Path]:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    if include_devset and DEVSET_DIR.is_dir():
        files += sorted(DEVSET_DIR.glob("*.txt"))
    return files


_CAPS = re.compile(r"(?<![\w])[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}(?![\w])")


def _find_gazetteer_names(text: str, gazetteer: dict[str, str]) -> dict[str, str]:
    """Capitalised 2-3 word runs of `text` that are official unit names (folded lower -> kind)."""
    found: dict[str, str] = {}
    for m in _CAPS.finditer(fold(text)):
        words = m.group(0).split()
        for k in range(len(words), 1, -1):  # the longest official name inside the run
            for a in range(0, len(words) - k + 1):
                cand = " ".join(words[a : a + k]).lower()
                if cand in gazetteer:
                    found.setdefault(cand, gazetteer[cand])
    return found


def _load_source(path: Path, gazetteer: dict[str, str]) -> _Source | None:
    from pipelines.corpus import read_article

    doc = read_article(path)
    if doc.status != "ok" or not doc.text:
        return None
    gold_path = path.with_name(path.name[: -len(".txt")] + ".gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
    language = gold.get("language") or doc.language or "en"
    names = {**_find_gazetteer_names(doc.text, gazetteer), **_gold_names(gold)}
    paragraphs: list[list[_Sentence]] = []
    title = None
    for i, para in enumerate(_sentences(doc.text)):
        sents = []
        for s in para:
            if re.match(r"(?:Source|Sumber|Źródło|Nguồn|Источник|Fonte|Quelle)\s*:", s) or "http" in s:
                continue
            sents.append(_Sentence(s, _find_names(s, names), _replaceable_numbers(s, language)))
        if not sents:
            continue
        if i == 0 and title is None and len(para) == 1:
            title = sents[0]
            continue
        paragraphs.append(sents)
    if not paragraphs:
        return None
    return _Source(path.name, language, title, paragraphs)


class CorpusBuilder:
    """Deterministic synthetic articles; `article(i)` depends only on (seed, i) and the sources."""

    def __init__(self, seed: int = 0, sources: list[Path] | None = None):
        self.seed = seed
        self.source_paths = list(sources) if sources is not None else source_files()

    @cached_property
    def sources(self) -> dict[str, list[_Source]]:
        pairs, provinces = self.units
        gazetteer = {fold(n).lower(): "unit" for n, _ in pairs}
        gazetteer |= {fold(p).lower(): "province" for p in provinces}
        by_lang: dict[str, list[_Source]] = {}
        for p in self.source_paths:
            s = _load_source(p, gazetteer)
            if s is not None:
                by_lang.setdefault(s.language, []).append(s)
        if not by_lang:
            raise RuntimeError(f"no usable source articles among {len(self.source_paths)} files")
        return dict(sorted(by_lang.items()))

    @cached_property
    def units(self) -> tuple[list[tuple[str, str]], list[str]]:
        """(commune short name, province short name) pairs and province names, from the gazetteer."""
        import polars as pl

        from pipelines.gazetteer import units_2025, units_legacy

        df = pl.concat([units_2025(), units_legacy()], how="diagonal_relaxed")
        communes = (
            df.filter((pl.col("level") == "commune") & (pl.col("unit_type") == "Xã"))
            .select("short_name", "province_name")
            .drop_nulls()
            .unique()
            .sort("short_name", "province_name")
        )
        ok = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,2}$")  # 2-3 words, letters only
        pairs = [
            (n, _short_province(p)) for n, p in communes.iter_rows() if ok.match(n) and n[0].isupper()
        ]
        provinces = sorted({p for _, p in pairs})
        return pairs, provinces

    @cached_property
    def fingerprint(self) -> str:
        h = hashlib.sha256(BUILDER_VERSION.encode())
        for p in self.source_paths:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        h.update(str(self.seed).encode())
        return h.hexdigest()[:16]

    def languages(self) -> list[str]:
        return list(self.sources)

    # ------------------------------------------------------------------ one article
    def article(self, i: int) -> SyntheticArticle:
        rng = random.Random(f"vn-party-bench:{self.seed}:{i}")
        langs = list(self.sources)
        lang = rng.choices(langs, weights=[len(self.sources[x]) for x in langs])[0]
        pool = self.sources[lang]
        pairs, provinces = self.units
        name_map: dict[str, str] = {}

        def shown(s: str) -> str:
            return s if lang == "vi" else fold(s)

        def new_name(kind: str, original: str) -> str:
            k = fold(original).lower()
            if k not in name_map:
                name_map[k] = shown(rng.choice(provinces) if kind == "province" else rng.choice(pairs)[0])
            return name_map[k]

        def render(s: _Sentence) -> str:
            edits = [(a, b, "name", kind) for a, b, kind in s.names]
            edits += [(a, b, "num", "") for a, b in s.numbers if not any(a < y and x < b for x, y, _ in s.names)]
            out, pos = [], 0
            for a, b, what, kind in sorted(edits):
                if a < pos:
                    continue
                out.append(s.text[pos:a])
                out.append(new_name(kind, s.text[a:b]) if what == "name" else _new_digits(rng, s.text[a:b]))
                pos = b
            out.append(s.text[pos:])
            return "".join(out)

        file_name = f"bench_{i:07d}_{lang}.txt"
        titled = [s for s in pool if s.title is not None]
        title = render(rng.choice(titled).title) if titled else None
        paragraphs: list[list[str]] = []
        all_paras = [(k, j) for k, src in enumerate(pool) for j in range(len(src.paragraphs))]
        for k, j in rng.sample(all_paras, min(len(all_paras), rng.randint(4, 9))):
            para = pool[k].paragraphs[j]
            start = rng.randrange(max(1, len(para) - 1))
            run = para[start : start + rng.randint(2, 5)]
            paragraphs.append([render(s) for s in run])
        expected: list[ExpectedFact] = []
        used: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            commune, prov = rng.choice(pairs)
            if fold(commune).lower() in used:
                continue
            used.add(fold(commune).lower())
            template = rng.choice(TEMPLATES.get(lang, TEMPLATES["en"]))
            n = rng.randint(50, 999) if rng.random() < 0.6 else rng.randint(1000, 9999)
            c = rng.randint(5, 80)
            sentence = template.format(
                name=shown(commune), prov=shown(prov), n=format_number(n, lang), c=format_number(c, lang)
            )
            paragraphs[rng.randrange(len(paragraphs))].insert(0, sentence)
            base = dict(
                file_name=file_name,
                language=lang,
                subject_name=fold(commune),
                subject_level="commune",
                subject_province=fold(prov),
                qualifier="exact",
                sentence=sentence,
            )
            expected.append(ExpectedFact(metric="party_members", value=float(n), **base))
            if "{c}" in template:
                expected.append(ExpectedFact(metric="party_cells", value=float(c), **base))
        body = "\n".join(" ".join(p) for p in paragraphs)
        text = f"{title}\n{body}\n" if title else f"{body}\n"
        return SyntheticArticle(file_name, lang, text, expected)

    def iter_articles(self, n: int, start: int = 0) -> Iterator[SyntheticArticle]:
        for i in range(start, start + n):
            yield self.article(i)

    def iter_bytes(self, n: int, start: int = 0) -> Iterator[tuple[str, bytes]]:
        for a in self.iter_articles(n, start):
            yield a.name, a.data

    # ------------------------------------------------------------------ folders
    def write(self, folder: Path, n: int, start: int = 0) -> dict:
        """Write n articles (reusing the folder when its manifest matches); returns the manifest."""
        folder = Path(folder)
        manifest_path = folder / ".manifest.json"
        want = {"n": n, "start": start, "seed": self.seed, "fingerprint": self.fingerprint}
        if manifest_path.exists():
            have = json.loads(manifest_path.read_text())
            if {k: have.get(k) for k in want} == want and sum(1 for _ in folder.glob("bench_*")) == n:
                return have
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("bench_*"):
            old.unlink()
        t0 = time.perf_counter()
        n_bytes, n_expected, by_lang = 0, 0, {}
        with (folder / ".truth.jsonl").open("w", encoding="utf-8") as truth:
            for a in self.iter_articles(n, start):
                data = a.data
                (folder / a.name).write_bytes(data)
                n_bytes += len(data)
                by_lang[a.language] = by_lang.get(a.language, 0) + 1
                for e in a.expected:
                    truth.write(json.dumps(asdict(e), ensure_ascii=False) + "\n")
                    n_expected += 1
        manifest = {
            **want,
            "builder_version": BUILDER_VERSION,
            "sources": [p.name for p in self.source_paths],
            "n_bytes": n_bytes,
            "n_expected_facts": n_expected,
            "by_language": dict(sorted(by_lang.items())),
            "seconds": round(time.perf_counter() - t0, 2),
        }
        manifest_path.write_text(json.dumps(manifest, indent=1))
        return manifest


def read_truth(folder: Path) -> list[ExpectedFact]:
    path = Path(folder) / ".truth.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [ExpectedFact(**json.loads(line)) for line in fh if line.strip()]


def _short_province(name: str) -> str:
    return re.sub(r"^(?:Tỉnh|Thành phố)\s+", "", name)


def _new_digits(rng: random.Random, raw: str) -> str:
    """Same written shape, other digits ("2,100" -> "7,358"); a leading digit stays non-zero."""
    out = []
    first = True
    for ch in raw:
        if ch.isdigit():
            if first:
                out.append(ch if ch == "0" else str(rng.randint(1, 9)))
                first = False
            else:
                out.append(str(rng.randint(0, 9)))
        else:
            out.append(ch)
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-devset", action="store_true", help="seeds only")
    args = ap.parse_args(argv)
    builder = CorpusBuilder(args.seed, source_files(include_devset=not args.no_devset))
    m = builder.write(args.out, args.n)
    print(json.dumps(m, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
