"""Main information where every count differs by kind (issue 21): two DOI duplicates and one title duplicate, two
years at the peak, missing citation counts, and the functions' edge values and errors.

The two Scopus-layout files are written by the test from the rows below (invented titles, people and DOIs with the
10.5555 test prefix; synthetic, no real publication).
"""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.bank import build_bank
from analysis.vigie.bibliometrics import (
    annual_growth_rate,
    citations_per_year,
    compute_top_keywords,
    documents_per_year,
    main_information,
    main_information_dict,
    production_summary,
)

HEADER = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Cited by", "DOI",
          "Affiliations", "Authors with affiliations", "Abstract", "Author Keywords", "Index Keywords",
          "Language of Original Document", "Document Type", "EID"]

# (authors, full names, ids, title, year, source, cited by, DOI, affiliations, author keywords, index keywords, type)
FIRST = [
    ("Tremblay M.; Gagnon É.", "Tremblay, Marie (1); Gagnon, Élise (2)", "1; 2",
     "Synthetic worker cooperatives in Quebec", "2019", "Revue synthétique", "4", "10.5555/bib.1",
     ["Université Laval, Québec, QC, Canada", "HEC Montréal, Montréal, QC, Canada"],
     "worker cooperatives; Quebec", "Cooperatives", "Article"),
    ("Smith J.", "Smith, John (3)", "3", "Synthetic platform labour: a review", "2020", "Synthetic Journal",
     "10", "10.5555/bib.2", ["Synthetic University, Boston, MA, United States"], "platform labour",
     "Cooperatives; Labour", "Review"),
    ("Lee K.; Roy P.", "Lee, Kim (4); Roy, Pascale (5)", "4; 5", "Synthetic solidarity finance in rural regions",
     "2021", "SYNTHETIC JOURNAL", "0", "", ["Synthetic Institute, Seoul, South Korea", "UQAM, Montréal, QC, Canada"],
     "solidarity finance; Quebec", "", "Article"),
    ("Roy P.", "Roy, Pascale (5)", "5", "Synthetic housing cooperatives and tenure", "2021", "Revue Synthétique",
     "", "10.5555/bib.4", ["UQAM, Montréal, QC, Canada"], "housing", "", "Article"),
]
# the second file: copies of the first two works (DOI duplicates, other citation counts) and of the third (no DOI,
# title spelled with an accent and a final period: a title duplicate; it carries the same EID as its original, since
# two different ids of one database are two works, issue 14)
SECOND = [
    FIRST[0][:6] + ("6",) + FIRST[0][7:],
    FIRST[1][:6] + ("8",) + FIRST[1][7:],
    FIRST[2][:3] + ("Synthetic solidarity finance in rural régions.",) + FIRST[2][4:],
]


def _write(path, rows, eids=None):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i, (au, full, ids, title, year, source, cited, doi, affs, akw, ikw, dtype) in enumerate(rows, 1):
            names = au.split("; ")
            with_aff = "; ".join(f"{n}, {a}" for n, a in zip(names, affs))
            w.writerow([au, full, ids, title, year, source, cited, doi, "; ".join(affs), with_aff, "", akw, ikw,
                        "English", dtype, (eids or {}).get(i, f"2-s2.0-{path.stem}{i}")])
    return path


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bib")
    second = _write(folder / "second.csv", SECOND, eids={3: "2-s2.0-first3"})
    return build_bank([_write(folder / "first.csv", FIRST), second])


def test_duplicates_counted_by_kind(bank):
    info = main_information_dict(bank)
    assert info["duplicates_by_doi"] == 2
    assert info["duplicates_by_title"] == 1
    assert info["duplicates_removed"] == 3
    assert info["records_read"] == 7 and info["files"] == 2 and info["records_rejected"] == 0


def test_main_information_by_hand(bank):
    info = main_information_dict(bank)
    expected = {
        "documents": 4,
        "sources": 2,  # "Revue synthétique" and "Synthetic Journal", whatever the case
        "year_min": 2019, "year_max": 2021,
        # 2019: 1 document, 2021: 2 → ((2/1)^(1/2) − 1) · 100 = 41.42
        "annual_growth_rate_pct": 41.42,
        # citations: max over the copies: 6, 10, 0 and one missing → 16 / 3
        "mean_citations_per_doc": 5.33, "documents_with_citation_count": 3,
        "authors": 5, "author_appearances": 6,
        "single_authored_docs": 2, "authors_of_single_authored_docs": 2,  # Smith; Roy
        "coauthors_per_doc": 1.5,
        "international_coauthorships_pct": 25.0,  # Korea + Canada on one work of four
        "country_coverage_pct": 100.0,
        "author_keywords": 5,  # worker cooperatives, quebec, platform labour, solidarity finance, housing
        "index_keywords": 2,  # cooperatives, labour
    }
    assert {k: info[k] for k in expected} == expected
    assert info["document_types"] == {"article": 3, "review": 1}


