"""Case-study rules the mutants of issue 21 could break unnoticed: how each mark of the book travels to a ratio, the
age bounds, the food activity's share of revenue, the exact tests at their group-size limits, Fisher counts that
differ by cell, the margin readings and their order, the age threshold at 29/30/31, the selections and the
summaries' ties, and every argument error.

Synthetic enterprises built in code (fictitious names and round numbers, not the TIESS cases, which
``tests/test_cases.py`` reads); the shipped indicators table where its survival rates are asserted.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.ecosystem.indicators import load_indicators
from analysis.food import cases as C


def toy(**columns) -> pd.DataFrame:
    """Synthetic case table of len(columns['case_id']) rows: defaults for every column not given."""
    n = len(columns.get("case_id", ["a"]))
    base = {"case_id": [f"c{i}" for i in range(n)], "name": [f"N{i}" for i in range(n)],
            "legal_status": ["obnl"] * n, "region": ["R"] * n, "geographic_zone": ["urban"] * n,
            "territorial_scale": [None] * n, "food_system_roles": ["retail_distribution"] * n,
            "founded_year": [2000] * n, "reference_year": [2020] * n, "employees": [10] * n,
            "volunteers": [20] * n, "members": [100] * n, "revenue_cad": [1000] * n}
    base.update(columns)
    df = pd.DataFrame(base)
    for col in ("founded_year", "reference_year", "employees", "volunteers", "members", "revenue_cad"):
        df[col] = pd.array(df[col], dtype="Int64")
    return df


# --- status and roles -----------------------------------------------------------------------------------------------

def test_status_group_by_prefix():
    s = pd.Series(["coop_consumer", "coop_producer", "obnl", None, "cooperative"], index=[5, 6, 7, 8, 9])
    g = C.status_group(s)
    assert g.tolist() == ["coop", "coop", "obnl", "obnl", "obnl"] and g.index.tolist() == [5, 6, 7, 8, 9]
    with pytest.raises(ParameterError, match=r"pass cases\['legal_status'\]") as err:
        C.status_group(["coop_consumer"])
    assert err.value.field == "legal_status"


def test_roles_are_whole_codes_and_zone_missing_is_unknown():
    ind = C.case_indicators(toy(case_id=["a", "b", "c", "d"], legal_status=["coop_solidarity", "obnl", "obnl", "obnl"],
                                geographic_zone=["rural", None, "urban", "periurban"],
                                food_system_roles=["online_platform;ecological_production", None,
                                                   "retail_distribution_x", "retail_distribution"]))
    f = C.case_features(ind)
    assert f.columns.tolist() == ["case_id", "status_group", "urban", "retail_distribution", "online_platform",
                                  "ecological_production"]
    assert f["urban"].tolist()[0] == 0.0 and math.isnan(f["urban"].iloc[1]) and f["urban"].tolist()[2:] == [1.0, 0.0]
    assert f["retail_distribution"].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert f["online_platform"].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert f["ecological_production"].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert f["status_group"].tolist() == ["coop", "obnl", "obnl", "obnl"]
    assert all(f[c].dtype == float for c in ("urban", "retail_distribution", "online_platform",
                                             "ecological_production"))
    with pytest.raises(ParameterError, match=r"food_system_roles.*food\.case_indicators\(cases\)") as err:
        C.case_features(ind.drop(columns="food_system_roles"))
    assert err.value.field == "indicators"


# --- marks ------------------------------------------------------------------------------------------------------------

def test_parse_marks_of_each_kind():
    assert C.parse_marks("revenue_cad;;volunteers≥;members≤") == {"revenue_cad": "≈", "volunteers": "≥",
                                                                  "members": "≤"}
    assert C.parse_marks("") == {} and C.parse_marks(None) == {} and C.parse_marks(float("nan")) == {}


@pytest.mark.parametrize("numerator, denominator, expected", [
    (None, None, None), ("≈", None, "≈"), ("≥", None, "≥"), (None, "≥", "≤"), (None, "≤", "≥"), (None, "≈", "≈"),
    ("≥", "≤", "≥"), ("≤", "≥", "≤"), ("≥", "≥", "≈"), ("≤", "≤", "≈"), ("≈", "≥", "≈"), ("≥", "≈", "≈"),
])
def test_the_mark_of_a_ratio(numerator, denominator, expected):
    assert C._ratio_mark(numerator, denominator) == expected


def test_a_lower_bound_on_employees_flips_the_ratios_and_an_approximate_one_blurs_them():
    """a: employees at least 10 → volunteers (exact) per employee at most, members (≈) per employee ≈; revenue ≈ is
    also the food revenue's mark. b: no employee: no ratio, so no derived mark. c: no mark at all."""
    ind = C.case_indicators(toy(case_id=["a", "b", "c"], employees=[10, 0, 5],
                                approximate_fields=["members;revenue_cad", "revenue_cad", None],
                                lower_bound_fields=["employees", "volunteers", ""]))
    assert ind["approximate"].tolist() == [
        "members;revenue_cad;employees≥;revenue_per_employee;volunteers_per_employee≤;members_per_employee;"
        "food_revenue_cad",
        "revenue_cad;volunteers≥;food_revenue_cad",
        ""]


