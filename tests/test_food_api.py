"""The food wing's public API: what ``from analysis import food`` offers, loaders with no argument after ``make data``,
paths relative to any folder, and misuse answered by a ParameterError naming the argument (hand-made synthetic
tables; the real datasets only where a test says so)."""

from __future__ import annotations

import ast
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import food
from analysis.core import external, paths
from analysis.core.errors import MissingDatasetError, ParameterError
from analysis.food import coops_uk, foodhubs

FOOD_DIR = paths.ROOT / "src" / "analysis" / "food"
FIXTURES = Path(__file__).parent / "fixtures" / "viabilite"


# ---- the public API ------------------------------------------------------------------------------------------
def test_all_names_exist_are_functions_and_documented():
    assert len(food.__all__) == len(set(food.__all__))
    for name in food.__all__:
        obj = getattr(food, name)
        assert callable(obj), name
        doc = inspect.getdoc(obj) or ""
        assert doc, f"food.{name} has no docstring"
        if inspect.signature(obj).parameters:
            assert "Parameters\n----------" in doc, f"food.{name}: numpydoc Parameters section missing"
        if not inspect.isclass(obj):
            assert "Returns\n-------" in doc or name == "write_template", f"food.{name}: Returns section missing"


@pytest.mark.parametrize(("name", "reference"), [
    ("km_survival", "Kaplan, E. L., & Meier, P. (1958)"),
    ("km_survival", "Klein, J. P., & Moeschberger"),
    ("logrank_test", "Mantel, N. (1966)"),
    ("tuckman_chang_flags", "Tuckman, H. P., & Chang, C. F. (1991)"),
    ("breakeven_by_status", "Wilson, E. B. (1927)"),
    ("fisher_tests", "Fisher, R. A. (1922)"),
    ("fit_breakeven_model", "statsmodels"),
    ("fit_breakeven_model", "Hosmer, D. W., Lemeshow, S., & Sturdivant"),
    ("prepare_survival", "Klein, J. P., & Moeschberger"),
    ("prepare_survival", "Kaplan, E. L., & Meier, P. (1958)"),
    ("censoring_date", "Klein, J. P., & Moeschberger"),
    ("herfindahl", "Herfindahl, O. C. (1950)"),
])
def test_methods_cite_their_reference(name, reference):
    doc = inspect.getdoc(getattr(food, name))
    assert "References\n----------" in doc and reference in doc


