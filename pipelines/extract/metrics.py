"""Metric facts of one sentence: counts named by the noun after them, rates by their wording.

Counts: the noun right after a number decides the metric ("26 sel parti" -> party_cells); a
bare "members" counts only beside a Party body; admission, removal and transfer verbs turn
members or cadres into events. Rates: the words between the previous figure and this one (or
after it) are matched against concepts (members, cells, attend, top tier, good...) and the
combination decides the metric. Targets ("(cel 90%)", "target of 40") attach to the figure they
qualify; figures in parentheses, of plans, or in the future are not facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.fastre import cover, guarded, literals
from pipelines.extract.model import Fact, Subject
from pipelines.extract.numbers import number_spans
from pipelines.extract.pack import Pack
from pipelines.extract.sentences import Span
from pipelines.extract.subjects import Mention, Resolver

_F = re.IGNORECASE | re.UNICODE
_PERCENT = re.compile(r"\s?(?:%|phần trăm|per ?cent|peratus|persen|procent\w*|pour ?cent|процент\w*)", _F)
_DATE_AROUND = re.compile(r"^[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?!\d)|^[/.]\d{4}")
_DOCNO_BEFORE = guarded(re.compile(r"(?:\bNo\.?|(?<!tổng )\bsố|\bnr\.?|\bn°|№|\bNr\.?|\bNo|Nomor|Numer|Nghị định|Điều|Pasal|Article|Artykuł|Lesson|Lekcja|Bài|Pelajaran|Projekt\w*|Project|Đề án|model\w*|mô hình|modèle)\s*$", _F))
# the words of _DOCNO_BEFORE in lower case (keep in step with it): its fixed ones, and the open
# ones ("Projekt\w*", "model\w*"); see `_maybe_docno`
_DOCNO_ENDS = (
    "no", "no.", "số", "nr", "nr.", "n°", "№", "nomor", "numer", "nghị định", "điều", "pasal", "article",
    "artykuł", "lesson", "lekcja", "bài", "pelajaran", "project", "đề án", "mô hình", "modèle",
)
_DOCNO_OPEN = ("projekt", "model")
_DOCNO_AFTER = re.compile(r"^(?:-[A-ZĐ]|/[A-ZĐ]|[A-Za-z]\b|-\w+/)")
_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*(?:\w+\s+)?((?:19|20)\d{2})")
_GOOD_OR_TOP = re.compile(r"\W(?:or|ou|hoặc|atau|lub|или|albo)\W", re.I)
_QUOTED = re.compile(r"[\"“„«][^\"“”„«»]{0,80}[\"”»]")
_MONTHS = (
    r"jan\w*|feb\w*|mar\w*|apr\w*|may|mei|jun\w*|jul\w*|aug\w*|ogos|agu\w*|sep\w*|oct\w*|okt\w*|"
    r"nov\w*|dec\w*|dis\w*|des\w*|stycz\w*|lut\w*|marz\w*|kwie\w*|maj\w*|czerw\w*|lip\w*|sierp\w*|"
    r"wrze\w*|paźdz\w*|listop\w*|grud\w*|janv\w*|févr\w*|mars|avr\w*|juin|juil\w*|août|sept\w*|"
    r"déc\w*|tháng\s*\d+|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_MONTH_BEFORE = guarded(re.compile(f"(?:{_MONTHS})\\s*,?\\s*$", _F))
_PERIOD_YEAR_BEFORE = guarded(re.compile(r"(?:in|năm|tahun|w|en|в|pada|during|of|trong|since|từ|sejak|od)\s+(?:the\s+)?(?:year\s+)?$", _F))
_OF_PLAN = re.compile(r"\s?%?\s*(?:of the plan|of the target|kế hoạch|chỉ tiêu|rancangan|rencana|planu|du plan|плана|of the (?:province|district)'s (?:plan|target))", _F)
_DATE_TAIL = re.compile(r"\d[/\-.]$")
_NOT_DATE = re.compile(r"^/\s?\d+\s?[^\d/.]")
_QUOTES = frozenset("\"“„«'")  # a quote, then at most one space, before a figure: a quoted name
_AFTER_MARKS = frozenset("/.-")
_COMPOUND_AFTER = re.compile(r"-[^\W\d_]")
_YEAR_IN = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})(?![\d/])")
_DATE_BEFORE_YEAR = re.compile(r"\d[/.]\s*$")
_YEAR_AFTER = re.compile(r"^\s*(?:r\.|roku|год|г\.)")
_WORD = re.compile(r"\w+")
_LEAD_STOP = re.compile(r"[.;:()\"“”]")
_LEAD_NAME = re.compile(r",\s*(?-i:[A-ZÀ-ỸĐ])")
_PER_CAPITA = re.compile(r"^\s*(?:VND|VNĐ|đồng|dong)?\s*/\s*(?:người|orang|person|osob\w*|personne|человек|capita)", _F)
_DIGIT = re.compile(r"[0-9]")


def _maybe_docno(low: str | None, a: int, s: int) -> bool:
    """False only when `_DOCNO_BEFORE` cannot match `text[a:s]` (`low` is `lowered(text)`).

    Its match is a word of the list then only spaces to the end, so on the lower-cased text the
    span without its trailing spaces ends with a fixed word or holds an open one; two `str`
    tests instead of a search that tries every alternative at every position.
    """
    if low is None:
        return True
    w = low[a:s].rstrip()
    return w.endswith(_DOCNO_ENDS) or _DOCNO_OPEN[0] in w or _DOCNO_OPEN[1] in w


@dataclass(slots=True)
class _Num:
    value: float
    start: int
    end: int  # end of the figure including "%" or the fraction
    percent: bool = False
    in_parens: bool = False
    is_year: bool = False
    fraction: bool = False
    qual: tuple[int, str] | None = None  # (clause start, qualifier) once read


def _numbers(text: str, sent: Span, pack: Pack, low: str | None = None) -> list[_Num]:
    out: list[_Num] = []
    ss, se = sent.start, sent.end
    nums = number_spans(text[ss:se], space_groups=pack.space_groups)
    count = text.count
    skip_next = False
    for i, (value, n_start, n_end, raw) in enumerate(nums):
        if skip_next:
            skip_next = False
            continue
        s, e = ss + n_start, ss + n_end
        b0 = max(ss, s - 24)  # what comes before: text[b0:s]
        # a figure is never followed by a word character (see numbers._NUM): the date, code and
        # compound checks of what follows can only match after "/", "." or "-"
        if e < se and text[e] in _AFTER_MARKS:
            after = text[e : min(se, e + 12)]
            if _DATE_AROUND.match(after) and not _NOT_DATE.match(after + " "):
                continue  # 24/10/2024, 1/7, 29.05.2024
            if _DOCNO_AFTER.match(after) or _COMPOUND_AFTER.match(after):
                continue  # a code ("3/QĐ") or a compound ("4-baik")
        if s > b0:
            c1 = text[s - 1]
            if c1 in ("/", "-", ".") and _DATE_TAIL.search(text, b0, s):
                continue  # tail of a date or code
            # (formerly `[\"“„«']\s?$` searched in the last two characters)
            if c1 in _QUOTES or (c1.isspace() and s - 1 > b0 and text[s - 2] in _QUOTES):
                continue  # inside a quoted model name ("4 Sel Parti Baik")
            if _maybe_docno(low, b0, s) and _DOCNO_BEFORE.search(text[b0:s]):
                continue
        end = e
        fraction = False
        # fractions "23/49 chi bộ", "33 690/39 204 członków": the total is the count
        if i + 1 < len(nums):
            nxt = nums[i + 1]
            if text[e : ss + nxt[1]].strip() == "/":
                value = nxt[0]
                end = ss + nxt[2]
                skip_next = True
                fraction = True
        pm = _PERCENT.match(text, end, se)
        percent = pm is not None
        if percent:
            end = pm.end()
        # a 4-digit figure from 1900 to 2099 (digits only: the pattern reads only [0-9] and marks)
        is_year = not percent and len(raw) == 4 and raw[:2] in ("19", "20") and raw.isdigit()
        out.append(_Num(value, s, end, percent, count("(", ss, s) > count(")", ss, s), is_year, fraction))
    return out


def _gate(*rxs: re.Pattern[str]) -> re.Pattern[str] | None:
    """A literal gate (see fastre) as one pattern for the lower-cased text: it finds one of the
    strings that every match of one of `rxs` contains, so where it finds none, none of `rxs` can
    match. One scan in C instead of a `str.find` per string; None when the strings are unknown."""
    found = [literals(rx) for rx in rxs]
    if not all(found):
        return None
    words = sorted({w for lits in found for w in lits})  # type: ignore[union-attr]
    return re.compile("|".join(re.escape(w) for w in words))


def _absent(gate: re.Pattern[str] | None, low: str | None, a: int, b: int) -> bool:
    """True only when `gate` finds nothing in `low[a:b]`: its patterns cannot match `text[a:b]`."""
    return low is not None and gate is not None and gate.search(low, a, b) is None


def _ones_rx(pack: Pack) -> re.Pattern[str] | None:
    """The pattern of the pack's number words worth 1, or None (compiled once per pack)."""
    cache = pack.__dict__.setdefault("_ones_rx", {})
    if "rx" not in cache:
        ones = [w for w, v in pack.word_numbers.items() if v == 1]
        cache["rx"] = re.compile(f"(?<!\\w)(?:{'|'.join(re.escape(w) for w in ones)})(?!\\w)", _F) if ones else None
    return cache["rx"]


