"""Practice inventory, research-problem gaps, ranking and shortlist stability, on hand-made toy tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.priorities import (
    EVIDENCE_CRITERIA,
    compute_candidate_criteria,
    compute_issue_gaps,
    compute_practice_inventory,
    compute_practice_sources,
    compute_practice_themes,
    compute_research_problems,
    compute_shortlist,
    compute_source_sensitivity,
    compute_theme_gaps,
    explode_issues,
    rank_candidates,
    select_shortlist,
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
        "source_doc": ["000_aaaa.txt"] * 4,  # one source: every practice weighs 1/4, as before the weighting
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




# ---- one source cannot decide the ranking ------------------------------------------------------------------------


@pytest.fixture
def one_book():
    """Synthetic inventory: a case book (source 001) lists 8 food practices; the roadmap (000) lists 2 digital ones.
    Counted plainly, food has 8 practices and digital 2; weighed by source, each source weighs 1/2."""
    ids = [f"b{i}" for i in range(8)] + ["r1", "r2"]
    return pd.DataFrame({
        "practice_id": ids,
        "description": ["Farm stand"] * 8 + ["Digital platform for members", "Digital tools"],
        "sector": ["agriculture"] * 8 + ["digital_platforms", "cross_sector"],
        "innovation_type": ["business_model"] * 10,
        "priority_issue": ["issue_a"] * 8 + ["issue_b", "issue_b"],
        "region": [None] * 10,
        "source_doc": ["001_book.txt"] * 8 + ["000_roadmap.txt"] * 2,
    })


def test_practices_weighed_by_source(toy, one_book):
    w = compute_practice_sources(one_book).set_index("practice_id")
    assert w.loc["b0", "weight"] == pytest.approx(1 / 16) and w.loc["r1", "weight"] == pytest.approx(1 / 4)
    assert w["weight"].sum() == pytest.approx(1.0)
    assert w.loc["b0", "n_source_practices"] == 8 and w.loc["r2", "n_source_practices"] == 2
    pt = compute_practice_themes(one_book, toy)
    c = compute_candidate_criteria(toy, pd.DataFrame(columns=["theme", "rate_ratio"]), one_book, pt,
                                   pd.Series(dtype=int)).set_index("candidate")
    # food: 8 × 1/16 = 1/2; digital: 2 × 1/4 = 1/2 → both at the maximum (8 vs 2 when counted plainly)
    assert c.loc["food", "practice_weight"] == pytest.approx(0.5)
    assert c.loc["digital", "practice_weight"] == pytest.approx(0.5)
    assert c.loc["food", "practice"] == 1 and c.loc["digital", "practice"] == 1
    assert (c.loc["food", "n_practices"], c.loc["food", "n_practice_sources"]) == (8, 1)
    # issue share: issue_a = (8/8 + 0/2) / 2 = 0.5, issue_b = (0/8 + 2/2) / 2 = 0.5 (plainly: 0.8 and 0.2)
    assert c.loc["food", "issue_practice_share"] == pytest.approx(0.5)
    assert c.loc["digital", "issue_practice_share"] == pytest.approx(0.5)
    # ranked on practices alone, the book no longer puts food first: a tie, broken by id
    assert rank_candidates(c.reset_index(), {"practice": 1})["candidate"].tolist() == ["digital", "food"]


def test_focus_region_counts_twice_within_its_source(one_book):
    one_book = one_book.assign(region=["Outaouais"] + [None] * 9)
    w = compute_practice_sources(one_book, region_focus="outaouais").set_index("practice_id")["weight"]
    # the book's multipliers: 2 + 7 × 1 = 9; its half is shared 2/9 and 1/9 each
    assert w["b0"] == pytest.approx(0.5 * 2 / 9) and w["b1"] == pytest.approx(0.5 / 9)
    assert w["r1"] == pytest.approx(0.25)


def test_leaving_the_book_out(toy, one_book):
    pt = compute_practice_themes(one_book, toy)
    cap = pd.Series({"food": 3, "digital": 3})
    s = compute_source_sensitivity(toy, pd.DataFrame(columns=["theme", "rate_ratio"]), one_book, pt, cap,
                                   {"alignment": 0, "momentum": 0, "practice": 1, "capacity": 1}, size=1,
                                   n_resamples=200, seed=1, min_practices=2, min_researchers=2, min_criteria=2,
                                   min_stability=0.5)
    assert s["left_out"].unique().tolist() == ["001_book.txt", "000_roadmap.txt"]
    without_book = s[s["left_out"] == "001_book.txt"].set_index("candidate")
    # without the book food has no practice: only its capacity is backed, not eligible; with a single eligible cell
    # in the list, it completes it provisionally (rule 5), never as a stable cell
    assert without_book.loc["food", "status"] == "provisional"
    assert without_book.loc["digital", "status"] == "shortlisted"
    without_roadmap = s[s["left_out"] == "000_roadmap.txt"].set_index("candidate")
    assert without_roadmap.loc["digital", "status"] == "provisional"
    assert without_roadmap.loc["food", "status"] == "shortlisted"


# ---- thin evidence is shown as such, not as a score ----------------------------------------------------------------


def _thin():
    """Synthetic: food has 81 works, a non-significant trend, 20 practices and 2 researchers; digital has 9 works
    (a high but thin rate ratio), no practice, no researcher."""
    emerging = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.076, 1.339], "n_works": [81, 9],
                             "p_adjusted": [0.071, 0.095]})
    practices = pd.DataFrame({"practice_id": [f"p{i}" for i in range(20)], "description": ["Local food hub"] * 20,
                              "sector": ["food_distribution"] * 20, "priority_issue": ["issue_a"] * 20,
                              "region": [None] * 20, "source_doc": ["001_book.txt"] * 20})
    return emerging, practices


def test_thin_evidence_codes(toy):
    emerging, practices = _thin()
    pt = compute_practice_themes(practices, toy)
    c = compute_candidate_criteria(toy, emerging, practices, pt, pd.Series({"food": 2}), min_theme_works=20,
                                   min_practices=2, min_researchers=2, level=0.05).set_index("candidate")
    assert c.loc["digital", [f"{k}_evidence" for k in EVIDENCE_CRITERIA]].tolist() == [
        "few_works", "few_practices", "few_works"]
    assert c.loc["food", [f"{k}_evidence" for k in EVIDENCE_CRITERIA]].tolist() == [
        "not_significant", "ok", "ok"]
    assert c.loc["digital", ["momentum", "practice", "capacity"]].isna().all()  # not a score of 0: no score
    assert np.isnan(c.loc["food", "momentum"]) and c.loc["food", "practice"] == 1 and c.loc["food", "capacity"] == 1
    assert c["n_evidence"].to_dict() == {"food": 2, "digital": 0}
    # the same data without minimum evidence: digital's thin trend gives it the top momentum
    loose = compute_candidate_criteria(toy, emerging, practices, pt, pd.Series({"food": 2})).set_index("candidate")
    assert loose.loc["digital", "momentum"] == 1 and loose.loc["digital", "momentum_evidence"] == "ok"
    # a significant trend counts; no estimate is its own code
    sig = emerging.assign(p_adjusted=[0.002, 0.095], n_works=[81, 30], rate_ratio=[1.076, np.nan])
    c2 = compute_candidate_criteria(toy, sig, practices, pt, pd.Series({"food": 2}), min_theme_works=20,
                                    level=0.05).set_index("candidate")
    assert c2.loc["food", "momentum_evidence"] == "ok" and c2.loc["digital", "momentum_evidence"] == "no_estimate"
    # one estimate only: min–max scaling has no range, the criterion is 0 (as before)
    assert c2.loc["food", "momentum"] == 0


def test_insufficient_criteria_add_nothing_to_the_score():
    crit = pd.DataFrame({"candidate": ["A", "B"], "alignment": [0.5, 1.0], "momentum": [1.0, np.nan],
                         "practice": [0.5, np.nan], "capacity": [np.nan, np.nan]})
    r = rank_candidates(crit, {"alignment": 1, "momentum": 1, "practice": 1, "capacity": 1}).set_index("candidate")
    # A = (0.5 + 1 + 0.5 + 0) / 4 = 0.5; B = (1 + 0 + 0 + 0) / 4 = 0.25
    assert r.loc["A", "score"] == pytest.approx(0.5) and r.loc["B", "score"] == pytest.approx(0.25)


# ---- the shortlist rule --------------------------------------------------------------------------------------------


def _rule_inputs(p: list[float], evidence: list[int]):
    names = [chr(ord("A") + i) for i in range(len(p))]
    ranked = pd.DataFrame({"candidate": names, "rank": range(1, len(p) + 1), "n_evidence": evidence})
    stability = pd.DataFrame({"candidate": names, "p_shortlist": p, "mean_rank": [float(i + 1) for i in range(len(p))]})
    return ranked, stability


def test_rule_stable_eligible_cells_capped_at_five():
    ranked, stability = _rule_inputs([1.0, 0.9, 0.95, 0.8, 0.7, 0.6, 0.55, 0.2], [3, 2, 1, 2, 2, 2, 2, 3])
    out = select_shortlist(ranked, stability, min_criteria=2, min_stability=0.5).set_index("candidate")
    # C lacks evidence (1 criterion) despite 95 %; of the eligible stable ones, the five most stable are taken
    assert out.loc["C", "status"] == "insufficient_evidence" and not out.loc["C", "shortlisted"]
    assert out[out["status"] == "shortlisted"].sort_values("position").index.tolist() == ["A", "B", "D", "E", "F"]
    assert out.loc["G", "status"] == "over_cap" and out.loc["H", "status"] == "unstable"
    assert out["position"].dropna().astype(int).tolist() == [1, 2, 3, 4, 5]


def test_rule_completes_to_three_with_the_most_stable_eligible():
    ranked, stability = _rule_inputs([1.0, 0.3, 0.4, 0.05, 0.9], [2, 2, 2, 2, 1])
    out = select_shortlist(ranked, stability, min_criteria=2, min_stability=0.5).set_index("candidate")
    # one stable eligible cell (A); C (40 %) then B (30 %) complete the list; D stays out; E lacks evidence
    assert out.loc[["A", "B", "C", "D", "E"], "status"].tolist() == [
        "shortlisted", "completed", "completed", "unstable", "insufficient_evidence"]
    assert out.loc[["A", "C", "B"], "position"].tolist() == [1, 2, 3]


def test_rule_fewer_than_three_eligible_completes_provisionally_with_one_criterion_backed():
    ranked, stability = _rule_inputs([0.9, 0.8, 0.7, 0.95], [2, 1, 0, 1])
    out = select_shortlist(ranked, stability, min_criteria=2, min_stability=0.5).set_index("candidate")
    # A is the only eligible cell; D (95 %) then B (80 %) have one backed criterion: provisional, after the stable
    # cell, most stable first; C has no criterion backed by evidence and never enters
    assert out.loc[["A", "B", "C", "D"], "status"].tolist() == [
        "shortlisted", "provisional", "insufficient_evidence", "provisional"]
    assert out.loc[["A", "D", "B"], "position"].tolist() == [1, 2, 3]


def test_rule_with_no_backed_criterion_gives_a_shorter_list():
    ranked, stability = _rule_inputs([0.9, 0.8, 0.7], [2, 0, 0])
    out = select_shortlist(ranked, stability, min_criteria=2, min_stability=0.5)
    assert out.loc[out["shortlisted"], "candidate"].tolist() == ["A"]


def test_rule_off_topic_corpus_gives_no_shortlist():
    ranked, stability = _rule_inputs([1.0, 0.9, 0.8], [3, 3, 3])
    out = select_shortlist(ranked, stability, on_topic=False)
    assert (out["status"] == "off_topic").all() and not out["shortlisted"].any() and out["position"].isna().all()


def test_rule_arguments_checked():
    ranked, stability = _rule_inputs([1.0], [3])
    with pytest.raises(ParameterError, match="min_stability"):
        select_shortlist(ranked, stability, min_stability=1.5)
    with pytest.raises(ParameterError) as err:
        select_shortlist(ranked, stability, min_cells=4, max_cells=3)
    assert err.value.field == "max_cells"
