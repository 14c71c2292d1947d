"""Statements and viability ratios: the real-statements path and the edges the main tests do not reach (issue 21).

Every table here is a small fictitious one written in the test (not a real enterprise); each expected value is
computed by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import InputFormatError, ParameterError, SchemaError
from analysis.food import ratios

# One fictitious enterprise-year, every amount written so the ratios are round numbers.
ROW = {
    "enterprise": "fictive_r",
    "year": "2022",
    "revenue_sales": "60 000",  # thousands space, as typed by hand
    "revenue_public_grants": "40\u202f000",  # narrow no-break space, as exported by a French spreadsheet
    "revenue_donations": "0",
    "revenue_membership": "0",
    "revenue_other": "0",
    "expense_cost_of_goods": "20000",
    "expense_salaries": "50000",
    "expense_administration": "10000",
    "expense_other": "0",
    "current_assets": "30000",
    "current_liabilities": "10000",
    "total_assets": "100000",
    "total_liabilities": "50000",
    "net_assets": "50000",
}


def table(*rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{**ROW, **r} for r in rows], dtype=str)


def test_real_statements_are_read_as_not_synthetic():
    # no is_synthetic column at all: real statements
    out = ratios.parse_statements(table({}))
    assert out["is_synthetic"].tolist() == [False] and out["is_synthetic"].dtype == bool
    assert out.loc[0, "revenue_sales"] == 60_000.0 and out.loc[0, "revenue_public_grants"] == 40_000.0
    assert out.loc[0, "year"] == 2022
    # every spelling of "no" (and blank) is false, every spelling of "yes" true
    answers = ["", "false", "FAUX", " 0 ", "non", "No", "true", "Vrai", "1", "oui", "YES"]
    many = table(*({"year": str(2000 + i), "is_synthetic": a} for i, a in enumerate(answers)))
    assert ratios.parse_statements(many)["is_synthetic"].tolist() == [False] * 6 + [True] * 5


def test_an_unreadable_synthetic_mark_names_its_line():
    with pytest.raises(SchemaError, match="expected true or false, found 'maybe'") as err:
        ratios.parse_statements(table({"is_synthetic": "false"}, {"year": "2023", "is_synthetic": "maybe"}),
                                path="mine.csv")
    assert (err.value.line, err.value.field, err.value.path) == (3, "is_synthetic", "mine.csv")


def test_ratios_of_real_statements_are_marked_real():
    statements = ratios.parse_statements(table({}, {"year": "2024", "revenue_sales": "100000"}))
    r = ratios.compute_ratios(statements).set_index("year")
    assert r["is_synthetic"].tolist() == [False, False]
    # 2022: revenue 100 000, expenses 80 000 -> margin 0.2; current 30 000 / 10 000 = 3; reserve
    # (30 000 - 10 000) / (80 000 / 12) = 3 months; grants 0.4; concentration 0.6^2 + 0.4^2 = 0.52
    a = r.loc[2022]
    assert (a["total_revenue"], a["total_expenses"]) == (100_000, 80_000)
    assert a["operating_margin"] == pytest.approx(0.2)
    assert a["current_ratio"] == pytest.approx(3.0)
    assert a["debt_ratio"] == pytest.approx(0.5) and a["equity_ratio"] == pytest.approx(0.5)
    assert a["admin_cost_ratio"] == pytest.approx(0.125)
    assert a["months_reserve"] == pytest.approx(3.0)
    assert a["grant_dependence"] == pytest.approx(0.4)
    assert a["revenue_concentration"] == pytest.approx(0.52)
    # 2024 is two years after 2022: growth (140 000 / 100 000) - 1 = 0.4
    assert r.loc[2024, "growth_3y"] == pytest.approx(0.4)
    assert np.isnan(a["growth_3y"])
    flags = ratios.tuckman_chang_flags(ratios.compute_ratios(statements))
    assert flags["is_synthetic"].tolist() == [False, False]
    # a ratios table without the column (e.g. built by hand) is taken as real too
    bare = ratios.compute_ratios(statements.drop(columns="is_synthetic"))
    assert bare["is_synthetic"].tolist() == [False, False]
    assert ratios.tuckman_chang_flags(bare.drop(columns="is_synthetic"))["is_synthetic"].tolist() == [False, False]


def test_synthetic_mark_is_carried_per_row():
    statements = ratios.parse_statements(table({"is_synthetic": "true"}, {"year": "2023", "is_synthetic": ""}))
    r = ratios.compute_ratios(statements)
    assert r["is_synthetic"].tolist() == [True, False]
    assert ratios.tuckman_chang_flags(r)["is_synthetic"].tolist() == [True, False]


def test_ratios_left_blank_when_their_denominator_is_zero():
    s = ratios.parse_statements(table({"current_liabilities": "0"}))
    r = ratios.compute_ratios(s).iloc[0]
    assert np.isnan(r["current_ratio"])  # no current liabilities: no ratio, not infinity
    zero_expenses = s.assign(expense_cost_of_goods=0.0, expense_salaries=0.0, expense_administration=0.0)
    z = ratios.compute_ratios(zero_expenses).iloc[0]
    assert np.isnan(z["admin_cost_ratio"]) and np.isnan(z["months_reserve"])
    assert z["operating_margin"] == pytest.approx(1.0)


def test_statements_are_sorted_by_enterprise_then_year():
    s = ratios.parse_statements(table({"enterprise": "b", "year": "2021"}, {"enterprise": "a", "year": "2022"},
                                      {"enterprise": "a", "year": "2020"}))
    assert list(zip(s["enterprise"], s["year"])) == [("a", 2020), ("a", 2022), ("b", 2021)]
    r = ratios.compute_ratios(s.iloc[::-1])
    assert list(zip(r["enterprise"], r["year"])) == [("a", 2020), ("a", 2022), ("b", 2021)]
    assert r.loc[1, "growth_3y"] == pytest.approx(0.0)  # a, 2022 vs 2020: same revenue


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        ({"revenue_other": ""}, 2, "revenue_other", "missing value"),
        ({"revenue_other": "12k"}, 2, "revenue_other", "expected a number, found '12k'"),
        ({"year": "2021.5"}, 2, "year", "expected a whole year"),
        ({"year": "1899"}, 2, "year", "fiscal year outside 1900–2100"),
        ({"enterprise": "  "}, 2, "enterprise", "empty enterprise identifier"),
        ({"total_assets": "0", "total_liabilities": "0", "net_assets": "0", "current_assets": "0"}, 2,
         "total_assets", "total assets must be positive"),
        ({"revenue_sales": "0", "revenue_public_grants": "0"}, 2, "revenue_sales", "total revenue is zero"),
        # current assets may exceed total assets by 1 $ (rounding), not more
        ({"current_assets": "100001.5"}, 2, "current_assets", "current assets above total assets"),
        ({"current_liabilities": "50001.5"}, 2, "current_liabilities", "current liabilities above total"),
    ],
)
def test_each_rule_names_line_field_and_reason(change, line, field, message):
    with pytest.raises(SchemaError, match=message) as err:
        ratios.parse_statements(table({"year": "2020"}, change))
    # the first row is fine: the error is on the second (CSV line 3) unless it names the header
    assert (err.value.line, err.value.field) == (line + 1, field)


def test_rounding_allowances_at_their_edge():
    # current assets exactly 1 $ above total assets, current liabilities exactly 1 $ above total liabilities: accepted
    ok = ratios.parse_statements(table({"current_assets": "100001", "current_liabilities": "50001"}))
    assert len(ok) == 1
    # balance gap: 1 % of total assets (1 000 $ on 100 000 $) is accepted, 1 001 $ is not
    assert len(ratios.parse_statements(table({"net_assets": "49000"}))) == 1
    with pytest.raises(SchemaError, match="gap above 1 %") as err:
        ratios.parse_statements(table({"net_assets": "48999"}))
    assert err.value.field == "net_assets"
    # on small totals the allowance is 1 $, not 1 %: total assets 50, gap 1 accepted, gap 1.5 refused
    small = {"total_assets": "50", "total_liabilities": "20", "current_assets": "10", "current_liabilities": "5"}
    assert len(ratios.parse_statements(table({**small, "net_assets": "29"}))) == 1
    with pytest.raises(SchemaError, match="gap above 1 %"):
        ratios.parse_statements(table({**small, "net_assets": "28.5"}))
    # a negative net asset is allowed when the identity holds
    neg = ratios.parse_statements(table({"total_liabilities": "110000", "current_liabilities": "10000",
                                         "net_assets": "-10000"}))
    assert neg.loc[0, "net_assets"] == -10_000


def test_column_errors_name_the_header():
    with pytest.raises(SchemaError, match="required column missing") as err:
        ratios.parse_statements(table({}).drop(columns="year"), path="x.csv")
    assert (err.value.line, err.value.field) == (1, "year")
    with pytest.raises(SchemaError, match="unknown column") as err:
        ratios.parse_statements(table({}).assign(notes="hi"))
    assert (err.value.line, err.value.field) == (1, "notes")
    with pytest.raises(ParameterError, match="raw"):
        ratios.parse_statements([ROW])


def test_loader_refuses_non_utf8_and_broken_csv(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((",".join(ratios.TEMPLATE_COLUMNS) + "\n").encode() + "coopé,2020".encode("latin-1"))
    with pytest.raises(InputFormatError, match="UTF-8"):
        ratios.load_statements(latin)
    broken = tmp_path / "broken.csv"
    broken.write_text('enterprise,year\n"a,2020\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match="unreadable CSV"):
        ratios.load_statements(broken)


def test_write_template_round_trip(tmp_path):
    path = ratios.write_template(tmp_path / "t.csv")
    assert path.read_text(encoding="utf-8") == ",".join(ratios.TEMPLATE_COLUMNS) + "\n"
    assert ratios.load_statements(path).empty
    with pytest.raises(ParameterError):
        ratios.write_template(3)


def test_herfindahl_edges():
    assert ratios.herfindahl(pd.Series([1.0, 1.0, 1.0, 1.0])) == pytest.approx(0.25)
    assert ratios.herfindahl((2, 2)) == pytest.approx(0.5)
    assert math.isnan(ratios.herfindahl(np.array([0.0])))
    with pytest.raises(ParameterError, match="shares"):
        ratios.herfindahl("0.5")


def test_quintile_thresholds_every_side_and_errors():
    df = pd.DataFrame({
        "equity_ratio": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "revenue_concentration": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        "admin_cost_ratio": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06],
        "operating_margin": [-0.1, 0.0, 0.1, 0.2, 0.3, np.nan],
    })
    th = ratios.quintile_thresholds(df, q=0.25)
    # position 0.25 * 5 = 1.25 -> 0.1 + 0.25 * 0.1; concentration: position 3.75 -> 0.5 + 0.75 * 0.1
    assert th["equity_ratio_min"] == pytest.approx(0.125)
    assert th["revenue_concentration_max"] == pytest.approx(0.575)
    assert th["admin_cost_ratio_min"] == pytest.approx(0.0225)
    # margin without its NaN: five values, position 1 -> 0.0
    assert th["operating_margin_min"] == pytest.approx(0.0)
    empty = ratios.quintile_thresholds(df.iloc[:0])
    assert all(math.isnan(v) for v in empty.values())
    for bad in (0, 0.5, True, "0.2"):
        with pytest.raises(ParameterError, match=r"quantile in \(0, 0.5\)") as err:
            ratios.quintile_thresholds(df, q=bad)
        assert err.value.field == "q"


def test_flags_at_their_thresholds():
    r = pd.DataFrame({
        "enterprise": ["at", "beyond", "missing"],
        "year": [2021, 2021, 2021],
        "equity_ratio": [0.10, 0.09, np.nan],
        "revenue_concentration": [0.60, 0.61, np.nan],
        "admin_cost_ratio": [0.05, 0.04, np.nan],
        "operating_margin": [0.0, -0.01, np.nan],
    })
    f = ratios.tuckman_chang_flags(r).set_index("enterprise")
    cols = ["flag_equity_ratio", "flag_revenue_concentration", "flag_admin_cost_ratio", "flag_operating_margin"]
    assert f.loc["at", cols].tolist() == [False] * 4  # exactly at the threshold: not beyond it
    assert f.loc["beyond", cols].tolist() == [True] * 4
    assert f.loc["missing", cols].tolist() == [False] * 4
    assert f["n_flags"].tolist() == [0, 4, 0]
    # overrides: one key moves one threshold, the others keep their defaults; unknown keys are ignored
    g = ratios.tuckman_chang_flags(r, {"revenue_concentration_max": 0.7, "debt_ratio_max": 0.1}).set_index(
        "enterprise")
    assert g.loc["beyond", cols].tolist() == [True, False, True, True]
    with pytest.raises(ParameterError, match="expected a number") as err:
        ratios.tuckman_chang_flags(r, {"admin_cost_ratio_min": True})
    assert err.value.field == "thresholds.admin_cost_ratio_min"
    with pytest.raises(ParameterError):
        ratios.tuckman_chang_flags(r, [("equity_ratio_min", 0.2)])


def test_summary_counts_enterprises_with_every_flag():
    latest = pd.DataFrame({"enterprise": ["a", "b", "c"], "operating_margin": [0.1, -0.2, 0.0],
                           "current_ratio": [1.0, 2.0, 4.0], "months_reserve": [1.0, 5.0, 3.0]})
    flags = pd.DataFrame({"n_flags": [0, 4, 1]})
    s = ratios.summarize_latest(latest, flags)
    assert s == {"n_enterprises": 3, "median_operating_margin": pytest.approx(0.0), "median_current_ratio": 2.0,
                 "median_months_reserve": 3.0, "n_any_flag": 2, "n_all_flags": 1}


def test_latest_year_picks_the_last_year_whatever_the_order():
    r = pd.DataFrame({"enterprise": ["b", "a", "a", "b"], "year": [2022, 2023, 2021, 2020], "v": [1, 2, 3, 4]})
    last = ratios.latest_year(r)
    assert last[["enterprise", "year", "v"]].values.tolist() == [["a", 2023, 2], ["b", 2022, 1]]


def test_synthetic_generator_arguments():
    s = ratios.generate_synthetic_statements(0, n_enterprises=2, years=(2020, 2021))
    assert len(s) == 4 and s["enterprise"].unique().tolist() == ["synthetique_01", "synthetique_02"]
    assert s["year"].tolist() == [2020, 2021, 2020, 2021]
    assert (s["total_assets"] - s["total_liabilities"] - s["net_assets"]).abs().max() == 0
    assert (s["current_assets"] <= s["total_assets"]).all()
    for kwargs, field in (({"seed": -1}, "seed"), ({"seed": True}, "seed"), ({"seed": 1, "n_enterprises": 0},
                                                                             "n_enterprises")):
        with pytest.raises(ParameterError, match="expected a whole number") as err:
            ratios.generate_synthetic_statements(**kwargs)
        assert err.value.field == field
