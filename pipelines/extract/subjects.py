"""Finding the units an article names, and deciding which one a figure is about.

A *mention* is a unit word with its name ("komune Pa U", "Pu Nhi Commune", "Huyện ủy Sơn
Động"), a Party cell with a name ("Sel Partai Drang Phok"), or an anaphor that names only a
level ("Jawatankuasa Parti komune", "the Party Committee"). Mentions inside parentheses, in
appositions ("kampung Pha Bu, komune Pa U") or in the list of a merger's former units locate
or enumerate; they never become the topic that later figures refer to.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from pipelines.extract.fastre import PrefixScan, SharedScan, guarded, lowered
from pipelines.extract.names import (
    NameRun,
    display_name,
    is_syllable,
    known_unit_names,
    looks_like_person,
    read_backward,
    read_forward,
    split_person_tail,
)
from pipelines.extract.pack import Pack
from pipelines.extract.sentences import Span
from pipelines.textnorm import fold, key

_F = re.IGNORECASE | re.UNICODE
_ADJECTIVES = re.compile(r"[ \t]+(?-i:[a-zà-ỹđ][\w-]*)(?:[ \t]+(?-i:[a-zà-ỹđ][\w-]*))?(?=[ \t]+(?-i:[A-ZÀ-ỸĐ]))", re.UNICODE)
CENTRAL_CITIES = {"hanoi", "hochiminh", "haiphong", "danang", "cantho", "hue", "thuathienhue"}
_MEMO_MAX = 65536  # entries kept per lookup memo before it starts over
_AGENCY_WORD = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)")
_APPOSITION_GAP = re.compile(r"[\s,(]*")
_PARENTHETICAL = re.compile(r"\s*\(\s*([^()]{2,80}?)\s*\)")
_LIST_ITEM = re.compile(r"[^,;]+")
_PLACE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
LEVEL_RANK = {"village": 0, "agency": 0, "commune": 1, "district": 2, "province": 3, "country": 4}

# words that make the following mention a parent, not the subject ("trực thuộc Đảng bộ huyện X")
_SUBORDINATE = guarded(
    re.compile(
        r"(?:trực thuộc|thuộc|directly under|under|of the|của|di bawah|bawahan|podległ\w*|sous|при|подчин\w*|"
        r"w ramach|dalam)\s*(?:\S+\s+){0,3}$",
        _F,
    )
)


@dataclass(slots=True)
class Mention:
    name: str
    level: str
    start: int
    end: int
    kind: str = "explicit"  # explicit | anaphor | qualifier | parenthetical | predecessor
    province: str | None = None
    sentence: int = -1
    resolved: Mention | None = None  # for anaphors: the mention they point to

    @property
    def target(self) -> Mention | None:
        return self.resolved if self.kind == "anaphor" else self


@dataclass
class ArticleContext:
    province: str | None = None  # outlet's or the article's single province
    memory: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name key -> level, province


def _gazetteer():
    try:
        from pipelines.gazetteer import Gazetteer

        return Gazetteer.load()
    except Exception:  # gazetteer is optional for pure-text use
        return None


class MentionFinder:
    """Compiles one pack's unit words into mention finders."""

    def __init__(self, pack: Pack):
        self.pack = pack
        joiner = pack.unit_name_joiners
        before: list[str] = []
        after: list[str] = []
        self.levels: dict[str, str] = {}
        for i, (rx, level, pos) in enumerate(pack.units):
            if pos in ("before", "both"):
                before.append(f"(?P<b{i}>{rx})")
                self.levels[f"b{i}"] = level
            if pos in ("after", "both"):
                after.append(f"(?P<a{i}>{rx})")
                self.levels[f"a{i}"] = level
        # one pass over the whole text per kind: alternatives keep the pack's order
        self.before = re.compile(
            f"(?<!\\w)(?:{'|'.join(before)})(?:[ \\t]+(?:{joiner}))?(?:[ \\t]*(?:no\\.?|nr\\.?|số|n°)[ \\t]*)?(?=[ \\t]*\\w|\\.\\w)",
            _F,
        ) if before else None
        self.after = re.compile(f"(?<!\\w)(?:{'|'.join(after)})(?!\\w)", _F) if after else None
        self.cells = re.compile(f"(?<!\\w)(?:{pack.cell_words})[ \\t]+(?=[A-ZÀ-ỸĐ])", re.UNICODE) if pack.cell_words else None
        anas = []
        self.ana_levels: dict[str, str | None] = {}
        for i, (rx, level) in enumerate(pack.anaphors):
            anas.append(f"(?P<n{i}>{rx})")
            self.ana_levels[f"n{i}"] = level
        self.anaphor_rx = re.compile(f"(?<!\\w)(?:{'|'.join(anas)})(?!\\w)", _F) if anas else None
        # same patterns, with a fast first-character check (identical matches)
        self.before, self.after, self.cells, self.anaphor_rx = (
            guarded(rx) if rx is not None else None for rx in (self.before, self.after, self.cells, self.anaphor_rx)
        )
        # whole-text scans try only where a unit word can start (same matches)
        self.scans = {
            k: PrefixScan(rx)
            for k, rx in (("b", self.before), ("a", self.after), ("c", self.cells), ("n", self.anaphor_rx))
            if rx is not None
        }
        # the kinds share prefixes ("commune" before and after a name): one search each
        self.shared = SharedScan(list(self.scans.values()))
        self.stop = pack.stop_keys
        self.gz = _gazetteer()
        self._province_names: dict[str, str | None] = {}
        self._provinces_in: dict[str, str | None] = {}
        self.known = known_unit_names()

    # ------------------------------------------------------------------ detection
    def find_all(
        self, text: str, sentences: list[Span], ctx: ArticleContext, low: str | None = None
    ) -> list[list[Mention]]:
        """Mentions of every sentence, from one scan of the text per pattern kind.

        `low` is `fastre.lowered(text)` when the caller has it already.
        """
        if low is None:
            low = lowered(text)
        if not all(x.end <= y.start for x, y in zip(sentences, sentences[1:], strict=False)):
            return self._find_all_overlapping(text, sentences, ctx, low)
        # sorted, disjoint sentences: each hit belongs to the last sentence starting at or
        # before it, if it starts before that sentence ends
        firsts = [s.start for s in sentences]
        sels: dict[int, dict[str, list[re.Match[str]]]] = {}
        end = len(text)
        for (kind, scan), cands in zip(self.scans.items(), self.shared.positions(low), strict=True):
            for m in scan.finditer_range(text, cands, 0, end):  # = scan.finditer(text, low)
                pos = m.start()
                idx = bisect_right(firsts, pos) - 1
                if idx >= 0 and pos < sentences[idx].end:
                    sel = sels.get(idx)
                    if sel is None:
                        sel = sels[idx] = {"b": [], "a": [], "c": [], "n": []}
                    sel[kind].append(m)
        out: list[list[Mention]] = [[] for _ in sentences]
        # a sentence without any unit word, cell word or anaphor has no mention; the others in
        # order (each may add to `ctx.memory`)
        for idx in sorted(sels):
            out[idx] = self._find(text, sentences[idx], idx, ctx, sels[idx])
        return out

    def _find_all_overlapping(
        self, text: str, sentences: list[Span], ctx: ArticleContext, low: str | None
    ) -> list[list[Mention]]:
        """`find_all` for spans that may overlap or come out of order (not from `split_sentences`)."""
        hits: dict[str, list[re.Match[str]]] = {"b": [], "a": [], "c": [], "n": []}
        for kind, scan in self.scans.items():
            hits[kind] = scan.finditer(text, low)
        starts = {k: [m.start() for m in v] for k, v in hits.items()}
        out: list[list[Mention]] = []
        for idx, span in enumerate(sentences):
            sel = {}
            for k, v in hits.items():
                lo = bisect_left(starts[k], span.start)
                hi = bisect_left(starts[k], span.end)
                sel[k] = v[lo:hi]
            out.append(self._find(text, span, idx, ctx, sel) if any(sel.values()) else [])
        return out

    def find(self, text: str, span: Span, idx: int, ctx: ArticleContext) -> list[Mention]:
        """Mentions of one sentence (convenience for tests and tools)."""
        sel = {}
        for k, rx in (("b", self.before), ("a", self.after), ("c", self.cells), ("n", self.anaphor_rx)):
            sel[k] = list(rx.finditer(text, span.start, span.end)) if rx is not None else []
        return self._find(text, span, idx, ctx, sel)

    def _find(self, text: str, span: Span, idx: int, ctx: ArticleContext, sel: dict) -> list[Mention]:
        out: list[Mention] = []
        a, b = span.start, span.end
        depol = self.pack.code == "pl"
        for m in sel["b"]:
            level = self.levels[m.lastgroup]
            # read past four syllables so a person glued to the name can be split off
            # ("Komune Hua Bum Phan Van Coc"); a place keeps at most four
            run = read_forward(text, m.end(), b, self.stop, self.known, allow_number=level == "village", depol=depol, max_tokens=7)
            if run is None:
                run = self._after_adjectives(text, m.end(), b)
            if run is None:
                continue
            place, _person = split_person_tail(run) if len(run.tokens) > 2 else (run, None)
            if place is None:
                if not looks_like_person(run, self.known):
                    place = run  # "xã Ninh Thạnh Lợi": a place that starts like a surname
                else:
                    continue  # "tỉnh Nguyễn Thị Thanh Huyền": the name after the unit word is a person
            if len(place.tokens) > 4:
                place = _first_tokens(place, 4)
            out.append(self._mention(place, level, m.start(), place.end, idx))
        for m in sel["a"]:
            level = self.levels[m.lastgroup]
            run = read_backward(text, m.start(), a, self.stop)
            if run is None:
                continue
            out.append(self._mention(run, level, run.start, m.end(), idx))
        for m in sel["c"]:
            if any(x.start <= m.end() < x.end for x in out):
                continue
            run = read_forward(text, m.end(), b, self.stop, self.known, depol=depol)
            if run is not None:
                k = key(run.ascii)
                level = ctx.memory.get(k, ("village", None))[0]
                out.append(self._mention(run, level, m.start(), run.end, idx))
            else:
                agency = self._agency_name(text, m.end(), b)
                if agency:
                    out.append(Mention(display_name(agency[0]), "agency", m.start(), agency[1], sentence=idx))
        out = _dedupe(out)
        self._anaphors(sel["n"], idx, out)
        out.sort(key=lambda x: x.start)
        self._locate(text, span, out, ctx)
        return out

    def _after_adjectives(self, text: str, pos: int, limit: int) -> NameRun | None:
        """ "komune sempadan Muong Nhe", "xã vùng cao Mường Phăng": one or two lower-case words
        between the unit word and a name, accepted only when the name is an official unit."""
        m = _ADJECTIVES.match(text, pos, limit)
        if not m:
            return None
        run = read_forward(text, m.end(), limit, self.stop, self.known)
        if run is not None and " ".join(fold(t).lower() for t in run.tokens) in self.known:
            return run
        return None

    def _mention(self, run: NameRun, level: str, start: int, end: int, idx: int) -> Mention:
        name = run.ascii
        if level == "city":
            level = "province" if key(name) in CENTRAL_CITIES else "district"
        return Mention(name, level, start, end, sentence=idx)

    def _agency_name(self, text: str, pos: int, limit: int) -> tuple[list[str], int] | None:
        """Capitalised non-place words after a cell word name an agency ("Stowarzyszeń Masowych")."""
        toks: list[str] = []
        end = pos
        for m in _AGENCY_WORD.finditer(text[pos:limit]):
            w = m.group(1)
            if not w[0].isupper() or fold(w).lower() in self.stop or len(toks) >= 4:
                break
            toks.append(w)
            end = pos + m.end()
        if not toks or all(is_syllable(t) for t in toks):
            return None
        return toks, end

    def _anaphors(self, matches: list[re.Match[str]], idx: int, out: list[Mention]) -> None:
        taken = [(m.start, m.end) for m in out]
        named = list(out)
        for m in matches:
            a, b = m.span()
            if any(s <= a < e or s < b <= e for s, e in taken):
                continue
            # "Komitet Partii| Gminy Ia Hiao": the body of a named mention, not an anaphor
            if any(0 <= x.start - b <= 3 for x in named):
                continue
            out.append(Mention("", self.ana_levels[m.lastgroup] or "", a, b, kind="anaphor", sentence=idx))
            taken.append((a, b))

    def _locate(self, text: str, span: Span, ms: list[Mention], ctx: ArticleContext) -> None:
        """Give each named mention its province; mark parenthetical and appositive ones."""
        named = [m for m in ms if m.kind != "anaphor"]
        a = span.start
        for m in named:
            if text.count("(", a, m.start) > text.count(")", a, m.start):
                m.kind = "parenthetical"
        # appositions: "A, B" or "A (B)" where B is a higher level locates A
        for i, m in enumerate(named):
            for nxt in named[i + 1 :]:
                gap = text[m.end : nxt.start]
                if len(gap) > 4 or not _APPOSITION_GAP.fullmatch(gap):
                    break
                if LEVEL_RANK.get(nxt.level, 0) > LEVEL_RANK.get(m.level, 0):
                    if nxt.kind == "explicit":
                        nxt.kind = "qualifier"
                    m.province = m.province or self._province_of(nxt, ctx)
                break
        # a bare name in parentheses right after a mention: "Pa U ( Lai Chau )", "Pa Co commune (Mai Chau)"
        for m in named:
            if not m.province:
                pm = _PARENTHETICAL.match(text, m.end, span.end)  # no anchors: as on the slice
                if pm:
                    m.province = self.province_in(pm.group(1))
        for m in named:
            if m.level == "province":
                m.province = self._province_name(m.name) or m.name
            k = key(m.name)
            if not m.province and k in ctx.memory and ctx.memory[k][0] == m.level:
                m.province = ctx.memory[k][1]
            if not m.province and self.gz is not None and m.level in ("district", "commune"):
                m.province = self.gz.province_of(m.name, m.level)
            if m.kind in ("explicit", "qualifier"):
                old = ctx.memory.get(k)
                if old is None or (old[1] is None and m.province):
                    ctx.memory[k] = (m.level, m.province)

    def _province_name(self, name: str) -> str | None:
        if self.gz is None:
            return None
        # the gazetteer does not change once loaded: one lookup per distinct name
        try:
            return self._province_names[name]
        except KeyError:
            found = self._province_names[name] = self.gz.province_name(name)
            if len(self._province_names) > _MEMO_MAX:
                self._province_names.clear()
            return found

    def _province_of(self, m: Mention, ctx: ArticleContext) -> str | None:
        if m.level == "province":
            return self._province_name(m.name) or m.name
        if m.province:
            return m.province
        k = key(m.name)
        if k in ctx.memory and ctx.memory[k][1]:
            return ctx.memory[k][1]
        if self.gz is not None and m.level in ("district", "commune"):
            return self.gz.province_of(m.name, m.level)
        return None

    def province_in(self, inner: str) -> str | None:
        """The province a parenthetical names or implies: "(Lai Chau)", "(Mai Chau)"."""
        if self.gz is None:
            return None
        try:
            return self._provinces_in[inner]
        except KeyError:
            found = self._provinces_in[inner] = self._province_in(inner)
            if len(self._provinces_in) > _MEMO_MAX:
                self._provinces_in.clear()
            return found

    def _province_in(self, inner: str) -> str | None:
        assert self.gz is not None
        p = self.gz.province_name(inner)
        if p:
            return p
        for m in _LIST_ITEM.finditer(inner):
            words = [w for w in _PLACE_WORD.findall(m.group()) if w[0].isupper()]
            for n in range(len(words), 0, -1):
                cand = " ".join(words[-n:])
                p = self.gz.province_name(cand) or self.gz.province_of(cand, "district") or self.gz.province_of(cand, "commune")
                if p:
                    return p
        return None


