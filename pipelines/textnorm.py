"""Text folding shared by extraction, linking and scoring.

The spec writes names in plain ASCII with Vietnamese diacritics removed ("Đồng Thái" -> "Dong Thai");
`fold` is that rule, and `key` is the spacing- and case-insensitive form used for lookups.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """ASCII-fold: strip diacritics, map đ->d, normalise apostrophes; keeps case and spacing."""
    if text.isascii():
        # NFKD leaves ASCII as it is and nothing ASCII is a combining mark or in _SPECIAL
        return text.translate(_APOSTROPHES)
    t = text.translate(_SPECIAL).translate(_APOSTROPHES)
    t = unicodedata.normalize("NFKD", t)
    if t.isascii():
        return t
    if max(t) < _MARKS_BELOW:  # the usual case: one translate drops the marks
        return t.translate(_combining_marks())
    return "".join(c for c in t if not unicodedata.combining(c))


_MARKS_BELOW = "\u3000"  # the table covers Latin, Greek, Cyrillic, Vietnamese, ... (built in ~1 ms)


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Characters below _MARKS_BELOW with a non-zero combining class, mapped to None (str.translate)."""
    return {i: None for i in range(ord(_MARKS_BELOW)) if unicodedata.combining(chr(i))}


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)  # pure; the extractor asks for the same names again and again
def key(text: str) -> str:
    """Lookup key: folded, lower-case, letters and digits only ("Ba Ria-Vung Tau" -> "bariavungtau")."""
    return _NON_ALNUM.sub("", fold(text).lower())


@lru_cache(maxsize=65536)
def spaced_key(text: str) -> str:
    """Folded, lower-case, words separated by one space ("Ia Púch" -> "ia puch")."""
    return " ".join(_NON_ALNUM.split(fold(text).lower())).strip()
