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


# ---- the published expense ratio of one wave, and the result without that wave (issue 14) -------------------------
# Hand-made hubs (synthetic): the 2015 wave publishes 1.107 × expenses / revenue, the 2017 wave the ratio itself.
ARTEFACT_HUBS = [
    hub(ID="W1", **{"Survey Year": "2015"}, LegalStat="Nonprofit", Revenue="100000", Expenses="80000", OER="0.886"),
    hub(ID="W2", **{"Survey Year": "2015"}, LegalStat="Nonprofit", Revenue="100000", Expenses="100000", OER="1.107"),
    hub(ID="W3", **{"Survey Year": "2015"}, LegalStat="LLC", Revenue="200000", Expenses="100000", OER="0.554"),
    hub(ID="W4", **{"Survey Year": "2015"}, LegalStat="LLC", Revenue="100000", Expenses="50000", OER="0.6"),
    hub(ID="W5", **{"Survey Year": "2017"}, LegalStat="Nonprofit", Revenue="100000", Expenses="120000", OER="1.2"),
    hub(ID="W6", **{"Survey Year": "2017"}, LegalStat="LLC", Revenue="100000", Expenses="90000", OER="0.9"),
    hub(ID="W7", **{"Survey Year": "2017"}, LegalStat="LLC", Revenue="100000", Expenses="90000"),
]


def test_published_ratio_by_wave_names_the_wave_and_its_factor(tmp_path):
    hubs = fh.load_food_hub_survey(write(tmp_path, ARTEFACT_HUBS))
    by_wave = fh.reported_oer_by_wave(hubs).set_index("survey_year")
    # 2015: published / recomputed = 0.886/0.8 = 1.1075, 1.107/1.0 = 1.107, 0.554/0.5 = 1.108, 0.6/0.5 = 1.2
    # -> median (1.1075 + 1.108) / 2 = 1.10775; within 0.0005 of it: 1.1075, 1.108 (and not 1.107: gap 0.00075)
    assert by_wave.loc[2015, ["n", "n_compared", "n_differs", "n_at_factor"]].tolist() == [4, 4, 4, 2]
    assert by_wave.loc[2015, "ratio_median"] == pytest.approx(1.10775)
    # 2017: two published ratios equal to expenses / revenue, one not published
    assert by_wave.loc[2017, ["n", "n_compared", "n_differs", "n_at_factor"]].tolist() == [3, 2, 0, 2]
    assert by_wave.loc[2017, "ratio_median"] == pytest.approx(1.0)
    art = fh.reported_oer_artefact(fh.reported_oer_by_wave(hubs))
    assert art["waves"] == (2015,) and art["n_differs"] == 4 and art["n_responses"] == 4
    assert art["factor"] == pytest.approx(1.10775) and (art["n_compared"], art["n_at_factor"]) == (4, 2)
    rest = fh.without_survey_waves(hubs, art["waves"])
    assert rest["hub"].tolist() == ["W5", "W6", "W7"]
    with pytest.raises(ParameterError):
        fh.without_survey_waves(hubs, "2015")


def test_published_ratio_spread_over_two_waves_has_no_single_factor(tmp_path):
    rows = [*ARTEFACT_HUBS, hub(ID="W8", **{"Survey Year": "2017"}, LegalStat="LLC", Revenue="100", Expenses="50",
                                OER="0.9")]
    art = fh.reported_oer_artefact(fh.reported_oer_by_wave(fh.load_food_hub_survey(write(tmp_path, rows))))
    assert art["waves"] == (2015, 2017) and art["n_differs"] == 5 and np.isnan(art["factor"])


def test_real_survey_2015_artefact_and_the_result_without_it(real_hubs):
    by_wave = fh.reported_oer_by_wave(real_hubs)
    art = fh.reported_oer_artefact(by_wave)
    # every "published OER differs" row is in the 2015 wave, whose published ratio is 1.107 × expenses / revenue
    assert art["waves"] == (2015,) and art["n_differs"] == 82 and art["n_responses"] == 151
    assert art["factor"] == pytest.approx(1.107, abs=5e-4)
    assert (art["n_compared"], art["n_at_factor"]) == (85, 72)
    assert by_wave.loc[by_wave["survey_year"] != 2015, "ratio_median"].tolist() == pytest.approx([1.0] * 5)
    rest = fh.without_survey_waves(real_hubs, art["waves"])
    t = fh.breakeven_by_status(rest).set_index("legal_status")
    assert (t.loc["cooperative", "n_breakeven"], t.loc["cooperative", "n_oer"]) == (32, 39)
    assert (t.loc["nonprofit", "n_breakeven"], t.loc["nonprofit", "n_oer"]) == (87, 130)
    coop = fh.fit_breakeven_model(rest)["odds_ratios"].set_index("term").loc["legal_status[cooperative]"]
    assert coop["odds_ratio"] == pytest.approx(2.38, abs=0.01)
    assert coop["ci_low"] == pytest.approx(0.91, abs=0.01) and coop["ci_high"] == pytest.approx(6.25, abs=0.01)
    everything = fh.fit_breakeven_model(real_hubs)["odds_ratios"].set_index("term").loc["legal_status[cooperative]"]
    assert everything["ci_low"] == pytest.approx(1.18, abs=0.01)
    assert everything["ci_high"] == pytest.approx(6.35, abs=0.01)
