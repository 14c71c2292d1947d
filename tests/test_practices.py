"""The practice inventory (data/raw/vigie/practices.csv) and its counts, checked by hand."""

from __future__ import annotations

import pandas as pd

from analysis import vigie


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
