"""The practice inventory (data/raw/vigie/practices.csv) and its counts, checked by hand."""

from __future__ import annotations

import pandas as pd

from analysis import vigie
from analysis.vigie.practices import practice_sources


def test_inventory_counts_by_hand():
    practices = pd.DataFrame({
        "practice_id": ["p1", "p2", "p3", "p4"],
        "priority_issue": ["a;b", "a", "b", "a"],
        "innovation_type": ["social", "social", "financial", "technological"],
        "region": ["Montréal", None, None, "Outaouais"],
    })
    by_issue = vigie.compute_practice_inventory(practices, "priority_issue")
    assert by_issue.values.tolist() == [["a", 3, 0.75], ["b", 2, 0.5]]  # p1 counts for both issues
    by_region = vigie.compute_practice_inventory(practices, "region")
    # the missing regions become the code "unspecified" (the report names it), most practices first
    assert by_region["region"].tolist() == ["unspecified", "Montréal", "Outaouais"]
    assert by_region["n_practices"].tolist() == [2, 1, 1]


def test_shipped_inventory():
    practices = vigie.load_practices()
    assert practices["practice_id"].is_unique and len(practices) == 29
    by_region = vigie.compute_practice_inventory(practices, "region")
    assert by_region.iloc[0].tolist()[:2] == [vigie.UNSPECIFIED, 16]


def test_sources_of_practices_by_hand():
    practices = pd.DataFrame({
        "practice_id": ["p1", "p2", "p3"],
        "case_id": ["csur", None, None],
        "source_doc": ["001_a.txt", "000_b.txt", "000_b.txt"],
        "source_section": ["CSUR §Activités clés", "Levier 4 §Offensive de transformation numérique", "§Sommaire"],
        "seed_lines": ["639", "343;345", None],
    })
    src = practice_sources(practices)
    assert src["kind"].tolist()[:2] == ["case", "lever"] and pd.isna(src["kind"][2])
    assert pd.isna(src["lever"][0]) and src["lever"][1] == 4
    assert pd.isna(src["lever"][2]) and src["case_id"][0] == "csur" and pd.isna(src["case_id"][1])
    assert src["seed_lines"].tolist() == [[639], [343, 345], []]


def test_shipped_practices_sources_and_french():
    practices = vigie.load_practices()
    src = practice_sources(practices)
    assert src["kind"].value_counts().to_dict() == {"case": 19, "lever": 10}   # 19 from the case book, 10 levers
    assert src.set_index("practice_id").loc["p24", "lever"] == 4
    assert practices["description_fr"].notna().all()
    assert practices.set_index("practice_id").loc["p03", "description_fr"].startswith("Terrain public")