def test_main_information_table_values(bank):
    table = main_information(bank).set_index("key")
    assert table.loc["timespan", "value"] == "2019:2021"
    assert table.loc["documents", "value"] == 4 and table.loc["documents", "section"] == "main"
    assert table.loc["coauthors_per_doc", "section"] == "collaboration"
    assert table.loc["doc_type:article", "value"] == 3 and table.loc["doc_type:article", "label"] == "article"
    assert table.loc["doc_type:review", "section"] == "document_types"
    assert len(table) == 13 + 2


def test_production_summary_peak_is_the_earliest_of_ties():
    works = pd.DataFrame({"year": pd.array([2018, 2018, 2019, 2020, 2020, None], dtype="Int64")})
    out = production_summary(works)
    # counts 2, 1, 2: the Poisson trend is flat by symmetry
    assert out == {"first_year": 2018, "last_year": 2020, "annual_growth_rate_pct": 0.0, "peak_year": 2018,
                   "peak_documents": 2, "first_year_documents": 2, "last_year_documents": 2,
                   "growth_trend_pct": pytest.approx(0.0, abs=1e-9)}
    works = pd.DataFrame({"year": pd.array([2018, 2020, 2020, 2020], dtype="Int64")})
    out = production_summary(works)
    assert out["peak_year"] == 2020 and out["peak_documents"] == 3
    # (3/1)^(1/2) − 1 = 73.2 %
    assert out["annual_growth_rate_pct"] == pytest.approx((math.sqrt(3) - 1) * 100)


def test_production_summary_without_dated_works():
    out = production_summary(pd.DataFrame({"year": pd.array([None], dtype="Int64")}))
    assert out["first_year"] is None and out["last_year"] is None and out["peak_year"] is None
    assert out["peak_documents"] == 0 and math.isnan(out["annual_growth_rate_pct"])


def test_main_information_without_dated_works(bank):
    import copy

    undated = copy.copy(bank)
    undated.works = bank.works.assign(year=pd.array([None] * len(bank.works), dtype="Int64"))
    info = main_information_dict(undated)
    assert info["year_min"] is None and info["year_max"] is None and info["annual_growth_rate_pct"] is None
    assert pd.isna(main_information(undated).set_index("key").loc["timespan", "value"])


def test_annual_growth_rate_edges():
    assert math.isnan(annual_growth_rate({2019: 0, 2021: 4}))  # no document the first year
    assert annual_growth_rate({2019: 2, 2021: 0}) == pytest.approx(-100.0)
    assert annual_growth_rate(pd.Series({2021: 8.0, 2018: 1.0})) == pytest.approx(100.0)  # order of the index
    assert annual_growth_rate({2019: 1, 2020: None, 2021: 4}) == pytest.approx(100.0)  # missing count dropped
    with pytest.raises(ParameterError, match=r"counts_by_year.*Series or dict.*DataFrame"):
        annual_growth_rate(pd.DataFrame({"year": [2020], "n": [1]}))
    with pytest.raises(ParameterError, match="Series or dict"):
        annual_growth_rate([1, 2, 3])


def test_documents_per_year_empty_and_single():
    out = documents_per_year(pd.DataFrame({"year": pd.array([None], dtype="Int64")}))
    assert out.empty and list(out.columns) == ["year", "documents"] and str(out["year"].dtype) == "Int64"
    out = documents_per_year(pd.DataFrame({"year": pd.array([2021, 2021], dtype="Int64")}))
    assert out["year"].tolist() == [2021] and out["documents"].tolist() == [2]
    assert str(out["documents"].dtype) == "Int64"


def test_citations_per_year_default_reference_and_future_years():
    works = pd.DataFrame({"year": pd.array([2020, 2022, 2022, None], dtype="Int64"),
                          "cited_by": pd.array([6, 3, None, 9], dtype="Int64")})
    out = citations_per_year(works).set_index("year")  # reference: the last year, 2022
    assert out["documents"].tolist() == [1, 2]
    assert out.loc[2020, "citable_years"] == 3 and out.loc[2020, "mean_citations_per_year"] == pytest.approx(2.0)
    assert out.loc[2022, "mean_citations_per_doc"] == 3.0 and out.loc[2022, "citable_years"] == 1
    out = citations_per_year(works, reference_year=2021).set_index("year")
    assert out.loc[2022, "citable_years"] == 0 and math.isnan(out.loc[2022, "mean_citations_per_year"])
    assert out.loc[2020, "mean_citations_per_year"] == pytest.approx(3.0)
    empty = citations_per_year(works.iloc[3:])
    assert empty.empty and list(empty.columns) == ["year", "documents", "mean_citations_per_doc", "citable_years",
                                                   "mean_citations_per_year"]


def test_citations_per_year_year_without_counts_is_missing():
    works = pd.DataFrame({"year": pd.array([2020, 2021], dtype="Int64"),
                          "cited_by": pd.array([None, 2], dtype="Int64")})
    out = citations_per_year(works).set_index("year")
    assert math.isnan(out.loc[2020, "mean_citations_per_doc"]) and out.loc[2021, "mean_citations_per_doc"] == 2.0


