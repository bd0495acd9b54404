"""Naming rules shared by the indexes: canonical ASCII names and lookup keys.

Articles write the same unit many ways ("Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau", "HCMC",
"Pa U commune"); the gazetteer compares `textnorm.key` forms, first of the text as given and
then with unit words stripped, so a stray "xã"/"commune" never blocks an exact match but is
never needed for one either.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.textnorm import fold, key

#: Province nicknames that the package's alias lists lack (key -> province short key).
EXTRA_PROVINCE_ALIASES: dict[str, str] = {
    "hcmc": "hochiminh",
    "saigon": "hochiminh",
    "tphcm": "hochiminh",
    "thuathienhue": "hue",
    "daclac": "daklak",
}

# Unit words that may precede or follow a name (Vietnamese keys, then the languages of the corpus).
_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "thanhpho",
            "thixa",
            "thitran",
            "dackhu",
            "phuong",
            "huyen",
            "tinh",
            "quan",
            "xa",
            "tp",
            "tx",
            "tt",
            "province",
            "provinsi",
            "prowincja",
            "provincia",
            "city",
            "district",
            "commune",
            "ward",
            "kecamatan",
            "gmina",
        ),
        key=len,
        reverse=True,
    )
)
_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "province",
            "provinsi",
            "city",
            "district",
            "commune",
            "ward",
            "township",
            "town",
            "komune",
            "wilayah",
            "daerah",
            "kecamatan",
            "gmina",
            "prowincja",
        ),
        key=len,
        reverse=True,
    )
)


@lru_cache(maxsize=32768)
def ascii_name(short_name: str) -> str:
    """The spec's ASCII spelling of an official short name ("Bà Rịa - Vũng Tàu" -> "Ba Ria-Vung Tau")."""
    return re.sub(r"\s*-\s*", "-", fold(short_name)).strip()


def stripped_keys(text: str) -> list[str]:
    """Lookup keys for `text`: the plain key first, then variants without a leading/trailing unit word.

    A variant is only produced when something remains, so "Quan" alone stays "quan"; a bare
    number also yields the official numbered forms ("Ward 07" -> ..., "phuong7", "quan7").
    """
    k = key(text)
    out = [k]
    for p in _PREFIXES:
        if k.startswith(p) and len(k) > len(p):
            out.append(k[len(p) :])
            break
    for base in list(out):
        for s in _SUFFIXES:
            if base.endswith(s) and len(base) > len(s):
                out.append(base[: -len(s)])
                break
    # Numbered wards/districts are officially "Phường 7" / "Quận 7": "Ward 7" and "7" mean them.
    out += [f"{word}{int(x)}" for x in list(out) if x.isdigit() for word in ("phuong", "quan")]
    return list(dict.fromkeys(x for x in out if x))
