"""The report layer: what a reader sees. It translates, formats and draws; the domain wings compute.

In a report notebook (or by hand in JupyterLab)::

    from analysis import report

    P, T = report.start("vigie_innovation", report.params_from(globals(), "vigie_innovation"))
    report.title(T("vigie.title"), T("vigie.subtitle"))
    report.show_table(table, formats={"share": "share"}, caption=T("vigie.cap_main"), lang=P["lang"])
    report.fmt.money(1234.5)            # '1 234 $'
    report.t("common.source", "en")     # 'Source'

================ ================================================================================================
``start``        validate a notebook's parameters; return them and the translator ``T`` (:mod:`.notebook`)
``title``        the report's title and subtitle
``params_from``  a notebook's parameter values from its globals
``fmt``          numbers, money, percentages and dates in French (Québec) or English
``display``      headings, paragraphs, notes, tables (``show_table``) and figures (``show_figure``)
``figures``      ``figures.style`` (``new_figure``, ``french_axis``) and one ``plot_*`` module per domain
``labels``       the fr/en catalogues: ``t(key, lang)``, ``translator(lang)``
``provenance``   the closing section of every report (``show_provenance``)
``render``       ``make reports``: papermill, clean HTML, index, PDF (:mod:`.render`)
================ ================================================================================================

``notebook``, ``figures`` and ``render`` (and the names taken from them) are imported on first use, so importing
the report layer loads neither matplotlib nor papermill until they are needed.
"""

from __future__ import annotations

import importlib
from typing import Any

from analysis.report import display, fmt, labels, provenance
from analysis.report.display import (
    export_csv,
    publish,
    show_figure,
    show_heading,
    show_note,
    show_table,
    show_text,
    table_html,
)
from analysis.report.labels import t, translator
from analysis.report.provenance import show_provenance

_LAZY = {
    "notebook": ("analysis.report.notebook", None),
    "figures": ("analysis.report.figures", None),
    "render": ("analysis.report.render", None),
    "start": ("analysis.report.notebook", "start"),
    "title": ("analysis.report.notebook", "title"),
    "params_from": ("analysis.report.notebook", "params_from"),
}

__all__ = [
    "start", "title", "params_from", "notebook",
    "fmt", "display", "figures", "labels", "provenance", "render",
    "t", "translator",
    "show_heading", "show_text", "show_note", "show_table", "show_figure", "table_html", "export_csv", "publish",
    "show_provenance",
]


def __getattr__(name: str) -> Any:
    """Import ``notebook``, ``figures``, ``render`` (and ``start``, ``title``, ``params_from``) on first access."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
