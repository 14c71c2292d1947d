"""Figures of the ecosystem report: each ``plot_*`` takes results of :mod:`analysis.ecosystem` and ``lang``, and
builds its title, axis labels and category names from the label catalogue ``labels/ecosysteme.yaml``.

Show them with :func:`analysis.report.display.show_figure` (text alternative and source line).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import fmt
from analysis.report.figures import style
from analysis.report.labels import t


def _t(key: str, lang: str, **fields: object) -> str:
    return t(f"ecosysteme.{key}", lang, **fields)


def scope_label(scope: str, lang: str = "fr") -> str:
    """Display name of a scope (territory) code: ``monteregie_est`` → « Montérégie Est (territoire du PECEM) »; an
    unknown code is shown as is."""
    try:
        return _t(f"scope_{scope}", lang)
    except KeyError:
        return scope


def code_label(value: object, lang: str = "fr") -> str:
    """A code of the wing (``unspecified``, ``municipal``, ``government``) in words; any other value as written."""
    try:
        return _t(f"code_{value}", lang)
    except KeyError:
        return str(value)


@style.keeps_data
def plot_region_shares(shares: pd.DataFrame, region: str, lang: str = "fr"):
    """Horizontal bars: the region's share (%) of the province for each indicator.

    Parameters
    ----------
    shares : DataFrame
        The table of :func:`analysis.ecosystem.region_shares` (indicator, share_pct).
    region : str
        The region's scope code (its name comes from the catalogue).
    lang : {"fr", "en"}
        Language of the title, axis labels and category names.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(_t("fig_region_title", lang, region=scope_label(region, lang)),
                               _t("fig_region_x", lang), _t("fig_region_y", lang))
    names = [_t(f"ind_{k}", lang) for k in shares["indicator"]]
    ax.barh(names[::-1], shares["share_pct"].to_list()[::-1], color=style.BASE)
    for y, v in enumerate(shares["share_pct"].to_list()[::-1]):
        ax.text(v, y, " " + fmt.percent(v, 2, lang), va="center")
    ax.set_xlim(0, max(shares["share_pct"].max() * 1.3, 1e-9))
    style.french_axis(ax, "x", "percent", decimals=1, lang=lang)
    return fig


@style.keeps_data
def plot_counts_by_form(counts: pd.DataFrame, lang: str = "fr"):
    """Bars: register enterprises by legal form.

    Parameters
    ----------
    counts : DataFrame
        The table of :func:`analysis.ecosystem.counts_by_form` (legal_form, count).
    lang : {"fr", "en"}
        Language of the title, axis labels and category names.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(_t("fig_forms_title", lang), _t("fig_forms_x", lang), _t("fig_forms_y", lang))
    ax.bar([_t(f"form_{c}", lang) for c in counts["legal_form"]], counts["count"], color=style.BASE)
    for x, v in enumerate(counts["count"]):
        ax.text(x, v, fmt.integer(v, lang), ha="center", va="bottom")
    style.french_axis(ax, "y", "number", lang=lang)
    return fig


@style.keeps_data
def plot_collective_shares(shares: pd.DataFrame, by: str, lang: str = "fr"):
    """Bars: share of contracts and of their value going to collective enterprises, per group.

    Parameters
    ----------
    shares : DataFrame
        The table of :func:`analysis.ecosystem.collective_shares` grouped by one column.
    by : str
        That column: ``buyer_type``, ``region`` or ``year``.
    lang : {"fr", "en"}
        Language of the title, axis labels and category names.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(_t("fig_shares_title", lang), _t(f"axis_{by}", lang), _t("fig_shares_y", lang))
    x = np.arange(len(shares))
    ax.bar(x - 0.2, shares["share_contracts_pct"], width=0.4, label=_t("fig_shares_contracts", lang),
           color=style.BASE)
    ax.bar(x + 0.2, shares["share_value_pct"], width=0.4, label=_t("fig_shares_value", lang), color=style.HIGHLIGHT)
    ticks = [fmt.year(v) if by == "year" else code_label(v, lang) for v in shares[by]]
    ax.set_xticks(x, ticks)
    ax.legend()
    style.french_axis(ax, "y", "percent", lang=lang)
    return fig


@style.keeps_data
def plot_grant_curve(curve: pd.DataFrame, ceiling: float, knee: float, lang: str = "fr"):
    """The grant as a function of the project cost, with the ceiling and the cost where it binds.

    Parameters
    ----------
    curve : DataFrame
        The table of :func:`analysis.ecosystem.grant_curve` (cost, grant).
    ceiling : float
        The ceiling per application ($), drawn as a dashed line.
    knee : float
        The cost where the ceiling binds (:func:`analysis.ecosystem.ceiling_cost`), drawn as a dotted line.
    lang : {"fr", "en"}
        Language of the title, axis labels and category names.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(_t("fig_grant_title", lang), _t("fig_grant_x", lang), _t("fig_grant_y", lang))
    ax.plot(curve["cost"].to_list(), curve["grant"].to_list(), color=style.BASE, linewidth=2)
    ax.axhline(ceiling, color=style.GREY, linestyle="--", linewidth=1)
    ax.axvline(knee, color=style.HIGHLIGHT, linestyle=":", linewidth=1)
    ax.set_xlim(0, float(curve["cost"].max()))
    ax.set_ylim(0, ceiling * 1.2)
    style.french_axis(ax, "x", "money", lang=lang)
    style.french_axis(ax, "y", "money", lang=lang)
    return fig
