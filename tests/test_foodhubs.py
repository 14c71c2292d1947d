"""Food hub survey: cleaning and viability tables on hand-made (synthetic) hubs, plus headline counts on the
real file."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.food import foodhubs as fh

HEADER = [
    "Survey Year",
    "ID",
    "State",
    "Zip",
    "Region",
    "LegalStat",
    "LegalStat_Other_TEXT",
    "LegalStatCat",
    "Year",
    "YearsinOperation",
    "BusModel",
    "Revenue",
    "GrossSales",
    "Expenses",
    "OER",
    "Customer%Total",
    "CustomerType%_Direct",
    "CustType%_RetailTotal",
    "CustType%_DistTotal",
    "CustType%_InstTotal",
    "CustType%_OtherTotal",
    "CustomerType%_Hubs",
    "GrantDependence",
]


def hub(**kw: str) -> dict[str, str]:
    row = {h: "" for h in HEADER}
    row.update(
        {
            "Survey Year": "2013",
            "State": "VT",
            "Region": "New England",
            "Customer%Total": "0",
            "Year": "2010",
            "YearsinOperation": "3",
        }
    )
    row.update(kw)
    return row


# Five hand-made hubs (synthetic, not survey records).
HUBS = [
    hub(
        ID="Hub A",
        LegalStat="Producer Cooperative",
        LegalStatCat="Cooperative",
        Revenue="100000",
        GrossSales="100000",
        Expenses="90000",
        OER="0.9",
        GrantDependence="Not at all dependent",
        **{"Customer%Total": "100", "CustomerType%_Direct": "50", "CustType%_RetailTotal": "50"},
    ),
    hub(
        ID="Hub B",
        LegalStat="Nonprofit",
        LegalStatCat="Nonprofit",
        Revenue="200000",
        Expenses="250000",
        GrantDependence="Highly dependent",
        YearsinOperation="12",
        Year="2001",
    ),
    hub(
        ID="Hub C",
        **{"Survey Year": "2015"},
        LegalStat="LLC",
        LegalStatCat="For-profit",
        Revenue=" ",
        Expenses="1000",
        GrantDependence="",
        Year="2014",
        YearsinOperation="1",
    ),
    hub(
        ID="Hub D",
        LegalStat="Other",
        LegalStat_Other_TEXT="Worker Co-operative",
        LegalStatCat="Other",
        Revenue="50000",
        Expenses="50000",
        GrantDependence="Somewhat dependent",
        YearsinOperation="8",
        Year="2005",
    ),
    hub(
        ID="Hub E",
        LegalStat="Publicly-owned",
        LegalStatCat="Cooperative",
        Revenue="1000000",
        Expenses="40000",
        GrantDependence="Highly dependent",
        **{"CustomerType%_Hubs": "ND"},
    ),
]


def write(tmp_path, rows) -> str:
    path = tmp_path / "survey.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture()
def hubs(tmp_path) -> pd.DataFrame:
    return fh.load_food_hub_survey(write(tmp_path, HUBS))


def test_cleaning_statuses_numbers_and_flags(hubs):
    assert hubs["legal_status"].tolist() == ["cooperative", "nonprofit", "for_profit", "cooperative", "other"]
    assert (
        hubs["legal_status_survey"].tolist()[4] == "cooperative"
    )  # the survey's own category, kept beside ours
    assert np.isnan(hubs.loc[2, "revenue"])  # blank text -> missing, not 0
    np.testing.assert_allclose(hubs["oer"].to_numpy()[[0, 1, 3, 4]], [0.9, 1.25, 1.0, 0.04])
    assert hubs["breakeven"].tolist()[:2] == [True, False] and hubs["breakeven"].tolist()[3] is True
    assert pd.isna(hubs.loc[2, "breakeven"])
    assert hubs.loc[4, "flags"] == "oer_extreme;status_recoded"
    assert hubs.loc[0, "flags"] == ""
    assert hubs["grant_dependence"].tolist()[:2] == ["not", "highly"]
    assert hubs.loc[0, "cust_direct"] == 50 and np.isnan(
        hubs.loc[1, "cust_direct"]
    )  # customer question unanswered
    assert hubs["source_line"].tolist() == [2, 3, 4, 5, 6]


def test_normalize_other_text():
    assert fh.normalize_legal_status("Other", "Agricultural Marketing Cooperative") == "cooperative"
    assert fh.normalize_legal_status("Other", "affiliated with the Cooperative Extension Service") == "other"
    assert fh.normalize_legal_status("Other", "Sole Proprietorship") == "for_profit"
    assert fh.normalize_legal_status("Other", "not-for-profit (cooperative) and C-Corp") == "other"
    assert fh.normalize_legal_status("S Corp") == "for_profit"


def test_compute_by_status_by_hand(hubs):
    t = fh.breakeven_by_status(hubs).set_index("legal_status")
    coop = t.loc["cooperative"]
    assert coop["n"] == 2 and coop["n_breakeven"] == 2 and coop["breakeven_share"] == 1.0
    assert coop["revenue_median"] == 75000 and coop["oer_median"] == pytest.approx(0.95)
    assert coop["grant_any_share"] == 0.5 and coop["years_median"] == 5.5
    assert coop["cust_retail_mean"] == 50 and coop["n_customers"] == 1
    assert t.loc["nonprofit", "breakeven_share"] == 0.0
    assert t.loc["for_profit", "n_oer"] == 0
    assert t.loc["other", "n"] == 0 and t.loc["other", "n_excluded"] == 1  # oer_extreme excluded by default
    kept_all = fh.breakeven_by_status(hubs, exclude_flags=()).set_index("legal_status")
    assert kept_all.loc["other", "n_breakeven"] == 1


def test_compute_by_age(hubs):
    t = fh.breakeven_by_age(hubs, startup_max_years=5).set_index(["stage", "legal_status"])
    assert t.loc[("startup", "cooperative"), "n"] == 1  # Hub A (3 years)
    assert t.loc[("established", "cooperative"), "n"] == 1  # Hub D (8 years)
    assert t.loc[("established", "all"), "n"] == 2


def test_bad_number_names_line_and_column(tmp_path):
    rows = [*HUBS[:2], hub(ID="Bad", LegalStat="LLC", Revenue="12k")]
    with pytest.raises(SchemaError) as err:
        fh.load_food_hub_survey(write(tmp_path, rows))
    assert err.value.line == 4 and err.value.field == "Revenue"


def test_missing_file_says_make_data(tmp_path):
    with pytest.raises(MissingDatasetError, match="make data"):
        fh.load_food_hub_survey(tmp_path / "absent.csv")


def synthetic_model_hubs(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """Seeded synthetic hubs where co-ops have true odds ratio 3 of break-even vs non-profits (others 1)."""
    rng = np.random.default_rng(seed)
    status = rng.choice(["cooperative", "nonprofit", "for_profit"], size=n, p=[0.3, 0.4, 0.3])
    years = rng.integers(0, 20, size=n).astype(float)
    revenue = 10 ** rng.uniform(4, 7, size=n)
    grant = rng.choice(["not", "somewhat", "highly"], size=n)
    wave = rng.choice([2013, 2015], size=n)
    logit = -0.2 + np.log(3) * (status == "cooperative")
    be = rng.uniform(size=n) < 1 / (1 + np.exp(-logit))
    oer = np.where(be, 0.9, 1.1)
    df = pd.DataFrame(
        {
            "source_line": np.arange(2, n + 2),
            "survey_year": wave,
            "hub": [f"h{i}" for i in range(n)],
            "legal_status": status,
            "years_in_operation": years,
            "revenue": revenue,
            "expenses": revenue * oer,
            "oer": oer,
            "breakeven": pd.array(be, dtype="boolean"),
            "grant_dependence": grant,
            "flags": "",
        }
    )
    df.loc[:9, "grant_dependence"] = None
    df.loc[10:14, "flags"] = "oer_extreme"
    return df


def test_breakeven_model_recovers_odds_ratio_and_lists_exclusions():
    res = fh.fit_breakeven_model(synthetic_model_hubs())
    ors = res["odds_ratios"].set_index("term")
    coop = ors.loc["legal_status[cooperative]"]
    assert coop["ci_low"] < 3 < coop["ci_high"] and coop["p_value"] < 0.001
    assert ors.loc["legal_status[for_profit]", "ci_low"] < 1 < ors.loc["legal_status[for_profit]", "ci_high"]
    assert res["n_used"] == 585
    assert res["excluded_by_reason"].set_index("reason")["n_rows"].to_dict() == {
        "missing_grant_dependence": 10,
        "flag:oer_extreme": 5,
    }
    assert {"startup", "log10_revenue", "survey_year[2015]"} <= set(ors.index)
    with pytest.raises(ParameterError):
        fh.fit_breakeven_model(synthetic_model_hubs(), reference="coop")


@pytest.fixture(scope="module")
def real_hubs():
    mirror = paths.default_mirror()
    path = mirror / "external" / fh.SURVEY_FILE if mirror else None
    if path is None or not path.exists():
        pytest.skip("miroir des données externes absent (National Food Hub Survey)")
    return fh.load_food_hub_survey(path)


def test_real_survey_headlines(real_hubs):
    assert len(real_hubs) == 707
    assert real_hubs["legal_status"].value_counts().to_dict() == {
        "nonprofit": 300,
        "for_profit": 267,
        "cooperative": 102,
        "other": 38,
    }
    assert real_hubs["survey_year"].value_counts().sort_index().tolist() == [110, 151, 131, 109, 107, 99]
    t = fh.breakeven_by_status(real_hubs).set_index("legal_status")
    assert (t.loc["cooperative", "n_breakeven"], t.loc["cooperative", "n_oer"]) == (49, 58)
    assert (t.loc["nonprofit", "n_breakeven"], t.loc["nonprofit", "n_oer"]) == (107, 159)
    assert (t.loc["for_profit", "n_breakeven"], t.loc["for_profit", "n_oer"]) == (113, 154)
    res = fh.fit_breakeven_model(real_hubs)
    assert res["n_used"] == 375 and res["converged"]
    assert res["n_used"] + len(res["excluded"]) == 707


def test_real_directory_status_counts():
    mirror = paths.default_mirror()
    path = mirror / "external" / fh.DIRECTORY_FILE if mirror else None
    if path is None or not path.exists():
        pytest.skip("miroir des données externes absent (USDA Food Hub Directory)")
    d = fh.load_food_hub_directory(path)
    assert len(d) == 480
    assert d["legal_status"].value_counts().to_dict() == {
        "": 266,
        "for_profit": 101,
        "nonprofit": 84,
        "cooperative": 25,
        "other": 4,
    }
    counts = fh.directory_status_counts(d)
    assert counts.loc[0, "legal_status_raw"] == "" and counts.loc[0, "legal_status"] == "not_stated"
    assert counts["n_hubs"].sum() == 480
