"""Text folding shared by extraction, linking and scoring.

The spec writes names in plain ASCII with Vietnamese diacritics removed ("Đồng Thái" -> "Dong Thai");
`fold` is that rule, and `key` is the spacing- and case-insensitive form used for lookups.
"""

from __future__ import annotations

import re
import sys
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
    return t if t.isascii() else t.translate(_combining_marks())


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every character with a non-zero combining class, mapped to None for str.translate."""
    return {i: None for i in range(sys.maxunicode + 1) if unicodedata.combining(chr(i))}


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)  # pure; the extractor asks for the same names again and again
def key(text: str) -> str:
    """Lookup key: folded, lower-case, letters and digits only ("Ba Ria-Vung Tau" -> "bariavungtau")."""
    return _NON_ALNUM.sub("", fold(text).lower())


@lru_cache(maxsize=65536)
def spaced_key(text: str) -> str:
    """Folded, lower-case, words separated by one space ("Ia Púch" -> "ia puch")."""
    return " ".join(_NON_ALNUM.split(fold(text).lower())).strip()
