"""Sources, authors and countries rules the mutants of issue 21 could break unnoticed: fractional counting with
authors whose counts differ, missing citation counts, author identity (id, full name, short name), ties broken by
name, Lotka's fit (β, C, R²) computed by hand on three points, Bradford zones at their edges, shares whose
denominator is every work, and the empty cases.

Synthetic tables written inline (invented people, sources and addresses).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.sources_authors import (
    affiliation_coverage,
    author_key_series,
    compute_author_table,
    compute_bradford,
    compute_bradford_zones,
    compute_countries,
    compute_lotka,
    compute_top_sources,
    h_index,
    h_index_by_group,
    has_citations,
    international_collaboration,
    most_frequent,
    work_countries,
)

COLUMNS = ["work_id", "position", "author", "author_full", "author_id", "affiliation", "country"]


def _authorships(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


# --- h-index ---------------------------------------------------------------------------------------------------------

def test_h_index_edges():
    assert h_index([1]) == 1
    assert h_index([3, 3, 3]) == 3  # each of 3 works has exactly 3
    assert h_index([4, 4, 4]) == 3
    assert h_index([2, 2, 2]) == 2
    assert h_index([5, 1, 5]) == 2  # unsorted input
    assert h_index([float("nan"), 2, 2]) == 2


def test_h_index_by_group_matches_the_definition():
    """a: 10, 4, missing → 2; b: 3, 3, 3 → 3; c: only missing → 0; d: 0 → 0; e: 1 → 1."""
    df = pd.DataFrame({"k": ["a", "b", "a", "b", "c", "a", "b", "d", "e"],
                       "cited_by": pd.array([10, 3, None, 3, None, 4, 3, 0, 1], dtype="Int64")})
    h = h_index_by_group(df, "k")
    assert h.to_dict() == {"a": 2, "b": 3, "c": 0, "d": 0, "e": 1}
    for key, group in df.groupby("k"):
        assert h[key] == h_index(group["cited_by"])


def test_has_citations():
    assert has_citations(pd.DataFrame({"work_id": ["w1"]})) is False
    assert has_citations(pd.DataFrame({"work_id": ["w1", "w2"], "cited_by": pd.array([None, None], dtype="Int64")})) \
        is False
    assert has_citations(pd.DataFrame({"work_id": ["w1", "w2"], "cited_by": pd.array([None, 0], dtype="Int64")})) \
        is True
    with pytest.raises(ParameterError) as err:
        has_citations([1, 2])
    assert err.value.field == "works"


# --- author identity -------------------------------------------------------------------------------------------------

def test_author_key_id_then_full_name_then_short_name():
    a = pd.DataFrame({"author": ["Roy, M.", "Roy, M.", "Lévesque, É.", "Kim, K.", None],
                      "author_full": ["Roy, Marie", None, None, "Kim, Kyu", None],
                      "author_id": ["", None, None, 57190000001, None]})
    keys = author_key_series(a)
    assert keys.iloc[:4].tolist() == ["roy marie", "roy m", "levesque e", "57190000001"] and pd.isna(keys.iloc[4])
    without = author_key_series(a.drop(columns=["author_full", "author_id"]))
    assert without.iloc[:4].tolist() == ["roy m", "roy m", "levesque e", "kim k"] and pd.isna(without.iloc[4])


def test_most_frequent_and_its_ties():
    df = pd.DataFrame({"k": ["x", "x", "x", "y", "y", "z"], "v": ["b", "b", "a", "b", "a", None]})
    assert most_frequent(df, "k", "v").to_dict() == {"x": "b", "y": "a"}  # z has no value


# --- the author table: fractional counting by hand ----------------------------------------------------------------

@pytest.fixture
def works() -> pd.DataFrame:
    return pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4", "w5"],
                         "year": pd.array([2019, 2020, 2021, 2018, 2022], dtype="Int64"),
                         "cited_by": pd.array([10, 4, None, 1, None], dtype="Int64")})


@pytest.fixture
def authorships() -> pd.DataFrame:
    """w1: Alpha, Beta, Gamma; w2: Alpha (listed twice), Beta (another spelling, same author id); w3: Alpha alone;
    w4: Delta and an unnamed authorship (not counted); w5: Epsilon alone."""
    return _authorships([
        ("w1", 1, "Alpha, A.", "Alpha, Ann", None, None, None),
        ("w1", 2, "Beta, B.", "Beta, Bob", "id-b", None, None),
        ("w1", 3, "Gamma, C.", "Gamma, Cy", None, None, None),
        ("w2", 1, "Alpha, A.", "Alpha, Ann", None, None, None),
        ("w2", 2, "Beta, Bo", "Beta, Bo Ray", "id-b", None, None),
        ("w2", 3, "Alpha, A.", "Alpha, Ann", None, None, None),
        ("w3", 1, "Alpha, A.", "Alpha, Ann", None, None, None),
        ("w4", 1, "Delta, D.", "Delta, Dee", None, None, None),
        ("w4", 2, None, None, None, None, None),
        ("w5", 1, "Epsilon, E.", "Epsilon, Eve", None, None, None),
    ])


def test_author_table_fractional_counts_citations_and_order(authorships, works):
    """Fractional count Σ 1/(authors of the work): Alpha 1/3 + 1/2 + 1 = 11/6, Beta 1/3 + 1/2 = 5/6, Gamma 1/3,
    Delta 1 (the unnamed authorship is not an author), Epsilon 1. Citations: Alpha 10 + 4 (+ missing) = 14, h = 2
    (10, 4, missing); Epsilon has only a missing count: citations missing, h = 0. Order: works, then fractional
    count, then short name (Delta before Epsilon, Gamma last)."""
    t = compute_author_table(authorships, works)
    assert t["key"].tolist() == ["alpha ann", "id-b", "delta dee", "epsilon eve", "gamma cy"]
    assert t["author"].tolist() == ["Alpha, A.", "Beta, B.", "Delta, D.", "Epsilon, E.", "Gamma, C."]
    assert t["author_full"].tolist() == ["Alpha, Ann", "Beta, Bo Ray", "Delta, Dee", "Epsilon, Eve", "Gamma, Cy"]
    assert t["n_works"].tolist() == [3, 2, 1, 1, 1]
    assert t["fractional"].tolist() == pytest.approx([11 / 6, 5 / 6, 1.0, 1.0, 1 / 3])
    assert t["citations"].iloc[[0, 1, 2, 4]].tolist() == [14, 14, 1, 10]
    assert pd.isna(t["citations"].iloc[3])
    assert t["h_index"].tolist() == [2, 2, 1, 0, 1]
    assert t["first_year"].tolist() == [2019, 2019, 2018, 2022, 2019]
    assert t["last_year"].tolist() == [2021, 2020, 2018, 2022, 2019]
    assert list(t.columns) == ["key", "author", "author_full", "n_works", "fractional", "citations", "h_index",
                               "first_year", "last_year"]


def test_author_table_without_citations_or_full_names(authorships, works):
    t = compute_author_table(authorships.drop(columns=["author_full"]), works.drop(columns=["cited_by"]))
    assert t["citations"].isna().all() and t["h_index"].isna().all()
    # without full names Alpha is keyed on "Alpha, A."; Beta keeps its id and its most frequent (first) short name
    assert t["author_full"].tolist() == ["Alpha, A.", "Beta, B.", "Delta, D.", "Epsilon, E.", "Gamma, C."]
    uncited = compute_author_table(authorships, works.assign(cited_by=pd.array([None] * 5, dtype="Int64")))
    assert uncited["citations"].isna().all() and uncited["h_index"].isna().all()


def test_author_table_takes_years_and_citations_from_the_works(authorships, works):
    """A researcher's own authorships table may carry its own ``year`` and ``cited_by`` columns (here wrong on
    purpose: 1900 and 999). The works' values are the reference: the table is the same as without them (first years
    2019, 2019, 2018, 2022, 2019; citations 14, 14, 1, missing, 10). Before the fix the merge suffixed both columns
    and the function failed with a KeyError on 'year'."""
    expected = compute_author_table(authorships, works)
    t = compute_author_table(authorships.assign(year=1900, cited_by=999), works)
    pd.testing.assert_frame_equal(t, expected)
    assert t["first_year"].tolist() == [2019, 2019, 2018, 2022, 2019]


def test_author_table_ties_by_fractional_count_then_name():
    works = pd.DataFrame({"work_id": ["w1", "w2"], "year": [2020, 2021]})
    a = _authorships([("w1", 1, "Zed, Z.", None, None, None, None),
                      ("w2", 1, "Bee, B.", None, None, None, None), ("w2", 2, "Ace, A.", None, None, None, None)])
    t = compute_author_table(a, works)
    assert t["author"].tolist() == ["Zed, Z.", "Ace, A.", "Bee, B."]  # 1 > 1/2 = 1/2, then by name


# --- Lotka -----------------------------------------------------------------------------------------------------------

def _lotka_rows(counts: dict[str, int]):
    return [(f"{name}{i}", 1, f"{name}, X.", None, None, None, None) for name, n in counts.items() for i in range(n)]


def test_lotka_fit_by_hand_on_three_points():
    """x = 1, 2, 4 with 6, 1, 1 authors. lx = 0, L2, 2·L2 (L = log10), ly = L6, 0, 0. OLS slope
    = (0 − L6)/(2·L2), so β = L6/(2·L2) = log(6)/log(4); intercept = mean(ly) − slope·mean(lx) = L6/3 + L6/2
    = 5/6·L6, so C = 6^(5/6). Residuals L6·(1/6, −1/3, 1/6): SS_res = L6²/6; SS_tot = L6²·(4 + 1 + 1)/9 = 2/3·L6²;
    R² = 1 − 1/4 = 0.75. Fitted counts 10^pred = 6^(5/6), 6^(1/3), 6^(−1/6), over 8 authors."""
    rows = _lotka_rows({f"S{i}": 1 for i in range(6)}) + _lotka_rows({"Double": 2, "Quad": 4})
    table, fit = compute_lotka(_authorships(rows))
    assert fit["beta"] == pytest.approx(math.log(6) / math.log(4))
    assert fit["c"] == pytest.approx(6 ** (5 / 6))
    assert fit["r2"] == pytest.approx(0.75)
    assert fit["n_authors"] == 8 and fit["share_single"] == pytest.approx(6 / 8)
    assert table["share"].tolist() == pytest.approx([6 / 8, 1 / 8, 1 / 8])
    assert table["expected_fit"].tolist() == pytest.approx([6 ** (5 / 6) / 8, 6 ** (1 / 3) / 8, 6 ** (-1 / 6) / 8])


def test_lotka_flat_counts_have_no_r2():
    """x = 1 and 3 with 2 authors each: the fitted line is flat (β = 0, C = 2) and SS_tot = 0, so R² is undefined."""
    rows = _lotka_rows({"A": 1, "B": 1, "C": 3, "D": 3})
    table, fit = compute_lotka(_authorships(rows))
    assert table["n_works"].tolist() == [1, 3] and table["n_authors"].tolist() == [2, 2]
    assert fit["beta"] == pytest.approx(0.0, abs=1e-12) and fit["c"] == pytest.approx(2.0)
    assert math.isnan(fit["r2"])
    assert fit["share_single"] == 0.5 and fit["x_max"] == 3
    assert fit["lotka2_single"] == pytest.approx(1 / (1 + 1 / 4 + 1 / 9))


def test_lotka_one_distinct_count_and_empty():
    """Three single-work authors: one x, no fit; H(1, 2) = 1 so the law expects 100 % single-work authors."""
    table, fit = compute_lotka(_authorships(_lotka_rows({"A": 1, "B": 1, "C": 1})))
    assert table["share"].tolist() == [1.0] and table["expected_lotka2"].tolist() == [1.0]
    assert table["expected_fit"].isna().all()
    assert math.isnan(fit["beta"]) and math.isnan(fit["c"]) and math.isnan(fit["r2"])
    assert (fit["n_authors"], fit["share_single"], fit["x_max"], fit["lotka2_single"]) == (3, 1.0, 1, 1.0)
    none = _authorships([("w1", 1, None, None, None, None, None)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0/0 computed on the way (numpy would warn)
        table, fit = compute_lotka(none)
    assert table.empty
    assert fit["n_authors"] == 0 and fit["x_max"] == 0
    assert all(math.isnan(fit[k]) for k in ("beta", "c", "r2", "share_single", "lotka2_single"))


def test_lotka_counts_an_author_once_per_work():
    rows = [("w1", 1, "A, A.", None, None, None, None), ("w1", 2, "A, A.", None, None, None, None),
            ("w2", 1, "B, B.", None, None, None, None)]
    table, fit = compute_lotka(_authorships(rows))
    assert table["n_works"].tolist() == [1] and table["n_authors"].tolist() == [2]


# --- sources and Bradford --------------------------------------------------------------------------------------------

def _works_for_sources(counts, cited=None):
    rows = []
    for i, n in enumerate(counts, start=1):
        rows += [{"work_id": f"S{i}-{j}", "source_title": f"Source {i}", "cited_by": pd.NA} for j in range(n)]
    return pd.DataFrame(rows)


def test_bradford_zone_edges():
    """N = 6: works before each source 0, 2, 3, 4, 5 → 3·before/6 = 0, 1, 1.5, 2, 2.5 → zones 1, 2, 2, 3, 3 (a source
    starting exactly at a third is in the next zone)."""
    b = compute_bradford(_works_for_sources([2, 1, 1, 1, 1]))
    assert b["source"].tolist() == ["Source 1", "Source 2", "Source 3", "Source 4", "Source 5"]
    assert b["rank"].tolist() == [1, 2, 3, 4, 5]
    assert b["cumulative"].tolist() == [2, 3, 4, 5, 6]
    assert b["zone"].tolist() == [1, 2, 2, 3, 3]
    z = compute_bradford_zones(b)
    assert z.values.tolist() == [[1, 1, 2, 2 / 6], [2, 2, 2, 2 / 6], [3, 2, 2, 2 / 6]]


def test_bradford_one_source_and_none():
    one = compute_bradford(_works_for_sources([4]))
    assert one[["source", "n_works", "rank", "cumulative", "zone"]].values.tolist() == [["Source 1", 4, 1, 4, 1]]
    none = compute_bradford(pd.DataFrame({"work_id": ["w1"], "source_title": [None]}))
    assert none.empty and "zone" in none.columns


def test_top_sources_share_of_every_work_and_citations():
    """4 works, one without source: A has 2 of the 4 (0.5). B's only work has no count: its citations are missing
    while the bank has counts; A 3 + 4 = 7."""
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4"],
                          "source_title": ["Journal A", "JOURNAL A", "Journal B", None],
                          "cited_by": pd.array([3, 4, None, 5], dtype="Int64")})
    top = compute_top_sources(works)
    assert top["source"].tolist() == ["JOURNAL A", "Journal B"]  # tie of spellings: the first in sort order
    assert top["n_works"].tolist() == [2, 1]
    assert top["share"].tolist() == [0.5, 0.25]
    assert top["citations"].iloc[0] == 7 and pd.isna(top["citations"].iloc[1])
    assert compute_top_sources(works, 1)["source"].tolist() == ["JOURNAL A"]
    single = compute_top_sources(works.iloc[[2]])
    assert single["share"].tolist() == [1.0]
    no_counts = compute_top_sources(works.drop(columns=["cited_by"]))
    assert no_counts["n_works"].tolist() == [2, 1] and no_counts["citations"].isna().all()


def test_top_sources_refuses_bad_n():
    works = _works_for_sources([1])
    with pytest.raises(ParameterError) as err:
        compute_top_sources(works, 0)
    assert err.value.field == "n"
    with pytest.raises(ParameterError) as err:
        compute_top_sources(works.drop(columns=["source_title"]))
    assert err.value.field == "works" and "source_title" in err.value.message


# --- countries -------------------------------------------------------------------------------------------------------

def test_work_countries_from_every_source_of_countries():
    """w1: country Canada, countries "Canada; France"; w2: a record-level list whose first part has no country;
    w3: no country at all."""
    a = _authorships([
        ("w1", 1, "A, A.", None, None, "Univ X, Montreal, Canada", "Canada"),
        ("w2", 1, "B, B.", None, None, "Lone Institute; Lab Y, Lyon, France; Lab Z, Paris, France", None),
        ("w2", 2, "C, C.", None, None, "Lone Institute; Lab Y, Lyon, France; Lab Z, Paris, France", None),
        ("w3", 1, "D, D.", None, None, None, None),
    ]).assign(countries=["Canada; France", None, None, None])
    assert work_countries(a).values.tolist() == [["w1", "Canada"], ["w1", "France"], ["w2", "France"]]
    assert work_countries(a.drop(columns=["countries"])).values.tolist() == [["w1", "Canada"], ["w2", "France"]]


def test_countries_single_and_multi_and_n():
    """Canada: w1 (with France), w2, w3 → 3 works, 2 single, 1 multi; France: w1 → multi; Japan: w4."""
    a = _authorships([("w1", 1, "A", None, None, "x", "Canada"), ("w1", 2, "B", None, None, "y", "France"),
                      ("w2", 1, "C", None, None, "x", "Canada"), ("w3", 1, "D", None, None, "x", "Canada"),
                      ("w4", 1, "E", None, None, "z", "Japan")])
    c = compute_countries(a)
    assert c.values.tolist() == [["Canada", 3, 2, 1, 1 / 3], ["France", 1, 0, 1, 1.0], ["Japan", 1, 1, 0, 0.0]]
    assert compute_countries(a, 1)["country"].tolist() == ["Canada"]
    with pytest.raises(ParameterError) as err:
        compute_countries(a, 0)
    assert err.value.field == "n"
    assert international_collaboration(a) == {"n_with_country": 4, "n_multi_country": 1,
                                              "share_multi_country": 0.25}


def test_empty_authorships_give_nan_shares():
    empty = _authorships([])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0/0 computed on the way (numpy would warn)
        cov = affiliation_coverage(empty)
    assert (cov["n_authorships"], cov["n_works"]) == (0, 0)
    assert all(np.isnan(cov[k]) for k in ("share_with_affiliation", "share_with_country", "share_works_with_country"))
    ic = international_collaboration(empty)
    assert (ic["n_with_country"], ic["n_multi_country"]) == (0, 0) and math.isnan(ic["share_multi_country"])
    with pytest.raises(ParameterError) as err:
        affiliation_coverage(empty.drop(columns=["country"]))
    assert err.value.field == "authorships"


# --- more edges: argument checks, pd.NA counts, record-level address lists ------------------------------------------

def test_each_table_argument_is_named(authorships, works):
    with pytest.raises(ParameterError) as err:
        compute_author_table(authorships.drop(columns=["author"]), works)
    assert err.value.field == "authorships" and "missing author" in err.value.message
    with pytest.raises(ParameterError) as err:
        compute_author_table(authorships, works.drop(columns=["year"]))
    assert err.value.field == "works" and "missing year" in err.value.message
    with pytest.raises(ParameterError) as err:
        compute_lotka(authorships.drop(columns=["author"]))
    assert err.value.field == "authorships" and "missing author" in err.value.message
    with pytest.raises(ParameterError) as err:
        affiliation_coverage(authorships.drop(columns=["work_id"]))
    assert err.value.field == "authorships" and "missing work_id" in err.value.message
    with pytest.raises(ParameterError) as err:
        work_countries(authorships.drop(columns=["country"]))
    assert err.value.field == "authorships" and "missing country" in err.value.message
    with pytest.raises(ParameterError) as err:
        compute_bradford({"works": works})
    assert err.value.field == "works"
    with pytest.raises(ParameterError) as err:
        compute_bradford_zones(works)
    assert err.value.field == "bradford" and "missing source, n_works, zone" in err.value.message


def test_h_index_reads_pandas_missing_values_in_plain_lists_and_object_columns():
    assert h_index([pd.NA, 3, 3]) == 2
    df = pd.DataFrame({"k": ["a", "a", "a"], "cited_by": pd.Series([10, pd.NA, 3], dtype=object)})
    assert h_index_by_group(df, "k").to_dict() == {"a": 2}


def test_lotka_fit_columns_are_floats_even_without_a_fit():
    table, _ = compute_lotka(_authorships(_lotka_rows({"A": 1, "B": 1})))
    assert table["expected_fit"].dtype == float and table["expected_lotka2"].dtype == float


def test_record_level_address_list_without_author_country():
    """Two addresses in one affiliation, no per-author country: the United States (first address) and Canada
    (last address) are both countries of the work."""
    aff = "Fictive School, Boston, MA 02163, United States; Fictive University, Surrey, BC V3T 0A3, Canada"
    a = _authorships([("w1", 1, "A, A.", None, None, aff, None)])
    assert work_countries(a).values.tolist() == [["w1", "Canada"], ["w1", "United States"]]


# --- found by a run over every mutant (not only the sample of 300) ----------------------------------------------------

def test_author_table_counts_authorships_of_works_missing_from_the_works_table(authorships, works):
    """Epsilon's work w5 is absent from the works table: Epsilon still has 1 work, with no year."""
    t = compute_author_table(authorships, works[works["work_id"] != "w5"]).set_index("key")
    assert t.loc["epsilon eve", "n_works"] == 1 and pd.isna(t.loc["epsilon eve", "first_year"])


