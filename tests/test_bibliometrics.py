"""bibliometrix-style main information, checked against values computed by hand on the synthetic fixtures."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.vigie.bank import build_bank
from analysis.vigie.bibliometrics import (
    annual_growth_rate,
    annual_growth_rate_trend,
    citations_per_year,
    documents_per_year,
    main_information,
    main_information_dict,
    production_summary,
)

FIX = Path(__file__).parent / "fixtures" / "bank"


@pytest.fixture(scope="module")
def bank():
    return build_bank([FIX / "scopus_small.csv", FIX / "wos_small.txt"])


def test_annual_growth_rate_definition():
    assert annual_growth_rate({2019: 1, 2020: 1, 2021: 1, 2022: 2}) == pytest.approx((2 ** (1 / 3) - 1) * 100)
    assert annual_growth_rate({2010: 4, 2012: 9}) == pytest.approx(50.0)  # (9/4)^(1/2) = 1.5
    assert annual_growth_rate({2020: 3}) == 0.0
    assert math.isnan(annual_growth_rate({}))


def test_documents_per_year_fills_gaps():
    works = pd.DataFrame({"year": pd.array([2018, 2020, 2020, None], dtype="Int64")})
    out = documents_per_year(works)
    assert out["year"].tolist() == [2018, 2019, 2020] and out["documents"].tolist() == [1, 0, 2]


def test_citations_per_year_uses_explicit_reference_year():
    works = pd.DataFrame({"year": pd.array([2020, 2020, 2022], dtype="Int64"),
                          "cited_by": pd.array([4, None, 6], dtype="Int64")})
    out = citations_per_year(works, reference_year=2024).set_index("year")
    assert out.loc[2020, "mean_citations_per_doc"] == 4.0  # missing count ignored
    assert out.loc[2020, "citable_years"] == 5 and out.loc[2020, "mean_citations_per_year"] == pytest.approx(0.8)
    assert out.loc[2022, "mean_citations_per_year"] == pytest.approx(2.0)


def test_main_information_hand_values(bank):
    info = main_information_dict(bank)
    expected = {
        "documents": 5, "sources": 4, "year_min": 2019, "year_max": 2022, "annual_growth_rate_pct": 25.99,
        "mean_citations_per_doc": 5.75, "authors": 6, "author_appearances": 7, "coauthors_per_doc": 1.4,
        "single_authored_docs": 3, "authors_of_single_authored_docs": 3, "international_coauthorships_pct": 20.0,
        "duplicates_removed": 2, "duplicates_by_doi": 1, "duplicates_by_title": 1, "records_rejected": 0,
        "records_read": 7, "author_keywords": 9, "index_keywords": 4,
    }
    for key, value in expected.items():
        assert info[key] == value, key
    assert info["document_types"] == {"article": 4, "review": 1}


def test_main_information_rows_in_bibliometrix_order(bank):
    table = main_information(bank)
    assert table["label"].tolist()[:13] == [
        "Timespan", "Sources (Journals, Books, etc)", "Documents", "Annual Growth Rate %",
        "Average citations per doc", "Keywords Plus (ID)", "Author's Keywords (DE)", "Authors",
        "Author Appearances", "Authors of single-authored docs", "Single-authored docs", "Co-Authors per Doc",
        "International co-authorships %"]
    assert table.loc[0, "value"] == "2019:2022"
    assert table.set_index("key").loc["doc_type:review", "value"] == 1


def test_international_share_missing_without_country_coverage():
    info = main_information_dict(build_bank([FIX / "small.ris"]))
    # the two-author RIS record has no affiliation: no country for its authors → not a false 0 %
    assert info["country_coverage_pct"] == 0.0 and info["international_coauthorships_pct"] is None


def test_growth_rate_trend_and_the_two_years_it_rests_on():
    """bibliometrix's rate compares the first and the last year only; the trend fits every year (Poisson
    log-linear). Exact doubling gives 100 % for both; a last year with few documents (an export made in January)
    drags the first-to-last rate down much more than the trend."""
    assert annual_growth_rate_trend({2020: 1, 2021: 2, 2022: 4}) == pytest.approx(100.0)
    assert annual_growth_rate({2020: 1, 2021: 2, 2022: 4}) == pytest.approx(100.0)
    counts = {2018: 10, 2019: 20, 2020: 40, 2021: 80, 2022: 4}  # 2022 has 4 documents: the export's January
    assert annual_growth_rate(counts) == pytest.approx((0.4 ** 0.25 - 1) * 100)  # -20.5 %
    assert annual_growth_rate_trend(counts) > 0
    assert math.isnan(annual_growth_rate_trend({2020: 3}))
    works = pd.DataFrame({"year": pd.array([2018] * 10 + [2019] * 20 + [2022] * 4, dtype="Int64")})
    s = production_summary(works)
    assert (s["first_year_documents"], s["last_year_documents"]) == (10, 4)
    assert s["growth_trend_pct"] == pytest.approx(annual_growth_rate_trend({2018: 10, 2019: 20, 2020: 0, 2021: 0,
                                                                             2022: 4}))


def test_poisson_trend_by_hand():
    """Two years, 2 then 3 documents: the Poisson fit goes through both counts, rate 3/2 - 1 = 50 %."""
    assert annual_growth_rate_trend({2010: 2, 2011: 3}) == pytest.approx(50.0)
