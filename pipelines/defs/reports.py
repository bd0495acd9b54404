"""Reports layer: the evidence review site and the executed analysis notebooks.

Each asset reads the published warehouse read-only after `warehouse` (pipelines/defs/out.py) and
writes beside it: `<warehouse dir>/review/` (static HTML, offline) and `<warehouse dir>/reports/`
(executed `.ipynb` + `.html` per notebook). The work itself is plain Python in `pipelines.reports`.
"""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from pipelines.defs.out import warehouse
from pipelines.defs.resources import PipelinePaths
from pipelines.reports.notebooks import NOTEBOOKS, execute_notebook
from pipelines.reports.review import build_review_site, site_summary

GROUP = "reports"


@asset(
    group_name=GROUP,
    deps=[warehouse],
    kinds={"html"},
    description=(
        "Static evidence review site (`<warehouse dir>/review/index.html`): every input file with "
        "its checks (rejected, duplicate, evidence span mismatch, unresolved subjects, merger "
        "claims against the lineage) and one page per article with each fact's evidence "
        "highlighted beside the facts, mergers and people. No external JS/CSS."
    ),
)
def out_review_site(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    wh = paths.warehouse()
    index = build_review_site(wh, wh.parent / "review")
    summary = site_summary(index)
    context.log.info(f"review site: {index} {summary}")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(index)),
            "url": MetadataValue.url(index.as_uri()),
            **{k: int(v) for k, v in summary.items()},
        }
    )


def _notebook_asset(short: str, stem: str) -> AssetsDefinition:
    @asset(
        name=f"out_notebook_{short}",
        group_name=GROUP,
        deps=[warehouse],
        kinds={"jupyter"},
        description=(
            f"`notebooks/{stem}.py` executed against the warehouse (read-only); the executed "
            f"notebook and its HTML are written to `<warehouse dir>/reports/{stem}.ipynb|html`."
        ),
    )
    def _run(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
        wh = paths.warehouse()
        run = execute_notebook(stem, wh, wh.parent / "reports")
        context.log.info(f"{stem}: {run.seconds:.1f}s, {run.n_images} charts")
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(run.ipynb)),
                "html": MetadataValue.path(str(run.html)) if run.html else "",
                "seconds": round(run.seconds, 2),
                "cells": run.n_cells,
                "code_cells": run.n_code_cells,
                "charts": run.n_images,
                "caveats": MetadataValue.md("\n".join(f"- {c}" for c in run.caveats) or "_none_"),
            }
        )

    return _run


out_notebook_provinces = _notebook_asset("provinces", NOTEBOOKS["provinces"])
out_notebook_mergers = _notebook_asset("mergers", NOTEBOOKS["mergers"])
out_notebook_corpus = _notebook_asset("corpus", NOTEBOOKS["corpus"])

#: everything this module defines, for `pipelines/definitions.py`
report_assets = [out_review_site, out_notebook_provinces, out_notebook_mergers, out_notebook_corpus]
