"""Resolve an article's subject to one official unit, or say why not.

Rules (the district tier ended on 1 July 2025, so districts are always legacy):
- province -> the province, 2025 era when a 2025 province bears the name, else legacy;
- district -> a legacy district in the named province (or in the legacy provinces merged into
  a 2025 province of that name);
- commune -> a 2025 commune of the named province if one bears the name, else a legacy one
  (first in the province of that very name, then in the others merged with it); former names
  recorded by the package count as a match; rapidfuzz (ratio >= 90 on spaced keys, same province)
  is the last resort and says so in `reason`;
- village, agency, country -> 'not_applicable' (the gazetteer has no such units), province filled.
Every outcome carries a one-line `reason` so the `subjects` table explains itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from pipelines.gazetteer.names import stripped_keys
from pipelines.gazetteer.records import Scope, Unit
from pipelines.textnorm import spaced_key

if TYPE_CHECKING:
    from pipelines.extract.model import Subject
    from pipelines.gazetteer.index import Gazetteer

FUZZY_CUTOFF = 90.0


@dataclass(frozen=True)
class Link:
    """A subject's official unit; province names are official short names with diacritics."""

    era: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    province_code: str | None = None
    province_name: str | None = None
    province_code_2025: str | None = None
    province_name_2025: str | None = None
    lat: float | None = None
    lon: float | None = None
    status: str = "unresolved"
    reason: str = ""


@dataclass(frozen=True)
class Match:
    """Outcome of a name search: the units found and how."""

    units: tuple[Unit, ...]
    how: str  # 'exact', 'former' (a name before an earlier merger), 'fuzzy (score N)', or ''


NO_MATCH = Match((), "")


def link(gz: Gazetteer, subject: Subject) -> Link:
    """Link one subject; see the module docstring for the rules."""
    level = subject.level
    scope = gz.scope(subject.province)
    if subject.province and scope is None:
        note = f"; province {subject.province!r} is not an official province name"
    else:
        note = ""
    if level == "province":
        return _link_province(gz, subject)
    if level == "district":
        return _link_district(gz, subject, scope, note)
    if level == "commune":
        return _link_commune(gz, subject, scope, note)
    base = _province_fields(gz, scope)
    return Link(
        **base,
        status="not_applicable",
        reason=f"the gazetteer has no units of level {level!r}{note}",
    )


# --------------------------------------------------------------------------- helpers


def _province_fields(gz: Gazetteer, scope: Scope | None) -> dict[str, str | None]:
    """Province columns for a subject whose own unit is not in the gazetteer."""
    if scope is None:
        return {}
    unit = next((u for u in scope.named if u.era == "2025"), scope.named[0])
    new = gz.province_2025_of(unit)
    return {
        "province_code": unit.code,
        "province_name": unit.short_name,
        "province_code_2025": new.code if new else None,
        "province_name_2025": new.short_name if new else None,
    }


def _resolved(gz: Gazetteer, unit: Unit, reason: str) -> Link:
    new = gz.province_2025_of(unit)
    is_province = unit.level == "province"
    return Link(
        era=unit.era,
        unit_code=unit.code,
        unit_name=unit.name,
        province_code=unit.code if is_province else unit.province_code,
        province_name=unit.short_name if is_province else unit.province_short,
        province_code_2025=new.code if new else None,
        province_name_2025=new.short_name if new else None,
        lat=unit.lat,
        lon=unit.lon,
        status="resolved",
        reason=reason,
    )


def _describe(units: Iterable[Unit]) -> str:
    """'Xã Tân Sơn (legacy, Huyện Tân Sơn, Phú Thọ), ...' for reasons."""
    parts = [
        f"{u.name} ({u.era}, {u.district_name + ', ' if u.district_name else ''}{u.province_short})"
        for u in units
    ]
    return ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")


def _outcome(gz: Gazetteer, subject: Subject, match: Match, where: str, note: str) -> Link | None:
    """Resolved / ambiguous Link for a non-empty match, None for an empty one."""
    units = match.units
    if not units:
        return None
    if len(units) == 1:
        u = units[0]
        return _resolved(
            gz, u, f"{match.how} {u.level} name, {u.era} unit in {u.province_short}{where}{note}"
        )
    return Link(
        **_province_fields(gz, gz.scope(subject.province)),
        status="ambiguous",
        reason=f"{len(units)} candidates for {subject.level} {subject.name!r}{where}: {_describe(units)}{note}",
    )


def _find(keys: list[str], index: dict[str, list[Unit]], keep) -> list[Unit]:
    """Units under the first key with any unit passing `keep`."""
    for k in keys:
        found = [u for u in index.get(k, ()) if keep(u)]
        if found:
            return found
    return []


def _fuzzy(name: str, pool: list[Unit]) -> Match:
    """Best rapidfuzz ratio >= FUZZY_CUTOFF on spaced keys; all units tied at the best score."""
    if not pool:
        return NO_MATCH
    hits = process.extract(
        spaced_key(name),
        [u.spaced for u in pool],
        scorer=fuzz.ratio,
        score_cutoff=FUZZY_CUTOFF,
        limit=None,
    )
    if not hits:
        return NO_MATCH
    best = max(score for _c, score, _i in hits)
    units = tuple(pool[i] for _c, score, i in hits if score == best)
    return Match(units, f"fuzzy (score {best:.0f})")


def _elsewhere(gz: Gazetteer, subject: Subject, level: str) -> str:
    """Reason text for a name that exists only outside the named province."""
    others = gz.candidates(subject.name, level)
    if not others:
        return f"no {level} named {subject.name!r} in the gazetteer"
    return f"no {level} {subject.name!r} in {subject.province}; the name exists in: {_describe(others)}"