def test_without_mark_columns_nothing_is_marked():
    ind = C.case_indicators(toy(case_id=["a", "b"]))
    assert ind["approximate"].tolist() == ["", ""]


def test_revenue_mark_not_given_to_a_partial_food_revenue():
    """a: food 600 of 1 000 (partial: mark not carried); b: food 1 000 of 1 000 (the whole: not partial, carried)."""
    ind = C.case_indicators(toy(case_id=["a", "b", "c"], approximate_fields=["revenue_cad"] * 3,
                                food_revenue_cad=pd.array([600, 1000, None], dtype="Int64")))
    assert ind["food_revenue_partial"].tolist() == [True, False, False] and ind["food_revenue_partial"].dtype == bool
    assert ind["food_revenue_cad"].tolist() == [600.0, 1000.0, 1000.0]
    assert [C.parse_marks(m).get("food_revenue_cad") for m in ind["approximate"]] == [None, "≈", "≈"]


# --- ages and layout --------------------------------------------------------------------------------------------------

def test_age_from_a_decade_only_when_the_year_is_unknown():
    """a: founded 2000 (exact 20, bounds ignored); b: founded between 1990 and 1995 (at least 25, at most 30);
    c: only a latest year 2010 (at least 10, at most unknown); d: nothing (unknown)."""
    ind = C.case_indicators(toy(case_id=["a", "b", "c", "d"], founded_year=[2000, None, None, None],
                                founded_year_min=pd.array([1980, 1990, None, None], dtype="Int64"),
                                founded_year_max=pd.array([1985, 1995, 2010, None], dtype="Int64")))
    assert ind["age_years"].tolist()[:3] == [20.0, 25.0, 10.0] and math.isnan(ind["age_years"].iloc[3])
    assert ind["age_min"].tolist()[:3] == [20.0, 25.0, 10.0]
    assert ind["age_max"].tolist()[:2] == [20.0, 30.0] and ind["age_max"].iloc[2:].isna().all()
    assert ind["approximate"].tolist() == ["", "age_years≥", "age_years≥", ""]


def test_numbers_written_as_text_are_read_as_numbers():
    """A case table built by hand with text cells (object columns, one missing as pd.NA) gives the same numbers."""
    cases = toy(case_id=["a", "b"])
    for col, values in (("founded_year", ["2000", "2010"]), ("volunteers", ["20", pd.NA]), ("members", ["100", "7"]),
                        ("revenue_cad", ["1000", "500"])):
        cases[col] = pd.Series(values, dtype=object)
    ind = C.case_indicators(cases)
    assert ind["age_years"].tolist() == [20.0, 10.0]
    assert ind["volunteers_per_employee"].iloc[0] == 2.0 and math.isnan(ind["volunteers_per_employee"].iloc[1])
    assert ind["members_per_employee"].tolist() == [10.0, 0.7]
    assert ind["revenue_per_employee"].tolist() == [100.0, 50.0]


