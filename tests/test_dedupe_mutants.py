"""Deduplication rules the mutants of issue 21 could break unnoticed: the DOI guard of title matches, the surname-block
boundary, merged authorships, and every field's merge rule with counts that differ by kind.

Synthetic records built in code (invented titles, people and DOIs with the 10.5555 test prefix).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import analysis.vigie.dedupe as dd
from analysis.vigie.readers.common import records_frame


def _records(rows: list[dict]) -> tuple[pd.DataFrame, pd.Series]:
    base = {"line": None, "source_title": None, "doc_type": None, "language": None, "cited_by": None,
            "abstract": None, "author_keywords": None, "index_keywords": None, "doi": None}
    recs = records_frame([{**base, **{k: v for k, v in r.items() if k not in ("file", "surname")}}
                          for r in rows])
    recs.insert(0, "file", [r.get("file", "a.csv") for r in rows])
    surname = pd.Series([r.get("surname") for r in rows], dtype="string")
    return recs, surname


# --- the DOI guard ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("small_block", [0, 8])
def test_doi_less_bridge_never_joins_two_dois(monkeypatch, small_block):
    """A DOI-less record whose title matches two records with *different* DOIs joins the first one only; the
    second stays its own work although its title pair with the bridge passes every filter (one side without
    DOI): only the union's DOI-set guard stops it."""
    monkeypatch.setattr(dd, "SMALL_BLOCK", small_block)
    title = "Synthetic solidarity finance in rural Quebec regions"
    recs, sur = _records([  # three spellings (folded keys differ): the fuzzy step pairs 2 with 1 and with 3
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/first", "surname": "roy"},
        {"record": 2, "title": title.replace("regions", "region"), "year": 2020, "surname": "roy"},
        {"record": 3, "title": title.replace("regions", "regionss"), "year": 2021, "doi": "10.5555/second",
         "surname": "roy"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 0, 2]
    assert c["rule"].tolist() == ["", "title_year_author", ""]


def test_a_group_holding_a_doi_never_takes_a_record_with_another_doi():
    """DOI-less copies joined to the first record carry its DOI set: a later record with another DOI matching them
    by title is refused."""
    title = "Synthetic platform cooperatives and their workers"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/p1", "surname": "kim"},
        {"record": 2, "title": title.replace("workers", "worker"), "year": 2020, "surname": "kim"},
        {"record": 3, "title": title.replace("workers", "workerss"), "year": 2020, "doi": "10.5555/p2",
         "surname": "kim"},
        {"record": 4, "title": title.replace("workers", "workerz"), "year": 2020, "surname": "kim"},
    ])
    c = dd.find_clusters(recs, sur)
    # pairs in input order: 2 and 4 join 1 (group {p1}); then 3 ({p2}) matches 2 and 4 but their group holds
    # another DOI: refused, 3 stays its own work
    assert c["cluster"].tolist() == [0, 0, 2, 0]


def test_union_refuses_disjoint_doi_sets_only_when_asked():
    uf = dd._UnionFind(4, ["10.5555/a", None, "10.5555/b", "10.5555/a"])
    assert uf.union(0, 1, check_doi=True)  # {a} with {}: joined
    assert not uf.union(1, 2, check_doi=True)  # {a} with {b}: refused
    assert uf.union(2, 3, check_doi=False)  # not asked: joined
    assert uf.union(0, 3, check_doi=True)  # {a} with {a, b}: they share a
    assert not uf.union(1, 2, check_doi=True)  # already one group
    assert uf.roots().tolist() == [0, 0, 0, 0]


def test_union_keeps_the_smaller_row_as_root_and_the_doi_set():
    uf = dd._UnionFind(3, [None, "10.5555/x", None])
    assert uf.union(2, 1, check_doi=True)
    assert uf.find(2) == 1 and uf.find(1) == 1
    assert uf.group_dois == {1: {"10.5555/x"}}
    assert uf.union(2, 0, check_doi=True)
    assert uf.roots().tolist() == [0, 0, 0] and uf.group_dois == {0: {"10.5555/x"}}


# --- surname blocks ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("small_block", [0, 8])
def test_surname_block_boundary(monkeypatch, small_block):
    """Two surnames with two records each; the second Roy title equals the first Lee title. Blocks end exactly where
    the surname changes, so no record is compared with another first author's."""
    monkeypatch.setattr(dd, "SMALL_BLOCK", small_block)
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic food hubs of the Gaspesie region", "year": 2020, "surname": "roy"},
        {"record": 3, "title": "Synthetic food hubs of the Gaspesie region", "year": 2020, "surname": "lee"},
        {"record": 4, "title": "Synthetic credit unions and rural banking", "year": 2020, "surname": "lee"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 1, 2, 3]