def _first_tokens(run: NameRun, n: int) -> NameRun:
    from pipelines.extract.names import TOKEN

    ends = [run.start + m.end() for m in TOKEN.finditer(run.text)]
    end = ends[n - 1]
    return NameRun(run.text[: end - run.start], run.start, end, run.tokens[:n])


def _dedupe(ms: list[Mention]) -> list[Mention]:
    """Overlapping mentions: keep the one found first (before-units are tried first)."""
    kept: list[Mention] = []
    for m in ms:
        if any(not (m.end <= k.start or m.start >= k.end) for k in kept):
            continue
        kept.append(m)
    return kept


class Resolver:
    """Keeps the discourse state of one article: named mentions so far and the current topic."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        self.history: list[Mention] = []  # named mentions (any kind but anaphor), in order
        self.topic: Mention | None = None
        self.first_topic: Mention | None = None

    def resolve_anaphor(self, m: Mention) -> Mention | None:
        if m.level:
            for h in reversed(self.history):
                if h.start < m.start and h.level == m.level and h.kind != "predecessor":
                    return h
            if m.level == "province" and self.ctx.province:
                return Mention(self.ctx.province, "province", m.start, m.end, kind="explicit", province=self.ctx.province)
            return None
        return self.topic

    def enter(self, ms: list[Mention]) -> None:
        """Record a sentence's named mentions and resolve its anaphors (before its facts)."""
        if not ms:
            return
        for m in ms:
            if m.kind != "anaphor":
                self.history.append(m)
        for m in ms:
            if m.kind == "anaphor" and m.resolved is None:
                if not m.level:
                    same = [h for h in ms if h.kind == "explicit" and h.start < m.start]
                    m.resolved = same[-1] if same else self.topic
                else:
                    m.resolved = self.resolve_anaphor(m)

    def leave(self, ms: list[Mention]) -> None:
        """After a sentence's facts: the first unit it is about becomes the topic."""
        if not ms:
            return
        first = next((m for m in ms if m.kind == "explicit"), None)
        if first is None:
            first = next((m.resolved for m in ms if m.kind == "anaphor" and m.resolved is not None and m.resolved.name), None)
        if first is not None:
            self.topic = first
            if self.first_topic is None:
                self.first_topic = first

    def subject_for(self, pos: int, clause: Span, ms: list[Mention], text: str) -> tuple[Mention | None, float]:
        """The mention a figure at `pos` is about, with a confidence."""
        cands = [m for m in ms if m.kind == "explicit" and clause.start <= m.start < pos]
        # searched up to `m.start` as endpos: `$` matches there as at the end of the slice
        cands = [m for m in cands if not _SUBORDINATE.search(text, clause.start, m.start)] or cands
        if cands:
            return cands[-1], 0.9
        anas = [m for m in ms if m.kind == "anaphor" and clause.start <= m.start < pos]
        for m in reversed(anas):
            if m.resolved is None:
                m.resolved = self.resolve_anaphor(m)
            if m.resolved is not None:
                return m.resolved, 0.8
        # a sentence-level subject named before the clause ("X has ...; 2,100 billion ...")
        sent = [m for m in ms if m.kind == "explicit" and m.start < clause.start]
        if sent:
            return sent[0], 0.75
        # attached after the figure: "3 ahli parti Sel Parti komune Cang", "di wilayah itu"
        after = [m for m in ms if m.kind in ("explicit", "anaphor") and pos < m.start < clause.end and m.start - pos < 60]
        for m in after:
            tgt = m if m.kind == "explicit" else self.resolve_anaphor(m)
            if tgt is not None:
                return tgt, 0.7
        if self.topic is not None:
            return self.topic, 0.6
        return None, 0.0


__all__ = ["ArticleContext", "Mention", "MentionFinder", "Resolver", "CENTRAL_CITIES", "LEVEL_RANK", "split_person_tail"]
