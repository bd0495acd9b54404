"""Check an article's merger ("X was formed from A, B and C") against the official lineage.

The official lineage only knows the July 2025 reform, at commune level. So the new unit is
resolved as a 2025 commune; if it is none (a district, or a merger of an earlier reform such as
2019-2020 or January 2025), the check is 'unresolved' rather than a false 'disagrees'. Articles
sometimes give the legacy province (or a wrong one): we search the 2025 province it became, then
the whole country, and say so in `reason`. When several 2025 units share the name, the one whose
official predecessors best match the article wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from pipelines.gazetteer.linking import FUZZY_CUTOFF, commune_2025_in_scope
from pipelines.gazetteer.names import stripped_keys
from pipelines.gazetteer.records import Predecessor, Unit
from pipelines.textnorm import spaced_key

if TYPE_CHECKING:
    from pipelines.extract.model import Subject
    from pipelines.gazetteer.index import Gazetteer


@dataclass(frozen=True)
class LineageCheck:
    """Verdict on one merger: 'agrees' | 'partly_agrees' | 'disagrees' | 'unresolved'."""

    status: str
    official: list[str] = field(default_factory=list)  # ASCII short names of official predecessors
    matched: int = 0
    reason: str = ""
    unit_code: str | None = None  # the 2025 unit compared with, when resolved


def _matches(name: str, preds: list[Predecessor]) -> bool:
    """Does an article's predecessor name one of the official predecessors (exact key, then fuzzy)?"""
    keys = set(stripped_keys(name))
    if any(p.unit.key in keys for p in preds):
        return True
    sk = spaced_key(name)
    return any(fuzz.ratio(sk, p.unit.spaced) >= FUZZY_CUTOFF for p in preds)


def _score(gz: Gazetteer, unit: Unit, predecessors: list[str]) -> int:
    preds = gz.lineage_preds.get(unit.code, [])
    return sum(_matches(n, preds) for n in predecessors)


def _pick(gz: Gazetteer, units: list[Unit], predecessors: list[str]) -> tuple[Unit | None, str]:
    """One unit among same-named candidates: the only one, or the unique best by matched names."""
    if len(units) == 1:
        return units[0], ""
    scored = sorted(((_score(gz, u, predecessors), u) for u in units), key=lambda t: -t[0])
    if scored[0][0] > 0 and scored[0][0] > scored[1][0]:
        return scored[0][
            1
        ], f"; chosen among {len(units)} same-named 2025 units by its predecessors"
    return None, f"{len(units)} 2025 units share the name and the predecessors do not decide"


def _resolve(gz: Gazetteer, new_unit: Subject, predecessors: list[str]) -> tuple[Unit | None, str]:
    """The 2025 commune the article means, and a reason fragment saying how it was found."""
    keys = stripped_keys(new_unit.name)
    scope = gz.scope(new_unit.province)
    if scope is not None:
        units = commune_2025_in_scope(gz, keys, scope)
        if units:
            unit, why = _pick(gz, units, predecessors)
            if unit is not None and scope.legacy_only:
                why = f"; {new_unit.province} is a legacy province, searched in 2025 {unit.province_short}{why}"
            return unit, why
    anywhere: list[Unit] = []
    for k in keys:
        anywhere = list(gz.communes["2025"].get(k, []))
        if anywhere:
            break
    if not anywhere:
        return (
            None,
            f"{new_unit.name!r} is not a 2025 commune (an earlier reform, or another level)",
        )
    if new_unit.province:
        # A namesake elsewhere only counts if it shares a predecessor other than its own name:
        # otherwise "Phuoc Hoi (Ba Ria-Vung Tau)" would be checked against Phuoc Hoi of Lam Dong.
        own = set(keys)
        others = [n for n in predecessors if not own & set(stripped_keys(n))]
        anywhere = [u for u in anywhere if _score(gz, u, others) > 0]
        if not anywhere:
            return None, (
                f"no 2025 commune {new_unit.name!r} in {new_unit.province}, and no namesake elsewhere "
                "shares its predecessors (an earlier reform?)"
            )
    unit, why = _pick(gz, anywhere, predecessors)
    if unit is None:
        return None, why
    if new_unit.province:
        where = f"; no 2025 commune {new_unit.name!r} in {new_unit.province}, found in {unit.province_short}"
    else:
        where = f"; no province given, found in {unit.province_short}"
    return unit, where + why


def _earlier_reform(gz: Gazetteer, new_unit: Subject, predecessors: list[str]) -> str:
    """Reason fragment when a legacy commune of that name lists the predecessors as former names.

    The package records names a legacy commune had before earlier mergers (2019-2020, January
    2025); they are evidence for the article but not part of the July 2025 lineage.
    """
    scope = gz.scope(new_unit.province)
    keys = stripped_keys(new_unit.name)
    best: tuple[int, Unit] | None = None
    for k in keys:
        for u in gz.communes["legacy"].get(k, []):
            if scope is not None and u.province_code not in scope.legacy_wide:
                continue
            known = gz.former_names.get(u.code, frozenset()) | {u.key}
            n = sum(bool(known & set(stripped_keys(p))) for p in predecessors)
            if n and (best is None or n > best[0]):
                best = (n, u)
    if best is None:
        return ""
    n, u = best
    return (
        f"; legacy {u.name} ({u.province_short}) records {n} of the {len(predecessors)} predecessors "
        "as its own or former names (a merger before July 2025)"
    )


def lineage_check(gz: Gazetteer, new_unit: Subject, predecessors: list[str]) -> LineageCheck:
    """Compare the article's predecessors with the official predecessors of the 2025 unit."""
    if new_unit.level != "commune":
        return LineageCheck(
            "unresolved",
            reason=f"the official lineage covers communes of the 2025 reform, not level {new_unit.level!r}",
        )
    unit, where = _resolve(gz, new_unit, predecessors)
    if unit is None:
        return LineageCheck(
            "unresolved", reason=where.lstrip("; ") + _earlier_reform(gz, new_unit, predecessors)
        )
    preds = gz.lineage_preds.get(unit.code, [])
    official = [p.unit.ascii for p in preds]
    found = [n for n in predecessors if _matches(n, preds)]
    missing = [n for n in predecessors if n not in found]
    matched = len(found)
    if matched == len(predecessors) and matched == len(official) and matched > 0:
        status, verdict = "agrees", "all predecessors match the official lineage"
    elif matched > 0:
        status = "partly_agrees"
        verdict = (
            f"{matched} of {len(predecessors)} predecessors match; official has {len(official)}"
        )
    else:
        status, verdict = "disagrees", "no predecessor matches the official lineage"
    if missing:
        verdict += f"; not official: {', '.join(missing)}"
        former = [
            f"{n} (former name of {p.unit.name})"
            for n in missing
            for p in preds
            if set(stripped_keys(n)) & gz.former_names.get(p.unit.code, frozenset())
        ]
        if former:
            verdict += f"; {', '.join(former)}: merged before July 2025"
    return LineageCheck(
        status,
        official,
        matched,
        f"{unit.name} ({unit.province_short}): {verdict}{where}",
        unit.code,
    )