def test_author_display_name_falls_back_to_the_short_name_row_by_row():
    """One author id on three works; the full name is given once, missing twice: the display name is the most
    frequent of (full name, else short name) per row, here the short name (2 against 1)."""
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3"], "year": [2020, 2021, 2022]})
    a = _authorships([("w1", 1, "Roy, M.", "Roy, Marie", "id-1", None, None),
                      ("w2", 1, "Roy, M.", None, "id-1", None, None),
                      ("w3", 1, "Roy, M.", None, "id-1", None, None)])
    t = compute_author_table(a, works)
    assert t[["key", "author", "author_full", "n_works"]].values.tolist() == [["id-1", "Roy, M.", "Roy, M.", 3]]


def test_missing_citations_are_pandas_na_and_counts_are_integers(authorships, works):
    t = compute_author_table(authorships, works.drop(columns=["cited_by"]))
    assert t["citations"].iloc[0] is pd.NA and t["h_index"].iloc[0] is pd.NA
    top = compute_top_sources(_works_for_sources([2, 1]))
    assert top["citations"].iloc[0] is pd.NA
    cited = compute_author_table(authorships, works)
    assert str(cited["h_index"].dtype) == "int64"
    table, _ = compute_lotka(authorships)
    assert str(table["n_authors"].dtype) == "int64" and str(table["n_works"].dtype) == "int64"
    assert str(h_index_by_group(pd.DataFrame({"k": ["a"], "cited_by": [3]}), "k").dtype) == "int64"


