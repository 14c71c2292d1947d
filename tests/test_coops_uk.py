"""Co-operatives UK loaders, food classification and finances on hand-made (synthetic) co-ops, plus real
counts."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.food import coops_uk as cu

ORG_HEADER = list(cu.ORG_COLUMNS)
ECO_HEADER = list(cu.ECONOMY_COLUMNS)


def org(oid: str, sic: str, sector: str, status: str, inc: str, dis: str = "") -> dict[str, str]:
    row = {h: "" for h in ORG_HEADER}
    row.update(
        {
            "CUK Organisation ID": oid,
            "Registered Name": f"Synthetic co-op {oid}",
            "SIC Code": sic,
            "Sector - Simplified, High Level": sector,
            "Registered Status": status,
            "Incorporation Date": inc,
            "Dissolved Date": dis,
        }
    )
    return row


# Hand-made co-ops (synthetic). R1 appears twice, identically (as in the real extract).
ORGS = [
    org("R1", "UKSIC07-4711", "Retail", "Live", "11/8/1863"),
    org("R1", "UKSIC07-4711", "Retail", "Live", "11/8/1863"),
    org("R2", "UKSIC07-01", "Agriculture", "Dead", "25/01/1988", "15/09/2012"),
    org("R3", "UKSIC07-47", "Retail", "Live", "07/02/2014"),
    org("R4", "UKSIC07-9499", "Membership associations, social clubs and trade unions", "Dead", ""),
    org("R5", "", "Agriculture", "Live", "01/01/2000"),
    org("R6", "UKSIC07-4726", "Retail", "Live", "01/01/2000"),
    org("R7", "UKSIC07-471", "Retail", "Live", "01/01/2000"),
]


def eco(oid: str, turnover: str, pbt: str, funds: str, year_end: str, econ_year: str) -> dict[str, str]:
    return {
        "CUK Organisation ID": oid,
        "Registered Name": "x",
        "Turnover": turnover,
        "Profit before tax": pbt,
        "Member/Shareholder Funds": funds,
        "Memberships": "",
        "Employees": "",
        "Is Most Recent?": "1",
        "Year End Date": f"{year_end} 00:00:00" if year_end else "",
        "Economic Year": econ_year,
    }


ECONOMY = [
    eco("R1", "1000", "100", "500", "2011-12-31", "2012"),
    eco("R1", "2000", "100", "500", "2013-12-31", "2014"),
    eco("R1", "2000", "100", "500", "2013-12-31", "2015"),  # carried forward
    eco("R1", "2000", "100", "500", "2013-12-31", "2016"),  # carried forward
    eco("R2", "400", "-40", "100", "2011-03-31", "2011"),
    eco("R3", "300", "30", "600", "2015-01-02", "2015"),
    eco("R4", "0", "-10", "50", "2012-06-30", "2012"),
    eco("N/a", "9999", "", "", "", "2011"),  # a national aggregate, not an organisation
]


def write(tmp_path, name, header, rows):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture()
def orgs(tmp_path):
    return cu.load_organisations(write(tmp_path, "orgs.csv", ORG_HEADER, ORGS))


@pytest.fixture()
def economy(tmp_path):
    return cu.load_economy(write(tmp_path, "eco.csv", ECO_HEADER, ECONOMY))


def test_load_organisations(orgs):
    assert orgs.attrs["duplicate_rows_dropped"] == 1 and len(orgs) == 7
    r = orgs.set_index("org_id")
    assert r.loc["R1", "incorporated"] == pd.Timestamp("1863-08-11")  # day/month/year, unpadded
    assert r.loc["R2", "dissolved"] == pd.Timestamp("2012-09-15")
    assert r.loc["R4", "flags"] == "dead_without_date;no_incorporation_date"
    assert r.loc["R1", "sic_code"] == "4711"


def test_bad_date_and_conflicting_duplicate(tmp_path):
    with pytest.raises(SchemaError) as err:
        cu.load_organisations(
            write(tmp_path, "o.csv", ORG_HEADER, [*ORGS[:2], org("R9", "", "", "Live", "2014-02-07")])
        )
    assert err.value.line == 4 and err.value.field == "Incorporation Date"
    with pytest.raises(SchemaError, match="R1"):
        cu.load_organisations(write(tmp_path, "o2.csv", ORG_HEADER, [ORGS[0], org("R1", "", "", "Dead", "")]))
    with pytest.raises(MissingDatasetError, match="make data"):
        cu.load_organisations(tmp_path / "absent.csv")


def test_load_economy_collapses_carried_forward_accounts(economy):
    assert economy.attrs == {
        "rows_read": 8,
        "aggregate_rows_dropped": 1,
        "carried_forward_rows_collapsed": 2,
        "accounts": 5,
    }
    r1 = economy.loc[economy["org_id"] == "R1"].set_index("fiscal_year")
    assert r1.loc[2013, "first_economic_year"] == 2014 and r1.loc[2013, "n_economic_years"] == 3
    # a 52-week year ending on 2 January belongs to the previous financial year
    assert economy.loc[economy["org_id"] == "R3", "fiscal_year"].item() == 2014


def test_economy_conflicting_values_raise(tmp_path):
    rows = [
        eco("R1", "1000", "1", "1", "2011-12-31", "2012"),
        eco("R1", "1001", "1", "1", "2011-12-31", "2013"),
    ]
    with pytest.raises(SchemaError, match="R1"):
        cu.load_economy(write(tmp_path, "e.csv", ECO_HEADER, rows))


def test_classify_sector(orgs):
    c = cu.classify_sector(orgs).set_index("org_id")
    assert c["food_subsector"].to_dict() == {
        "R1": "food_retail",
        "R2": "agriculture",
        "R3": "",
        "R4": "",
        "R5": "agriculture",
        "R6": "",
        "R7": "food_retail",
    }
    assert c.loc["R5", "food_rule"] == "sector:Agriculture"  # no SIC code: falls back on the sector
    assert c.loc["R7", "food_rule"] == "sic:471"
    assert c["sector_group"].value_counts().to_dict() == {"food": 4, "other": 3}


def test_compute_finances_by_hand(economy, orgs):
    t = cu.finances(economy, orgs).set_index(["group", "metric"])
    # latest accounts: food R1 (2000, 100, 500), R2 (400, -40, 100); other R3 (300, 30, 600), R4 (0, -10, 50)
    assert t.loc[("food", "turnover"), "q50"] == 1200
    assert t.loc[("food", "profit_margin"), "q50"] == pytest.approx((0.05 - 0.1) / 2)
    assert t.loc[("food", "member_funds_ratio"), "mean"] == pytest.approx((0.25 + 0.25) / 2)
    assert t.loc[("other", "profit_margin"), "n"] == 1  # zero turnover gives no margin
    # growth: only R1 has two sets of accounts: (2000/1000)^(1/(731/365.25)) - 1
    assert t.loc[("food", "annual_turnover_growth"), "n"] == 1
    assert t.loc[("food", "annual_turnover_growth"), "mean"] == pytest.approx(2 ** (365.25 / 731) - 1)
    assert t.loc[("all", "turnover"), "n"] == 4
    pooled = cu.finances(economy, orgs, accounts="all").set_index(["group", "metric"])
    assert pooled.loc[("food", "turnover"), "n"] == 3
    with pytest.raises(ParameterError):
        cu.finances(economy, orgs, accounts="first")
    by_year = cu.finances_by_year(economy, orgs)
    assert (
        by_year.loc[(by_year["fiscal_year"] == 2011) & (by_year["group"] == "food"), "n_accounts"].item() == 2
    )


@pytest.fixture(scope="module")
def real():
    mirror = paths.default_mirror()
    base = mirror / "external" if mirror else None
    if base is None or not (base / cu.ORGANISATIONS_FILE).exists() or not (base / cu.ECONOMY_FILE).exists():
        pytest.skip("miroir des données externes absent (Co-operatives UK)")
    return cu.load_organisations(base / cu.ORGANISATIONS_FILE), cu.load_economy(base / cu.ECONOMY_FILE)


def test_real_headlines(real):
    orgs, economy = real
    assert orgs.attrs == {"rows_read": 8037, "duplicate_rows_dropped": 18} and len(orgs) == 8019
    assert economy.attrs == {
        "rows_read": 32292,
        "aggregate_rows_dropped": 28,
        "carried_forward_rows_collapsed": 19932,
        "accounts": 12332,
    }
    c = cu.classify_sector(orgs)
    assert c["food_subsector"].value_counts().to_dict() == {
        "": 7043,
        "agriculture": 495,
        "food_retail": 437,
        "food_processing": 24,
        "food_wholesale": 20,
    }
    t = cu.finances(economy, c).set_index(["group", "metric"])
    assert t.loc[("food", "profit_margin"), "n"] == 665
    assert t.loc[("food", "profit_margin"), "q50"] == pytest.approx(0.00718, abs=1e-5)
    assert t.loc[("other", "profit_margin"), "q50"] == pytest.approx(0.01464, abs=1e-5)