def test_layout_types_and_index_of_case_indicators():
    cases = toy(case_id=["a", "b"], employees=[4, 2], revenue_cad=[1000, 500], volunteers=[None, 3])
    cases.index = [10, 20]
    ind = C.case_indicators(cases)
    assert ind.index.tolist() == [0, 1]
    assert ind.columns.tolist() == [
        "case_id", "name", "legal_status", "status_group", "region", "geographic_zone", "territorial_scale",
        "food_system_roles", "founded_year", "reference_year", "employees", "volunteers", "members", "revenue_cad",
        "food_revenue_cad", "food_revenue_partial", "age_years", "age_min", "age_max", "revenue_per_employee",
        "volunteers_per_employee", "members_per_employee", "approximate"]
    assert ind["revenue_per_employee"].tolist() == [250.0, 250.0]
    assert math.isnan(ind["volunteers_per_employee"].iloc[0]) and ind["volunteers_per_employee"].iloc[1] == 1.5
    assert ind["members_per_employee"].tolist() == [25.0, 50.0]
    for col in ("founded_year", "employees", "revenue_cad", "food_revenue_cad", "age_years", "age_min", "age_max",
                "revenue_per_employee"):
        assert ind[col].dtype == "float64", col
    with pytest.raises(ParameterError, match=r"revenue_cad.*food\.load_cases\(\)") as err:
        C.case_indicators(cases.drop(columns="revenue_cad"))
    assert err.value.field == "cases"


# --- ranges and exact tests -----------------------------------------------------------------------------------------

def test_summarize_range_of_each_kind():
    assert C.summarize_range([4, None, 1, 3, 10]) == {"n": 4, "min": 1.0, "median": 3.5, "max": 10.0}
    assert C.summarize_range(np.array([2.0])) == {"n": 1, "min": 2.0, "median": 2.0, "max": 2.0}
    empty = C.summarize_range(pd.Series([np.nan]))
    assert empty["n"] == 0 and all(math.isnan(empty[k]) for k in ("min", "median", "max"))
    with pytest.raises(ParameterError) as err:
        C.summarize_range({1, 2})
    assert err.value.field == "values"


@pytest.mark.parametrize("n1, n2, expected", [(0, 3, 1.0), (1, 1, 1.0), (1, 2, 2 / 3), (2, 2, 2 / 6),
                                              (2, 3, 2 / 10), (6, 4, 2 / 210), (np.int64(3), 3, 2 / 20)])
def test_min_exact_p(n1, n2, expected):
    assert C.min_exact_p(n1, n2) == pytest.approx(expected)


@pytest.mark.parametrize("n1, n2, field", [(-1, 3, "n1"), (True, 3, "n1"), (2.0, 3, "n1"), (3, -1, "n2"),
                                           (3, "4", "n2")])
def test_min_exact_p_refuses(n1, n2, field):
    bad = n1 if field == "n1" else n2
    with pytest.raises(ParameterError, match=rf"whole number of cases \(0 or more\), got {bad!r}") as err:
        C.min_exact_p(n1, n2)
    assert err.value.field == field


def test_permutation_test_by_hand():
    # [3] vs [1, 2]: observed 3 - 1.5 = 1.5; splits {3}: 1.5, {1}: -1.5, {2}: 0 → 2 of 3 as extreme
    assert C.permutation_test([3], [1, 2]) == (1.5, pytest.approx(2 / 3), 3)
    # equal groups: every split is at least as extreme as 0
    assert C.permutation_test([1, 2], [2, 1]) == (0.0, 1.0, 6)
    # [10, 20] vs [1, 2, 3]: 10 splits; only {10, 20} (13) is as extreme as observed 15 - 2 = 13
    diff, p, n = C.permutation_test([10, 20], [1, 2, 3])
    assert (diff, n) == (13.0, 10) and p == pytest.approx(1 / 10)
    assert C.permutation_test(["3"], ("1", "2")) == (1.5, pytest.approx(2 / 3), 3)  # numbers as text: read as numbers
    for x, y, field in (([], [1], "x"), ([1], [], "y")):
        with pytest.raises(ParameterError, match=r"\] each group needs at least one value$") as err:
            C.permutation_test(x, y)
        assert err.value.field == field


