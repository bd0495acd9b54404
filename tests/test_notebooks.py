"""The three analysis notebooks execute cleanly (no error cell, at least one chart), read-only,
against the synthetic warehouse and against the seed warehouse built by the Dagster graph."""

from __future__ import annotations

import hashlib
from pathlib import Path

import jupytext
import nbformat
import pytest
from analysis_fixtures import build_synthetic_warehouse

from pipelines.reports.notebooks import NOTEBOOKS, NOTEBOOKS_DIR, execute_notebook


@pytest.fixture(scope="module")
def synthetic_warehouse(tmp_path_factory):
    return build_synthetic_warehouse(tmp_path_factory.mktemp("nb") / "vn_party.duckdb")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_and_check(stem: str, warehouse: Path, out_dir: Path) -> None:
    before = digest(warehouse)
    run = execute_notebook(stem, warehouse, out_dir, timeout=240)
    assert run.n_errors == 0
    assert run.n_images >= 1, f"{stem}: no chart"
    nb = nbformat.read(run.ipynb, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert run.html is None or run.html.stat().st_size > 10_000
    assert digest(warehouse) == before, f"{stem} changed the warehouse"


@pytest.mark.parametrize("stem", list(NOTEBOOKS.values()))
def test_notebook_py_and_ipynb_are_paired(stem):
    py = jupytext.read(NOTEBOOKS_DIR / f"{stem}.py", fmt="py:percent")
    nb = nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    src = lambda n: [(c.cell_type, c.source.strip()) for c in n.cells]  # noqa: E731
    assert src(py) == src(nb), f"run `jupytext --sync notebooks/{stem}.py`"


@pytest.mark.parametrize("stem", list(NOTEBOOKS.values()))
def test_notebook_on_synthetic_warehouse(stem, synthetic_warehouse, tmp_path):
    run_and_check(stem, synthetic_warehouse, tmp_path)


@pytest.mark.parametrize("stem", list(NOTEBOOKS.values()))
def test_notebook_on_seed_warehouse(stem, request, tmp_path):
    try:
        warehouse = Path(request.getfixturevalue("seed_warehouse"))
    except pytest.FixtureLookupError:
        pytest.skip("seed_warehouse fixture not available")
    run_and_check(stem, warehouse, tmp_path)
