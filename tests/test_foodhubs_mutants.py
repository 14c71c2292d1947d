"""Food hub survey: every plausibility threshold at its edge, Wilson intervals and odds ratios against independent
computations, and the errors (issue 21). Hand-made synthetic hubs (not survey records)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from test_foodhubs import HEADER, HUBS, hub, write

from analysis.core.errors import InputFormatError, MissingDatasetError, ParameterError, SchemaError
from analysis.food import foodhubs as fh


def flags_of(tmp_path, rows) -> list[str]:
    return fh.load_food_hub_survey(write(tmp_path, rows))["flags"].tolist()


def test_expense_ratio_bounds_are_inclusive(tmp_path):
    rows = [
        hub(ID="low_edge", LegalStat="LLC", LegalStatCat="For-profit", Revenue="100000", Expenses="20000"),
        hub(ID="below", LegalStat="LLC", LegalStatCat="For-profit", Revenue="100000", Expenses="19999"),
        hub(ID="high_edge", LegalStat="LLC", LegalStatCat="For-profit", Revenue="10000", Expenses="50000"),
        hub(ID="above", LegalStat="LLC", LegalStatCat="For-profit", Revenue="10000", Expenses="50001"),
    ]
    # OER 0.2 and 5.0 are plausible; 0.19999 and 5.0001 are not
    assert flags_of(tmp_path, rows) == ["", "oer_extreme", "", "oer_extreme"]


def test_revenue_sales_and_age_thresholds(tmp_path):
    base = {"LegalStat": "LLC", "LegalStatCat": "For-profit", "Expenses": "1000"}
    rows = [
        hub(ID="r1000", Revenue="1000", **base),
        hub(ID="r999", Revenue="999", **{**base, "Expenses": "999"}),
        hub(ID="sales_105", Revenue="1000", GrossSales="1050", **base),
        hub(ID="sales_106", Revenue="1000", GrossSales="1060", **base),
        hub(ID="sales_1pct", Revenue="1000", GrossSales="10", **base),
        hub(ID="sales_below", Revenue="1000", GrossSales="9", **base),
        hub(ID="age_gap_1", Revenue="1000", Year="2011", YearsinOperation="3", **base),  # 2013 - 2011 - 3 = -1
        hub(ID="age_gap_2", Revenue="1000", Year="2012", YearsinOperation="3", **base),  # 2013 - 2012 - 3 = -2
        hub(ID="oer_same", Revenue="1000", OER="1.005", **base),  # |1.005 - 1| = 0.005
        hub(ID="oer_off", Revenue="1000", OER="1.02", **base),
    ]
    assert flags_of(tmp_path, rows) == [
        "", "revenue_below_1000", "", "sales_revenue_mismatch", "", "sales_revenue_mismatch", "", "age_mismatch",
        "", "oer_reported_differs",
    ]


def test_customer_total_bounds_and_duplicates(tmp_path):
    base = {"LegalStat": "Nonprofit", "LegalStatCat": "Nonprofit", "Revenue": "5000", "Expenses": "5000"}
    rows = [
        hub(ID="c95", **{"Customer%Total": "95"}, **base),
        hub(ID="c94", **{"Customer%Total": "94"}, **base),
        hub(ID="c105", **{"Customer%Total": "105"}, **base),
        hub(ID="c106", **{"Customer%Total": "106"}, **base),
        hub(ID="twice", **base),
        hub(ID="twice", **base),
        hub(ID="twice", **{"Survey Year": "2015"}, Year="2012", **base),  # another wave: not a duplicate
        hub(ID="", **base),
        hub(ID="", **base),  # blank identifiers are not duplicates of each other
    ]
    assert flags_of(tmp_path, rows) == [
        "", "customer_total_off", "", "customer_total_off", "duplicate_hub_year", "duplicate_hub_year", "", "", "",
    ]


def test_numbers_missing_tokens_and_status_codes(tmp_path):
    rows = [
        hub(ID="a", LegalStat="Consumer Cooperative", LegalStatCat="cooperative", Revenue="NA", Expenses="N/A",
            GrantDependence="Somewhat dependent"),
        hub(ID="b", LegalStat="B Corp", LegalStatCat="For-Profit", Revenue="2000", Expenses="3000",
            GrantDependence="Not at all dependent"),
        hub(ID="c", LegalStat="", LegalStatCat="", Revenue="ND", Expenses="10", GrantDependence="ND"),
    ]
    hubs = fh.load_food_hub_survey(write(tmp_path, rows))
    assert hubs["legal_status"].tolist() == ["cooperative", "for_profit", "other"]
    assert hubs["legal_status_survey"].tolist() == ["cooperative", "for_profit", "other"]
    assert hubs["revenue"].isna().tolist() == [True, False, True]
    # no revenue: no expense ratio, no break-even
    assert math.isnan(hubs.loc[2, "oer"]) and pd.isna(hubs.loc[2, "breakeven"])
    assert hubs.loc[1, "oer"] == pytest.approx(1.5) and not hubs.loc[1, "breakeven"]
    assert hubs["grant_dependent"].tolist()[:2] == [True, False] and pd.isna(hubs.loc[2, "grant_dependent"])
    assert hubs["founding_year"].dtype == "Int64" and hubs["survey_year"].tolist() == [2013] * 3


def test_loader_errors_name_file_line_and_column(tmp_path):
    with pytest.raises(SchemaError, match="missing survey year") as err:
        fh.load_food_hub_survey(write(tmp_path, [HUBS[0], hub(ID="x", **{"Survey Year": ""})]))
    assert (err.value.line, err.value.field) == (3, "Survey Year")
    path = tmp_path / "short.csv"
    path.write_text("Survey Year,ID\n2013,a\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="missing columns: Year, YearsinOperation") as err:
        fh.load_food_hub_survey(path)
    assert err.value.field == "Year"
    latin = tmp_path / "latin.csv"
    latin.write_bytes((",".join(HEADER) + "\n").encode() + "2013,coopé".encode("latin-1"))
    with pytest.raises(InputFormatError, match="unreadable CSV"):
        fh.load_food_hub_survey(latin)
    with pytest.raises(SchemaError, match="not a number: 'lots'") as err:
        fh.load_food_hub_survey(write(tmp_path, [hub(ID="x", Expenses="lots")]))
    assert (err.value.line, err.value.field) == (2, "Expenses")


@pytest.mark.parametrize(("raw", "text", "expected"), [
    ("Producer-Consumer Cooperative", "", "cooperative"),
    ("Non-profit", "", "nonprofit"),
    ("C Corp", "", "for_profit"),
    ("L3C", "", "for_profit"),
    ("Publicly owned", "", "other"),
    ("No formal legal structure", "", "other"),
    ("Something new", "", "other"),
    (None, "", "other"),
    ("  OTHER ", "cooperative", "cooperative"),
    ("Other", "   ", "other"),
    ("Other", "", "other"),
    ("Other", "L.C.", "for_profit"),
    ("Other", "self-employed farmer", "for_profit"),
    ("Other", "Benefit Corporation", "for_profit"),
    ("Other", "a Nonprofit co-operative", "other"),
    ("Other", "Cooperative extension office", "other"),
    ("Other", "tribal enterprise", "other"),
])
def test_legal_status_codes(raw, text, expected):
    assert fh.normalize_legal_status(raw, text) == expected


def wilson(k: int, n: int, z: float = stats.norm.ppf(0.975)) -> tuple[float, float]:
    """Wilson (1927) score interval written out by hand."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def summary_hubs() -> pd.DataFrame:
    """Four hand-made responses of one status (two break-even) and two of another, as the loader returns them."""
    return pd.DataFrame({
        "source_line": [2, 3, 4, 5, 6, 7],
        "survey_year": [2013] * 6,
        "hub": list("abcdef"),
        "legal_status": ["cooperative"] * 4 + ["nonprofit"] * 2,
        "revenue": [1000.0, 2000.0, 3000.0, 4000.0, 10_000.0, np.nan],
        "expenses": [900.0, 2400.0, 2700.0, 6000.0, 5000.0, 10.0],
        "oer": [0.9, 1.2, 0.9, 1.5, 0.5, np.nan],
        "breakeven": pd.array([True, False, True, False, True, pd.NA], dtype="boolean"),
        "grant_dependence": ["highly", "not", None, "somewhat", "not", "highly"],
        "years_in_operation": [1.0, 5.0, 6.0, np.nan, 10.0, 2.0],
        "customer_total": [100.0, 0.0, 100.0, 0.0, 0.0, 0.0],
        "cust_direct": [20.0, np.nan, 60.0, np.nan, np.nan, np.nan],
        "cust_retail": [80.0, np.nan, 40.0, np.nan, np.nan, np.nan],
        "cust_wholesale": [0.0, np.nan, 0.0, np.nan, np.nan, np.nan],
        "cust_institution": [0.0, np.nan, 0.0, np.nan, np.nan, np.nan],
        "cust_other": [0.0, np.nan, 0.0, np.nan, np.nan, np.nan],
        "flags": ["", "", "", "", "", "revenue_below_1000"],
    })