def test_permutation_test_counts_a_split_equal_up_to_rounding():
    """0.1 + 0.2 is not 0.3 in floating point: the splits {0.1, 0.2} and {0.3, 0} give the same difference up to
    rounding and both count (p = 2/6 with 0 and 0.3 swapping too)."""
    diff, p, n = C.permutation_test([0.1, 0.2], [0.3, 0.0])
    assert diff == pytest.approx(0.0) and n == 6
    assert p == pytest.approx(1.0)


def test_exact_group_tests_at_the_group_size_limits():
    """v: coop 1, 2 and obnl 3, 4 (two each: tested; separation → U = 0, p = 2/6 both tests); w: one obnl value
    known (not tested, 0 splits); the marks count only the column's own, on rows kept."""
    ind = pd.DataFrame({"status_group": ["coop", "coop", "obnl", "obnl", "obnl"],
                        "v": [1.0, 2.0, 3.0, 4.0, np.nan], "w": [5.0, 7.0, np.nan, 9.0, np.nan],
                        "approximate": ["v", "w≥", "v≥;w", "v_extra", "v"]})
    t = C.exact_group_tests(ind, ["v", "w"]).set_index("indicator")
    assert t.loc["v", ["n_coop", "n_obnl", "n_splits", "n_inexact"]].tolist() == [2, 2, 6, 2]
    assert (t.loc["v", "median_coop"], t.loc["v", "median_obnl"]) == (1.5, 3.5)
    assert t.loc["v", "u_statistic"] == 0.0 and t.loc["v", "mean_difference"] == -2.0
    assert t.loc["v", "p_mannwhitney"] == pytest.approx(1 / 3) and t.loc["v", "p_permutation"] == pytest.approx(1 / 3)
    assert t.loc["v", "min_p"] == pytest.approx(1 / 3)
    assert t.loc["w", ["n_coop", "n_obnl", "n_splits", "n_inexact"]].tolist() == [2, 1, 0, 1]
    assert t.loc["w", "median_obnl"] == 9.0 and t.loc["w", "median_coop"] == 6.0
    assert t.loc["w", ["u_statistic", "p_mannwhitney", "mean_difference", "p_permutation", "min_p"]].isna().all()
    out = C.exact_group_tests(ind.drop(columns="approximate"), ["v"])
    assert out.columns.tolist() == ["indicator", "n_coop", "n_obnl", "median_coop", "median_obnl", "u_statistic",
                                    "p_mannwhitney", "mean_difference", "p_permutation", "n_splits", "min_p",
                                    "n_inexact"]
    assert out.loc[0, "n_inexact"] == 0 and out["n_splits"].dtype.kind == "i" and out["n_inexact"].dtype.kind == "i"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no median of an empty group is attempted (numpy would warn)
        none = C.exact_group_tests(ind.assign(v=np.nan), ["v"])
    assert none.loc[0, ["n_coop", "n_obnl"]].tolist() == [0, 0] and math.isnan(none.loc[0, "median_coop"])
    assert math.isnan(none.loc[0, "median_obnl"])
    for col in ("u_statistic", "p_mannwhitney", "mean_difference", "p_permutation", "min_p"):
        assert none[col].dtype == float and math.isnan(none.loc[0, col]), col
    text = C.exact_group_tests(ind.assign(v=["1", "2", "3", "4", None]), ["v"])  # numbers as text
    assert text.loc[0, ["median_coop", "median_obnl", "mean_difference"]].tolist() == [1.5, 3.5, -2.0]


def test_exact_group_tests_default_columns_and_missing_ones():
    ind = C.case_indicators(toy(case_id=["a", "b", "c", "d"], legal_status=["coop_consumer"] * 2 + ["obnl"] * 2,
                                revenue_cad=[100, 200, 300, 400], employees=[1] * 4))
    t = C.exact_group_tests(ind)
    assert t["indicator"].tolist() == list(C.RATIO_INDICATORS)
    assert t.loc[0, "mean_difference"] == -200.0  # 150 - 350
    with pytest.raises(ParameterError, match=r"nope.*food\.case_indicators\(cases\)") as err:
        C.exact_group_tests(ind, ["nope"])
    assert err.value.field == "indicators"