def test_the_wing_takes_no_lang_and_draws_nothing():
    """No ``lang`` parameter and no figure or report import anywhere in analysis.food (the report layer does that)."""
    for path in sorted(FOOD_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                assert "lang" not in [a.arg for a in node.args.args + node.args.kwonlyargs], f"{path.name}:{node.name}"
                assert not node.name.startswith("plot_"), f"{path.name}:{node.name}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith(("matplotlib", "seaborn", "analysis.report")) for n in names), path.name
    code = "import sys, analysis.food; print(sorted(m for m in sys.modules if m.startswith(('matplotlib', " \
           "'seaborn', 'analysis.report'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


FRENCH = set("éèêàâçôûùîïœ«»")


def test_messages_and_codes_are_english():
    """String literals of the wing (error messages, codes) carry no French; docstrings may name Québec."""
    for path in sorted(FOOD_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not FRENCH & set(node.value), f"{path.name}:{node.lineno}: {node.value!r}"


# ---- loaders with no argument (after `make data`) and relative paths -------------------------------------------
EXTERNAL_LOADERS = [
    (food.load_coops_uk_organisations, "coops_uk_organisations", 8019),
    (coops_uk.load_organisations, "coops_uk_organisations", 8019),
    (food.load_coops_uk_economy, "coops_uk_economy", 12332),
    (food.load_food_hub_survey, "food_hub_survey", 707),
    (foodhubs.load_food_hub_survey, "food_hub_survey", 707),
    (food.load_food_hub_directory, "food_hub_directory", 480),
]


@pytest.mark.parametrize(("loader", "dataset", "rows"), EXTERNAL_LOADERS,
                         ids=lambda v: getattr(v, "__qualname__", str(v)))
def test_external_loaders_need_no_argument(loader, dataset, rows):
    if not external.is_available(dataset):
        pytest.skip(f"dataset {dataset} is not in data/external/ (run `make data`)")
    assert len(loader()) == rows


def test_case_book_loaders_need_no_argument():
    assert len(food.load_cases()) == 10
    assert len(food.load_case_statements()) > 0
    assert len(food.load_published_counts()) > 0


def test_organisations_come_classified_for_survival():
    if not external.is_available("coops_uk_organisations"):
        pytest.skip("dataset coops_uk_organisations is not in data/external/ (run `make data`)")
    orgs = food.load_coops_uk_organisations()
    assert {"sector_group", "food_subsector"} <= set(orgs.columns)
    assert orgs.attrs["duplicate_rows_dropped"] == 18
    at = food.survival_at(food.prepare_survival(orgs), [10], group="sector_group").set_index("group")
    assert at.loc["food", "survival"] == pytest.approx(0.7750, abs=5e-4)  # censored at 2016-04-27


def test_relative_paths_from_another_folder(tmp_path, monkeypatch):
    elsewhere = tmp_path / "notebooks"
    elsewhere.mkdir()
    shutil.copy(paths.RAW / "food_cases" / "cases.csv", elsewhere / "my_cases.csv")
    monkeypatch.chdir(elsewhere)
    assert len(food.load_cases("data/raw/food_cases/cases.csv")) == 10  # relative to the project root
    assert len(food.load_cases("my_cases.csv")) == 10  # relative to the current folder
    statements = food.load_financial_statements("tests/fixtures/viabilite/statements_ok.csv")
    assert sorted(statements["enterprise"].unique()) == ["fictive_a", "fictive_b"]
    if external.is_available("food_hub_survey"):
        assert len(food.load_food_hub_survey("external:food_hub_survey")) == 707


def test_missing_files_say_how_to_get_them(tmp_path):
    with pytest.raises(MissingDatasetError, match="make data"):
        food.load_coops_uk_economy(tmp_path / "absent.csv")
    with pytest.raises(MissingDatasetError, match="not found"):
        food.load_financial_statements(tmp_path / "absent.csv")
    with pytest.raises(ParameterError) as err:
        food.load_food_hub_survey("external:no_such_dataset")
    assert "no_such_dataset" in err.value.message


# ---- misuse gives one clear line naming the argument -------------------------------------------------------------
def _orgs() -> pd.DataFrame:
    """Three hand-made co-ops (synthetic) in the layout of the organisations table."""
    return pd.DataFrame({
        "org_id": ["a", "b", "c"],
        "incorporated": pd.to_datetime(["2000-01-01", "2005-06-01", "2012-03-01"]),
        "dissolved": pd.to_datetime([None, "2014-01-01", None]),
        "status": ["Live", "Dead", "Live"],
        "sector_group": ["food", "other", "food"],
        "sic_code": ["4711", "9499", "01"],
        "sector": ["Retail", "Other", "Agriculture"],
    })


def _raises(call, field: str, *fragments: str) -> ParameterError:
    with pytest.raises(ParameterError) as err:
        call()
    assert err.value.field == field, err.value.one_line()
    for fragment in fragments:
        assert fragment in err.value.message, err.value.one_line()
    return err.value


def test_km_survival_given_the_organisations_table_says_what_it_expects():
    err = _raises(lambda: food.km_survival(_orgs(), group="sector_group"), "survival",
                  "duration, event, entry, exclusion_reason", "food.prepare_survival(orgs)")
    assert "KeyError" not in err.one_line()
    survival = food.prepare_survival(_orgs(), "2011-01-01", "2016-06-01")
    _raises(lambda: food.survival_at(survival, "10"), "horizons")
    _raises(lambda: food.survival_at(survival, [0]), "horizons", "positive")
    _raises(lambda: food.km_survival(survival, group="region"), "group", "region")
    _raises(lambda: food.logrank_test(survival.assign(one="x"), group="one"), "group", "two groups")
    _raises(lambda: food.prepare_survival(_orgs().drop(columns="incorporated")), "orgs", "incorporated")
    _raises(lambda: food.constant_hazards(_orgs()), "table", "group, horizon, survival")


def test_food_hub_functions_name_their_argument():
    _raises(lambda: food.breakeven_by_status(food.load_cases()), "hubs", "food.load_food_hub_survey()")
    hubs = pd.DataFrame({"flags": ["", "oer_extreme"]})
    _raises(lambda: food.breakeven_by_status(hubs), "hubs", "legal_status")
    _raises(lambda: food.fit_breakeven_model(hubs, reference="coop"), "reference", "'cooperative'")
    _raises(lambda: food.hub_flag_counts([1, 2]), "hubs", "got a list")


def test_case_and_ratio_functions_name_their_argument():
    _raises(lambda: food.case_indicators(food.load_case_statements()), "cases", "food.load_cases()")
    _raises(lambda: food.exact_group_tests(food.load_cases()), "indicators", "food.case_indicators(cases)")
    _raises(lambda: food.theme_matrix(food.load_case_statements(), food.load_cases(), ["risk"]), "kinds", "risk")
    _raises(lambda: food.break_even_sales(100_000, 22), "margin", "0.22, not 22")
    _raises(lambda: food.break_even_sales(-1, 0.2), "fixed_cost")
    _raises(lambda: food.load_cases(42), "path")
    _raises(lambda: food.compute_ratios(_orgs()), "statements", "food.load_financial_statements(path)")
    ratios = food.compute_ratios(food.load_financial_statements(FIXTURES / "statements_ok.csv"))
    _raises(lambda: food.tuckman_chang_flags(ratios, {"equity_ratio_min": "low"}), "thresholds.equity_ratio_min")
    _raises(lambda: food.quintile_thresholds(ratios, q=20), "q")
    _raises(lambda: food.generate_synthetic_statements(-1), "seed")
    _raises(lambda: food.parse_thresholds({"debt_ratio": 0.8}), "thresholds.debt_ratio", "_min or _max")


def test_coops_uk_functions_name_their_argument():
    economy = pd.DataFrame({"org_id": ["a"], "year_end": pd.to_datetime(["2014-12-31"]), "turnover": [100.0],
                            "profit_before_tax": [1.0], "member_funds": [10.0]})
    _raises(lambda: food.coops_uk_finances(economy, _orgs(), by="region"), "by", "'sector_group'")
    _raises(lambda: food.coops_uk_finances(economy, _orgs(), accounts="first"), "accounts")
    _raises(lambda: food.accounts_with_ratios(_orgs(), economy), "economy", "food.load_coops_uk_economy()")
    assert food.latest_accounts(economy, _orgs())["profit_margin"].tolist() == [0.01]


def test_thresholds_of_the_report_can_be_passed_whole():
    """tuckman_chang_flags ignores the dashboard's other thresholds (the report passes its whole parameter)."""
    ratios = food.compute_ratios(food.load_financial_statements(FIXTURES / "statements_ok.csv"))
    whole = food.tuckman_chang_flags(ratios, {"debt_ratio_max": 0.8, "operating_margin_min": 0.01})
    only = food.tuckman_chang_flags(ratios, {"operating_margin_min": 0.01})
    pd.testing.assert_frame_equal(whole, only)


def test_case_dashboard_by_hand():
    ind = pd.DataFrame({"case_id": ["a", "b"], "name": ["A", "B"], "revenue_per_employee": [40_000.0, np.nan],
                        "age_years": [3.0, 40.0]})
    margins = pd.DataFrame({"case_id": ["b"], "gross_margin_per_employee": [45_000.0]})
    d = food.case_dashboard(ind, margins, {"revenue_per_employee_min": 50_000, "gross_margin_per_employee_min": 40_000},
                            columns=["revenue_per_employee", "gross_margin_per_employee", "age_years"])
    pos = d.set_index(["enterprise", "indicator"])["position"]
    assert pos[("a", "revenue_per_employee")] == "below_min"
    assert pos[("b", "revenue_per_employee")] == "missing"
    assert pos[("a", "gross_margin_per_employee")] == "missing"  # a states no margin
    assert pos[("b", "gross_margin_per_employee")] == "within"
    assert pos[("b", "age_years")] == "no_threshold"