def test_surname_blocks_interleaved_in_input_order():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "surname": "lee"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 3, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "lee"},
        # the later copies come from another export: one file never lists a work twice under two years
        {"record": 4, "title": "Synthetic credit unions and rural banking.", "year": 2021, "surname": "lee",
         "file": "b.csv"},
        {"record": 5, "title": "Synthetic housing cooperatives in Montreal!", "year": 2019, "surname": "roy",
         "file": "b.csv"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 1, 2, 0, 1]
    assert c["rule"].tolist() == ["", "", "", "title_year_author", "title_year_author"]


def test_single_record_surnames_are_not_compared():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "lee"},
    ])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == [0, 1]


@pytest.mark.parametrize(("year_b", "merged"), [(2021, True), (2022, False), (2019, True), (2018, False)])
def test_title_match_years_at_most_one_apart(year_b, merged):
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montréal", "year": year_b, "surname": "roy",
         "file": "b.csv"},  # another export (within one file, two years are two works)
    ])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == ([0, 0] if merged else [0, 1])


def test_identical_records_without_doi_join_the_first_directly():
    # same surname, folded title and year: joined without a fuzzy score (rule title_year_author, score 100)
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic Housing Cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 3, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 0, 0]
    assert c["score"].tolist()[1:] == [100.0, 100.0]


def test_title_threshold_edge():
    # 'abcdefghijklmnopqrstuvwxyz' vs one letter changed: ratio = 2·25/52 = 96.2 ≥ 95 → match;
    # two letters changed: 2·24/52 = 92.3 < 95 → no match
    base = "abcdefghijklmnopqrstuvwxyz"
    for other, expected in ((base[:-1] + "0", [0, 0]), (base[:-2] + "00", [0, 1])):
        recs, sur = _records([
            {"record": 1, "title": base, "year": 2020, "surname": "roy"},
            {"record": 2, "title": other, "year": 2020, "surname": "roy"},
        ])
        c = dd.find_clusters(recs, sur)
        assert c["cluster"].tolist() == expected, other
    recs, sur = _records([{"record": 1, "title": base, "year": 2020, "surname": "roy"},
                          {"record": 2, "title": base[:-1] + "0", "year": 2020, "surname": "roy"}])
    assert dd.find_clusters(recs, sur)["score"].tolist()[1] == pytest.approx(96.2)


@pytest.mark.parametrize(("title", "merged"), [("abcdefghijkl", True), ("abcdefghijk", False)])
def test_minimum_title_key_edge(title, merged):
    # MIN_TITLE_KEY = 12 folded characters
    recs, sur = _records([{"record": 1, "title": title, "year": 2020, "surname": "roy"},
                          {"record": 2, "title": title, "year": 2020, "surname": "roy"}])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == ([0, 0] if merged else [0, 1])


@pytest.mark.parametrize(("year_b", "merged"), [(2020, True), (2021, False), (None, False)])
def test_authorless_records_need_the_same_year(year_b, merged):
    recs, sur = _records([
        {"record": 1, "title": "Synthetic anonymous report on cooperatives", "year": 2020},
        {"record": 2, "title": "Synthetic anonymous report on cooperatives", "year": year_b, "file": "b.txt"},
    ])
    # a missing year is not the same year as 2020
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == ([0, 0] if merged else [0, 1])


# --- titles_agree and the DOI step --------------------------------------------------------------------------------

def test_titles_agree_thresholds():
    assert dd.titles_agree(None, "anything") and dd.titles_agree("anything", None)
    # ratio 2·8/16 = 50 < 70 and partial ratio 50 < 85: disagree
    assert not dd.titles_agree("abcdefgh", "abcdwxyz")
    # ratio 2·7/14 = 50 < 70, but "abcdefg" inside "abcdefg hijklmn...": partial ratio 100
    assert dd.titles_agree("abcdefg", "abcdefg hijklmnopqrstu")
    # ratio exactly 70: 'abcdefghij' vs 'abcdefgxyz' = 2·7/20 = 70 → agree
    assert dd.titles_agree("abcdefghij", "abcdefgxyz")
    # ratio 2·6/20 = 60 and partial ratio below 85 → disagree
    assert not dd.titles_agree("abcdefghij", "abcdefwxyz")
    # ratio 52.3 but partial ratio exactly 85 (17 of 20 letters in the best window) → agree
    assert dd.titles_agree("abcdefghijklmnopqrst", "0" * 25 + "abcdefghijklmnopq999")


