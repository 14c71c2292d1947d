"""Audit of the case book's printed counts: hand-made fixture with known answers, then the real transcription."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.food import audit, casebook

NA = pd.NA


def published_table(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made printed counts (our own invented numbers, not from any document)."""
    columns = ["dimension", "category", "subcategory", "phase", "kind", "published_count", "published_mentions",
               "published_enterprises"]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def tiny_cases() -> pd.DataFrame:
    # Three invented enterprises: two cooperatives and one non-profit.
    return pd.DataFrame({
        "case_id": ["a", "b", "c"],
        "legal_status": ["coop_solidarity", "coop_consumer", "obnl"],
        "geographic_zone": ["urban", "rural", NA],
        "territorial_scale": ["municipality", "municipality", "region"],
        "food_system_roles": ["retail_distribution;online_platform", "retail_distribution", "poverty_exclusion"],
    })


def test_case_counts_on_a_hand_fixture(tiny_cases):
    published = published_table([
        ("enterprises", "total", NA, NA, NA, 3, NA, NA),
        ("status", "coop_total", NA, NA, NA, 3, NA, NA),
        ("status", "coop_solidarity", NA, NA, NA, 2, NA, NA),
        ("status", "coop_consumer", NA, NA, NA, 1, NA, NA),
        ("status", "obnl", NA, NA, NA, 1, NA, NA),
        ("geographic_zone", "urban", NA, NA, NA, 1, NA, NA),
        ("geographic_zone", "rural", NA, NA, NA, 2, NA, NA),
        ("food_system_role", "retail_distribution", NA, NA, NA, 2, NA, NA),
    ])
    before = (tiny_cases.copy(), published.copy())
    out = audit.reconcile_case_counts(tiny_cases, published).set_index(["dimension", "category", "subcategory"],
                                                                         drop=False)
    assert list(out.columns) == audit.CASE_COLUMNS
    row = out.loc[("status", "coop_total", NA)]
    assert (row["recomputed"], row["published"], row["difference"]) == (2, 3, -1)
    assert row["comment"] == "book prints 3, the cases give 2 (-1)"
    total = out.loc[("status", "total", NA)]
    assert (total["recomputed"], total["published"]) == (3, 4)  # 2 + 1 + 1 printed for 3 cases
    assert out.loc[("status", "obnl", NA), "comment"] == "matches"
    assert out.loc[("geographic_zone", "not_coded", NA), "recomputed"] == 1
    assert out.loc[("geographic_zone", "rural", NA), "difference"] == -1
    assert out.loc[("territorial_scale", "municipality", NA), "comment"] == "not printed by the book"
    assert out.loc[("food_system_role", "retail_distribution", NA), "difference"] == 0
    assert out.loc[("food_system_role", "online_platform", NA), "recomputed"] == 1
    # Inputs untouched.
    pd.testing.assert_frame_equal(tiny_cases, before[0])
    pd.testing.assert_frame_equal(published, before[1])


def test_theme_counts_on_a_hand_fixture():
    statements = pd.DataFrame({
        "case_id": ["a", "a", "b", "c"],
        "phase": ["startup", "development", "startup", "startup"],
        "kind": ["success_factor", "success_factor", "success_factor", "challenge"],
        "theme": ["community_anchoring"] * 3 + ["financial_management"],
        "subtheme": ["citizen_mobilisation", "citizen_mobilisation", "citizen_mobilisation", "startup_funding"],
    })
    published = published_table([
        ("theme", "community_anchoring", "citizen_mobilisation", "startup", "success_factor", NA, 3, 1),
        ("theme", "financial_management", "startup_funding", "startup", "challenge", NA, 1, NA),
    ])
    out = audit.reconcile_theme_counts(statements, published)
    first = out.iloc[0]
    # Only the two startup statements count (a and b): 2 mentions by 2 enterprises vs printed 3 by 1.
    assert (first["recomputed_mentions"], first["mentions_difference"]) == (2, -1)
    assert (first["recomputed_enterprises"], first["enterprises_difference"]) == (2, 1)
    assert out.iloc[1]["comment"] == "mentions match"
    totals = out[out["subtheme"] == "(all)"].set_index("theme")
    assert totals.loc["community_anchoring", "recomputed_mentions"] == 3
    assert totals.loc["support", "recomputed_mentions"] == 0


@pytest.fixture(scope="module")
def real():
    return casebook.load_cases(), casebook.load_statements(), casebook.load_published_counts()


def test_real_status_counts_show_the_book_inconsistency(real):
    cases, _, published = real
    out = audit.reconcile_case_counts(cases, published)
    status = out[(out["dimension"] == "status") & out["subcategory"].isna()].set_index("category")
    # Printed: 7 cooperatives of which 5 solidarity, + 4 OBNL = 11; the book presents 10 cases, 6 cooperatives.
    assert (status.loc["coop_total", "recomputed"], status.loc["coop_total", "published"]) == (6, 7)
    assert (status.loc["coop_solidarity", "recomputed"], status.loc["coop_solidarity", "published"]) == (4, 5)
    assert (status.loc["total", "recomputed"], status.loc["total", "published"]) == (10, 11)
    financial = out[out["subcategory"] == "financial_section"].set_index("category")
    assert financial.loc["coop_total", "comment"] == "matches"  # Enjeu 6 speaks of six cooperatives
    zones = out[out["dimension"] == "geographic_zone"].set_index("category")
    assert zones.loc["total", "published"] == 11


def test_real_theme_counts(real):
    _, statements, published = real
    out = audit.reconcile_theme_counts(statements, published)
    governance = out[out["subtheme"] == "governance"].iloc[0]
    assert (governance["published_mentions"], governance["published_enterprises"]) == (10, 7)
    assert governance["recomputed_enterprises"] == 7
    assert len(out) == 11 + 7
    assert out.loc[out["subtheme"] == "(all)", "recomputed_mentions"].sum() == len(statements)
