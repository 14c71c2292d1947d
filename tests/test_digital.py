"""Tests of the digital-transformation grant calculator and reach target (seeds 000 and 002)."""

from __future__ import annotations

import pytest

from analysis.core.errors import ParameterError
from analysis.ecosystem import digital
from analysis.ecosystem.indicators import load_indicators


@pytest.fixture(scope="module")
def df():
    return load_indicators()


def test_parameters_from_seed(df):
    assert digital.grant_parameters(df) == (0.8, 20_000.0)


@pytest.mark.parametrize("cost, expected", [
    (0, 0.0),
    (10_000, 8_000.0),       # below the ceiling: 80 % of costs
    (25_000, 20_000.0),      # exactly where 80 % reaches the ceiling
    (24_999, 19_999.2),
    (40_000, 20_000.0),      # above: capped
])
def test_grant_at_below_above_ceiling(cost, expected):
    assert digital.grant(cost) == pytest.approx(expected)


def test_ceiling_cost():
    assert digital.ceiling_cost(0.8, 20_000) == 25_000


@pytest.mark.parametrize("bad", [-1, float("nan"), "100", True])
def test_bad_cost(bad):
    with pytest.raises(ParameterError):
        digital.grant(bad)


def test_grant_table():
    t = digital.grant_table([40_000, 10_000])
    assert t["cost"].tolist() == [10_000, 40_000]
    assert t["grant"].tolist() == [8_000, 20_000]
    assert t["own_contribution"].tolist() == [2_000, 20_000]
    assert t["effective_share"].tolist() == pytest.approx([0.8, 0.5])
    assert t["at_ceiling"].tolist() == [False, True]


def test_reach(df):
    r = digital.programme_reach(df, reached=560).set_index("measure")["value"]
    assert r["target_enterprises"] == pytest.approx(1120)          # 10 % of 11 200
    assert r["grant_per_target_enterprise"] == pytest.approx(4_000_000 / 1120)
    assert r["max_grants_at_ceiling"] == pytest.approx(200)        # 4 M$ / 20 000 $
    assert r["reached_share_pct"] == pytest.approx(5.0)
    assert r["target_attained"] == 0.0
