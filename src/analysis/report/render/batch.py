"""Every report at once: jobs in parallel worker processes, one progress line each, stale folders pruned, the index
rewritten. Progress lines are for the person running ``make reports`` (English, like every message of the CLI).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.report.render.index import write_index
from analysis.report.render.jobs import Result, find_jobs
from analysis.report.render.pdf import pdf_job
from analysis.report.render.pipeline import in_place_job, render_job
from analysis.report.render.publish import TMP_DIR, prune_stale

Echo = Callable[[str], None]


def _warm_imports() -> None:
    """Import the heavy modules once before forking, so that the workers start at once."""
    import nbconvert  # noqa: F401 - heavy; only for parallel runs
    import papermill  # noqa: F401 - heavy; only for parallel runs


def run_parallel(fn: Callable[[Any], Result], items: list[Any], jobs: int, echo: Echo,
                 label: Callable[[Any], str]) -> list[Result]:
    """Run ``fn`` on every item (in ``jobs`` forked workers when more than one); echo one line per item.

    Returns
    -------
    list of Result
        In the order of ``items``.
    """
    results: list[Result] = []

    def report(res: Result) -> None:
        if res.ok:
            echo(f"✓ {res.name} done in {res.seconds:.1f} s")
        else:
            echo(f"✗ {res.name} FAILED ({res.seconds:.1f} s): {res.message}")
        for note in res.notes:
            echo(f"  ! {res.name}: {note}")
        results.append(res)

    if jobs <= 1 or len(items) <= 1:
        for item in items:
            echo(f"▶ {label(item)}")
            report(fn(item))
    else:
        # Fork after importing the heavy modules once. The parent has no threads or kernels at this point
        # (jobs run only in the workers).
        _warm_imports()
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {}
            for item in items:
                echo(f"▶ {label(item)}")
                futures[pool.submit(fn, item)] = item
            for future in cf.as_completed(futures):
                report(future.result())
    order = {label(item): i for i, item in enumerate(items)}
    results.sort(key=lambda r: order.get(r.name, 0))
    return results


def _workers(jobs: int | None, n_items: int) -> int:
    return min(max(1, jobs or os.cpu_count() or 1), max(1, n_items))


def render_all(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
               reports_dir: Path = paths.REPORTS, only: str | None = None, set_name: str | None = None,
               jobs: int | None = None, pdf: bool = False, echo: Echo = print) -> list[Result]:
    """Render every (notebook, parameter set) into ``reports_dir`` in parallel, then write the index.

    Parameters
    ----------
    notebooks_dir, params_dir, reports_dir : Path
        Folders of the notebooks, of the parameter sets and of the published reports.
    only : str, optional
        One notebook (name without ``.ipynb``).
    set_name : str, optional
        One parameter set (file name without ``.yaml``).
    jobs : int, optional
        Reports rendered at the same time (default: the number of cores).
    pdf : bool
        Also print each report to PDF with headless Chromium.
    echo : callable
        Receives one progress line at a time (default ``print``).

    Returns
    -------
    list of Result
        One per report (and one per PDF), in job order.

    Raises
    ------
    ParameterError
        ``only`` names no notebook.
    """
    started = time.perf_counter()
    todo = find_jobs(notebooks_dir, params_dir, reports_dir, only, set_name)
    if not todo:
        echo(f"no report to render (notebooks: {paths.relative(notebooks_dir)}, parameters: "
             f"{paths.relative(params_dir)})")
    results = run_parallel(render_job, todo, _workers(jobs, len(todo)), echo, lambda j: j.name)
    if only is None and set_name is None:
        for stale in prune_stale(reports_dir, todo):
            echo(f"- {stale} removed (its notebook or parameter set no longer exists)")
    summary = f"{sum(r.ok for r in results)}/{len(results)} succeeded"
    if pdf:
        done = [r.html for r in results if r.ok and r.html]
        printed = run_parallel(pdf_job, done, _workers(jobs, len(done)), echo,
                               lambda h: f"{Path(h).parent.parent.name}/{Path(h).parent.name}")
        summary += f", {sum(r.ok for r in printed)}/{len(printed)} PDF"
        results += printed
    with contextlib.suppress(OSError):  # not empty while another render is running at the same time
        (Path(reports_dir) / TMP_DIR).rmdir()
    index = write_index(reports_dir)
    echo(f"{summary} in {time.perf_counter() - started:.1f} s in all · index: {paths.relative(index)}")
    return results


def render_in_place(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
                    only: str | None = None, jobs: int | None = None, echo: Echo = print) -> list[Result]:
    """``make notebooks``: re-run each notebook with its default parameters and save it with its outputs.

    A notebook whose ``parameters`` cell differs from its default set (the schema's defaults and
    ``default.yaml``) is refused before it runs.

    Returns
    -------
    list of Result
        One per notebook.
    """
    started = time.perf_counter()
    todo = find_jobs(notebooks_dir, params_dir, paths.REPORTS, only, "default")
    missing = sorted({nb.stem for nb in Path(notebooks_dir).glob("*.ipynb")} - {j.stem for j in todo})
    results = [Result(stem, "default", False, 0.0, f"no params/{stem}/default.yaml") for stem in missing
               if only in (None, stem)]
    for res in results:
        echo(f"✗ {res.name} FAILED: {res.message}")
    results += run_parallel(in_place_job, todo, _workers(jobs, len(todo)), echo, lambda j: j.name)
    echo(f"{sum(r.ok for r in results)}/{len(results)} notebook(s) re-executed in "
         f"{time.perf_counter() - started:.1f} s")
    return results
