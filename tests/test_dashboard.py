"""Dashboard positions against parameter thresholds (hand-made fictitious indicators)."""

import math

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.food import dashboard as D

WIDE = pd.DataFrame({
    "enterprise": ["x", "y", "z"],
    "name": ["X", "Y", "Z"],
    "revenue_per_employee": [40_000.0, 60_000.0, math.nan],
    "debt_ratio": [0.9, 0.5, 0.8],
    "members_per_employee": [3.0, 4.0, 5.0],
})
THRESHOLDS = {"revenue_per_employee_min": 50_000, "debt_ratio_max": 0.8}


def test_parse_thresholds():
    assert D.parse_thresholds(THRESHOLDS) == {"revenue_per_employee": ("min", 50_000.0), "debt_ratio": ("max", 0.8)}
    with pytest.raises(ParameterError):
        D.parse_thresholds({"debt_ratio": 0.8})


def test_positions_by_hand():
    d = D.dashboard_positions(WIDE, ["revenue_per_employee", "debt_ratio", "members_per_employee"], THRESHOLDS)
    pos = d.set_index(["enterprise", "indicator"])["position"]
    assert pos[("x", "revenue_per_employee")] == "below_min"
    assert pos[("y", "revenue_per_employee")] == "within"
    assert pos[("z", "revenue_per_employee")] == "missing"
    assert pos[("x", "debt_ratio")] == "above_max"
    assert pos[("z", "debt_ratio")] == "within"  # exactly at the threshold is not beyond it
    assert pos[("x", "members_per_employee")] == "no_threshold"
    counts = D.count_positions(d).set_index("indicator")
    assert counts.loc["revenue_per_employee", "below_min"] == 1
    assert counts.loc["debt_ratio", "above_max"] == 1 and counts.loc["debt_ratio", "within"] == 2
    assert list(counts.columns) == list(D.POSITIONS)


def test_position_totals():
    d = D.dashboard_positions(WIDE, ["revenue_per_employee", "debt_ratio", "members_per_employee"], THRESHOLDS)
    assert D.position_totals(d) == {"n_enterprises": 3, "n_indicators": 3, "n_beyond": 2, "n_within": 3,
                                    "n_missing": 1}


def test_report_parameters_accept_missing_datasets_and_reject_unknown_thresholds():
    """The viability report must render when an external dataset is absent (its section then shows a note)."""
    from analysis.core import params

    values = params.load_param_file(params.paths.PARAMS / "viabilite_alimentaire" / "default.yaml")
    values.update(food_hub_survey="data/external/absent/food_hubs.csv", statements="data/private/absent.csv")
    checked = params.validate("viabilite_alimentaire", values)
    assert checked["food_hub_survey"].endswith("absent/food_hubs.csv")
    with pytest.raises(ParameterError):
        params.validate("viabilite_alimentaire", {**values, "thresholds": {"equity_ration_min": 0.1}})
    synthetic = params.validate_file("viabilite_alimentaire",
                                     params.paths.PARAMS / "viabilite_alimentaire" / "synthetic_statements.yaml")
    assert synthetic["synthetic_seed"] == 2026 and synthetic["statements"] is None


def test_case_dashboard_marks_the_book_bounds_and_the_other_margin_reading():
    """Hand-made indicators: a lower-bound member count, an approximate revenue, a margin read two ways."""
    ind = pd.DataFrame({"case_id": ["a", "b"], "name": ["A", "B"], "revenue_per_employee": [40_000.0, 60_000.0],
                        "members_per_employee": [33.3, 2.0], "age_years": [43.0, 5.0],
                        "approximate": ["members;members_per_employee≥;age_years≥", "revenue_per_employee"]})
    margins = pd.DataFrame({"case_id": ["b", "b"], "reading": ["share_of_sales", "markup_on_cost"],
                            "gross_margin_per_employee": [36_000.0, 31_304.35]})
    d = D.case_dashboard(ind, margins, {"gross_margin_per_employee_min": 40_000},
                         columns=["revenue_per_employee", "gross_margin_per_employee", "members_per_employee",
                                  "age_years"])
    cell = d.set_index(["enterprise", "indicator"])
    assert cell.loc[("a", "members_per_employee"), "bound"] == "≥"
    assert cell.loc[("a", "age_years"), "bound"] == "≥"
    assert cell.loc[("b", "revenue_per_employee"), "bound"] == "≈"
    # the stated reading is placed; the markup reading leaves less, so the value is an upper bound
    assert cell.loc[("b", "gross_margin_per_employee"), "value"] == 36_000
    assert cell.loc[("b", "gross_margin_per_employee"), "bound"] == "≤"
    assert cell.loc[("b", "gross_margin_per_employee"), "position"] == "below_min"
    assert cell.loc[("a", "revenue_per_employee"), "bound"] == ""
