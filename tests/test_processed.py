"""data/processed: every raw table, validated, as Parquet; the same inputs give the same bytes."""

from __future__ import annotations

import pandas as pd

from analysis import processed


def test_tables_round_trip_and_are_deterministic(tmp_path):
    first = processed.build_tables(tmp_path / "a")
    second = processed.build_tables(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two builds"
    cases = pd.read_parquet(tmp_path / "a" / "food_cases.parquet")
    assert len(cases) == 10
    assert cases["case_id"].is_unique
