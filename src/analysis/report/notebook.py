"""The first cells of every report notebook: validate parameters, pick the language, set the figure style.

A notebook's ``parameters`` cell holds the defaults, generated from ``params/<stem>/_schema.yaml`` by
``python -m analysis params sync`` (a test checks that they agree); the next cell calls :func:`start`, which stops
the report with one line naming a bad parameter::

    P, T = report.start("vigie_innovation", report.params_from(globals(), "vigie_innovation"))
    report.title(T("vigie.title"), T("vigie.subtitle"))
"""

from __future__ import annotations

import html
import logging
import warnings
from collections.abc import Callable
from typing import Any

from analysis.core import params
from analysis.report import display
from analysis.report.figures import style as plots
from analysis.report.labels import translator


def parameter_names(stem: str) -> list[str]:
    """The parameters a notebook declares (the keys of its schema), in schema order."""
    return list(params.load_schema(stem))


def start(stem: str, values: dict[str, Any]) -> tuple[dict[str, Any], Callable[..., str]]:
    """Validate a notebook's parameters and prepare the session for a report.

    Warnings go to the log instead of the report, and the project's figure style is applied.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb`` (its schema is ``params/<stem>/_schema.yaml``).
    values : dict
        Parameter values (usually :func:`params_from` of the notebook's globals); missing ones take the schema's
        defaults.

    Returns
    -------
    P : dict
        The checked parameters, every one of the schema, in schema order.
    T : callable
        The label translator bound to ``P["lang"]``: ``T("common.source")``.

    Raises
    ------
    ParameterError
        A bad value, naming the parameter.
    """
    checked = params.validate(stem, values)
    # Warnings go to the log, not into the report (no stray output for the reader or for nbval).
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    plots.apply_style()
    return checked, translator(checked.get("lang", "fr"))


def title(text: str, subtitle: str | None = None) -> None:
    """Show the report's title (the only ``h1``; the page header shows it) and an optional subtitle.

    Parameters
    ----------
    text : str
        The title.
    subtitle : str, optional
        One line under the title.
    """
    body = f"<h1>{html.escape(text)}</h1>"
    if subtitle:
        body += f'<p class="vigie-subtitle">{html.escape(subtitle)}</p>'
    display.publish({"text/html": body, "text/plain": text + (f"\n{subtitle}" if subtitle else "")})


def params_from(namespace: dict[str, Any], stem: str) -> dict[str, Any]:
    """The notebook's parameter values picked from its globals by the schema's names.

    Parameters
    ----------
    namespace : dict
        The notebook's ``globals()``.
    stem : str
        Notebook name without ``.ipynb``.

    Returns
    -------
    dict
        Name → value for every schema parameter defined in ``namespace``.
    """
    return {name: namespace[name] for name in parameter_names(stem) if name in namespace}


__all__ = ["start", "title", "params_from", "parameter_names", "display"]