KEYWORDS = pd.DataFrame({
    "work_id": ["W1", "W1", "W2", "W2", "W3", "W3", "W4"],
    "keyword": ["Cooperatives", "Quebec", "cooperatives", "Housing", "COOPERATIVES", "Quebec", "Labour"],
    "keyword_key": ["cooperatives", "quebec", "cooperatives", "housing", "cooperatives", "quebec", "labour"],
    "kind": ["author", "author", "author", "index", "index", "author", "index"],
})


def test_top_keywords_counts_spelling_and_share():
    out = compute_top_keywords(KEYWORDS, n=None)
    # both kinds: cooperatives in W1, W2, W3 (3 of the 4 works with keywords); quebec in W1, W3; then by key
    assert out["keyword_key"].tolist() == ["cooperatives", "quebec", "housing", "labour"]
    assert out["n_works"].tolist() == [3, 2, 1, 1]
    assert out["share"].tolist() == pytest.approx([0.75, 0.5, 0.25, 0.25])
    # spellings: Cooperatives, cooperatives, COOPERATIVES once each → the first in sort order
    assert out["keyword"].tolist() == ["COOPERATIVES", "Quebec", "Housing", "Labour"]


def test_top_keywords_by_kind_and_head():
    author = compute_top_keywords(KEYWORDS, n=None, kind="author")
    assert author["keyword_key"].tolist() == ["cooperatives", "quebec"]
    assert author["n_works"].tolist() == [2, 2] and author["share"].tolist() == pytest.approx([2 / 3, 2 / 3])
    index = compute_top_keywords(KEYWORDS, n=1, kind="index")
    assert index["keyword_key"].tolist() == ["cooperatives"] and index["share"].tolist() == pytest.approx([1 / 3])
    assert len(compute_top_keywords(KEYWORDS)) == 4  # default n = 20
    spelled = KEYWORDS.assign(keyword=["Coop", "Quebec", "coop", "Housing", "coop", "Quebec", "Labour"])
    assert compute_top_keywords(spelled, n=1)["keyword"].tolist() == ["coop"]  # most common spelling
    with pytest.raises(ParameterError, match="kind"):
        compute_top_keywords(KEYWORDS, kind="both")


def test_main_information_refuses_a_table(bank):
    with pytest.raises(ParameterError, match=r"\[bank\]"):
        main_information_dict(bank.works)


def test_bank_without_authors_and_one_citation_count(tmp_path):
    rows = [("[No author name available]", "", "", f"Synthetic anonymous report number {i}", year, "Synthetic Review",
             cited, f"10.5555/anon.{i}", [""], "", "", "Report") for i, (year, cited) in
            enumerate([("2020", "3"), ("2021", ""), ("2021", "")], 1)]
    info = main_information_dict(build_bank([_write(tmp_path / "anonymous.csv", rows)]))
    assert (info["documents"], info["authors"], info["author_appearances"]) == (3, 0, 0)
    assert info["single_authored_docs"] == 0 and info["authors_of_single_authored_docs"] == 0
    assert info["coauthors_per_doc"] == 0.0
    assert info["mean_citations_per_doc"] == 3.0 and info["documents_with_citation_count"] == 1
    # no multi-author work: nothing is missing, coverage 100 %, and no international work
    assert info["country_coverage_pct"] == 100.0 and info["international_coauthorships_pct"] == 0.0


def test_half_covered_countries_and_a_last_work_without_any(tmp_path):
    # the third work's authors have no affiliation (the last work of the bank has no country at all)
    third = FIRST[2][:8] + (["", ""],) + FIRST[2][9:]
    info = main_information_dict(build_bank([_write(tmp_path / "three.csv", [FIRST[0], FIRST[1], third])]))
    assert info["documents"] == 3 and info["author_appearances"] == 5
    assert info["coauthors_per_doc"] == 1.67  # 5 / 3
    # multi-author works: the first (every author has a country) and the third (none): coverage 50 %, enough to
    # report the international share, which is 0 (the first work is Canadian only)
    assert info["country_coverage_pct"] == 50.0 and info["international_coauthorships_pct"] == 0.0


def test_per_year_tables_edges_types_and_errors():
    one = documents_per_year(pd.DataFrame({"year": pd.array([2019], dtype="Int64")}))
    assert one["year"].tolist() == [2019] and one["documents"].tolist() == [1]
    assert str(one["year"].dtype) == "Int64" and str(one["documents"].dtype) == "Int64"
    empty = documents_per_year(pd.DataFrame({"year": pd.array([None], dtype="Int64")}))
    assert str(empty["documents"].dtype) == "Int64"
    works = pd.DataFrame({"year": pd.array([2020, 2022], dtype="Int64"), "cited_by": pd.array([6, 3], dtype="Int64")})
    out = citations_per_year(works).set_index("year")
    assert out.loc[2022, "citable_years"] == 1 and out.loc[2022, "mean_citations_per_year"] == 3.0
    for function, columns in ((documents_per_year, "year"), (citations_per_year, "year, cited_by")):
        with pytest.raises(ParameterError, match=rf"^\[works\] expected a DataFrame with columns {columns}") as err:
            function(pd.DataFrame({"title": ["x"]}))
        assert err.value.field == "works"
