"""Plain records the indexes hold: a unit, a lineage predecessor, a province search scope.

Kept apart from `index.py` so the decision modules (`linking`, `checks`, `outlets`) can use them
without importing the index that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unit:
    """One official unit (any era, any level) as the linker sees it."""

    era: str
    level: str
    code: str
    name: str
    short_name: str
    ascii: str
    key: str
    spaced: str
    province_code: str
    province_short: str
    province_ascii: str
    district_code: str | None
    district_name: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Predecessor:
    """A legacy unit in the official lineage of a 2025 unit."""

    unit: Unit
    relation: str
    is_default: bool


@dataclass(frozen=True, slots=True)
class Scope:
    """Where to look for units when an article names a province.

    `codes_2025`: the 2025 province(s) the name denotes or became; `legacy_exact`: the legacy
    province(s) of that very name; `legacy_wide`: every legacy province inside `codes_2025` when the
    name is a 2025 province (a 2025 "Gia Lai" commune may lie in former Bình Định);
    `legacy_only`: the name is no 2025 province (e.g. "Nam Dinh"), so 2025 units must descend from
    the named province to count.
    """

    named: tuple[Unit, ...]
    codes_2025: frozenset[str]
    legacy_exact: frozenset[str]
    legacy_wide: frozenset[str]
    legacy_only: bool
