"""``reports/index.html``: the page a member of the Table de vigie opens first, from a Jinja template
(``templates/site/index.html.j2``, autoescaped); every word from the ``render`` and ``index`` label catalogues.

What it lists, in order (:func:`group_cards`):

1. **the Table's reports** (:data:`TABLE_REPORTS`): the vigie report, its deliverables right after it (with a link
   to each deliverable: « Banque de publications », « Pratiques innovantes »…), the viability and ecosystem reports,
   each on its default parameter set;
2. **the editions of the watch**, when there are some (:func:`analysis.vigie.watch.list_editions`);
3. **demonstrations and controls** (:data:`DEMONSTRATIONS`): the scale test on the AI corpus, the synthetic
   statements, the English report… each with a human title and what it demonstrates, from the ``index`` labels;
4. **other parameter sets** (a researcher's own), titled by their report and set name.

A report rendered with data missing (``rapport.json``'s ``missing``: the text of the report's « missing data »
notes, :func:`missing_data_notes`) is flagged on its card with those notes; a failed set keeps its failure card.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from analysis.core import atomic, paths
from analysis.report import provenance
from analysis.report.display import slug
from analysis.report.fmt import french_date, integer
from analysis.report.labels import t
from analysis.report.render.page import TEMPLATES, asset
from analysis.report.render.publish import FAILED_FILE, META_FILE

SITE = "site"
INDEX_LABELS = ("html_lang", "index_title", "project", "index_intro", "data_version", "produced_on", "parameter_set",
                "open", "data_files", "failed", "no_reports")
GROUP_LABELS = ("table_heading", "table_intro", "demo_heading", "demo_intro", "other_heading", "other_intro",
                "editions_heading", "editions_intro", "missing_flag", "missing_summary", "deliverables",
                "col_edition", "col_date", "col_works", "col_queries", "col_strategy", "what_it_shows")
#: The Table's reports, in the order the index lists them (notebook, parameter set).
TABLE_REPORTS = (("vigie_innovation", "default"), ("vigie_livrables", "default"),
                 ("viabilite_alimentaire", "default"), ("ecosysteme", "default"))
#: Demonstration and control sets, in order; their titles and descriptions are ``index.title_<nb>__<set>`` and
#: ``index.about_<nb>__<set>``.
DEMONSTRATIONS = (("vigie_innovation", "shared_corpora"), ("vigie_livrables", "shared_corpora"),
                  ("viabilite_alimentaire", "synthetic_statements"), ("ecosysteme", "english"))
#: The deliverables report and where each deliverable is: the bank's own page, the other sections of the report.
DELIVERABLES_REPORT = "vigie_livrables"
BANK_PAGE = "banque_publications.html"
DELIVERABLES = ("sec_bank", "sec_practices", "sec_problems", "sec_directory", "sec_strategy")
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / SITE)), autoescape=True,
                          undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_MISSING_NOTE = re.compile(r'<div class="vigie-note vigie-note-missing"[^>]*>(.*?)</div>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def missing_data_notes(nb) -> list[str]:
    """The text of every « missing data » note of an executed report (``display.show_note(..., kind="missing")``),
    in order, each once: what ``rapport.json`` records as ``missing``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.

    Returns
    -------
    list of str
    """
    notes: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            body = out.get("data", {}).get("text/html", "")
            body = "".join(body) if isinstance(body, list) else body
            for match in _MISSING_NOTE.finditer(body):
                text = html.unescape(_TAGS.sub("", match.group(1))).strip()
                if text and text not in notes:
                    notes.append(text)
    return notes


def collect_reports(reports_dir: Path = paths.REPORTS) -> list[dict[str, Any]]:
    """Every published report (``rapport.json``) and every failed set (``ECHEC.txt``) under ``reports_dir``.

    Parameters
    ----------
    reports_dir : Path
        The reports folder.

    Returns
    -------
    list of dict
        One row per ``<stem>/<set>`` folder, sorted by notebook, the ``default`` set first: ``notebook``, ``set``,
        ``folder``, ``ok`` and either the report's metadata (``title``, ``html``, ``csv``, ``pdf``, ``missing``,
        ``bank_page``…) or the failure ``message``.
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
            meta["bank_page"] = BANK_PAGE if (folder / BANK_PAGE).exists() else None
            rows.append(meta)
    rows.sort(key=lambda r: (r["notebook"], r["set"] != "default", r["set"]))
    return rows