def _with_single_word_counts(text: str, sent: Span, rx: re.Pattern[str], nums: list[_Num]) -> list[_Num]:
    """Add the pack's number words worth 1 ("un seul", "une seule") as figures to read counts from.

    "sous un seul Comité du Parti" -> 1 subordinate committee. Only 1-valued words are read, so
    packs whose word numbers are all 2+ (merger counts: "two", "dua", "trois") read as before.
    `rx` is the pack's `_ones_rx`.
    """
    extra: list[_Num] = []
    for m in rx.finditer(text, sent.start, sent.end):
        if any(n.start < m.end() and m.start() < n.end for n in nums):
            continue
        pre = text[sent.start : m.start()]
        extra.append(_Num(1.0, m.start(), m.end(), in_parens=pre.count("(") > pre.count(")")))
    return sorted([*nums, *extra], key=lambda n: n.start) if extra else nums


def period_of(text: str, sent: Span, pos: int) -> str | None:
    """The year or span a figure refers to: nearest stated before it in the sentence."""
    # both patterns need a "19" or "20" in the segment
    if text.find("20", sent.start, pos) < 0 and text.find("19", sent.start, pos) < 0:
        return None
    seg = text[sent.start : pos]
    best: str | None = None
    last_range_end = -1
    for m in _RANGE.finditer(seg):  # the last range stated, and where it ends
        best = f"{m.group(1)}-{m.group(2)}"
        last_range_end = m.end()
    for m in _YEAR_IN.finditer(seg):
        if m.start() < last_range_end:
            continue
        pre = seg[: m.start()]
        if _MONTH_BEFORE.search(pre) or _DATE_BEFORE_YEAR.search(pre):
            continue
        if _PERIOD_YEAR_BEFORE.search(pre) or _YEAR_AFTER.search(seg[m.end():]):
            best = m.group(1)
    return best