def test_profile_by_status_by_hand():
    t = fh.breakeven_by_status(summary_hubs()).set_index("legal_status")
    c = t.loc["cooperative"]
    assert (c["n"], c["n_revenue"], c["n_oer"], c["n_breakeven"], c["n_grant"], c["n_years"]) == (4, 4, 4, 2, 3, 3)
    # revenue 1000..4000: median 2500, quartiles 1750 and 3250 (linear interpolation)
    assert (c["revenue_median"], c["revenue_q25"], c["revenue_q75"]) == (2500, 1750, 3250)
    # OER 0.9, 0.9, 1.2, 1.5: median 1.05, q25 0.9, q75 1.275
    assert c["oer_median"] == pytest.approx(1.05) and c["oer_q25"] == pytest.approx(0.9)
    assert c["oer_q75"] == pytest.approx(1.275)
    assert c["breakeven_share"] == 0.5
    low, high = wilson(2, 4)
    assert c["breakeven_ci_low"] == pytest.approx(low) and c["breakeven_ci_high"] == pytest.approx(high)
    assert c["breakeven_ci_low"] == pytest.approx(0.1500, abs=1e-4)  # Wilson 2/4: [0.150, 0.850]
    assert c["grant_highly_share"] == pytest.approx(1 / 3) and c["grant_any_share"] == pytest.approx(2 / 3)
    # years 1, 5, 6: median 5, quartiles 3 and 5.5
    assert (c["years_median"], c["years_q25"], c["years_q75"]) == (5, 3, 5.5)
    assert c["n_customers"] == 2 and c["cust_direct_mean"] == 40 and c["cust_retail_mean"] == 60
    assert c["n_excluded"] == 0
    n = t.loc["nonprofit"]
    assert (n["n"], n["n_excluded"]) == (2, 0)  # revenue_below_1000 is not excluded by default
    lo1, hi1 = wilson(1, 1)
    assert n["breakeven_ci_low"] == pytest.approx(lo1) and n["breakeven_ci_high"] == pytest.approx(hi1)
    assert n["n_customers"] == 0 and math.isnan(n["cust_direct_mean"])
    other = t.loc["other"]
    assert other["n"] == 0 and math.isnan(other["breakeven_share"]) and math.isnan(other["breakeven_ci_low"])
    assert math.isnan(other["revenue_median"]) and math.isnan(other["years_q75"])
    assert t.loc["all", "n"] == 6 and t.loc["all", "n_breakeven"] == 3
    dropped = fh.breakeven_by_status(summary_hubs(), exclude_flags=("revenue_below_1000",)).set_index("legal_status")
    assert dropped.loc["nonprofit", "n"] == 1 and dropped.loc["nonprofit", "n_excluded"] == 1
    assert dropped.loc["all", "n_excluded"] == 1
    with pytest.raises(ParameterError, match="expected a tuple of flags"):
        fh.breakeven_by_status(summary_hubs(), exclude_flags="oer_extreme")
    with pytest.raises(ParameterError, match="exclude_flags"):
        fh.breakeven_by_status(summary_hubs(), exclude_flags=("nope",))


