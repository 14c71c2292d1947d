"""Grant-calculator and reach rules the mutants of issue 21 could break unnoticed: the rule's bounds (share 0, 1 and
just above, ceiling 0), the ceiling reached exactly, the curve's points, each measure of the reach table with its
unit and source quality, and the reached target at n - 1, n and n + 1.

The reach is computed twice: on the shipped indicators table (figures of seeds 000, 002 and 003) and on a synthetic
table written in ``tmp_path`` (invented values and grades, chosen so that each weakest-quality rule shows).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import DataIntegrityError, ParameterError
from analysis.ecosystem import digital
from analysis.ecosystem.indicators import COLUMNS, load_indicators

OFFICIAL, REPORT, WEB = "official_statistics", "organisation_report", "secondary_web_page"
DOCS = {OFFICIAL: "001_aa.txt", REPORT: "002_bb.txt", WEB: "003_cc.txt"}


def synthetic_indicators(tmp_path: Path, grades: dict[str, str], extra: list[str] = ()) -> pd.DataFrame:
    """A synthetic indicators table (values invented): 1 000 enterprises in Québec, target 20 %, grant 300 000 $,
    project 500 000 $, 50 % of costs up to 10 000 $; a region with every figure doubled, graded official."""
    values = {"se_enterprises": ("1000", "count"), "otn_awareness_target_share": ("20", "pct"),
              "otn_grant_cqcm": ("300000", "cad"), "otn_project_value": ("500000", "cad"),
              "otn_grant_cost_share": ("50", "pct"), "otn_grant_ceiling": ("10000", "cad")}
    rows = [",".join([name, "quebec", v, unit, "", "exact", "false", DOCS[grades[name]], "S", grades[name], ""])
            for name, (v, unit) in values.items()]
    # the same indicators in a region, other values and the best grade: a lookup without the province's scope
    # would see them
    rows += [",".join([name, "monteregie", str(2 * int(v)), unit, "", "exact", "false", DOCS[OFFICIAL], "S", OFFICIAL,
                       ""]) for name, (v, unit) in values.items() if name != "otn_awareness_target_share"]
    rows.append(",".join(["otn_awareness_target_share", "monteregie", "40", "pct", "", "exact", "false",
                          DOCS[OFFICIAL], "S", OFFICIAL, ""]))
    p = tmp_path / "ind.csv"
    p.write_text("\n".join([",".join(COLUMNS), *rows, *extra]) + "\n", encoding="utf-8")
    return load_indicators(p)


GRADES = {"se_enterprises": OFFICIAL, "otn_awareness_target_share": REPORT, "otn_grant_cqcm": OFFICIAL,
          "otn_project_value": WEB, "otn_grant_cost_share": OFFICIAL, "otn_grant_ceiling": REPORT}


# --- the rule ---------------------------------------------------------------------------------------------------------

def test_grant_parameters_read_the_province_rows(tmp_path):
    assert digital.grant_parameters(synthetic_indicators(tmp_path, GRADES)) == (0.5, 10_000.0)
    with pytest.raises(ParameterError) as err:
        digital.grant_parameters(pd.DataFrame({"indicator": ["x"]}))
    assert err.value.field == "indicators"


@pytest.mark.parametrize("share, ceiling, field, match", [
    (0, 100, "share", "above zero"), (-0.5, 100, "share", "above zero"), (1.0001, 100, "share",
                                                                          r"share of costs in \(0, 1\], got 1\.0001"),
    (2, 100, "share", r"share of costs in \(0, 1\], got 2"), (0.5, -1, "ceiling", "zero or more"),
    (0.5, float("inf"), "ceiling", "finite"),
])
def test_the_rule_is_checked_by_every_function(share, ceiling, field, match):
    for call in (lambda: digital.grant(100, share, ceiling), lambda: digital.ceiling_cost(share, ceiling),
                 lambda: digital.grant_table([100], share, ceiling), lambda: digital.grant_curve(share, ceiling)):
        with pytest.raises(ParameterError, match=match) as err:
            call()
        assert err.value.field == field


def test_share_one_and_ceiling_zero_are_allowed():
    assert digital.grant(300, 1, 1000) == 300.0 and type(digital.grant(300, 1, 1000)) is float
    assert digital.grant(300, 0.5, 0) == 0.0
    assert digital.ceiling_cost(1, 500) == 500.0
    assert digital.ceiling_cost() == 25_000.0  # the seed's rule: 20 000 $ / 0.8


@pytest.mark.parametrize("cost, expected", [(199, 99.5), (200, 100.0), (201, 100.0)])
def test_grant_at_the_ceiling_of_another_rule(cost, expected):
    """50 % up to 100 $: the ceiling binds from 200 $."""
    assert digital.grant(cost, 0.5, 100) == expected


def test_a_bad_cost_names_the_cost():
    with pytest.raises(ParameterError, match="zero or more, got -1") as err:
        digital.grant(-1)
    assert err.value.field == "cost"
    assert digital.grant(0) == 0.0


# --- the table --------------------------------------------------------------------------------------------------------

def test_grant_table_of_another_rule_with_a_zero_cost_and_the_ceiling_cost():
    """50 % up to 100 $, costs given unsorted (a generator): 0, 150, 199, 200, 400."""
    t = digital.grant_table((c for c in [400, 0, 200, 150, 199]), 0.5, 100)
    assert t.columns.tolist() == ["cost", "grant", "own_contribution", "effective_share", "at_ceiling"]
    assert t["cost"].tolist() == [0.0, 150.0, 199.0, 200.0, 400.0]
    assert t["grant"].tolist() == [0.0, 75.0, 99.5, 100.0, 100.0]
    assert t["own_contribution"].tolist() == [0.0, 75.0, 99.5, 100.0, 300.0]
    assert math.isnan(t["effective_share"].iloc[0]) and t["effective_share"].tolist()[1:] == [0.5, 0.5, 0.5, 0.25]
    assert t["at_ceiling"].tolist() == [False, False, False, True, True]
    assert t["at_ceiling"].dtype == bool


def test_effective_share_of_a_cost_below_one_dollar():
    """0.5 $ at 50 %: a grant of 0.25 $, half the cost (only a zero cost has no share)."""
    t = digital.grant_table([0.5, 0], 0.5, 100)
    assert t["effective_share"].tolist()[1] == 0.5 and math.isnan(t["effective_share"].iloc[0])


def test_grant_table_of_nothing_and_of_wrong_inputs():
    empty = digital.grant_table([])
    assert empty.empty and empty.columns.tolist() == ["cost", "grant", "own_contribution", "effective_share",
                                                      "at_ceiling"]
    for bad, name in (("10000", "str"), (b"1", "bytes"), (5, "int"), (None, "NoneType")):
        with pytest.raises(ParameterError, match=rf"expected a list of project costs, got {name}$") as err:
            digital.grant_table(bad)
        assert err.value.field == "costs"
    with pytest.raises(ParameterError, match="zero or more") as err:
        digital.grant_table([10, -5])
    assert err.value.field == "costs[1]"
    with pytest.raises(ParameterError, match="finite") as err:
        digital.grant_table([10, 20, "30"])
    assert err.value.field == "costs[2]"


# --- the curve --------------------------------------------------------------------------------------------------------

def test_grant_curve_default_and_another_rule():
    c = digital.grant_curve()
    assert len(c) == 101 and c["cost"].iloc[1] == 500.0 and c["cost"].iloc[-1] == 50_000.0
    assert c.loc[c["cost"] == 25_000.0, "grant"].item() == 20_000.0 and c["grant"].iloc[-1] == 20_000.0
    c = digital.grant_curve(0.5, 100, 400, 5)
    assert c.columns.tolist() == ["cost", "grant"]
    assert c["cost"].tolist() == [0.0, 100.0, 200.0, 300.0, 400.0]
    assert c["grant"].tolist() == [0.0, 50.0, 100.0, 100.0, 100.0]
    assert digital.grant_curve(max_cost=10, points=2)["cost"].tolist() == [0.0, 10.0]
    assert len(digital.grant_curve(points=np.int64(3))) == 3


@pytest.mark.parametrize("points", [1, 0, True, 2.0, "3"])
def test_grant_curve_needs_two_whole_points(points):
    with pytest.raises(ParameterError, match=rf"expected 2 points or more, got {points!r}") as err:
        digital.grant_curve(points=points)
    assert err.value.field == "points"


def test_grant_curve_needs_a_cost_above_zero():
    with pytest.raises(ParameterError, match="above zero") as err:
        digital.grant_curve(max_cost=0)
    assert err.value.field == "max_cost"


# --- the reach --------------------------------------------------------------------------------------------------------

def test_reach_on_the_shipped_table():
    """Seeds 002 and 003: 11 200 enterprises, 10 % target (1 120), 4 M$ grant, 5 M$ project; seed 000: 80 % up to
    20 000 $. Every figure is from an organisation report (se_enterprises also from seed 003, a web page: the best
    source counts)."""
    r = digital.programme_reach(load_indicators())
    assert r["measure"].tolist() == ["se_enterprises", "target_share_pct", "target_enterprises", "grant_cqcm",
                                     "project_value", "grant_per_target_enterprise",
                                     "project_value_per_target_enterprise", "max_grants_at_ceiling", "cost_at_ceiling"]
    assert r["value"].tolist() == pytest.approx([11_200, 10, 1_120, 4e6, 5e6, 4e6 / 1_120, 5e6 / 1_120, 200, 25_000])
    assert r["unit"].tolist() == ["count", "pct", "count", "cad", "cad", "cad", "cad", "count", "cad"]
    assert set(r["quality"]) == {REPORT}


def test_reach_measures_and_weakest_qualities_on_a_synthetic_table(tmp_path):
    """Hand computation: target 1 000 × 20 % = 200 enterprises (official × report → report); 300 000 / 200 = 1 500
    (official, report → report); 500 000 / 200 = 2 500 (web, report → web); 300 000 / 10 000 = 30 grants (official,
    report → report); 10 000 / 0.5 = 20 000 $ (official, report → report)."""
    r = digital.programme_reach(synthetic_indicators(tmp_path, GRADES), reached=40)
    assert r.columns.tolist() == ["measure", "value", "unit", "quality"]
    assert r.values.tolist() == [
        ["se_enterprises", 1000.0, "count", OFFICIAL],
        ["target_share_pct", 20.0, "pct", REPORT],
        ["target_enterprises", 200.0, "count", REPORT],
        ["grant_cqcm", 300_000.0, "cad", OFFICIAL],
        ["project_value", 500_000.0, "cad", WEB],
        ["grant_per_target_enterprise", 1_500.0, "cad", REPORT],
        ["project_value_per_target_enterprise", 2_500.0, "cad", WEB],
        ["max_grants_at_ceiling", 30.0, "count", REPORT],
        ["cost_at_ceiling", 20_000.0, "cad", REPORT],
        ["reached", 40.0, "count", r["quality"].iloc[9]],  # missing: asserted below
        ["reached_share_pct", 4.0, "pct", OFFICIAL],   # 100 × 40 / 1 000
        ["target_attained", 0.0, "bool", REPORT],
    ]
    assert pd.isna(r["quality"].iloc[9])  # the observed count has no source


def test_reach_qualities_follow_each_input(tmp_path):
    """Other grades: enterprises from a web page make the target and everything per target a web-page figure;
    the grant rule official and the CQCM grant a report."""
    grades = {"se_enterprises": WEB, "otn_awareness_target_share": OFFICIAL, "otn_grant_cqcm": REPORT,
              "otn_project_value": OFFICIAL, "otn_grant_cost_share": WEB, "otn_grant_ceiling": OFFICIAL}
    r = digital.programme_reach(synthetic_indicators(tmp_path, grades), reached=5).set_index("measure")["quality"]
    assert pd.isna(r.pop("reached"))
    assert r.to_dict() == {"se_enterprises": WEB, "target_share_pct": OFFICIAL, "target_enterprises": WEB,
                           "grant_cqcm": REPORT, "project_value": OFFICIAL, "grant_per_target_enterprise": WEB,
                           "project_value_per_target_enterprise": WEB, "max_grants_at_ceiling": REPORT,
                           "cost_at_ceiling": WEB, "reached_share_pct": WEB, "target_attained": WEB}


@pytest.mark.parametrize("reached, attained", [(199, 0.0), (200, 1.0), (201, 1.0), (np.int64(200), 1.0), (0, 0.0)])
def test_target_attained_from_the_target_count(tmp_path, reached, attained):
    """Target 200 enterprises (synthetic table); a NumPy integer is a count too (it was refused before issue 21)."""
    r = digital.programme_reach(synthetic_indicators(tmp_path, GRADES), reached=reached).set_index("measure")
    assert r.loc["target_attained", "value"] == attained
    assert r.loc["reached", "value"] == float(reached)


@pytest.mark.parametrize("reached, match", [(-1, "zero or more"), (1.5, "expected a int or integer"),
                                            (True, "finite"), ("5", "expected a int")])
def test_reached_must_be_a_count(tmp_path, reached, match):
    with pytest.raises(ParameterError, match=match) as err:
        digital.programme_reach(synthetic_indicators(tmp_path, GRADES), reached=reached)
    assert err.value.field == "reached"


def test_reach_needs_the_indicators_table_and_its_rows(tmp_path):
    with pytest.raises(ParameterError) as err:
        digital.programme_reach({"se_enterprises": 1})
    assert err.value.field == "indicators"
    grades = dict(GRADES)
    table = synthetic_indicators(tmp_path, grades)
    with pytest.raises(ParameterError, match="otn_grant_cqcm") as err:
        digital.programme_reach(table[table["indicator"] != "otn_grant_cqcm"])
    assert err.value.field == "indicator"
    two = synthetic_indicators(tmp_path, grades, extra=[
        "se_enterprises,quebec,999,count,2020,exact,false,002_dd.txt,S,organisation_report,"])
    with pytest.raises(DataIntegrityError, match="several values"):
        digital.programme_reach(two)
