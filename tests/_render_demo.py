"""One rendering of the demo fixture per test session, shared by test_render.py and test_browser.py.

The fixture notebook (tests/fixtures/render, synthetic data) is copied into a temporary project with two failing
cases added: a parameter set with an out-of-range value, and a notebook that raises. Old reports are planted where
those failures land, to check that nothing stale survives.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat

FIXTURE = Path(__file__).parent / "fixtures" / "render"
BOOM = 'raise ValueError("panne volontaire de test")\n'


@dataclass(frozen=True)
class Rendered:
    root: Path
    notebooks: Path
    params: Path
    reports: Path
    results: dict
    log: tuple
    seconds: float


def make_project(root: Path) -> tuple[Path, Path, Path]:
    """Copy the demo fixture into ``root`` and add the failing cases; return (notebooks, params, reports)."""
    notebooks, params, reports = root / "notebooks", root / "params", root / "reports"
    shutil.copytree(FIXTURE / "notebooks", notebooks)
    shutil.copytree(FIXTURE / "params", params)
    (params / "demo" / "bad.yaml").write_text("title_suffix: mauvais\nn_rows: 1000\nlang: fr\n", encoding="utf-8")
    # values that differ from the notebook's parameters cell, to see them injected (lang comes from the schema's
    # default); the English set is left out (one kernel fewer; the English page frame is tested without a kernel)
    (params / "demo" / "default.yaml").write_text("title_suffix: essai\nn_rows: 11\n", encoding="utf-8")
    (params / "demo" / "en.yaml").unlink()
    nb = nbformat.read(notebooks / "demo.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(BOOM, id="boom"))
    nbformat.write(nb, notebooks / "boom.ipynb")
    shutil.copytree(params / "demo", params / "boom", ignore=shutil.ignore_patterns("bad.yaml", "en.yaml"))
    for stem_set in ("boom/default", "demo/bad"):
        old = reports / stem_set
        old.mkdir(parents=True)
        (old / f"{stem_set.replace('/', '-')}.html").write_text("<html>ancien rapport</html>", encoding="utf-8")
        (old / "rapport.json").write_text("{}", encoding="utf-8")
    return notebooks, params, reports


@cache
def rendered() -> Rendered:
    """Render the demo project once (demo/default, demo/bad, boom/default) with two parallel jobs."""
    import time

    from analysis.report import render

    root = Path(tempfile.mkdtemp(prefix="vigie-render-test-"))
    atexit.register(shutil.rmtree, root, True)
    notebooks, params, reports = make_project(root)
    log: list[str] = []
    started = time.perf_counter()
    results = render.render_all(notebooks, params, reports, jobs=2, echo=log.append)
    seconds = time.perf_counter() - started
    return Rendered(root, notebooks, params, reports, {r.name: r for r in results}, tuple(log), seconds)
