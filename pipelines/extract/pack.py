"""What a language pack declares, and how its patterns are compiled once.

A pack is data: word lists and regular expressions for one language. The engine is shared.
Adding a language means writing one module in `langs/` that builds a `Pack`, plus its example
corpus in `tests/corpora/<lang>.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_F = re.IGNORECASE | re.UNICODE


@dataclass
class Pack:
    code: str
    #: thousands in spaces ("33 690") are one number in this language
    space_groups: bool = False
    #: (unit-word regex, level, position): position "before" = "xã Tam An", "after" = "Pu Nhi commune"
    units: list[tuple[str, str, str]] = field(default_factory=list)
    #: words that join a unit word to its name: "of", "de", "named"
    unit_name_joiners: str = r"(?:of|named)"
    #: Party bodies, used for anaphora and to stop names ("Party Committee", "Đảng bộ")
    org_words: str = r"party committee"
    #: Party cell words a name may follow without a unit word ("Sel Partai Drang Phok")
    cell_words: str = ""
    #: anaphoric references to a unit without its name -> level (None: the current topic)
    anaphors: list[tuple[str, str | None]] = field(default_factory=list)
    #: capitalised words that are never part of a place or person name
    stopwords: set[str] = field(default_factory=set)
    #: count nouns after the number: (metric, regex); first match wins, so specific first
    counts: list[tuple[str, str]] = field(default_factory=list)
    #: "members" without "party": counted only next to a Party body
    bare_members: str = r"members?"
    #: what may follow a bare member noun and makes it someone else's members ("of the Standing...")
    bare_members_blockers: str = r"\s+of\b"
    #: bodies whose members are not Party members (executive/standing committee, delegates)
    not_party_bodies: str = r"executive committee|standing committee|standing board|delegat"
    #: people nouns counted for admissions/transfers ("people", "comrades", "orang")
    person_nouns: str = r"people|persons|comrades|members|cadres"
    #: noun-before patterns: (metric, regex that ends right before the number)
    before_number: list[tuple[str, str]] = field(default_factory=list)
    admit_verbs: str = r"admitt|recruit"
    remove_verbs: str = r"expell|struck off|remov"
    transfer_verbs: str = r"transferr|rotat|seconded"
    future_words: str = r"\bwill\b|expected|plan(?:s|ned)? to"
    target_words: str = r"target|goal|plan"
    #: words shortly before a count that make it no stock or event (files, candidates)
    count_skip: str = r"files? for|consideration|candidates?|proposed|nominat\w*"
    #: qualifiers: regex matching the words right before the number
    qualifiers: list[tuple[str, str]] = field(default_factory=list)
    #: scale words after a number
    scales: list[tuple[str, float]] = field(default_factory=list)
    currency: str = r"VND|đồng|dong|VNĐ"
    #: concepts used to classify a percentage: name -> regex
    rate_concepts: dict[str, str] = field(default_factory=dict)
    #: money facts: metric -> keyword regex before the amount
    money_keywords: dict[str, str] = field(default_factory=dict)
    #: merger triggers: (regex, "new_before" | "new_after")
    merger_triggers: list[tuple[str, str]] = field(default_factory=list)
    #: where a list of former units ends (decisions, "of X district")
    merger_stops: str = r"\b(?:decision|resolution|under)\b"
    #: honorifics before person names
    honorifics: str = r"comrade|mr\.?|mrs\.?|ms\.?"
    #: role titles: (regex, role), longest first
    roles: list[tuple[str, str]] = field(default_factory=list)
    #: a chairman of one of these is a head (Organisation Board, Propaganda...)
    board_words: str = r"board|department|organi[sz]ation committee"
    inspection_words: str = r"inspection"
    #: government or front bodies (their titles rank below any Party title)
    government_words: str = r"people'?s committee|people'?s council|fatherland front|red cross"
    #: national bodies: a person whose only titles are national is not recorded
    national_words: str = r"politburo|central committee|national assembly|prime minister|president of vietnam"
    #: a title after these words is also the person's ("appointed as", "to the position of")
    appoint_markers: str = r"\bas\b|to the position of|appointed"
    #: conjunctions in lists of names
    list_conj: str = r"and|or"
    #: number words counted (used for merged-unit counts and "a single committee")
    word_numbers: dict[str, int] = field(default_factory=dict)


    # ---- compiled forms -------------------------------------------------------------------
    @cached_property
    def rx_counts(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(m, re.compile(p, _F)) for m, p in self.counts]

    @cached_property
    def rx_before_number(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(m, re.compile(f"(?:{p})\\s*$", _F)) for m, p in self.before_number]

    @cached_property
    def rx_qualifiers(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(f"(?:^|[\\s(])(?:{p})\\s*$", _F), q) for p, q in self.qualifiers]

    @cached_property
    def rx_scales(self) -> list[tuple[re.Pattern[str], float]]:
        return [(re.compile(f"^\\s*(?:{p})\\b", _F), v) for p, v in self.scales]

    @cached_property
    def rx_concepts(self) -> dict[str, re.Pattern[str]]:
        return {k: re.compile(v, _F) for k, v in self.rate_concepts.items()}

    @cached_property
    def rx_money(self) -> dict[str, re.Pattern[str]]:
        return {k: re.compile(v, _F) for k, v in self.money_keywords.items()}

    @cached_property
    def rx_triggers(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p, _F), d) for p, d in self.merger_triggers]

    @cached_property
    def stop_keys(self) -> frozenset[str]:
        # all-capital entries (codes, roman numerals) only stop tokens written the same way:
        # "VI" is a numeral, "Vi" a surname
        # matched with diacritics: Vietnamese "Thành" (city) must not stop the name "Thanh"
        return frozenset(("=" + w) if (w.isupper() and len(w) > 1) else w.lower() for w in self.stopwords)

    def rx(self, name: str) -> re.Pattern[str]:
        """Compile a pack attribute holding one regex (cached per attribute)."""
        cache = self.__dict__.setdefault("_rx_cache", {})
        if name not in cache:
            cache[name] = re.compile(getattr(self, name), _F)
        return cache[name]
