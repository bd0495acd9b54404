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

from pipelines.extract.fastre import absent, cover, guarded, literals
from pipelines.extract.model import Fact, Subject
from pipelines.extract.numbers import Number, find_numbers
from pipelines.extract.pack import Pack
from pipelines.extract.sentences import Span
from pipelines.extract.subjects import Mention, Resolver

_F = re.IGNORECASE | re.UNICODE
_PERCENT = re.compile(r"\s?(?:%|phần trăm|per ?cent|peratus|persen|procent\w*|pour ?cent|процент\w*)", _F)
_DATE_AROUND = re.compile(r"^[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?!\d)|^[/.]\d{4}")
_DOCNO_BEFORE = guarded(re.compile(r"(?:\bNo\.?|(?<!tổng )\bsố|\bnr\.?|\bn°|№|\bNr\.?|\bNo|Nomor|Numer|Nghị định|Điều|Pasal|Article|Artykuł|Lesson|Lekcja|Bài|Pelajaran|Projekt\w*|Project|Đề án|model\w*|mô hình|modèle)\s*$", _F))
_DOCNO_AFTER = re.compile(r"^(?:-[A-ZĐ]|/[A-ZĐ]|[A-Za-z]\b|-\w+/)")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
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
_QUOTE_BEFORE = re.compile(r"[\"“„«']\s?$")
_COMPOUND_AFTER = re.compile(r"-[^\W\d_]")
_YEAR_IN = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})(?![\d/])")
_DATE_BEFORE_YEAR = re.compile(r"\d[/.]\s*$")
_YEAR_AFTER = re.compile(r"^\s*(?:r\.|roku|год|г\.)")
_WORD = re.compile(r"\w+")
_LEAD_STOP = re.compile(r"[.;:()\"“”]")
_LEAD_NAME = re.compile(r",\s*(?-i:[A-ZÀ-ỸĐ])")
_PER_CAPITA = re.compile(r"^\s*(?:VND|VNĐ|đồng|dong)?\s*/\s*(?:người|orang|person|osob\w*|personne|человек|capita)", _F)
_DIGIT = re.compile(r"[0-9]")


@dataclass
class _Num:
    num: Number
    value: float
    start: int
    end: int  # end of the figure including "%" or the fraction
    percent: bool = False
    in_parens: bool = False
    is_year: bool = False
    fraction: bool = False
    qual: tuple[int, str] | None = None  # (clause start, qualifier) once read


def _numbers(text: str, sent: Span, pack: Pack) -> list[_Num]:
    out: list[_Num] = []
    nums = find_numbers(text[sent.start : sent.end], space_groups=pack.space_groups)
    skip_next = False
    for i, n in enumerate(nums):
        if skip_next:
            skip_next = False
            continue
        s, e = sent.start + n.start, sent.start + n.end
        after = text[e : min(sent.end, e + 12)]
        before = text[max(sent.start, s - 24) : s]
        if before.endswith(("/", "-", ".")) and _DATE_TAIL.search(before):
            continue  # tail of a date or code
        if _DATE_AROUND.match(after) and not _NOT_DATE.match(after + " "):
            continue  # 24/10/2024, 1/7, 29.05.2024
        if _DOCNO_BEFORE.search(before) or _DOCNO_AFTER.match(after):
            continue
        # _QUOTE_BEFORE matches at most two characters at the end: look only there
        if _QUOTE_BEFORE.search(before, max(0, len(before) - 2)) or _COMPOUND_AFTER.match(after):
            continue  # inside a quoted model name ("4 Sel Parti Baik") or a compound ("4-baik")
        value = n.value
        end = e
        fraction = False
        # fractions "23/49 chi bộ", "33 690/39 204 członków": the total is the count
        if i + 1 < len(nums) and text[e : sent.start + nums[i + 1].start].strip() == "/":
            nxt = nums[i + 1]
            value = nxt.value
            end = sent.start + nxt.end
            skip_next = True
            fraction = True
        pm = _PERCENT.match(text, end, sent.end)
        percent = bool(pm)
        if pm:
            end = pm.end()
        pre = text[sent.start : s]
        in_parens = pre.count("(") > pre.count(")")
        is_year = bool(_YEAR.match(n.raw)) and not percent
        out.append(_Num(n, value, s, end, percent, in_parens, is_year, fraction))
    return out


