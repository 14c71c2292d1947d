"""The report page: a cleaned notebook converted by nbconvert with the project's template (``templates/vigie``).

One self-contained HTML file: no code, no prompts, styles and the table script inline (sorting, search, filters,
stacking on a phone), the page header (title, parameter set, data version, date), the table of contents, the
glossary of the terms the report uses (:mod:`analysis.report.glossary`) and the footer in the report's language.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from analysis.report import glossary
from analysis.report.codes import code_label
from analysis.report.fmt import french_date
from analysis.report.labels import t

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "vigie"
TEMPLATE_VERSION = 3  # bump when the page frame changes: reports of an older frame are re-rendered, not tested
FRAME_LABELS = ("toc", "skip", "back_to_top", "no_alt", "project")
# Words of the page's script (vigie.js: sorting, search, filters, CSV of the rows shown), from the common catalogue.
SCRIPT_LABELS = {"search": "table_search", "filter_all": "table_filter_all", "rows_shown": "table_rows_shown",
                 "download_shown": "table_download_shown", "csv_separator": "csv_separator", "sort": "table_sort"}


def asset(name: str, template: str = TEMPLATE) -> str:
    """The text of a file of ``templates/<template>/`` (CSS, JavaScript)."""
    return (TEMPLATES / template / name).read_text(encoding="utf-8")


def set_label(set_name: str, lang: str) -> str:
    """What a reader calls a parameter set (``shared_corpora`` → « corpus Scopus et Web of Science réunis »), from
    ``labels/codes.yaml`` (family ``param_set``); a set the catalogue does not know keeps its file name."""
    return code_label(set_name, "param_set", lang)


def page_context(*, stem: str, set_name: str, lang: str, info: dict[str, Any], data_version: str,
                 day: _dt.date, nbconvert_version: str, terms: list[glossary.Term] | None = None) -> dict[str, Any]:
    """What the template shows around the notebook (``resources.vigie``), every word from the ``render`` labels.

    ``terms`` (:func:`analysis.report.glossary.used_terms`) become the last section, « Glossaire », listed in the
    table of contents after the report's own sections.
    """
    lang = lang if lang in ("fr", "en") else "fr"
    toc = list(info.get("toc", []))
    glossary_section = None
    if terms:
        glossary_section = {"id": glossary.ANCHOR, "number": str(len(toc) + 1), "text": t("common.glossary", lang),
                            "intro": t("common.glossary_intro", lang), "entries": glossary.entries(terms)}
        toc.append({"id": glossary.ANCHOR, "number": glossary_section["number"], "text": glossary_section["text"],
                    "children": []})
    readable_set = set_label(set_name, lang)
    return {
        "html_lang": t("render.html_lang", lang),
        "title": info.get("title") or stem,
        "subtitle": info.get("subtitle"),
        "set_name": set_name,
        "set_label": readable_set,
        "toc": toc,
        "glossary": glossary_section,
        "meta": [  # (label, value, identifier shown as code or None)
            (t("render.parameter_set", lang), readable_set, None if readable_set == set_name else set_name),
            (t("render.data_version", lang), data_version, None),
            (t("render.produced_on", lang), french_date(day, lang), None),
        ],
        "labels": {k: t(f"render.{k}", lang) for k in FRAME_LABELS},
        "script_labels": {k: t(f"common.{v}", lang) for k, v in SCRIPT_LABELS.items()},
        "footer": t("render.footer", lang, notebook=f"notebooks/{stem}.ipynb", set=readable_set),
        "css": asset("vigie.css"),
        "js": asset("vigie.js"),
        "nbconvert_version": nbconvert_version,
    }


def _report_texts(nb) -> list[str]:
    """The text of a cleaned notebook: Markdown cells and the HTML or Markdown of every output."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        for out in cell.get("outputs", []):
            for mime in ("text/html", "text/markdown"):
                value = out.get("data", {}).get(mime)
                if value:
                    texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def link_glossary_terms(page: str, terms: list[glossary.Term]) -> str:
    """The page with the first use of each glossary term inside ``<main>`` linked to its definition."""
    start, end = page.find("<main"), page.rfind("</main>")
    if not terms or start < 0 or end < 0:
        return page
    cut = page.index(">", start) + 1
    return page[:cut] + glossary.link_first_uses(page[cut:end], terms) + page[end:]


def to_html(nb, *, stem: str, set_name: str, lang: str, info: dict[str, Any], data_version: str,
            day: _dt.date) -> str:
    """Convert a cleaned, executed notebook to the report page (no code, no prompts, everything inline).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook after :func:`analysis.report.render.clean_notebook`.
    stem, set_name : str
        Notebook and parameter set (shown in the header and footer).
    lang : str
        ``fr`` or ``en``: the language of the page frame.
    info : dict
        What :func:`analysis.report.render.clean_notebook` returned (title, subtitle, toc).
    data_version : str
        Short hash of the raw data manifest.
    day : datetime.date
        The date the page says it was produced.

    Returns
    -------
    str
        The HTML page.
    """
    import nbconvert  # heavy (Jinja environments, mistune, bleach): imported only when a page is built

    exporter = nbconvert.HTMLExporter(
        template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, exclude_raw=True,
    )
    terms = glossary.used_terms(_report_texts(nb), lang if lang in ("fr", "en") else "fr")
    vigie = page_context(stem=stem, set_name=set_name, lang=lang, info=info, data_version=data_version, day=day,
                         nbconvert_version=nbconvert.__version__, terms=terms)
    body, _ = exporter.from_notebook_node(nb, resources={"vigie": vigie})
    return link_glossary_terms(body, terms)
