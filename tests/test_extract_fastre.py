"""The extractor's fast paths must find exactly what the plain patterns find.

`fastre.literals`/`LiteralGate` may only rule out spans where the pattern cannot match,
`PrefixScan` must return the same matches as `finditer`, and the people reader's cheap name-before-
title search the same match as its regex. Checked on the example corpora, on text built from the
packs' own words, and on random strings that mix cases, odd letters and separators.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from pipelines.extract import fastre
from pipelines.extract.engine import _URL, _URL_SCAN, _gates, _readers
from pipelines.extract.people import _NAME_THEN_TITLE, _name_then_title
from pipelines.settings import SUPPORTED_LANGUAGES

CORPORA = Path(__file__).parent / "corpora"
_WORDS = re.compile(r"[^\W\d_]+")


def _texts(lang: str) -> list[str]:
    cases = yaml.safe_load((CORPORA / f"{lang}.yaml").read_text(encoding="utf-8")) or []
    return [c["text"] for c in cases]


def _noisy(texts: list[str], seed: int) -> list[str]:
    """The corpus texts re-cased, with words shuffled and odd letters (ı, ſ, İ, ς) mixed in."""
    rnd = random.Random(seed)
    words = [w for t in texts for w in t.split()]
    out = []
    for _ in range(60):
        ws = rnd.sample(words, min(len(words), 40))
        s = " ".join(w.upper() if rnd.random() < 0.2 else w for w in ws)
        if rnd.random() < 0.3:
            i = rnd.randrange(len(s) + 1)
            s = s[:i] + rnd.choice("ıſİς\u212aµ") + s[i:]
        out.append(s)
    return out


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_prefix_scans_find_what_finditer_finds(lang: str) -> None:
    finder = _readers(lang)[0]
    texts = _texts(lang)
    for text in texts + _noisy(texts, 1):
        low = fastre.lowered(text)
        for kind, scan in finder.scans.items():
            got = [(m.span(), m.lastgroup) for m in scan.finditer(text, low)]
            want = [(m.span(), m.lastgroup) for m in scan.rx.finditer(text)]
            assert got == want, (lang, kind, text)
        url = _URL_SCAN.search(text + " Source: https://x.vn/a", low and low + " source: https://x.vn/a")
        ref = _URL.search(text + " Source: https://x.vn/a")
        assert (url and url.span()) == (ref and ref.span())


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_literal_gates_never_skip_a_match(lang: str) -> None:
    _f, _m, mergers_r, people_r = _readers(lang)
    merger_gate, people_gate = _gates(lang)
    texts = _texts(lang)
    for text in texts + _noisy(texts, 2):
        low = fastre.lowered(text)
        for gate, rx in ((merger_gate, mergers_r.any_trigger), (people_gate, people_r.roles_rx)):
            spans = gate.spans(low)
            for a in range(0, len(text), 7):
                for b in (a + 40, a + 150, len(text)):
                    if rx.search(text, a, b):
                        assert fastre.may_match(spans, a, b), (lang, rx.pattern[:60], text[a:b])


def test_lowered_refuses_text_where_case_rules_differ() -> None:
    assert fastre.lowered("Xã Tam An") == "xã tam an"
    for odd in ("ı", "ſ", "İ", "ς", "µ"):
        assert fastre.lowered(f"Party {odd} cell") is None
    # re matches "s" with the long s, str.lower() does not: such a text is never gated
    assert re.search("cells", "CELLſ", re.I) is not None
    assert fastre.lowered("CELLſ") is None


def test_literals_and_prefixes_of_simple_patterns() -> None:
    rx = re.compile(r"(?<!\w)(?:communes?|wards?)\s+of", re.I)
    assert set(fastre.literals(rx) or ()) <= {"commune", "communes", "ward", "wards", "of"}
    assert fastre.prefixes(rx) == ("commune", "ward")
    assert fastre.prefixes(re.compile(r"\w+ commune", re.I)) is None  # a leading \w+: no prefix
    assert fastre.literals(re.compile(r"(?:a|\d)b?")) is None  # an alternative without a literal


def test_name_then_title_matches_the_regex() -> None:
    alphabet = ["a", "B", "ệ", "1", "_", "'", "’", " ", "\t", "\u00a0", ",", "-", "–", "—", "(", ".", "Nguyen", " Van"]
    rnd = random.Random(3)
    samples = ["Nguyen Xuan Dat, ", "Ông Lò Văn Hương - Phó ", "the chairman of A B C D E F, the "]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(20000)]
    for pre in samples:
        want = _NAME_THEN_TITLE.search(pre)
        got = _name_then_title(pre)
        assert (got and got.span(1)) == (want and want.span(1)), pre


def test_cover_keeps_every_literal_covered() -> None:
    lits = ("chairman", "chairperson", "vice chair", "secretary", "deputy secretary", "head", "member", "do")
    got = fastre.cover(lits, most=8)
    assert got is not None and len(got) <= 8
    assert all(any(c in lit for c in got) for lit in lits)
    assert fastre.cover(None) is None
    for lang in SUPPORTED_LANGUAGES:
        metrics = _readers(lang)[1]
        for _rx, _q, gate in metrics.qualifiers:
            assert gate is None or len(gate) <= 8