def _few(lits: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A literal gate worth checking: a few `find`s cost less than the search they may save."""
    return cover(lits, most=8)


def _ones_rx(pack: Pack) -> re.Pattern[str] | None:
    """The pattern of the pack's number words worth 1, or None (compiled once per pack)."""
    cache = pack.__dict__.setdefault("_ones_rx", {})
    if "rx" not in cache:
        ones = [w for w, v in pack.word_numbers.items() if v == 1]
        cache["rx"] = re.compile(f"(?<!\\w)(?:{'|'.join(re.escape(w) for w in ones)})(?!\\w)", _F) if ones else None
    return cache["rx"]


def _with_single_word_counts(text: str, sent: Span, pack: Pack, nums: list[_Num]) -> list[_Num]:
    """Add the pack's number words worth 1 ("un seul", "une seule") as figures to read counts from.

    "sous un seul Comité du Parti" -> 1 subordinate committee. Only 1-valued words are read, so
    packs whose word numbers are all 2+ (merger counts: "two", "dua", "trois") read as before.
    """
    rx = _ones_rx(pack)
    if rx is None:
        return nums
    extra: list[_Num] = []
    for m in rx.finditer(text, sent.start, sent.end):
        if any(n.start < m.end() and m.start() < n.end for n in nums):
            continue
        pre = text[sent.start : m.start()]
        num = Number(1.0, m.start() - sent.start, m.end() - sent.start, m.group())
        extra.append(_Num(num, 1.0, m.start(), m.end(), in_parens=pre.count("(") > pre.count(")")))
    return sorted([*nums, *extra], key=lambda n: n.start) if extra else nums


def period_of(text: str, sent: Span, pos: int) -> str | None:
    """The year or span a figure refers to: nearest stated before it in the sentence."""
    seg = text[sent.start : pos]
    best: str | None = None
    for m in _RANGE.finditer(seg):
        best = f"{m.group(1)}-{m.group(2)}"
    last_range_end = max((m.end() for m in _RANGE.finditer(seg)), default=-1)
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
        self.target_lits = _few(literals(self.target))
        self.future_lits = _few(literals(self.future))
        self.skip_lits = _few(literals(self.count_skip))
        self.not_party = guarded(pack.rx("not_party_bodies"))
        self.events = [
            (guarded(pack.rx(attr)), metric)
            for attr, metric in (("admit_verbs", "party_members_admitted"), ("remove_verbs", "party_members_removed"), ("transfer_verbs", "cadres_transferred"))
        ]
        # all count nouns in one pattern, alternatives in the pack's order: its match is the
        # earliest count noun, and at equal starts the first in the list (see `_count`)
        self.count_names = {f"c{i}": m for i, (m, _p) in enumerate(pack.counts)}
        self.any_count = (
            guarded(re.compile("|".join(f"(?P<c{i}>{p})" for i, (_m, p) in enumerate(pack.counts)), _F))
            if pack.counts
            else None
        )
        self.count_lits = _few(literals(self.any_count)) if self.any_count is not None else None
        self.before_number = [(m, guarded(rx)) for m, rx in pack.rx_before_number]
        self.qualifiers = [(guarded(rx), q, _few(literals(rx))) for rx, q in pack.rx_qualifiers]
        self.currency = re.compile(f"^\\s*(?:{pack.currency})", _F)
        self.money = [(metric, guarded(rx)) for metric, rx in pack.rx_money.items()]
        self.ones = _ones_rx(pack)
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
        nums = _numbers(text, sent, pack)
        nums = _with_single_word_counts(text, sent, pack, nums)
        if not nums:
            return []
        facts: list[Fact] = []
        targets: list[tuple[int, float, bool]] = []  # (pos, value, percent)
        for idx, n in enumerate(nums):
            clause = next((c for c in clauses if c.start <= n.start < c.end), sent)
            before = text[clause.start : n.start]
            # (each pattern skipped where none of the words it needs occur: same outcome)
            cs, ns = clause.start, n.start
            if not absent(low, self.target_lits, max(cs, ns - 40), ns) and self._is_target(before, n):
                targets.append((n.start, n.value, n.percent))
                continue
            if n.in_parens:
                continue
            if not absent(low, self.future_lits, max(cs, ns - 60), ns) and self.future.search(before[-60:]):
                continue
            if (
                not n.percent
                and not absent(low, self.skip_lits, max(cs, ns - 50), ns)
                and self.count_skip.search(before[-50:])
            ):
                continue
            prev_end = max([clause.start] + [m.end for m in nums[:idx] if m.end <= n.start and m.percent])
            nxt_start = min([clause.end] + [m.start for m in nums[idx + 1 :] if m.start > n.end])
            if n.percent:
                found = self._rate(text, sent, clause, n, prev_end, nxt_start)
            else:
                prev_any = max([clause.start] + [m.end for m in nums[:idx] if m.end <= n.start])
                found = self._count(text, clause, n, nxt_start, prev_any, low)
            if n.fraction and any(abs(f.value - n.value) < 1e-9 for f in facts):
                continue  # "23/49 ... 16/49 ...": the same total restated in a breakdown
            for metric, value in found:
                subj, conf = resolver.subject_for(n.start, clause, mentions, text)
                subject = Subject(subj.name, subj.level, subj.province) if subj and subj.name else Subject("", "", None)
                facts.append(
                    Fact(
                        subject=subject,
                        metric=metric,
                        value=value,
                        qualifier=self._qualifier(text, clause, n, low),
                        period=period_of(text, sent, n.start),
                        evidence=text[clause.start : clause.end],
                        start=clause.start,
                        end=clause.end,
                        confidence=conf,
                    )
                )
                facts[-1]._pos = n.start  # type: ignore[attr-defined]
        _attach_targets(facts, targets)
        return facts

    # ------------------------------------------------------------------ counts
    def _is_target(self, before: str, n: _Num) -> bool:
        return bool(self.target.search(before[-40:]))

    def _event(self, text: str, since: int, n: _Num, noun_end: int, limit: int) -> str | None:
        """The event verb that governs this count: the nearest one before it (after the previous
        figure), else one right after its noun ("42 members have been admitted")."""
        before = text[max(since, n.start - 70) : n.start]
        best: tuple[int, str] | None = None
        for rx, metric in self.events:
            for m in rx.finditer(before):
                if best is None or m.end() > best[0]:
                    best = (m.end(), metric)
        if best:
            return best[1]
        after = text[noun_end : min(limit, noun_end + 45)]
        first: tuple[int, str] | None = None
        for rx, metric in self.events:
            m = rx.search(after)
            if m and (first is None or m.start() < first[0]):
                first = (m.start(), metric)
        return first[1] if first else None

    def _count(
        self, text: str, clause: Span, n: _Num, limit: int, since: int, low: str | None = None
    ) -> list[tuple[str, float]]:
        window = text[n.end : min(limit, n.end + 90)]
        before = text[clause.start : n.start]
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
        if self.any_count is not None and not absent(low, self.count_lits, n.end, n.end + len(window)):
            m = self.any_count.search(window)
        if m:
            lead = window[: m.start()]
            if not (
                len(_WORD.findall(lead)) > 5
                or _LEAD_STOP.search(lead)
                or (n.is_year and lead.strip())
                or _LEAD_NAME.search(lead)
            ):
                best = (self.count_names[m.lastgroup], m.start(), m.end())  # type: ignore[index]
        if best:
            metric, noun_end = best[0], n.end + best[2]
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
            event = self._event(text, since, n, n.end + pm.end(), limit)
            return [(event, n.value)] if event else []
        if metric == "party_members":
            metric = self._event(text, since, n, noun_end, limit) or metric
        if n.is_year and noun_end - n.end > 40:
            return []
        if metric == "party_members" and self._qualifier(text, clause, n, low) == "at_most":
            return []  # "cells with fewer than 7 members" is a threshold, not a count
        return [(metric, n.value)]

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
        for rx, q, lits in self.qualifiers:
            if not absent(low, lits, a, n.start) and rx.search(before):
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
