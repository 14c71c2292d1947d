"""The first cells of every report notebook: validate parameters, pick the language, set the figure style.

A notebook's ``parameters`` cell holds the defaults (identical to ``params/<stem>/default.yaml``, which a test
checks); the next cell calls :func:`start`, which stops the report with one line naming a bad parameter.
"""

from __future__ import annotations

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
    """Validate ``values``; return ``(P, T)``: the checked parameters and the translator bound to ``P["lang"]``."""
    checked = params.validate(stem, values)
    # Warnings go to the log, not into the report (no stray output for the reader or for nbval).
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    plots.apply_style()
    return checked, translator(checked.get("lang", "fr"))


def title(text: str, subtitle: str | None = None) -> None:
    """The report's title (the only ``h1``) and an optional subtitle."""
    import html

    from IPython.display import publish_display_data

    body = f"<h1>{html.escape(text)}</h1>"
    if subtitle:
        body += f'<p class="vigie-subtitle">{html.escape(subtitle)}</p>'
    publish_display_data({"text/html": body, "text/plain": text + (f"\n{subtitle}" if subtitle else "")})


def params_from(namespace: dict[str, Any], stem: str) -> dict[str, Any]:
    """The notebook's parameter values picked from its globals by the schema's names."""
    return {name: namespace[name] for name in parameter_names(stem) if name in namespace}


__all__ = ["start", "title", "params_from", "parameter_names", "display"]