def test_doi_match_scores_and_rules():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic worker cooperatives", "year": 2020, "doi": "10.5555/w", "surname": "a"},
        {"record": 2, "title": "Another synthetic subject entirely", "year": 2020, "doi": "10.5555/v",
         "surname": "b"},
        {"record": 3, "title": "Synthetic worker cooperatives", "year": 2022, "doi": "10.5555/W", "surname": "c"},
        {"record": 4, "title": "Another synthetic subject entirely", "year": 2020, "doi": "10.5555/v",
         "surname": "d"},
        {"record": 5, "title": None, "year": 2020, "doi": "10.5555/v", "surname": "e"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 1, 0, 1, 1]
    assert c["rule"].tolist() == ["", "", "doi", "doi", "doi"]
    assert c["score"].tolist()[2:] == [100.0, 100.0, 100.0]
    assert np.isnan(c["score"].iloc[0])


def test_doi_copy_with_another_title_starts_its_own_group():
    # the third record carries the book DOI with another chapter's title: it is not a copy of the first
    recs, sur = _records([
        {"record": 1, "title": "Synthetic chapter on credit unions", "year": 2010, "doi": "10.5555/book",
         "surname": "a"},
        {"record": 2, "title": "Synthetic chapter on credit unions", "year": 2010, "doi": "10.5555/book",
         "surname": "b"},
        {"record": 3, "title": "Measuring synthetic performance of food hubs", "year": 2010,
         "doi": "10.5555/book", "surname": "c"},
    ])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == [0, 0, 2]


# --- sub-blocks -------------------------------------------------------------------------------------------------

def test_sub_blocks_by_year():
    idx = np.array([0, 1, 2, 3, 4])
    year = np.array([2020.0, 2021.0, 2023.0, np.nan, 2020.0])
    assert dd._sub_blocks(idx, year)[0][0] is idx  # small block: whole
    original = dd.SUB_BLOCK
    try:
        dd.SUB_BLOCK = 4
        parts = [(a.tolist(), b.tolist()) for a, b in dd._sub_blocks(idx, year)]
    finally:
        dd.SUB_BLOCK = original
    assert parts == [([3], [0, 1, 2, 3, 4]), ([0, 4], [0, 4]), ([0, 4], [1]), ([1], [1]), ([2], [2])]
    try:
        dd.SUB_BLOCK = 1  # a cut block whose records all lack a year: compared all together
        parts = [(a.tolist(), b.tolist()) for a, b in dd._sub_blocks(idx[:2], np.array([np.nan] * 5))]
    finally:
        dd.SUB_BLOCK = original
    assert parts == [([0, 1], [0, 1])]


def test_first_of_groups():
    rows = np.array([3, 5, 7, 9])
    block = np.array([0, 0, 1, 0])
    keys = np.array([2, 2, 2, 2])
    year = np.array([2020.0, 2020.0, 2020.0, np.nan])
    assert dd._first_of_groups(rows, block, keys, year).tolist() == [3, 3, 7, 9]
    assert dd._first_of_groups(np.zeros(0, dtype=np.int64), block[:0], keys[:0], year[:0]).tolist() == []
    # a missing year is its own value, distinct from every year: (key 0, 2021) and (key 1, no year) stay apart
    rows = np.array([10, 11, 12])
    year = np.array([2020.0, 2021.0, np.nan])
    assert dd._first_of_groups(rows, np.zeros(3, dtype=np.int64), np.array([0, 0, 1]), year).tolist() == [10, 11, 12]
    # block codes above the largest key: (block 2, key 0) and (block 0, key 1) stay apart
    out = dd._first_of_groups(np.array([5, 6]), np.array([2, 0]), np.array([0, 1]), np.array([2020.0, 2020.0]))
    assert out.tolist() == [5, 6]