def test_fisher_counts_each_cell_and_the_odds_ratio():
    """t: coop 1, 1, 1, 0 and obnl 1, 0, 0 (+ one uncoded) → [[3, 1], [1, 2]], odds ratio 3·2 / (1·1) = 6; the
    hypergeometric probabilities of 1..4 coop yes are 4, 18, 12, 1 (/35), two-sided p = (4 + 12 + 1)/35."""
    f = pd.DataFrame({"case_id": list("abcdefgh"), "status_group": ["coop"] * 4 + ["obnl"] * 4,
                      "t": [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, np.nan], "u": [0.0] * 8})
    out = C.fisher_tests(f)
    assert out["trait"].tolist() == ["t", "u"]
    assert out.columns.tolist() == ["trait", "n", "coop_yes", "coop_no", "obnl_yes", "obnl_no", "odds_ratio",
                                    "p_fisher"]
    assert out.loc[0, ["n", "coop_yes", "coop_no", "obnl_yes", "obnl_no"]].tolist() == [7, 3, 1, 1, 2]
    assert out.loc[0, "odds_ratio"] == 6.0 and out.loc[0, "p_fisher"] == pytest.approx(17 / 35)
    assert C.fisher_tests(f, ["u"])["trait"].tolist() == ["u"]
    with pytest.raises(ParameterError, match=r"nope.*\(make it with food\.case_features\(indicators\)\)$") as err:
        C.fisher_tests(f, ["nope"])
    assert err.value.field == "features"
    with pytest.raises(ParameterError, match=r"status_group.*\(make it with food\.case_features\(indicators\)\)$") \
            as err:
        C.fisher_tests(f.drop(columns="status_group"))
    assert err.value.field == "features"


# --- margins ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("margin", [0, -0.1, 1.01, 22, True, "0.22", None])
def test_break_even_refuses_a_margin_outside_zero_one(margin):
    with pytest.raises(ParameterError, match=rf"fraction in \(0, 1\] \(0\.22, not 22\), got {margin!r}") as err:
        C.break_even_sales(1000, margin)
    assert err.value.field == "margin"


def test_break_even_at_margin_one_and_zero_cost():
    assert C.break_even_sales(1000, 1) == 1000.0 and C.break_even_sales(0, 0.5) == 0.0
    with pytest.raises(ParameterError) as err:
        C.break_even_sales(-1, 0.5)
    assert err.value.field == "fixed_cost"


@pytest.mark.parametrize("markup", [-0.01, math.inf, True, "0.15", None])
def test_markup_refused(markup):
    with pytest.raises(ParameterError, match=rf"zero or more \(0\.15, not 15\), got {markup!r}") as err:
        C.markup_to_margin(markup)
    assert err.value.field == "markup"


def test_markup_of_each_kind():
    assert C.markup_to_margin(0) == 0.0 and C.markup_to_margin(1) == 0.5
    assert C.markup_to_margin(np.float64(0.25)) == 0.2 and type(C.markup_to_margin(np.float64(0.25))) is float