class MetricReader:
    def __init__(self, pack: Pack):
        self.pack = pack
        self.bare = re.compile(f"^[\\s,]*(?:\\w+\\s+){{0,1}}?(?:{pack.bare_members})(?!\\w)", _F)
        self.bare_block = re.compile(f"^(?:{pack.bare_members_blockers})", _F)
        self.persons = re.compile(f"^[\\s,]*(?:[\\w-]+\\s+){{0,2}}?(?:{pack.person_nouns})(?!\\w)", _F)
        self.org = guarded(re.compile(f"(?:{pack.org_words})|(?:{pack.cell_words or pack.org_words})", _F))
        self.target = guarded(re.compile(f"(?<!\\w)(?:{pack.target_words})(?!\\w)(?:\\s+\\S+){{0,4}}?\\s*[:(]?\\s*$", _F))
        self.future = guarded(pack.rx("future_words"))
        self.count_skip = guarded(pack.rx("count_skip"))
        self.target_gate = _gate(self.target)
        self.future_gate = _gate(self.future)
        self.skip_gate = _gate(self.count_skip)
        # the three look at most 60 characters back: one scan there mostly rules them all out
        self.lead_gate = _gate(self.target, self.future, self.count_skip)
        self.not_party = guarded(pack.rx("not_party_bodies"))
        self.events = [
            (guarded(pack.rx(attr)), metric)
            for attr, metric in (("admit_verbs", "party_members_admitted"), ("remove_verbs", "party_members_removed"), ("transfer_verbs", "cadres_transferred"))
        ]
        # all count nouns in one pattern, alternatives in the pack's order: its match is the
        # earliest count noun, and at equal starts the first in the list (see `_count`)
        self.count_names = {f"c{i}": m for i, (m, _p) in enumerate(pack.counts)}
        joined = "|".join(f"(?P<c{i}>{p})" for i, (_m, p) in enumerate(pack.counts))
        self.any_count = guarded(re.compile(joined, _F)) if pack.counts else None
        self.count_gate = _gate(self.any_count) if self.any_count is not None else None
        # When no first-character guard bounds the joined pattern (a noun may start with any
        # word, "(?:[\w-]+[- ])?cells"), it tries every noun at every position of the window;
        # searched one by one instead, each noun runs only where its own words occur.
        self.count_nouns = (
            [(m, guarded(re.compile(p, _F)), _gate(re.compile(p, _F))) for m, p in pack.counts]
            if self.any_count is not None and self.any_count.pattern == joined
            else None
        )
        self.before_number = [(m, guarded(rx)) for m, rx in pack.rx_before_number]
        self.qualifiers = [(guarded(rx), q, cover(literals(rx), most=8)) for rx, q in pack.rx_qualifiers]
        # the same, gated by one pattern each (what `_qualifier` uses)
        self.qualifier_gates = [(rx, q, _gate(rx)) for rx, q, _lits in self.qualifiers]
        self.currency = re.compile(f"^\\s*(?:{pack.currency})", _F)
        self.money = [(metric, guarded(rx)) for metric, rx in pack.rx_money.items()]
        self.ones = _ones_rx(pack)
        # literal gates (see fastre): no event verb, no currency word in a span, nothing to search
        self.event_gate = _gate(*(rx for rx, _m in self.events))
        self.currency_gate = _gate(self.currency)
        self.concepts = {k: guarded(rx) for k, rx in pack.rx_concepts.items()}

    def has_figures(self, text: str, sent: Span) -> bool:
        """False when `read` would find no figure in the sentence (no digit, no number word)."""
        return self.ones is not None or _DIGIT.search(text, sent.start, sent.end) is not None

    def read(
        self,
        text: str,
        sent: Span,
        clauses: list[Span],
        mentions: list[Mention],
        resolver: Resolver,
        low: str | None = None,
    ) -> list[Fact]:
        """Metric facts of one sentence; `low` is `fastre.lowered(text)` when the caller has it
        (it only lets patterns be skipped where they cannot match)."""
        pack = self.pack
        if self.ones is None and not _DIGIT.search(text, sent.start, sent.end):
            return []  # no figure to read
        nums = _numbers(text, sent, pack, low)
        if self.ones is not None:
            nums = _with_single_word_counts(text, sent, self.ones, nums)
        if not nums:
            return []
        facts: list[Fact] = []
        targets: list[tuple[int, float, bool]] = []  # (pos, value, percent)
        for idx, n in enumerate(nums):
            ns = n.start
            clause = sent
            for c in clauses:
                if c.start <= ns < c.end:
                    clause = c
                    break
            cs = clause.start
            # (each pattern skipped where none of the words it needs occur: same outcome)
            lead_words = not _absent(self.lead_gate, low, max(cs, ns - 60), ns)
            if (
                lead_words
                and not _absent(self.target_gate, low, max(cs, ns - 40), ns)
                and self.target.search(text[max(cs, ns - 40) : ns])
            ):
                targets.append((ns, n.value, n.percent))
                continue
            if n.in_parens:
                continue
            if (
                lead_words
                and not _absent(self.future_gate, low, max(cs, ns - 60), ns)
                and self.future.search(text[max(cs, ns - 60) : ns])
            ):
                continue
            if (
                lead_words
                and not n.percent
                and not _absent(self.skip_gate, low, max(cs, ns - 50), ns)
                and self.count_skip.search(text[max(cs, ns - 50) : ns])
            ):
                continue
            # the figures around this one: where the wording about it can start and end
            prev_end = prev_any = cs
            for m in nums[:idx]:
                if m.end <= ns:
                    if m.end > prev_any:
                        prev_any = m.end
                    if m.percent and m.end > prev_end:
                        prev_end = m.end
            nxt_start = clause.end
            for m in nums[idx + 1 :]:
                if n.end < m.start < nxt_start:
                    nxt_start = m.start
            if n.percent:
                found = self._rate(text, sent, clause, n, prev_end, nxt_start)
            else:
                found = self._count(text, clause, n, nxt_start, prev_any, low)
            if not found:
                continue
            if n.fraction and any(abs(f.value - n.value) < 1e-9 for f in facts):
                continue  # "23/49 ... 16/49 ...": the same total restated in a breakdown
            for metric, value in found:
                subj, conf = resolver.subject_for(ns, clause, mentions, text)
                subject = Subject(subj.name, subj.level, subj.province) if subj and subj.name else Subject("", "", None)
                facts.append(
                    Fact(
                        subject=subject,
                        metric=metric,
                        value=value,
                        qualifier=self._qualifier(text, clause, n, low),
                        period=period_of(text, sent, ns),
                        evidence=text[cs : clause.end],
                        start=cs,
                        end=clause.end,
                        confidence=conf,
                    )
                )
                facts[-1]._pos = ns  # type: ignore[attr-defined]
        _attach_targets(facts, targets)
        return facts

    # ------------------------------------------------------------------ counts
    def _event(self, text: str, since: int, n: _Num, noun_end: int, limit: int, low: str | None) -> str | None:
        """The event verb that governs this count: the nearest one before it (after the previous
        figure), else one right after its noun ("42 members have been admitted")."""
        a = max(since, n.start - 70)
        best: tuple[int, str] | None = None
        if not _absent(self.event_gate, low, a, n.start):
            before = text[a : n.start]
            for rx, metric in self.events:
                for m in rx.finditer(before):
                    if best is None or m.end() > best[0]:
                        best = (m.end(), metric)
            if best:
                return best[1]
        b = min(limit, noun_end + 45)
        if _absent(self.event_gate, low, noun_end, b):
            return None
        after = text[noun_end:b]
        first: tuple[int, str] | None = None
        for rx, metric in self.events:
            m = rx.search(after)
            if m and (first is None or m.start() < first[0]):
                first = (m.start(), metric)
        return first[1] if first else None

    def _count(
        self, text: str, clause: Span, n: _Num, limit: int, since: int, low: str | None = None
    ) -> list[tuple[str, float]]:
        w_end = min(limit, n.end + 90)
        window = text[n.end : w_end]
        # no currency word in the window: no sum of money
        if not _absent(self.currency_gate, low, n.end, w_end):
            money = self._money(text, clause, n, window)
            if money:
                return money
        metric = None
        noun_end = n.end
        best = None
        # The count noun nearest the figure whose lead-in passes; ties go to the earlier noun in
        # the pack's list. The lead-in tests only get stricter as the lead grows, so if the
        # earliest noun's lead fails every later one's does: one search of all nouns decides.
        m = None
        if self.any_count is not None and not _absent(self.count_gate, low, n.end, w_end):
            if self.count_nouns is None:
                m = self.any_count.search(window)
                name = self.count_names[m.lastgroup] if m else None  # type: ignore[index]
            else:
                name, m = self._first_noun(window, low, n.end, w_end)
        if m:
            lead = window[: m.start()]
            if not (
                len(_WORD.findall(lead)) > 5
                or _LEAD_STOP.search(lead)
                or (n.is_year and lead.strip())
                or _LEAD_NAME.search(lead)
            ):
                best = (name, m.start(), m.end())
        if best:
            metric, noun_end = best[0], n.end + best[2]
        before = text[clause.start : n.start]
        if metric is None:
            for m_name, rx in self.before_number:
                if rx.search(before):
                    metric = m_name
                    pm = self.persons.match(window)
                    noun_end = n.end + (pm.end() if pm else 0)
                    break
        if metric is None:
            bm = self.bare.match(window)
            if (
                bm
                and not self.bare_block.match(window[bm.end() :])
                and self.org.search(text[clause.start : clause.end])
                and not self.not_party.search(before)
            ):
                metric, noun_end = "party_members", n.end + bm.end()
        if metric is None:
            pm = self.persons.match(window)
            if not pm:
                return []
            event = self._event(text, since, n, n.end + pm.end(), limit, low)
            return [(event, n.value)] if event else []
        if metric == "party_members":
            metric = self._event(text, since, n, noun_end, limit, low) or metric
        if n.is_year and noun_end - n.end > 40:
            return []
        if metric == "party_members" and self._qualifier(text, clause, n, low) == "at_most":
            return []  # "cells with fewer than 7 members" is a threshold, not a count
        return [(metric, n.value)]

    def _first_noun(self, window: str, low: str | None, a: int, b: int) -> tuple[str | None, re.Match[str] | None]:
        """`any_count.search(window)` by noun (`window` is `text[a:b]`): the joined pattern's match
        is the earliest start of any noun, at equal starts the first noun in the list, which at
        that start matches as it does alone. A noun is skipped where none of its words occur."""
        best: re.Match[str] | None = None
        name = None
        for metric, rx, gate in self.count_nouns:  # type: ignore[union-attr]
            if low is not None and gate is not None and gate.search(low, a, b) is None:
                continue
            m = rx.search(window)
            if m is not None and (best is None or m.start() < best.start()):
                best, name = m, metric
        return name, best

    def _money(self, text: str, clause: Span, n: _Num, window: str) -> list[tuple[str, float]]:
        pack = self.pack
        scale = 1.0
        rest = window
        for rx, v in pack.rx_scales:
            m = rx.match(rest)
            if m:
                scale = v
                rest = rest[m.end() :]
                break
        if not self.currency.match(rest):
            return []
        before = text[max(clause.start, n.start - 120) : n.start]
        hits = [(m.end(), metric) for metric, rx in self.money for m in rx.finditer(before)]
        if _PER_CAPITA.match(rest):
            hits.append((10**6, "income_per_capita"))
        if not hits:
            return []
        metric = max(hits)[1]
        return [(metric, n.value * scale)]

    # ------------------------------------------------------------------ rates
    def _rate(self, text: str, sent: Span, clause: Span, n: _Num, prev_end: int, nxt: int) -> list[tuple[str, float]]:
        if _OF_PLAN.match(text[n.end : n.end + 30]):
            return []
        rc = self.concepts
        # quoted model names ("Sel Parti 4-baik") are not wording about this figure
        seg_before = _QUOTED.sub(" ", text[prev_end : n.start])
        seg_after = _QUOTED.sub(" ", text[n.end : nxt])
        sentence = text[sent.start : sent.end]
        # the comma-delimited piece holding the figure decides the tier when it names one
        # ("..., of which 18.6% were rated excellent"); the group may come from before it
        cut = max(text.rfind(c, clause.start, n.start) for c in ",;:")
        piece_start = max(cut + 1, prev_end)
        nxt_cut = [i for i in (text.find(c, n.end, nxt) for c in ",;") if i >= 0]
        piece = _QUOTED.sub(" ", text[piece_start : min(nxt_cut) if nxt_cut else nxt])
        tiers = {k for k in ("TOP", "GOOD", "ATTEND", "TRAINED", "GROWTH") if k in rc and rc[k].search(piece)}
        if tiers and piece_start > prev_end:
            groups = {k for k in ("CELLS", "MEMBERS", "OFFICIALS", "SECRETARIES") if k in rc and rc[k].search(piece)}
            context = piece if groups else seg_before + " " + piece
            out = self._classify(context, rc, sentence)
            if out:
                return [(m, n.value) for m in out]
        # a second figure in the clause: the wording before it belonged to the first one
        order = (seg_after[:160], seg_before) if prev_end > clause.start else (seg_before, seg_after[:160])
        out = self._classify(order[0], rc, sentence) or self._classify(order[1], rc, sentence)
        return [(m, n.value) for m in out]

    @staticmethod
    def _classify(seg: str, rc: dict[str, re.Pattern[str]], sentence: str) -> list[str]:
        has = {k for k, rx in rc.items() if rx.search(seg)}
        if "NOT" in has:
            return []
        if "OFFICIALS" in has and "ATTEND" in has:
            return ["officials_attending_cell_meetings_rate"]
        if "SECRETARIES" in has and "TRAINED" in has:
            return ["cell_secretaries_trained_rate"]
        if "ATTEND" in has and "MEMBERS" in has:
            return ["cell_meeting_attendance_rate"]
        if "GROWTH" in has:
            return ["economic_growth_rate"]
        out: list[str] = []
        if "TOP" in has and "GOOD" in has and _good_or_top(seg, rc):
            has = (has - {"TOP"}) | {"ORBETTER"}  # "well or excellently" is "well or better"
        if "TOP" in has:
            if "CELLS" in has:
                out.append("cells_top_tier_rate")
            if "MEMBERS" in has and ("CELLS" not in has or _members_rated(seg, rc)):
                out.append("members_top_tier_rate")
            return out
        if "GOOD" in has:
            middle = "ORBETTER" not in has
            top_in_sentence = "TOP" in rc and rc["TOP"].search(sentence)
            if middle and top_in_sentence:
                return []
            if "CELLS" in has:
                out.append("cells_rated_good_rate")
            if "MEMBERS" in has and ("CELLS" not in has or _members_rated(seg, rc)):
                out.append("members_rated_good_rate")
        return out

    def _qualifier(self, text: str, clause: Span, n: _Num, low: str | None = None) -> str:
        if n.qual is not None and n.qual[0] == clause.start:
            return n.qual[1]  # asked again for the same figure (count check, then the fact)
        a = max(clause.start, n.start - 30)
        before = text[a : n.start]
        found = "exact"
        for rx, q, gate in self.qualifier_gates:
            if not _absent(gate, low, a, n.start) and rx.search(before):
                found = q
                break
        n.qual = (clause.start, found)
        return found