def test_age_split_puts_the_threshold_in_startups():
    t = fh.breakeven_by_age(summary_hubs(), startup_max_years=5).set_index(["stage", "legal_status"])
    # co-ops with an age: 1 and 5 years are start-ups (5 <= 5), 6 is established; d has no age and is left out
    assert t.loc[("startup", "cooperative"), "n"] == 2
    assert t.loc[("established", "cooperative"), "n"] == 1
    assert t.loc[("startup", "all"), "n"] == 3 and t.loc[("established", "all"), "n"] == 2
    with pytest.raises(ParameterError):
        fh.breakeven_by_age(summary_hubs(), startup_max_years=0)


def test_model_frame_reasons_in_order_and_startup_edge():
    used, excluded = fh.model_frame(summary_hubs(), startup_max_years=5, exclude_flags=("revenue_below_1000",))
    # c: no grant answer; d: no age; f: flagged (its missing revenue comes second)
    assert excluded[["hub", "reason"]].values.tolist() == [
        ["c", "missing_grant_dependence"], ["d", "missing_years_in_operation"], ["f", "flag:revenue_below_1000"]]
    assert used["hub"].tolist() == ["a", "b", "e"]
    assert used["startup"].tolist() == [1, 1, 0]  # 1 and 5 years: start-ups; 10: established
    assert used["y"].tolist() == [1, 0, 1]
    assert used["log10_revenue"].tolist() == pytest.approx([3.0, math.log10(2000), 4.0])
    _, excluded = fh.model_frame(summary_hubs(), exclude_flags=())
    assert excluded.set_index("hub").loc["f", "reason"] == "missing_revenue"
    no_expenses = summary_hubs().assign(expenses=[np.nan] + [1.0] * 5)
    assert fh.model_frame(no_expenses)[1].set_index("hub").loc["a", "reason"] == "missing_expenses"