def test_margin_cases_readings_order_and_missing_figures():
    """Margins (synthetic): a 10 % of sales, b 25 % unstated basis (two readings: 25 % and 25/125 = 20 %), c 25 %
    with a missing basis (sales), d none; c has no employee and b no revenue. Fixed cost 1 000 $."""
    cases = toy(case_id=["a", "b", "c", "d"], revenue_cad=[5000, None, 8000, 100], employees=[2, 5, 0, 1],
                gross_margin_pct=[10.0, 25.0, 25.0, None], margin_basis=["sales", "unstated", None, "sales"])
    m = C.margin_cases(cases, 1000)
    assert m.columns.tolist() == ["case_id", "name", "margin", "reading", "margin_on_sales", "revenue_cad",
                                  "employees", "gross_margin_cad", "gross_margin_per_employee", "fixed_cost",
                                  "break_even_sales", "sales_to_break_even"]
    assert list(zip(m["case_id"], m["reading"], strict=True)) == [
        ("b", "share_of_sales"), ("c", "share_of_sales"), ("b", "markup_on_cost"), ("a", "share_of_sales")]
    assert m["margin"].tolist() == [0.25, 0.25, 0.25, 0.1]
    assert m["margin_on_sales"].tolist() == pytest.approx([0.25, 0.25, 0.2, 0.1])
    assert m["break_even_sales"].tolist() == pytest.approx([4000, 4000, 5000, 10000])
    assert m["fixed_cost"].tolist() == [1000.0] * 4
    a = m.iloc[3]
    assert (a["gross_margin_cad"], a["gross_margin_per_employee"], a["sales_to_break_even"]) == (500.0, 250.0, 0.5)
    c = m.iloc[1]
    assert c["gross_margin_cad"] == 2000.0 and math.isnan(c["gross_margin_per_employee"])
    assert c["sales_to_break_even"] == 2.0 and c["name"] == "N2"
    assert math.isnan(m.iloc[0]["revenue_cad"]) and math.isnan(m.iloc[0]["gross_margin_cad"])
    assert m.index.tolist() == [0, 1, 2, 3]


def test_margin_cases_without_any_stated_margin():
    m = C.margin_cases(toy(case_id=["a"], gross_margin_pct=[None]), 1000)
    assert m.empty and m.columns.tolist() == ["case_id", "name", "margin", "reading", "margin_on_sales", "revenue_cad",
                                              "employees", "gross_margin_cad", "gross_margin_per_employee",
                                              "fixed_cost", "break_even_sales", "sales_to_break_even"]


def test_margin_cases_without_basis_column_and_with_no_employee_figure():
    cases = toy(case_id=["a"], employees=[None], gross_margin_pct=[50.0])
    m = C.margin_cases(cases, 0)
    assert m["reading"].tolist() == ["share_of_sales"] and m["break_even_sales"].tolist() == [0.0]
    assert math.isnan(m.loc[0, "employees"]) and m.loc[0, "gross_margin_cad"] == 500.0
    with pytest.raises(ParameterError) as err:
        C.margin_cases(cases, -5)
    assert err.value.field == "fixed_cost"
    with pytest.raises(ParameterError, match=r"gross_margin_pct.*food\.load_cases\(\)") as err:
        C.margin_cases(cases.drop(columns="gross_margin_pct"), 0)
    assert err.value.field == "cases"


# --- themes -----------------------------------------------------------------------------------------------------------

def test_theme_matrix_other_kinds_ids_as_text_and_axes():
    st = pd.DataFrame({"case_id": ["1", "1", "2", "9"], "kind": ["learning", "challenge", "learning", "learning"],
                       "theme": ["support", "support", "operations", "support"]})
    m = C.theme_matrix(st, pd.DataFrame({"case_id": [2, 1]}), kinds=("learning",))
    assert m.index.tolist() == ["2", "1"] and m.index.name == "case_id" and m.columns.name == "theme"
    assert m.loc["1", "support"] == 1 and m.loc["2", "operations"] == 1 and int(m.to_numpy().sum()) == 2
    assert all(dtype.kind == "i" for dtype in m.dtypes)
    with pytest.raises(ParameterError, match="risk") as err:
        C.theme_matrix(st, pd.DataFrame({"case_id": ["1"]}), kinds=["challenge", "risk"])
    assert err.value.field == "kinds"
    with pytest.raises(ParameterError, match=r"load_case_statements\(\)") as err:
        C.theme_matrix(st.drop(columns="kind"), pd.DataFrame({"case_id": ["1"]}))
    assert err.value.field == "statements"
    with pytest.raises(ParameterError, match=r"food\.load_cases\(\)") as err:
        C.theme_matrix(st, pd.DataFrame({"id": ["1"]}))
    assert err.value.field == "cases"


