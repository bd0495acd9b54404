"""Faster scanning with big case-insensitive alternations, without changing what they match.

Python's `re` finds no literal prefix in a pattern such as `(?<!\\w)(?:commune|district|...)`
compiled with IGNORECASE, so a search tries every alternative at every position of the text.
`guarded(rx)` returns an equivalent pattern that first checks, case-sensitively, that the
character at the position is one a match can start with: `(?=(?-i:[first chars]))(?:pattern)`.
The set of first characters is derived from the parsed pattern and closed under the pattern's
own case folding, so it is a superset of what can start a match: same matches, same groups,
same spans. When the first characters cannot be bounded (a leading `\\w`, `.`, a negated class,
a pattern that can match the empty string), the pattern is returned unchanged.
"""

from __future__ import annotations

import re
import sys
from functools import cache

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]


class _GiveUp(Exception):
    pass


def _combine(flags: int, add: int, delete: int) -> int:
    return (flags | add) & ~delete


def _first(seq, flags: int, atoms: list[tuple[str, int]]) -> bool:
    """Collect the atoms that can match the first character of `seq`; True if `seq` can be empty."""
    for op, av in seq:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: ignoring it only widens the set
        if op is _c.LITERAL:
            atoms.append((f"\\U{av:08x}", flags))
            return False
        if op is _c.IN:
            parts = []
            for iop, iav in av:
                if iop is _c.LITERAL:
                    parts.append(f"\\U{iav:08x}")
                elif iop is _c.RANGE:
                    parts.append(f"\\U{iav[0]:08x}-\\U{iav[1]:08x}")
                else:  # NEGATE, CATEGORY (\w, \s, \d ...): too wide to help
                    raise _GiveUp
            atoms.append(("".join(parts), flags))
            return False
        if op is _c.BRANCH:
            nullable = False
            for alt in av[1]:
                nullable |= _first(alt, flags, atoms)
            if not nullable:
                return False
            continue
        if op is _c.SUBPATTERN:
            _group, add, delete, sub = av
            if not _first(sub, _combine(flags, add, delete), atoms):
                return False
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            nullable = _first(sub, flags, atoms)
            if lo > 0 and not nullable:
                return False
            continue
        if op is getattr(_c, "ATOMIC_GROUP", None):
            if not _first(av, flags, atoms):
                return False
            continue
        raise _GiveUp  # ANY, NOT_LITERAL, GROUPREF, CATEGORY ...
    return True


_CASED: str | None = None


def _cased_chars() -> str:
    """Every character with another case (`re` treats only these specially under IGNORECASE)."""
    global _CASED
    if _CASED is None:
        import _sre

        _CASED = "".join(chr(i) for i in range(sys.maxunicode + 1) if _sre.unicode_iscased(i))
    return _CASED


def _own_chars(frags: list[str]) -> str | None:
    """The characters the atoms name themselves (ranges expanded), or None if too many."""
    out: list[str] = []
    for m in re.finditer(r"\\U([0-9a-f]{8})(?:-\\U([0-9a-f]{8}))?", "".join(frags)):
        a = int(m.group(1), 16)
        b = int(m.group(2), 16) if m.group(2) else a
        if b - a > 50000:
            return None
        out.extend(chr(i) for i in range(a, b + 1) if not 0xD800 <= i <= 0xDFFF)
    return "".join(out)


def _class(chars: set[str]) -> str:
    cps = sorted(ord(c) for c in chars)
    out: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(f"\\U{cps[i]:08x}" if i == j else f"\\U{cps[i]:08x}-\\U{cps[j]:08x}")
        i = j + 1
    return "".join(out)


def first_chars(rx: re.Pattern[str]) -> set[str] | None:
    """Every character a match of `rx` can start with, or None when that is not bounded."""
    if not isinstance(rx.pattern, str):
        return None
    try:
        parsed = _p.parse(rx.pattern, rx.flags)
        flags = parsed.state.flags
        atoms: list[tuple[str, int]] = []
        if _first(parsed, flags, atoms) or not atoms:
            return None
    except (_GiveUp, re.error, RecursionError):
        return None
    chars: set[str] = set()
    by_flags: dict[int, list[str]] = {}
    for frag, f in atoms:
        by_flags.setdefault(f & (re.IGNORECASE | re.ASCII | re.UNICODE), []).append(frag)
    for f, frags in by_flags.items():
        own = _own_chars(frags)
        if own is None:
            return None
        # a character outside the atoms' own ones can only match them through case folding
        import _sre

        lowered = "".join(chr(_sre.unicode_tolower(ord(ch))) for ch in own)
        domain = own + lowered + (_cased_chars() if f & re.IGNORECASE else "")
        chars.update(re.compile("[" + "".join(frags) + "]", f).findall(domain))
    return chars


@cache
def _guarded(pattern: str, flags: int) -> re.Pattern[str]:
    rx = re.compile(pattern, flags)
    chars = first_chars(rx)
    if not chars or len(chars) > 200:
        return rx
    return re.compile(f"(?=(?-i:[{_class(chars)}]))(?:{pattern})", flags)


def guarded(rx: re.Pattern[str] | str, flags: int = 0) -> re.Pattern[str]:
    """An equivalent pattern that rejects impossible start positions fast (see module doc)."""
    if isinstance(rx, re.Pattern):
        return _guarded(rx.pattern, rx.flags)
    return _guarded(rx, flags)