def test_similar_titles_skips_pairs_of_two_dois():
    keys = np.array(["synthetic housing cooperatives", "synthetic housing cooperatives",
                     "synthetic housing cooperatives", "other synthetic subject"], dtype=object)
    no_doi = np.array([False, False, True, True])
    idx = np.arange(4)
    ii, jj, score = dd._similar_titles(idx, idx, keys, no_doi)
    # a square: each unordered pair of distinct rows once; (0, 1) both have DOIs and is never scored; row 3's
    # title matches nothing; rows 0 and 1 meet the DOI-less row 2 (identical titles: 100)
    assert sorted(tuple(sorted(p)) for p in zip(ii.tolist(), jj.tolist())) == [(0, 2), (1, 2)]
    assert score.tolist() == [100.0, 100.0]
    ii, jj, score = dd._similar_titles(idx[:2], idx[:2], keys, no_doi)
    assert idx[ii].tolist() == [] and idx[jj].tolist() == [] and len(score) == 0  # usable as indices
    # a side with DOIs only against a side with one DOI-less record: the DOI × open pass finds the pairs
    ii, jj, _ = dd._similar_titles(idx[:2], idx[2:3], keys, no_doi)
    assert list(zip(ii.tolist(), jj.tolist())) == [(0, 0), (1, 0)]


@pytest.mark.parametrize("small_block", [0, 8])
def test_a_block_of_doi_records_does_not_stop_the_next_blocks(monkeypatch, small_block):
    monkeypatch.setattr(dd, "SMALL_BLOCK", small_block)
    recs, sur = _records([
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/r1",
         "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "doi": "10.5555/r2",
         "surname": "roy"},
        {"record": 3, "title": "Synthetic food hubs of the Gaspesie region", "year": 2020, "surname": "lee"},
        {"record": 4, "title": "Synthetic food hubs of the Gaspesie regions", "year": 2020, "surname": "lee"},
    ])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == [0, 1, 2, 2]


def test_year_cut_blocks_pair_doi_records_with_the_next_years_doi_less_copy(monkeypatch):
    monkeypatch.setattr(dd, "SUB_BLOCK", 1)
    monkeypatch.setattr(dd, "SMALL_BLOCK", 0)
    title = "Synthetic food hubs of the Gaspesie region"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/g", "surname": "lee"},
        {"record": 2, "title": "Another synthetic subject entirely", "year": 2020, "doi": "10.5555/h",
         "surname": "lee"},
        {"record": 3, "title": title + "s", "year": 2021, "surname": "lee", "file": "b.csv"},
    ])
    # year 2020 (DOIs only) against 2021 (one record without DOI): only the DOI × open pass pairs 1 and 3
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == [0, 1, 0]


def test_a_first_author_record_is_not_matched_with_an_authorless_record():
    title = "Synthetic anonymous report on cooperatives"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Another synthetic subject entirely", "year": 2020, "surname": "roy"},
        {"record": 3, "title": title, "year": 2020},  # no author: exact title and year, but only among authorless
    ])
    assert dd.find_clusters(recs, sur)["cluster"].tolist() == [0, 1, 2]


# --- merge rules --------------------------------------------------------------------------------------------------

def test_merge_clusters_with_two_doi_duplicates_and_one_title_duplicate():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "cited_by": 2, "abstract": "abc", "index_keywords": "Banking; Credit", "surname": "lee"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2021, "surname": "roy",
         "cited_by": 4, "source_title": None},
        {"record": 1, "title": "SYNTHETIC CREDIT UNIONS AND RURAL BANKING", "year": 2020, "doi": "10.5555/C",
         "cited_by": 5, "abstract": "abcdef", "index_keywords": "credit; Rural areas", "file": "b.txt",
         "surname": "lee", "doc_type": "Article"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montréal", "year": 2021, "surname": "roy",
         "cited_by": 1, "source_title": "Synthetic Review", "file": "b.txt"},
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "cited_by": None, "abstract": "ab", "file": "c.ris", "surname": "lee", "doc_type": "Review"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["rule"].tolist() == ["", "", "doi", "title_year_author", "doi"]
    m = dd.merge_clusters(recs, c)
    assert m.index.tolist() == [0, 1]
    assert m.loc[0, "cited_by"] == 5 and m.loc[1, "cited_by"] == 4
    assert m.loc[0, "abstract"] == "abcdef"
    assert m.loc[0, "doc_type"] == "Article"  # first non-missing
    assert m.loc[1, "source_title"] == "Synthetic Review"
    assert m.loc[0, "index_keywords"] == "Banking; Credit; Rural areas"
    assert m.loc[0, "origins"] == "a.csv#1; b.txt#1; c.ris#1"
    assert m.loc[1, "origins"] == "a.csv#2; b.txt#2"
    assert m.loc[1, "title"] == "Synthetic housing cooperatives in Montreal"


