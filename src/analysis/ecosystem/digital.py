"""The digital-transformation programme (Offensive de transformation numérique): grant calculator and reach target.

The grant covers a share of a project's eligible costs up to a ceiling per application (seed 000, Levier 4); the
programme aims to reach more than 10 % of Québec's social-economy enterprises (seed 002). Both come from the
indicators table so the figures are not hard-coded in the reports.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.core.checks import require_positive, require_type
from analysis.core.errors import ParameterError
from analysis.ecosystem.indicators import get_indicator, indicator_quality, require_indicators, weakest_quality

PROVINCE = "quebec"
SHARE = 0.8  # seed 000, Levier 4: 80 % of eligible costs (indicator otn_grant_cost_share)
CEILING = 20_000.0  # seed 000, Levier 4: up to 20 000 $ per application (indicator otn_grant_ceiling)


def _check_rule(share: float, ceiling: float) -> None:
    require_positive(share, "share")
    if share > 1:
        raise ParameterError(f"expected a share of costs in (0, 1], got {share!r}", field="share")
    require_positive(ceiling, "ceiling", allow_zero=True)


def grant_parameters(indicators: pd.DataFrame) -> tuple[float, float]:
    """The programme's grant rule from the indicators table.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.

    Returns
    -------
    (float, float)
        (share of eligible costs covered, as a ratio; ceiling per application in $): ``(0.8, 20000.0)`` with the
        shipped table.

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table or lacks the grant indicators.

    References
    ----------
    CQCM (2022), *Feuille de route coopérative et mutualiste*, seed ``000_c0319b767be08c98.txt``, section
    « Levier 4 (Offensive de transformation numérique) »: the grant covers 80 % of a project's eligible costs, up to
    20 000 $ per application (``data/raw/ecosystem/indicators.csv``, indicators ``otn_grant_cost_share`` and
    ``otn_grant_ceiling``).
    """
    require_indicators(indicators)
    share = get_indicator(indicators, "otn_grant_cost_share", PROVINCE) / 100.0
    ceiling = get_indicator(indicators, "otn_grant_ceiling", PROVINCE)
    return share, ceiling


def grant(cost: float, share: float = SHARE, ceiling: float = CEILING) -> float:
    """The grant for a project: ``min(share × cost, ceiling)``.

    Parameters
    ----------
    cost : float
        Eligible project cost in $ (zero or more).
    share : float, default 0.8
        Share of the cost covered, in (0, 1].
    ceiling : float, default 20 000
        Maximum grant per application, in $.

    Returns
    -------
    float
        The grant in $: ``grant(10_000)`` is 8 000, ``grant(25_000)`` and ``grant(40_000)`` are 20 000.

    Raises
    ------
    ParameterError
        A negative, non-finite or non-numeric cost (``field="cost"``), a share outside (0, 1] or a negative ceiling.

    References
    ----------
    CQCM (2022), *Feuille de route coopérative et mutualiste*, seed ``000_c0319b767be08c98.txt``, section
    « Levier 4 (Offensive de transformation numérique) »: the grant covers 80 % of a project's eligible costs, up to
    20 000 $ per application (``data/raw/ecosystem/indicators.csv``, indicators ``otn_grant_cost_share`` and
    ``otn_grant_ceiling``).
    """
    require_positive(cost, "cost", allow_zero=True)
    _check_rule(share, ceiling)
    return float(min(share * cost, ceiling))


def ceiling_cost(share: float = SHARE, ceiling: float = CEILING) -> float:
    """The project cost from which the ceiling binds.

    Parameters
    ----------
    share, ceiling : float
        The grant rule (see :func:`grant`).

    Returns
    -------
    float
        ``ceiling / share``: 25 000 $ with the seed's rule.

    Raises
    ------
    ParameterError
        A share outside (0, 1] or a negative ceiling.
    """
    _check_rule(share, ceiling)
    return ceiling / share


def grant_table(costs: Iterable[float], share: float = SHARE, ceiling: float = CEILING) -> pd.DataFrame:
    """Grant, own contribution and effective share of costs for each project cost.

    Parameters
    ----------
    costs : iterable of float
        Project costs in $ (e.g. the report's ``project_costs`` parameter).
    share, ceiling : float
        The grant rule (see :func:`grant`).

    Returns
    -------
    DataFrame
        cost, grant, own_contribution (``cost − grant``), effective_share (``grant / cost``, NaN for a zero cost),
        at_ceiling (bool); sorted by cost.

    Raises
    ------
    ParameterError
        ``costs`` is not a list of numbers, or one of them is negative (see :func:`grant`).
    """
    if isinstance(costs, (str, bytes)) or not isinstance(costs, Iterable):
        raise ParameterError(f"expected a list of project costs, got {type(costs).__name__}", field="costs")
    costs = list(costs)
    for i, c in enumerate(costs):
        require_positive(c, f"costs[{i}]", allow_zero=True)
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


def grant_curve(share: float = SHARE, ceiling: float = CEILING, max_cost: float = 50_000.0,
                points: int = 101) -> pd.DataFrame:
    """The grant as a function of the project cost, for a figure.

    Parameters
    ----------
    share, ceiling : float
        The grant rule (see :func:`grant`).
    max_cost : float, default 50 000
        The highest cost, in $.
    points : int, default 101
        How many evenly spaced costs from 0 to ``max_cost``.

    Returns
    -------
    DataFrame
        cost, grant.

    Raises
    ------
    ParameterError
        A rule as in :func:`grant`, a ``max_cost`` that is not above zero, or fewer than 2 points.
    """
    _check_rule(share, ceiling)
    require_positive(max_cost, "max_cost")
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ParameterError(f"expected 2 points or more, got {points!r}", field="points")
    costs = [max_cost * i / (points - 1) for i in range(points)]
    return pd.DataFrame({"cost": costs, "grant": [grant(c, share, ceiling) for c in costs]})


def programme_reach(indicators: pd.DataFrame, reached: int | None = None) -> pd.DataFrame:
    """The programme's reach target in enterprises, the grant per targeted enterprise and, if given, the share reached.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    reached : int, optional
        An observed number of enterprises sensitised (none ships with the project).

    Returns
    -------
    DataFrame
        measure, value, unit (``count``, ``pct``, ``cad``, ``bool``), quality (source quality of the figure, the
        weakest of its inputs for a computed one; None for the observed ``reached``). Measures: se_enterprises,
        target_share_pct, target_enterprises, grant_cqcm, project_value, grant_per_target_enterprise,
        project_value_per_target_enterprise, max_grants_at_ceiling, cost_at_ceiling; with ``reached`` also reached,
        reached_share_pct, target_attained.

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table, or ``reached`` is negative.

    References
    ----------
    Gouvernement du Québec, press release of 14 September 2021 on the digital-transformation grant to the CQCM,
    seed ``002_f21945bfe187b534.txt`` (first and third paragraphs: 4 M$ grant, 5 M$ project, more than 10 % of the
    social-economy enterprises reached); seed ``003_56f2c147d3edd829.txt`` (11 200 enterprises).
    """
    require_indicators(indicators)
    if reached is not None:
        require_type(reached, (int, np.integer), "reached")
        if isinstance(reached, np.integer):  # a NumPy count is a count: require_positive takes Python numbers only
            reached = int(reached)
        require_positive(reached, "reached", allow_zero=True)
    enterprises = get_indicator(indicators, "se_enterprises", PROVINCE)
    target_pct = get_indicator(indicators, "otn_awareness_target_share", PROVINCE)
    grant_cqcm = get_indicator(indicators, "otn_grant_cqcm", PROVINCE)
    project = get_indicator(indicators, "otn_project_value", PROVINCE)
    share, ceiling = grant_parameters(indicators)
    target_n = enterprises * target_pct / 100.0
    q = {name: indicator_quality(indicators, name, PROVINCE)
         for name in ("se_enterprises", "otn_awareness_target_share", "otn_grant_cqcm", "otn_project_value",
                      "otn_grant_cost_share", "otn_grant_ceiling")}
    target_q = weakest_quality([q["se_enterprises"], q["otn_awareness_target_share"]])
    rows = [
        ("se_enterprises", enterprises, "count", q["se_enterprises"]),
        ("target_share_pct", target_pct, "pct", q["otn_awareness_target_share"]),
        ("target_enterprises", target_n, "count", target_q),
        ("grant_cqcm", grant_cqcm, "cad", q["otn_grant_cqcm"]),
        ("project_value", project, "cad", q["otn_project_value"]),
        ("grant_per_target_enterprise", grant_cqcm / target_n, "cad", weakest_quality([q["otn_grant_cqcm"], target_q])),
        ("project_value_per_target_enterprise", project / target_n, "cad",
         weakest_quality([q["otn_project_value"], target_q])),
        ("max_grants_at_ceiling", grant_cqcm / ceiling, "count",
         weakest_quality([q["otn_grant_cqcm"], q["otn_grant_ceiling"]])),
        ("cost_at_ceiling", ceiling_cost(share, ceiling), "cad",
         weakest_quality([q["otn_grant_cost_share"], q["otn_grant_ceiling"]])),
    ]
    if reached is not None:
        rows += [("reached", float(reached), "count", None),
                 ("reached_share_pct", 100.0 * reached / enterprises, "pct", q["se_enterprises"]),
                 ("target_attained", float(reached >= target_n), "bool", target_q)]
    return pd.DataFrame(rows, columns=["measure", "value", "unit", "quality"])
