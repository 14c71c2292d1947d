"""The report page: a cleaned notebook converted by nbconvert with the project's template (``templates/vigie``).

One self-contained HTML file: no code, no prompts, styles and the table sorter inline, the page header (title,
parameter set, data version, date), the table of contents and the footer in the report's language.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from analysis.report.fmt import french_date
from analysis.report.labels import t

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "vigie"
TEMPLATE_VERSION = 2  # bump when the page frame changes: reports of an older frame are re-rendered, not tested
FRAME_LABELS = ("toc", "skip", "back_to_top", "no_alt", "project")


def asset(name: str, template: str = TEMPLATE) -> str:
    """The text of a file of ``templates/<template>/`` (CSS, JavaScript)."""
    return (TEMPLATES / template / name).read_text(encoding="utf-8")


def page_context(*, stem: str, set_name: str, lang: str, info: dict[str, Any], data_version: str,
                 day: _dt.date, nbconvert_version: str) -> dict[str, Any]:
    """What the template shows around the notebook (``resources.vigie``), every word from the ``render`` labels."""
    lang = lang if lang in ("fr", "en") else "fr"
    return {
        "html_lang": t("render.html_lang", lang),
        "title": info.get("title") or stem,
        "subtitle": info.get("subtitle"),
        "set_name": set_name,
        "toc": info.get("toc", []),
        "meta": [
            (t("render.parameter_set", lang), set_name),
            (t("render.data_version", lang), data_version),
            (t("render.produced_on", lang), french_date(day, lang)),
        ],
        "labels": {k: t(f"render.{k}", lang) for k in FRAME_LABELS},
        "footer": t("render.footer", lang, notebook=f"notebooks/{stem}.ipynb", set=set_name),
        "css": asset("vigie.css"),
        "js": asset("vigie.js"),
        "nbconvert_version": nbconvert_version,
    }


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
    vigie = page_context(stem=stem, set_name=set_name, lang=lang, info=info, data_version=data_version, day=day,
                         nbconvert_version=nbconvert.__version__)
    body, _ = exporter.from_notebook_node(nb, resources={"vigie": vigie})
    return body
