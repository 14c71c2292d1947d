"""Publishing into ``reports/``: a report folder is swapped in whole (never half-written), a failed set keeps only its
failure note, and folders whose notebook or parameter set is gone are removed.

Layout: ``reports/<stem>/<set>/`` holds ``<stem>-<set>.html``, ``donnees/*.csv``, ``provenance.json`` and
``rapport.json`` (what the index shows), or ``ECHEC.txt`` (the one-line error, in English) and the failed notebook.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from analysis.report.render.jobs import Job

META_FILE = "rapport.json"
FAILED_FILE = "ECHEC.txt"
TMP_DIR = ".tmp"  # scratch folder under reports/: work in progress and folders being replaced


def report_file(stem: str, set_name: str) -> str:
    """The report page's file name: ``<stem>-<set>.html``."""
    return f"{stem}-{set_name}.html"


def scratch_dir(reports_dir: Path) -> Path:
    """``reports/.tmp/`` (created): on the same file system as the reports, so that folders move by renaming."""
    scratch = Path(reports_dir) / TMP_DIR
    scratch.mkdir(parents=True, exist_ok=True)
    return scratch


def replace_dir(target: Path, new: Path | None, scratch: Path) -> None:
    """Swap ``new`` into ``target`` (or just remove ``target`` when ``new`` is None) with renames, never half-way."""
    old = None
    if target.exists():
        old = scratch / f"old-{uuid.uuid4().hex}"
        target.rename(old)
    if new is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish_failure(job: Job, message: str, executed: Path | None) -> None:
    """Replace the set's folder by one holding only ``ECHEC.txt`` (and the failed notebook), never an old report."""
    scratch = scratch_dir(job.reports_dir)
    marker = Path(tempfile.mkdtemp(prefix="echec-", dir=scratch))
    (marker / FAILED_FILE).write_text(f"{job.name}: {message}\n", encoding="utf-8")
    if executed is not None and executed.exists():
        shutil.copy2(executed, marker / f"{job.stem}-{job.set_name}.echec.ipynb")
    replace_dir(job.reports_dir / job.stem / job.set_name, marker, scratch)


def publish_report(job: Job, folder: Path, meta: dict[str, Any]) -> Path:
    """Write ``rapport.json`` into the finished ``folder`` and swap it into ``reports/<stem>/<set>/``; return it."""
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
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
            shutil.rmtree(folder)
            removed.append(f"{stem}/{set_name}")
            if not any(folder.parent.iterdir()):
                folder.parent.rmdir()
    return removed
