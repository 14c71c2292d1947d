"""``reports/index.html``: one card per published report and per failed parameter set, from a Jinja template
(``templates/site/index.html.j2``, autoescaped); every word from the ``render`` label catalogue.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import jinja2

from analysis.core import atomic, paths
from analysis.report import provenance
from analysis.report.fmt import french_date
from analysis.report.labels import t
from analysis.report.render.page import TEMPLATES, asset
from analysis.report.render.publish import FAILED_FILE, META_FILE

SITE = "site"
INDEX_LABELS = ("html_lang", "index_title", "project", "index_intro", "data_version", "produced_on", "parameter_set",
                "open", "data_files", "failed", "no_reports")
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / SITE)), autoescape=True,
                          undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def collect_reports(reports_dir: Path = paths.REPORTS) -> list[dict[str, Any]]:
    """Every published report (``rapport.json``) and every failed set (``ECHEC.txt``) under ``reports_dir``.

    Returns
    -------
    list of dict
        One row per ``<stem>/<set>`` folder, sorted by notebook, the ``default`` set first: ``notebook``, ``set``,
        ``folder``, ``ok`` and either the report's metadata (``title``, ``html``, ``csv``, ``pdf``…) or the failure
        ``message``.
    """
    rows = []
    reports_dir = Path(reports_dir)
    for folder in sorted(p for p in reports_dir.glob("*/*") if p.is_dir() and not p.parts[-2].startswith(".")):
        meta_file, failed = folder / META_FILE, folder / FAILED_FILE
        rel = folder.relative_to(reports_dir).as_posix()
        if failed.exists():
            rows.append({"notebook": folder.parent.name, "set": folder.name, "folder": rel, "ok": False,
                         "message": failed.read_text(encoding="utf-8").strip()})
        elif meta_file.exists():
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                if not isinstance(meta, dict) or not isinstance(meta.get("html"), str):
                    continue  # not a report this package wrote in full (hand-made, or from a much older version)
            except (OSError, ValueError):
                continue
            meta.update({"folder": rel, "ok": True})
            meta["csv"] = [c for c in meta.get("csv", []) if (folder / c).exists()]
            pdf = Path(meta["html"]).with_suffix(".pdf").name
            meta["pdf"] = pdf if (folder / pdf).exists() else None
            rows.append(meta)
    rows.sort(key=lambda r: (r["notebook"], r["set"] != "default", r["set"]))
    return rows


def _shown_date(iso: str, lang: str) -> str:
    try:
        return french_date(_dt.date.fromisoformat(iso), lang)
    except ValueError:
        return iso


def card(row: dict[str, Any], lang: str = "fr") -> dict[str, Any]:
    """What the index shows of one row of :func:`collect_reports` (links relative to ``reports/``)."""
    folder = row["folder"]
    if not row["ok"]:
        return {"ok": False, "notebook": row["notebook"], "set": row["set"],
                "message": t("render.failed_note", lang, message=row["message"])}
    return {
        "ok": True, "notebook": row["notebook"], "set": row["set"], "title": row["title"],
        "subtitle": row.get("subtitle"), "link": f'{folder}/{row["html"]}',
        "data_version": str(row.get("data_version", "")), "date": _shown_date(row.get("date", ""), lang),
        "pdf": f'{folder}/{row["pdf"]}' if row.get("pdf") else None,
        "csv": [(f"{folder}/{c}", Path(c).name) for c in row.get("csv", [])],
    }


def index_html(rows: list[dict[str, Any]], data_version: str, day: _dt.date, lang: str = "fr") -> str:
    """The page listing every report (one card each): title, parameter set, data version, date, PDF, CSV files.

    Parameters
    ----------
    rows : list of dict
        What :func:`collect_reports` returns.
    data_version : str
        Short hash of the raw data manifest.
    day : datetime.date
        The date the page says it was produced.
    lang : str
        Language of the page (the reports' index is French: ``fr``).

    Returns
    -------
    str
        The HTML page (self-contained).
    """
    labels = {key: t(f"render.{key}", lang) for key in INDEX_LABELS} | {"colon": t("common.colon", lang)}
    return _ENV.get_template("index.html.j2").render(
        labels=labels, css=asset("index.css", SITE), data_version=data_version, day=french_date(day, lang),
        cards=[card(row, lang) for row in rows])


def write_index(reports_dir: Path = paths.REPORTS, day: _dt.date | None = None) -> Path:
    """Write ``reports/index.html`` from what is in ``reports_dir`` (atomically: a reader sees the old page or the
    new one); return its path.

    Parameters
    ----------
    reports_dir : Path
        The reports folder.
    day : datetime.date, optional
        The date shown (default: today, or ``SOURCE_DATE_EPOCH``).

    Raises
    ------
    StorageError
        The page could not be written (disk full, read-only folder), naming it and what to do.
    """
    reports_dir = Path(reports_dir)
    day = day or provenance.run_time().date()
    page = index_html(collect_reports(reports_dir), provenance.data_version(), day)
    return atomic.write(reports_dir / "index.html", page)
