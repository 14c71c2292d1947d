"""Every report at once: jobs in parallel worker processes, one progress line each, stale folders pruned, the index
rewritten. Progress lines are for the person running ``make reports`` (English, like every message of the CLI).

Faults: one run at a time renders into ``reports/`` (a lock; the second waits); workers die with the renderer (a
parent-death signal) and take their kernels with them; an interrupted run leaves every published report intact
(folder swaps are journaled and finished or undone at the next start) and an index that lists what is on disk.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from analysis.core import params, paths
from analysis.core.errors import StorageError, VigieError
from analysis.report.render.index import write_index
from analysis.report.render.jobs import Job, Result, find_jobs
from analysis.report.render.pdf import pdf_job
from analysis.report.render.pipeline import in_place_job, render_job
from analysis.report.render.publish import prune_stale, recover_reports, reports_lock

Echo = Callable[[str], None]
PR_SET_PDEATHSIG = 1  # linux/prctl.h
STOP_GRACE = 5.0  # seconds a worker has to stop after SIGTERM before SIGKILL
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """The render was stopped by a signal (SIGTERM, SIGHUP); ``signum`` says which (exit status 128 + signum)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


def _warm_imports() -> None:
    """Import the heavy modules once before forking, so that the workers start at once."""
    import nbconvert  # noqa: F401 - heavy; only for parallel runs
    import papermill  # noqa: F401 - heavy; only for parallel runs


def _warm_validators(jobs: list[Job]) -> None:
    """Import the modules of the schemas' file validators (``analysis.vigie``…) before forking, once for all
    workers; a schema that cannot be read is left for its job to report."""
    for stem, params_dir in sorted({(j.stem, j.params_dir) for j in jobs}):
        with contextlib.suppress(VigieError):
            for spec in params.load_schema(stem, params_dir).values():
                if isinstance(spec.get("validator"), str):
                    with contextlib.suppress(ImportError):
                        importlib.import_module(spec["validator"].rpartition(".")[0])


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from ``/proc``; empty where there is no ``/proc``)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendant_pids(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children…), parents first."""
    found, todo = [], [pid]
    while todo:
        children = child_pids(todo.pop())
        found += children
        todo += children
    return found


def _set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _worker_exit(signum: int, _frame: Any = None) -> None:
    """A worker told to stop (or whose parent died): kill what it started (the notebook's kernel, Chromium), exit."""
    for pid in reversed(descendant_pids(os.getpid())):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(128 + signum)


def _watch_parent(parent: int) -> None:
    """Where ``prctl`` is missing: stop this worker when its parent is gone (polled twice a second)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_init(parent: int) -> None:
    """Set up a worker process: it dies with the renderer, and only the renderer reacts to Ctrl-C.

    SIGINT is ignored (the terminal sends it to the whole process group: the renderer stops the workers itself);
    SIGTERM and SIGHUP kill the worker's own children and end it; the parent's death sends SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _worker_exit)
    if not _set_parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        _worker_exit(signal.SIGTERM)


def _stop_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Stop every worker of ``pool`` (SIGTERM, then SIGKILL after :data:`STOP_GRACE` seconds) and wait for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # private, but the only handle on them
    for proc in processes:
        with contextlib.suppress(OSError, ValueError):
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Interrupted` (like Ctrl-C raises KeyboardInterrupt), so
    that the renderer stops its workers and rewrites the index before it exits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, _frame: Any) -> None:
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, _raise) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_parallel(fn: Callable[[Any], Result], items: list[Any], jobs: int, echo: Echo,
                 label: Callable[[Any], str], on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Run ``fn`` on every item (in ``jobs`` forked workers when more than one); echo one line per item.

    The workers die with this process: each asks Linux for a signal when its parent dies (``prctl``; elsewhere a
    thread watches the parent) and then kills what it started (the notebook's kernel) before it exits. When this
    process is interrupted (Ctrl-C, SIGTERM), it stops its workers before the exception goes on.

    Parameters
    ----------
    on_result : callable, optional
        Called in this process with each result as it arrives (the index is rewritten there).

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
        if on_result is not None:
            on_result(res)

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
        pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                                      initargs=(os.getpid(),))
        try:
            futures = {}
            for item in items:
                echo(f"▶ {label(item)}")
                futures[pool.submit(fn, item)] = item
            for future in cf.as_completed(futures):
                report(future.result())
        except BaseException:
            _stop_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    order = {label(item): i for i, item in enumerate(items)}
    results.sort(key=lambda r: order.get(r.name, 0))
    return results


def _write_index(reports_dir: Path, echo: Echo) -> Path | StorageError:
    """Rewrite the index from what is on disk; a storage error is said in one line and returned, not raised."""
    try:
        return write_index(reports_dir)
    except StorageError as exc:
        echo(f"! index not written: {exc.one_line()}")
        return exc


def _workers(jobs: int | None, n_items: int) -> int:
    return min(max(1, jobs or os.cpu_count() or 1), max(1, n_items))


def render_all(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
               reports_dir: Path = paths.REPORTS, only: str | None = None, set_name: str | None = None,
               jobs: int | None = None, pdf: bool = False, echo: Echo = print,
               wait: float | None = None) -> list[Result]:
    """Render every (notebook, parameter set) into ``reports_dir`` in parallel, then write the index.

    The run holds ``reports/.lock``: a second run in the same tree waits for it (``wait`` seconds at most: then it
    refuses with :class:`~analysis.core.errors.BusyError`). It starts by putting back what an interrupted run left
    half-swapped and cleaning ``reports/.tmp``; the index is rewritten from what is on disk at the start, after
    each report and at the end — also when the run is interrupted (Ctrl-C, SIGTERM), after its workers are stopped.

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
    wait : float, optional
        Seconds to wait for another run holding ``reports/`` (default: as long as it takes; 0: refuse at once).

    Returns
    -------
    list of Result
        One per report (and one per PDF), in job order; plus a failed ``reports/index.html`` when the index could
        not be written (disk full, read-only).

    Raises
    ------
    ParameterError
        ``only`` names no notebook.
    BusyError
        Another run still held ``reports/`` after ``wait`` seconds.
    StorageError
        ``reports/`` cannot be written at all (its lock file cannot be created).
    Interrupted
        SIGTERM or SIGHUP arrived (after the workers were stopped and the index rewritten).
    """
    started, wall_start = time.perf_counter(), time.time()
    todo = find_jobs(notebooks_dir, params_dir, reports_dir, only, set_name)
    if not todo:
        echo(f"no report to render (notebooks: {paths.relative(notebooks_dir)}, parameters: "
             f"{paths.relative(params_dir)})")
    with reports_lock(reports_dir, echo, timeout=wait), stop_signals_raise():
        for line in recover_reports(reports_dir, older_than=wall_start):
            echo(f"  {line} (left by an interrupted run)")
        _write_index(reports_dir, echo)  # consistent with what is on disk before anything changes
        if _workers(jobs, len(todo)) > 1:
            _warm_validators(todo)
        try:
            results = run_parallel(render_job, todo, _workers(jobs, len(todo)), echo, lambda j: j.name,
                                   on_result=lambda _res: _write_index(reports_dir, echo))
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
        finally:
            # the workers are done (or were stopped): what is left in .tmp is debris; then the index from disk
            with contextlib.suppress(StorageError):
                recover_reports(reports_dir)
            index = _write_index(reports_dir, echo)
    if isinstance(index, StorageError):
        results.append(Result("reports", "index.html", False, 0.0, index.one_line()))
        echo(f"{summary} in {time.perf_counter() - started:.1f} s in all · index NOT written")
    else:
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