def model_hubs(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Seeded synthetic responses for the model (not survey records)."""
    rng = np.random.default_rng(seed)
    status = rng.choice(["cooperative", "nonprofit", "for_profit"], size=n)
    years = rng.integers(0, 20, size=n).astype(float)
    revenue = 10 ** rng.uniform(4, 7, size=n)
    grant = rng.choice(["not", "somewhat", "highly"], size=n)
    wave = rng.choice([2013, 2015, 2017], size=n)
    logit = -0.5 + 1.0 * (status == "cooperative") + 0.4 * (years <= 5) + 0.2 * np.log10(revenue) - 0.5 * (
        grant == "highly")
    be = rng.uniform(size=n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "source_line": np.arange(2, n + 2), "survey_year": wave, "hub": [f"h{i}" for i in range(n)],
        "legal_status": status, "years_in_operation": years, "revenue": revenue, "expenses": revenue,
        "oer": np.where(be, 0.9, 1.1), "breakeven": pd.array(be, dtype="boolean"), "grant_dependence": grant,
        "flags": "",
    })


def test_odds_ratios_match_an_independent_glm_fit():
    hubs = model_hubs()
    res = fh.fit_breakeven_model(hubs, reference="for_profit", startup_max_years=5)
    # the same model written as a design matrix and fitted as a binomial GLM (not the formula API)
    X = pd.DataFrame({
        "const": 1.0,
        "coop": (hubs["legal_status"] == "cooperative").astype(float),
        "nonprofit": (hubs["legal_status"] == "nonprofit").astype(float),
        "startup": (hubs["years_in_operation"] <= 5).astype(float),
        "log10_revenue": np.log10(hubs["revenue"]),
        "grant_highly": (hubs["grant_dependence"] == "highly").astype(float),
        "grant_somewhat": (hubs["grant_dependence"] == "somewhat").astype(float),
        "w2015": (hubs["survey_year"] == 2015).astype(float),
        "w2017": (hubs["survey_year"] == 2017).astype(float),
    })
    glm = sm.GLM(hubs["breakeven"].astype(int).to_numpy(), X, family=sm.families.Binomial()).fit()
    z = stats.norm.ppf(0.975)
    ors = res["odds_ratios"].set_index("term")
    for term, col in [("legal_status[cooperative]", "coop"), ("legal_status[nonprofit]", "nonprofit"),
                      ("startup", "startup"), ("log10_revenue", "log10_revenue"),
                      ("grant_dependence[highly]", "grant_highly"), ("survey_year[2017]", "w2017")]:
        b, se = glm.params[col], glm.bse[col]
        assert ors.loc[term, "odds_ratio"] == pytest.approx(math.exp(b), rel=1e-5), term
        assert ors.loc[term, "ci_low"] == pytest.approx(math.exp(b - z * se), rel=1e-4), term
        assert ors.loc[term, "ci_high"] == pytest.approx(math.exp(b + z * se), rel=1e-4), term
        assert ors.loc[term, "p_value"] == pytest.approx(2 * stats.norm.sf(abs(b / se)), rel=1e-3), term
    assert "Intercept" not in ors.index and len(ors) == 8
    assert res["n_used"] == 400 and res["converged"]
    # McFadden: 1 - log L(model) / log L(intercept only)
    null = sm.GLM(hubs["breakeven"].astype(int).to_numpy(), X[["const"]], family=sm.families.Binomial()).fit()
    assert res["pseudo_r2"] == pytest.approx(1 - glm.llf / null.llf, rel=1e-6)
    counts = res["counts"].set_index("legal_status")
    assert list(counts.index) == ["cooperative", "nonprofit", "for_profit"]
    for status in counts.index:
        part = hubs.loc[hubs["legal_status"] == status]
        assert counts.loc[status, "n"] == len(part)
        assert counts.loc[status, "n_breakeven"] == int(part["breakeven"].sum())
    assert "Treatment(reference='for_profit')" in res["formula"] and "reference=2013" in res["formula"]
    assert res["excluded"].empty and res["excluded_by_reason"].empty


def test_exclusion_reasons_sorted_by_count_then_name():
    hubs = model_hubs()
    hubs.loc[:2, "grant_dependence"] = None
    hubs.loc[3:4, "years_in_operation"] = np.nan
    hubs.loc[5:6, "flags"] = "duplicate_hub_year"
    res = fh.fit_breakeven_model(hubs)
    assert res["excluded_by_reason"].values.tolist() == [
        ["missing_grant_dependence", 3], ["flag:duplicate_hub_year", 2], ["missing_years_in_operation", 2]]
    assert res["n_used"] == 393


def test_pretty_terms():
    assert fh._pretty_term("C(legal_status, Treatment(reference='nonprofit'))[T.cooperative]") == \
        "legal_status[cooperative]"
    assert fh._pretty_term("C(survey_year, Treatment(reference=2013))[T.2015]") == "survey_year[2015]"
    assert fh._pretty_term("log10_revenue") == "log10_revenue"


def test_flag_helpers():
    hubs = pd.DataFrame({"flags": ["", "oer_extreme", "oer_extreme;status_recoded", "status_recoded"]})
    assert fh.has_flag(hubs, ["oer_extreme"]).tolist() == [False, True, True, False]
    assert fh.has_flag(hubs, ("status_recoded", "oer_extreme")).tolist() == [False, True, True, True]
    counts = fh.flag_counts(hubs).set_index("flag")
    assert list(counts.index) == list(fh.FLAG_DESCRIPTIONS)
    assert counts.loc["oer_extreme", "n_rows"] == 2 and counts.loc["status_recoded", "n_rows"] == 2
    assert counts.loc["age_mismatch", "n_rows"] == 0
    assert counts.loc["oer_extreme", "description"] == "expense / revenue ratio outside [0.2, 5.0]"


def test_published_ratio_tolerance_edge():
    hubs = pd.DataFrame({
        "survey_year": [2015] * 4 + [2017],
        "oer": [1.0, 1.0, 1.0, 0.0, 0.5],
        "oer_reported": [1.1, 1.1004, 1.1006, 2.0, np.nan],
        "flags": ["oer_reported_differs"] * 3 + ["", ""],
    })
    w = fh.reported_oer_by_wave(hubs).set_index("survey_year")
    # 2015: ratios 1.1, 1.1004, 1.1006 (the zero OER is not compared) -> median 1.1004; 1.1 within 0.0004, 1.1006
    # within 0.0002
    assert w.loc[2015, ["n", "n_compared", "n_differs", "n_at_factor"]].tolist() == [4, 3, 3, 3]
    assert w.loc[2015, "ratio_median"] == pytest.approx(1.1004)
    assert w.loc[2017, ["n", "n_compared", "n_at_factor"]].tolist() == [1, 0, 0]
    assert math.isnan(w.loc[2017, "ratio_median"])
    art = fh.reported_oer_artefact(fh.reported_oer_by_wave(hubs))
    assert art == {"n_differs": 3, "waves": (2015,), "n_in_waves": 3, "n_responses": 4,
                   "factor": pytest.approx(1.1004), "n_compared": 3, "n_at_factor": 3}
    none = fh.reported_oer_artefact(fh.reported_oer_by_wave(hubs.assign(flags="")))
    assert none["waves"] == () and none["n_compared"] == 0 and none["n_at_factor"] == 0
    assert math.isnan(none["factor"])
    far = fh.reported_oer_by_wave(hubs.assign(oer_reported=[1.1, 1.1, 1.1006, 2.0, np.nan])).set_index(
        "survey_year")
    assert far.loc[2015, "n_at_factor"] == 2  # 1.1006 is 0.0006 from the median 1.1: beyond 0.0005


def test_without_survey_waves_checks_its_list():
    hubs = pd.DataFrame({"survey_year": [2013, 2015, 2017]})
    assert fh.without_survey_waves(hubs, [np.int64(2015)])["survey_year"].tolist() == [2013, 2017]
    assert fh.without_survey_waves(hubs, ())["survey_year"].tolist() == [2013, 2015, 2017]
    for bad in ([True], [2015.0], 2015):
        with pytest.raises(ParameterError, match="expected a list of survey years") as err:
            fh.without_survey_waves(hubs, bad)
        assert err.value.field == "waves"


def test_directory_statuses(tmp_path):
    path = tmp_path / "dir.xlsx"
    pd.DataFrame({
        "listing_id": [" 1", "2", "3", "4", "5"],
        "listing_name": ["Hub one ", None, "Three", "Four", "Five"],
        "legal_status": ["Non-Profit", "LLC;", "LLC; Nonprofit", None, "Producer Cooperative"],
        "establish_year": ["2010", "unknown", "", "1999", "2001"],
    }).to_excel(path, index=False)
    d = fh.load_food_hub_directory(path)
    assert d["legal_status"].tolist() == ["nonprofit", "for_profit", "other", "", "cooperative"]
    assert d["legal_status_raw"].tolist() == ["Non-Profit", "LLC", "LLC; Nonprofit", "", "Producer Cooperative"]
    assert d["listing_id"].tolist()[0] == "1" and d["name"].tolist()[:2] == ["Hub one", ""]
    assert d["establish_year"].tolist()[0] == 2010 and pd.isna(d["establish_year"].iloc[1])
    assert d["source_line"].tolist() == [2, 3, 4, 5, 6]
    counts = fh.directory_status_counts(pd.DataFrame({
        "legal_status": ["nonprofit", "", "nonprofit", "for_profit", "for_profit"],
        "legal_status_raw": ["Non-Profit", "", "Nonprofit", "LLC", "LLC"]}))
    assert counts.values.tolist() == [["for_profit", "LLC", 2], ["not_stated", "", 1],
                                      ["nonprofit", "Non-Profit", 1], ["nonprofit", "Nonprofit", 1]]
    bad = tmp_path / "bad.xlsx"
    pd.DataFrame({"listing_id": ["1"]}).to_excel(bad, index=False)
    with pytest.raises(SchemaError, match="missing columns: listing_name, legal_status, establish_year"):
        fh.load_food_hub_directory(bad)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputFormatError, match="unreadable workbook"):
        fh.load_food_hub_directory(junk)


@pytest.mark.parametrize(("call", "field", "hint"), [
    (lambda bad: fh.has_flag(bad, ["oer_extreme"]), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.flag_counts(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.reported_oer_by_wave(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.reported_oer_artefact(bad), "by_wave", "make it with food.reported_oer_by_wave(hubs)"),
    (lambda bad: fh.without_survey_waves(bad, [2015]), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.breakeven_by_status(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.breakeven_by_age(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.model_frame(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.fit_breakeven_model(bad), "hubs", "load it with food.load_food_hub_survey()"),
    (lambda bad: fh.directory_status_counts(bad), "directory", "load it with food.load_food_hub_directory()"),
])
def test_wrong_tables_are_refused_with_their_argument_and_hint(call, field, hint):
    for bad in ([1, 2], pd.DataFrame({"hub": ["a"]})):
        with pytest.raises(ParameterError) as err:
            call(bad)
        assert err.value.field == field and err.value.message.endswith(f" ({hint})")


def test_survey_errors_name_the_file(tmp_path):
    path = write(tmp_path, [hub(ID="x", Revenue="10", Expenses="-5", LegalStat="LLC", LegalStatCat="For-profit")])
    with pytest.raises(SchemaError, match="schema not met: .*expenses") as err:
        fh.load_food_hub_survey(path)
    assert err.value.path.endswith("survey.csv")
    with pytest.raises(SchemaError) as err:
        fh.load_food_hub_survey(write(tmp_path, [hub(ID="x", Revenue="12k")]))
    assert err.value.path.endswith("survey.csv") and err.value.message == "not a number: '12k'"
    with pytest.raises(SchemaError) as err:
        fh.load_food_hub_survey(write(tmp_path, [hub(ID="x", **{"Survey Year": "ND"})]))
    assert err.value.path.endswith("survey.csv") and err.value.message == "missing survey year"
    short = tmp_path / "short.csv"
    short.write_text("Survey Year,ID\n2013,a\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        fh.load_food_hub_survey(short)
    assert err.value.path.endswith("short.csv")
    assert err.value.message.startswith("missing columns: Year, YearsinOperation, Revenue, GrossSales")
    broken = tmp_path / "broken.csv"
    broken.write_text('Survey Year,ID\n"2013,a\n', encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        fh.load_food_hub_survey(broken)
    assert err.value.path.endswith("broken.csv")


def test_loader_keeps_text_columns_and_customer_shares(tmp_path):
    rows = [hub(ID=" Hub Z ", State=" VT ", LegalStat=" LLC ", LegalStatCat="For-profit", Revenue="1000",
                Expenses="900", BusModel="Online", GrantDependence="Highly dependent",
                **{"Customer%Total": "100", "CustomerType%_Direct": "", "CustType%_RetailTotal": "60",
                   "CustType%_DistTotal": "40"})]
    h = fh.load_food_hub_survey(write(tmp_path, rows)).iloc[0]
    assert (h["hub"], h["state"], h["legal_status_raw"], h["business_model"]) == ("Hub Z", "VT", "LLC", "Online")
    assert h["legal_status"] == "for_profit" and h["grant_dependence"] == "highly" and h["grant_dependent"]
    # the customer question answered: blank shares are 0, not missing
    assert (h["cust_direct"], h["cust_retail"], h["cust_wholesale"], h["cust_other"]) == (0.0, 60.0, 40.0, 0.0)
    assert h["founding_year"] == 2010 and h["years_in_operation"] == 3.0 and h["survey_year"] == 2013
    assert h["oer"] == pytest.approx(0.9) and h["breakeven"]


def test_summary_quantiles_and_shares_of_one_response():
    one = summary_hubs().iloc[[0]]
    t = fh.breakeven_by_status(one).set_index("legal_status").loc["cooperative"]
    assert (t["revenue_q25"], t["revenue_median"], t["revenue_q75"]) == (1000, 1000, 1000)
    assert (t["oer_q25"], t["oer_q75"], t["years_q25"], t["years_q75"]) == (0.9, 0.9, 1.0, 1.0)
    assert t["grant_highly_share"] == 1.0 and t["grant_any_share"] == 1.0 and t["breakeven_share"] == 1.0
    assert t["cust_wholesale_mean"] == 0.0 and t["cust_institution_mean"] == 0.0 and t["cust_other_mean"] == 0.0
    empty = fh.breakeven_by_status(one).set_index("legal_status").loc["nonprofit"]
    for col in ("oer_median", "oer_q25", "oer_q75", "revenue_q25", "revenue_q75", "years_median", "years_q25",
                "grant_highly_share", "grant_any_share", "breakeven_ci_high", "cust_direct_mean"):
        assert math.isnan(empty[col]), col
    assert (empty["n"], empty["n_revenue"], empty["n_oer"], empty["n_grant"], empty["n_years"]) == (0, 0, 0, 0, 0)


def test_directory_loader_finds_missing_columns_and_blank_statuses(tmp_path):
    path = tmp_path / "d.xlsx"
    pd.DataFrame({"listing_id": ["1", "2"], "listing_name": ["A", "B"], "legal_status": [" LLC ; ", "Other"],
                  "establish_year": ["1990", None]}).to_excel(path, index=False)
    d = fh.load_food_hub_directory(path)
    assert d["legal_status_raw"].tolist() == ["LLC", "Other"] and d["legal_status"].tolist() == ["for_profit", "other"]
    assert d["establish_year"].dtype == "Int64"
    bad = tmp_path / "b.xlsx"
    pd.DataFrame({"listing_id": ["1"], "listing_name": ["A"], "legal_status": ["LLC"]}).to_excel(bad, index=False)
    with pytest.raises(SchemaError) as err:
        fh.load_food_hub_directory(bad)
    assert err.value.field == "establish_year" and err.value.path.endswith("b.xlsx")


def test_defaults_of_the_age_split_and_the_model():
    hubs = summary_hubs().assign(years_in_operation=[5.0, 5.5, 6.0, 1.0, 10.0, 2.0], flags="")
    hubs.loc[0, "flags"] = "oer_extreme"
    t = fh.breakeven_by_age(hubs).set_index(["stage", "legal_status"])
    # default start-up threshold 5 years; the oer_extreme response (a, 5 years) is left out by default
    assert t.loc[("startup", "cooperative"), "n"] == 1 and t.loc[("established", "cooperative"), "n"] == 2
    used, excluded = fh.model_frame(hubs)
    assert used.set_index("hub")["startup"].to_dict() == {"b": 0, "d": 1, "e": 0}  # b: 5.5 years, not a start-up
    assert excluded.columns.tolist() == ["source_line", "survey_year", "hub", "legal_status", "reason"]
    assert excluded.index.tolist() == list(range(len(excluded)))
    for call in (lambda: fh.breakeven_by_age(hubs, startup_max_years=-1),
                 lambda: fh.model_frame(hubs, startup_max_years=0)):
        with pytest.raises(ParameterError) as err:
            call()
        assert err.value.field == "startup_max_years"
    with pytest.raises(ParameterError) as err:
        fh.breakeven_by_status(hubs, exclude_flags="oer_extreme")
    assert err.value.field == "exclude_flags"
    with pytest.raises(ParameterError) as err:
        fh.breakeven_by_status(hubs, exclude_flags=("nope",))
    assert err.value.field == "exclude_flags"


def test_model_tables_shape_and_flags_passed_through():
    hubs = model_hubs()
    hubs.loc[:9, "flags"] = "oer_extreme"
    res = fh.fit_breakeven_model(hubs, exclude_flags=())
    assert res["n_used"] == 400  # nothing left out when no flag is excluded
    assert res["odds_ratios"].columns.tolist() == ["term", "odds_ratio", "ci_low", "ci_high", "p_value"]
    assert res["odds_ratios"].index.tolist() == list(range(len(res["odds_ratios"])))
    default = fh.fit_breakeven_model(hubs)
    assert default["n_used"] == 390 and default["excluded_by_reason"].index.tolist() == [0]


def test_a_tiny_revenue_still_gives_an_expense_ratio(tmp_path):
    h = fh.load_food_hub_survey(write(tmp_path, [hub(ID="t", LegalStat="LLC", LegalStatCat="For-profit",
                                                     Revenue="0.5", Expenses="0.25")])).iloc[0]
    assert h["oer"] == pytest.approx(0.5) and h["breakeven"]


def test_missing_files_name_the_dataset(tmp_path):
    with pytest.raises(MissingDatasetError) as err:
        fh.load_food_hub_survey(tmp_path / "absent.csv")
    assert "National Food Hub Survey" in str(err.value)
    with pytest.raises(MissingDatasetError) as err:
        fh.load_food_hub_directory(tmp_path / "absent.xlsx")
    assert "USDA Food Hub Directory" in str(err.value)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        fh.load_food_hub_directory(junk)
    assert err.value.path.endswith("junk.xlsx")
