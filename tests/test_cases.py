"""Case indicators, exact tests, break-even and the theme matrix: hand-made fictitious cases, then the real ten."""

import math

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.food import cases as C


def _toy_cases() -> pd.DataFrame:
    """Four fictitious enterprises with round numbers (not the TIESS cases)."""
    return pd.DataFrame({
        "case_id": ["a", "b", "c", "d"],
        "name": ["A", "B", "C", "D"],
        "legal_status": ["coop_solidarity", "coop_consumer", "obnl", "obnl"],
        "region": ["R1", "R1", "R2", None],
        "geographic_zone": ["urban", "rural", "urban", None],
        "territorial_scale": [None, None, None, None],
        "food_system_roles": ["retail_distribution;online_platform", "ecological_production", "retail_distribution",
                              "poverty_exclusion"],
        "founded_year": pd.array([2000, 2010, None, 1980], dtype="Int64"),
        "reference_year": pd.array([2020, 2020, 2020, 2020], dtype="Int64"),
        "employees": pd.array([10, 4, 5, 0], dtype="Int64"),
        "volunteers": pd.array([20, None, 50, 10], dtype="Int64"),
        "members": pd.array([1000, 40, None, 5], dtype="Int64"),
        "revenue_cad": pd.array([1_000_000, 200_000, 250_000, 90_000], dtype="Int64"),
        "gross_margin_pct": pd.array([22.0, None, 15.0, None], dtype="Float64"),
        "approximate_fields": ["revenue_cad", "", "", ""],
        "lower_bound_fields": ["", "", "volunteers", ""],
    })


def test_case_indicators_by_hand():
    ind = C.case_indicators(_toy_cases()).set_index("case_id")
    assert list(ind["status_group"]) == ["coop", "coop", "obnl", "obnl"]
    assert ind.loc["a", "revenue_per_employee"] == 100_000
    assert ind.loc["b", "revenue_per_employee"] == 50_000
    assert ind.loc["a", "volunteers_per_employee"] == 2
    assert ind.loc["c", "volunteers_per_employee"] == 10
    assert ind.loc["a", "members_per_employee"] == 100
    assert math.isnan(ind.loc["b", "volunteers_per_employee"])  # volunteers not stated
    assert math.isnan(ind.loc["d", "revenue_per_employee"])  # no employee: no ratio, no division by zero
    assert ind.loc["a", "age_years"] == 20 and math.isnan(ind.loc["c", "age_years"])
    # the book's marks, and those of the figures derived from them (revenue ≈ → revenue per employee ≈, etc.)
    assert ind.loc["a", "approximate"] == "revenue_cad;revenue_per_employee;food_revenue_cad"
    assert ind.loc["c", "approximate"] == "volunteers≥;volunteers_per_employee≥"
    assert C.parse_marks(ind.loc["c", "approximate"]) == {"volunteers": "≥", "volunteers_per_employee": "≥"}
    assert ind.loc["b", "approximate"] == "" and ind.loc["a", "food_revenue_cad"] == 1_000_000


def test_break_even_by_hand():
    assert C.break_even_sales(100_000, 0.22) == pytest.approx(454_545.4545, abs=0.01)
    assert C.break_even_sales(100_000, 0.15) == pytest.approx(666_666.667, abs=0.01)
    assert round(C.break_even_sales(100_000, 0.22)) == 454_545
    with pytest.raises(ParameterError):
        C.break_even_sales(100_000, 0)
    with pytest.raises(ParameterError):
        C.break_even_sales(-1, 0.2)


def test_margin_cases_by_hand():
    m = C.margin_cases(_toy_cases(), 100_000).set_index("case_id")
    assert list(m.index) == ["a", "c"]  # only cases with a stated margin, largest margin first
    assert m.loc["a", "gross_margin_cad"] == pytest.approx(220_000)  # 1 000 000 × 22 %
    assert m.loc["a", "gross_margin_per_employee"] == pytest.approx(22_000)
    assert m.loc["c", "gross_margin_per_employee"] == pytest.approx(7_500)  # 250 000 × 15 % / 5
    assert m.loc["a", "sales_to_break_even"] == pytest.approx(1_000_000 / 454_545.4545)


def test_permutation_and_mann_whitney_exact():
    # x = [1, 2], y = [3, 4]: observed mean difference -2; of the 6 splits, 2 are as extreme -> p = 1/3
    diff, p, splits = C.permutation_test([1, 2], [3, 4])
    assert (diff, splits) == (-2.0, 6) and p == pytest.approx(1 / 3)
    assert C.min_exact_p(6, 4) == pytest.approx(2 / 210)
    ind = pd.DataFrame({"status_group": ["coop"] * 3 + ["obnl"] * 3, "v": [10, 11, 12, 1, 2, 3]})
    t = C.exact_group_tests(ind, ["v"]).iloc[0]
    assert (t["n_coop"], t["n_obnl"], t["median_coop"], t["median_obnl"]) == (3, 3, 11, 2)
    assert t["p_mannwhitney"] == pytest.approx(0.1)  # complete separation: 2 / C(6,3) = 2/20
    assert t["p_permutation"] == pytest.approx(0.1)
    assert t["u_statistic"] == 9