def test_matrix_summary_ties_go_to_the_first_and_totals():
    m = pd.DataFrame([[2, 2, 0], [1, 0, 3], [0, 0, 0]], index=["a", "b", "c"], columns=["t1", "t2", "t3"])
    # themes 3, 2, 3 → t1 first of the tie; cases 4, 4, 0 → a first of the tie
    assert C.matrix_summary(m) == {"total": 8, "top_theme": "t1", "top_count": 3, "top_case": "a",
                                   "top_case_count": 4}
    with pytest.raises(ParameterError, match=r"food\.theme_matrix\(statements, cases\)") as err:
        C.matrix_summary([[1]])
    assert err.value.field == "matrix"


# --- ages ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("age, older, younger", [(29.0, 0, 1), (30.0, 0, 1), (31.0, 1, 0)])
def test_age_threshold_is_strict(age, older, younger):
    ind = pd.DataFrame({"age_years": [age]})
    b = C.age_benchmark(ind)  # default threshold 30
    assert (b["n_older"], b["n_known"], b["n_unknown"]) == (older, 1, 0)
    assert b["threshold"] == 30.0 and b["share_older"] == older
    assert b["n_bounded"] == 0 and b["age_median"] == age


def test_age_benchmark_without_bounds_columns_and_unknown_ages():
    """Ages 40, 10 and one unknown: 2 known, 1 older (share 1/2), median of the known 25."""
    b = C.age_benchmark(pd.DataFrame({"age_years": [40.0, np.nan, 10.0]}), threshold=20)
    assert (b["n_known"], b["n_unknown"], b["n_older"], b["n_bounded"]) == (2, 1, 1, 0)
    assert b["share_older"] == 0.5 and b["threshold"] == 20.0 and type(b["threshold"]) is float
    assert (b["age_median"], b["age_median_low"], b["age_median_high"]) == (25.0, 25.0, 25.0)
    none = C.age_benchmark(pd.DataFrame({"age_years": [np.nan]}))
    assert none["n_known"] == 0 and math.isnan(none["share_older"]) and math.isnan(none["age_median"])
    assert math.isnan(none["age_median_low"]) and math.isnan(none["age_median_high"])
    with pytest.raises(ParameterError) as err:
        C.age_benchmark(pd.DataFrame({"age_years": [1.0]}), threshold=-1)
    assert err.value.field == "threshold"
    with pytest.raises(ParameterError, match=r"age_years.*food\.case_indicators\(cases\)") as err:
        C.age_benchmark(pd.DataFrame({"age": [1.0]}))
    assert err.value.field == "indicators"


def test_age_threshold_zero():
    b = C.age_benchmark(pd.DataFrame({"age_years": [0.0, 1.0]}), threshold=0)
    assert (b["n_known"], b["n_older"], b["threshold"]) == (2, 1, 0.0)


def test_age_benchmark_an_open_upper_bound():
    """At least 10, at most unknown: older than 30 cannot be said (unknown); older than 5 is known (bounded)."""
    ind = pd.DataFrame({"age_years": [10.0, 50.0], "age_min": [10.0, 50.0], "age_max": [np.nan, 50.0]})
    b = C.age_benchmark(ind, 30)
    assert (b["n_known"], b["n_unknown"], b["n_older"], b["n_bounded"]) == (1, 1, 1, 0)
    b = C.age_benchmark(ind, 5)
    assert (b["n_known"], b["n_older"], b["n_bounded"]) == (2, 2, 1)
    assert b["age_median_low"] == 30.0 and b["age_median_high"] == math.inf and math.isnan(b["age_median"])


# --- selections and counts --------------------------------------------------------------------------------------------

