"""Survival: KM with delayed entry checked against hand computations on tiny hand-made (synthetic) co-ops."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import ParameterError, SchemaError
from analysis.food import survival as sv


def km_fixture() -> pd.DataFrame:
    """Six synthetic co-ops (years). C enters at age 3 and F at 5.5 (delayed entry / left truncation)."""
    return pd.DataFrame(
        {
            "org_id": list("ABCDEF"),
            "duration": [2.0, 4.0, 5.0, 6.0, 8.0, 7.0],
            "event": [True, False, True, True, False, True],
            "entry": [0.0, 0.0, 3.0, 0.0, 1.0, 5.5],
            "grp": ["x", "x", "x", "y", "y", "y"],
            "exclusion_reason": [""] * 6,
        }
    )


def test_km_with_delayed_entry_matches_hand_computation():
    km = sv.km_survival(km_fixture(), entry=True)
    # t=2: at risk A,B,D,E (C and F not yet entered) -> 3/4; t=5: C,D,E -> x2/3; t=6: D,E,F -> x2/3; t=7: E,F
    # -> x1/2
    assert km["time"].tolist() == [0.0, 2.0, 5.0, 6.0, 7.0]
    assert km["n_at_risk"].tolist()[1:] == [4, 3, 3, 2]
    np.testing.assert_allclose(km["survival"], [1, 0.75, 0.5, 1 / 3, 1 / 6])
    # Greenwood SE at t=2: 0.75 * sqrt(1 / (4 * 3)); log-log CI by hand
    se = 0.75 * math.sqrt(1 / 12)
    sigma = se / (0.75 * abs(math.log(0.75)))
    z = 1.959963984540054
    assert km.loc[1, "ci_low"] == pytest.approx(0.75 ** math.exp(z * sigma))
    assert km.loc[1, "ci_high"] == pytest.approx(0.75 ** math.exp(-z * sigma))


def test_naive_estimate_ignores_entry_and_is_higher():
    km = sv.km_survival(km_fixture(), entry=False)
    # t=2: 6 at risk -> 5/6; t=5: C,D,E,F -> x3/4; t=6: D,E,F -> x2/3; t=7: E,F -> x1/2
    np.testing.assert_allclose(km["survival"], [1, 5 / 6, 0.625, 0.625 * 2 / 3, 0.625 / 3])
    both = sv.naive_vs_truncated(km_fixture(), horizons=(5, 10))
    assert both["survival_naive"].tolist() == pytest.approx([0.625, 0.625 / 3])
    assert both["survival_truncated"].tolist() == pytest.approx([0.5, 1 / 6])
    assert both["gap_points"].tolist() == pytest.approx([12.5, 100 * (0.625 / 3 - 1 / 6)])


def test_survival_at_horizon_and_groups():
    at = sv.survival_at(km_fixture(), horizons=(1, 5.5), group="grp")
    x = at.loc[at["group"] == "x"].set_index("horizon")
    # group x (A, B, C): t=2: A,B at risk -> 1/2; t=5: only C -> 0
    assert x.loc[1.0, "survival"] == 1.0
    assert x.loc[5.5, "survival"] == pytest.approx(0.0)
    assert x.loc[1.0, "n_at_risk"] == 2  # A and B have entered before age 1; C enters at 3
    assert set(at["group"]) == {"x", "y"}


def test_logrank_matches_hand_computation():
    df = pd.DataFrame(
        {
            "org_id": list("abcd"),
            "duration": [1.0, 3.0, 2.0, 4.0],
            "event": [True, True, True, False],
            "entry": [0.0] * 4,
            "g": ["a", "a", "b", "b"],
            "exclusion_reason": [""] * 4,
        }
    )
    # O_a - E_a = 2 - (1/2 + 1/3 + 1/2); V = 1/4 + 2/9 + 1/4
    expected = (2 - (0.5 + 1 / 3 + 0.5)) ** 2 / (0.25 + 2 / 9 + 0.25)
    res = sv.logrank_test(df, group="g", entry=False)
    assert res.loc[0, "statistic"] == pytest.approx(expected)
    assert res.loc[0, "df"] == 1
    with pytest.raises(ParameterError):
        sv.logrank_test(df.assign(g="a"), group="g")


def test_prepare_survival_dates_truncation_and_exclusions():
    orgs = pd.DataFrame(
        {
            "org_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c7"],
            "incorporated": pd.to_datetime(
                ["2001-01-01", "2012-06-01", None, "1990-01-01", "2005-01-01", "2000-01-01", "2016-03-01"]
            ),
            "dissolved": pd.to_datetime(["2013-01-01", None, None, None, "2017-01-01", "2014-01-01", None]),
            "status": ["Dead", "Live", "Live", "Dead", "Dead", "Live", "Live"],
        }
    )
    out = sv.prepare_survival(orgs, "2011-01-01", "2016-01-01").set_index("org_id")
    assert out.loc["c1", "duration"] == pytest.approx(4383 / 365.25)  # 12 years incl. 3 leap days
    assert out.loc["c1", "entry"] == pytest.approx(3652 / 365.25)
    assert bool(out.loc["c1", "event"])
    assert out.loc["c2", "entry"] == 0.0 and not out.loc["c2", "event"]
    assert out.loc["c2", "duration"] == pytest.approx(1309 / 365.25)  # 2012-06-01 -> 2016-01-01
    assert out.loc["c3", "exclusion_reason"] == "missing_incorporation_date"
    assert out.loc["c4", "exclusion_reason"] == "dissolved_without_date"
    assert not out.loc["c5", "event"]  # dissolved after the window: censored at its end
    assert out.loc["c5", "duration"] == pytest.approx(4017 / 365.25)  # 11 years incl. 2 leap days
    assert bool(out.loc["c6", "event"])  # dated dissolution wins over a "Live" status
    assert out.loc["c7", "exclusion_reason"] == "incorporated_after_window"
    assert sv.exclusions(out.reset_index())["n_rows"].sum() == 3
    no_trunc = sv.prepare_survival(orgs, None, "2016-01-01").set_index("org_id")
    assert no_trunc.loc["c1", "entry"] == 0.0
    with pytest.raises(ParameterError):
        sv.prepare_survival(orgs, "2017-01-01", "2016-01-01")
    with pytest.raises(ParameterError) as err:
        sv.prepare_survival(orgs.drop(columns="status"))
    assert err.value.field == "orgs" and "status" in err.value.message


def test_prepare_survival_req_layout_on_handmade_extract():
    """Hand-made records in the REQ Entreprise.csv layout (not real enterprises)."""
    req = pd.DataFrame(
        {
            "NEQ": ["1100000001", "1100000002", "1100000003", "1100000004", "1100000005"],
            "IND_FAIL": ["N"] * 5,
            "DAT_IMMAT": ["2010-01-01", "2012-01-01", "2014-01-01", "2015-01-01", "2016-01-01"],
            "COD_STAT_IMMAT": ["IM", "RD", "RO", "AI", "RX"],
            "DAT_STAT_IMMAT": ["2010-01-01", "2016-01-01", "2018-01-01", "2015-01-01", "2019-12-31"],
            "COD_FORME_JURI": ["COOP", "CIE", "COOP", "CIE", "COOP"],
        }
    )
    out = sv.prepare_survival_req(req, coop_forms=["COOP"]).set_index("org_id")
    # window end defaults to the latest date in the extract: 2019-12-31
    assert out.loc["1100000001", "duration"] == pytest.approx(3651 / 365.25)
    assert not out.loc["1100000001", "event"]
    assert bool(out.loc["1100000002", "event"]) and out.loc["1100000002", "duration"] == pytest.approx(
        1461 / 365.25
    )
    assert bool(out.loc["1100000003", "event"])
    assert out.loc["1100000004", "exclusion_reason"] == "req_status:AI"
    assert out["is_coop"].tolist() == [True, False, True, False, True]
    trunc = sv.prepare_survival_req(req, window_start="2017-01-01", window_end="2019-12-31").set_index(
        "org_id"
    )
    assert trunc.loc["1100000002", "exclusion_reason"] == "dissolved_before_window"
    assert trunc.loc["1100000003", "entry"] == pytest.approx(1096 / 365.25)
    with pytest.raises(SchemaError):
        sv.prepare_survival_req(req.drop(columns="DAT_IMMAT"))
    with pytest.raises(SchemaError, match="DAT_STAT_IMMAT"):
        sv.prepare_survival_req(req.assign(DAT_STAT_IMMAT=["2010-01-01", "31/12/2019", "", "", ""]))


def test_constant_hazard_rate():
    assert sv.constant_hazard_rate(0.5, 1) == pytest.approx(math.log(2))
    assert sv.constant_hazard_rate(0.64, 5) == pytest.approx(-math.log(0.64) / 5)
    np.testing.assert_allclose(
        sv.constant_hazard_rate([0.44, 0.20], [10, 10]), [-math.log(0.44) / 10, math.log(5) / 10]
    )
    assert sv.implied_survival(sv.constant_hazard_rate(0.64, 5), 5) == pytest.approx(0.64)
    table = sv.constant_hazards(pd.DataFrame({"group": ["a"], "horizon": [1.0], "survival": [0.5]}))
    assert table.loc[0, "half_life_years"] == pytest.approx(1.0)
    with pytest.raises(ParameterError):
        sv.constant_hazard_rate(64, 5)
    with pytest.raises(ParameterError):
        sv.constant_hazard_rate(0.5, 0)


@pytest.fixture(scope="module")
def uk_survival():
    mirror = paths.default_mirror()
    path = mirror / "external/coops_uk/coops_uk_2016_organisations.csv" if mirror else None
    if path is None or not path.exists():
        pytest.skip("miroir des données externes absent (Co-operatives UK)")
    from analysis.food import coops_uk

    return sv.prepare_survival(coops_uk.classify_sector(coops_uk.load_organisations(path)))


def test_real_uk_survival_headlines(uk_survival):
    # censored at the extract's last recorded dissolution, 2016-04-27 (not at the extract's folder date 2016-06-01)
    assert uk_survival.attrs["window_end"] == pd.Timestamp("2016-04-27")
    assert uk_survival.attrs["window_end_rule"] == "last_recorded_dissolution"
    used = uk_survival.loc[uk_survival["exclusion_reason"] == ""]
    assert len(used) == 7803 and int(used["event"].sum()) == 1217
    assert sv.exclusions(uk_survival).set_index("reason")["n_rows"].to_dict() == {
        "missing_incorporation_date": 201,
        "incorporated_after_window": 9,  # incorporated 2016-04-28 to 2016-05-18: after the end of follow-up
        "dissolved_without_date": 3,
        "no_time_at_risk": 3,  # incorporated on 2016-04-27 itself
    }
    both = sv.naive_vs_truncated(uk_survival, group="sector_group").set_index(["group", "horizon"])
    assert both.loc[("food", 5.0), "survival_truncated"] == pytest.approx(0.8829, abs=5e-4)
    assert both.loc[("food", 10.0), "survival_truncated"] == pytest.approx(0.7750, abs=5e-4)
    assert both.loc[("other", 10.0), "survival_truncated"] == pytest.approx(0.6364, abs=5e-4)
    assert (both["gap_points"] > 5).all()  # ignoring left truncation overstates survival
    assert sv.logrank_test(uk_survival).loc[0, "p_value"] == pytest.approx(0.043, abs=1e-3)


def test_real_uk_survival_with_the_old_fixed_date(uk_survival):
    """The date the code used to hard-code, now given on purpose: the former figures come back."""
    from analysis.food import coops_uk

    mirror = paths.default_mirror()
    orgs = coops_uk.classify_sector(coops_uk.load_organisations(
        mirror / "external/coops_uk/coops_uk_2016_organisations.csv"))
    assert sv.censoring_date(orgs) == pd.Timestamp("2016-04-27")
    old = sv.prepare_survival(orgs, window_end="2016-06-01")
    assert old.attrs["window_end_rule"] == "given"
    used = old.loc[old["exclusion_reason"] == ""]
    assert len(used) == 7815 and int(used["event"].sum()) == 1217
    at = sv.survival_at(old, [10], group="sector_group").set_index("group")
    assert at.loc["food", "survival"] == pytest.approx(0.7782, abs=5e-4)


def later_extract() -> pd.DataFrame:
    """Five synthetic co-ops of a later extract (not Co-operatives UK records): its last dissolution is 2019-03-10."""
    return pd.DataFrame({
        "org_id": ["a", "b", "c", "d", "e"],
        "incorporated": pd.to_datetime(["2005-01-01", "2012-01-01", "2017-05-01", "2019-06-01", "2014-01-01"]),
        "dissolved": pd.to_datetime([None, "2018-01-01", None, None, "2019-03-10"]),
        "status": ["Live", "Dead", "Live", "Live", "Dead"],
    })


def test_follow_up_ends_at_the_extract_last_recorded_dissolution():
    out = sv.prepare_survival(later_extract())
    assert out.attrs["window_end"] == pd.Timestamp("2019-03-10")
    assert out.attrs["window_end_rule"] == "last_recorded_dissolution"
    assert out.attrs["last_recorded_dissolution"] == pd.Timestamp("2019-03-10")
    out = out.set_index("org_id")
    # c, incorporated in 2017 and alive: followed to 2019-03-10 (a fixed 2016 date would have left it out)
    assert out.loc["c", "exclusion_reason"] == ""
    assert out.loc["c", "duration"] == pytest.approx(678 / 365.25)  # 2017-05-01 -> 2019-03-10
    assert not out.loc["c", "event"]
    assert bool(out.loc["e", "event"]) and out.loc["e", "duration"] == pytest.approx(1894 / 365.25)
    assert bool(out.loc["b", "event"])  # 2018 closure counted (a 2016 end would have censored it as a survival)
    # a, alive: censored at 2019-03-10, entering at its age on 2011-01-01
    assert out.loc["a", "duration"] == pytest.approx(5181 / 365.25) and out.loc["a", "entry"] == pytest.approx(
        2191 / 365.25)
    # d, incorporated after the last recorded dissolution: the extract cannot follow it
    assert out.loc["d", "exclusion_reason"] == "incorporated_after_window"


def test_a_given_end_of_follow_up_wins_and_an_extract_without_closure_needs_one():
    out = sv.prepare_survival(later_extract(), window_end="2018-06-30")
    assert out.attrs["window_end_rule"] == "given" and out.attrs["window_end"] == pd.Timestamp("2018-06-30")
    out = out.set_index("org_id")
    assert not out.loc["e", "event"]  # its 2019 closure is after the end of follow-up: censored
    assert out.loc["e", "duration"] == pytest.approx(1641 / 365.25)  # 2014-01-01 -> 2018-06-30
    alive = later_extract().assign(dissolved=pd.NaT, status="Live")
    with pytest.raises(ParameterError) as err:
        sv.prepare_survival(alive)
    assert err.value.field == "window_end"
    with pytest.raises(ParameterError):
        sv.censoring_date(pd.DataFrame({"org_id": ["x"]}))
