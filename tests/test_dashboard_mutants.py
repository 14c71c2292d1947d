"""Dashboard rules the mutants of issue 21 could break unnoticed: threshold names and their errors, the position at
n - 1, n and n + 1 on each side, missing values of every kind, the long table's cells, the case dashboard's marks
and readings, the ratio dashboard's defaults, and the counts and totals of each position.

Hand-made fictitious indicators (synthetic enterprises and values).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.food import dashboard as D
from analysis.food.ratios import RATIO_COLUMNS

# --- thresholds -------------------------------------------------------------------------------------------------------


def test_parse_thresholds_of_each_kind():
    assert D.parse_thresholds({"a_min": 1, "b_max": np.float64(2.5), "min_max": 3}) == {
        "a": ("min", 1.0), "b": ("max", 2.5), "min": ("max", 3.0)}
    assert type(D.parse_thresholds({"a_min": 1})["a"][1]) is float
    assert D.parse_thresholds({}) == {}


@pytest.mark.parametrize("thresholds, field, match", [
    ({"debt_ratio": 0.8}, "thresholds.debt_ratio", r"threshold 'debt_ratio' must end in _min or _max"),
    ({"debt_ratio_minimum": 0.8}, "thresholds.debt_ratio_minimum", "must end in _min or _max"),
    ({"a_min": 1, "a_max": 2}, "thresholds.a_max", r"two thresholds for 'a'"),
    ({"a_max": 1, "a_min": 2}, "thresholds.a_min", r"two thresholds for 'a'"),
    ({"a_min": "1"}, "thresholds.a_min", r"expected a number, got '1'"),
    ({"a_max": True}, "thresholds.a_max", r"expected a number, got True"),
    ({"a_max": None}, "thresholds.a_max", r"expected a number, got None"),
])
def test_parse_thresholds_errors(thresholds, field, match):
    with pytest.raises(ParameterError, match=match) as err:
        D.parse_thresholds(thresholds)
    assert err.value.field == field


def test_thresholds_must_be_a_mapping():
    with pytest.raises(ParameterError) as err:
        D.parse_thresholds([("a_min", 1)])
    assert err.value.field == "thresholds"


# --- positions --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, side, threshold, expected", [
    (9.0, "min", 10.0, "below_min"), (10.0, "min", 10.0, "within"), (11.0, "min", 10.0, "within"),
    (9.0, "max", 10.0, "within"), (10.0, "max", 10.0, "within"), (11.0, "max", 10.0, "above_max"),
    (5, None, None, "no_threshold"), (0.0, None, np.nan, "no_threshold"),
    (None, "min", 10.0, "missing"), (float("nan"), "max", 10.0, "missing"), (pd.NA, "min", 1.0, "missing"),
    (np.nan, None, None, "missing"), (np.float64(9.5), "min", 10.0, "below_min"), (-1, "max", -2, "above_max"),
])
def test_position_on_each_side(value, side, threshold, expected):
    assert D.position(value, side, threshold) == expected


def test_dashboard_positions_cells():
    """Two synthetic enterprises without a name column; e2's values missing (None, pd.NA); z not a column."""
    wide = pd.DataFrame({"enterprise": ["e1", "e2"], "x": [1.0, None], "y": pd.array([5, pd.NA], dtype="Int64")})
    d = D.dashboard_positions(wide, ["y", "x", "z"], {"x_max": 0.5, "y_min": 5})
    assert d.columns.tolist() == D.DASHBOARD_COLUMNS
    assert d["enterprise"].tolist() == ["e1"] * 3 + ["e2"] * 3
    assert d["name"].tolist() == ["e1"] * 3 + ["e2"] * 3  # no name column: the id is the name
    assert d["indicator"].tolist() == ["y", "x", "z"] * 2
    assert d["side"].tolist() == ["min", "max", ""] * 2
    assert d["threshold"].tolist()[:2] == [5.0, 0.5] and math.isnan(d["threshold"].iloc[2])
    assert d["value"].tolist()[:2] == [5.0, 1.0] and d["value"].iloc[2:].isna().all()
    assert d["position"].tolist() == ["within", "above_max", "missing", "missing", "missing", "missing"]
    assert d["bound"].tolist() == [""] * 6


