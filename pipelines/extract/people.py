"""Named officials and their roles, normalised to the spec's English list.

A person is a run of 2-4 Vietnamese name syllables that an honorific introduces ("rakan
seperjuangan", "Towarzysz", "đồng chí"), that a title follows ("X, Secretary of ..."), or that
a title precedes ("Setiausaha Jawatankuasa Parti Komune Hua Bum Phan Van Coc"). Of several
titles the highest Party title wins, then government titles (spec ranking); a person whose only
titles are national (Politburo, Central Committee) is not recorded.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pipelines.extract.fastre import PrefixScan, absent, guarded, literals, lowered, prefixes
from pipelines.extract.model import Person, Subject
from pipelines.extract.names import (
    TOKEN,
    NameRun,
    depolonize,
    is_name_token,
    is_surname,
    known_unit_names,
    read_forward,
    split_person_tail,
)
from pipelines.extract.pack import Pack
from pipelines.extract.sentences import Span
from pipelines.extract.subjects import Mention, Resolver
from pipelines.textnorm import key

_F = re.IGNORECASE | re.UNICODE
#: national figures named in many articles (the founder, not an official of the unit)
NOT_RECORDED = {"hochiminh"}
_LEAD_IN = re.compile(r"\s*[,\-–—(]\s*(?:[^\W\d_][\w'’]*\s+){0,3}")
# where a title's body ends: `[,;:.()|]|\s[-–]\s`, found from its punctuation or dash (a
# character class, which re scans fast) rather than trying `\s` at every space; see _context_end
_CONTEXT_END = re.compile(r"[,;:.()|\-–](?:(?<=[,;:.()|])|(?<=\s[-–])\s)")
_NAME_THEN_TITLE = re.compile(r"([^\W\d_][\w'’]*(?:[ \t]+[^\W\d_][\w'’]*){1,4})\s*(?:,|-|–|—|\()\s*(?:\w+\s+){0,2}$")
_SEPARATORS = (",", "-", "–", "—", "(")
# patterns used per title or name (compiled once, not looked up in re's cache each time)
_STOP = re.compile(r"[,;:.()]")
# a capital not preceded by a word character, `(?<![\w'’])[A-ZÀ-ỸĐ]` with the class first (the
# two-character lookbehind fails at the start, as the one-character one passes there): re then
# skips to the capitals instead of trying the lookbehind everywhere
_CAP_START = re.compile(r"[A-ZÀ-ỸĐ](?<![\w'’].)")
# the same capitals with the name token (`TOKEN`) that starts there, when it is a word (group 1
# is None otherwise: TOKEN finds no token there, or a number). No capital the scan skips inside
# the token could start one: each follows a [\w'’] character.
_CAP_TOKEN = re.compile(r"[A-ZÀ-ỸĐ](?<![\w'’].)((?<=[^\W\d_])(?:[\w'’]*\w)?)?")
# spaces and the first token after them, as read_forward reads them
_SPACE_TOKEN = re.compile(r"[ \t\u00a0]*(" + TOKEN.pattern + ")", re.UNICODE)
# the last separator before a title, followed by at most two words (see _name_then_title): only
# the last separator can match, as an earlier one has the last one in its tail
_SEP_TAIL = re.compile(r"[,\-–—(]\s*(?:\w+\s+){0,2}\Z")
_NAME_ENDS = re.compile(r"\s*(?:[,.:;(]|(?-i:[a-zà-ỹ]))")
_COMMA = re.compile(r",\s*")
_APPOSITION = re.compile(r"\s*[,(]")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’]*")
_CLAUSE_BREAK = re.compile(r"[.;]|,\s*(?:[a-zà-ỹ]\w*\s+){3,}")
_TITLE_TAIL = re.compile(r"\s*(?:\w+\s+){0,2}")
_GAP = re.compile(r"[ \t]+")


#: `lowered` accepts every ASCII character, so on ASCII text it is plain `str.lower()`
_ASCII_LOWERS = all(lowered(chr(i)) == chr(i).lower() for i in range(128))


def _ascii_lowered(s: str) -> str | None:
    """`lowered(s)` when `s` is ASCII (most English, Malay, Indonesian sentences), else None.

    On other text the scan for odd characters costs about what the literal checks save.
    """
    return s.lower() if _ASCII_LOWERS and s.isascii() else None


def _context_end(text: str, pos: int, end: int) -> int:
    r"""Start of the first match of `[,;:.()|]|\s[-–]\s` in text[pos:end] (`end` if none).

    `_CONTEXT_END` matches at the punctuation, or at the dash of a space-dash-space (the space
    must lie at `pos` or later: one before `pos` is skipped).
    """
    cm = _CONTEXT_END.search(text, pos, end)
    while cm is not None:
        q = cm.start()
        if text[q] not in "-–":
            return q
        if q > pos:
            return q - 1
        cm = _CONTEXT_END.search(text, q + 1, end)
    return end


def _name_then_title(pre: str) -> re.Match[str] | None:
    """`_NAME_THEN_TITLE.search(pre)`, without trying starts that cannot begin a match.

    What follows the separator is only words and spaces, so the separator is the last one in
    `pre` and the rest must read as up to two words; and the name before it has at most four
    tab/space gaps, so no match starts before the fifth-last such gap ahead of the name.
    """
    j = max(pre.rfind(c) for c in _SEPARATORS)
    if j < 0 or not _TITLE_TAIL.fullmatch(pre, j + 1):
        return None
    name_end = len(pre[:j].rstrip())
    gaps = list(_GAP.finditer(pre, 0, name_end))
    return _NAME_THEN_TITLE.search(pre, gaps[-5].end() if len(gaps) >= 5 else 0)
PARTY_RANK = {
    "secretary": 0,
    "permanent deputy secretary": 1,
    "deputy secretary": 2,
    "chairman": 3,
    "head": 3,
    "vice chairman": 4,
    "deputy head": 4,
    "member": 5,
    "other": 6,
}


@dataclass(slots=True)
class _RoleHit:
    role: str
    start: int
    end: int
    context: str
    ctx_start: int
    party: bool
    national: bool


def _title_prefixes(pack: Pack) -> tuple[str, ...] | None:
    """Strings every title starts with, read title by title (None if one title has none).

    The whole alternation's prefixes are cut short to stay few ("party" for "party secretary"
    and "party chief"), so every "Party" in an English text is a place to try the titles at,
    and every sentence with one is read for people. Each title alone keeps longer prefixes
    ("party se", "party ch"): a few more strings to find per article, far fewer places to try.
    A match of the alternation is a match of the title its group names, so the union is sound.
    """
    out: set[str] = set()
    for p, _role in pack.roles:
        found = prefixes(re.compile(f"(?<!\\w)(?:{p})(?!\\w)", _F))
        if found is None:
            return None
        out.update(found)
    kept: list[str] = []  # a string that starts with a kept one adds no place to try
    for s in sorted(out, key=len):
        if not any(s.startswith(k) for k in kept):
            kept.append(s)
    return tuple(sorted(kept))


def _fewer(starts: tuple[str, ...]) -> tuple[str, ...]:
    """Prefixes without their trailing space or tab ("mr " and "mr\t" both become "mr"), and
    none that starts with another: every match still starts with one, half as many `find`s."""
    cut = {s.rstrip(" \t") or s for s in starts}
    kept: list[str] = []
    for s in sorted(cut, key=len):
        if not any(s.startswith(k) for k in kept):
            kept.append(s)
    return tuple(sorted(kept))


class PeopleReader:
    def __init__(self, pack: Pack):
        self.pack = pack
        self.known = known_unit_names()
        self.hon = re.compile(f"(?<!\\w)(?:{pack.honorifics})[ \\t]+(?=[A-ZÀ-ỸĐ])", _F)
        self.party_rx = re.compile(
            f"(?:{pack.org_words})|(?:{pack.cell_words or pack.org_words})|\\bParti\\w*|\\bParty\\b|Đảng|ủy|\\bPartai\\b|Partyjn\\w*|\\bBTV\\b|\\bTUV\\b|\\bHUV\\b|partii",
            _F,
        )
        # all titles in one pattern; alternatives keep the pack's longest-first order
        self.role_of = {f"r{i}": role for i, (_p, role) in enumerate(pack.roles)}
        self.roles_rx = re.compile(
            "(?<!\\w)(?:" + "|".join(f"(?P<r{i}>{p})" for i, (p, _r) in enumerate(pack.roles)) + ")(?!\\w)", _F
        )
        # the title phrase ends with a comma and (an honorific before) the name
        self.fronted = re.compile(f",\\s*(?:(?:{pack.honorifics})\\s+)?$", _F)
        # matched at a position (`sep.match(text, pos, end)`), as `^...` on the slice from there
        self.sep = re.compile(r"\s*(?:,|-|–|—|\()\s*")
        self.appoint = guarded(re.compile(f"(?:{pack.appoint_markers})", _F))
        self.conj_name = re.compile(f"\\s*(?:,|\\s(?:{pack.list_conj}))\\s+(?=[A-ZÀ-ỸĐ])", _F)
        self.hon, self.roles_rx = guarded(self.hon), guarded(self.roles_rx)
        #: titles are tried only where a title word starts (same matches as finditer)
        self.roles_scan = PrefixScan(self.roles_rx)
        finer = _title_prefixes(pack)
        if finer is not None:
            self.roles_scan.starts = finer
        # the body tests, with a first-character check (same matches)
        self.party_rx = guarded(self.party_rx)
        self.gov_rx = guarded(pack.rx("government_words"))
        self.board_rx = guarded(pack.rx("board_words"))
        self.inspection_rx = guarded(pack.rx("inspection_words"))
        self.national_rx = guarded(pack.rx("national_words"))
        #: honorifics are tried only where one starts in the lower-cased sentence (same matches)
        self.hon_scan = PrefixScan(self.hon)
        if self.hon_scan.starts is not None:
            self.hon_scan.starts = _fewer(self.hon_scan.starts)
        #: strings one of which every "appointed/as" marker contains: none in a span, no marker
        self.appoint_lits = literals(self.appoint)
        self.depol = pack.code == "pl"
        self.chain = re.compile(f"[\\s,\\-–—(]*(?:(?:{pack.list_conj}|{pack.honorifics})\\s+)?[\\s,\\-–—(]*", _F)

    # ------------------------------------------------------------------ roles
    def _titles(self, text: str, a: int, b: int, starts: list[int] | None) -> list[re.Match[str]]:
        """`list(roles_rx.finditer(text, a, b))`; most sentences it sees hold a candidate (a
        "Party", a "member") but no title start, so that case returns before any call."""
        if starts is not None:
            k = bisect_left(starts, a)
            if k == len(starts) or starts[k] >= b:
                return []
        return self.roles_scan.finditer_range(text, starts, a, b)

    def _roles_in(self, text: str, a: int, b: int, starts: list[int] | None = None) -> list[_RoleHit]:
        """The titles in text[a:b], in order (finditer's matches do not overlap)."""
        hits: list[_RoleHit] = []
        role_of = self.role_of
        for m in self._titles(text, a, b, starts):
            s, e = m.span()
            # the body the title belongs to: up to the next comma/semicolon/dash
            hits.append(_RoleHit(role_of[m.lastgroup], s, e, text[s : _context_end(text, e, b)], s, False, False))
        for h, nxt in zip(hits, hits[1:], strict=False):
            if nxt.start < h.ctx_start + len(h.context):
                h.context = text[h.ctx_start : nxt.start]
        return hits

    def _classify(self, hits: list[_RoleHit]) -> None:
        """Party or government title, board head, national body: read from each title's body.

        Only needed once a person is found, so sentences with titles but no name skip it. A
        secretary is a Party title whatever the body says, so its body is not read for that.
        """
        for h in hits:
            body = h.context
            if h.role == "secretary":
                h.party = True  # Party or Youth Union secretary: ranked as the spec says
            else:
                h.party = not self.gov_rx.search(body) and self.party_rx.search(body) is not None
            if h.role in ("chairman", "vice chairman") and self.board_rx.search(body) and not self.inspection_rx.search(body):
                h.role = "head" if h.role == "chairman" else "deputy head"
            h.national = self.national_rx.search(body) is not None

    @staticmethod
    def _rank(h: _RoleHit) -> float:
        base = PARTY_RANK.get(h.role, 6)
        return base if h.party else 10 + base

    # ------------------------------------------------------------------ names
    def _surname_at(self, text: str, pos: int, limit: int) -> bool:
        """False when the name `_name_at` would read there cannot start with a surname: its
        first token (after spaces, depolonized in Polish) is that name's first token."""
        m = _SPACE_TOKEN.match(text, pos, limit)
        if m is None:
            return False
        tok = depolonize(m.group(1)) if self.depol else m.group(1)
        return is_surname(tok) and is_name_token(tok, self.pack.stop_keys)

    def _name_at(self, text: str, pos: int, limit: int) -> NameRun | None:
        run = read_forward(text, pos, limit, self.pack.stop_keys, None, max_tokens=5, depol=self.pack.code == "pl")
        if run is None or len(run.tokens) < 2:
            return None
        if len(run.tokens) == 5:
            return None
        return run

    def read(
        self,
        text: str,
        sent: Span,
        mentions: list[Mention],
        resolver: Resolver,
        title_starts: list[int] | None = None,
    ) -> list[tuple[Person, float]]:
        """Officials named in one sentence; `title_starts` is `roles_scan.positions(lowered text)`
        when the caller has it (where a title can start)."""
        a, b = sent.start, sent.end
        roles = self._roles_in(text, a, b, title_starts)
        if not roles:
            return []
        # the sentence lower-cased, for literal pre-checks (None: every regex runs)
        low = _ascii_lowered(text[a:b])
        people: list[tuple[NameRun, int]] = []  # run, how found (0 honorific, 1 title-before)
        seen: set[int] = set()
        # 1. honorific + name, and names joined to it ("Dinh Do dan Dinh Tay sebagai ahli")
        joined: dict[int, NameRun] = {}
        for m in self._honorifics(text, a, b, low):
            run = self._name_at(text, m.end(), b)
            while run and run.start not in seen:
                people.append((run, 0))
                seen.add(run.start)
                cm = self.conj_name.match(text, run.end, b)
                nxt = self._name_at(text, cm.end(), b) if cm else None
                if nxt is not None:
                    joined[run.start] = nxt
                run = nxt
        # 2. name followed by a title: "Nguyen Xuan Dat, Permanent Deputy Secretary"
        for h in roles:
            run = self._name_before(text, max(a, h.start - 60), h.start)
            if run and run.start not in seen and not self._is_place(run, mentions):
                people.append((run, 2))
                seen.add(run.start)
        # 3. title then name: "Setiausaha Jawatankuasa Parti Komune Hua Bum Phan Van Coc"
        for h in roles:
            self._name_after(text, h, b, people, seen, mentions)
        out: list[tuple[Person, float]] = []
        if people:
            self._classify(roles)
        for run, how in people:
            hits = self._hits_for(text, run, roles, b, how, a, low)
            nxt = joined.get(run.start)
            while not hits and nxt is not None:
                # "A and B as members": A takes the titles that follow B
                hits = self._hits_for(text, nxt, roles, b, how, a, low)
                nxt = joined.get(nxt.start)
            if not hits:
                continue
            if all(h.national for h in hits) or key(run.ascii) in NOT_RECORDED:
                continue
            best = min(hits, key=self._rank)
            org = self._organization(text, best, mentions, resolver)
            name = run.ascii
            if not self._valid_person(run):
                continue
            conf = 0.85 if how in (0, 1) else 0.75
            out.append(
                (
                    Person(
                        name=name,
                        role=best.role,
                        organization=org,
                        evidence=text[a:b],
                        start=a,
                        end=b,
                        confidence=conf,
                        title=best.context.strip(),
                    ),
                    self._rank(best),
                )
            )
        return out

    def _honorifics(self, text: str, a: int, b: int, low: str | None) -> list[re.Match[str]]:
        """`list(hon.finditer(text, a, b))`, tried only where an honorific starts in `low`
        (the lower-cased sentence): `str.find` instead of the pattern at every position."""
        starts = self.hon_scan.starts
        if low is None or starts is None:
            return list(self.hon.finditer(text, a, b))
        for s in starts:
            if s in low:
                break
        else:
            return []  # the usual case: no honorific at all
        cands = self.hon_scan.positions(low) or []
        return self.hon_scan.finditer_range(text, [a + i for i in cands], a, b)

    def _name_before(self, text: str, s: int, e: int) -> NameRun | None:
        """The name that ends text[s:e] before a separator and up to two words: "Nguyen Xuan
        Dat, " (`_name_then_title`, then `_trailing_name` on its name).

        `_trailing_name` reads the name's words from the last one back and gives up when the
        last is no name token; that word is the one after the last space or tab before the
        separator, so it is checked first and most titles skip the regex.
        """
        pre = text[s:e]
        tail = _SEP_TAIL.search(pre)
        if tail is None:
            return None
        j = tail.start()
        name_end = len(pre[:j].rstrip())
        last = pre[max(pre.rfind(" ", 0, name_end), pre.rfind("\t", 0, name_end)) + 1 : name_end]
        if not is_name_token(depolonize(last) if self.depol else last, self.pack.stop_keys):
            return None
        # as in _name_then_title: the name has at most four gaps
        gaps = list(_GAP.finditer(pre, 0, name_end))
        sm = _NAME_THEN_TITLE.search(pre, gaps[-5].end() if len(gaps) >= 5 else 0)
        if not sm:
            return None
        return self._trailing_name(text, s + sm.start(1), s + sm.end(1))

    def _name_after(
        self, text: str, h: _RoleHit, b: int, people: list[tuple[NameRun, int]], seen: set[int], mentions: list[Mention]
    ) -> None:
        """Step 3 of `read`: the name the title `h` introduces, added to `people`."""
        seg_end = min(b, h.end + 120)
        stop = _STOP.search(text, h.end, seg_end)
        limit = stop.start() if stop else seg_end
        consumed = h.end
        stop_keys, depol = self.pack.stop_keys, self.depol
        for tm in _CAP_TOKEN.finditer(text[h.end : limit]):
            p0 = h.end + tm.start()
            if p0 < consumed:
                continue
            if people and any(r.start <= p0 < r.end for r, _ in people):
                break
            # read_forward gives no run unless the first token is a name token
            if tm.group(1) is None or not is_name_token(depolonize(tm.group()) if depol else tm.group(), stop_keys):
                continue
            run = read_forward(text, p0, limit, stop_keys, None, max_tokens=7, depol=depol)
            if run is None or len(run.tokens) < 2:
                continue
            consumed = run.end
            place, person = split_person_tail(run)
            if person is not None and place is None and self._is_place(person, mentions):
                person = None
            elif person is None and len(run.tokens) <= 4 and not self._is_place(run, mentions) and _NAME_ENDS.match(text, run.end, run.end + 3):
                person = run  # the title phrase ends with the name: "... Party Committee Loc Thi Van said"
            if person is not None and person.start not in seen:
                people.append((person, 1))
                seen.add(person.start)
                return
        else:
            # "Ketua Komite Rakyat Kelurahan Ben Nghe, Nguyen Thi Lan, mengatakan"
            # the stop is the character at `limit`: only a comma starts an apposition
            cm = _COMMA.match(text, limit, limit + 3) if stop and text[limit] == "," else None
            if cm and self._surname_at(text, cm.end(), b):
                run = self._name_at(text, cm.end(), b)
                if run and run.start not in seen and is_surname(run.tokens[0]) and _APPOSITION.match(text, run.end, run.end + 2):
                    people.append((run, 1))
                    seen.add(run.start)

    def _trailing_name(self, text: str, s: int, e: int) -> NameRun | None:
        words = list(_NAME_WORD.finditer(text, s, e))  # no lookaround: as on text[s:e]
        # take the longest tail of name tokens (2-4), read from the end
        toks: list[str] = []
        first = None  # the word of the name's first token
        depol, stop_keys = self.depol, self.pack.stop_keys
        for w in reversed(words):
            tok = depolonize(w.group()) if depol else w.group()
            if len(toks) < 4 and is_name_token(tok, stop_keys):
                toks.append(tok)
                first = w
            else:
                break
        if first is None or len(toks) < 2:
            return None
        toks.reverse()
        if not is_surname(toks[0]) and len(toks) < 3:
            return None  # "Siu H'Ler", "Y Te": two syllables only after a known surname
        start, end = first.start(), words[-1].end()
        return NameRun(text[start:end], start, end, tuple(toks))

    def _hits_for(
        self, text: str, run: NameRun, roles: list[_RoleHit], limit: int, how: int, a: int = 0, low: str | None = None
    ) -> list[_RoleHit]:
        """The titles that belong to this person: the apposition after the name, the title
        right before it, and titles after 'as/appointed/to the position of'.

        `low` is text[a:limit] lower-cased (or None): where it holds no literal of the
        appointment markers, they are not searched for.
        """
        hits: list[_RoleHit] = []
        if how in (0, 1) or self.sep.match(text, run.end, limit):
            # apposition: a chain of titles joined only by commas or "and"
            pos = run.end
            for h in roles:
                if h.start < run.end:
                    continue
                gap = text[pos : h.start]
                # the first title may follow a few words of its body: "X, Party Committee Secretary"
                first_ok = not hits and _LEAD_IN.fullmatch(gap)
                if not (self.chain.fullmatch(gap) or first_ok):
                    break
                hits.append(h)
                pos = h.ctx_start + len(h.context)
        # title before the name: "Secretary of X Nguyen Van A", "Sekretarz ... X, towarzysz A"
        for h in roles:
            if h.end <= run.start and run.start - h.end < 120:
                between = text[h.end : run.start]
                # a clause break holds one of . ; , (checked first: most gaps hold none)
                if ("," in between or "." in between or ";" in between) and _CLAUSE_BREAK.search(between):
                    continue
                if how == 1 or (how in (0, 2) and self.fronted.search(between)) or self._appointed(text, h.start - 40 if h.start >= 40 else 0, run.start, a, low):
                    hits.append(h)
        # "... dipindahkan ke posisi Sekretaris ...", "giữ chức vụ Bí thư"
        if low is not None and absent(low, self.appoint_lits, run.end - a, limit - a):
            return hits
        for am in self.appoint.finditer(text, run.end, limit):
            for h in roles:
                # titles are distinct objects with distinct starts: identity is equality here
                if am.end() <= h.start <= am.end() + 3 and all(h is not x for x in hits):
                    hits.append(h)
        return hits

    def _appointed(self, text: str, s: int, e: int, a: int, low: str | None) -> bool:
        """`appoint.search(text[s:e])`, skipped when `low` (text from `a` lower-cased) shows
        no literal of it in the span."""
        if low is not None and s >= a and absent(low, self.appoint_lits, s - a, e - a):
            return False
        return bool(self.appoint.search(text[s:e]))

    def _organization(self, text: str, h: _RoleHit, mentions: list[Mention], resolver: Resolver) -> Subject | None:
        a, b = h.ctx_start, h.ctx_start + len(h.context)
        inside = [m for m in mentions if a <= m.start < b + 40 and m.start < b + 1]
        for m in inside:
            tgt = m if m.kind != "anaphor" else (m.resolved or resolver.resolve_anaphor(m))
            if tgt is not None and tgt.name:
                return Subject(tgt.name, tgt.level, tgt.province)
        return None

    def _is_place(self, run: NameRun, mentions: list[Mention]) -> bool:
        """The run is the name of a unit mention here, or a unit name with no surname first."""
        if any(m.start <= run.start < m.end for m in mentions if m.kind != "anaphor"):
            return True
        return " ".join(t.lower() for t in run.ascii.split()) in self.known and not is_surname(run.tokens[0])

    def _valid_person(self, run: NameRun) -> bool:
        return 2 <= len(run.tokens) <= 4 and all(not t.isdigit() for t in run.tokens)


def merge_people(found: list[tuple[Person, float]]) -> list[Person]:
    """One entry per person and article: the best-ranked title wins."""
    best: dict[str, tuple[Person, float]] = {}
    order: list[str] = []
    for p, rank in found:
        k = key(p.name)
        if k not in best:
            order.append(k)
            best[k] = (p, rank)
        elif rank < best[k][1]:
            org = best[k][0].organization
            if p.organization is None:
                p.organization = org
            best[k] = (p, rank)
        elif best[k][0].organization is None and p.organization is not None:
            best[k][0].organization = p.organization
    return [best[k][0] for k in order]