def test_fisher_by_hand():
    feats = C.case_features(C.case_indicators(_toy_cases()))
    f = C.fisher_tests(feats, ["urban", "retail_distribution"]).set_index("trait")
    assert f.loc["urban", "n"] == 3  # case d has no coded zone and is left out
    assert (f.loc["retail_distribution", "coop_yes"], f.loc["retail_distribution", "obnl_yes"]) == (1, 1)
    assert f.loc["retail_distribution", "p_fisher"] == pytest.approx(1.0)


def test_theme_matrix_keeps_zeros_and_order():
    cases = pd.DataFrame({"case_id": ["b", "a"]})
    st = pd.DataFrame({"case_id": ["a", "a", "b", "a"],
                       "kind": ["challenge", "success_factor", "learning", "challenge"],
                       "theme": ["operations", "operations", "support", "support"]})
    m = C.theme_matrix(st, cases)
    assert list(m.index) == ["b", "a"] and list(m.columns) == list(C.THEMES)
    assert m.loc["a", "operations"] == 2 and m.loc["a", "support"] == 1
    assert m.loc["b"].sum() == 0  # the learning is not a challenge or a success factor


def test_age_benchmark():
    ind = C.case_indicators(_toy_cases())
    b = C.age_benchmark(ind, 30)
    assert (b["n_known"], b["n_unknown"], b["n_older"]) == (3, 1, 1)  # ages 20, 10, 40
    assert b["share_older"] == pytest.approx(1 / 3)


def test_real_cases():
    from analysis.food import casebook as seeds
    cases = seeds.load_cases()
    ind = C.case_indicators(cases)
    assert len(ind) == 10
    assert (ind["status_group"] == "coop").sum() == 6 and (ind["status_group"] == "obnl").sum() == 4
    rpe = C.summarize_range(ind["revenue_per_employee"])
    assert rpe["n"] == 10 and rpe["min"] > 0 and rpe["max"] > rpe["min"]
    m = C.margin_cases(cases, 100_000)
    assert sorted(m["margin"].round(2)) == [0.15, 0.15, 0.22]  # the 15 % margin is read two ways
    assert sorted(m["break_even_sales"].round(0)) == [454_545, 666_667, 766_667]
    tests = C.exact_group_tests(ind)
    assert (tests["p_mannwhitney"] >= tests["min_p"] - 1e-12).all()
    mat = C.theme_matrix(seeds.load_statements(), cases)
    assert mat.shape == (10, 7) and mat.to_numpy().sum() > 0


def test_select_cases():
    toy = _toy_cases()
    assert list(C.select_cases(toy, ["obnl"])["case_id"]) == ["c", "d"]
    assert list(C.select_cases(toy, ["obnl", "coop_solidarity"], ["R2"])["case_id"]) == ["c"]  # d has no region
    with pytest.raises(ParameterError) as err:
        C.select_cases(toy, ["coop_workers"])
    assert err.value.field == "statuses"


def test_count_differences():
    rec = pd.DataFrame({"dimension": ["status", "status"], "category": ["obnl", "total"], "subcategory": [None, None],
                        "recomputed": pd.array([4, 10], dtype="Int64"), "published": pd.array([4, 11], dtype="Int64"),
                        "difference": pd.array([0, -1], dtype="Int64"), "comment": ["", ""]})
    d = C.count_differences(rec, "recomputed", "published")
    assert d == {"n_compared": 2, "n_equal": 1, "n_diff": 1, "max_gap": 1}


def test_matrix_summary_and_quebec_survival():
    m = pd.DataFrame([[1, 3], [2, 0]], index=["a", "b"], columns=["t1", "t2"])
    assert C.matrix_summary(m) == {"total": 6, "top_theme": "t1", "top_count": 3, "top_case": "a", "top_case_count": 4}
    ind = pd.DataFrame({"indicator": ["coop_survival_5y", "other_survival_5y"], "scope": ["quebec", "quebec"],
                        "value": [64.0, 35.0]})
    q = C.quebec_survival(ind, {"coop_10y": 44, "other_10y": 20})
    assert list(q["survival"]) == pytest.approx([0.64, 0.35, 0.44, 0.20])
    assert list(q["origin"]) == ["indicators", "indicators", "parameter", "parameter"]
    assert C.quebec_survival(None, None).empty


