"""Russian transcription of Vietnamese names back to the Latin form the spec writes.

Russian translations write Vietnamese names in the practical (Kontsevich-style) transcription:
"Нгуен Ван Тинь" (Nguyen Van Tinh), "Хиеп Тхуан" (Hiep Thuan), "Куэ Тан" (Que Tan), "Дык" (Duc).
`to_latin` undoes it letter by letter with the digraph rules of that transcription (нг -> ng,
нь -> nh, тх -> th, кх -> kh, ку + vowel -> qu, ч -> ch, ы -> u, ...), then removes a Russian case
ending that makes the syllable impossible ("Чиена" -> "Chien", "Тиню" -> "Tinh"), and splits a
fused place name into its syllables when the gazetteer knows the result ("Куангнам" ->
"Quang Nam"). Tokens without Cyrillic are returned unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CYR = re.compile(r"[\u0400-\u04FF]+")
_VOWELS_CYR = set("аеёиоуыэюя")

_SIMPLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "gi", "з": "d",
    "и": "i", "й": "i", "к": "c", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "ph", "х": "h", "ц": "ts", "ч": "ch", "ш": "s", "щ": "sh",
    "ъ": "", "ы": "u", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}

# case endings of names, longest first; soft stems ("Тинь", "Ханой") are tried with ь / й
_ENDINGS = ("ами", "ями", "ом", "ем", "ём", "ой", "ей", "ам", "ям", "ах", "ях", "ов", "ев", "а", "я", "у", "ю", "е", "ы", "и")
_SOFT_ENDINGS = {"я", "ю", "е", "ем", "ём", "и", "ей", "ям", "ями", "ях"}

# a stricter Vietnamese syllable, for splitting fused names ("quangnam" -> "quang" + "nam")
_STRICT = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|ieu|yeu|oai|oay|uoi|uou|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo|uu|uy|ye|oo|[aeiouy])"
    r"(?:ng|nh|ch|[cmnpt])?$"
)


# ч is ch ("Чиен" = Chien), but these common syllables are Tr- (the transcription writes tr as ч)
_TR = {"чан": "tran", "чыонг": "truong", "чинь": "trinh", "чунг": "trung", "чанг": "trang", "чонг": "trong"}
# final и after к/л/м is y in the official spelling ("Ки Шон" = Ky Son, "Ли" = Ly, "Ми" = My)
_FINAL_Y = ("к", "л", "м")


def _letters(low: str) -> str:
    """Transliterate one lower-case Cyrillic word (no case endings handled here)."""
    if low in _TR:
        return _TR[low]
    if len(low) >= 2 and low.endswith("и") and low[-2] in _FINAL_Y:
        base = _letters(low[:-1])
        return (base[:-1] + "k" if base.endswith("c") else base) + "y"
    out: list[str] = []
    n = len(low)
    i = 0
    while i < n:
        c = low[i]
        nxt = low[i + 1] if i + 1 < n else ""
        nxt2 = low[i + 2] if i + 2 < n else ""
        prev = low[i - 1] if i > 0 else ""
        if c == "н":
            if nxt == "г":  # нг -> ng, ngh before e/i
                out.append("ngh" if nxt2 in ("е", "и", "э") else "ng")
                i += 2
                continue
            if nxt == "ь":
                out.append("nh")
                i += 2
                continue
            if nxt in ("я", "ё", "ю"):  # ня = nha
                out.append("nh" + {"я": "a", "ё": "o", "ю": "u"}[nxt])
                i += 2
                continue
        if c == "т":
            if nxt == "х":
                out.append("th")
                i += 2
                continue
            if nxt == "ь":  # Kontsevich ch: "Тьен" = Chien, final "Тхать" = Thach
                out.append("ch")
                i += 2
                continue
            if nxt == "я":
                out.append("cha")
                i += 2
                continue
        if c == "к":
            if nxt == "х":
                out.append("kh")
                i += 2
                continue
            if nxt == "у" and nxt2 == "и" and i + 3 == n:  # Куи = Quy
                out.append("quy")
                i += 3
                continue
            if nxt == "у" and low[i + 2 : i + 5] == "онг":  # Куонг = Cuong (there is no "quong")
                out.append("c")
                i += 1
                continue
            if nxt == "у" and nxt2 in _VOWELS_CYR and nxt2 not in ("у", "ы"):
                out.append("qu")
                i += 2
                continue
            if nxt in ("и", "е", "э", "ь"):
                out.append("k")
                i += 1
                continue
            out.append("c")
            i += 1
            continue
        if c == "с" and nxt == "у" and low[i + 2 : i + 4] in ("ан", "ат", "ен", "ет"):  # Суан = Xuan
            out.append("x")
            i += 1
            continue
        if c == "з" and nxt == "я":  # Зянг = Giang
            out.append("gia")
            i += 2
            continue
        if c == "у" and nxt == "е":  # Нгуен = Nguyen, Туен = Tuyen
            out.append("uye")
            i += 2
            continue
        if c == "у" and nxt == "и" and i + 2 == n:  # Тхуи = Thuy (final uy)
            out.append("uy")
            i += 2
            continue
        if c == "ю":
            if nxt == "э":  # Хюэ = Hue
                out.append("ue")
                i += 2
                continue
            if nxt == "и":  # Тхюи = Thuy
                out.append("uy")
                i += 2
                continue
            out.append("yu" if i == 0 else "iu")
            i += 1
            continue
        if c == "ь":
            if nxt == "е":  # Вьет = Viet
                out.append("ie")
                i += 2
                continue
            i += 1
            continue
        if c == "е" and i == 0:  # Ен Бай = Yen Bai
            out.append("ye")
            i += 1
            continue
        if c == "я" and i == 0:
            out.append("ya")
            i += 1
            continue
        if c == "й" and i == 0:
            out.append("y")
            i += 1
            continue
        if c == "э" and nxt == "й":  # Тэй = Tay
            out.append("ay")
            i += 2
            continue
        if c == "е" and prev in _VOWELS_CYR and prev not in ("и", "у"):
            out.append("e")
            i += 1
            continue
        out.append(_SIMPLE.get(c, c))
        i += 1
    return "".join(out)


def _valid(latin: str) -> bool:
    from pipelines.extract.names import _SYLLABLE

    return bool(_SYLLABLE.match(latin))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    try:
        from pipelines.extract.names import known_unit_names

        return known_unit_names()
    except Exception:
        return frozenset()


def _split_fused(latin: str) -> list[str] | None:
    """"quangnam" -> ["quang", "nam"] when the split is a unit name the gazetteer knows."""
    known = _known()
    if not known or len(latin) < 4:
        return None
    best: list[str] | None = None

    def rec(pos: int, parts: list[str]) -> None:
        nonlocal best
        if pos == len(latin):
            if len(parts) >= 2 and " ".join(parts) in known and (best is None or len(parts) < len(best)):
                best = list(parts)
            return
        if len(parts) >= 3:
            return
        for end in range(pos + 1, min(len(latin), pos + 7) + 1):
            piece = latin[pos:end]
            if _STRICT.match(piece):
                rec(end, [*parts, piece])

    rec(0, [])
    return best


def _word(word: str) -> str:
    """One Cyrillic word -> Latin, keeping its capitalisation."""
    low = word.lower()
    lat = _letters(low)
    if not _valid(lat) and not _split_fused(lat) and len(low) >= 3:
        for end in _ENDINGS:
            if low.endswith(end) and len(low) - len(end) >= 2:
                stem = low[: -len(end)]
                cands = [stem + "ь", stem + "й", stem] if end in _SOFT_ENDINGS else [stem]
                hit = next((_letters(s) for s in cands if _valid(_letters(s))), None)
                if hit is None:
                    hit = next((_letters(s) for s in cands if _split_fused(_letters(s))), None)
                if hit is not None:
                    lat = hit
                    break
    parts = [lat] if _valid(lat) else (_split_fused(lat) or [lat])
    if len(parts) == 1 and len(lat) >= 6 and lat not in _known():
        parts = _split_fused(lat) or parts  # "Нгеан": "nghean" looks like one syllable, is Nghe An
    if word.isupper() and len(word) > 1:
        return " ".join(p.upper() for p in parts)
    if word[:1].isupper():
        return " ".join(p.capitalize() for p in parts)
    return " ".join(parts)


def to_latin(token: str) -> str:
    """Cyrillic runs of `token` in the Latin form of the Vietnamese name ("Хиеп Хоа" -> "Hiep Hoa")."""
    if not _CYR.search(token):
        return token
    return _CYR.sub(lambda m: _word(m.group()), token)