# --------------------------------------------------------------------------- levels


def _link_province(gz: Gazetteer, subject: Subject) -> Link:
    found = gz.provinces_named(subject.name)
    how = "exact name"
    if not found and subject.province:
        found, how = gz.provinces_named(subject.province), "name from the subject's province"
    if not found:
        return Link(
            status="unresolved", reason=f"{subject.name!r} is not an official province name"
        )
    unit = next((u for u in found if u.era == "2025"), found[0])
    why = "2025 province" if unit.era == "2025" else "legacy province (abolished 1 July 2025)"
    return _resolved(gz, unit, f"{how}, {why}")


def _link_district(gz: Gazetteer, subject: Subject, scope: Scope | None, note: str) -> Link:
    keys = stripped_keys(subject.name)
    if scope is None:
        match = _national(gz, keys, gz.districts, gz.district_aliases)
        out = _outcome(gz, subject, match, ", no province given", note)
        return out or Link(
            status="unresolved", reason=f"no legacy district named {subject.name!r}{note}"
        )
    tiers = [scope.legacy_exact, scope.legacy_wide - scope.legacy_exact]
    match = NO_MATCH
    for index, how in ((gz.districts, "exact"), (gz.district_aliases, "former")):
        for provinces in tiers:
            units = _find(keys, index, lambda u, ps=provinces: u.province_code in ps)
            if units and not match.units:
                match = Match(tuple(units), how)
    for provinces in tiers:
        if not match.units:
            match = _fuzzy(subject.name, [u for p in provinces for u in gz.districts_in.get(p, [])])
    return _in_scope_outcome(gz, subject, match, scope, "district", note)


def _national(
    gz: Gazetteer, keys: list[str], index: dict[str, list[Unit]], aliases: dict[str, list[Unit]]
) -> Match:
    units = _find(keys, index, lambda u: True)
    if units:
        return Match(tuple(units), "exact")
    units = _find(keys, aliases, lambda u: True)
    return Match(tuple(units), "former") if units else NO_MATCH


def _in_scope_outcome(
    gz: Gazetteer, subject: Subject, match: Match, scope: Scope, level: str, note: str
) -> Link:
    """The link of a match inside the province scope, else unresolved with the scope's province
    and where else a unit of that name exists."""
    return _outcome(gz, subject, match, "", note) or Link(
        **_province_fields(gz, scope),
        status="unresolved",
        reason=_elsewhere(gz, subject, level) + note,
    )


def _link_commune(gz: Gazetteer, subject: Subject, scope: Scope | None, note: str) -> Link:
    keys = stripped_keys(subject.name)
    if scope is None:
        return _link_commune_anywhere(gz, subject, keys, note)
    match = _commune_in_scope(gz, subject.name, keys, scope)
    return _in_scope_outcome(gz, subject, match, scope, "commune", note)


def _descends(gz: Gazetteer, unit: Unit, scope: Scope) -> bool:
    """Is a 2025 unit in the scope? For a legacy-only province name ("Nam Dinh"), the 2025 unit
    must also have a predecessor in that legacy province, not just lie in its successor."""
    if unit.province_code not in scope.codes_2025:
        return False
    if not scope.legacy_only:
        return True
    return any(
        p.unit.province_code in scope.legacy_exact for p in gz.lineage_preds.get(unit.code, ())
    )


def commune_2025_in_scope(gz: Gazetteer, keys: list[str], scope: Scope) -> list[Unit]:
    """2025 communes under the first of `keys` that lie in the scope (see `_descends`)."""
    return _find(keys, gz.communes["2025"], lambda u: _descends(gz, u, scope))


def _commune_in_scope(gz: Gazetteer, name: str, keys: list[str], scope: Scope) -> Match:
    """Search order: 2025 exact, legacy exact (named province, then merged ones), former names, fuzzy."""
    units = commune_2025_in_scope(gz, keys, scope)
    if units:
        return Match(tuple(units), "exact")
    tiers = [scope.legacy_exact, scope.legacy_wide - scope.legacy_exact]
    for index, how in ((gz.communes["legacy"], "exact"), (gz.commune_aliases, "former")):
        for provinces in tiers:
            units = _find(keys, index, lambda u, ps=provinces: u.province_code in ps)
            if units:
                return Match(tuple(units), how)
    pools = [
        [
            u
            for c in scope.codes_2025
            for u in gz.communes_in.get(("2025", c), [])
            if _descends(gz, u, scope)
        ],
        *([u for c in tier for u in gz.communes_in.get(("legacy", c), [])] for tier in tiers),
    ]
    for pool in pools:
        match = _fuzzy(name, pool)
        if match.units:
            return match
    return NO_MATCH


def _link_commune_anywhere(gz: Gazetteer, subject: Subject, keys: list[str], note: str) -> Link:
    """No province: resolve only when every candidate is one place (a legacy unit and its successor)."""
    match = _national(gz, keys, gz.communes["2025"], {})
    new_units = list(match.units)
    legacy = _find(keys, gz.communes["legacy"], lambda u: True) or _find(
        keys, gz.commune_aliases, lambda u: True
    )
    new_codes = {u.code for u in new_units}
    distinct_legacy = [
        u
        for u in legacy
        if not any(s.unit.code in new_codes for s in gz.lineage_succ.get(u.code, ()))
    ]
    places = new_units + distinct_legacy
    if not places:
        return Link(
            status="unresolved", reason=f"no commune named {subject.name!r} in the gazetteer{note}"
        )
    how = "exact" if (new_units or _find(keys, gz.communes["legacy"], lambda u: True)) else "former"
    out = _outcome(gz, subject, Match(tuple(places), how), ", no province given", note)
    assert out is not None  # places is not empty
    return out