def test_dashboard_positions_other_id_and_label_columns_and_errors():
    wide = pd.DataFrame({"code": ["k"], "label": ["Kappa"], "name": ["wrong"], "v": [2]})
    d = D.dashboard_positions(wide, ("v",), {}, id_column="code", label_column="label")
    assert d[["enterprise", "name", "position", "side"]].values.tolist() == [["k", "Kappa", "no_threshold", ""]]
    assert d["value"].tolist() == [2.0]
    with pytest.raises(ParameterError, match="expected a list of indicators, got the text 'v'") as err:
        D.dashboard_positions(wide, "v", {}, id_column="code")
    assert err.value.field == "indicators"
    with pytest.raises(ParameterError, match="enterprise") as err:
        D.dashboard_positions(wide, ["v"], {})
    assert err.value.field == "wide"
    assert D.dashboard_positions(wide.iloc[:0], ["v"], {}, id_column="code").columns.tolist() == D.DASHBOARD_COLUMNS


# --- the case dashboard -----------------------------------------------------------------------------------------------

def test_case_dashboard_defaults_and_margins_without_reading():
    """Default columns (the five of CASE_DASHBOARD_INDICATORS); margins with no reading column are the stated
    reading; no approximate column: no mark."""
    ind = pd.DataFrame({"case_id": ["a", "b"], "name": ["A", "B"], "revenue_per_employee": [10.0, 30.0],
                        "members_per_employee": [1.0, 2.0], "volunteers_per_employee": [0.5, np.nan],
                        "age_years": [40.0, 3.0]})
    margins = pd.DataFrame({"case_id": ["a"], "gross_margin_per_employee": [7.0]})
    d = D.case_dashboard(ind, margins, {"revenue_per_employee_min": 20, "age_years_max": 30})
    assert d["indicator"].tolist() == list(D.CASE_DASHBOARD_INDICATORS) * 2
    assert d["name"].tolist() == ["A"] * 5 + ["B"] * 5
    cell = d.set_index(["enterprise", "indicator"])
    assert cell.loc[("a", "gross_margin_per_employee"), "value"] == 7.0
    assert cell.loc[("b", "gross_margin_per_employee"), "position"] == "missing"
    assert cell.loc[("a", "revenue_per_employee"), "position"] == "below_min"
    assert cell.loc[("b", "revenue_per_employee"), "position"] == "within"
    assert cell.loc[("a", "age_years"), "position"] == "above_max"
    assert set(d["bound"]) == {""}


def test_case_dashboard_marks_only_their_own_indicator_and_case():
    """b's margin is read two ways (≤ on b's margin only); a's marks are a's; a mark of another field is ignored."""
    ind = pd.DataFrame({"case_id": ["a", "b", "c"], "name": ["A", "B", "C"], "revenue_per_employee": [1.0, 2.0, 3.0],
                        "approximate": ["revenue_per_employee≥;members", None, ""]})
    margins = pd.DataFrame({"case_id": ["a", "b", "b"], "reading": ["share_of_sales", "share_of_sales",
                                                                    "markup_on_cost"],
                            "gross_margin_per_employee": [5.0, 6.0, 4.8]})
    d = D.case_dashboard(ind, margins, {}, columns=("revenue_per_employee", "gross_margin_per_employee"))
    assert d["bound"].tolist() == ["≥", "", "", "≤", "", ""]
    assert d["value"].tolist()[:4] == [1.0, 5.0, 2.0, 6.0] and math.isnan(d["value"].iloc[5])


def test_case_dashboard_margins_without_reading_on_any_index():
    """A margins table without a reading column, indexed 5 and 6: both rows are the stated reading."""
    ind = pd.DataFrame({"case_id": ["a", "b"], "name": ["A", "B"]})
    margins = pd.DataFrame({"case_id": ["b", "a"], "gross_margin_per_employee": [2.0, 1.0]}, index=[5, 6])
    d = D.case_dashboard(ind, margins, {}, columns=["gross_margin_per_employee"])
    assert d["value"].tolist() == [1.0, 2.0] and d["bound"].tolist() == ["", ""]


def test_case_dashboard_refuses_two_stated_margins_for_one_case():
    ind = pd.DataFrame({"case_id": ["a"], "name": ["A"]})
    margins = pd.DataFrame({"case_id": ["a", "a"], "reading": ["share_of_sales"] * 2,
                            "gross_margin_per_employee": [1.0, 2.0]})
    with pytest.raises(pd.errors.MergeError):
        D.case_dashboard(ind, margins, {}, columns=["gross_margin_per_employee"])


