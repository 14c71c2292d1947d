"""Co-operatives UK: every food SIC rule at its edge, the loaders' errors and flags, and the finance tables by hand
(issue 21). Hand-made synthetic co-ops (not Co-operatives UK records)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_coops_uk import ECO_HEADER, ORG_HEADER, eco, org, write

from analysis.core.errors import InputFormatError, ParameterError, SchemaError
from analysis.food import coops_uk as cu


@pytest.mark.parametrize(("sic", "sector", "subsector", "rule"), [
    ("0111", "", "agriculture", "sic:01*"),
    ("0311", "", "agriculture", "sic:03*"),
    ("0210", "Agriculture", "", ""),  # forestry is not food, whatever the simplified sector says
    ("1071", "", "food_processing", "sic:10*"),
    ("1105", "", "food_processing", "sic:11*"),
    ("1200", "", "", ""),  # tobacco
    ("4617", "", "food_wholesale", "sic:4617*"),
    ("4618", "", "", ""),
    ("4621", "", "food_wholesale", "sic:462*"),
    ("4631", "", "food_wholesale", "sic:463*"),
    ("4635", "", "", ""),  # tobacco wholesale
    ("4711", "", "food_retail", "sic:4711*"),
    ("471", "", "food_retail", "sic:471"),
    ("4719", "", "", ""),  # non-specialised stores without food predominating
    ("4721", "", "food_retail", "sic:472*"),
    ("4726", "", "", ""),  # tobacco stores
    ("4781", "", "food_retail", "sic:4781*"),
    ("478", "", "", ""),
    ("47", "", "", ""),
    ("", "Agriculture", "agriculture", "sector:Agriculture"),
    ("", "Retail", "", ""),
    ("", "", "", ""),
])
def test_food_rules(sic, sector, subsector, rule):
    out = cu.classify_sector(pd.DataFrame({"sic_code": [sic], "sector": [sector]}))
    assert out.loc[0, "food_subsector"] == subsector
    assert out.loc[0, "food_rule"] == rule
    assert out.loc[0, "sector_group"] == ("food" if subsector else "other")


def test_classify_keeps_the_index_and_refuses_a_wrong_table():
    out = cu.classify_sector(pd.DataFrame({"sic_code": ["01", "99"], "sector": ["", ""]}, index=[5, 9]))
    assert out.index.tolist() == [5, 9] and out["sector_group"].tolist() == ["food", "other"]
    with pytest.raises(ParameterError, match="load_coops_uk_organisations"):
        cu.classify_sector(pd.DataFrame({"sic": ["01"]}))


def test_organisation_flags_and_counts(tmp_path):
    rows = [
        org("A", "UKSIC07-01", "Agriculture", "Live", "01/01/2000", "01/01/2010"),
        org("B", "UKSIC07-01", "Agriculture", "Dead", "01/01/2005", "01/01/2001"),
        org("C", "UKSIC07-99", "Other", "Live", "1/2/2003"),
    ]
    o = cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, rows)).set_index("org_id")
    assert o.loc["A", "flags"] == "live_with_dissolution_date"
    assert o.loc["B", "flags"] == "dissolved_before_incorporated"
    assert o.loc["C", "flags"] == "" and o.loc["C", "incorporated"] == pd.Timestamp("2003-02-01")
    assert o["source_line"].tolist() == [2, 3, 4] and o.loc["C", "sic_code"] == "99"
    assert o.attrs == {"rows_read": 3, "duplicate_rows_dropped": 0}
    both = cu.load_coops_uk_organisations(write(tmp_path, "o.csv", ORG_HEADER, rows))
    assert both["sector_group"].tolist() == ["food", "food", "other"]


def test_organisation_errors(tmp_path):
    with pytest.raises(SchemaError, match="unreadable date '31/31/2001'") as err:
        cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, [
            org("A", "", "", "Dead", "01/01/2000", "31/31/2001")]))
    assert (err.value.line, err.value.field) == (2, "Dissolved Date")
    # an id repeated with different values: the error names the second copy's line
    with pytest.raises(SchemaError, match="identifier repeated with different values: A") as err:
        cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, [
            org("Z", "", "", "Live", ""), org("A", "", "", "Live", ""), org("A", "", "", "Dead", "")]))
    assert (err.value.line, err.value.field) == (4, "CUK Organisation ID")
    path = tmp_path / "short.csv"
    path.write_text("CUK Organisation ID,Registered Number\nA,1\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="missing columns: Registrar, Registered Name") as err:
        cu.load_organisations(path)
    assert err.value.field == "Registrar"
    latin = tmp_path / "latin.csv"
    latin.write_bytes((",".join(ORG_HEADER) + "\n").encode() + "coopé".encode("latin-1"))
    with pytest.raises(InputFormatError, match="unreadable CSV"):
        cu.load_organisations(latin)
    with pytest.raises(SchemaError, match="schema not met"):
        cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, [org("A", "", "", "Closed", "")]))


def test_economy_fiscal_year_edge_and_aggregates(tmp_path):
    rows = [
        eco("A", "100", "10", "50", "2015-01-07", "2015"),  # 7 days into January: the previous year
        eco("A", "120", "12", "50", "2016-01-08", "2016"),  # 8 days in: that year
        eco("A", "120", "12", "50", "2016-01-08", "2017"),
        eco("N/A", "1", "", "", "", "2015"),
        eco("", "1", "", "", "", "2015"),
    ]
    e = cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, rows))
    assert e["fiscal_year"].tolist() == [2014, 2016]
    assert e["first_economic_year"].tolist() == [2015, 2016] and e["last_economic_year"].tolist() == [2015, 2017]
    assert e["n_economic_years"].tolist() == [1, 2]
    assert e.attrs == {"rows_read": 5, "aggregate_rows_dropped": 2, "carried_forward_rows_collapsed": 1,
                       "accounts": 2}
    assert math.isnan(e.loc[0, "memberships"]) and e.loc[1, "turnover"] == 120.0
    assert {"year_end_raw", "economic_year", "is_most_recent"}.isdisjoint(e.columns)


@pytest.mark.parametrize(("row", "message", "field"), [
    (eco("A", "12k", "1", "1", "2015-03-31", "2015"), "not a number: '12k'", "turnover"),
    (eco("A", "12", "1", "1", "2015-03-31", "soon"), "missing economic year", "Economic Year"),
    (eco("A", "12", "1", "1", "", "2015"), "missing year-end date", "Year End Date"),
    (eco("A", "12", "1", "1", "31/03/2015", "2015"), "unreadable date '31/03/2015'", "Year End Date"),
])
def test_economy_errors_name_the_line(tmp_path, row, message, field):
    ok = eco("B", "1", "1", "1", "2014-03-31", "2014")
    with pytest.raises(SchemaError, match=message) as err:
        cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, [ok, row]))
    assert (err.value.line, err.value.field) == (3, field)


def test_economy_conflict_names_the_organisation_and_date(tmp_path):
    rows = [eco("A", "1", "1", "1", "2014-03-31", "2014"), eco("A", "1", "2", "1", "2014-03-31", "2015")]
    with pytest.raises(SchemaError, match="different accounts for A on 2014-03-31"):
        cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, rows))


def orgs_table() -> pd.DataFrame:
    return pd.DataFrame({
        "org_id": ["F1", "F2", "O1", "O2"],
        "sic_code": ["0111", "4711", "9499", "6419"],
        "sector": ["Agriculture", "Retail", "Other", "Finance"],
        "status": ["Live", "Dead", "Live", "Dead"],
    })


def economy_table() -> pd.DataFrame:
    """Hand-made accounts: F1 two sets of accounts (turnover 100 -> 121 over 731 days)."""
    return pd.DataFrame({
        "org_id": ["F1", "F1", "F2", "O1", "O2", "X9"],
        "year_end": pd.to_datetime(["2012-01-01", "2014-01-01", "2013-06-30", "2013-03-31", "2013-03-31",
                                    "2013-03-31"]),
        "fiscal_year": [2011, 2013, 2013, 2013, 2013, 2013],
        "turnover": [100.0, 121.0, 200.0, 0.0, 50.0, 10.0],
        "profit_before_tax": [10.0, 12.1, -20.0, 5.0, 0.0, 1.0],
        "member_funds": [50.0, 60.5, 20.0, 1.0, 25.0, 5.0],
    })


def test_accounts_with_ratios_by_hand():
    acc = cu.accounts_with_ratios(economy_table(), orgs_table()).set_index(["org_id", "fiscal_year"])
    assert acc.loc[("F1", 2013), "profit_margin"] == pytest.approx(0.1)
    assert acc.loc[("F1", 2013), "member_funds_ratio"] == pytest.approx(0.5)
    assert acc.loc[("F2", 2013), "profit_margin"] == pytest.approx(-0.1)
    assert math.isnan(acc.loc[("O1", 2013), "profit_margin"])  # zero turnover: no ratio
    assert math.isnan(acc.loc[("O1", 2013), "member_funds_ratio"])
    assert acc.loc[("X9", 2013), "sector_group"] == "unknown"  # accounts of an organisation not in the list
    assert acc.loc[("F2", 2013), "food_subsector"] == "food_retail"
    assert acc.loc[("O2", 2013), "sector"] == "Finance"
    latest = cu.latest_accounts(economy_table(), orgs_table())
    assert latest["org_id"].tolist() == ["F1", "F2", "O1", "O2", "X9"]
    assert latest.loc[latest["org_id"] == "F1", "turnover"].item() == 121.0


def test_finances_by_hand():
    t = cu.finances(economy_table(), orgs_table()).set_index(["group", "metric"])
    assert [g for g in dict.fromkeys(t.index.get_level_values(0))] == ["food", "other", "unknown", "all"]
    # latest food accounts: F1 121 and F2 200 -> quantiles by linear interpolation
    food = t.loc[("food", "turnover")]
    assert (food["n"], food["mean"]) == (2, 160.5)
    assert [food[f"q{q}"] for q in ("10", "25", "50", "75", "90")] == pytest.approx(
        [121 + 0.1 * 79, 121 + 0.25 * 79, 160.5, 121 + 0.75 * 79, 121 + 0.9 * 79])
    # growth: F1 only, x 1.21 over 731 days (2012 is a leap year) -> 1.21 ** (365.25 / 731) - 1, about 10 % a year
    assert t.loc[("food", "annual_turnover_growth"), "mean"] == pytest.approx(1.21 ** (365.25 / 731) - 1)
    assert t.loc[("other", "annual_turnover_growth"), "n"] == 0
    assert math.isnan(t.loc[("other", "annual_turnover_growth"), "q50"])
    assert math.isnan(t.loc[("other", "annual_turnover_growth"), "mean"])
    assert t.loc[("other", "profit_margin"), "n"] == 1  # O1 has no margin (zero turnover)
    assert t.loc[("all", "turnover"), "n"] == 5
    sub = cu.finances(economy_table(), orgs_table(), by="food_subsector").set_index(["group", "metric"])
    assert sub.loc[("agriculture", "turnover"), "q50"] == 121.0
    assert sub.loc[("", "turnover"), "n"] == 2  # the non-food co-ops (X9 is not classified)
    with pytest.raises(ParameterError, match="expected one of"):
        cu.finances(economy_table(), orgs_table(), by="nation")


def test_growth_needs_most_of_a_year():
    acc = pd.DataFrame({
        "org_id": ["a", "a", "b", "b", "c", "c"],
        "year_end": pd.to_datetime(["2013-01-01", "2013-11-26", "2013-01-01", "2013-11-25", "2013-01-01",
                                    "2014-01-01"]),
        "turnover": [100.0, 200.0, 100.0, 200.0, 0.0, 50.0],
    })
    g = cu._growth(acc).set_index("org_id")["annual_turnover_growth"]
    # a: 329 days = 0.9008 years (kept); b: 328 days = 0.898 (too short); c: first turnover 0 -> one usable set
    assert list(g.index) == ["a"]
    assert g["a"] == pytest.approx(2 ** (365.25 / 329) - 1)


def test_finances_by_year_by_hand():
    by = cu.finances_by_year(economy_table(), orgs_table())
    row = by.loc[(by["fiscal_year"] == 2013) & (by["group"] == "other")].iloc[0]
    # O1 (0, profit 5) and O2 (50, profit 0): one profitable of two; margin only for O2 (0)
    assert (row["n_accounts"], row["turnover_median"], row["turnover_total"]) == (2, 25.0, 50.0)
    assert row["share_profitable"] == 0.5 and row["profit_margin_median"] == 0.0
    food = by.loc[(by["fiscal_year"] == 2013) & (by["group"] == "food")].iloc[0]
    assert food["share_profitable"] == 0.5 and food["turnover_total"] == 321.0
    assert by[["fiscal_year", "group"]].values.tolist() == [
        [2011, "food"], [2013, "food"], [2013, "other"], [2013, "unknown"]]
    blank = economy_table().assign(profit_before_tax=np.nan, turnover=np.nan)
    b = cu.finances_by_year(blank, orgs_table()).iloc[0]
    assert math.isnan(b["share_profitable"]) and math.isnan(b["turnover_total"])
    with pytest.raises(ParameterError):
        cu.finances_by_year(economy_table(), orgs_table(), by="year")


def test_sector_counts_with_dead():
    out = cu.sector_counts(orgs_table())
    assert out.values.tolist() == [["food", "agriculture", 1, 0], ["food", "food_retail", 1, 1],
                                   ["other", "", 2, 1]]


@pytest.mark.parametrize(("call", "field", "hint"), [
    (lambda bad: cu.classify_sector(bad), "orgs", "load it with food.load_coops_uk_organisations()"),
    (lambda bad: cu.accounts_with_ratios(bad, orgs_table()), "economy", "load it with food.load_coops_uk_economy()"),
    (lambda bad: cu.accounts_with_ratios(economy_table(), bad), "orgs",
     "load it with food.load_coops_uk_organisations()"),
    (lambda bad: cu.latest_accounts(bad, orgs_table()), "economy", "load it with food.load_coops_uk_economy()"),
    (lambda bad: cu.finances(bad, orgs_table()), "economy", "load it with food.load_coops_uk_economy()"),
    (lambda bad: cu.finances_by_year(economy_table(), bad), "orgs", "load it with food.load_coops_uk_organisations()"),
    (lambda bad: cu.sector_counts(bad), "orgs", "load it with food.load_coops_uk_organisations()"),
])
def test_wrong_tables_are_refused_with_their_argument_and_hint(call, field, hint):
    for bad in ([1, 2], pd.DataFrame({"x": ["a"]})):
        with pytest.raises(ParameterError) as err:
            call(bad)
        assert err.value.field == field and err.value.message.endswith(f" ({hint})")


def test_loader_errors_name_the_file(tmp_path):
    path = write(tmp_path, "orgs.csv", ORG_HEADER, [org("A", "", "", "Live", "1/13/2000")])
    with pytest.raises(SchemaError) as err:
        cu.load_organisations(path)
    assert err.value.path.endswith("orgs.csv") and err.value.field == "Incorporation Date"
    with pytest.raises(SchemaError) as err:
        cu.load_organisations(write(tmp_path, "orgs.csv", ORG_HEADER, [org("A", "", "", "Live", ""),
                                                                          org("A", "", "", "Dead", "")]))
    assert err.value.path.endswith("orgs.csv") and err.value.line == 3
    with pytest.raises(SchemaError) as err:
        cu.load_organisations(write(tmp_path, "orgs.csv", ORG_HEADER, [org("A", "", "", "Closed", "")]))
    assert err.value.path.endswith("orgs.csv")
    eco_path = write(tmp_path, "eco.csv", ECO_HEADER, [eco("A", "x", "1", "1", "2015-03-31", "2015")])
    with pytest.raises(SchemaError) as err:
        cu.load_economy(eco_path)
    assert err.value.path.endswith("eco.csv")
    for row in (eco("A", "1", "1", "1", "2015-03-31", ""), eco("A", "1", "1", "1", "", "2015")):
        with pytest.raises(SchemaError) as err:
            cu.load_economy(write(tmp_path, "eco.csv", ECO_HEADER, [row]))
        assert err.value.path.endswith("eco.csv") and err.value.line == 2
    rows = [eco("A", "1", "1", "1", "2014-03-31", "2014"), eco("A", "2", "1", "1", "2014-03-31", "2015")]
    with pytest.raises(SchemaError) as err:
        cu.load_economy(write(tmp_path, "eco.csv", ECO_HEADER, rows))
    assert err.value.path.endswith("eco.csv") and err.value.field == "Year End Date"
    short = tmp_path / "short.csv"
    short.write_text("CUK Organisation ID\nA\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        cu.load_economy(short)
    assert err.value.path.endswith("short.csv") and err.value.field == "Registered Name"
    bad = tmp_path / "bad.csv"
    bad.write_text('CUK Organisation ID,Registered Name\n"A,b\n', encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        cu.load_economy(bad)
    assert err.value.path.endswith("bad.csv")


def test_economy_values_and_sorting(tmp_path):
    rows = [
        eco("B", "2000", "", "", "2015-03-31", "2016"),
        eco("A", "1.5", "-0.5", "3", "2014-03-31 12:00:00", "2015"),
        eco("A", "1.5", "-0.5", "3", "2014-03-31", "2014"),
    ]
    e = cu.load_economy(write(tmp_path, "eco.csv", ECO_HEADER, rows))
    assert e[["org_id", "fiscal_year"]].values.tolist() == [["A", 2014], ["B", 2015]]
    assert e.loc[0, ["turnover", "profit_before_tax", "member_funds"]].tolist() == [1.5, -0.5, 3.0]
    assert e.loc[0, ["first_economic_year", "last_economic_year", "n_economic_years"]].tolist() == [2014, 2015, 2]
    assert math.isnan(e.loc[1, "profit_before_tax"]) and e.loc[1, "turnover"] == 2000.0
    assert e.loc[0, "year_end"] == pd.Timestamp("2014-03-31") and e.loc[0, "name"] == "x"


def test_organisation_text_is_stripped_and_duplicates_counted(tmp_path):
    rows = [org(" A ", " UKSIC07-0111 ", " Agriculture ", " Live ", " 01/02/2003 "), org("B", "", "", "Dead", "")]
    rows.append(dict(rows[1]))
    o = cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, rows))
    assert o.loc[0, ["org_id", "sic_code", "sector", "status"]].tolist() == ["A", "0111", "Agriculture", "Live"]
    assert o.loc[0, "incorporated"] == pd.Timestamp("2003-02-01")
    assert o.attrs == {"rows_read": 3, "duplicate_rows_dropped": 1} and o["source_line"].tolist() == [2, 3]
    assert o.loc[1, "flags"] == "dead_without_date;no_incorporation_date"
    assert {"incorporated_raw", "dissolved_raw"}.isdisjoint(o.columns)


def test_classified_tables_are_not_classified_again():
    orgs = orgs_table().assign(sector_group=["x", "x", "x", "x"], food_subsector=["", "", "", ""])
    acc = cu.accounts_with_ratios(economy_table(), orgs)
    assert set(acc["sector_group"]) == {"x", "unknown"}
    counts = cu.sector_counts(orgs)
    assert counts.values.tolist() == [["x", "", 4, 2]]


def test_loader_details_by_hand(tmp_path):
    o = cu.load_organisations(write(tmp_path, "o.csv", ORG_HEADER, [
        org("A", "", "", "Dead", "01/02/2003", "01/02/2003"), org("B", "", "", "Live", "")]))
    assert o.loc[0, "flags"] == ""  # dissolved on its incorporation day: not before it
    assert o.columns.tolist()[:2] == ["source_line", "org_id"] and "index" not in o.columns
    rows = [eco("A", "", "1", "1", "2014-03-31", "2014"), eco("A", "5", "1", "1", "2014-03-31", "2015")]
    with pytest.raises(SchemaError) as err:
        cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, rows))  # a blank and a number: different accounts
    assert err.value.message == "different accounts for A on 2014-03-31 depending on the economic year"
    for row, message in ((eco("A", "1", "1", "1", "2015-03-31", "x"), "missing economic year"),
                         (eco("A", "1", "1", "1", "", "2015"), "missing year-end date")):
        with pytest.raises(SchemaError) as err:
            cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, [row]))
        assert err.value.message == message
    e = cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, [eco("B", "1", "1", "1", "2015-03-31", "2015"),
                                                               eco("A", "1", "1", "1", "2014-03-31", "2014")]))
    assert e.index.tolist() == [0, 1] and e["org_id"].tolist() == ["A", "B"] and "index" not in e.columns
    assert e["first_economic_year"].dtype == "int64" and e["last_economic_year"].dtype == "int64"
    with pytest.raises(SchemaError) as err:
        cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, [eco("A", "1", "1", "1", "1980-03-31", "1980")]))
    assert err.value.message.startswith("schema not met: ") and err.value.path.endswith("e.csv")


def test_year_table_small_values_and_other_groupings():
    eco_t = economy_table()
    by = cu.finances_by_year(eco_t, orgs_table())
    first = by.loc[(by["fiscal_year"] == 2011) & (by["group"] == "food")].iloc[0]
    assert first["turnover_total"] == 100.0 and first["n_accounts"] == 1  # one set of accounts has a total
    small = cu.finances_by_year(eco_t.assign(profit_before_tax=0.5), orgs_table())
    assert (small["share_profitable"] == 1.0).all()  # 50 pence of profit is a profit
    assert set(cu.finances_by_year(eco_t, orgs_table(), by="sector")["group"]) >= {"Agriculture", "Retail"}
    assert set(cu.finances_by_year(eco_t, orgs_table(), by="food_subsector")["group"]) >= {"agriculture"}
    assert set(cu.finances(eco_t, orgs_table(), by="sector")["group"]) >= {"Agriculture", "all"}
    with pytest.raises(ParameterError) as err:
        cu.finances_by_year(eco_t, orgs_table(), by="nation")
    assert err.value.field == "by"
    # the groups come out by year, then group, whatever the order of the accounts
    shuffled = cu.finances_by_year(eco_t.iloc[::-1], orgs_table())
    assert shuffled[["fiscal_year", "group"]].values.tolist() == by[["fiscal_year", "group"]].values.tolist()
    counts = cu.sector_counts(orgs_table().iloc[::-1])
    assert counts.index.tolist() == [0, 1, 2]


def test_growth_of_a_small_turnover():
    acc = pd.DataFrame({"org_id": ["a", "a"], "year_end": pd.to_datetime(["2013-01-01", "2014-01-01"]),
                        "turnover": [0.5, 1.0]})
    g = cu._growth(acc)
    assert g["annual_turnover_growth"].tolist() == pytest.approx([2 ** (365.25 / 365) - 1])