def test_merge_clusters_of_single_records_copies_them():
    recs, sur = _records([
        {"record": 4, "title": "Synthetic credit unions and rural banking", "year": 2020, "cited_by": 3},
        {"record": 9, "title": "Synthetic housing cooperatives in Montreal", "year": 2021, "file": "b.txt"},
    ])
    m = dd.merge_clusters(recs, dd.find_clusters(recs, sur))
    assert m.index.tolist() == [0, 1]
    assert m["origins"].tolist() == ["a.csv#4", "b.txt#9"]
    assert m.loc[0, "cited_by"] == 3 and m.loc[1, "title"] == "Synthetic housing cooperatives in Montreal"


def test_union_keywords_first_spelling_in_order():
    values = pd.Series(["Alpha; beta", "ALPHA; Gamma", "delta", None])
    cluster = pd.Series([0, 0, 2, 2])
    out = dd._union_keywords(values, cluster)
    assert out.to_dict() == {0: "Alpha; beta; Gamma", 2: "delta"}
    assert dd._union_keywords(pd.Series([None, None], dtype="string"), pd.Series([0, 0])).empty
    # cluster ids larger than the number of distinct keywords: (cluster 2, alpha) is not (cluster 0, beta)
    out = dd._union_keywords(pd.Series(["Alpha; Beta", "Alpha"]), pd.Series([0, 2]))
    assert out.to_dict() == {0: "Alpha; Beta", 2: "Alpha"}


def test_joined_by_group_keeps_input_order_within_groups():
    groups = np.array([1, 0] * 20)  # long enough for an unstable sort to reorder equal keys
    ids, joined = dd._joined_by_group(groups, pa.array([str(i) for i in range(40)]), ",")
    assert ids.tolist() == [0, 1]
    assert joined.to_pylist() == [",".join(str(i) for i in range(1, 40, 2)), ",".join(str(i) for i in range(0, 40, 2))]


# --- merged authorships ---------------------------------------------------------------------------------------------

def _authors(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["row", "position", "author", "author_full", "author_id", "affiliation",
                                      "country"])
    return out.assign(countries=out["country"])  # every affiliation country (issue 14): one here


def test_merged_authorships_fill_ids_affiliations_and_countries_from_other_copies():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "surname": "tremblay"},
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "surname": "tremblay", "file": "b.txt"},
    ])
    clusters = dd.find_clusters(recs, sur)
    authors = _authors([
        # the kept copy (row 0): ids and places partly missing
        (0, 1, "Tremblay, M.", "Tremblay, Marie", None, "Université Laval", None),
        (0, 2, "Gagnon, É.", "Gagnon, Élise", "1002", None, "Canada"),
        # the other copy (row 1): same authors at the same positions, with what the first lacks
        (1, 1, "Tremblay, M.", "Tremblay, Marie", "1001", "Laval University", "Canada"),
        (1, 2, "Gagnon, E.", "Gagnon, Elise", "9999", "HEC Montréal", "Canada"),
    ])
    out = dd.merge_authorships(recs, clusters, authors).sort_values("position").reset_index(drop=True)
    assert out["cluster"].tolist() == [0, 0]
    assert out["author_id"].tolist() == ["1001", "1002"]  # filled; the kept value wins over 9999
    assert out["affiliation"].tolist() == ["Université Laval", "HEC Montréal"]
    assert out["country"].tolist() == ["Canada", "Canada"]
    assert "row" not in out.columns


def test_merged_authorships_come_from_the_copy_with_most_authors_and_fill_only_same_author_and_position():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montréal", "year": 2020, "surname": "roy",
         "file": "b.txt"},
        {"record": 3, "title": "Another synthetic subject entirely", "year": 2020, "surname": "kim",
         "file": "b.txt"},
    ])
    clusters = dd.find_clusters(recs, sur)
    assert clusters["cluster"].tolist() == [0, 0, 2]
    authors = _authors([
        (0, 1, "Roy, P.", "Roy, Pascale", "5", "UQAM", "Canada"),
        (0, 2, "Lee, K.", "Lee, Kim", "6", "Synthetic Institute", "South Korea"),
        (1, 1, "Roy, P.", "Roy, Pascale", None, None, None),
        (1, 2, "Kim, S.", "Kim, Sun", None, None, None),  # another author at position 2: nothing to fill from
        (1, 3, "Lee, K.", "Lee, Kim", None, None, None),  # Lee at another position: not filled
        (2, 1, "Kim, S.", "Kim, Sun", "7", None, "Canada"),
    ])
    out = dd.merge_authorships(recs, clusters, authors)
    work = out[out["cluster"] == 0].sort_values("position")
    assert work["author"].tolist() == ["Roy, P.", "Kim, S.", "Lee, K."]  # the copy listing three authors
    assert work["author_id"].fillna("").tolist() == ["5", "", ""]
    assert work["affiliation"].fillna("").tolist() == ["UQAM", "", ""]
    assert work["country"].fillna("").tolist() == ["Canada", "", ""]
    single = out[out["cluster"] == 2]
    assert single["author_id"].tolist() == ["7"] and single["country"].tolist() == ["Canada"]
    assert len(out) == 4


