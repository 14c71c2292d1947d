"""Publishing into ``reports/``: a report folder is swapped in whole (never half-written), a failed set keeps only its
failure note, and folders whose notebook or parameter set is gone are removed.

Every file goes through :func:`analysis.core.atomic.write` and every folder swap through
:func:`analysis.core.atomic.replace_dir` (journaled: :func:`recover_reports` puts back a folder a kill left in
``.tmp``). Layout: ``reports/<stem>/<set>/`` holds ``<stem>-<set>.html``, ``donnees/*.csv``, ``provenance.json`` and
``rapport.json`` (what the index shows), or ``ECHEC.txt`` (the one-line error, in English) and the failed notebook.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from analysis.core import atomic
from analysis.core.errors import StorageError
from analysis.report.render.jobs import Job

META_FILE = "rapport.json"
FAILED_FILE = "ECHEC.txt"
TMP_DIR = ".tmp"  # scratch folder under reports/: work in progress and folders being replaced
LOCK_FILE = ".lock"  # held by the run rendering into reports/ (a second run waits for it)


def report_file(stem: str, set_name: str) -> str:
    """The report page's file name: ``<stem>-<set>.html``."""
    return f"{stem}-{set_name}.html"


def scratch_dir(reports_dir: Path) -> Path:
    """``reports/.tmp/`` (created): on the same file system as the reports, so that folders move by renaming."""
    scratch = Path(reports_dir) / TMP_DIR
    with atomic.storage_errors(scratch):
        atomic._mkdir(scratch)  # noqa: SLF001 - the one mkdir wrapper (tests act out a full disk there)
    return scratch


def replace_dir(target: Path, new: Path | None, scratch: Path) -> None:
    """Swap ``new`` into ``target`` (or just remove ``target`` when ``new`` is None) with renames, never half-way
    (see :func:`analysis.core.atomic.replace_dir`; :func:`recover_reports` finishes a swap a kill interrupted)."""
    atomic.replace_dir(target, new, scratch)


def _origin(old: Path) -> Path | None:
    """Where a replaced report folder came from (``reports/<stem>/<set>``), read from its own files."""
    reports = old.parent.parent
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        meta = json.loads((old / META_FILE).read_text(encoding="utf-8"))
        return reports / meta["notebook"] / meta["set"]
    with contextlib.suppress(OSError, ValueError):
        name = (old / FAILED_FILE).read_text(encoding="utf-8").split(":", 1)[0]
        stem, set_name = name.split("/")
        return reports / stem / set_name
    return None


def recover_reports(reports_dir: Path, older_than: float | None = None) -> list[str]:
    """Put back the report folders a killed run left in ``reports/.tmp/`` (a swap cut between its two renames) and
    remove the debris of interrupted runs (work folders, failure notes not yet published). Call it while holding
    :func:`reports_lock`.

    Parameters
    ----------
    reports_dir : Path
        The reports folder.
    older_than : float, optional
        Only debris last modified before this time (``time.time()``); default: all.

    Returns
    -------
    list of str
        One line per folder put back.
    """
    scratch = Path(reports_dir) / TMP_DIR
    restored = atomic.recover(scratch, older_than, infer=_origin)
    with contextlib.suppress(OSError):  # not empty while another render is running at the same time
        scratch.rmdir()
    return restored


@contextlib.contextmanager
def reports_lock(reports_dir: Path, echo: Callable[[str], None] | None = None,
                 timeout: float | None = None) -> Iterator[None]:
    """Hold ``reports/.lock`` while rendering: a second ``make reports`` in the same tree waits for the first one
    (saying so), then renders; with ``timeout`` it gives up with :class:`~analysis.core.errors.BusyError`."""
    with atomic.lock(Path(reports_dir) / LOCK_FILE, timeout=timeout, what=f"{Path(reports_dir).name}/",
                     on_wait=echo):
        yield


def publish_failure(job: Job, message: str, executed: Path | None) -> None:
    """Replace the set's folder by one holding only ``ECHEC.txt`` (and the failed notebook), never an old report.

    Raises
    ------
    StorageError
        The note could not be written (disk full…): the set's folder is left as it was, nothing left in ``.tmp``.
    """
    scratch = scratch_dir(job.reports_dir)
    with atomic.storage_errors(scratch):
        marker = Path(tempfile.mkdtemp(prefix="echec-", dir=scratch))
    try:
        atomic.write(marker / FAILED_FILE, f"{job.name}: {message}\n")
        if executed is not None and executed.exists():
            atomic.write(marker / f"{job.stem}-{job.set_name}.echec.ipynb",
                         lambda tmp: shutil.copyfile(executed, tmp))
        replace_dir(job.reports_dir / job.stem / job.set_name, marker, scratch)
    finally:
        shutil.rmtree(marker, ignore_errors=True)  # gone already when it was swapped in


def publish_report(job: Job, folder: Path, meta: dict[str, Any]) -> Path:
    """Write ``rapport.json`` into the finished ``folder`` and swap it into ``reports/<stem>/<set>/``; return it."""
    atomic.write(folder / META_FILE, json.dumps(meta, ensure_ascii=False, indent=1))
    target = job.reports_dir / job.stem / job.set_name
    replace_dir(target, folder, scratch_dir(job.reports_dir))
    return target


def prune_stale(reports_dir: Path, jobs: list[Job]) -> list[str]:
    """Remove report folders whose notebook or parameter set no longer exists (only folders this package wrote).

    Returns
    -------
    list of str
        The ``<stem>/<set>`` removed, sorted.
    """
    wanted = {(j.stem, j.set_name) for j in jobs}
    removed = []
    for folder in sorted(p for p in Path(reports_dir).glob("*/*") if p.is_dir()):
        stem, set_name = folder.parent.name, folder.name
        if stem.startswith(".") or stem == "screenshots" or (stem, set_name) in wanted:
            continue
        if (folder / META_FILE).exists() or (folder / FAILED_FILE).exists():
            replace_dir(folder, None, scratch_dir(reports_dir))
            removed.append(f"{stem}/{set_name}")
            if not any(folder.parent.iterdir()):
                folder.parent.rmdir()
    return removed


__all__ = ["META_FILE", "FAILED_FILE", "TMP_DIR", "LOCK_FILE", "report_file", "scratch_dir", "replace_dir",
           "recover_reports", "reports_lock", "publish_failure", "publish_report", "prune_stale", "StorageError"]
