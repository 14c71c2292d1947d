"""Survival: edge values the main tests do not reach (issue 21), on tiny hand-made (synthetic) co-ops.

Each test pins a boundary a wrong program would move: an entry exactly at a horizon, a duration exactly at it, a
dissolution on the first or last day of the window, a share of 0; every expected value is computed by hand in the
comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.core.errors import ParameterError, SchemaError
from analysis.food import survival as sv


def tie_fixture() -> pd.DataFrame:
    """Four synthetic co-ops; b enters at age 2, exactly when a closes (delayed entry tied with an event)."""
    return pd.DataFrame(
        {
            "org_id": list("abcd"),
            "duration": [2.0, 3.0, 4.0, 5.0],
            "event": [True, True, False, True],
            "entry": [0.0, 2.0, 1.0, 0.0],
            "exclusion_reason": [""] * 4,
        }
    )


def hand_km(df: pd.DataFrame, entry: bool) -> list[tuple[float, float, int, int]]:
    """Product-limit estimate written out independently: at risk at t = entered before t and still followed at t."""
    start = df["entry"] if entry else pd.Series(0.0, index=df.index)
    out, s = [], 1.0
    for t in sorted(df.loc[df["event"], "duration"].unique()):
        at_risk = int(((start < t) & (df["duration"] >= t)).sum())
        deaths = int((df["event"] & (df["duration"] == t)).sum())
        s *= 1 - deaths / at_risk
        out.append((t, s, at_risk, deaths))
    return out


def test_km_delayed_entry_tied_with_an_event_matches_an_independent_product_limit():
    km = sv.km_survival(tie_fixture(), entry=True)
    # t=2: a, c, d at risk (b enters at 2, not before) -> 2/3; t=3: b, c, d -> x2/3 = 4/9; t=5: d alone -> 0
    assert km["time"].tolist() == [0.0, 2.0, 3.0, 5.0]
    np.testing.assert_allclose(km["survival"], [1.0, 2 / 3, 4 / 9, 0.0])
    assert km["n_at_risk"].tolist() == [2, 3, 3, 1]  # at time 0: a and d (entry 0); c enters at 1, b at 2
    assert km["n_events"].tolist() == [0, 1, 1, 1]
    hand = hand_km(tie_fixture(), entry=True)
    np.testing.assert_allclose(km["survival"].iloc[1:], [h[1] for h in hand])
    assert km["n_at_risk"].iloc[1:].tolist() == [h[2] for h in hand]
    # survival 0 at the last time: a degenerate interval [0, 0]; survival 1 at time 0: [1, 1]
    assert (km.loc[3, "ci_low"], km.loc[3, "ci_high"]) == (0.0, 0.0)
    assert (km.loc[0, "ci_low"], km.loc[0, "ci_high"]) == (1.0, 1.0)
    # Greenwood at t=3: var = S^2 (1/(3*2) + 1/(3*2)); log-log interval by hand
    s = 4 / 9
    se = s * math.sqrt(1 / 6 + 1 / 6)
    sigma = se / (s * abs(math.log(s)))
    z = stats.norm.ppf(0.975)
    assert km.loc[2, "ci_low"] == pytest.approx(s ** math.exp(z * sigma))
    assert km.loc[2, "ci_high"] == pytest.approx(s ** math.exp(-z * sigma))


def test_km_naive_first_row_counts_everyone():
    km = sv.km_survival(tie_fixture(), entry=False)
    # everyone at risk from 0: t=2: 4 -> 3/4; t=3: b, c, d -> x2/3 = 1/2; t=5: d -> 0
    assert km["n_at_risk"].tolist() == [4, 4, 3, 1]
    np.testing.assert_allclose(km["survival"], [1.0, 0.75, 0.5, 0.0])
    hand = hand_km(tie_fixture(), entry=False)
    np.testing.assert_allclose(km["survival"].iloc[1:], [h[1] for h in hand])


def test_survival_at_counts_at_risk_with_an_entry_and_a_duration_at_the_horizon():
    at = sv.survival_at(tie_fixture(), horizons=(2, 3, 4.5, 1)).set_index("horizon")
    # horizon 2: a (entry 0, closes at 2), c, d; b enters exactly at 2 and is not yet at risk -> 3
    assert at.loc[2.0, "n_at_risk"] == 3
    # horizon 3: b (entered at 2, closes exactly at 3), c, d -> 3; a closed at 2
    assert at.loc[3.0, "n_at_risk"] == 3
    # horizon 4.5: only d (duration 5) is still followed -> 1
    assert at.loc[4.5, "n_at_risk"] == 1
    # horizon 1: before the first closure: survival 1 and a degenerate interval; a and d entered before age 1
    assert at.loc[1.0, ["survival", "ci_low", "ci_high"]].tolist() == [1.0, 1.0, 1.0]
    assert at.loc[1.0, "n_at_risk"] == 2
    assert at.loc[2.0, "survival"] == pytest.approx(2 / 3)
    assert at.loc[3.0, "survival"] == pytest.approx(4 / 9)
    assert at.loc[4.5, "survival"] == pytest.approx(4 / 9)  # last step before 4.5 is at 3
    assert at["n"].tolist() == [4] * 4 and at["n_events"].tolist() == [3] * 4
    assert at["method"].tolist() == ["truncated"] * 4
    assert at["group"].tolist() == ["all"] * 4


def test_survival_at_naive_method_and_at_risk_ignore_entry():
    at = sv.survival_at(tie_fixture(), horizons=(2,), entry=False)
    assert at.loc[0, "method"] == "naive"
    assert at.loc[0, "n_at_risk"] == 4  # b counted from age 0 when entry is ignored
    assert at.loc[0, "survival"] == pytest.approx(0.75)


def test_naive_vs_truncated_carries_counts_and_intervals():
    both = sv.naive_vs_truncated(tie_fixture(), horizons=(3,))
    row = both.iloc[0]
    assert row["survival_naive"] == pytest.approx(0.5) and row["survival_truncated"] == pytest.approx(4 / 9)
    assert row["gap_points"] == pytest.approx(100 * (0.5 - 4 / 9))
    assert (row["n"], row["n_events"]) == (4, 3)
    truncated = sv.survival_at(tie_fixture(), horizons=(3,)).iloc[0]
    assert row["ci_low_truncated"] == pytest.approx(truncated["ci_low"])
    assert row["ci_high_truncated"] == pytest.approx(truncated["ci_high"])
    naive = sv.survival_at(tie_fixture(), horizons=(3,), entry=False).iloc[0]
    assert row["ci_low_naive"] == pytest.approx(naive["ci_low"]) and row["ci_low_naive"] != pytest.approx(
        row["ci_low_truncated"])


def test_groups_are_sorted_and_excluded_rows_left_out():
    df = tie_fixture().assign(g=["z", "z", "y", "y"])
    df.loc[len(df)] = ["e", 1.0, True, 0.0, "no_time_at_risk", "y"]  # excluded: must not count
    km = sv.km_survival(df, group="g")
    assert list(dict.fromkeys(km["group"])) == ["y", "z"]
    y = km.loc[km["group"] == "y"]
    # group y: c (entry 1, censored at 4), d (closes at 5): t=5 -> d alone -> 0
    assert y["time"].tolist() == [0.0, 5.0] and y["survival"].tolist() == [1.0, 0.0]
    at = sv.survival_at(df, horizons=(1,), group="g").set_index("group")
    assert at.loc["y", "n"] == 2 and at.loc["y", "n_events"] == 1
    with pytest.raises(ParameterError, match="unknown group column 'nope'"):
        sv.km_survival(df, group="nope")
    empty = sv.km_survival(df.assign(exclusion_reason="x"))
    assert empty.empty and list(empty.columns) == ["group", "time", "survival", "ci_low", "ci_high", "n_at_risk",
                                                   "n_events"]


def test_survival_tables_refuse_the_organisations_table():
    orgs = pd.DataFrame({"org_id": ["a"], "incorporated": [pd.Timestamp("2000-01-01")]})
    for call in (sv.km_survival, sv.survival_at, sv.naive_vs_truncated, sv.logrank_test):
        with pytest.raises(ParameterError, match="prepare_survival"):
            call(orgs)


@pytest.mark.parametrize("horizons", ["5", 5, [0], [-1], [True], [float("inf")], [float("nan")], ["5"]])
def test_horizons_must_be_a_list_of_positive_years(horizons):
    with pytest.raises(ParameterError, match="horizons") as err:
        sv.survival_at(tie_fixture(), horizons=horizons)
    assert err.value.field == "horizons"


def test_logrank_with_delayed_entry_by_hand():
    df = tie_fixture().assign(g=["p", "q", "p", "q"])
    # risk sets with delayed entry: t=2: a(p), c(p), d(q) -> E_p = 2/3, V = 2/3*1/3 = 2/9 (1 death among 3);
    # t=3: b(q), c(p), d(q) -> E_p = 1/3, V = 2/9; t=5: d(q) alone -> E_p = 0, V = 0
    # O_p = 1 (a); O_p - E_p = 1 - 1 = 0 -> statistic 0
    res = sv.logrank_test(df, group="g")
    assert res.loc[0, "statistic"] == pytest.approx(0.0, abs=1e-12)
    assert res.loc[0, "p_value"] == pytest.approx(1.0)
    assert res.loc[0, ["groups", "df", "n", "n_events", "entry"]].tolist() == ["p vs q", 1, 4, 3, True]
    # without entry: t=2: a, b, c, d at risk (p: a, c) -> E_p = 1/2, V = 1/4; t=3: b, c, d -> E_p = 1/3, V = 2/9;
    # t=5: d -> 0.  O_p - E_p = 1 - 5/6 = 1/6
    naive = sv.logrank_test(df, group="g", entry=False)
    expected = (1 / 6) ** 2 / (0.25 + 2 / 9)
    assert naive.loc[0, "statistic"] == pytest.approx(expected)
    assert naive.loc[0, "p_value"] == pytest.approx(stats.chi2.sf(expected, 1))
    assert not naive.loc[0, "entry"]


def test_logrank_leaves_out_missing_groups_and_names_errors():
    df = tie_fixture().assign(g=["p", "q", None, "q"])
    res = sv.logrank_test(df, group="g")
    assert res.loc[0, "n"] == 3
    with pytest.raises(ParameterError, match="unknown group column 'h'"):
        sv.logrank_test(df, group="h")
    with pytest.raises(ParameterError, match="at least two groups"):
        sv.logrank_test(df.assign(g="p"), group="g")


def test_window_edges_of_prepare_survival():
    orgs = pd.DataFrame(
        {
            "org_id": ["on_end", "inc_end", "on_start", "before_start", "before_inc", "later"],
            "incorporated": pd.to_datetime(
                ["2005-01-01", "2016-01-01", "2005-01-01", "2005-01-01", "2012-01-01", "2012-01-01"]),
            "dissolved": pd.to_datetime([
                "2016-01-01", None, "2011-01-01", "2010-12-31", "2011-06-01", None]),
            "status": ["Dead", "Live", "Dead", "Dead", "Dead", "Live"],
        }
    )
    out = sv.prepare_survival(orgs, "2011-01-01", "2016-01-01").set_index("org_id")
    # dissolved on the last day of follow-up: an event, not a censoring
    assert bool(out.loc["on_end", "event"])
    assert out.loc["on_end", "duration"] == pytest.approx(4017 / 365.25)
    # incorporated on the last day: not "after the window", but no time at risk
    assert out.loc["inc_end", "exclusion_reason"] == "no_time_at_risk"
    # dissolved on the first day of the window: recorded, but closes at its entry age -> no time at risk
    assert out.loc["on_start", "exclusion_reason"] == "no_time_at_risk"
    assert out.loc["before_start", "exclusion_reason"] == "dissolved_before_window"
    assert out.loc["before_inc", "exclusion_reason"] == "dissolved_before_incorporation"
    assert out.loc["later", "exclusion_reason"] == ""
    assert out.loc["later", "entry"] == 0.0
    # excluded rows: duration and entry blanked, never an event
    assert out.loc["before_start", ["duration", "entry"]].isna().all()
    assert not out.loc["before_start", "event"]
    assert out.attrs["window_start"] == pd.Timestamp("2011-01-01")
    assert out.attrs["last_recorded_dissolution"] == pd.Timestamp("2016-01-01")
    assert sv.exclusions(out.reset_index()).to_dict("list") == {
        "reason": ["no_time_at_risk", "dissolved_before_incorporation", "dissolved_before_window"],
        "n_rows": [2, 1, 1],
    }
    with pytest.raises(ParameterError, match="window_start must come before window_end") as err:
        sv.prepare_survival(orgs, "2016-01-01", "2016-01-01")
    assert err.value.field == "window_start"
    with pytest.raises(ParameterError, match="invalid date 'soon'") as err:
        sv.prepare_survival(orgs, "2011-01-01", "soon")
    assert err.value.field == "window_end"


def test_prepare_survival_keeps_grouping_columns_present_only():
    orgs = pd.DataFrame(
        {
            "org_id": [1, 2],
            "incorporated": pd.to_datetime(["2010-01-01", "2012-01-01"]),
            "dissolved": pd.to_datetime(["2014-01-01", None]),
            "status": ["Dead", "Live"],
            "sector_group": ["food", "other"],
        },
        index=[10, 20],
    )
    out = sv.prepare_survival(orgs, None)
    assert out["org_id"].tolist() == ["1", "2"] and out.index.tolist() == [0, 1]
    assert out["sector_group"].tolist() == ["food", "other"] and "legal_form" not in out.columns
    assert out.attrs["window_start"] is None and out.attrs["window_end"] == pd.Timestamp("2014-01-01")
    assert out["entry"].tolist() == [0.0, 0.0]


def test_prepare_survival_req_edges():
    req = pd.DataFrame(
        {
            "NEQ": [" 1100000001 ", "1100000002", "1100000003"],
            "DAT_IMMAT": ["2010-01-01", "2012-01-01T00:00", ""],
            "COD_STAT_IMMAT": ["im", "RX", "IM"],
            "DAT_STAT_IMMAT": ["2010-01-01", "2016-01-01", ""],
            "COD_FORME_JURI": ["COOP", " CIE ", "COOP"],
        }
    )
    out = sv.prepare_survival_req(req).set_index("org_id")
    assert "is_coop" not in out.columns  # no coop_forms given: no guess
    assert out.loc["1100000001", "status_code"] == "IM" and out.loc["1100000001", "exclusion_reason"] == ""
    assert out.loc["1100000002", "legal_form"] == "CIE" and bool(out.loc["1100000002", "event"])
    assert out.loc["1100000002", "duration"] == pytest.approx(1461 / 365.25)
    assert out.loc["1100000003", "exclusion_reason"] == "missing_incorporation_date"
    with pytest.raises(SchemaError, match="unreadable date '01/01/2010'") as err:
        sv.prepare_survival_req(req.assign(DAT_IMMAT=["2010-01-01", "01/01/2010", ""]))
    assert (err.value.line, err.value.field) == (3, "DAT_IMMAT")
    with pytest.raises(SchemaError, match="missing REQ columns: COD_STAT_IMMAT") as err:
        sv.prepare_survival_req(req.drop(columns="COD_STAT_IMMAT"))
    assert err.value.field == "COD_STAT_IMMAT"
    with pytest.raises(ParameterError):
        sv.prepare_survival_req([1, 2])


def test_unknown_req_status_is_excluded_even_when_dated():
    req = pd.DataFrame(
        {
            "NEQ": ["1", "2", "3"],
            "DAT_IMMAT": ["2010-01-01", "2011-01-01", "2012-01-01"],
            "COD_STAT_IMMAT": ["RD", "NI", "IA"],
            "DAT_STAT_IMMAT": ["2015-01-01", "2014-01-01", ""],
            "COD_FORME_JURI": ["A", "B", "C"],
        }
    )
    out = sv.prepare_survival_req(req).set_index("org_id")
    assert out["exclusion_reason"].tolist() == ["", "req_status:NI", "req_status:IA"]
    assert out.loc["2", ["duration", "entry"]].isna().all() and not out.loc["2", "event"]
    assert out.loc["1", "duration"] == pytest.approx(1826 / 365.25)


def test_constant_hazard_rate_refuses_a_share_of_zero_and_bad_horizons():
    with pytest.raises(ParameterError, match=r"fractions in \(0, 1\]") as err:
        sv.constant_hazard_rate(0, 5)
    assert err.value.field == "survival_share"
    with pytest.raises(ParameterError, match="fractions"):
        sv.constant_hazard_rate([0.5, float("nan")], [5, 5])
    with pytest.raises(ParameterError, match="fractions"):
        sv.constant_hazard_rate(1.01, 5)
    assert sv.constant_hazard_rate(1, 5) == 0.0  # a share of 1 is allowed: no closure
    with pytest.raises(ParameterError, match="horizons must be positive") as err:
        sv.constant_hazard_rate(0.5, -1)
    assert err.value.field == "years"
    with pytest.raises(ParameterError, match="horizons must be positive"):
        sv.constant_hazard_rate(0.5, float("inf"))
    rates = sv.constant_hazard_rate(np.array([0.5]), np.array([2.0]))
    assert isinstance(rates, np.ndarray) and rates.tolist() == pytest.approx([math.log(2) / 2])


def test_implied_survival_values_and_errors():
    assert sv.implied_survival(0, 10) == 1.0
    assert sv.implied_survival(math.log(2), 2) == pytest.approx(0.25)
    np.testing.assert_allclose(sv.implied_survival(0.1, [1, 2]), [math.exp(-0.1), math.exp(-0.2)])
    for bad in (-0.1, True, "0.1", float("nan")):
        with pytest.raises(ParameterError, match="hazard rate of zero or more") as err:
            sv.implied_survival(bad, 5)
        assert err.value.field == "rate"


def test_constant_hazards_table():
    table = pd.DataFrame({"group": ["a", "a"], "horizon": [5.0, 10.0], "survival": [0.5, 0.5]})
    out = sv.constant_hazards(table)
    # ln 2 / 5 and ln 2 / 10: the half-lives are 5 and 10 years (different rates: hazard not constant)
    assert out["hazard_rate"].tolist() == pytest.approx([math.log(2) / 5, math.log(2) / 10])
    assert out["half_life_years"].tolist() == pytest.approx([5.0, 10.0])
    assert "hazard_rate" not in table.columns
    with pytest.raises(ParameterError, match="survival_at"):
        sv.constant_hazards(table.drop(columns="group"))


def test_censoring_date_is_the_latest_dissolution():
    orgs = pd.DataFrame({"dissolved": pd.to_datetime(["2014-05-01", None, "2016-04-27", "2015-01-01"])})
    assert sv.censoring_date(orgs) == pd.Timestamp("2016-04-27")
    with pytest.raises(ParameterError, match="records no dissolution") as err:
        sv.censoring_date(orgs.assign(dissolved=pd.NaT))
    assert err.value.field == "window_end"


@pytest.mark.parametrize(("call", "field", "hint"), [
    (lambda bad: sv.censoring_date(bad), "orgs", "load it with food.load_coops_uk_organisations()"),
    (lambda bad: sv.prepare_survival(bad), "orgs", "load it with food.load_coops_uk_organisations()"),
    (lambda bad: sv.exclusions(bad), "survival", "make it with food.prepare_survival(orgs)"),
    (lambda bad: sv.km_survival(bad), "survival", "make it with food.prepare_survival(orgs)"),
    (lambda bad: sv.constant_hazards(bad), "table",
     "e.g. food.survival_at(survival) or food.quebec_survival(indicators)"),
    (lambda bad: sv.prepare_survival_req(bad), "df", "read Entreprise.csv with pandas"),
])
def test_wrong_tables_are_refused_with_their_argument_and_hint(call, field, hint):
    with pytest.raises(ParameterError) as err:
        call([1, 2])
    assert err.value.field == field and err.value.message.endswith(f" ({hint})")
    if field != "df":
        with pytest.raises(ParameterError) as err:
            call(pd.DataFrame({"x": [1]}))
        assert err.value.field == field and err.value.message.endswith(f" ({hint})")


def test_horizon_and_group_messages():
    with pytest.raises(ParameterError) as err:
        sv.survival_at(tie_fixture(), horizons="5")
    assert err.value.message == "expected a list of horizons in years, got '5'"
    with pytest.raises(ParameterError) as err:
        sv.survival_at(tie_fixture(), horizons=[5, 0])
    assert err.value.message == "expected positive horizons in years, got 0"
    assert sv.survival_at(tie_fixture(), horizons=np.array([2.0]))["horizon"].tolist() == [2.0]
    assert sv.survival_at(tie_fixture(), horizons=pd.Series([np.float32(2)]))["horizon"].tolist() == [2.0]
    with pytest.raises(ParameterError) as err:
        sv.logrank_test(tie_fixture(), group="h")
    assert err.value.message == ("unknown group column 'h'; the survival table has org_id, duration, event, entry, "
                                 "exclusion_reason")
    with pytest.raises(ParameterError) as err:
        sv.survival_at(tie_fixture(), group="h")
    assert err.value.field == "group" and "org_id, duration, event, entry, exclusion_reason" in err.value.message
    with pytest.raises(ParameterError) as err:
        sv.implied_survival(-0.5, 1)
    assert err.value.message == "expected a hazard rate of zero or more, got -0.5"


def test_first_exclusion_reason_wins_and_columns_are_typed():
    orgs = pd.DataFrame(
        {
            "org_id": ["no_inc_dead", "late_dead", "before_both", "ok_dead", "ok_live"],
            "incorporated": pd.to_datetime([None, "2017-01-01", "2012-01-01", "2008-06-30", "2013-01-01"]),
            "dissolved": pd.to_datetime([None, None, "2010-01-01", "2014-06-30", None]),
            "status": ["Dead", "Dead", "Dead", "Dead", "Live"],
        }
    )
    out = sv.prepare_survival(orgs, "2011-01-01", "2016-01-01").set_index("org_id")
    assert out["exclusion_reason"].tolist() == [
        "missing_incorporation_date",  # also dead without a date: the first reason is kept
        "incorporated_after_window",  # also dead without a date
        "dissolved_before_incorporation",  # also dissolved before the window
        "", ""]
    assert out.loc["ok_dead", "stop"] == pd.Timestamp("2014-06-30") and out.loc["ok_live", "stop"] == pd.Timestamp(
        "2016-01-01")
    assert out.loc["ok_dead", "incorporated"] == pd.Timestamp("2008-06-30")
    assert out.loc["ok_dead", "duration"] == pytest.approx(2191 / 365.25)
    assert out.loc["ok_dead", "entry"] == pytest.approx(915 / 365.25)  # 2008-06-30 -> 2011-01-01
    assert out["duration"].dtype == "float64" and out["entry"].dtype == "float64" and out["event"].dtype == bool
    assert out["event"].tolist() == [False, False, False, True, False]
    assert list(out.reset_index().columns) == ["org_id", "incorporated", "stop", "duration", "event", "entry",
                                               "exclusion_reason"]
    assert out.attrs["window_end_rule"] == "given"
    none_dead = orgs.assign(dissolved=pd.NaT, status="Live")
    assert pd.isna(sv.prepare_survival(none_dead, None, "2016-01-01").attrs["last_recorded_dissolution"])


def test_req_window_and_forms_passed_through():
    req = pd.DataFrame(
        {
            "NEQ": ["1", "2", "3"],
            "DAT_IMMAT": ["2010-01-01", "2012-01-01", "2013-01-01"],
            "COD_STAT_IMMAT": ["IM", "RO", "IM"],
            "DAT_STAT_IMMAT": ["2010-01-01", "2015-01-01", "2013-01-01"],
            "COD_FORME_JURI": ["COOP", "CIE", "COOP"],
        }
    )
    out = sv.prepare_survival_req(req, window_start="2012-01-01", window_end="2016-01-01",
                                  coop_forms=("COOP",)).set_index("org_id")
    assert out.attrs["window_end"] == pd.Timestamp("2016-01-01") and out.attrs["window_start"] == pd.Timestamp(
        "2012-01-01")
    assert out.loc["1", "entry"] == pytest.approx(730 / 365.25) and not out.loc["1", "event"]
    assert out["is_coop"].tolist() == [True, False, True]
    assert out.loc["2", "status_code"] == "RO" and out.loc["2", "duration"] == pytest.approx(1096 / 365.25)
    assert sv.prepare_survival_req(req.assign(COD_STAT_IMMAT=["IM", "IM", "IM"]), window_end="2016-01-01")[
        "event"].tolist() == [False, False, False]
    with pytest.raises(ParameterError, match="records no dissolution"):
        sv.prepare_survival_req(req.assign(COD_STAT_IMMAT=["IM", "IM", "IM"]))


def test_scalars_in_scalars_out():
    rate = sv.constant_hazard_rate(0.5, 2)
    assert isinstance(rate, float) and rate == pytest.approx(math.log(2) / 2)
    share = sv.implied_survival(0.1, 10)
    assert isinstance(share, float) and share == pytest.approx(math.exp(-1))
    assert isinstance(sv.constant_hazard_rate([1, 1], [2, 4]), np.ndarray)


def test_km_defaults_types_and_index():
    assert sv.km_survival(tie_fixture()).equals(sv.km_survival(tie_fixture(), entry=True))
    km = sv.km_survival(tie_fixture().assign(g=["b", "b", "a", "a"]), group="g")
    assert list(km.columns) == ["group", "time", "survival", "ci_low", "ci_high", "n_at_risk", "n_events"]
    assert km.index.tolist() == list(range(len(km)))
    assert km["n_at_risk"].dtype == int and km["n_events"].dtype == int
    # groups sorted by their text: a (c, d) then b (a, b)
    assert km["group"].tolist() == ["a", "a", "b", "b", "b"]


def test_numeric_groups_are_sorted_as_text():
    df = tie_fixture().assign(g=[10, 10, 9, 9])
    assert list(dict.fromkeys(sv.km_survival(df, group="g")["group"])) == ["10", "9"]
    assert sv.survival_at(df, horizons=(3,), group="g")["group"].tolist() == ["10", "9"]


def test_naive_at_risk_counts_everyone_from_age_zero():
    at = sv.survival_at(tie_fixture(), horizons=(1,), entry=False)
    assert at.loc[0, "n_at_risk"] == 4  # every co-op is followed from age 0, so all four are at risk at age 1


def test_exclusions_index_and_messages():
    out = sv.exclusions(pd.DataFrame({"exclusion_reason": ["b", "", "a", "b", "c"]}))
    assert out.values.tolist() == [["b", 2], ["a", 1], ["c", 1]] and out.index.tolist() == [0, 1, 2]
    with pytest.raises(ParameterError) as err:
        sv.censoring_date(pd.DataFrame({"dissolved": [pd.NaT]}))
    assert err.value.message == "the extract records no dissolution: give the end of follow-up (window_end)"
    with pytest.raises(ParameterError) as err:
        sv.prepare_survival(later_extract(), "2019-03-10")
    assert err.value.message == "window_start must come before window_end" and err.value.field == "window_start"
    with pytest.raises(ParameterError) as err:
        sv.prepare_survival(later_extract(), "someday")
    assert err.value.field == "window_start" and err.value.message == "invalid date 'someday'"


def later_extract() -> pd.DataFrame:
    return pd.DataFrame({
        "org_id": ["a", "b"], "incorporated": pd.to_datetime(["2005-01-01", "2012-01-01"]),
        "dissolved": pd.to_datetime([None, "2019-03-10"]), "status": ["Live", "Dead"]})


def test_dissolved_on_its_incorporation_day_has_no_time_at_risk():
    orgs = pd.DataFrame({"org_id": ["x"], "incorporated": pd.to_datetime(["2012-05-01"]),
                         "dissolved": pd.to_datetime(["2012-05-01"]), "status": ["Dead"]})
    out = sv.prepare_survival(orgs, "2011-01-01", "2016-01-01")
    assert out.loc[0, "exclusion_reason"] == "no_time_at_risk"


def test_req_missing_values_closed_without_date_and_messages():
    req = pd.DataFrame(
        {
            "NEQ": ["1", "2", "3", "4"],
            "DAT_IMMAT": ["2010-01-01", None, np.nan, pd.NA],
            "COD_STAT_IMMAT": ["RX", "IM", "IM", "IM"],
            "DAT_STAT_IMMAT": [None, "2015-01-01", "2015-01-01", "2015-01-01"],
            "COD_FORME_JURI": ["A", "B", "C", "D"],
        },
        dtype=object,
    )
    out = sv.prepare_survival_req(req, window_end="2016-01-01").set_index("org_id")
    # a closure code without its date cannot be dated: left out, not counted alive
    assert out.loc["1", "exclusion_reason"] == "dissolved_without_date"
    # None, NaN and pd.NA are missing dates, not unreadable ones
    assert out.loc[["2", "3", "4"], "exclusion_reason"].tolist() == ["missing_incorporation_date"] * 3
    with pytest.raises(ParameterError) as err:
        sv.prepare_survival_req([1])
    assert err.value.message == ("expected a DataFrame with columns NEQ, DAT_IMMAT, COD_STAT_IMMAT, DAT_STAT_IMMAT, "
                                 "COD_FORME_JURI, got a list (read Entreprise.csv with pandas)")
    with pytest.raises(SchemaError) as err:
        sv.prepare_survival_req(req.drop(columns=["COD_STAT_IMMAT", "DAT_STAT_IMMAT"]))
    assert err.value.message == "missing REQ columns: COD_STAT_IMMAT, DAT_STAT_IMMAT"
    with pytest.raises(SchemaError) as err:
        sv.prepare_survival_req(req.assign(DAT_STAT_IMMAT=["2015-01-01", "bad", "", ""]))
    assert err.value.message == "unreadable date 'bad'" and err.value.line == 3


def test_hazard_and_logrank_messages_exactly():
    with pytest.raises(ParameterError) as err:
        sv.constant_hazard_rate(0, 1)
    assert err.value.message == "survival shares must be fractions in (0, 1] (0.64, not 64)"
    with pytest.raises(ParameterError) as err:
        sv.constant_hazard_rate(0.5, 0)
    assert err.value.message == "horizons must be positive (years)"
    with pytest.raises(ParameterError) as err:
        sv.logrank_test(tie_fixture(), group="h")
    assert err.value.field == "group"
    with pytest.raises(ParameterError) as err:
        sv.logrank_test(tie_fixture().assign(g="p"), group="g")
    assert err.value.message == "the log-rank test needs at least two groups" and err.value.field == "group"


def test_req_dates_are_read_in_one_format_only():
    req = pd.DataFrame({"NEQ": ["1", "2"], "DAT_IMMAT": ["01/02/2010", "2011-01-01"], "COD_STAT_IMMAT": ["IM", "IM"],
                        "DAT_STAT_IMMAT": ["", "2015-03-04"], "COD_FORME_JURI": ["A", "B"]})
    # a month/day date first (a guesser would take it as the format): refused, with its line and column
    with pytest.raises(SchemaError) as err:
        sv.prepare_survival_req(req)
    assert (err.value.line, err.value.field, err.value.message) == (2, "DAT_IMMAT", "unreadable date '01/02/2010'")
    with pytest.raises(SchemaError) as err:
        sv.prepare_survival_req(req.assign(DAT_IMMAT=["2010-01-01", "2011-01-01"],
                                           DAT_STAT_IMMAT=["03/04/2015", "2015-03-04"]))
    assert (err.value.line, err.value.field) == (2, "DAT_STAT_IMMAT")


def test_req_missing_words_written_in_the_file():
    # an extract written by another tool may spell a blank date as the text "nan", "None" or "<NA>"
    req = pd.DataFrame({"NEQ": ["1", "2", "3", "4"], "DAT_IMMAT": ["2010-01-01"] * 4,
                        "COD_STAT_IMMAT": ["RD", "RD", "RD", "IM"],
                        "DAT_STAT_IMMAT": ["nan", "None", "<NA>", "2015-01-01"], "COD_FORME_JURI": ["A"] * 4})
    out = sv.prepare_survival_req(req, window_end="2016-01-01")
    assert out["exclusion_reason"].tolist() == ["dissolved_without_date"] * 3 + [""]


def test_exclusions_are_renumbered_after_sorting():
    out = sv.exclusions(pd.DataFrame({"exclusion_reason": ["c", "a"]}))
    assert out["reason"].tolist() == ["a", "c"] and out.index.tolist() == [0, 1]
