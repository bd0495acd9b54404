"""The fact vocabulary of `spec/facts.md` as Python types.

Everything downstream (the gold-format JSON, the Parquet parts, the warehouse) is
derived from these classes, so the vocabulary lives in exactly one place.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

LEVELS = ("province", "district", "commune", "village", "agency", "country")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
ROLES = (
    "secretary",
    "deputy secretary",
    "permanent deputy secretary",
    "chairman",
    "vice chairman",
    "head",
    "deputy head",
    "member",
    "other",
)

#: metric name -> unit, in the order of the spec's table
METRICS: dict[str, str] = {
    "party_members": "count",
    "party_cells": "count",
    "grassroots_party_orgs": "count",
    "affiliated_party_orgs": "count",
    "subordinate_party_committees": "count",
    "party_members_admitted": "count",
    "party_members_removed": "count",
    "cadres_transferred": "count",
    "merged_units": "count",
    "cell_meeting_attendance_rate": "percent",
    "cells_rated_good_rate": "percent",
    "cells_top_tier_rate": "percent",
    "members_rated_good_rate": "percent",
    "members_top_tier_rate": "percent",
    "cell_secretaries_trained_rate": "percent",
    "officials_attending_cell_meetings_rate": "percent",
    "economic_growth_rate": "percent",
    "production_value": "VND",
    "income_per_capita": "VND",
}

Level = Literal["province", "district", "commune", "village", "agency", "country"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]


@dataclass(frozen=True)
class Subject:
    """The Party organisation or place a fact is about (name without the unit word, ASCII)."""

    name: str
    level: str
    province: str | None = None

    def key(self) -> str:
        """Stable id used to join facts, people and mergers to the `subjects` table."""
        raw = f"{self.name.casefold()}|{self.level}|{(self.province or '').casefold()}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "level": self.level, "province": self.province}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Subject | None:
        if not d:
            return None
        return cls(name=d["name"], level=d["level"], province=d.get("province"))


@dataclass
class Fact:
    """One metric fact with the character span of its evidence in the normalized text."""

    subject: Subject
    metric: str
    value: float
    qualifier: str = "exact"
    target: float | None = None
    period: str | None = None
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.8

    @property
    def unit(self) -> str:
        return METRICS[self.metric]

    def to_gold(self) -> dict[str, Any]:
        return {
            "subject": self.subject.to_dict(),
            "metric": self.metric,
            "value": _num(self.value),
            "qualifier": self.qualifier,
            "target": _num(self.target),
            "period": self.period,
            "evidence": self.evidence,
            "span": [self.start, self.end],
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Merger:
    """A new unit and the former units the article names as merged into it."""

    new_unit: Subject
    predecessors: list[str]
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.8

    def to_gold(self) -> dict[str, Any]:
        return {
            "new_unit": self.new_unit.to_dict(),
            "predecessors": list(self.predecessors),
            "evidence": self.evidence,
            "span": [self.start, self.end],
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Person:
    """A named official, the role normalized to the spec's English list."""

    name: str
    role: str
    organization: Subject | None = None
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.7
    title: str = ""  # the title as written, kept for review

    def to_gold(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "organization": self.organization.to_dict() if self.organization else None,
            "evidence": self.evidence,
            "span": [self.start, self.end],
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Extraction:
    """All facts of one article."""

    language: str
    metrics: list[Fact] = field(default_factory=list)
    mergers: list[Merger] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def to_gold(
        self, doc: str, source_url: str | None = None, published: str | None = None
    ) -> dict[str, Any]:
        """The gold-file format of `spec/facts.md` (plus `span` and `confidence` per entry)."""
        return {
            "doc": doc,
            "language": self.language,
            "source_url": source_url,
            "published": published,
            "metrics": [f.to_gold() for f in self.metrics],
            "mergers": [m.to_gold() for m in self.mergers],
            "people": [p.to_gold() for p in self.people],
        }


def _num(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)


__all__ = [
    "LEVELS",
    "METRICS",
    "QUALIFIERS",
    "ROLES",
    "Extraction",
    "Fact",
    "Merger",
    "Person",
    "Subject",
    "asdict",
]
