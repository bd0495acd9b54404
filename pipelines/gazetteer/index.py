"""In-memory name indexes over both eras, and the `Gazetteer` facade that owns them.

Linking runs for every fact of every article, so everything it needs is precomputed once into
plain dicts keyed by `textnorm.key(short name)`: a lookup is a dict access plus a filter over the
(few) units sharing a name. The tables come from `units.py`/`lineage.py`; the decisions that use
the indexes live in `linking.py`, `checks.py` and `outlets.py`, which this class delegates to.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import threading
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import polars as pl

from pipelines.gazetteer import checks, linking, outlets
from pipelines.gazetteer.lineage import province_lineage, unit_lineage
from pipelines.gazetteer.names import EXTRA_PROVINCE_ALIASES, ascii_name, stripped_keys
from pipelines.gazetteer.records import Predecessor, Scope, Unit
from pipelines.gazetteer.source import raw_units_legacy, rows_of
from pipelines.gazetteer.units import admin_units
from pipelines.textnorm import key, spaced_key

if TYPE_CHECKING:
    from pipelines.extract.model import Subject


@functools.cache
def version() -> str:
    """The `vietnamadminunits` package version and a digest of this package's code: what the
    gazetteer's tables and indexes are built from."""
    from importlib.metadata import version as dist_version

    from pipelines.sourcehash import source_digest

    return f"{dist_version('vietnamadminunits')}+{source_digest(Path(__file__).resolve().parent)}"


