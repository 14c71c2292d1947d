"""The digital-transformation programme (Offensive de transformation numérique): grant calculator and reach target.

The grant covers a share of a project's eligible costs up to a ceiling per application (seed 000, Levier 4); the
programme aims to reach more than 10 % of Québec's social-economy enterprises (seed 002). Both come from the
indicators table so the figures are not hard-coded in the reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.ecosystem.indicators import get_indicator
from analysis.report.figures import style as plots


def grant_parameters(df: pd.DataFrame) -> tuple[float, float]:
    """(share of costs as a ratio, ceiling in $) of the programme, from the indicators table."""
    share = get_indicator(df, "otn_grant_cost_share", "quebec") / 100.0
    ceiling = get_indicator(df, "otn_grant_ceiling", "quebec")
    return share, ceiling


def grant(cost: float, share: float = 0.8, ceiling: float = 20_000.0) -> float:
    """Grant for a project of ``cost`` $: ``min(share × cost, ceiling)``; refuses negative or non-finite costs."""
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not math.isfinite(cost):
        raise ParameterError(f"coût de projet invalide : {cost!r}", field="cost")
    if cost < 0:
        raise ParameterError(f"le coût d'un projet ne peut pas être négatif : {cost}", field="cost")
    if not 0 < share <= 1:
        raise ParameterError(f"la part des coûts doit être comprise entre 0 et 1 : {share}", field="share")
    if ceiling < 0:
        raise ParameterError(f"le plafond ne peut pas être négatif : {ceiling}", field="ceiling")
    return float(min(share * cost, ceiling))


def ceiling_cost(share: float = 0.8, ceiling: float = 20_000.0) -> float:
    """Project cost from which the ceiling binds (``ceiling / share``)."""
    return ceiling / share


def compute_grant_table(costs: Iterable[float], share: float = 0.8, ceiling: float = 20_000.0) -> pd.DataFrame:
    """Grant, remaining cost and effective share of costs for each project cost, sorted by cost."""
    rows = []
    for cost in sorted(float(c) for c in costs):
        g = grant(cost, share, ceiling)
        rows.append({
            "cost": cost,
            "grant": g,
            "own_contribution": cost - g,
            "effective_share": (g / cost) if cost > 0 else float("nan"),
            "at_ceiling": bool(share * cost >= ceiling),
        })
    return pd.DataFrame(rows, columns=["cost", "grant", "own_contribution", "effective_share", "at_ceiling"])


def compute_reach(df: pd.DataFrame, reached: int | None = None) -> pd.DataFrame:
    """The 10 % target in enterprises, the grant per targeted enterprise and, if given, the share reached.

    ``reached`` is an observed number of enterprises sensitised (none ships with the project).
    """
    enterprises = get_indicator(df, "se_enterprises", "quebec")
    target_pct = get_indicator(df, "otn_awareness_target_share", "quebec")
    grant_cqcm = get_indicator(df, "otn_grant_cqcm", "quebec")
    project = get_indicator(df, "otn_project_value", "quebec")
    share, ceiling = grant_parameters(df)
    target_n = enterprises * target_pct / 100.0
    rows = [
        ("se_enterprises", enterprises, "count"),
        ("target_share_pct", target_pct, "pct"),
        ("target_enterprises", target_n, "count"),
        ("grant_cqcm", grant_cqcm, "cad"),
        ("project_value", project, "cad"),
        ("grant_per_target_enterprise", grant_cqcm / target_n, "cad"),
        ("project_value_per_target_enterprise", project / target_n, "cad"),
        ("max_grants_at_ceiling", grant_cqcm / ceiling, "count"),
        ("cost_at_ceiling", ceiling_cost(share, ceiling), "cad"),
    ]
    if reached is not None:
        if reached < 0:
            raise ParameterError(f"nombre d'entreprises rejointes négatif : {reached}", field="reached")
        rows += [("reached", float(reached), "count"), ("reached_share_pct", 100.0 * reached / enterprises, "pct"),
                 ("target_attained", float(reached >= target_n), "bool")]
    return pd.DataFrame(rows, columns=["measure", "value", "unit"])


def plot_grant_curve(share: float = 0.8, ceiling: float = 20_000.0, max_cost: float = 50_000.0,
                     lang: str = "fr"):
    """Grant as a function of project cost, with the ceiling and the cost where it binds."""
    title = "Aide financière selon le coût du projet" if lang == "fr" else "Grant by project cost"
    xl = "Coût admissible du projet ($)" if lang == "fr" else "Eligible project cost ($)"
    yl = "Aide financière ($)" if lang == "fr" else "Grant ($)"
    fig, ax = plots.new_figure(title, xl, yl)
    costs = [max_cost * i / 100 for i in range(101)]
    ax.plot(costs, [grant(c, share, ceiling) for c in costs], color=plots.BASE, linewidth=2)
    ax.axhline(ceiling, color=plots.GREY, linestyle="--", linewidth=1)
    knee = ceiling_cost(share, ceiling)
    ax.axvline(knee, color=plots.HIGHLIGHT, linestyle=":", linewidth=1)
    ax.set_xlim(0, max_cost)
    ax.set_ylim(0, ceiling * 1.2)
    plots.french_axis(ax, "x", "money", lang=lang)
    plots.french_axis(ax, "y", "money", lang=lang)
    return fig
