"""Deduplication inside one large first-author block (issue 20): each pair scored once, same result as pair by pair.

A synthetic block of twelve records by one invented first author "roy" (invented titles, DOIs with the 10.5555 test
prefix), larger than :data:`analysis.vigie.dedupe.SMALL_BLOCK`, so its titles are scored as matrices (rapidfuzz
``cdist``) and not pair by pair. It holds pairs that must merge and pairs each rule keeps apart; a pair kept apart is
listed as related with its title score, which is why the rules cannot become block keys: a block key would stop the
pair from being scored, and so from being listed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from rapidfuzz import process

import analysis.vigie.dedupe as dd
from analysis.vigie.bank import compute_keywords
from analysis.vigie.readers.common import records_frame

#: (title, year, doi, doc_type, database_id, file); every record's first author is "roy"
BLOCK = [
    ("Synthetic worker cooperatives in northern regions, Part I", 2020, None, None, None, "a.csv"),  # 0
    ("Synthetic worker cooperatives in northern regions, Part II", 2020, None, None, None, "b.txt"),  # 1: numbers
    ("Synthetic housing cooperatives in Quebec cities", 2020, None, None, "scopus:2-s2.0-1", "a.csv"),  # 2
    ("Synthetic housing cooperative in Quebec cities", 2020, None, None, "scopus:2-s2.0-2", "a.csv"),  # 3: two EIDs
    ("Synthetic food hubs and solidarity purchasing groups", 2020, "10.5555/food.1", "Article", None, "a.csv"),  # 4
    ("Synthetic food hubs and solidarity purchasing group", 2020, None, "Conference Paper", None, "b.txt"),  # 5
    ("Synthetic community land trusts in rural regions", 2020, None, None, None, "a.csv"),  # 6
    ("Synthetic community land trust in rural regions", 2021, None, None, None, "b.txt"),  # 7: merges with 6
    ("Synthetic cooperative bank governance reports", 2020, "10.5555/bank.1", None, None, "a.csv"),  # 8
    ("Synthetic cooperative bank governance report", 2020, None, None, None, "b.txt"),  # 9: merges with 8
    ("An unrelated synthetic title about fisheries", 2020, "10.5555/fish.1", None, None, "a.csv"),  # 10
    ("Synthetic cooperative bank governance reports", 2020, "10.5555/bank.2", None, None, "a.csv"),  # 11: 2 DOIs
]


def _block() -> tuple[pd.DataFrame, pd.Series]:
    rows = [{"record": k + 1, "line": None, "title": title, "year": year, "doi": doi, "doc_type": doc_type,
             "database_id": database_id, "source_title": None, "language": None, "cited_by": None,
             "abstract": None, "author_keywords": None, "index_keywords": None}
            for k, (title, year, doi, doc_type, database_id, _) in enumerate(BLOCK)]
    records = records_frame(rows)
    records.insert(0, "file", [row[5] for row in BLOCK])
    return records, pd.Series(["roy"] * len(BLOCK), dtype="string")


def test_block_merges_and_related_pairs_by_hand():
    records, surname = _block()
    found = dd.find_duplicates(records, surname)
    # 7 joins 6 (one year apart, no rule against it); 9 (no DOI) joins 8 (DOI bank.1)
    assert found.clusters["cluster"].tolist() == [0, 1, 2, 3, 4, 5, 6, 6, 8, 8, 10, 11]
    assert found.clusters["rule"].tolist()[7] == "title_year_author" and found.clusters["rule"].tolist()[9] == (
        "title_year_author")
    # "...communitylandtrusts..." folded: 48 and 47 characters, Indel distance 1: 100 * (1 - 1 / 95) = 98.9
    assert found.clusters["score"].tolist()[7] == pytest.approx(98.9)
    # every pair a rule keeps apart is listed, with its title score: "part i" (56 characters folded) against
    # "part ii" (57): 100 * (1 - 1 / 113) = 99.1; 8 and 11 have the same title and two DOIs: 100
    assert found.related[["row_a", "row_b", "rule", "score"]].values.tolist() == [
        [0, 1, "number_tokens_differ", 99.1],
        [2, 3, "database_ids_differ", pytest.approx(98.9)],
        [4, 5, "doc_types_differ", pytest.approx(99.0)],
        [8, 11, "different_doi", 100.0],
    ]


def test_block_scores_each_unordered_pair_once(monkeypatch):
    """Rows without DOI (0, 1, 2, 3, 5, 6, 7, 9) against each other once (a symmetric matrix: 28 pairs), then
    against the rows with DOIs (4, 8, 10; 11 has the same title, year and author as 8 and goes to the fuzzy step
    through 8): 8 × 3 = 24 pairs. Before issue 20 the same block scored 8 × 11 + 3 × 8 = 112 cells, each pair with a
    row without DOI twice."""
    calls = []
    cdist = process.cdist

    def counting(queries, choices, **kwargs):
        calls.append((len(queries), len(choices), queries is choices))
        return cdist(queries, choices, **kwargs)

    monkeypatch.setattr(dd.process, "cdist", counting)
    records, surname = _block()
    dd.find_duplicates(records, surname)
    assert calls == [(8, 8, True), (8, 3, False)]


def test_block_matrices_equal_pair_by_pair(monkeypatch):
    """The matrix path (a block larger than SMALL_BLOCK) and the pair-by-pair path (every pair scored with
    ``fuzz.ratio``) find the same works and the same related pairs."""
    records, surname = _block()
    by_matrix = dd.find_duplicates(records, surname)
    monkeypatch.setattr(dd, "SMALL_BLOCK", len(BLOCK))
    by_pair = dd.find_duplicates(records, surname)
    assert by_matrix.clusters["cluster"].tolist() == by_pair.clusters["cluster"].tolist()
    columns = ["row_a", "row_b", "rule"]
    assert by_matrix.related[columns].values.tolist() == by_pair.related[columns].values.tolist()
    assert by_matrix.related["score"].round(1).tolist() == by_pair.related["score"].round(1).tolist()


def test_year_by_year_cut_of_the_block_gives_the_same_result(monkeypatch):
    """The same block cut year by year (2020 against 2020 and 2021; 2021 against itself)."""
    records, surname = _block()
    whole = dd.find_duplicates(records, surname)
    monkeypatch.setattr(dd, "SUB_BLOCK", 2)
    by_year = dd.find_duplicates(records, surname)
    pd.testing.assert_frame_equal(whole.clusters, by_year.clusters)
    pd.testing.assert_frame_equal(whole.related, by_year.related)


def test_keyword_table_by_hand():
    """The keyword table (issue 20: each distinct spelling folded once, strings taken for the kept rows only): one
    row per work, kind and folded key, first spelling kept, trimmed; blank and punctuation-only keywords dropped."""
    works = pd.DataFrame({
        "work_id": ["W00001", "W00002", "W00003"],
        "author_keywords": pd.array(["Social Economy; social economy ; ;--; AI", None, "Coopératives; cooperatives"],
                                    dtype="string"),
        "index_keywords": pd.array(["AI; Économie sociale", "AI", None], dtype="string"),
    })
    kw = compute_keywords(works)
    assert kw.values.tolist() == [
        ["W00001", "Social Economy", "social economy", "author"],
        ["W00001", "AI", "ai", "author"],
        ["W00003", "Coopératives", "cooperatives", "author"],
        ["W00001", "AI", "ai", "index"],
        ["W00001", "Économie sociale", "economie sociale", "index"],
        ["W00002", "AI", "ai", "index"],
    ]