class Gazetteer:
    """Official units of 2025 and before, indexed for linking article subjects."""

    _instance: ClassVar[Gazetteer | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def load(cls, cache: Path | None = None) -> Gazetteer:
        """The process-wide instance (built on first use, about 0.8 s).

        With `cache` (a file path), the first use in a process reads the indexes pickled there
        when they were built by this package and code version (`version()`; about 0.2 s), and
        otherwise builds them and writes that file for the next process: every `make run` and
        every sensor run starts a fresh process that needs the gazetteer for one article."""
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls._from_cache(cache) if cache is not None else cls()
        return cls._instance

    @classmethod
    def _from_cache(cls, cache: Path) -> Gazetteer:
        try:
            with cache.open("rb") as fh:
                stamp, built = pickle.load(fh)
            if stamp == version() and isinstance(built, cls):
                return built
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            pass  # missing, older or damaged: build it again
        built = cls()
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.tmp-{os.getpid()}")
            with tmp.open("wb") as fh:
                pickle.dump((version(), built), fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError:
            pass  # a read-only folder: no cache, same result
        return built

    def __init__(self) -> None:
        self.units: dict[tuple[str, str, str], Unit] = {}
        self.provinces: dict[str, list[Unit]] = defaultdict(list)
        self.districts: dict[str, list[Unit]] = defaultdict(list)
        self.district_aliases: dict[str, list[Unit]] = defaultdict(list)
        self.communes: dict[str, dict[str, list[Unit]]] = {
            "2025": defaultdict(list),
            "legacy": defaultdict(list),
        }
        self.commune_aliases: dict[str, list[Unit]] = defaultdict(list)
        #: legacy commune code -> keys of its former names (units merged into it before 2025)
        self.former_names: dict[str, frozenset[str]] = {}
        self.communes_in: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        self.districts_in: dict[str, list[Unit]] = defaultdict(list)
        self.successor: dict[str, str] = {}
        self.predecessors_of_province: dict[str, list[str]] = defaultdict(list)
        self.lineage_preds: dict[str, list[Predecessor]] = defaultdict(list)
        self.lineage_succ: dict[str, list[Predecessor]] = defaultdict(list)
        self._known: frozenset[str] | None = None
        self._link_cache: dict[Subject, linking.Link] = {}
        self._province_of_cache: dict[tuple[str, str | None, str | None], tuple[str, ...]] = {}
        self._build_units()
        self._build_aliases()
        self._build_lineage()

    # ----------------------------------------------------------------- building

    def _build_units(self) -> None:
        spaced: dict[str, str] = {}
        for r in rows_of(admin_units()):
            pshort = r["province_name"]
            short = r["short_name"]
            if short not in spaced:
                spaced[short] = spaced_key(short)
            u = Unit(
                era=r["era"],
                level=r["level"],
                code=r["code"],
                name=r["name"],
                short_name=short,
                ascii=ascii_name(short),
                key=r["short_key"],
                spaced=spaced[short],
                province_code=r["province_code"],
                province_short=pshort,
                province_ascii=ascii_name(pshort),
                district_code=r["district_code"],
                district_name=r["district_name"],
                lat=r["lat"],
                lon=r["lon"],
            )
            self.units[(u.era, u.level, u.code)] = u
            if u.level == "province":
                self.provinces[u.key].append(u)
            elif u.level == "district":
                self.districts[u.key].append(u)
                self.districts_in[u.province_code].append(u)
            else:
                self.communes[u.era][u.key].append(u)
                self.communes_in[(u.era, u.province_code)].append(u)

    def _build_aliases(self) -> None:
        """Former names the package records (e.g. district Long Đất <- Long Điền, Đất Đỏ)."""
        raw = raw_units_legacy()
        provinces = raw.filter(pl.col("provinceAlias").is_not_null()).unique("provinceCode")
        for code, aliases in provinces.select("provinceCode", "provinceAlias").iter_rows():
            for alias in json.loads(aliases):
                self._add_province_alias(alias, code)
        districts = raw.filter(pl.col("districtAlias").is_not_null()).unique("districtCode")
        for code, aliases in districts.select("districtCode", "districtAlias").iter_rows():
            unit = self.units[("legacy", "district", code)]
            for alias_key in {key(a) for a in json.loads(aliases)} - {unit.key}:
                self.district_aliases[alias_key].append(unit)
        wards = raw.filter(pl.col("wardAlias").is_not_null() & pl.col("wardCode").is_not_null())
        for code, aliases in wards.select("wardCode", "wardAlias").iter_rows():
            unit = self.units[("legacy", "commune", code)]
            former = {key(a) for a in json.loads(aliases)} - {unit.key}
            self.former_names[code] = frozenset(former)
            for alias_key in former:
                self.commune_aliases[alias_key].append(unit)
        for alias, target in EXTRA_PROVINCE_ALIASES.items():
            for u in list(self.provinces.get(target, [])):
                if u not in self.provinces[alias]:
                    self.provinces[alias].append(u)

    def _add_province_alias(self, alias: str, legacy_code: str) -> None:
        u = self.units[("legacy", "province", legacy_code)]
        same_name = [p for p in self.provinces.get(u.key, []) if p.era == "2025"]
        for target in [u, *same_name]:
            if target not in self.provinces[key(alias)]:
                self.provinces[key(alias)].append(target)

    def _build_lineage(self) -> None:
        for r in rows_of(province_lineage()):
            if r["legacy_province_code"] and r["new_province_code"]:
                self.successor[r["legacy_province_code"]] = r["new_province_code"]
                self.predecessors_of_province[r["new_province_code"]].append(
                    r["legacy_province_code"]
                )
        for r in rows_of(unit_lineage()):
            if not (r["legacy_code"] and r["new_code"]):
                continue
            old = self.units.get(("legacy", "commune", r["legacy_code"])) or self.units.get(
                ("legacy", "district", r["legacy_code"])
            )
            if old is None:
                continue
            self.lineage_preds[r["new_code"]].append(
                Predecessor(old, r["relation"], r["is_default"])
            )
            new = self.units[("2025", "commune", r["new_code"])]
            self.lineage_succ[old.code].append(Predecessor(new, r["relation"], r["is_default"]))

    def known_name_keys(self) -> frozenset[str]:
        """Spaced keys ("ia puch") of every province, district and commune short name, both eras.

        The extractor uses it to tell a place name from other capitalised words.
        """
        if self._known is None:
            self._known = frozenset(u.spaced for u in self.units.values())
        return self._known

    # ----------------------------------------------------------------- provinces

    def provinces_named(self, text: str | None) -> list[Unit]:
        """Province units (both eras) that `text` names, trying unit-word-stripped keys in turn."""
        if not text:
            return []
        for k in stripped_keys(text):
            found = self.provinces.get(k)
            if found:
                return found
        return []

    def province_name(self, text: str | None) -> str | None:
        """Canonical ASCII short name ("Ba Ria-Vung Tau", "Ho Chi Minh") if `text` names a province."""
        found = self.provinces_named(text)
        if not found:
            return None
        names = {u.province_ascii for u in found}
        if len(names) == 1:
            return names.pop()
        legacy = {u.province_ascii for u in found if u.era == "legacy"}
        return legacy.pop() if len(legacy) == 1 else None

    def scope(self, province: str | None) -> Scope | None:
        """The search scope for units said to lie in `province` (None if it names no province)."""
        named = self.provinces_named(province)
        if not named:
            return None
        codes_2025: set[str] = set()
        exact: set[str] = set()
        wide: set[str] = set()
        for u in named:
            if u.era == "2025":
                codes_2025.add(u.code)
                wide.update(self.predecessors_of_province.get(u.code, []))
            else:
                exact.add(u.code)
                wide.add(u.code)
                if u.code in self.successor:
                    codes_2025.add(self.successor[u.code])
        legacy_only = not any(u.era == "2025" for u in named)
        return Scope(
            tuple(named), frozenset(codes_2025), frozenset(exact), frozenset(wide), legacy_only
        )

    def province_2025_of(self, unit: Unit) -> Unit | None:
        """The 2025 province a unit lies in (for legacy communes, via the default successor ward)."""
        if unit.era == "2025":
            return self.units.get(("2025", "province", unit.province_code))
        if unit.level == "commune":
            succ = sorted(self.lineage_succ.get(unit.code, []), key=lambda p: not p.is_default)
            if succ:
                return self.units.get(("2025", "province", succ[0].unit.province_code))
        code = self.successor.get(unit.province_code)
        return self.units.get(("2025", "province", code)) if code else None

    # ----------------------------------------------------------------- districts / communes

    def candidates(self, name: str, level: str | None = None, era: str | None = None) -> list[Unit]:
        """Units named `name` at `level` (district and/or commune) in `era`, exact keys then aliases."""
        want_district = level in (None, "district") and era in (None, "legacy")
        want_commune = level in (None, "commune")
        eras = ("2025", "legacy") if era is None else (era,)
        for k in stripped_keys(name):
            found: list[Unit] = []
            if want_district:
                found += self.districts.get(k, [])
            if want_commune:
                for e in eras:
                    found += self.communes[e].get(k, [])
            if not found:
                if want_district:
                    found += self.district_aliases.get(k, [])
                if want_commune and "legacy" in eras:
                    found += self.commune_aliases.get(k, [])
            if found:
                return found
        return []

    def provinces_of(self, name: str, level: str | None = None, era: str | None = None) -> set[str]:
        """ASCII names of every province (either era) holding a district/commune named `name`."""
        if level == "province":
            p = self.province_name(name)
            return {p} if p else set()
        return {u.province_ascii for u in self.candidates(name, level, era)}

    def province_of(
        self, name: str, level: str | None = None, era: str | None = None
    ) -> str | None:
        """The province of a district/commune name when all its candidates lie in one place.

        A legacy province and the 2025 province it merged into count as one place (district
        "Mai Chau" of Hòa Bình and the 2025 commune Mai Châu of Phú Thọ -> "Hoa Binh"); the legacy
        name is returned when the legacy candidates share one province, else the 2025 name.
        """
        ck = (name, level, era)
        hit = self._province_of_cache.get(ck)
        if hit is None:
            hit = self._province_of(name, level, era)
            self._province_of_cache[ck] = hit
        return hit[0] if hit else None

    #: The contract's name for `province_of`.
    def province_of_name(self, name: str, level: str | None = None) -> str | None:
        """Alias of `province_of` (docs/contracts.md)."""
        return self.province_of(name, level)

    def _province_of(self, name: str, level: str | None, era: str | None) -> tuple[str, ...]:
        if level == "province":
            p = self.province_name(name)
            return (p,) if p else ()
        cands = self.candidates(name, level, era)
        if not cands:
            return ()
        places = {
            u.province_code
            if u.era == "2025"
            else self.successor.get(u.province_code, "?" + u.province_code)
            for u in cands
        }
        if len(places) != 1:
            return ()
        legacy = {u.province_ascii for u in cands if u.era == "legacy"}
        if len(legacy) == 1:
            return (legacy.pop(),)
        new = self.units.get(("2025", "province", places.pop()))
        return (new.province_ascii,) if new else ()

    # ----------------------------------------------------------------- delegated decisions

    def province_from_outlet(self, domain: str | None) -> str | None:
        """Province named by a provincial outlet's domain ('baogialai.com.vn' -> 'Gia Lai')."""
        return outlets.province_from_outlet(self, domain)

    def link(self, subject: Subject) -> linking.Link:
        """Resolve a subject to an official unit (cached per subject); see `linking.link`."""
        hit = self._link_cache.get(subject)
        if hit is None:
            hit = linking.link(self, subject)
            self._link_cache[subject] = hit
        return hit

    def lineage_check(self, new_unit: Subject, predecessors: list[str]) -> checks.LineageCheck:
        """Compare an article's merger with the official lineage; see `checks.lineage_check`."""
        return checks.lineage_check(self, new_unit, predecessors)