def test_case_dashboard_argument_errors():
    ind = pd.DataFrame({"case_id": ["a"], "name": ["A"]})
    with pytest.raises(ParameterError, match=r"\(make it with food\.case_indicators\(cases\)\)$") as err:
        D.case_dashboard(ind.drop(columns="name"), pd.DataFrame({"case_id": [], "gross_margin_per_employee": []}), {})
    assert err.value.field == "indicators"
    with pytest.raises(ParameterError, match=r"gross_margin_per_employee.*food\.margin_cases\(cases, fixed_cost\)") \
            as err:
        D.case_dashboard(ind, pd.DataFrame({"case_id": ["a"]}), {})
    assert err.value.field == "margins"


# --- the ratio dashboard ----------------------------------------------------------------------------------------------

def test_ratio_dashboard_defaults_and_names():
    latest = pd.DataFrame({"enterprise": ["F1", "F2"], **{c: [0.1, 0.3] for c in RATIO_COLUMNS}})
    d = D.ratio_dashboard(latest, {"debt_ratio_max": 0.2})
    assert d["indicator"].tolist() == list(RATIO_COLUMNS) * 2
    assert d["name"].tolist() == ["F1"] * len(RATIO_COLUMNS) + ["F2"] * len(RATIO_COLUMNS)
    pos = d.set_index(["enterprise", "indicator"])["position"]
    assert (pos[("F1", "debt_ratio")], pos[("F2", "debt_ratio")]) == ("within", "above_max")
    one = D.ratio_dashboard(latest[["enterprise", "debt_ratio"]], {}, columns=["debt_ratio"])
    assert one["indicator"].tolist() == ["debt_ratio", "debt_ratio"]
    # other columns never name the enterprise: only its code does
    named = latest[["enterprise", "debt_ratio"]].assign(name=["wrong", "wrong"], ENTERPRISE=["no", "no"])
    assert D.ratio_dashboard(named, {}, columns=["debt_ratio"])["name"].tolist() == ["F1", "F2"]
    with pytest.raises(ParameterError, match=r"current_ratio.*\(make it with food\.latest_year\(ratios\)\)$") as err:
        D.ratio_dashboard(latest.drop(columns="current_ratio"), {})
    assert err.value.field == "latest"


# --- counts and totals ------------------------------------------------------------------------------------------------

def _dashboard() -> pd.DataFrame:
    """Synthetic long table, 3 enterprises × 2 indicators: q below, within, missing; r above, above, within."""
    return pd.DataFrame({"enterprise": ["e1", "e2", "e3", "e1", "e2", "e3"],
                         "indicator": ["q", "q", "q", "r", "r", "r"],
                         "position": ["below_min", "within", "missing", "above_max", "above_max", "within"]})


def test_count_positions_keeps_every_code_and_dashboard_order():
    d = _dashboard().iloc[[3, 4, 5, 0, 1, 2]]  # r first
    counts = D.count_positions(d)
    assert counts.columns.tolist() == ["indicator", *D.POSITIONS]
    assert counts.values.tolist() == [["r", 1, 0, 2, 0, 0], ["q", 1, 1, 0, 0, 1]]
    assert counts.index.tolist() == [0, 1] and counts.columns.name is None
    with pytest.raises(ParameterError, match="dashboard_positions") as err:
        D.count_positions(d.drop(columns="position"))
    assert err.value.field == "dashboard"


def test_position_totals_counts_that_differ_by_kind():
    """Beyond: below 1 + above 2 = 3; within 2; missing 1; 3 enterprises, 2 indicators."""
    assert D.position_totals(_dashboard()) == {"n_enterprises": 3, "n_indicators": 2, "n_beyond": 3, "n_within": 2,
                                               "n_missing": 1}
    with pytest.raises(ParameterError, match=r"enterprise.*\(make it with food\.dashboard_positions\(\), "
                                             r"food\.case_dashboard\(\) or food\.ratio_dashboard\(\)\)$") as err:
        D.position_totals(_dashboard().drop(columns="enterprise"))
    assert err.value.field == "dashboard"
