"""Provenance of a report: code version, parameters, input hashes, external attributions, package versions, date.

Every report ends with :func:`show_provenance`. The same facts are written as ``provenance.json`` beside a rendered
report (used by ``reports/index.html``). In the committed notebooks this cell is marked ``NBVAL_IGNORE_OUTPUT``
because the commit and the date change from run to run.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import external, paths
from analysis.core import inputs as inputs_mod
from analysis.report import display
from analysis.report.labels import t

KEY_PACKAGES = (
    "pandas", "numpy", "pyarrow", "scipy", "statsmodels", "seaborn", "matplotlib", "networkx", "pandera",
    "rapidfuzz", "rispy", "bibtexparser", "papermill", "nbconvert",
)


UNKNOWN_COMMIT = "unknown"  # code written in provenance.json; the report shows the catalogue's words for it
NO_MANIFEST = "no-manifest"


def run_time() -> _dt.datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when set, so two renders of the same inputs can be identical to the byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc)


def git_commit() -> tuple[str, bool]:
    """``(commit, dirty)`` of the project's working tree; ``(UNKNOWN_COMMIT, False)`` outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                                capture_output=True, text=True, check=True, timeout=10).stdout
        return commit, bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN_COMMIT, False


def sha256_file(path: Path) -> str:
    return external.sha256_of(Path(path))


def data_version() -> str:
    """Short hash of ``data/raw/MANIFEST.csv``: changes whenever any shipped raw file changes."""
    if not paths.MANIFEST.exists():
        return NO_MANIFEST
    return hashlib.sha256(paths.MANIFEST.read_bytes()).hexdigest()[:12]


def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def collect(stem: str, params: dict[str, Any], inputs: list[str | Path], datasets: list[str]) -> dict[str, Any]:
    """Everything the provenance section shows, as plain data."""
    commit, dirty = git_commit()
    files = []
    for p in sorted({Path(x) for x in inputs}, key=lambda q: inputs_mod.public_path(q)):
        exists = p.exists()
        entry = {"file": inputs_mod.public_path(p), "sha256": sha256_file(p) if exists else None,
                 "bytes": p.stat().st_size if exists else None}
        if inputs_mod.outside_project(p):  # allowed explicitly: its name and hash, never its folder
            entry["outside_project"] = True
        files.append(entry)
    return {
        "notebook": stem,
        "commit": commit,
        "dirty": dirty,
        "parameters": inputs_mod.public_value(params),
        "data_version": data_version(),
        "inputs": files,
        "datasets": sorted(set(datasets)),
        "packages": package_versions(),
        "run_date": run_time().strftime("%Y-%m-%d %H:%M UTC"),
    }


def show_provenance(stem: str, params: dict[str, Any], inputs: list[str | Path], datasets: list[str],
                    lang: str = "fr") -> None:
    """Show the report's closing section; also write ``provenance.json`` beside a rendered report.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb``.
    params : dict
        The report's checked parameters (shown one per row, as JSON).
    inputs : list of path
        Files the report read (shown with their SHA-256 and size; a missing one with none).
    datasets : list of str
        External datasets used (names of ``data/external.yml``; shown with licence, attribution and whether
        they were available).
    lang : str
        ``fr`` or ``en``.

    See Also
    --------
    collect : the same facts as plain data.
    """
    info = collect(stem, params, inputs, datasets)
    display.show_heading(t("common.provenance", lang), 2)
    display.show_text(t("common.provenance_intro", lang))
    commit = t("common.unknown_commit", lang) if info["commit"] == UNKNOWN_COMMIT else info["commit"]
    commit += f" ({t('common.dirty', lang)})" if info["dirty"] else ""
    parameter, value = t("common.parameter", lang), t("common.value", lang)
    general = pd.DataFrame({
        parameter: [t("common.commit", lang), "data/raw/MANIFEST.csv", t("common.run_date", lang)],
        value: [commit, info["data_version"], info["run_date"]],
    })
    display.show_table(general, lang=lang)
    shown = info["parameters"]  # no absolute path of a file outside the project
    par = pd.DataFrame({parameter: list(shown), value: [json.dumps(v, ensure_ascii=False) for v in shown.values()]})
    display.show_table(par, caption=t("common.parameters", lang), lang=lang, max_rows=None)
    files = pd.DataFrame(info["inputs"], columns=["file", "sha256", "bytes"])
    display.show_table(files, caption=t("common.inputs", lang), lang=lang, max_rows=None, columns={
        "file": t("common.file", lang), "sha256": t("common.sha256", lang), "bytes": t("common.bytes", lang)},
        identifiers=["file", "sha256"])
    if info["datasets"]:
        att = external.attribution_table(info["datasets"])
        att["available"] = att["available"].map(
            lambda a: t("common.available", lang) if a else t("common.absent", lang))
        display.show_table(att, caption=t("common.attribution", lang), lang=lang, max_rows=None, columns={
            "dataset": t("common.dataset", lang), "attribution": t("common.attribution_column", lang),
            "licence": t("common.licence", lang), "origin": t("common.origin", lang),
            "available": t("common.status", lang)}, codes={"licence": "licence"}, identifiers=["dataset", "origin"])
    packages = pd.DataFrame({t("common.package", lang): list(info["packages"]),
                             t("common.version", lang): list(info["packages"].values())})
    display.show_table(packages, caption=t("common.packages", lang), lang=lang, max_rows=None)
    folder = display.report_dir()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "provenance.json").write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str),
                                                encoding="utf-8")
