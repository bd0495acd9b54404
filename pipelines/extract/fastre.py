"""Faster scanning with big case-insensitive alternations, without changing what they match.

Python's `re` finds no literal prefix in a pattern such as `(?<!\\w)(?:commune|district|...)`
compiled with IGNORECASE, so a search tries every alternative at every position of the text.
`guarded(rx)` returns an equivalent pattern that first checks, case-sensitively, that the
character at the position is one a match can start with: `(?=(?-i:[first chars]))(?:pattern)`.
The set of first characters is derived from the parsed pattern and closed under the pattern's
own case folding, so it is a superset of what can start a match: same matches, same groups,
same spans. When the first characters cannot be bounded (a leading `\\w`, `.`, a negated class,
a pattern that can match the empty string), the pattern is returned unchanged.

Two more tools rest on the same parse (see "literal gates" below): `literals(rx)` are strings
of which every match contains one, `prefixes(rx)` strings every match starts with. On the
lower-cased text (`lowered`) plain `str.find` then tells where a pattern cannot match at all
(`LiteralGate`, `absent`) or the only positions where it may start (`PrefixScan`).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from functools import cache

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]


class _GiveUp(Exception):
    pass


@cache
def _parse(pattern: str, flags: int):  # re._parser.SubPattern
    """The parsed pattern (read only here), shared by the analyses below: parsing is the slow part."""
    return _p.parse(pattern, flags)


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
        parsed = _parse(rx.pattern, rx.flags)
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


# ---- literal gates -------------------------------------------------------------------------
# A second, cheaper test: every match of a pattern contains one of a few literal strings, so a
# span of text holding none of them (checked with `str.find` on the lower-cased text, in C)
# cannot hold a match, and the pattern need not run there. The strings come from the parsed
# pattern; a text in which `str.lower()` and `re`'s case-insensitive matching could disagree
# (dotless ı, long ſ, İ, Greek final sigma ...) is never gated.

_MAX_SET = 64  # largest set of alternative strings tracked for one stretch of a pattern


@cache
def _odd_chars() -> frozenset[str]:
    """Characters on which `str.lower()` equality and `re.IGNORECASE` matching can disagree.

    `re` also matches the extra case pairs of `re._casefix` (i ~ ı, s ~ ſ, в ~ ᲀ, σ ~ ς ...); in
    each such class the usual letter (the lower case of its own upper case) stays allowed and
    the others are odd. İ is odd because its `str.lower()` is two characters long.
    """
    import _sre

    try:
        from re._casefix import _EXTRA_CASES as extra
    except ImportError:  # pragma: no cover - older Pythons
        from sre_compile import _ignorecase_fixes as extra  # type: ignore[attr-defined,no-redef]

    def usual(cp: int) -> bool:
        up = chr(cp).upper()
        return _sre.unicode_tolower(ord(up[0])) == cp

    rare: set[int] = set()
    for k, vs in extra.items():
        rare.update(c for c in (k, *vs) if not usual(c))
    odd = set()
    for ch in _cased_chars() + "".join(chr(c) for c in rare):
        cp = ord(ch)
        low = _sre.unicode_tolower(cp)
        if low in rare or ch.lower() != chr(low):
            odd.add(ch)
    return frozenset(odd)


@cache
def _odd_rx() -> re.Pattern[str]:
    return re.compile("[" + _class(set(_odd_chars())) + "]")


def lowered(text: str) -> str | None:
    """`text.lower()` when literal gates may be used on it (same length, no odd characters)."""
    if text.isascii():  # no odd character is ASCII, and ASCII lower-cases one to one
        return text.lower()
    if _odd_rx().search(text):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another one: a text holding the longer holds the shorter."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    ok = [_minimal(c) for c in cands if c and "" not in c]
    if not ok:
        return None
    return max(ok, key=lambda c: (min(map(len, c)), -len(c)))


def _info(seq) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(exact, required) for a parsed sequence: `exact` is every string it can consume (lower
    case, when few), `required` a set of strings of which every consumed string holds one."""
    odd = _odd_chars()
    cands: list[frozenset[str]] = []
    cur: set[str] = {""}
    all_exact = True
    for op, av in seq:
        exact: frozenset[str] | None = None
        req: frozenset[str] | None = None
        if op is _c.LITERAL:
            ch = chr(av)
            if ch not in odd:
                exact = frozenset({ch.lower()})
        elif op is _c.IN:
            if all(iop is _c.LITERAL for iop, _ in av) and len(av) <= 8:
                chars = [chr(iav) for _, iav in av]
                if not any(ch in odd for ch in chars):
                    exact = frozenset(ch.lower() for ch in chars)
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            exact = frozenset({""})  # consumes nothing
        elif op is _c.SUBPATTERN:
            exact, req = _info(av[3])
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            exact, req = _info(av)
        elif op is _c.BRANCH:
            infos = [_info(alt) for alt in av[1]]
            if all(e is not None for e, _ in infos):
                union = frozenset().union(*(e for e, _ in infos if e is not None))
                exact = union if len(union) <= _MAX_SET else None
            reqs = [r for _, r in infos]
            if all(r is not None for r in reqs):
                req = frozenset().union(*(r for r in reqs if r is not None))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            lo, hi, sub = av
            e, r = _info(sub)
            if lo == hi == 1:
                exact, req = e, r
            elif lo == 0 and hi == 1 and e is not None:
                exact = e | {""}
            elif lo >= 1:
                req = r
        # anything else (ANY, CATEGORY, NOT_LITERAL, GROUPREF ...) consumes unknown text
        if exact is not None:
            prod = {a + b for a in cur for b in exact}
            if len(prod) > _MAX_SET:
                cands.append(frozenset(cur))
                cur = set(exact)
                all_exact = False
            else:
                cur = prod
        else:
            all_exact = False
            cands.append(frozenset(cur))
            cur = {""}
        if req is not None:
            cands.append(req)
    cands.append(frozenset(cur))
    return (frozenset(cur) if all_exact else None), _best(cands)