def test_most_frequent_is_indexed_by_key_in_order():
    df = pd.DataFrame({"k": ["b", "a", "b"], "v": ["x", "y", "x"]})
    assert most_frequent(df, "k", "v").index.tolist() == ["a", "b"]


def test_top_sources_default_keeps_ten():
    assert len(compute_top_sources(_works_for_sources([1] * 12))) == 10


def test_bradford_table_columns_types_and_argument():
    b = compute_bradford(_works_for_sources([2, 1, 1]))
    assert list(b.columns) == ["source", "n_works", "rank", "cumulative", "zone"]
    assert str(b["zone"].dtype) == "int64" and b.index.tolist() == [0, 1, 2]
    with pytest.raises(ParameterError) as err:
        compute_bradford(_works_for_sources([1]).drop(columns=["source_title"]))
    assert err.value.field == "works" and "missing source_title" in err.value.message


def test_every_record_level_address_list_counts():
    """Two works, each with its own two-address list and no per-author country: all four countries are kept."""
    a = _authorships([("w1", 1, "A", None, None, "U1, Lyon, France; U2, Quebec, Canada", None),
                      ("w2", 1, "B", None, None, "U3, Kyoto, Japan; U4, Lima, Peru", None)])
    assert work_countries(a).values.tolist() == [["w1", "Canada"], ["w1", "France"], ["w2", "Japan"],
                                                 ["w2", "Peru"]]
