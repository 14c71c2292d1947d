"""Practice inventory, research-problem gaps, ranking and shortlist stability, on hand-made toy tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.priorities import (
    compute_candidate_criteria,
    compute_issue_gaps,
    compute_practice_inventory,
    compute_practice_themes,
    compute_research_problems,
    compute_shortlist,
    compute_theme_gaps,
    explode_issues,
    rank_candidates,
    shortlist_stability,
)
from analysis.vigie.themes import load_themes

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture
def toy():
    return load_themes(FIX / "themes_toy.yaml")


@pytest.fixture
def practices():
    # Synthetic practices (invented).
    return pd.DataFrame({
        "practice_id": ["p1", "p2", "p3", "p4"],
        "description": ["Local food hub", "Digital platform for members", "Training programme", "Farm stand"],
        "sector": ["food_distribution", "digital_platforms", "education", "agriculture"],
        "innovation_type": ["business_model", "technological", "social", "business_model"],
        "priority_issue": ["issue_a", "issue_b;issue_a", "issue_b", "issue_a"],
        "region": ["Montréal", None, "Montréal", "Outaouais"],
    })


def test_inventory(practices):
    assert explode_issues(practices).shape == (5, 2)
    inv = compute_practice_inventory(practices, "priority_issue")
    assert inv["priority_issue"].tolist() == ["issue_a", "issue_b"]
    assert inv["n_practices"].tolist() == [3, 2]
    assert inv["share"].tolist() == [0.75, 0.5]
    reg = compute_practice_inventory(practices, "region")
    assert reg["region"].tolist() == ["Montréal", "Outaouais", "unspecified"]  # a code: the report names it
    from analysis.report.labels import t

    assert reg["region"].replace({"unspecified": t("vigie.unspecified")}).tolist()[-1] == "non précisé"


def test_gaps_by_hand(toy, practices):
    # literature: 10 themed works; 8 digital (issue_b), 2 food (issue_a)
    wt = pd.DataFrame({"work_id": [f"w{i}" for i in range(10)], "theme": ["digital"] * 8 + ["food"] * 2})
    g = compute_issue_gaps(practices, wt, toy).set_index("issue")
    # issue_a: practice share 3/4, literature 2/10 → gap 0.55; issue_b: 2/4 − 8/10 = −0.3
    assert g.loc["issue_a", "gap"] == pytest.approx(0.55)
    assert g.loc["issue_b", "gap"] == pytest.approx(-0.3)
    pt = compute_practice_themes(practices, toy)
    assert sorted(map(tuple, pt.to_numpy())) == [("p1", "food"), ("p2", "digital"), ("p4", "food")]
    tg = compute_theme_gaps(pt, 4, wt, toy).set_index("theme")
    assert tg.loc["food", "gap"] == pytest.approx(2 / 4 - 2 / 10)
    assert tg.loc["digital", "gap"] == pytest.approx(1 / 4 - 8 / 10)
    problems = compute_research_problems(tg.reset_index())
    assert problems["theme"].tolist() == ["food"]


def test_criteria_by_hand(toy, practices):
    pt = compute_practice_themes(practices, toy)
    emerging = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.0, 1.2]})
    cap = pd.Series({"food": 3, "digital": 1})
    c = compute_candidate_criteria(toy, emerging, practices, pt, cap, region_focus="Outaouais").set_index("candidate")
    # levers: food 1, digital 2 → 0.5, 1; issue practice share: a 3/4, b 2/4 → 1, 2/3
    assert c.loc["food", "alignment"] == pytest.approx(0.5 * 0.5 + 0.5 * 1)
    assert c.loc["digital", "alignment"] == pytest.approx(0.5 * 1 + 0.5 * (2 / 3))
    assert c.loc["food", "momentum"] == 0 and c.loc["digital", "momentum"] == 1
    # food practices p1 (Montréal) + p4 (Outaouais, counts twice) = 3; digital p2 = 1
    assert c.loc["food", "practice"] == 1 and c.loc["digital", "practice"] == pytest.approx(1 / 3)
    assert c.loc["digital", "capacity"] == pytest.approx(1 / 3)


def _criteria():
    return pd.DataFrame({"candidate": ["A", "B", "C"], "alignment": [1.0, 0.0, 0.4], "momentum": [0.0, 1.0, 0.4],
                         "practice": [0.0, 0.0, 0.0], "capacity": [0.0, 0.0, 0.0]})


def test_rank_by_hand():
    r = rank_candidates(_criteria(), {"alignment": 3, "momentum": 1, "practice": 0, "capacity": 0})
    # A = 0.75, B = 0.25, C = 0.4
    assert r["candidate"].tolist() == ["A", "C", "B"]
    assert r["score"].tolist() == pytest.approx([0.75, 0.4, 0.25])
    with pytest.raises(ParameterError, match="positive sum"):
        rank_candidates(_criteria(), {"alignment": 0, "momentum": 0})


def test_stability_uniform_dirichlet():
    # two active criteria, w1 ~ U(0, 1): A wins when w1 > 0.5, B otherwise; C (0.4) never first
    crit = _criteria()
    crit["practice"] = [0.0, 0.0, 0.0]
    s = shortlist_stability(crit[["candidate", "alignment", "momentum", "practice", "capacity"]],
                            {"alignment": 1, "momentum": 1, "practice": 1, "capacity": 1}, size=1,
                            n_resamples=4000, seed=3, concentration=None).set_index("candidate")
    # with 4 criteria drawn uniformly, A wins iff w_a > w_m and 1·w_a > 0.4(w_a + w_m) — i.e. iff w_a > w_m
    assert s.loc["A", "p_shortlist"] == pytest.approx(0.5, abs=0.03)
    assert s.loc["B", "p_shortlist"] == pytest.approx(0.5, abs=0.03)
    assert s.loc["C", "p_shortlist"] == 0
    again = shortlist_stability(crit, {"alignment": 1, "momentum": 1}, 1, 4000, 3, None)
    assert again["p_shortlist"].tolist() == s["p_shortlist"].tolist()  # seeded


def test_stability_centred_and_shortlist():
    crit = _criteria()
    w = {"alignment": 3, "momentum": 1, "practice": 0, "capacity": 0}
    s = shortlist_stability(crit, w, size=2, n_resamples=500, seed=1, concentration=50)
    assert s.set_index("candidate").loc["A", "p_shortlist"] == 1.0
    short = compute_shortlist(rank_candidates(crit, w), s, 2)
    assert short["candidate"].tolist() == ["A", "C"]
    assert np.all(short["p_shortlist"] > 0.5)


def test_gaps_without_literature(toy, practices):
    none = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    pt = compute_practice_themes(practices, toy)
    tg = compute_theme_gaps(pt, 4, none, toy).set_index("theme")
    assert tg.loc["food", "literature_share"] == 0 and tg.loc["food", "gap"] == pytest.approx(0.5)
    assert compute_research_problems(tg.reset_index())["theme"].tolist() == ["food", "digital"]