def test_merged_authorships_tie_keeps_the_first_copy():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2020, "surname": "roy",
         "file": "b.txt"},
    ])
    clusters = dd.find_clusters(recs, sur)
    authors = _authors([(0, 1, "Roy, P.", "Roy, Pascale", None, "UQAM", None),
                        (1, 1, "Roy, P.", "Roy, P.", "5", "Université du Québec à Montréal", "Canada")])
    out = dd.merge_authorships(recs, clusters, authors)
    assert out["author_full"].tolist() == ["Roy, Pascale"]
    assert out["affiliation"].tolist() == ["UQAM"] and out["author_id"].tolist() == ["5"]
    assert out["country"].tolist() == ["Canada"]


def test_merged_authorships_many_clusters_a_record_without_authors_and_partial_copies():
    title = "Synthetic housing cooperatives in Montreal"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/h", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doi": "10.5555/h", "surname": "roy", "file": "b.txt"},
        {"record": 3, "title": "Synthetic credit unions and rural banking", "year": 2021, "doi": "10.5555/c",
         "surname": "lee"},
        {"record": 4, "title": "Synthetic credit unions and rural banking", "year": 2021, "doi": "10.5555/c",
         "surname": "lee", "file": "b.txt"},
        {"record": 5, "title": "Synthetic food hubs of the Gaspesie region", "year": 2022, "surname": "kim"},
        {"record": 6, "title": "Synthetic editorial without authors listed", "year": 2022, "file": "b.txt"},
    ])
    clusters = dd.find_clusters(recs, sur)
    assert clusters["cluster"].tolist() == [0, 0, 2, 2, 4, 5]
    authors = _authors([
        (0, 1, "Roy, P.", "Roy, Pascale", None, None, None),
        (1, 1, "Roy, P.", "Roy, Pascale", "5", None, "Canada"),  # an id and a country but no affiliation
        (2, 1, "Lee, K.", "Lee, Kim", None, "Synthetic Institute", None),
        (3, 1, "Lee, K.", "Lee, Kim", "6", "Synthetic Institute, Seoul", "South Korea"),
        (3, 2, "Roy, P.", "Roy, Pascale", "5", "UQAM", "Canada"),  # the copy listing most authors: chosen
        (4, 1, "Kim, S.", "Kim, Sun", "7", None, "Canada"),
    ])
    out = dd.merge_authorships(recs, clusters, authors)
    assert out.index.tolist() == list(range(len(out)))  # a clean index
    assert len(out) == 4  # one copy's authors per work, no author twice
    by = {(c, p): row for c, p, row in zip(out["cluster"], out["position"], out.itertuples())}
    assert sorted(by) == [(0, 1), (2, 1), (2, 2), (4, 1)]
    assert (by[(0, 1)].author_id, by[(0, 1)].country) == ("5", "Canada")  # filled though the copy lacks a place
    assert pd.isna(by[(0, 1)].affiliation)
    assert by[(2, 1)].affiliation == "Synthetic Institute, Seoul" and by[(2, 2)].author_id == "5"
    assert by[(4, 1)].author_id == "7"


def test_merge_clusters_single_records_are_copied_as_they_are_and_abstracts_by_length():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "abstract": None, "author_keywords": "Alpha; alpha; Beta"},
        {"record": 1, "title": "Synthetic credit unions and rural banking", "year": 2020, "doi": "10.5555/c",
         "abstract": "x", "file": "b.txt"},
        {"record": 2, "title": "Synthetic housing cooperatives in Montreal", "year": 2021,
         "author_keywords": "Gamma; gamma"},
    ])
    m = dd.merge_clusters(recs, dd.find_clusters(recs, sur))
    assert m.loc[0, "abstract"] == "x"  # a one-letter abstract is longer than none
    assert m.loc[0, "author_keywords"] == "Alpha; Beta"  # merged: union on folded keys
    assert m.loc[2, "author_keywords"] == "Gamma; gamma"  # a single record: copied as it is


