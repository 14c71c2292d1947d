"""Descriptive dashboard: each enterprise's indicators placed against reference thresholds given as parameters.

Thresholds are named ``<indicator>_min`` or ``<indicator>_max``. A value beyond one is reported as "beyond the
reference", never as a verdict: ten qualitative cases and a few ratios cannot say whether an enterprise is viable.
Positions are codes (:data:`POSITIONS`); the report layer labels and formats them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.core.checks import require_frame, require_type
from analysis.core.errors import ParameterError
from analysis.food.cases import UPPER, parse_marks
from analysis.food.ratios import RATIO_COLUMNS

POSITIONS = ("within", "below_min", "above_max", "no_threshold", "missing")
# The case indicators the dashboard places against their references (the per-employee ratios, the gross margin
# per employee of the cases with a stated margin, and age).
CASE_DASHBOARD_INDICATORS = ("revenue_per_employee", "gross_margin_per_employee", "members_per_employee",
                             "volunteers_per_employee", "age_years")
DASHBOARD_COLUMNS = ["enterprise", "name", "indicator", "value", "side", "threshold", "position", "bound"]
_DASHBOARD_HINT = "make it with food.dashboard_positions(), food.case_dashboard() or food.ratio_dashboard()"


def parse_thresholds(thresholds: Mapping[str, float]) -> dict[str, tuple[str, float]]:
    """Split threshold names into indicator and side.

    Parameters
    ----------
    thresholds : mapping
        ``{"<indicator>_min" or "<indicator>_max": value}``.

    Returns
    -------
    dict
        ``{"equity_ratio_min": 0.1}`` → ``{"equity_ratio": ("min", 0.1)}``.

    Raises
    ------
    ParameterError
        A key without the ``_min`` / ``_max`` suffix, a non-numeric value, or two thresholds for one indicator.
    """
    require_type(thresholds, Mapping, "thresholds")
    out: dict[str, tuple[str, float]] = {}
    for key, value in thresholds.items():
        if key.endswith("_min"):
            name, side = key[:-4], "min"
        elif key.endswith("_max"):
            name, side = key[:-4], "max"
        else:
            raise ParameterError(f"threshold {key!r} must end in _min or _max", field=f"thresholds.{key}")
        if name in out:
            raise ParameterError(f"two thresholds for {name!r}", field=f"thresholds.{key}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise ParameterError(f"expected a number, got {value!r}", field=f"thresholds.{key}")
        out[name] = (side, float(value))
    return out


def position(value: float, side: str | None, threshold: float | None) -> str:
    """Where a value sits against its threshold.

    Parameters
    ----------
    value : float
        The indicator's value (NaN or None when unknown).
    side : {"min", "max"} or None
        Which side of the threshold is the reference; None when the indicator has no threshold.
    threshold : float or None

    Returns
    -------
    str
        ``below_min`` / ``above_max`` (strictly beyond), ``within``, ``no_threshold`` or ``missing``.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "missing"
    if side is None:
        return "no_threshold"
    if side == "min" and value < threshold:
        return "below_min"
    if side == "max" and value > threshold:
        return "above_max"
    return "within"


def dashboard_positions(wide: pd.DataFrame, indicators: Sequence[str], thresholds: Mapping[str, float],
                        id_column: str = "enterprise", label_column: str = "name") -> pd.DataFrame:
    """Place every enterprise's indicators against the thresholds.

    Parameters
    ----------
    wide : DataFrame
        One row per enterprise with ``id_column``, ``label_column`` and the indicators as columns (a missing
        indicator column counts as missing values).
    indicators : sequence of str
        The indicators to place, in display order.
    thresholds : mapping
        ``<indicator>_min`` / ``<indicator>_max`` values (see :func:`parse_thresholds`); other indicators get
        ``no_threshold``.
    id_column, label_column : str
        The enterprise's identifier and display name columns.

    Returns
    -------
    DataFrame
        Long table, one row per enterprise × indicator: ``enterprise``, ``name``, ``indicator``, ``value``,
        ``side`` (``min`` / ``max`` / ``""``), ``threshold``, ``position`` (a code of :data:`POSITIONS`) and
        ``bound`` (``""`` here: the value is taken as exact; :func:`case_dashboard` marks the book's inexact
        figures).
    """
    require_frame(wide, "wide", (id_column,))
    if isinstance(indicators, str):
        raise ParameterError(f"expected a list of indicators, got the text {indicators!r}", field="indicators")
    parsed = parse_thresholds(thresholds)
    rows = []
    for rec in wide.to_dict("records"):
        for ind in indicators:
            value = rec.get(ind, np.nan)
            value = np.nan if value is None or value is pd.NA else float(value)
            side, th = parsed.get(ind, (None, np.nan))
            rows.append({
                "enterprise": rec[id_column],
                "name": rec.get(label_column, rec[id_column]),
                "indicator": ind,
                "value": value,
                "side": side if side else "",
                "threshold": th,
                "position": position(value, side, th),
                "bound": "",
            })
    return pd.DataFrame(rows, columns=DASHBOARD_COLUMNS)


