"""Official administrative units of Vietnam (2025 and before) and linking of article subjects.

Data come from the `vietnamadminunits` package (MIT), read offline: `units_2025`/`units_legacy`
(the `admin_units` table), `unit_lineage`/`province_lineage` (legacy -> 2025, many-to-many), and
`Gazetteer` (cached name indexes: province names, outlet domains, linking, merger checks).
"""

from __future__ import annotations

from pipelines.gazetteer.checks import LineageCheck
from pipelines.gazetteer.index import Gazetteer
from pipelines.gazetteer.lineage import province_lineage, unit_lineage
from pipelines.gazetteer.linking import Link
from pipelines.gazetteer.units import admin_units, units_2025, units_legacy

__all__ = [
    "Gazetteer",
    "LineageCheck",
    "Link",
    "admin_units",
    "province_lineage",
    "unit_lineage",
    "units_2025",
    "units_legacy",
]