def _shown_date(iso: str, lang: str) -> str:
    try:
        return french_date(_dt.date.fromisoformat(iso), lang)
    except ValueError:
        return iso


def _label_or_none(key: str, lang: str) -> str | None:
    try:
        return t(key, lang)
    except KeyError:
        return None


def deliverable_links(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The five deliverables of a deliverables report as ``(name, link)``: the bank's page when it was written,
    the report's sections for the others (anchors as the rendered report names its headings).

    Parameters
    ----------
    row : dict
        A row of :func:`collect_reports` for the deliverables report.

    Returns
    -------
    list of (str, str)
    """
    lang = row.get("lang", "fr") if row.get("lang") in ("fr", "en") else "fr"
    folder, page = row["folder"], row["html"]
    links = []
    for key in DELIVERABLES:
        name = t(f"livrables.{key}", lang)
        if key == "sec_bank" and row.get("bank_page"):
            links.append((name, f"{folder}/{row['bank_page']}"))
        else:
            links.append((name, f"{folder}/{page}#{slug(name)}"))
    return links


def card(row: dict[str, Any], lang: str = "fr") -> dict[str, Any]:
    """What the index shows of one row of :func:`collect_reports` (links relative to ``reports/``).

    A demonstration set takes its human title and what it demonstrates from the ``index`` labels; the deliverables
    report lists its deliverables; a report rendered with data missing carries those notes.

    Parameters
    ----------
    row : dict
        A row of :func:`collect_reports`.
    lang : str
        Language of the index.

    Returns
    -------
    dict
        ``ok``, ``notebook``, ``set``, ``title`` and, for a published report, ``subtitle``, ``about``, ``link``,
        ``data_version``, ``date``, ``pdf``, ``csv``, ``missing``, ``deliverables``; for a failed one, ``message``.
    """
    folder = row["folder"]
    nb, name = row["notebook"], row["set"]
    about = _label_or_none(f"index.about_{nb}__{name}", lang)
    human = _label_or_none(f"index.title_{nb}__{name}", lang)
    if not row["ok"]:
        return {"ok": False, "notebook": nb, "set": name, "title": human,
                "message": t("render.failed_note", lang, message=row["message"])}
    title = human or row["title"]
    if human is None and (nb, name) not in TABLE_REPORTS and name != "default":
        title = t("index.other_title", lang, title=row["title"], set=name)
    return {
        "ok": True, "notebook": nb, "set": name, "title": title,
        "subtitle": None if about else row.get("subtitle"), "about": about, "link": f'{folder}/{row["html"]}',
        "data_version": str(row.get("data_version", "")), "date": _shown_date(row.get("date", ""), lang),
        "pdf": f'{folder}/{row["pdf"]}' if row.get("pdf") else None,
        "csv": [(f"{folder}/{c}", Path(c).name) for c in row.get("csv", [])],
        "missing": list(row.get("missing") or []),
        "deliverables": deliverable_links(row) if nb == DELIVERABLES_REPORT else [],
    }


def group_cards(rows: list[dict[str, Any]], lang: str = "fr") -> dict[str, list[dict[str, Any]]]:
    """The cards of the index in their three groups: ``table`` (:data:`TABLE_REPORTS`, in that order),
    ``demo`` (:data:`DEMONSTRATIONS`, in that order) and ``other`` (the rest, in :func:`collect_reports` order).

    Parameters
    ----------
    rows : list of dict
        What :func:`collect_reports` returns.
    lang : str

    Returns
    -------
    dict
        ``{"table": [...], "demo": [...], "other": [...]}`` of :func:`card` results.
    """
    table_order = {key: i for i, key in enumerate(TABLE_REPORTS)}
    demo_order = {key: i for i, key in enumerate(DEMONSTRATIONS)}
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {"table": [], "demo": [], "other": []}
    for i, row in enumerate(rows):
        key = (row["notebook"], row["set"])
        if key in table_order:
            groups["table"].append((table_order[key], card(row, lang)))
        elif key in demo_order:
            groups["demo"].append((demo_order[key], card(row, lang)))
        else:
            groups["other"].append((i, card(row, lang)))
    return {g: [c for _, c in sorted(items, key=lambda x: x[0])] for g, items in groups.items()}


def edition_rows(editions: pd.DataFrame, lang: str = "fr") -> list[dict[str, str]]:
    """The editions of the watch as the index lists them (oldest first).

    Parameters
    ----------
    editions : DataFrame
        :func:`analysis.vigie.watch.list_editions`.
    lang : str

    Returns
    -------
    list of dict
        ``id``, ``date``, ``works``, ``queries``, ``strategy`` (short hash).
    """
    out = []
    for r in editions.to_dict("records"):
        day = str(r.get("created_at") or "")[:10]
        out.append({"id": str(r["edition_id"]), "date": _shown_date(day, lang), "works": integer(r["n_works"], lang),
                    "queries": integer(r["n_queries"], lang), "strategy": str(r["strategy_hash"])[:12]})
    return out


def project_editions() -> pd.DataFrame:
    """The editions of the project's watch (:func:`analysis.vigie.watch.list_editions`); none when they cannot be
    read (the index never fails because of an edition)."""
    from analysis.vigie import watch  # heavy (the vigie wing: pandera, pyarrow): loaded only to write the index

    try:
        return watch.list_editions()
    except Exception:  # noqa: BLE001 - an unreadable editions folder must not stop the index
        return pd.DataFrame(columns=["edition_id", "created_at", "n_works", "n_queries", "strategy_hash"])


def index_html(rows: list[dict[str, Any]], data_version: str, day: _dt.date, lang: str = "fr",
               editions: pd.DataFrame | None = None) -> str:
    """The page listing every report: the Table's reports first, the watch's editions, then the demonstration and
    control sets, then any other set; one card each (title, what it shows, parameter set, data version, date,
    missing data, PDF, CSV files; the deliverables report links each deliverable).

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
    editions : DataFrame, optional
        :func:`analysis.vigie.watch.list_editions` (default: the project's editions, :func:`project_editions`).

    Returns
    -------
    str
        The HTML page (self-contained, no script).
    """
    labels = {key: t(f"render.{key}", lang) for key in INDEX_LABELS} | {"colon": t("common.colon", lang)}
    labels |= {key: t(f"index.{key}", lang) for key in GROUP_LABELS}
    editions = project_editions() if editions is None else editions
    return _ENV.get_template("index.html.j2").render(
        labels=labels, css=asset("index.css", SITE), data_version=data_version, day=french_date(day, lang),
        groups=group_cards(rows, lang), editions=edition_rows(editions, lang), any_rows=bool(rows))


def write_index(reports_dir: Path = paths.REPORTS, day: _dt.date | None = None) -> Path:
    """Write ``reports/index.html`` from what is in ``reports_dir`` (atomically: a reader sees the old page or the
    new one); return its path.

    Parameters
    ----------
    reports_dir : Path
        The reports folder.
    day : datetime.date, optional
        The date shown (default: today, or ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    Path
        The index written.

    Raises
    ------
    StorageError
        The page could not be written (disk full, read-only folder), naming it and what to do.
    """
    reports_dir = Path(reports_dir)
    day = day or provenance.run_time().date()
    page = index_html(collect_reports(reports_dir), provenance.data_version(), day)
    return atomic.write(reports_dir / "index.html", page)
