"""Mergers: a new unit and the former units an article names.

A trigger phrase splits the clause into the new unit's side and the former units' side
("X powstał z połączenia A, B i C" / "A, B và C sáp nhập thành X"). Former units are the names
on their side, minus names of a higher level than the new unit ("của huyện Long Điền", "of Nghi
Loc district") and minus anything after a stop word (a decision number, a date). When the
article only counts the former units, a `merged_units` fact is returned instead.
"""

from __future__ import annotations

import re

from pipelines.extract.fastre import absent, cover, guarded, literals
from pipelines.extract.model import Fact, Merger, Subject
from pipelines.extract.names import TOKEN, is_name_token, known_unit_names, read_forward
from pipelines.extract.pack import Pack
from pipelines.extract.sentences import Span
from pipelines.extract.subjects import LEVEL_RANK, Mention, Resolver

_F = re.IGNORECASE | re.UNICODE


class MergerReader:
    def __init__(self, pack: Pack):
        self.pack = pack
        self.known = known_unit_names()
        words = "|".join(rx for rx, _lvl, _pos in pack.units)
        wn = "|".join(re.escape(w) for w in pack.word_numbers)
        num = f"\\d+|{wn}" if wn else "\\d+"
        #: any trigger: sentences without one are skipped at once
        self.any_trigger = guarded(re.compile("|".join(f"(?:{p})" for p, _d in pack.merger_triggers) or "(?!)", _F))
        self.count_rx = re.compile(f"(?<!\\w)({num})\\s+(?:\\w+\\s+)?(?:{words})(?!\\w)", _F)
        # each trigger with a first-character check and the strings every match of it contains
        self.triggers = [(guarded(rx), direction, cover(literals(rx))) for rx, direction in pack.rx_triggers]

    def read(
        self,
        text: str,
        sent: Span,
        clauses: list[Span],
        mentions: list[Mention],
        resolver: Resolver,
        low: str | None = None,
    ) -> tuple[list[Merger], list[Fact]]:
        """Mergers and merged-unit counts of one sentence; `low` is `fastre.lowered(text)` if known."""
        mergers: list[Merger] = []
        facts: list[Fact] = []
        # some trigger matches in the sentence (what `any_trigger` tells, one alternative at a
        # time so that triggers whose words are absent are not run at all)
        a, b = sent.start, sent.end
        first, first_m = -1, None  # the first trigger that matches in the sentence, and where
        for k, (rx, _d, lits) in enumerate(self.triggers):
            if not absent(low, lits, a, b):
                first_m = rx.search(text, a, b)
                if first_m:
                    first = k
                    break
        if first_m is None:
            return mergers, facts
        for clause in clauses:
            # a clause that is the whole sentence (no semicolon): the triggers before `first`
            # do not match in it, and `first` matches where it did in the sentence
            whole = clause.start == a and clause.end == b
            for k, (rx, direction, lits) in enumerate(self.triggers):
                if whole and k <= first:
                    if k < first:
                        continue
                    m = first_m
                else:
                    if absent(low, lits, clause.start, clause.end):
                        continue  # none of the words this trigger needs: it cannot match here
                    m = rx.search(text, clause.start, clause.end)
                    if not m:
                        continue
                got = self._one(text, clause, m, direction, mentions, resolver)
                if got is None:
                    continue
                new, preds, region = got
                if len(preds) >= 2:
                    mergers.append(
                        Merger(
                            new_unit=Subject(new.name, new.level, new.province),
                            predecessors=preds,
                            evidence=text[clause.start : clause.end],
                            start=clause.start,
                            end=clause.end,
                            confidence=0.85 if new.kind != "anaphor" else 0.7,
                        )
                    )
                elif not preds:
                    cm = self.count_rx.search(text, region[0], region[1])
                    if cm:
                        raw = cm.group(1)
                        value = float(raw) if raw.isdigit() else float(self.pack.word_numbers[raw.lower()])
                        facts.append(
                            Fact(
                                subject=Subject(new.name, new.level, new.province),
                                metric="merged_units",
                                value=value,
                                evidence=text[clause.start : clause.end],
                                start=clause.start,
                                end=clause.end,
                                confidence=0.75,
                            )
                        )
                break  # one trigger per clause
        return mergers, facts

    def _one(self, text, clause, m, direction, mentions, resolver):
        named = [x for x in mentions if x.kind in ("explicit", "qualifier", "parenthetical")]
        if direction in ("between", "new_after"):
            # "between": "sáp nhập các xã A, B và C thành xã D": former units inside the trigger;
            # "new_after": former units before the trigger; either way the new unit follows it
            region = m.span("preds") if direction == "between" else (clause.start, m.start())
            new = self._new_after(text, clause, m, named, resolver)
            if new is None:
                return None
        else:
            region = (m.end(), clause.end)
            before = [x for x in named if clause.start <= x.start < m.start()]
            # "in Quang Nam province, Que Tan commune was formed by merging": the lowest level
            new = min(before, key=lambda x: LEVEL_RANK.get(x.level, 1)) if before else None
            if new is None:
                anas = [x for x in mentions if x.kind == "anaphor" and x.start < m.start()]
                for a in anas:
                    a.resolved = a.resolved or resolver.resolve_anaphor(a)
                    if a.resolved is not None:
                        new = a.resolved
                        break
            if new is None:
                new = resolver.topic
            if new is None:
                return None
        stop = self.pack.rx("merger_stops").search(text, region[0], region[1])
        if stop:
            region = (region[0], stop.start())
        preds = self._names(text, region, new, mentions)
        if direction == "with" and preds:
            preds = [new.name, *[p for p in preds if p.lower() != new.name.lower()]]
        for x in mentions:
            if region[0] <= x.start < region[1] and x is not new and x.kind != "anaphor":
                x.kind = "predecessor"
        return new, preds, region

    def _new_after(self, text, clause, m, named, resolver) -> Mention | None:
        """The first named unit after the trigger, else the name read right after it."""
        after = [x for x in named if m.end() <= x.start < clause.end]
        if after:
            return after[0]
        run = read_forward(text, m.end(), clause.end, self.pack.stop_keys, self.known)
        if run is None:
            return None
        new = Mention(run.ascii, _level_in(m.group(0), self.pack) or "commune", run.start, run.end, sentence=-1)
        new.province = resolver.ctx.province
        return new

    def _names(self, text: str, region: tuple[int, int], new: Mention, mentions: list[Mention]) -> list[str]:
        rank = LEVEL_RANK.get(new.level, 1)
        higher = [x for x in mentions if region[0] <= x.start < region[1] and LEVEL_RANK.get(x.level, 0) > rank and x.kind != "anaphor"]
        out: list[str] = []
        pos = region[0]
        while pos < region[1]:
            tm = TOKEN.search(text, pos, region[1])
            if not tm:
                break
            if not is_name_token(tm.group(), self.pack.stop_keys):
                pos = tm.end()
                continue
            run = read_forward(text, tm.start(), region[1], self.pack.stop_keys, self.known, depol=self.pack.code == "pl")
            if run is None:
                pos = tm.end()
                continue
            pos = run.end
            if any(h.start <= run.start < h.end for h in higher):
                continue
            name = run.ascii
            if name.lower() not in (o.lower() for o in out):
                out.append(name)
        return out


def _level_in(phrase: str, pack: Pack) -> str | None:
    for rx, level in _unit_words(pack):
        if rx.search(phrase):
            return "district" if level == "city" else level
    return None


def _unit_words(pack: Pack) -> list[tuple[re.Pattern[str], str]]:
    """Each unit word of the pack as a whole-word pattern, compiled once per pack."""
    cache = pack.__dict__.setdefault("_unit_words", {})
    if "rx" not in cache:
        cache["rx"] = [(re.compile(f"(?<!\\w)(?:{rx})(?!\\w)", _F), level) for rx, level, _pos in pack.units]
    return cache["rx"]