def _good_or_top(seg: str, rc: dict[str, re.Pattern[str]]) -> bool:
    """ "bien ou excellemment", "well or excellently": the top word only raises the floor."""
    for g in rc["GOOD"].finditer(seg):
        t = rc["TOP"].search(seg, g.end())
        if t and t.start() - g.end() < 25 and _GOOD_OR_TOP.search(seg[g.end() - 1 : t.start() + 1]):
            return True
    return False


def _members_rated(seg: str, rc: dict[str, re.Pattern[str]]) -> bool:
    """Both cells and members are named: members are rated too only if a rating follows them."""
    m = rc["MEMBERS"].search(seg)
    c = rc["CELLS"].search(seg)
    if not m or not c:
        return False
    tail = seg[m.end() :]
    return bool(rc.get("GOOD") and rc["GOOD"].search(tail)) or bool(rc.get("TOP") and rc["TOP"].search(tail))


def _attach_targets(facts: list[Fact], targets: list[tuple[int, float, bool]]) -> None:
    """A target qualifies the nearest figure of the same kind (percent or count) in the sentence."""
    for pos, value, percent in targets:
        best = None
        for f in facts:
            if (f.unit == "percent") != percent or f.target is not None:
                continue
            d = abs(getattr(f, "_pos", 0) - pos)
            if best is None or d < best[0]:
                best = (d, f)
        if best is not None:
            best[1].target = value