def case_dashboard(indicators: pd.DataFrame, margins: pd.DataFrame, thresholds: Mapping[str, float],
                   columns: Sequence[str] = CASE_DASHBOARD_INDICATORS) -> pd.DataFrame:
    """The TIESS cases' dashboard: their indicators and gross margin per employee against the thresholds.

    The gross margin per employee is the ``share_of_sales`` reading of :func:`analysis.food.margin_cases` (the
    margin as the book states it); a case whose margin may also be a markup on cost gets the mark ``≤``, since that
    reading leaves less. The book's approximate figures and bounds carry their mark (``≈``, ``≥``, ``≤``) in
    ``bound``, from the ``approximate`` column of :func:`analysis.food.case_indicators`.

    Parameters
    ----------
    indicators : DataFrame
        :func:`analysis.food.case_indicators` output.
    margins : DataFrame
        :func:`analysis.food.margin_cases` output (gross margin per employee of the cases that state a margin).
    thresholds : mapping
        ``<indicator>_min`` / ``<indicator>_max`` values.
    columns : sequence of str
        The indicators placed (default :data:`CASE_DASHBOARD_INDICATORS`).

    Returns
    -------
    DataFrame
        :func:`dashboard_positions` output, enterprises identified by ``case_id`` and named by ``name``, with
        ``bound`` filled.
    """
    require_frame(indicators, "indicators", ("case_id", "name"), hint="make it with food.case_indicators(cases)")
    require_frame(margins, "margins", ("case_id", "gross_margin_per_employee"),
                  hint="make it with food.margin_cases(cases, fixed_cost)")
    readings = margins["reading"] if "reading" in margins else pd.Series("share_of_sales", index=margins.index)
    stated = margins.loc[readings == "share_of_sales", ["case_id", "gross_margin_per_employee"]]
    other_reading = set(margins.loc[readings != "share_of_sales", "case_id"])
    wide = indicators.merge(stated, on="case_id", how="left", validate="1:1")
    out = dashboard_positions(wide, list(columns), thresholds, id_column="case_id")
    marks = dict(zip(indicators["case_id"], indicators["approximate"], strict=True)) \
        if "approximate" in indicators else {}
    bounds = []
    for case, indicator in zip(out["enterprise"], out["indicator"], strict=True):
        mark = parse_marks(marks.get(case, "")).get(indicator, "")
        if indicator == "gross_margin_per_employee" and case in other_reading:
            mark = UPPER
        bounds.append(mark)
    out["bound"] = bounds
    return out


def ratio_dashboard(latest: pd.DataFrame, thresholds: Mapping[str, float],
                    columns: Sequence[str] = RATIO_COLUMNS) -> pd.DataFrame:
    """The financial ratios of each enterprise's latest year against the thresholds.

    Parameters
    ----------
    latest : DataFrame
        :func:`analysis.food.latest_year` output (one row per enterprise).
    thresholds : mapping
        ``<indicator>_min`` / ``<indicator>_max`` values.
    columns : sequence of str
        The ratios placed (default: every ratio of :data:`analysis.food.ratios.RATIO_COLUMNS`).

    Returns
    -------
    DataFrame
        :func:`dashboard_positions` output, enterprises identified and named by ``enterprise``.
    """
    require_frame(latest, "latest", ("enterprise", *columns), hint="make it with food.latest_year(ratios)")
    return dashboard_positions(latest, list(columns), thresholds, id_column="enterprise", label_column="enterprise")


def count_positions(dashboard: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, how many enterprises are in each position.

    Parameters
    ----------
    dashboard : DataFrame
        :func:`dashboard_positions` output.

    Returns
    -------
    DataFrame
        ``indicator`` then one count column per code of :data:`POSITIONS` (all shown, zeros kept), indicators in
        dashboard order.
    """
    require_frame(dashboard, "dashboard", ("indicator", "position"), hint=_DASHBOARD_HINT)
    table = pd.crosstab(dashboard["indicator"], dashboard["position"]).reindex(columns=list(POSITIONS), fill_value=0)
    order = list(dict.fromkeys(dashboard["indicator"]))
    return table.reindex(order).reset_index().rename_axis(columns=None)


def position_totals(dashboard: pd.DataFrame) -> dict[str, int]:
    """Totals for the dashboard's text alternative.

    Parameters
    ----------
    dashboard : DataFrame
        :func:`dashboard_positions` output.

    Returns
    -------
    dict
        ``n_enterprises``, ``n_indicators``, ``n_beyond`` (below a minimum or above a maximum), ``n_within``,
        ``n_missing``.
    """
    require_frame(dashboard, "dashboard", ("enterprise", "indicator", "position"), hint=_DASHBOARD_HINT)
    pos = dashboard["position"]
    return {"n_enterprises": int(dashboard["enterprise"].nunique()),
            "n_indicators": int(dashboard["indicator"].nunique()),
            "n_beyond": int(pos.isin(["below_min", "above_max"]).sum()), "n_within": int((pos == "within").sum()),
            "n_missing": int((pos == "missing").sum())}
