"""Read-only reports over the published warehouse: the evidence review site and executed notebooks.

Plain Python (no Dagster); `pipelines/defs/reports.py` wraps them as assets.
"""

from pipelines.reports.notebooks import NOTEBOOKS, execute_notebook
from pipelines.reports.review import build_review_site

__all__ = ["NOTEBOOKS", "build_review_site", "execute_notebook"]
