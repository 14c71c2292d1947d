"""Priorities (issue 21): every argument check names its argument, edge values of each rule, the documented
defaults, and the values the first tests left unread (issue shares, gap tables, mean ranks, list order).

Small synthetic tables built here (invented practices, sources and themes; the toy theme dictionary of
tests/fixtures/vigie).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis.vigie.priorities as P
from analysis.core.errors import ParameterError
from analysis.vigie.themes import load_themes

FIX = Path(__file__).parent / "fixtures" / "vigie"
TOY = load_themes(FIX / "themes_toy.yaml")
EMPTY = pd.DataFrame({"x": [1]})
CRIT_COLS = ["candidate", "alignment", "momentum", "practice", "capacity"]


def _practices():
    """Synthetic inventory: two sources, one practice without a source, one without an issue."""
    return pd.DataFrame({
        "practice_id": ["p1", "p2", "p3", "p4", "p5"],
        "description": ["Local food hub", "Digital platform for members", "Farm stand", "Food bank", "Training"],
        "sector": ["food_distribution", "digital_platforms", "agriculture", None, "education"],
        "innovation_type": ["business_model", "technological", "social", "social", "social"],
        "priority_issue": ["issue_a", "issue_b;issue_a", "issue_a", "issue_b", None],
        "region": ["Montréal", None, "Outaouais", "Montréal", None],
        "source_doc": ["000_a.txt", "000_a.txt", "001_b.txt", None, "001_b.txt"],
    })


def _crit():
    return pd.DataFrame({"candidate": ["A", "B", "C"], "alignment": [1.0, 0.5, 0.0], "momentum": [1.0, 0.5, 0.0],
                         "practice": [1.0, 0.5, 0.0], "capacity": [1.0, 0.5, 0.0]})


PT = pd.DataFrame({"practice_id": ["p1"], "theme": ["food"]})
WT = pd.DataFrame({"work_id": ["w1"], "theme": ["food"]})
EMERGING = pd.DataFrame({"theme": ["food"], "rate_ratio": [1.2]})
RANKED = pd.DataFrame({"candidate": ["A"], "rank": [1], "n_evidence": [3]})
STABILITY = pd.DataFrame({"candidate": ["A"], "p_shortlist": [1.0], "mean_rank": [1.0]})
ONLY_ID = pd.DataFrame({"practice_id": ["p1"]})


@pytest.mark.parametrize(("call", "message", "field"), [
    (lambda: P.explode_issues(ONLY_ID), r"^\[practices\] .*missing priority_issue", "practices"),
    (lambda: P.compute_practice_inventory(ONLY_ID, "region"), r"^\[practices\] .*missing region", "practices"),
    (lambda: P.compute_practice_themes(ONLY_ID, TOY), r"^\[practices\] .*missing description, sector",
     "practices"),
    (lambda: P.compute_practice_themes(_practices(), [TOY]),
     r"^\[themes\] expected a ThemeDictionary, got a list \(load it with vigie\.load_themes\(\)\)", "themes"),
    (lambda: P.compute_issue_gaps(ONLY_ID, WT, TOY), r"^\[practices\] .*missing priority_issue", "practices"),
    (lambda: P.compute_issue_gaps(_practices(), EMPTY, TOY), r"^\[work_themes\] .*missing work_id, theme",
     "work_themes"),
    (lambda: P.compute_theme_gaps(EMPTY, 1, WT, TOY), r"^\[practice_themes\] .*missing practice_id, theme",
     "practice_themes"),
    (lambda: P.compute_theme_gaps(PT, -1, WT, TOY), r"^\[n_practices\] .*at least 0, got -1", "n_practices"),
    (lambda: P.compute_theme_gaps(PT, 1, EMPTY, TOY), r"^\[work_themes\] .*missing work_id, theme", "work_themes"),
    (lambda: P.compute_research_problems(EMPTY), r"^\[gaps\] .*missing n_practices, gap", "gaps"),
    (lambda: P.compute_practice_sources(ONLY_ID), r"^\[practices\] .*missing source_doc, region", "practices"),
    (lambda: P.compute_candidate_criteria(TOY, EMPTY, _practices(), PT, pd.Series(dtype=int)),
     r"^\[emerging\] .*missing theme, rate_ratio", "emerging"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, ONLY_ID, PT, pd.Series(dtype=int)),
     r"^\[practices\] .*missing priority_issue, region, source_doc", "practices"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), EMPTY, pd.Series(dtype=int)),
     r"^\[practice_themes\] .*missing practice_id, theme", "practice_themes"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, {"food": 1}),
     r"^\[capacity\] expected a Series, got a dict \(vigie\.compute_theme_capacity\(\) gives it\)", "capacity"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), min_theme_works=-1),
     r"^\[min_theme_works\] ", "min_theme_works"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), min_practices=-1),
     r"^\[min_practices\] ", "min_practices"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int),
                                          min_researchers=-1), r"^\[min_researchers\] ", "min_researchers"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), level=1),
     r"^\[level\] expected a number between 0 and 1 or None, got 1$", "level"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), level=0),
     r"^\[level\] expected a number between 0 and 1 or None, got 0$", "level"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), level="0.05"),
     r"^\[level\] ", "level"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), min_theme_works=1),
     r"^\[emerging\] .*missing n_works", "emerging"),
    (lambda: P.compute_candidate_criteria(TOY, EMERGING, _practices(), PT, pd.Series(dtype=int), level=0.05),
     r"^\[emerging\] .*missing p_adjusted", "emerging"),
    (lambda: P.rank_candidates(EMPTY, {"alignment": 1}), r"^\[criteria\] .*missing candidate, alignment",
     "criteria"),
    (lambda: P.rank_candidates(_crit(), [1, 1]),
     r"^\[weights\] expected a dict, got a list \(a mapping of alignment, momentum, practice, capacity to numbers\)",
     "weights"),
    (lambda: P.rank_candidates(_crit(), {"speed": 1, "alignment": 1}),
     r"^\[weights\] unknown criteria \['speed'\]; expected alignment, momentum, practice, capacity$", "weights"),
    (lambda: P.rank_candidates(_crit(), {"alignment": -1, "momentum": 2}),
     r"^\[weights\] weights must be non-negative with a positive sum$", "weights"),
    (lambda: P.rank_candidates(_crit(), {"alignment": 0}), r"^\[weights\] weights must be non-negative", "weights"),
    (lambda: P.shortlist_stability(EMPTY, {"alignment": 1}, 1), r"^\[criteria\] ", "criteria"),
    (lambda: P.shortlist_stability(_crit(), {"alignment": 1}, 0), r"^\[size\] .*at least 1, got 0", "size"),
    (lambda: P.shortlist_stability(_crit(), {"alignment": 1}, 1, 0), r"^\[n_resamples\] .*at least 1, got 0",
     "n_resamples"),
    (lambda: P.compute_shortlist(EMPTY, STABILITY, 1), r"^\[ranked\] .*missing candidate, rank", "ranked"),
    (lambda: P.compute_shortlist(RANKED, EMPTY, 1), r"^\[stability\] .*missing candidate, p_shortlist",
     "stability"),
    (lambda: P.compute_shortlist(RANKED, STABILITY, 0), r"^\[size\] ", "size"),
    (lambda: P.select_shortlist(EMPTY, STABILITY), r"^\[ranked\] .*missing candidate, rank, n_evidence", "ranked"),
    (lambda: P.select_shortlist(RANKED, EMPTY), r"^\[stability\] .*missing candidate, p_shortlist, mean_rank",
     "stability"),
    (lambda: P.select_shortlist(RANKED, STABILITY, min_criteria=-1), r"^\[min_criteria\] .*at least 0, got -1",
     "min_criteria"),
    (lambda: P.select_shortlist(RANKED, STABILITY, min_cells=0), r"^\[min_cells\] .*at least 1, got 0",
     "min_cells"),
    (lambda: P.select_shortlist(RANKED, STABILITY, min_stability=True),
     r"^\[min_stability\] expected a share between 0 and 1, got True$", "min_stability"),
    (lambda: P.select_shortlist(RANKED, STABILITY, min_stability="0.5"), r"^\[min_stability\] ", "min_stability"),
    (lambda: P.select_shortlist(RANKED, STABILITY, min_stability=-0.1), r"^\[min_stability\] ", "min_stability"),
    (lambda: P.compute_source_sensitivity(TOY, EMERGING, ONLY_ID, PT, pd.Series(dtype=int), {"practice": 1}),
     r"^\[practices\] .*missing source_doc", "practices"),
    (lambda: P.compute_source_sensitivity(TOY, EMERGING, _practices(), EMPTY, pd.Series(dtype=int), {"practice": 1}),
     r"^\[practice_themes\] .*missing practice_id, theme", "practice_themes"),
])
def test_arguments_are_checked_and_named(call, message, field):
    with pytest.raises(ParameterError, match=message) as err:
        call()
    assert err.value.field == field


def test_edge_values_that_are_allowed():
    assert P.compute_theme_gaps(PT, 0, WT, TOY)["practice_share"].isna().all()  # no practice: share unknown
    ranked, stability = RANKED.assign(n_evidence=0), STABILITY
    assert P.select_shortlist(ranked, stability, min_criteria=0)["status"].tolist() == ["shortlisted"]
    assert P.select_shortlist(RANKED, STABILITY, min_stability=0)["status"].tolist() == ["shortlisted"]
    assert P.select_shortlist(RANKED, STABILITY, min_stability=1)["status"].tolist() == ["shortlisted"]
    c = P.compute_candidate_criteria(TOY, EMERGING.assign(p_adjusted=[0.01]), _practices(), PT, pd.Series(dtype=int),
                                     level=0.5)
    assert c.set_index("candidate").loc["food", "momentum_evidence"] == "ok"


def test_gap_tables_by_hand():
    practices = _practices()
    wt = pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4"], "theme": ["food", "food", "digital", "food"]})
    g = P.compute_issue_gaps(practices, wt, TOY)
    # practices 5; issue_a: p1, p2, p3 → 3/5; issue_b: p2, p4 → 2/5; works 4: a 3, b 1
    assert g.columns.tolist() == ["issue", "n_practices", "practice_share", "n_works", "literature_share", "gap"]
    assert g["issue"].tolist() == ["issue_b", "issue_a"]  # largest gap first: 0.4 − 0.25 = 0.15, 0.6 − 0.75
    assert g["n_practices"].tolist() == [2, 3] and g["n_works"].tolist() == [1, 3]
    assert g["gap"].tolist() == pytest.approx([0.15, -0.15])
    pt = pd.DataFrame({"practice_id": ["p1", "p3"], "theme": ["food", "food"]})
    tg = P.compute_theme_gaps(pt, 5, wt, TOY)
    assert tg.columns.tolist() == ["theme", "n_practices", "practice_share", "n_works", "literature_share", "gap",
                                   "issue"]
    assert tg["theme"].tolist() == ["digital", "food"]  # 0 − 1/4 = −0.25 before 2/5 − 3/4 = −0.35
    assert tg["issue"].tolist() == ["issue_b", "issue_a"]
    assert tg["n_practices"].tolist() == [0, 2] and tg["n_works"].tolist() == [1, 3]
    assert tg["gap"].tolist() == pytest.approx([-0.25, -0.35])


def test_gap_ties_are_ordered_by_name():
    wt = pd.DataFrame({"work_id": ["w1", "w2"], "theme": ["food", "digital"]})
    pt = pd.DataFrame({"practice_id": ["p1", "p2"], "theme": ["food", "digital"]})
    assert P.compute_theme_gaps(pt, 2, wt, TOY)["theme"].tolist() == ["digital", "food"]  # both gap 0
    practices = pd.DataFrame({"practice_id": ["p1", "p2"], "priority_issue": ["issue_a", "issue_b"]})
    assert P.compute_issue_gaps(practices, wt, TOY)["issue"].tolist() == ["issue_a", "issue_b"]


def test_issue_gaps_without_a_list_of_issues_use_the_themes_issues():
    import dataclasses

    no_list = dataclasses.replace(TOY, issues={}) if dataclasses.is_dataclass(TOY) else TOY
    g = P.compute_issue_gaps(pd.DataFrame({"practice_id": ["p1"], "priority_issue": ["issue_b"]}), WT, no_list)
    assert sorted(g["issue"]) == ["issue_a", "issue_b"]


def test_research_problems_need_a_practice_and_a_positive_gap():
    gaps = pd.DataFrame({"theme": ["a", "b", "c", "d"], "n_practices": [1, 0, 2, 1], "gap": [0.1, 0.3, 0.0, -0.1]},
                        index=[5, 6, 7, 8])
    out = P.compute_research_problems(gaps)
    assert out["theme"].tolist() == ["a"] and out.index.tolist() == [0]


def test_inventory_order_and_missing_values():
    inv = P.compute_practice_inventory(_practices(), "region")
    assert inv["region"].tolist() == ["Montréal", "unspecified", "Outaouais"]  # 2, 2, 1; ties by value
    assert inv["n_practices"].tolist() == [2, 2, 1] and inv["share"].tolist() == pytest.approx([0.4, 0.4, 0.2])
    assert inv.index.tolist() == [0, 1, 2]
    issues = P.compute_practice_inventory(_practices(), "priority_issue")
    assert issues["priority_issue"].tolist() == ["issue_a", "issue_b"] and issues["n_practices"].tolist() == [3, 2]


def test_issue_share_by_source_by_hand():
    # sources: 000_a (p1 a, p2 a+b), 001_b (p3 a, p5 none), unspecified (p4 b): 3 sources
    # issue_a: (2/2 + 1/2 + 0/1) / 3 = 0.5; issue_b: (1/2 + 0 + 1/1) / 3 = 0.5
    share = P._issue_share_by_source(_practices())
    assert share.to_dict() == pytest.approx({"issue_a": 0.5, "issue_b": 0.5})
    one = _practices().assign(source_doc="000_a.txt")
    assert P._issue_share_by_source(one).to_dict() == pytest.approx({"issue_a": 0.6, "issue_b": 0.4})


def test_practice_sources_missing_source_is_its_own_source():
    w = P.compute_practice_sources(_practices()).set_index("practice_id")
    assert w.loc["p4", "source_doc"] == "unspecified" and w.loc["p4", "n_source_practices"] == 1
    assert w.loc["p4", "weight"] == pytest.approx(1 / 3) and w.loc["p1", "weight"] == pytest.approx(1 / 6)
    assert w["weight"].sum() == pytest.approx(1.0)
    focus = P.compute_practice_sources(_practices(), region_focus="MONTRÉAL").set_index("practice_id")["weight"]
    # 000_a: p1 counts twice → 2/3 and 1/3 of its third
    assert focus["p1"] == pytest.approx(2 / 9) and focus["p2"] == pytest.approx(1 / 9)


def test_scale_max():
    assert P._scale_max(pd.Series([2.0, None, 4.0])).tolist() == [0.5, 0.0, 1.0]
    assert P._scale_max(pd.Series([0.0, 0.0])).tolist() == [0.0, 0.0]
    assert P._scale_max(pd.Series([-1.0, -2.0])).tolist() == [-0.0, -0.0]
    assert P._scale_max(pd.Series([], dtype=float)).tolist() == []
    assert P._scale_max(pd.Series([1, 3])).tolist() == pytest.approx([1 / 3, 1.0])


def test_momentum_evidence_edges():
    assert P._momentum_evidence(19, 1.2, 0.01, 20, 0.05) == "few_works"
    assert P._momentum_evidence(20, 1.2, 0.01, 20, 0.05) == "ok"
    assert P._momentum_evidence(20, np.nan, 0.01, 20, 0.05) == "no_estimate"
    assert P._momentum_evidence(20, 1.2, 0.05, 20, 0.05) == "not_significant"  # p must be below the level
    assert P._momentum_evidence(20, 1.2, np.nan, 20, 0.05) == "not_significant"
    assert P._momentum_evidence(20, 1.2, np.nan, 20, None) == "ok"


def test_order_rounds_scores_to_twelve_digits():
    # scores equal to 12 digits tie, and ties go by name
    assert P._order(np.array([0.5 + 4e-13, 0.5]), ["B", "A"]) == [1, 0]
    assert P._order(np.array([0.5 + 4e-12, 0.5]), ["B", "A"]) == [0, 1]


def test_rank_candidates_output():
    r = P.rank_candidates(_crit().iloc[::-1].reset_index(drop=True), {"alignment": 1, "capacity": 3})
    assert r["candidate"].tolist() == ["A", "B", "C"] and r["rank"].tolist() == [1, 2, 3]
    assert r["rank"].dtype.kind == "i" and r.index.tolist() == [0, 1, 2]
    assert r["score"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    nan = _crit().assign(momentum=[np.nan, 1.0, np.nan])
    assert P.rank_candidates(nan, {"momentum": 1})["score"].tolist() == [1.0, 0.0, 0.0]


def test_stability_mean_ranks_and_defaults():
    s = P.shortlist_stability(_crit(), {"alignment": 1}, size=2)
    # A dominates B dominates C on every criterion: same ranks in every draw
    assert s["p_shortlist"].tolist() == [1.0, 1.0, 0.0] and s["mean_rank"].tolist() == [1.0, 2.0, 3.0]
    crossing = pd.DataFrame({"candidate": ["A", "B"], "alignment": [1.0, 0.0], "momentum": [0.0, 1.0],
                             "practice": [0.0, 0.0], "capacity": [0.0, 0.0]})
    default = P.shortlist_stability(crossing, {"alignment": 1, "momentum": 1}, size=1)
    explicit = P.shortlist_stability(crossing, {"alignment": 1, "momentum": 1}, size=1, n_resamples=1000, seed=42,
                                     concentration=20.0)
    assert default.equals(explicit)
    # by hand: A is first when its alignment weight exceeds the momentum weight, in the same seeded draws
    draws = np.random.default_rng(42).dirichlet(np.maximum(20.0 * np.array([0.5, 0.5, 0, 0]), 0.05), size=1000)
    p_a = float(np.mean(draws[:, 0] > draws[:, 1]))
    assert default["p_shortlist"].tolist() == pytest.approx([p_a, 1 - p_a])
    assert default["mean_rank"].tolist() == pytest.approx([2 - p_a, 1 + p_a])


def test_compute_shortlist_attaches_stability():
    ranked = P.rank_candidates(_crit(), {"alignment": 1})
    stability = pd.DataFrame({"candidate": ["C", "A", "B"], "p_shortlist": [0.1, 0.9, 0.6],
                              "mean_rank": [3.0, 1.1, 1.9]})
    out = P.compute_shortlist(ranked, stability, 2)
    assert out["candidate"].tolist() == ["A", "B"] and out["p_shortlist"].tolist() == [0.9, 0.6]
    assert out.index.tolist() == [0, 1] and "index" not in out.columns


def test_select_shortlist_default_rule_and_exact_threshold():
    ranked = pd.DataFrame({"candidate": list("ABCD"), "rank": [1, 2, 3, 4], "n_evidence": [2, 2, 2, 3]})
    stability = pd.DataFrame({"candidate": list("DCBA"), "p_shortlist": [0.2, 0.5, 0.5 - 1e-9, 0.9],
                              "mean_rank": [3.5, 2.0, 2.0, 1.2]})
    out = P.select_shortlist(ranked, stability)
    assert out["candidate"].tolist() == ["A", "B", "C", "D"] and out.index.tolist() == [0, 1, 2, 3]
    # default: two criteria, 50 % (C at exactly 0.5 is stable), three to five cells
    assert out["status"].tolist() == ["shortlisted", "completed", "shortlisted", "unstable"]
    # order of the list: stable cells by stability, then completing ones; ties of stability by mean rank
    assert out["position"].fillna(0).tolist() == [1, 3, 2, 0]
    assert str(out["position"].dtype) == "Int64"
    strict = P.select_shortlist(ranked, stability, min_criteria=3)
    # D alone has three criteria: the only eligible cell, below the stability threshold, it completes the list;
    # two provisional cells (one criterion backed) by stability: A (0.9), then C (0.5) before B (0.5 − 1e-9)
    assert strict["status"].tolist() == ["provisional", "insufficient_evidence", "provisional", "completed"]


def test_select_shortlist_ties_broken_by_mean_rank_then_rank():
    ranked = pd.DataFrame({"candidate": list("ABCDEF"), "rank": [1, 2, 3, 4, 5, 6], "n_evidence": [2, 2, 2, 2, 1, 1]})
    stability = pd.DataFrame({"candidate": list("ABCDEF"), "p_shortlist": [0.3, 0.3, 0.3, 0.3, 0.2, 0.2],
                              "mean_rank": [2.0, 1.5, 2.0, 3.0, 2.0, 1.0]})
    out = P.select_shortlist(ranked, stability, min_cells=2).set_index("candidate")
    # eligible A–D, none stable: B (mean rank 1.5) then A (2.0, rank 1 before C's rank 3) complete the list
    assert out.loc[list("ABCD"), "status"].tolist() == ["completed", "completed", "unstable", "unstable"]
    assert out.loc[["B", "A"], "position"].tolist() == [1, 2]
    thin = P.select_shortlist(ranked.assign(n_evidence=[2, 1, 1, 1, 1, 1]), stability, min_cells=3)
    thin = thin.set_index("candidate")
    # only A is eligible (completing); two provisional cells by stability (B, C, D at 0.3), then mean rank: B
    # (1.5), C (2.0); D (3.0), E and F (0.2) stay out
    assert thin.loc["A", "status"] == "completed"
    assert thin.loc[list("BCDEF"), "status"].tolist() == ["provisional", "provisional"] + ["insufficient_evidence"] * 3
    assert thin.loc[["A", "B", "C"], "position"].tolist() == [1, 2, 3]


def test_source_sensitivity_defaults_order_and_empty():
    practices = _practices()
    pt = P.compute_practice_themes(practices, TOY)
    cap = pd.Series({"food": 2, "digital": 1})
    weights = {"alignment": 1, "practice": 1, "capacity": 1}
    default = P.compute_source_sensitivity(TOY, EMERGING, practices, pt, cap, weights)
    explicit = P.compute_source_sensitivity(TOY, EMERGING, practices, pt, cap, weights, region_focus=None, size=4,
                                            n_resamples=1000, seed=42, min_theme_works=0, min_practices=0,
                                            min_researchers=0, level=None, min_criteria=2, min_stability=0.5,
                                            on_topic=True)
    assert default.equals(explicit)
    assert default.columns.tolist() == ["left_out", "candidate", "rank", "p_shortlist", "status", "shortlisted"]
    assert default["left_out"].tolist() == ["000_a.txt", "000_a.txt", "001_b.txt", "001_b.txt"]
    assert default["candidate"].tolist() == ["food", "digital", "food", "digital"]  # dictionary order
    assert default.index.tolist() == [0, 1, 2, 3]
    off = P.compute_source_sensitivity(TOY, EMERGING, practices, pt, cap, weights, on_topic=False)
    assert (off["status"] == "off_topic").all()
    none = P.compute_source_sensitivity(TOY, EMERGING, practices.assign(source_doc=None), pt, cap, weights)
    assert none.empty and none.columns.tolist() == default.columns.tolist()


def test_source_sensitivity_passes_the_evidence_minimums_on():
    practices = _practices()
    pt = P.compute_practice_themes(practices, TOY)
    emerging = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.3, 1.1], "n_works": [30, 5],
                             "p_adjusted": [0.2, 0.01]})
    cap = pd.Series({"food": 3, "digital": 1})
    kw = dict(size=1, n_resamples=50, seed=1, min_criteria=1)
    weights = {"momentum": 1, "practice": 1, "capacity": 1}
    for options, food_status in (({}, "shortlisted"), ({"min_theme_works": 31}, None),
                                 ({"min_practices": 5, "min_researchers": 5}, None), ({"level": 0.05}, None)):
        s = P.compute_source_sensitivity(TOY, emerging, practices, pt, cap, weights, **kw, **options)
        crit = P.compute_candidate_criteria(TOY, emerging, practices[practices["source_doc"] != "000_a.txt"],
                                            pt[pt["practice_id"].isin(["p3", "p4", "p5"])], cap, **options)
        expected = int(crit.set_index("candidate").loc["food", "n_evidence"])
        got = s[(s["left_out"] == "000_a.txt") & (s["candidate"] == "food")]["status"].iloc[0]
        assert (got == "insufficient_evidence") == (expected < 1), (options, got, expected)
        if food_status:
            assert got == food_status


def test_candidate_criteria_defaults_missing_values_and_scaling():
    practices = _practices()
    pt = P.compute_practice_themes(practices, TOY)
    c = P.compute_candidate_criteria(TOY, pd.DataFrame(columns=["theme", "rate_ratio"]), practices, pt,
                                     pd.Series(dtype=int)).set_index("candidate")
    # nothing known about works, trends or researchers: zeros and NaN, never invented ones
    assert c["n_works"].tolist() == [0, 0] and c["n_researchers"].tolist() == [0, 0]
    assert c["rate_ratio"].isna().all() and c["momentum"].isna().all()
    assert c["momentum_evidence"].tolist() == ["no_estimate", "no_estimate"]
    assert c["capacity_evidence"].tolist() == ["few_researchers", "few_researchers"]
    assert c["issue"].tolist() == ["issue_a", "issue_b"]
    # food: p1, p3 (p4 has no sector and "Food bank" matches food) ; digital: p2
    assert c.loc["digital", "n_practices"] == 1 and c.loc["digital", "n_practice_sources"] == 1
    no_theme = pd.DataFrame({"practice_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    c0 = P.compute_candidate_criteria(TOY, EMERGING, practices, no_theme, pd.Series(dtype=int)).set_index("candidate")
    assert c0["n_practices"].tolist() == [0, 0] and c0["n_practice_sources"].tolist() == [0, 0]
    assert c0["practice_weight"].tolist() == [0.0, 0.0] and c0["practice_evidence"].tolist() == ["few_practices"] * 2
    # momentum: log rate ratios 0 and log 2 → 0 and 1; a missing rate ratio scores 0 with no evidence
    em = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.0, 2.0], "n_works": [10, np.nan]})
    c2 = P.compute_candidate_criteria(TOY, em, practices, pt, pd.Series({"food": 2, "digital": 1}),
                                      min_theme_works=1).set_index("candidate")
    assert c2.loc["digital", "n_works"] == 0 and c2.loc["digital", "momentum_evidence"] == "few_works"
    assert c2.loc["food", "momentum"] == 0.0 and c2.loc["food", "capacity"] == 1.0
    assert c2["n_evidence"].dtype.kind == "i"
    em3 = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [np.nan, 2.0]})
    c3 = P.compute_candidate_criteria(TOY, em3, practices, pt, pd.Series(dtype=int)).set_index("candidate")
    assert c3.loc["digital", "momentum"] == 0.0  # one estimate: no range
    em4 = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [0.5, 2.0]})
    c4 = P.compute_candidate_criteria(TOY, em4, practices, pt, pd.Series(dtype=int)).set_index("candidate")
    assert c4["momentum"].tolist() == [0.0, 1.0]
    # researchers: at least one (and min_researchers) for the capacity evidence
    c5 = P.compute_candidate_criteria(TOY, EMERGING, practices, pt, pd.Series({"food": 2, "digital": 1}),
                                      min_researchers=2).set_index("candidate")
    assert c5["capacity_evidence"].tolist() == ["ok", "few_researchers"]


def test_theme_without_works_or_practices_counts_zero():
    wt = pd.DataFrame({"work_id": ["w1", "w2"], "theme": ["food", "food"]})
    tg = P.compute_theme_gaps(PT, 4, wt, TOY).set_index("theme")
    assert tg.loc["digital", "n_works"] == 0 and tg.loc["digital", "n_practices"] == 0
    assert tg.loc["digital", "literature_share"] == 0.0 and tg.loc["digital", "gap"] == 0.0
    assert tg.loc["food", "gap"] == pytest.approx(1 / 4 - 1.0)


def test_source_sensitivity_uses_the_focus_region():
    # synthetic: source 000_a lists one food and one digital practice; source 001_b two food practices and one
    # digital practice in Outaouais. Left out 000_a, the focus region doubles the digital practice within 001_b.
    practices = pd.DataFrame({
        "practice_id": ["a1", "a2", "b1", "b2", "b3"],
        "description": ["Local food hub", "Digital platform for members", "Farm stand", "Food bank",
                        "Digital tools"],
        "sector": ["food_distribution", "digital_platforms", "agriculture", "agriculture", "digital_platforms"],
        "priority_issue": ["issue_a", "issue_b", "issue_a", "issue_a", "issue_b"],
        "region": [None, None, None, None, "Outaouais"],
        "source_doc": ["000_a.txt", "000_a.txt", "001_b.txt", "001_b.txt", "001_b.txt"],
    })
    pt = P.compute_practice_themes(practices, TOY)
    weights = {"practice": 1}
    kw = dict(size=1, n_resamples=20, seed=3, min_criteria=1)
    plain = P.compute_source_sensitivity(TOY, EMERGING, practices, pt, pd.Series(dtype=int), weights, **kw)
    focus = P.compute_source_sensitivity(TOY, EMERGING, practices, pt, pd.Series(dtype=int), weights,
                                         region_focus="Outaouais", **kw)
    left = {"plain": plain[plain["left_out"] == "000_a.txt"].set_index("candidate"),
            "focus": focus[focus["left_out"] == "000_a.txt"].set_index("candidate")}
    # without 000_a: food weighs 2 of 3 practices of 001_b, digital 1 → food ranks first; with the focus region the
    # digital practice counts twice: 2 against 2, a tie broken by id → digital first
    assert left["plain"].loc["food", "rank"] == 1 and left["focus"].loc["digital", "rank"] == 1
