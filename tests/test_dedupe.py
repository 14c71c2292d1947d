"""Deduplication: DOI first, then title + year + first author inside surname blocks; merge rules per field.

Small synthetic record tables built in code (invented titles and DOIs with the 10.5555 test prefix), plus the
real Scopus + WoS pair from the mirror.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis.vigie.dedupe as dd
from analysis.cli import main
from analysis.core.paths import default_mirror
from analysis.vigie.bank import build_bank
from analysis.vigie.dedupe import MERGE_RULES, doc_families, find_clusters, merge_clusters, number_tokens
from analysis.vigie.readers import read_file
from analysis.vigie.readers.common import records_frame


def _records(rows: list[dict]) -> tuple[pd.DataFrame, pd.Series]:
    base = {"line": None, "source_title": None, "doc_type": None, "language": None, "cited_by": None,
            "abstract": None, "author_keywords": None, "index_keywords": None, "doi": None}
    recs = records_frame([{**base, **{k: v for k, v in r.items() if k not in ("file", "surname")}}
                          for r in rows])
    recs.insert(0, "file", [r.get("file", "a.csv") for r in rows])
    surname = pd.Series([r.get("surname") for r in rows], dtype="string")
    return recs, surname


def test_doi_match_case_and_prefix_insensitive():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic title one about cooperatives", "year": 2020, "doi": "10.5555/X.1",
         "surname": "roy"},
        {"record": 1, "title": "SYNTHETIC TITLE ONE ABOUT COOPERATIVES: A SUBTITLE", "year": 2021,
         "doi": "https://doi.org/10.5555/x.1", "surname": "other", "file": "b.txt"},
    ])
    c = find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 0]
    assert c["rule"].tolist() == ["", "doi"]


def test_title_match_fuzzy_same_surname_and_close_year():
    recs, sur = _records([
        {"record": 1, "title": "Solidarity finance in rural regions of Quebec", "year": 2022, "surname": "lee"},
        {"record": 2, "title": "Solidarity finance in rural regions of Québec.", "year": 2021, "surname": "lee",
         "file": "b.txt"},
        {"record": 3, "title": "Solidarity finance in rural regions of Quebec", "year": 2019, "surname": "lee",
         "file": "b.txt"},
        {"record": 4, "title": "Solidarity finance in rural regions of Quebec", "year": 2022, "surname": "kim",
         "file": "b.txt"},
    ])
    c = find_clusters(recs, sur)
    # 2 (another file) matches 1 (accents and punctuation folded, year one apart: early access); 3 is three years
    # away; 4 another author
    assert c["cluster"].tolist() == [0, 0, 2, 3]
    assert c.loc[1, "rule"] == "title_year_author" and c.loc[1, "score"] == 100.0


def test_small_typo_matches_but_different_dois_never_merge_by_title():
    recs, sur = _records([
        {"record": 1, "title": "Worker cooperatives and platform labour: a review", "year": 2021,
         "doi": "10.5555/a", "surname": "smith"},
        {"record": 2, "title": "Worker cooperatives and platform labor: a review", "year": 2021,
         "surname": "smith"},
        {"record": 3, "title": "Worker cooperatives and platform labour: a review", "year": 2021,
         "doi": "10.5555/b", "surname": "smith"},
    ])
    c = find_clusters(recs, sur)
    assert c.loc[1, "cluster"] == 0 and c.loc[1, "score"] >= 95
    # record 3 carries another DOI: not merged with the group holding 10.5555/a (even through record 2)
    assert c.loc[2, "cluster"] == 2


def test_short_titles_are_not_matched_by_title():
    recs, sur = _records([
        {"record": 1, "title": "Editorial", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Editorial", "year": 2020, "surname": "roy"},
    ])
    assert find_clusters(recs, sur)["cluster"].tolist() == [0, 1]


def test_merge_rules_per_field():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic merged record on housing", "year": 2020, "doi": "10.5555/m",
         "cited_by": 5, "abstract": "short", "author_keywords": "Coopératives; housing", "source_title": "J One"},
        {"record": 7, "title": "SYNTHETIC MERGED RECORD ON HOUSING", "year": 2020, "doi": "10.5555/m",
         "cited_by": 9, "abstract": "a longer abstract", "author_keywords": "cooperatives; tenure",
         "source_title": "J ONE", "language": "English", "file": "b.txt"},
    ])
    c = find_clusters(recs, sur)
    m = merge_clusters(recs, c).iloc[0]
    assert m["title"] == "Synthetic merged record on housing"  # first in input order
    assert m["source_title"] == "J One"
    assert m["language"] == "English"  # first non-missing
    assert m["cited_by"] == 9  # maximum
    assert m["abstract"] == "a longer abstract"  # longest
    assert m["author_keywords"] == "Coopératives; housing; tenure"  # union on folded keys, first spelling
    assert m["origins"] == "a.csv#1; b.txt#7"
    assert set(MERGE_RULES) >= {"cited_by", "abstract", "title", "authorships"}


def test_fixture_pair_merges_one_by_doi_one_by_title():
    fix = Path(__file__).parent / "fixtures" / "bank"
    bank = build_bank([fix / "scopus_small.csv", fix / "wos_small.txt"])
    assert bank.duplicates["rule"].tolist() == ["doi", "title_year_author"]
    assert bank.duplicates["kept_work_id"].tolist() == ["W00001", "W00003"]
    w = bank.works.set_index("work_id")
    assert w.loc["W00001", "cited_by"] == 7 and w.loc["W00003", "cited_by"] == 3
    assert w.loc["W00001", "abstract"].startswith("Synthetic abstract, longer")
    assert w.loc["W00001", "title"] == "Coopératives de travail et innovation sociale au Québec"


def test_real_scopus_wos_every_shared_doi_merged():
    mirror = default_mirror()
    folder = mirror / "corpora" if mirror else None
    if folder is None or not (folder / "scopus_ai_2025.csv").exists():
        pytest.skip("real corpora not available (no data mirror)")
    s = read_file(folder / "scopus_ai_2025.csv").records
    w = read_file(folder / "wos_ai_2025.txt").records
    shared = set(s["doi"].dropna()) & set(w["doi"].dropna())
    assert len(shared) == 413
    bank = build_bank([folder / "scopus_ai_2025.csv", folder / "wos_ai_2025.txt"])
    works = bank.works
    with_shared = works[works["doi"].isin(shared)]
    assert len(with_shared) == 413  # one work per shared DOI
    assert with_shared["origins"].str.contains("scopus_ai_2025.csv#").all()
    assert with_shared["origins"].str.contains("wos_ai_2025.txt#").all()
    rules = bank.duplicates["rule"].value_counts()
    assert rules["doi"] == 414  # 413 shared with Scopus + 1 DOI repeated inside the WoS file
    assert rules["title_year_author"] >= 1  # WoS records without DOI found by title
    assert len(works) == 3658 + 500 - len(bank.duplicates)


def test_records_without_author_match_on_exact_title_and_year_only():
    recs, sur = _records([
        {"record": 1, "title": "Synthetic anonymous report on cooperatives", "year": 2020},
        {"record": 2, "title": "Synthetic anonymous report on cooperatives.", "year": 2020, "file": "b.txt"},
        {"record": 3, "title": "Synthetic anonymous report on cooperatives", "year": 2021, "file": "b.txt"},
    ])
    c = find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 0, 2]
    assert c.loc[1, "rule"] == "title_year_author"


def test_real_same_records_three_formats_merge_into_103_works():
    mirror = default_mirror()
    folder = (mirror / "corpora" / "pluriverse_wos_same_records") if mirror else None
    if folder is None or not folder.exists():
        pytest.skip("pluriverse_wos_same_records not available (no data mirror)")
    bank = build_bank([folder / "savedrecs.txt", folder / "savedrecs.bib", folder / "savedrecs.ris"])
    assert len(bank.works) == 103
    assert bank.ledger["merged"].tolist() == [0, 103, 103]


def test_large_surname_blocks_are_cut_by_year_without_losing_pairs(monkeypatch):
    monkeypatch.setattr(dd, "SUB_BLOCK", 2)  # force the year-by-year path on a small block
    monkeypatch.setattr(dd, "SMALL_BLOCK", 1)  # (blocks up to SMALL_BLOCK are scored pair by pair)
    recs, sur = _records([
        {"record": 1, "title": "Synthetic housing cooperatives in Quebec", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Synthetic housing cooperatives in Québec", "year": 2021, "surname": "roy",
         "file": "b.txt"},
        {"record": 3, "title": "Synthetic housing cooperatives in Quebec", "year": 2023, "surname": "roy",
         "file": "c.ris"},
        {"record": 4, "title": "Synthetic housing cooperatives in Quebec", "year": None, "surname": "roy",
         "file": "d.bib"},
        {"record": 5, "title": "Another synthetic subject entirely", "year": 2023, "surname": "roy"},
    ])
    found = dd.find_duplicates(recs, sur)
    # every pair is found: 2 joins 1 (one year apart), 4 (no year) joins them; 3 matches 4 too, but joining it
    # would put 2020 and 2023 in one work: kept apart as a related pair
    assert found.clusters["cluster"].tolist() == [0, 0, 2, 0, 4]
    assert found.related[["row_a", "row_b", "rule"]].values.tolist() == [[2, 3, "years_differ"]]


@pytest.mark.parametrize("small_block", [0, 8])
def test_pair_by_pair_and_matrix_scoring_agree(monkeypatch, small_block):
    monkeypatch.setattr(dd, "SMALL_BLOCK", small_block)
    recs, sur = _records([
        {"record": 1, "title": "Synthetic worker cooperatives and platform work", "year": 2020, "surname": "roy"},
        {"record": 2, "title": "Another synthetic subject entirely", "year": 2020, "surname": "roy"},
        {"record": 3, "title": "Synthetic worker co-operatives and platform work", "year": 2021, "surname": "roy",
         "file": "b.txt"},
        {"record": 4, "title": "Synthetic worker cooperatives and platform work!", "year": 2024, "surname": "roy"},
        {"record": 5, "title": "Synthetic worker cooperatives and platform work", "year": 2020, "surname": "tremblay"},
    ])
    c = dd.find_clusters(recs, sur)
    # 3 is 1 with a hyphen (ratio >= 95, one year apart); 4 is three years off; 5 has another first author
    assert c["cluster"].tolist() == [0, 1, 0, 3, 4]
    assert c["rule"].tolist() == ["", "", "title_year_author", "", ""]


@pytest.mark.parametrize("small_block", [0, 8])
def test_title_pairs_of_two_doi_records_are_never_merged_but_a_doi_less_copy_is(monkeypatch, small_block):
    monkeypatch.setattr(dd, "SMALL_BLOCK", small_block)
    title = "Synthetic worker cooperatives and platform work"
    recs, sur = _records([
        {"record": 1, "title": title, "year": 2020, "doi": "10.5555/one", "surname": "roy"},
        {"record": 2, "title": title + "!", "year": 2020, "doi": "10.5555/two", "surname": "roy"},
        {"record": 3, "title": title.replace("cooperatives", "co-operatives"), "year": 2021, "surname": "roy",
         "file": "b.txt"},
        {"record": 4, "title": "Another synthetic subject entirely", "year": 2021, "surname": "roy"},
    ])
    found = dd.find_duplicates(recs, sur)
    # 1 and 2 carry different DOIs: two works even with the same title; 3 (no DOI) joins the first of them
    assert found.clusters["cluster"].tolist() == [0, 1, 0, 3]
    # 1 and 2 are listed as related (the title pair is scored now, to be listed); 2 and 3 is the same pair of works
    assert found.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 1, "different_doi"]]


def test_book_chapters_sharing_the_book_doi_stay_separate():
    recs, sur = _records([
        {"record": 1, "title": "Religion and synthetic social enterprise", "year": 2010, "doi": "10.5555/book",
         "surname": "a"},
        {"record": 2, "title": "Measuring performance in synthetic cooperatives", "year": 2010,
         "doi": "10.5555/book", "surname": "b"},
        {"record": 3, "title": "Religion and synthetic social enterprise: a chapter", "year": 2010,
         "doi": "10.5555/BOOK", "surname": "c", "file": "b.txt"},
    ])
    c = find_clusters(recs, sur)
    assert c["cluster"].tolist() == [0, 1, 0]  # 3 contains 1's title (subtitle added): same work


def test_real_scopus_bib_book_doi_chapters():
    mirror = default_mirror()
    path = mirror / "corpora" / "scopus_social_entrepreneurship.bib" if mirror else None
    if path is None or not path.exists():
        pytest.skip("real corpus not available (no data mirror)")
    bank = build_bank([path])
    # 15 chapters carry one of 3 book DOIs (checked by hand): none of them is merged with another
    assert len(bank.duplicates) == 0
    assert len(bank.works) == 2000


def _dedupe_eval():
    path = Path(__file__).parents[1] / "benchmarks" / "dedupe_eval.py"
    spec = importlib.util.spec_from_file_location("dedupe_eval", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("dedupe_eval", module)  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_dedupe_evaluation_set_precision_and_recall():
    """The labelled evaluation set (tests/fixtures/dedupe_eval, 419 pairs; benchmarks/results/dedupe_eval.md).

    Thresholds: precision 100 % — a false merge silently removes a work from a researcher's library, and every
    distinct pair of the set is a case a rule is meant to keep apart (Part I/II, 13th/14th assembly, editions,
    annual reports, chapter/book, conference/journal, preprint/article, two EIDs…); recall at least 99 % — the rules
    trade a little recall for precision on purpose (a possible duplicate kept apart is listed as related, not lost):
    the one miss is a Web of Science early-access record and its issue record whose second DOI lacks a digit.
    Before issue 14 the same set gave 96.2 % precision (14 false merges) and 99.4 % recall."""
    ev = _dedupe_eval()
    rows, skipped = ev.evaluate()
    synthetic = ev.scores([r for r in rows if r["scenario"] == "synthetic_hard_cases"])
    assert (synthetic["pairs"], synthetic["tp"], synthetic["fp"], synthetic["fn"]) == (27, 10, 0, 0)
    if skipped:
        pytest.skip(f"shared corpora not available (no data mirror): {', '.join(skipped)}")
    overall = ev.scores(rows)
    assert (overall["pairs"], overall["duplicates"], overall["distinct"]) == (419, 355, 64)
    assert overall["precision"] == 1.0 and overall["recall"] >= 0.99
    wrong = [(r["a"], r["b"]) for r in rows if r["same_work"] != (r["label"] == "duplicate")]
    assert wrong == [("savedrecs.txt|ut:WOS:000804796600001", "savedrecs.txt|ut:WOS:000797339300001")]


def test_the_one_missed_duplicate_is_listed_as_related():
    mirror = default_mirror()
    path = (mirror / "corpora" / "pluriverse_wos_same_records" / "savedrecs.txt") if mirror else None
    if path is None or not path.exists():
        pytest.skip("pluriverse_wos_same_records not available (no data mirror)")
    related = build_bank([path]).related
    assert related[["record_a", "record_b", "rule", "score"]].values.tolist() == [[59, 60, "different_doi", 100.0]]


# ---------------------------------------------------------------- rules that keep different works apart (issue 14)
@pytest.mark.parametrize("a, b, same", [
    ("worker cooperatives part i origins", "worker cooperatives part ii origins", False),
    ("worker cooperatives part ii origins", "worker cooperatives part 2 origins", True),
    ("proceedings of the 13th general assembly", "proceedings of the 14th general assembly", False),
    ("proceedings of the thirteenth general assembly", "proceedings of the 13th general assembly", True),
    ("handbook second edition", "handbook 2nd edition", True),
    ("annual report 2022", "annual report 2023", False),
    ("atlas volume a", "atlas volume b", False),
    ("hepatitis c in cooperatives", "hepatitis c in cooperatives", True),
    ("generative ai part one", "generative ai part two", False),
])
def test_number_tokens(a, b, same):
    assert (number_tokens(a) == number_tokens(b)) is same


def test_number_tokens_by_hand():
    assert number_tokens("the xiv congress 2nd session vol b of 2019") == ("14", "2", "2019", "b")
    assert number_tokens("vitamin c and l theanine") == ()  # lone "c" and "l" are letters, not 100 and 50


def test_doc_families():
    assert doc_families("Article; Proceedings Paper") == {"journal", "conference"}
    assert doc_families("Book Chapter") == {"chapter"} and doc_families("Report") == {"report"}
    assert doc_families("Presentation") == frozenset() and doc_families(None) == frozenset()


def _pair(a: dict, b: dict):
    recs, sur = _records([a, b])
    return dd.find_duplicates(recs, sur)


_BASE = {"title": "Synthetic worker cooperatives in northern regions", "year": 2020, "surname": "roy"}


@pytest.mark.parametrize("change_a, change_b, rule", [
    ({"title": "Synthetic worker cooperatives in northern regions, Part I"},
     {"title": "Synthetic worker cooperatives in northern regions, Part II", "file": "b.txt"}, "number_tokens_differ"),
    ({"database_id": "scopus:2-s2.0-1"}, {"database_id": "scopus:2-s2.0-2", "file": "b.csv"}, "database_ids_differ"),
    ({"doc_type": "Conference Paper"}, {"doc_type": "Article", "year": 2021, "file": "b.txt"}, "doc_types_differ"),
    ({"doc_type": "Book"}, {"doc_type": "Book chapter", "file": "b.bib"}, "doc_types_differ"),
    ({"doc_type": "Preprint"}, {"doc_type": "Article", "year": 2021, "file": "b.bib"}, "doc_types_differ"),
    ({}, {"year": 2021}, "years_differ_same_file"),
    ({"doc_type": "Report"}, {"doc_type": "Report", "year": 2021, "file": "b.json"}, "years_differ"),
    ({"doi": "10.5555/one"}, {"doi": "10.5555/two", "file": "b.txt"}, "different_doi"),
])
def test_each_rule_keeps_two_works_apart_and_lists_them_as_related(change_a, change_b, rule):
    found = _pair({"record": 1, **_BASE, **change_a}, {"record": 2, **_BASE, **change_b})
    assert found.clusters["cluster"].tolist() == [0, 1]
    assert found.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 1, rule]]


@pytest.mark.parametrize("change_a, change_b", [
    ({"year": 2020, "doc_type": "Article; Early Access"}, {"year": 2021, "doc_type": "Article", "file": "b.csv"}),
    ({"database_id": "scopus:2-s2.0-1"}, {"database_id": "wos:000001", "file": "b.txt"}),  # two databases
    ({"doc_type": "Article; Proceedings Paper"}, {"doc_type": "Conference Paper", "file": "b.csv"}),
    ({"database_id": "scopus:2-s2.0-1"}, {"database_id": "scopus:2-s2.0-1", "file": "b.csv"}),  # the file twice
])
def test_what_the_rules_still_merge(change_a, change_b):
    found = _pair({"record": 1, **_BASE, **change_a}, {"record": 2, **_BASE, **change_b})
    assert found.clusters["cluster"].tolist() == [0, 0] and found.related.empty


def test_a_chain_of_matches_cannot_join_what_a_rule_keeps_apart():
    """A (EID 1) and C (EID 2) are two Scopus documents; B (no id, another file) matches both. Merging pair by pair
    would put all three in one work; the group check joins B to the best match (A) and keeps C apart."""
    recs, sur = _records([
        {"record": 1, **_BASE, "database_id": "scopus:2-s2.0-1"},
        {"record": 2, **_BASE, "file": "b.bib"},
        {"record": 3, **_BASE, "database_id": "scopus:2-s2.0-2"},
    ])
    found = dd.find_duplicates(recs, sur)
    assert found.clusters["cluster"].tolist() == [0, 0, 2]
    assert found.related[["row_a", "row_b", "rule"]].values.tolist() == [[0, 2, "database_ids_differ"]]


def test_doi_title_guard_failures_are_related_not_lost():
    recs, sur = _records([
        {"record": 1, "title": "Religion and synthetic social enterprise", "year": 2010, "doi": "10.5555/book",
         "surname": "a"},
        {"record": 2, "title": "Measuring performance in synthetic cooperatives", "year": 2010,
         "doi": "10.5555/book", "surname": "b"},
    ])
    found = dd.find_duplicates(recs, sur)
    assert found.clusters["cluster"].tolist() == [0, 1]
    row = found.related.iloc[0]
    assert (row["row_a"], row["row_b"], row["rule"]) == (0, 1, "doi_titles_differ") and row["score"] < 70


def test_bank_related_table_and_corpus_summary_merges(tmp_path, capsys):
    """The bank lists related pairs with both records; ``corpus-summary --json`` lists merges and related pairs."""
    ev = Path(__file__).parent / "fixtures" / "dedupe_eval"
    files = [str(ev / n) for n in ("synthetic_scopus.csv", "synthetic_wos.txt")]
    bank = build_bank(files)
    assert bank.related[["file_a", "record_a", "file_b", "record_b", "rule"]].values.tolist() == [
        ["synthetic_scopus.csv", 1, "synthetic_wos.txt", 1, "number_tokens_differ"],
        ["synthetic_scopus.csv", 2, "synthetic_wos.txt", 2, "number_tokens_differ"],
        ["synthetic_scopus.csv", 3, "synthetic_wos.txt", 3, "number_tokens_differ"],
        ["synthetic_scopus.csv", 5, "synthetic_wos.txt", 4, "doc_types_differ"],
        ["synthetic_scopus.csv", 7, "synthetic_scopus.csv", 8, "database_ids_differ"]]
    assert main(["corpus-summary", *files, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["merges"] == [
        {"work_id": "W00009", "kept_file": "synthetic_scopus.csv", "kept_record": 9, "merged_file": "synthetic_wos.txt",
         "merged_record": 5, "rule": "title_year_author", "score": 100.0},
        {"work_id": "W00011", "kept_file": "synthetic_scopus.csv", "kept_record": 11,
         "merged_file": "synthetic_wos.txt", "merged_record": 6, "rule": "doi", "score": 100.0}]
    assert [(r["record_a"], r["record_b"], r["rule"]) for r in out["related"]] == [
        (1, 1, "number_tokens_differ"), (2, 2, "number_tokens_differ"), (3, 3, "number_tokens_differ"),
        (5, 4, "doc_types_differ"), (7, 8, "database_ids_differ")]
    assert out["related"][0]["reason"].startswith("the titles hold different numbers")
