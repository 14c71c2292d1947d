"""The research-problem inventory (vigie/problems.py) on hand-made toy tables (invented practices and works)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.problems import compute_problem_domains, compute_problem_examples, compute_problem_keywords
from analysis.vigie.themes import load_themes

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture
def toy():
    return load_themes(FIX / "themes_toy.yaml")


@pytest.fixture
def practices():
    # Synthetic practices (invented): two from one case, one from another, one from lever 4.
    return pd.DataFrame({
        "practice_id": ["p1", "p2", "p3", "p4"],
        "case_id": ["case_a", "case_a", "case_b", None],
        "source_doc": ["001_x.txt", "001_x.txt", "001_x.txt", "000_y.txt"],
        "source_section": ["A §1", "A §2", "B §1", "Levier 4 §Numérique"],
        "seed_lines": ["1", "2", "3", "4"],
    })


def test_domains_by_hand(toy, practices):
    # practice themes: food ← p1, p2, p3 (3/4 = 0.75); digital ← p4 (1/4 = 0.25)
    pt = pd.DataFrame({"practice_id": ["p1", "p2", "p3", "p4"], "theme": ["food", "food", "food", "digital"]})
    # literature: 10 themed works, 2 on food (0.2), 8 on digital (0.8)
    wt = pd.DataFrame({"work_id": [f"w{i}" for i in range(10)], "theme": ["food"] * 2 + ["digital"] * 8})
    d = compute_problem_domains(practices, pt, wt, toy, capacity=pd.Series({"food": 2})).set_index("theme")
    assert d.loc["food", "status"] == "thin_research" and d.loc["digital", "status"] == "covered"
    assert d.loc["food", "gap"] == pytest.approx(0.75 - 0.2)        # +55 points
    assert d.loc["digital", "gap"] == pytest.approx(0.25 - 0.8)     # −55 points
    assert (d.loc["food", "n_practices"], d.loc["food", "n_works"]) == (3, 2)
    assert d.loc["food", "practice_ids"] == "p1; p2; p3"
    assert (d.loc["food", "n_cases"], d.loc["food", "n_levers"]) == (2, 0)     # case_a and case_b
    assert (d.loc["digital", "n_cases"], d.loc["digital", "n_levers"]) == (0, 1)  # lever 4
    assert d.loc["food", "n_researchers"] == 2 and d.loc["digital", "n_researchers"] == 0
    assert list(d.index) == ["food", "digital"]                      # research problems first
    assert d["n_themed_works"].tolist() == [10, 10]


def test_statuses_without_practice(toy, practices):
    pt = pd.DataFrame({"practice_id": ["p1"], "theme": ["food"]})
    wt = pd.DataFrame({"work_id": ["w1"], "theme": ["food"]})
    d = compute_problem_domains(practices, pt, wt, toy).set_index("theme")
    # food: 1/4 of practices vs 1/1 of literature → covered; digital: no practice, no work → absent
    assert d["status"].to_dict() == {"food": "covered", "digital": "absent"}
    wt2 = pd.DataFrame({"work_id": ["w1", "w2"], "theme": ["food", "digital"]})
    d2 = compute_problem_domains(practices, pt, wt2, toy).set_index("theme")
    assert d2.loc["digital", "status"] == "research_only"


def test_examples_most_cited_then_most_recent():
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4"], "title": ["A", "B", "C", "D"],
                          "year": pd.array([2010, 2020, 2015, 2021], dtype="Int64"),
                          "doi": ["10.1/a", None, "10.1/c", None],
                          "cited_by": pd.array([5, None, 5, 1], dtype="Int64")})
    wt = pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4"], "theme": ["food"] * 4})
    ex = compute_problem_examples(works, wt, n=3)
    # cited 5 (w3 2015 before w1 2010: most recent first), then cited 1 (w4), then no count (w2)
    assert ex["work_id"].tolist() == ["w3", "w1", "w4"] and ex["rank"].tolist() == [1, 2, 3]
    with pytest.raises(ParameterError):
        compute_problem_examples(works, wt, n=0)


def test_keywords_leave_out_the_corpus_vocabulary():
    # 4 works carry keywords; "social economy" is on all 4 (100 % ≥ 75 %): left out; "food hub" on 2 (50 %) stays
    kw = pd.DataFrame({"work_id": ["w1", "w1", "w2", "w2", "w3", "w4", "w4"],
                       "keyword": ["Social economy", "Food hub", "social economy", "Food hubs?", "Social Economy",
                                   "Social economy", "Farm"],
                       "keyword_key": ["social economy", "food hub", "social economy", "food hub", "social economy",
                                       "social economy", "farm"],
                       "kind": ["author"] * 7})
    wt = pd.DataFrame({"work_id": ["w1", "w2", "w4"], "theme": ["food", "food", "food"]})
    k = compute_problem_keywords(kw, wt, n=5, max_share=0.75)
    # food hub on w1 and w2 (2 works; spelling: a tie of one each, the first in sort order), farm on w4
    assert k.values.tolist() == [["food", "Food hub", 2], ["food", "Farm", 1]]
