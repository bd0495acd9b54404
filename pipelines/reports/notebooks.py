"""Execute the analysis notebooks against a given warehouse and keep the executed copies.

`execute_notebook(name_or_path, warehouse_path, out_dir)` runs a notebook with nbclient in a fresh
kernel whose environment has `WAREHOUSE_PATH` set, from the notebooks folder, and writes
`<out_dir>/<stem>.ipynb` and (nbconvert's HTMLExporter, when importable) `<out_dir>/<stem>.html`.
The default `out_dir` is `<warehouse dir>/reports`. The notebooks open the warehouse read-only, so
this never writes to the warehouse.

The `.py` (jupytext py:percent) file is the source of truth; when it is newer than the paired
`.ipynb`, the `.py` is what gets executed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import settings

if TYPE_CHECKING:  # imported when a notebook runs: nbformat's import costs ~3 s (jsonschema
    import nbformat  # builds lark grammars), which every `pipelines run` and worker would pay

NOTEBOOKS_DIR = settings.PROJECT_ROOT / "notebooks"

#: asset-friendly short name -> notebook stem
NOTEBOOKS: dict[str, str] = {
    "provinces": "01_provinces",
    "mergers": "02_mergers_before_after",
    "corpus": "03_corpus_provenance",
}


@dataclass
class NotebookRun:
    name: str
    ipynb: Path
    html: Path | None
    seconds: float
    n_cells: int
    n_code_cells: int
    n_images: int
    n_errors: int
    caveats: list[str] = field(default_factory=list)


def notebook_path(name: str | Path) -> Path:
    """A short name ('provinces'), a stem ('01_provinces') or a path -> the file to execute."""
    p = Path(name)
    if p.suffix in (".ipynb", ".py") and p.exists():
        return p
    stem = NOTEBOOKS.get(str(name), str(name))
    py, nb = NOTEBOOKS_DIR / f"{stem}.py", NOTEBOOKS_DIR / f"{stem}.ipynb"
    if py.exists() and (not nb.exists() or py.stat().st_mtime > nb.stat().st_mtime + 1):
        return py
    if nb.exists():
        return nb
    raise FileNotFoundError(f"no notebook {name!r} in {NOTEBOOKS_DIR}")


def read_notebook(path: Path) -> nbformat.NotebookNode:
    import nbformat

    if path.suffix == ".py":
        import jupytext

        nb = jupytext.read(path, fmt="py:percent")
    else:
        nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3",
                                          "language": "python"})
    return nb


def count_outputs(nb: nbformat.NotebookNode) -> tuple[int, int, list[str]]:
    """(image outputs, error outputs, printed caveat lines) of an executed notebook."""
    images = errors = 0
    caveats: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors += 1
            data = out.get("data", {})
            if any(k.startswith("image/") for k in data):
                images += 1
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            caveats += [ln.strip() for ln in text.splitlines() if ln.strip().startswith("Caveat")]
    return images, errors, caveats


def execute_notebook(
    name: str | Path,
    warehouse_path: Path | str,
    out_dir: Path | str | None = None,
    *,
    timeout: int = 180,
    html: bool = True,
    extra_env: dict[str, str] | None = None,
) -> NotebookRun:
    """Execute one notebook against `warehouse_path`; raise `nbclient` errors on a failing cell."""
    import nbformat
    from nbclient import NotebookClient

    src = notebook_path(name)
    warehouse_path = Path(warehouse_path).resolve()
    out_dir = Path(out_dir) if out_dir else warehouse_path.parent / "reports"
    out_dir.mkdir(parents=True, exist_ok=True)
    nb = read_notebook(src)
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse_path),
           "PYDEVD_DISABLE_FILE_VALIDATION": "1", **(extra_env or {})}
    env.pop("MPLBACKEND", None)  # keep the kernel's inline backend: Agg drops the charts
    # the kernel's startup warnings ("running over TCP without encryption": it is a local
    # loopback kernel) would only alarm a user reading the run's output
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    t0 = time.perf_counter()
    client.execute(env=env, cwd=str(NOTEBOOKS_DIR))
    seconds = time.perf_counter() - t0

    stem = src.stem
    ipynb = out_dir / f"{stem}.ipynb"
    nbformat.write(nb, ipynb)
    html_path = None
    if html:
        try:
            from nbconvert import HTMLExporter
        except ImportError:  # pragma: no cover - nbconvert comes with jupyterlab
            HTMLExporter = None
        if HTMLExporter is not None:
            body, _ = HTMLExporter().from_notebook_node(nb)
            html_path = out_dir / f"{stem}.html"
            html_path.write_text(body, encoding="utf-8")
    images, errors, caveats = count_outputs(nb)
    return NotebookRun(
        name=stem, ipynb=ipynb, html=html_path, seconds=seconds, n_cells=len(nb.cells),
        n_code_cells=sum(1 for c in nb.cells if c.cell_type == "code"), n_images=images,
        n_errors=errors, caveats=caveats,
    )
