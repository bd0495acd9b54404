"""Reading Vietnamese proper names out of text in any of the packs' languages.

Place and person names keep their Vietnamese form in every translation: capitalised
syllables ("Dak To Pang", "Ia Hiao", "Siu H'Ler"). A token is accepted when, folded to ASCII,
it is shaped like a Vietnamese (or highland minority) syllable, so "Party", "Committee",
"Accordingly" or "Jawatankuasa" never become part of a name. Polish inflects names ("Ly Anh
Sanga" = Ly Anh Sang): an ending that makes the syllable impossible is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.textnorm import fold, spaced_key

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|dr|kr|br|bl|pl|kl|hr|tl|sr|pr|gr|ks|kp|str|[bcdghklmnpqrstvxyf])?"
_VOWELS = r"(?:[aeiouy]{1,3})"
_CODA = r"(?:ng|nh|ch|[cmnptrlkhsy])?"
_SYLLABLE = re.compile(f"^(?:[hk]')?{_ONSET}{_VOWELS}{_CODA}$")

TOKEN = re.compile(r"[^\W\d_](?:[\w'’]*\w)?|\d+", re.UNICODE)

SURNAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "lo", "ha", "ma", "luong", "luu", "trinh", "dinh", "doan", "lam", "mai", "ta", "vi", "quach", "cao", "chu", "dao", "tong", "thai", "la", "lai", "lu", "nong", "hua", "kieu", "tang", "trieu", "khuat", "giang", "chau", "tieu", "thach", "kim", "sam", "siu", "rah", "ksor", "nay", "y", "mua", "sung", "vang", "thao", "cam", "sa", "hau", "quan", "khong", "mac", "phung", "diep", "ong", "ninh", "tiep", "au", "on", "thieu", "lang", "luc", "ton", "dam", "tao", "nghiem", "ung", "an", "bach", "thang", "lieu", "dieu", "loc", "kha", "hau", "nham", "ngan", "phi", "phuong", "tra", "truong", "uong", "vuong", "xa"]
)


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@lru_cache(maxsize=65536)  # pure function of the token
def latin(token: str) -> str:
    """Vietnamese names written in Cyrillic (Russian translations) back in Latin ("Куэ" -> "Que")."""
    if not token.isascii() and _CYRILLIC.search(token):
        from pipelines.extract.translit import to_latin

        return to_latin(token)
    return token


@lru_cache(maxsize=65536)  # pure function of the token
def is_syllable(token: str) -> bool:
    """True when `token` (any case, with or without diacritics) can be one Vietnamese syllable
    (a transliterated token may stand for several: "Куангнам" -> "Quang Nam")."""
    t = fold(latin(token)).lower().replace("’", "'")
    return all(_SYLLABLE.match(part) for part in t.split()) if t.strip() else False


@lru_cache(maxsize=65536)  # pure function of the token
def is_surname(token: str) -> bool:
    return fold(latin(token)).lower() in SURNAMES


@lru_cache(maxsize=65536)  # pure function of the token and the (frozen) stop list
def is_name_token(token: str, stop_keys: frozenset[str]) -> bool:
    """A capitalised syllable that is not a known non-name word of the language."""
    if not token or not token[0].isupper():
        return False
    if token.lower() in stop_keys or ("=" + token) in stop_keys:
        return False
    return is_syllable(token)


@lru_cache(maxsize=65536)  # pure function of the token
def depolonize(token: str) -> str:
    """Undo a Polish case ending on a Vietnamese name syllable ("Sanga" -> "Sang", "Hieпa")."""
    if is_syllable(token):
        return token
    for suffix in ("owi", "em", "iem", "a", "ę", "y", "u", "ie", "ą"):
        if token.endswith(suffix) and len(token) > len(suffix) + 1:
            base = token[: -len(suffix)]
            if is_syllable(base):
                return base
    return token


@dataclass(frozen=True)
class NameRun:
    """A run of name tokens: its text as written, its span, and its token strings."""

    text: str
    start: int
    end: int
    tokens: tuple[str, ...]

    @property
    def ascii(self) -> str:
        toks = self.tokens
        return _display_name(toks if type(toks) is tuple else tuple(toks))


def display_name(tokens: tuple[str, ...] | list[str]) -> str:
    """The spec's form of a name: ASCII, each syllable capitalised if written all in capitals."""
    return _display_name(tuple(tokens))


@lru_cache(maxsize=65536)  # pure function of the tokens
def _display_name(tokens: tuple[str, ...]) -> str:
    words = [fold(latin(t)) for t in tokens]
    if all(w.isupper() and len(w) > 1 for w in words if w.isalpha()):
        words = [w.capitalize() for w in words]
    out = " ".join(words)
    return out.replace(" - ", "-").replace("’", "'")


# one step of a name: spaces, a hyphen that may join ("Ba Ria-Vung Tau"), the next token. A
# hyphen is taken only when a token follows it (else `re` backtracks to leave it unread, and then
# no token follows); whether it joins (the token starts upper-case) is decided by the caller.
_STEP = re.compile(r"[ \t\u00a0]*(-?)(" + TOKEN.pattern + ")", re.UNICODE)


