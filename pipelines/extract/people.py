"""Named officials and their roles, normalised to the spec's English list.

A person is a run of 2-4 Vietnamese name syllables that an honorific introduces ("rakan
seperjuangan", "Towarzysz", "đồng chí"), that a title follows ("X, Secretary of ..."), or that
a title precedes ("Setiausaha Jawatankuasa Parti Komune Hua Bum Phan Van Coc"). Of several
titles the highest Party title wins, then government titles (spec ranking); a person whose only
titles are national (Politburo, Central Committee) is not recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.fastre import PrefixScan, guarded
from pipelines.extract.model import Person, Subject
from pipelines.extract.names import (
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
_CONTEXT_END = re.compile(r"[,;:.()|]|\s[-–]\s")
_NAME_THEN_TITLE = re.compile(r"([^\W\d_][\w'’]*(?:[ \t]+[^\W\d_][\w'’]*){1,4})\s*(?:,|-|–|—|\()\s*(?:\w+\s+){0,2}$")
_SEPARATORS = (",", "-", "–", "—", "(")
# patterns used per title or name (compiled once, not looked up in re's cache each time)
_STOP = re.compile(r"[,;:.()]")
_CAP_START = re.compile(r"(?<![\w'’])[A-ZÀ-ỸĐ]")
_NAME_ENDS = re.compile(r"\s*(?:[,.:;(]|(?-i:[a-zà-ỹ]))")
_COMMA = re.compile(r",\s*")
_APPOSITION = re.compile(r"\s*[,(]")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’]*")
_CLAUSE_BREAK = re.compile(r"[.;]|,\s*(?:[a-zà-ỹ]\w*\s+){3,}")
_TITLE_TAIL = re.compile(r"\s*(?:\w+\s+){0,2}")
_GAP = re.compile(r"[ \t]+")


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


@dataclass
class _RoleHit:
    role: str
    start: int
    end: int
    context: str
    ctx_start: int
    party: bool
    national: bool


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
        self.sep = re.compile(r"^\s*(?:,|-|–|—|\()\s*")
        self.appoint = guarded(re.compile(f"(?:{pack.appoint_markers})", _F))
        self.conj_name = re.compile(f"\\s*(?:,|\\s(?:{pack.list_conj}))\\s+(?=[A-ZÀ-ỸĐ])", _F)
        self.hon, self.roles_rx = guarded(self.hon), guarded(self.roles_rx)
        #: titles are tried only where a title word starts (same matches as finditer)
        self.roles_scan = PrefixScan(self.roles_rx)
        # the body tests, with a first-character check (same matches)
        self.party_rx = guarded(self.party_rx)
        self.gov_rx = guarded(pack.rx("government_words"))
        self.board_rx = guarded(pack.rx("board_words"))
        self.inspection_rx = guarded(pack.rx("inspection_words"))
        self.national_rx = guarded(pack.rx("national_words"))
        self.chain = re.compile(f"[\\s,\\-–—(]*(?:(?:{pack.list_conj}|{pack.honorifics})\\s+)?[\\s,\\-–—(]*", _F)

    # ------------------------------------------------------------------ roles
    def _roles_in(self, text: str, a: int, b: int, starts: list[int] | None = None) -> list[_RoleHit]:
        hits: list[_RoleHit] = []
        for m in self.roles_scan.finditer_range(text, starts, a, b):
            role = self.role_of[m.lastgroup]
            # the body the title belongs to: up to the next comma/semicolon/dash
            cm = _CONTEXT_END.search(text, m.end(), b)
            c_end = cm.start() if cm else b
            hits.append(_RoleHit(role, m.start(), m.end(), text[m.start() : c_end], m.start(), False, False))
        for h, nxt in zip(hits, hits[1:], strict=False):
            if nxt.start < h.ctx_start + len(h.context):
                h.context = text[h.ctx_start : nxt.start]
        hits.sort(key=lambda h: h.start)
        return hits

    def _classify(self, hits: list[_RoleHit]) -> None:
        """Party or government title, board head, national body: read from each title's body.

        Only needed once a person is found, so sentences with titles but no name skip it.
        """
        for h in hits:
            body = h.context
            gov = self.gov_rx.search(body)
            h.party = bool(self.party_rx.search(body)) and not gov
            if h.role in ("chairman", "vice chairman") and self.board_rx.search(body) and not self.inspection_rx.search(body):
                h.role = "head" if h.role == "chairman" else "deputy head"
            h.national = bool(self.national_rx.search(body))
            if h.role == "secretary":
                h.party = True  # Party or Youth Union secretary: ranked as the spec says

    @staticmethod
    def _rank(h: _RoleHit) -> float:
        base = PARTY_RANK.get(h.role, 6)
        return base if h.party else 10 + base

    # ------------------------------------------------------------------ names
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
        people: list[tuple[NameRun, int]] = []  # run, how found (0 honorific, 1 title-before)
        seen: set[int] = set()
        # 1. honorific + name, and names joined to it ("Dinh Do dan Dinh Tay sebagai ahli")
        joined: dict[int, NameRun] = {}
        for m in self.hon.finditer(text, a, b):
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
            pre = text[max(a, h.start - 60) : h.start]
            sm = _name_then_title(pre)
            if not sm:
                continue
            s0 = max(a, h.start - 60) + sm.start(1)
            run = self._trailing_name(text, s0, max(a, h.start - 60) + sm.end(1))
            if run and run.start not in seen and not self._is_place(run, mentions):
                people.append((run, 2))
                seen.add(run.start)
        # 3. title then name: "Setiausaha Jawatankuasa Parti Komune Hua Bum Phan Van Coc"
        for h in roles:
            seg_end = min(b, h.end + 120)
            stop = _STOP.search(text[h.end : seg_end])
            limit = h.end + stop.start() if stop else seg_end
            consumed = h.end
            for tm in _CAP_START.finditer(text[h.end : limit]):
                p0 = h.end + tm.start()
                if p0 < consumed:
                    continue
                if any(r.start <= p0 < r.end for r, _ in people):
                    break
                run = read_forward(text, p0, limit, self.pack.stop_keys, None, max_tokens=7, depol=self.pack.code == "pl")
                if run is None or len(run.tokens) < 2:
                    continue
                consumed = run.end
                place, person = split_person_tail(run)
                if person is not None and place is None and self._is_place(person, mentions):
                    person = None
                elif person is None and len(run.tokens) <= 4 and not self._is_place(run, mentions) and _NAME_ENDS.match(text[run.end : run.end + 3]):
                    person = run  # the title phrase ends with the name: "... Party Committee Loc Thi Van said"
                if person is not None and person.start not in seen:
                    people.append((person, 1))
                    seen.add(person.start)
                    break
            else:
                # "Ketua Komite Rakyat Kelurahan Ben Nghe, Nguyen Thi Lan, mengatakan"
                cm = _COMMA.match(text[limit : limit + 3]) if stop else None
                if cm:
                    run = self._name_at(text, limit + cm.end(), b)
                    if run and run.start not in seen and is_surname(run.tokens[0]) and _APPOSITION.match(text[run.end : run.end + 2]):
                        people.append((run, 1))
                        seen.add(run.start)
        out: list[tuple[Person, float]] = []
        if people:
            self._classify(roles)
        for run, how in people:
            hits = self._hits_for(text, run, roles, b, how)
            nxt = joined.get(run.start)
            while not hits and nxt is not None:
                # "A and B as members": A takes the titles that follow B
                hits = self._hits_for(text, nxt, roles, b, how)
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

    def _trailing_name(self, text: str, s: int, e: int) -> NameRun | None:
        words = list(_NAME_WORD.finditer(text[s:e]))
        # take the longest tail of name tokens (2-4)
        toks: list[re.Match[str]] = []
        for w in reversed(words):
            tok = depolonize(w.group()) if self.pack.code == "pl" else w.group()
            if is_name_token(tok, self.pack.stop_keys) and len(toks) < 4:
                toks.insert(0, w)
            else:
                break
        if len(toks) < 2:
            return None
        tokens = tuple(depolonize(t.group()) if self.pack.code == "pl" else t.group() for t in toks)
        if not is_surname(tokens[0]) and len(tokens) < 3:
            return None  # "Siu H'Ler", "Y Te": two syllables only after a known surname
        return NameRun(text[s + toks[0].start() : s + toks[-1].end()], s + toks[0].start(), s + toks[-1].end(), tokens)

    def _hits_for(self, text: str, run: NameRun, roles: list[_RoleHit], limit: int, how: int) -> list[_RoleHit]:
        """The titles that belong to this person: the apposition after the name, the title
        right before it, and titles after 'as/appointed/to the position of'."""
        hits: list[_RoleHit] = []
        after = text[run.end : limit]
        if self.sep.match(after) or how in (0, 1):
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
                if not _CLAUSE_BREAK.search(between):
                    fronted = how in (0, 2) and self.fronted.search(between)
                    if how == 1 or fronted or self.appoint.search(text[h.start - 40 if h.start >= 40 else 0 : run.start]):
                        hits.append(h)
        # "... dipindahkan ke posisi Sekretaris ...", "giữ chức vụ Bí thư"
        for am in self.appoint.finditer(text, run.end, limit):
            for h in roles:
                # titles are distinct objects with distinct starts: identity is equality here
                if am.end() <= h.start <= am.end() + 3 and all(h is not x for x in hits):
                    hits.append(h)
        return hits

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
