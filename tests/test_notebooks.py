"""The three analysis notebooks execute cleanly (no error cell, at least one chart), read-only,
against the synthetic warehouse, against the seed warehouse built by the Dagster graph, and
against a scaled-up copy of the synthetic one, where their long tables must say they show only
the top rows."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import jupytext
import nbformat
import pytest
from analysis_fixtures import build_synthetic_warehouse

from pipelines.reports.notebook_kit import TOP_N
from pipelines.reports.notebooks import NOTEBOOKS, NOTEBOOKS_DIR, execute_notebook

#: copies of every article in the scaled warehouse: enough rows to pass every TOP_N cap
SCALE = 12


@pytest.fixture(scope="module")
def synthetic_warehouse(tmp_path_factory):
    return build_synthetic_warehouse(tmp_path_factory.mktemp("nb") / "vn_party.duckdb")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scale_up(src: Path, dst: Path, copies: int) -> Path:
    """A copy of `src` whose documents, facts, mergers, people and their marts repeat `copies`
    times under new ids (suffix `~k`): the same analysis at a larger corpus."""
    shutil.copy(src, dst)
    ids = {"documents": ("doc_id", "file_name"), "facts": ("fact_id", "doc_id"),
           "mergers": ("merger_id", "doc_id"), "people": ("person_id", "doc_id"),
           "out_merger_claims": ("merger_id", "doc_id", "file_name"),
           "out_timeline": ("fact_id", "doc_id"), "out_fact_provinces": ("fact_id", "doc_id")}
    con = duckdb.connect(str(dst))
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        for table, keys in ids.items():
            if table not in tables:
                continue
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            con.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
            for k in range(1, copies):
                sel = ", ".join(f"{c} || '~{k}'" if c in keys else c for c in cols)
                con.execute(f"INSERT INTO {table} SELECT {sel} FROM base_{table}")
    finally:
        con.close()
    return dst


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")


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
def test_committed_ipynb_has_no_outputs(stem):
    """The paired .ipynb is source, not a report: executed copies go to `<warehouse>/reports`."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


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


#: per notebook, tables that must be capped at TOP_N on the scaled warehouse
CAPPED = {
    "01_provinces": ["rate facts"],
    "02_mergers_before_after": ["merger claims", "membership figures"],
    "03_corpus_provenance": ["input files", "articles"],
}


@pytest.mark.parametrize("stem", list(NOTEBOOKS.values()))
def test_notebook_caps_long_tables_on_a_larger_corpus(stem, synthetic_warehouse, tmp_path):
    warehouse = scale_up(synthetic_warehouse, tmp_path / "scaled.duckdb", SCALE)
    run_and_check(stem, warehouse, tmp_path / "out")
    nb = nbformat.read(tmp_path / "out" / f"{stem}.ipynb", as_version=4)
    text = outputs_text(nb)
    for what in CAPPED[stem]:
        assert re.search(rf"Showing the top {TOP_N:,} of [\d,]+ {what}\b", text), (what, text)
    # no table in the executed notebook lists more than TOP_N rows
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            assert html.count("<tr") <= TOP_N + 3, cell.source[:80]