@cache
def _literals(pattern: str, flags: int) -> tuple[str, ...] | None:
    try:
        _exact, req = _info(_parse(pattern, flags))
    except (re.error, RecursionError):
        return None
    return tuple(sorted(req)) if req else None


def literals(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of `rx` contains one; None when none are known.

    Sound on text that `lowered` accepts: a match consumes characters that `re` equates with the
    pattern's own, and there those have the same `str.lower()`.
    """
    if not isinstance(rx.pattern, str):
        return None
    return _literals(rx.pattern, rx.flags)


def cover(lits: tuple[str, ...] | None, most: int = 8) -> tuple[str, ...] | None:
    """At most `most` short strings such that every literal contains one (greedy set cover over
    substrings of 6, then 5, 4, 3 characters): still a sound gate, with fewer `find`s."""
    if lits is None:
        return None
    for k in (6, 5, 4, 3):
        left = set(lits)
        chosen: list[str] = []
        while left and len(chosen) <= most:
            counts: dict[str, int] = {}
            for lit in left:
                for sub in {lit[i : i + k] for i in range(max(1, len(lit) - k + 1))}:
                    counts[sub] = counts.get(sub, 0) + 1
            best = max(sorted(counts), key=lambda sub: (counts[sub], len(sub)))
            chosen.append(best)
            left = {lit for lit in left if best not in lit}
        if not left and len(chosen) <= most:
            return tuple(sorted(chosen))
    return None


class LiteralGate:
    """Where in one text a pattern can match at all, from its `literals` (see above)."""

    __slots__ = ("lits",)

    def __init__(self, *rxs: re.Pattern[str]):
        # several patterns: a span may hold a match of any of them
        found = [literals(rx) for rx in rxs]
        self.lits: tuple[str, ...] | None = cover(
            tuple(sorted({s for f in found if f for s in f})) if found and all(found) else None, most=12
        )

    def spans(self, low: str | None) -> list[tuple[int, int]] | None:
        """Sorted spans of the literals in `low` (from `lowered`); None: no gate, run everywhere."""
        if low is None or self.lits is None:
            return None
        out: list[tuple[int, int]] = []
        find = low.find
        for lit in self.lits:
            n = len(lit)
            i = find(lit)
            while i >= 0:
                out.append((i, i + n))
                i = find(lit, i + 1)
        out.sort()
        return out


def may_match(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    """False only when no literal span lies inside [start, end): the pattern cannot match there."""
    if spans is None:
        return True
    i = bisect_left(spans, (start, -1))
    n = len(spans)
    while i < n and spans[i][0] < end:
        if spans[i][1] <= end:
            return True
        i += 1
    return False


def _shrink(strings: set[str] | frozenset[str]) -> frozenset[str] | None:
    """A few short prefixes that cover `strings` (a string that starts with a kept one adds
    nothing): fewer `find` calls, at the cost of a few more positions to try."""
    if not strings or "" in strings:
        return None
    for n in (8, 6, 5, 4, 3, 2):
        kept: list[str] = []
        for s in sorted({x[:n] for x in strings}, key=len):
            if not any(s.startswith(k) for k in kept):
                kept.append(s)
        if len(kept) <= 16 or (n <= 4 and len(kept) <= _MAX_SET):
            return frozenset(kept)
    return None


def _prefix(seq) -> frozenset[str] | None:
    """Strings of which every string `seq` consumes starts with one (lower case); None: unknown."""
    cur: set[str] = {""}
    for item in seq:
        exact, _req = _info([item])
        if exact is not None:
            prod = {a + b for a in cur for b in exact}
            if len(prod) > _MAX_SET:
                break
            cur = prod
            continue
        op, av = item
        sub: frozenset[str] | None = None
        if op is _c.SUBPATTERN:
            sub = _prefix(av[3])
        elif op is _c.BRANCH:
            alts = [_prefix(alt) for alt in av[1]]
            if all(a is not None for a in alts):
                sub = _shrink(set().union(*alts))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            sub = _prefix(av[2])
        if sub is not None:
            prod = {a + b for a in cur for b in sub}
            if len(prod) <= _MAX_SET:
                cur = prod
        break  # what follows a non-exact item is not a fixed distance from the start
    return _shrink(cur)


@cache
def _prefixes(pattern: str, flags: int) -> tuple[str, ...] | None:
    try:
        found = _prefix(_parse(pattern, flags))
    except (re.error, RecursionError):
        return None
    return tuple(sorted(found)) if found else None


def prefixes(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of `rx` starts with one; None when unknown.

    Sound on text that `lowered` accepts (see `literals`); never contains the empty string, so a
    pattern with prefixes has no empty match.
    """
    if not isinstance(rx.pattern, str):
        return None
    return _prefixes(rx.pattern, rx.flags)


class PrefixScan:
    """`rx.finditer(text)` that only tries positions where one of the pattern's prefixes starts.

    Same matches as `finditer`: a match can only start at such a position, `rx.match(text, i)`
    is the attempt `search` makes at `i` (lookbehinds still see the text before `i`), and after a
    match the scan resumes at its end, as `finditer` does (matches are never empty here).
    """

    __slots__ = ("rx", "starts")

    def __init__(self, rx: re.Pattern[str]):
        self.rx = rx
        self.starts = prefixes(rx)

    def positions(self, low: str | None) -> list[int] | None:
        """Sorted positions in `low` where a prefix starts; None: unknown, try everywhere."""
        if low is None or self.starts is None:
            return None
        find = low.find
        cands: list[int] = []
        for s in self.starts:
            i = find(s)
            while i >= 0:
                cands.append(i)
                i = find(s, i + 1)
        cands.sort()
        return cands

    def finditer(self, text: str, low: str | None) -> list[re.Match[str]]:
        """`list(rx.finditer(text))`."""
        cands = self.positions(low)
        if cands is None:
            return list(self.rx.finditer(text))
        return self.finditer_range(text, cands, 0, len(text))

    def finditer_range(self, text: str, cands: list[int] | None, a: int, b: int) -> list[re.Match[str]]:
        """`list(rx.finditer(text, a, b))`, given `positions(...)` of the whole text."""
        if cands is None:
            return list(self.rx.finditer(text, a, b))
        out: list[re.Match[str]] = []
        match = self.rx.match
        pos = a
        for k in range(bisect_left(cands, a), len(cands)):
            i = cands[k]
            if i >= b:
                break
            if i < pos:
                continue
            m = match(text, i, b)
            if m is not None:
                out.append(m)
                pos = m.end()
        return out

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        """`rx.search(text)`: the first match of `finditer`."""
        if low is None or self.starts is None:
            return self.rx.search(text)
        best: re.Match[str] | None = None
        for s in self.starts:
            i = low.find(s)
            while i >= 0 and (best is None or i < best.start()):
                m = self.rx.match(text, i)
                if m is not None:
                    best = m
                    break
                i = low.find(s, i + 1)
        return best


class SharedScan:
    """`positions` of several `PrefixScan`s over one text, with one `find` pass per distinct
    prefix instead of one per prefix of each scan ("commune", "district", "province" come
    before and after names and start anaphors alike).

    Only identical prefixes are shared: finding a longer prefix as a shorter one plus a
    `startswith` test at each place costs more in Python calls than the `find` pass it saves.
    Every scan's list is the one its own `positions` gives.
    """

    __slots__ = ("scans", "plans")

    def __init__(self, scans: list[PrefixScan]):
        self.scans = scans
        users: dict[str, list[int]] = {}  # prefix -> the scans that have it (once per copy)
        for j, sc in enumerate(scans):
            for p in sc.starts or ():
                users.setdefault(p, []).append(j)
        self.plans: list[tuple[str, list[int]]] = list(users.items())

    def positions(self, low: str | None) -> list[list[int] | None]:
        """`[scan.positions(low) for scan in scans]`."""
        if low is None:
            return [None] * len(self.scans)
        out: list[list[int] | None] = [[] if sc.starts is not None else None for sc in self.scans]
        find = low.find
        for s, users in self.plans:
            i = find(s)
            if i < 0:
                continue  # the usual case
            hits = []
            while i >= 0:
                hits.append(i)
                i = find(s, i + 1)
            for j in users:
                out[j] += hits  # type: ignore[operator]
        for cands in out:
            if cands:
                cands.sort()
        return out


def absent(low: str | None, lits: tuple[str, ...] | None, start: int, end: int) -> bool:
    """True only when no literal of a pattern lies inside `low[start:end]`: the pattern cannot
    match in `text[start:end]` (searched as a slice or with pos/endpos). False: just search."""
    if low is None or lits is None:
        return False
    find = low.find
    for lit in lits:  # noqa: SIM110 - a plain loop; all(<generator>) is slower on this hot path
        if find(lit, start, end) >= 0:
            return False
    return True
