"""Locale-aware number reading.

Machine translations keep the source's separators, so the convention is decided per number,
not only per language (stack notes): a separator followed by exactly three digits groups
thousands ("110.300" -> 110300, "2,100" -> 2100, "1.039" -> 1039); any other separator is the
decimal mark ("71.1" -> 71.1, "85,94" -> 85.94). Spaces group thousands only in languages
that write them so ("33 690", "1 193"), and never across a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A number: digit groups joined by one separator kind, an optional decimal part.
# The space variants are normal, no-break and narrow no-break spaces.
# Written with the first digit outside the alternatives and the "nothing number-like before"
# check right after it, so the pattern starts with [0-9] and `re` skips to digits in C; it
# matches exactly what `(?<![\w.,])(A|B)` with A = [0-9]{1,3}..., B = [0-9]+... matches.
_NUM = re.compile(
    r"([0-9](?<![\w.,][0-9])(?:[0-9]{0,2}(?:(?:[.,]|[ \u00a0\u202f](?=[0-9]{3}(?![0-9])))[0-9]{3})+(?:[.,][0-9]+)?|[0-9]*(?:[.,][0-9]+)?))(?![\w])"
)
_NUM_NO_SPACE = re.compile(r"([0-9](?<![\w.,][0-9])(?:[0-9]{0,2}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?|[0-9]*(?:[.,][0-9]+)?))(?!\w)")
_DIGITS = re.compile(r"[0-9]+")
_SEP = re.compile(r"[.,]")


@dataclass(frozen=True)
class Number:
    """A number found in text: its value and the span of its digits."""

    value: float
    start: int
    end: int
    raw: str


@lru_cache(maxsize=65536)  # pure; the same figures ("2024", "15") come again and again
def parse_number(raw: str, decimal_comma: bool = False) -> float | None:
    """Read one written number; `decimal_comma` breaks ties only ("1.5" vs "1,5" stay decimals).

    >>> parse_number("110.300"), parse_number("71.1"), parse_number("85,94"), parse_number("33 690")
    (110300.0, 71.1, 85.94, 33690.0)
    """
    s = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not s:
        return None
    if " " in s:
        s = s.replace(" ", "")
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s) if _DIGITS.fullmatch(s) else None
    groups = _SEP.split(s)
    if not all(_DIGITS.fullmatch(g) for g in groups):
        return None
    if len(seps) == 1:
        head, tail = groups
        if len(tail) == 3 and head != "0" and len(head) <= 3:
            return float(head + tail)  # "2,100", "110.300", "1.039": thousands
        return float(f"{head}.{tail}")  # "71.1", "85,94", "0.500"
    kinds = set(seps)
    if len(kinds) == 1:
        # "1.234.567" or "1,234,567": all thousands if every inner group has 3 digits
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        return None
    # mixed: the last separator is the decimal mark ("1.234,5" or "1,234.5")
    last = max(s.rfind("."), s.rfind(","))
    intpart = _SEP.sub("", s[:last])
    frac = s[last + 1 :]
    if not (_DIGITS.fullmatch(intpart) and _DIGITS.fullmatch(frac)):
        return None
    return float(f"{intpart}.{frac}")


def number_spans(text: str, space_groups: bool = False, decimal_comma: bool = False) -> list[tuple[float, int, int, str]]:
    """`find_numbers` as plain (value, start, end, raw) tuples, for hot loops that need no `Number`."""
    rx = _NUM if space_groups else _NUM_NO_SPACE
    out: list[tuple[float, int, int, str]] = []
    for m in rx.finditer(text):
        raw = m.group()  # group 1 is the whole match
        # a trailing separator belongs to the sentence ("38." ends a sentence): the pattern
        # leaves it out
        # digits only (most figures): what parse_number returns, without its cache lookup
        value = float(raw) if raw.isdigit() else parse_number(raw, decimal_comma)
        if value is None:
            continue
        out.append((value, m.start(), m.end(), raw))
    return out


def find_numbers(text: str, space_groups: bool = False, decimal_comma: bool = False) -> list[Number]:
    """Every number in `text` with its span; never raises."""
    return [Number(*t) for t in number_spans(text, space_groups, decimal_comma)]


def format_number(value: float, lang: str) -> str:
    """Write a number the way `lang` groups thousands (used by tests and the corpus builder)."""
    if float(value).is_integer():
        s = f"{int(value):,}"
        sep = {"vi": ".", "id": ".", "pl": " ", "fr": " ", "ru": " "}.get(lang, ",")
        return s.replace(",", sep)
    s = f"{value}"
    return s.replace(".", ",") if lang in {"vi", "id", "pl", "fr", "ru"} else s