def test_no_records_give_empty_tables():
    recs, sur = _records([{"record": 1, "title": "Synthetic housing cooperatives in Montreal", "year": 2020}])
    recs, sur = recs.iloc[:0], sur.iloc[:0]
    clusters = dd.find_clusters(recs, sur)
    assert clusters.empty
    out = dd.merge_authorships(recs, clusters, _authors([]).astype({"row": "int64", "position": "int64"}))
    assert out.empty and "cluster" in out.columns and "row" not in out.columns


# --- issue 21, second round: the group checks of issue 14 ------------------------------------------------------

def test_a_title_join_carries_the_document_type_to_the_next_pair():
    """Three DOI-less copies of one title, same year: untyped, Article, Book. The pairs come (0, 1) then (0, 2);
    (0, 1) joins, and the group {0, 1} now says "journal", so (0, 2) is refused for the Book (doc_types_differ).
    A group rebuilt from record 0 alone (untyped) would take the Book too."""
    title = "Synthetic land trusts for farming cooperatives"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doc_type": "Article", "surname": "roy"},
        {"record": 3, "title": title, "year": 2020, "doc_type": "Book", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 0, 2]
    assert d.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 2, "doc_types_differ"]]


def test_copies_differing_only_by_document_type_are_checked():
    """Same title, year, file and no DOI, but Article against Book: not two copies of one record, so the type
    rule is applied and keeps them apart."""
    title = "Synthetic land trusts for farming cooperatives"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doc_type": "Article", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doc_type": "Book", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 1]
    assert d.related["rule"].tolist() == ["doc_types_differ"]


def test_copies_in_two_files_are_checked_in_pair_order():
    """Rows 1 (a.csv, 2020) and 2 (b.csv, 2020) agree on everything but the file, so they are not two copies of
    one record and wait for their turn. Pairs, all scored 100: (0, 1) then (1, 2). (0, 1) joins (different files,
    one year apart, undated); then (1, 2) is refused: the group holds b.csv 2021 (row 0) and row 2 is b.csv 2020
    (years_differ_same_file). Joining 1 and 2 first would instead refuse row 0."""
    title = "Synthetic regional food hubs and their members"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2021, "file": "b.csv", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "file": "a.csv", "surname": "roy"},
        {"record": 3, "title": title, "year": 2020, "file": "b.csv", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 0, 2]
    assert d.related[["row_a", "row_b", "rule"]].values.tolist() == [[1, 2, "years_differ_same_file"]]


def test_one_dated_side_is_enough_to_refuse_a_year_apart():
    """A report of 2020 and an untyped record of 2021 (other file): one year apart passes for undated works,
    but a report is a dated edition, so they stay apart (years_differ)."""
    title = "Synthetic annual survey of housing cooperatives"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doc_type": "Report", "surname": "roy"},
        {"record": 2, "title": title, "year": 2021, "file": "b.csv", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 1]
    assert d.related["rule"].tolist() == ["years_differ"]


def test_a_doi_group_keeps_the_dated_flag_of_its_first_member():
    """Rows 0 (Report) and 1 (untyped) share a DOI, both 2020; row 2 (untyped, no DOI, 2021, other file) matches
    their title. The group {0, 1} is dated because of row 0, so the year apart refuses row 2."""
    title = "Synthetic annual survey of housing cooperatives"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doc_type": "Report", "doi": "10.5555/r", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doi": "10.5555/r", "surname": "roy"},
        {"record": 3, "title": title, "year": 2021, "file": "b.csv", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 0, 2]
    assert d.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 2, "years_differ"]]


def test_a_doi_group_keeps_the_database_ids_of_every_member():
    """Rows 0 (scopus:1) and 1 (wos:A) share a DOI; row 2 (no DOI, wos:B) has their title and year. The group
    knows wos:A from row 1, so wos:B is another work (database_ids_differ)."""
    title = "Synthetic credit unions in remote communities"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/c", "database_id": "scopus:1", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doi": "10.5555/c", "database_id": "wos:A", "surname": "roy"},
        {"record": 3, "title": title, "year": 2020, "database_id": "wos:B", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 0, 2]
    assert d.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 2, "database_ids_differ"]]


def test_a_doi_group_spanning_two_years_refuses_a_third_year():
    """Rows 0 (2019) and 1 (2020) share a DOI in a.csv; row 2 (b.csv, 2021, no DOI) matches row 1 (one year
    apart) but the group would span 2019-2021, two years: years_differ. Pair (0, 2), two years apart, is never
    a candidate."""
    title = "Synthetic credit unions in remote communities"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2019, "doi": "10.5555/c", "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doi": "10.5555/c", "surname": "roy"},
        {"record": 3, "title": title, "year": 2021, "file": "b.csv", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 0, 2]
    assert d.related[["row_a", "row_b", "rule"]].values.tolist() == [[1, 2, "years_differ"]]


