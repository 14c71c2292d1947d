"""h-index, Lotka, Bradford and countries, checked by hand on synthetic toy tables."""

import pandas as pd
import pytest

from analysis.vigie.sources_authors import (
    affiliation_coverage,
    compute_author_table,
    compute_bradford,
    compute_bradford_zones,
    compute_countries,
    compute_lotka,
    compute_top_sources,
    h_index,
    international_collaboration,
)


def test_h_index_by_hand():
    assert h_index([10, 8, 5, 4, 3]) == 4
    assert h_index([25, 8, 5, 3, 3]) == 3
    assert h_index([]) == 0
    assert h_index([0, 0]) == 0
    assert h_index(pd.array([None, 3, 3, 3], dtype="Int64")) == 3


def _works_for_sources(counts):
    rows = []
    for i, n in enumerate(counts, start=1):
        rows += [{"work_id": f"S{i}-{j}", "source_title": f"Source {i}", "cited_by": pd.NA} for j in range(n)]
    return pd.DataFrame(rows)


def test_bradford_nine_sources():
    # N = 30 works; zone = 1 + floor(3 × works before / 30) → 10 works | 10 works | 10 works
    works = _works_for_sources([10, 5, 5, 3, 3, 1, 1, 1, 1])
    b = compute_bradford(works)
    assert b["zone"].tolist() == [1, 2, 2, 3, 3, 3, 3, 3, 3]
    z = compute_bradford_zones(b)
    assert z["n_sources"].tolist() == [1, 2, 6]  # Bradford's 1 : n : n² pattern with n = 2..2.5
    assert z["n_works"].tolist() == [10, 10, 10]
    top = compute_top_sources(works, 2)
    assert top["source"].tolist() == ["Source 1", "Source 2"]  # Source 2 and 3 tie at 5: name order
    assert top["share"].tolist() == pytest.approx([10 / 30, 5 / 30])
    assert top["citations"].isna().all()


def _authorships(rows):
    return pd.DataFrame(rows, columns=["work_id", "position", "author", "author_full", "author_id", "affiliation",
                                       "country"])


def test_lotka_exact_inverse_square():
    # 4 authors with 1 work, 1 author with 2 works → β = log10(4)/log10(2) = 2, C = 4
    rows = [("w1", 1, "Alpha, A.", "Alpha, Ann", None, None, None),
            ("w2", 1, "Beta, B.", "Beta, Bo", None, None, None),
            ("w3", 1, "Gamma, C.", "Gamma, Cy", None, None, None),
            ("w4", 1, "Delta, D.", "Delta, Di", None, None, None),
            ("w5", 1, "Zeta, Z.", "Zeta, Zo", None, None, None), ("w6", 1, "Zeta, Z.", "Zeta, Zo", None, None, None)]
    table, fit = compute_lotka(_authorships(rows))
    assert table["n_works"].tolist() == [1, 2]
    assert table["n_authors"].tolist() == [4, 1]
    assert fit["beta"] == pytest.approx(2.0)
    assert fit["c"] == pytest.approx(4.0)
    assert fit["share_single"] == pytest.approx(0.8)
    assert fit["n_authors"] == 5


def test_author_table_within_corpus_h_index():
    works = pd.DataFrame({"work_id": [f"w{i}" for i in range(1, 6)],
                          "year": pd.array([2018, 2019, 2020, 2021, 2022], dtype="Int64"),
                          "cited_by": pd.array([10, 8, 5, 4, 3], dtype="Int64")})
    rows = [(f"w{i}", 1, "Roy, M.", "Roy, Marie", None, None, None) for i in range(1, 6)]
    rows += [("w1", 2, "Roy, M.", "Roy, Marc", None, None, None)]  # a different person with the same initials
    t = compute_author_table(_authorships(rows), works)
    marie = t[t["author_full"] == "Roy, Marie"].iloc[0]
    assert marie["n_works"] == 5 and marie["h_index"] == 4 and marie["citations"] == 30
    assert marie["fractional"] == pytest.approx(0.5 + 4)
    assert (marie["first_year"], marie["last_year"]) == (2018, 2022)
    assert len(t) == 2  # full names keep the two Roy, M. apart


def test_countries_and_international_share():
    rows = [("w1", 1, "A, A.", None, None, "x", "Canada"), ("w1", 2, "B, B.", None, None, "y", "France"),
            ("w2", 1, "C, C.", None, None, "z", "Canada"), ("w2", 2, "D, D.", None, None, "z", "Canada"),
            ("w3", 1, "E, E.", None, None, "x", "France"), ("w4", 1, "F, F.", None, None, None, None)]
    a = _authorships(rows)
    c = compute_countries(a)
    assert c["country"].tolist() == ["Canada", "France"]
    assert c["n_works"].tolist() == [2, 2]
    assert c["n_multi"].tolist() == [1, 1]
    assert c["share_multi"].tolist() == [0.5, 0.5]
    ic = international_collaboration(a)
    assert ic == {"n_with_country": 3, "n_multi_country": 1, "share_multi_country": pytest.approx(1 / 3)}


def test_record_level_affiliation_lists_count_every_country():
    # one address list for the whole record, given to each author (old Scopus BibTeX layout); invented addresses
    aff = "Fictive School, Boston, MA 02163, United States; Fictive University, Surrey, BC V3T 0A3, Canada"
    a = _authorships([("w1", 1, "A, A.", None, None, aff, "United States"),
                      ("w1", 2, "B, B.", None, None, aff, "United States")])
    c = compute_countries(a)
    assert c["country"].tolist() == ["Canada", "United States"]
    assert international_collaboration(a)["n_multi_country"] == 1


def test_affiliation_coverage():
    a = _authorships([("w1", 1, "A, A.", None, None, "X, Paris, France", "France"),
                      ("w1", 2, "B, B.", None, None, None, None),
                      ("w2", 1, "C, C.", None, None, "Somewhere", None),
                      ("w3", 1, "D, D.", None, None, None, None)])
    cov = affiliation_coverage(a)
    assert cov == {"n_authorships": 4, "share_with_affiliation": 0.5, "share_with_country": 0.25, "n_works": 3,
                   "share_works_with_country": pytest.approx(1 / 3)}


def test_real_corpus_scale():
    """Bradford zones and Lotka on the 2,000-record Scopus export: each zone holds about a third of the works."""
    from analysis.core import paths
    from analysis.vigie.bank import build_bank

    mirror = paths.default_mirror()
    path = mirror / "corpora" / "scopus_social_entrepreneurship.bib" if mirror else None
    if path is None or not path.exists():
        pytest.skip("public corpus not available (set VIGIE_DATA_MIRROR or run make data)")
    bank = build_bank([path])
    zones = compute_bradford_zones(compute_bradford(bank.works))
    assert zones["zone"].tolist() == [1, 2, 3]
    assert zones["n_works"].sum() == bank.works["source_title"].notna().sum()
    assert zones["share"].between(0.28, 0.39).all()
    assert zones["n_sources"].is_monotonic_increasing
    table, fit = compute_lotka(bank.authorships)
    assert table["n_authors"].sum() == fit["n_authors"] and 1.5 < fit["beta"] < 4.5