# ---- bounds, the food activity's revenue, both readings of a margin (issue 14) -------------------------------------
def _bounded_cases() -> pd.DataFrame:
    """Three fictitious enterprises: one founded in a stated decade (1970-1978), one whose revenue covers more than
    food, one whose members are a lower bound and whose margin may be a markup on cost."""
    toy = _toy_cases().iloc[:3].copy()
    toy["founded_year"] = pd.array([None, 2010, 2015], dtype="Int64")
    toy["founded_year_min"] = pd.array([1970, None, None], dtype="Int64")
    toy["founded_year_max"] = pd.array([1978, None, None], dtype="Int64")
    toy["reference_year"] = pd.array([2021, 2020, 2020], dtype="Int64")
    toy["food_revenue_cad"] = pd.array([None, 50_000, None], dtype="Int64")
    toy["members"] = pd.array([1000, 40, 200], dtype="Int64")
    toy["approximate_fields"] = ["", "", ""]
    toy["lower_bound_fields"] = ["", "", "members"]
    toy["margin_basis"] = ["sales", None, "unstated"]
    return toy


def test_bounds_and_food_revenue_by_hand():
    ind = C.case_indicators(_bounded_cases()).set_index("case_id")
    # a: founded between 1970 and 1978, reference 2021 -> at least 43, at most 51 years; age shown at its bound, ≥
    assert (ind.loc["a", "age_years"], ind.loc["a", "age_min"], ind.loc["a", "age_max"]) == (43, 43, 51)
    assert C.parse_marks(ind.loc["a", "approximate"]) == {"age_years": "≥"}
    # b: 200 000 $ of revenue, 50 000 $ of it from food; per-employee revenue stays on the whole enterprise
    assert ind.loc["b", "food_revenue_cad"] == 50_000 and bool(ind.loc["b", "food_revenue_partial"])
    assert ind.loc["b", "revenue_per_employee"] == 50_000  # 200 000 / 4
    assert not ind.loc["a", "food_revenue_partial"] and ind.loc["a", "food_revenue_cad"] == 1_000_000
    # c: "more than 200 members" is a lower bound, and so is 200 / 5 = 40 members per employee
    assert ind.loc["c", "members_per_employee"] == 40
    assert C.parse_marks(ind.loc["c", "approximate"]) == {"members": "≥", "members_per_employee": "≥"}
    tests = C.exact_group_tests(ind.reset_index(), ["members_per_employee"])
    assert tests.loc[0, "n_inexact"] == 1  # the bound is flagged where it enters a test


def test_age_benchmark_counts_a_decade_through_its_bounds():
    ind = C.case_indicators(_bounded_cases())
    b = C.age_benchmark(ind, 30)
    # ages: a at least 43 (older than 30 for sure), b 10, c 5 -> 1 older of 3 known, a counted through its bound
    assert (b["n_known"], b["n_unknown"], b["n_older"], b["n_bounded"]) == (3, 0, 1, 1)
    assert b["share_older"] == pytest.approx(1 / 3)
    assert b["age_median"] == 10  # whatever a's age in [43, 51], the median of (5, 10, a) is 10
    straddling = ind.assign(age_min=[25.0, 10.0, 5.0], age_max=[35.0, 10.0, 5.0], age_years=[25.0, 10.0, 5.0])
    b = C.age_benchmark(straddling, 30)
    assert (b["n_known"], b["n_unknown"], b["n_older"]) == (2, 1, 0)  # 25-35: cannot say
    two = C.age_benchmark(ind.iloc[:2], 30)
    assert math.isnan(two["age_median"]) and (two["age_median_low"], two["age_median_high"]) == (26.5, 30.5)


def test_a_margin_charged_to_members_is_read_both_ways():
    assert C.markup_to_margin(0.15) == pytest.approx(0.15 / 1.15)
    assert round(100 * C.markup_to_margin(0.15), 1) == 13.0
    with pytest.raises(ParameterError):
        C.markup_to_margin(-0.1)
    m = C.margin_cases(_bounded_cases(), 100_000)
    assert list(zip(m["case_id"], m["reading"], strict=True)) == [
        ("a", "share_of_sales"), ("c", "share_of_sales"), ("c", "markup_on_cost")]
    c = m.set_index(["case_id", "reading"])
    # 15 % of the sale price: 100 000 / 0.15 = 666 667 $; a 15 % markup on cost is 13.04 % of sales: 766 667 $
    assert c.loc[("c", "share_of_sales"), "break_even_sales"] == pytest.approx(666_666.667, abs=0.01)
    assert c.loc[("c", "markup_on_cost"), "break_even_sales"] == pytest.approx(766_666.667, abs=0.01)
    assert c.loc[("c", "markup_on_cost"), "gross_margin_cad"] == pytest.approx(250_000 * 0.15 / 1.15)
    assert c.loc[("a", "share_of_sales"), "margin_on_sales"] == 0.22