def test_title_pairs_two_years_apart_are_not_even_related():
    """Same title, no DOI, 2020 and 2022 in two files: not a candidate pair at all (more than a year apart), so
    no related pair either."""
    title = "Synthetic credit unions in remote communities"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "surname": "roy"},
        {"record": 2, "title": title, "year": 2022, "file": "b.csv", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.clusters["cluster"].tolist() == [0, 1]
    assert len(d.related) == 0


def test_kept_apart_score_has_one_decimal_and_related_dtypes():
    """Keys of 20 and 21 characters, one letter added: Indel ratio 100 × 40 / 41 = 97.56…, shown 97.6 (one
    decimal, not 98). Article against Book keeps them apart."""
    recs, sur = _records([
        {"record": 1, "title": "Synthetic coop study", "year": 2020, "doc_type": "Article", "surname": "roy"},
        {"record": 2, "title": "Synthetic coop studys", "year": 2020, "doc_type": "Book", "surname": "roy"},
    ])
    d = dd.find_duplicates(recs, sur)
    assert d.related["score"].tolist() == [97.6]
    assert d.related["row_a"].tolist() == [0] and d.related["row_b"].tolist() == [1]
    assert str(d.related["row_a"].dtype) == "int64" and str(d.related["row_b"].dtype) == "int64"
    assert str(d.related["score"].dtype) == "Float64"


def test_title_joined_member_without_title_scores_nan():
    """Row 1 (DOI x) joins row 0 (no DOI) by title; row 2 has DOI x and no title, so it joined row 1 by DOI. Its
    final cluster is row 0, without a shared DOI: rule title_year_author, and its title score is missing (no
    title), not 0."""
    title = "Synthetic credit unions in remote communities"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "doi": "10.5555/x", "surname": "roy"},
        {"record": 3, "title": None, "year": 2020, "doi": "10.5555/x", "surname": "roy"},
    ])
    c = dd.find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 0, 0]
    assert c["rule"].tolist() == ["", "title_year_author", "title_year_author"]
    assert c["score"].iloc[1] == 100.0
    assert pd.isna(c["score"].iloc[2])


def test_clusters_keep_the_records_index():
    title = "Synthetic credit unions in remote communities"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "surname": "roy"},
        {"record": 2, "title": title, "year": 2020, "surname": "roy"},
    ])
    recs.index = pd.RangeIndex(5, 7)
    sur.index = recs.index
    c = dd.find_clusters(recs, sur)
    assert c.index.tolist() == [5, 6]
    assert c["cluster"].tolist() == [0, 0]


# --- number keys -------------------------------------------------------------------------------------------------

def test_match_keys_without_arrow():
    keys = np.array(["part two of it", None, "the 3rd congress", "no numbers here"], dtype=object)
    assert dd.match_keys(keys).tolist() == ["part 2 of it", None, "the 3 congress", "no numbers here"]
    nothing = np.array([None, None], dtype=object)  # an all-missing column: no number, the keys themselves
    assert dd.match_keys(nothing) is nothing


@pytest.mark.parametrize(("key", "tokens"), [("part a of it", ("a",)), ("a study of part", ()),
                                            ("z part b", ("b",)), ("volume c", ("c",))])
def test_number_tokens_label_letter(key, tokens):
    """A lone letter is a number only right after a label ("part a", also as the second word); the first word has
    no word before it (not the last word, "part", read from the end)."""
    assert dd.number_tokens(key) == tokens


def test_small_block_pairs_length_bound():
    """Lengths 9 and 10: the best ratio is 200 × 9 / 19 = 94.7 < 95 (1800 < 95 × 19 = 1805), so the pair is
    skipped; 9 and 9 pass (100). A block of two rows gives one pair, never a row with itself."""
    keys = np.array(["a" * 9, "b" * 10, "c" * 9], dtype=object)
    rows = np.array([0, 1])
    i, j = dd._small_block_pairs(rows, np.array([0]), np.array([2]), keys)
    assert i.tolist() == [] and j.tolist() == []
    rows = np.array([0, 2])
    i, j = dd._small_block_pairs(rows, np.array([0]), np.array([2]), keys)
    assert i.tolist() == [0] and j.tolist() == [2]