def test_select_cases_arguments_and_renumbering():
    cases = toy(case_id=["a", "b", "c"], legal_status=["obnl", "coop_producer", "obnl"], region=["R1", None, "R2"])
    cases.index = [7, 8, 9]
    out = C.select_cases(cases, ("obnl", "coop_producer"))
    assert out["case_id"].tolist() == ["a", "b", "c"] and out.index.tolist() == [0, 1, 2]
    assert out.columns.tolist() == cases.columns.tolist()
    assert C.select_cases(cases, ["obnl"], ["R2", "R9"])["case_id"].tolist() == ["c"]
    assert C.select_cases(cases, ["coop_producer"], ["R1"]).empty
    assert C.select_cases(cases, []).empty
    with pytest.raises(ParameterError, match="expected a list of legal statuses, got the text 'obnl'") as err:
        C.select_cases(cases, "obnl")
    assert err.value.field == "statuses"
    with pytest.raises(ParameterError, match="expected a list of regions or None, got the text 'R1'") as err:
        C.select_cases(cases, ["obnl"], "R1")
    assert err.value.field == "regions"
    with pytest.raises(ParameterError, match=r"region.*food\.load_cases\(\)") as err:
        C.select_cases(cases.drop(columns="region"), ["obnl"])
    assert err.value.field == "cases"


def test_count_differences_of_each_kind():
    t = pd.DataFrame({"r": [4, 10, 3, None, 7], "p": [4, 7, 5, 2, None]})
    # compared rows 1-3: gaps 0, 3, 2 → one equal, two different, largest 3
    assert C.count_differences(t, "r", "p") == {"n_compared": 3, "n_equal": 1, "n_diff": 2, "max_gap": 3}
    as_text = t.iloc[:3].assign(p=["4", "7", "5"])  # published counts typed as text: read as numbers
    assert C.count_differences(as_text, "r", "p") == {"n_compared": 3, "n_equal": 1, "n_diff": 2, "max_gap": 3}
    assert C.count_differences(t.iloc[3:], "r", "p") == {"n_compared": 0, "n_equal": 0, "n_diff": 0, "max_gap": 0}
    with pytest.raises(ParameterError, match=r"q.*food\.reconcile_case_counts\(\)") as err:
        C.count_differences(t, "r", "q")
    assert err.value.field == "table"


def test_quebec_survival_scope_missing_values_and_fallback():
    """5-year co-op rate from the table (Québec row, not the region's); the 5-year other rate missing in the table
    (NaN) and taken from the fallback; 10-year co-op from the fallback; 10-year other nowhere (left out)."""
    ind = pd.DataFrame({"indicator": ["coop_survival_5y", "coop_survival_5y", "other_survival_5y"],
                        "scope": ["monteregie", "quebec", "quebec"], "value": [90.0, 60.0, np.nan]})
    q = C.quebec_survival(ind, {"other_5y": 30, "coop_10y": 40, "coop_5y": 99})
    assert q.columns.tolist() == ["group", "horizon", "survival", "origin"]
    assert q.values.tolist() == [["coop", 5.0, 0.6, "indicators"], ["other", 5.0, 0.3, "parameter"],
                                 ["coop", 10.0, 0.4, "parameter"]]
    only = C.quebec_survival(None, {"other_10y": 20})
    assert only.values.tolist() == [["other", 10.0, 0.2, "parameter"]]
    nothing = C.quebec_survival(ind.iloc[:0], {})
    assert nothing.empty and nothing.columns.tolist() == ["group", "horizon", "survival", "origin"]
    with pytest.raises(ParameterError) as err:
        C.quebec_survival(None, [("coop_5y", 60)])
    assert err.value.field == "fallback"
    with pytest.raises(ParameterError,
                       match=r"scope.*\(load it with analysis\.ecosystem\.indicators\.load_indicators\(\)\)$") as err:
        C.quebec_survival(ind.drop(columns="scope"))
    assert err.value.field == "indicators"


# --- the real indicators table -------------------------------------------------------------------------------------

def test_real_quebec_survival_rates():
    """The roadmap's Québec survival rates in the shipped indicators table (seed 000): co-ops 64 % and 44 %, other
    enterprises 35 % and 20 % at 5 and 10 years; a fallback is not used when the table gives the rate."""
    q = C.quebec_survival(load_indicators(), {"coop_5y": 1, "other_5y": 1, "coop_10y": 1, "other_10y": 1})
    assert q["survival"].tolist() == pytest.approx([0.64, 0.35, 0.44, 0.20])
    assert set(q["origin"]) == {"indicators"}
