"""Sentence and clause splitting with character spans into the normalized text.

Evidence must be an exact slice of the stored text, so splitting never rewrites anything: it
only yields (start, end) spans. Abbreviations common in the corpus ("No.", "TT.", "r." in
Polish dates, "Mr.") do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = {
    "no", "nr", "mr", "mrs", "ms", "dr", "st", "tt", "tp", "r", "ul", "vs", "etc", "dll", "dsb",
    "sdn", "bhd", "jl", "tel", "ths", "ts", "pgs", "gs", "ks", "n°", "tr", "co", "inc", "ltd",
    "tk", "hh", "ir", "prof", "jr", "sr", "p", "q", "h", "x", "m", "g", "km", "dz", "poz", "godz",
    "ok", "tzw", "itp", "np", "wg", "pkt", "ust", "art", "ds", "mln", "mld", "tys", "zł", "tj",
    "г", "гг", "т", "д", "ул", "им", "см", "млн", "млрд", "тыс", "н", "no.", "cf", "e.g", "i.e",
}

# candidate boundaries: terminal punctuation + closing quotes/brackets, then space(s)
# (`x` before `x*` rather than `x+`: a pattern that starts with a plain character or class lets
# `re` skip to the next such character in C instead of trying every position)
_BOUNDARY = re.compile(r"([.!?…][.!?…]*[\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-ZÀ-ỸĐ\d\u0400-\u042F>|•\-–—])")
_NEWLINE = re.compile(r"\n\n*")
_CLAUSE = re.compile(r";")
_WORD_WINDOW = 32


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    paragraph: int = 0

    def text(self, doc: str) -> str:
        return doc[self.start : self.end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _word_before(text: str, start: int, end: int) -> str | None:
    """The run of word characters (or °) that ends at `end`, not before `start`; None if none.

    Only the last _WORD_WINDOW characters are looked at: a longer run is cut, and a cut run is
    as much "no abbreviation" as the whole one (abbreviations are short). Read backwards, this is
    what `[\\w°]+$` searched in the window finds (`re`'s `\\w` is `str.isalnum()` or "_",
    checked on every code point).
    """
    k = end
    floor = max(start, end - _WORD_WINDOW)
    while k > floor:
        c = text[k - 1]
        if not (c.isalnum() or c == "_" or c == "°"):
            break
        k -= 1
    return text[k:end] if k < end else None


def split_sentences(text: str) -> list[Span]:
    """Sentences as spans; newlines always end a sentence (paragraph index recorded)."""
    spans: list[Span] = []
    pos = 0
    for para, m in enumerate([*_NEWLINE.finditer(text), None]):
        line_end = m.start() if m else len(text)
        _split_line(text, pos, line_end, para, spans)
        if m is not None:
            pos = m.end()
    return spans


def _split_line(text: str, start: int, end: int, para: int, out: list[Span]) -> None:
    s = start
    for m in _BOUNDARY.finditer(text, start, end):
        dot, cut = m.span(1)
        if cut - dot == 1 and text[dot] == ".":
            # the word before the dot decides whether it is an abbreviation
            word = _word_before(text, s, dot)
            if word:
                w = word.lower()
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
        a, b = _trim(text, s, cut)
        if b > a:
            out.append(Span(a, b, para))
        s = m.end(2)
    a, b = _trim(text, s, end)
    if b > a:
        out.append(Span(a, b, para))


def split_clauses(text: str, sentence: Span) -> list[Span]:
    """Clauses of a sentence, split at semicolons (lists of results are written that way)."""
    if text.find(";", sentence.start, sentence.end) < 0:  # the usual case: one clause
        a, b = _trim(text, sentence.start, sentence.end)
        return [Span(a, b, sentence.paragraph)] if b > a else []
    out: list[Span] = []
    s = sentence.start
    for m in _CLAUSE.finditer(text, sentence.start, sentence.end):
        a, b = _trim(text, s, m.start())
        if b > a:
            out.append(Span(a, b, sentence.paragraph))
        s = m.end()
    a, b = _trim(text, s, sentence.end)
    if b > a:
        out.append(Span(a, b, sentence.paragraph))
    return out