def read_forward(
    text: str,
    pos: int,
    limit: int,
    stop_keys: frozenset[str],
    known: frozenset[str] | None = None,
    allow_number: bool = False,
    max_tokens: int = 4,
    depol: bool = False,
) -> NameRun | None:
    """Read a name starting at `pos` (after spaces); stops at the first non-name token.

    A lower-case token continues the name when the longer name is a known unit ("Xã Dân chủ").
    A leading number is accepted for villages ("thôn 5", "wsi nr 19").
    """
    # one anchored match per token: each `step()` continues where the last match ended
    if max_tokens <= 0:
        return None
    step = _STEP.scanner(text, pos, limit).match
    m = step()
    if m is None or m.group(1):  # no token, or a hyphen before the first one
        return None
    toks: list[str] = []
    start = m.start(2)
    end = -1
    while True:
        tok = m.group(2)
        if tok.isdigit():
            if not allow_number or toks:
                break
        else:
            cand = depolonize(tok) if depol else tok
            if is_name_token(cand, stop_keys):
                tok = cand
            elif not (toks and known is not None and tok[0].islower() and spaced_key(" ".join([*toks, tok])) in known):
                break
        toks.append(tok)
        end = m.end()
        if tok.isdigit() or len(toks) >= max_tokens:
            break
        m = step()
        # a hyphen joins only a capitalised token ("Ba Ria-Vung Tau"); else the name ends there
        if m is None or (m.group(1) and not m.group(2)[0].isupper()):
            break
    if not toks:
        return None
    return NameRun(text[start:end], start, end, tuple(toks))


def read_backward(
    text: str, pos: int, floor: int, stop_keys: frozenset[str], max_tokens: int = 4
) -> NameRun | None:
    """Read a name that ends right before `pos` ("Pu Nhi| Commune")."""
    toks: list[tuple[str, int, int]] = []
    i = pos
    while len(toks) < max_tokens:
        j = i
        while j > floor and text[j - 1] in " \t\u00a0-":
            j -= 1
        if j == i and toks:
            break
        k = j
        while k > floor and (text[k - 1].isalnum() or text[k - 1] in "'’"):
            k -= 1
        tok = text[k:j]
        if not tok or tok.isdigit() or not is_name_token(tok, stop_keys):
            break
        toks.append((tok, k, j))
        i = k
    if not toks:
        return None
    toks.reverse()
    return NameRun(text[toks[0][1] : toks[-1][2]], toks[0][1], toks[-1][2], tuple(t for t, _, _ in toks))


def split_person_tail(run: NameRun) -> tuple[NameRun | None, NameRun | None]:
    """Split "Hua Bum Phan Van Coc" into the place ("Hua Bum") and the person ("Phan Van Coc").

    The person part starts with a common surname and keeps 2-4 syllables (3 preferred); a place
    part the gazetteer knows is preferred. A run of at most 4 syllables that starts with a
    surname is a person as a whole.
    """
    toks = run.tokens
    if len(toks) <= 4 and is_surname(toks[0]):
        return None, run
    known = known_unit_names()
    best = None
    for i in range(1, len(toks) - 1):
        rest = len(toks) - i
        if is_surname(toks[i]) and 2 <= rest <= 4:
            prefix = " ".join(fold(latin(t)).lower() for t in toks[:i])
            score = (prefix in known, rest == 3, -abs(rest - 3))
            if best is None or score > best[0]:
                best = (score, i)
    if best is None:
        return run, None
    i = best[1]
    return _sub_run(run, 0, i), _sub_run(run, i, len(toks))


#: second syllables that mark a personal name ("Nguyễn Văn An", "Trần Thị Bích Hạnh")
MIDDLE_NAMES = frozenset(
    ["van", "thi", "duc", "huu", "xuan", "minh", "quang", "ngoc", "thanh", "dinh", "hong", "kim", "ba", "cong", "trong", "tien", "manh", "hoang", "anh", "viet", "dang", "trung", "quoc", "hai", "thu", "bich", "my", "phuong"]
)


def looks_like_person(run: NameRun, known: frozenset[str]) -> bool:
    """A surname-first run is a person unless the gazetteer knows it as a unit or its second
    syllable is no usual middle name ("Ninh Thạnh Lợi" is a commune, "Nguyễn Thị Huyền" a woman)."""
    words = [fold(latin(t)).lower() for t in run.tokens]
    if " ".join(words) in known:
        return False
    return len(words) >= 3 and words[1] in MIDDLE_NAMES


def _sub_run(run: NameRun, a: int, b: int) -> NameRun:
    # recover spans by scanning the run's text
    offs: list[tuple[int, int]] = []
    for m in TOKEN.finditer(run.text):
        offs.append((run.start + m.start(), run.start + m.end()))
    offs = offs[: len(run.tokens)]
    s, e = offs[a][0], offs[b - 1][1]
    return NameRun(run.text[s - run.start : e - run.start], s, e, run.tokens[a:b])


@lru_cache(maxsize=1)
def known_unit_names() -> frozenset[str]:
    """Spaced keys of every province, district and commune name of both eras (for extension)."""
    try:
        from pipelines.gazetteer import Gazetteer

        return Gazetteer.load().known_name_keys()
    except Exception:  # the gazetteer is optional for pure-text use
        return frozenset()
