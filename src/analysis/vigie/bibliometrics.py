"""Main information about a publication bank, with bibliometrix's definitions so numbers can be compared.

bibliometrix (``biblioAnalysis`` + ``summary``) definitions used here:

- Documents: number of works (after deduplication). Sources: distinct source titles (folded keys).
- Authors: distinct normalised author names ("Last, F.", folded). Author appearances: authorship rows.
- Co-authors per document: author appearances / documents. Single-authored documents: works with one author.
- Annual growth rate %: ``((n_last / n_first) ** (1 / (last_year - first_year)) - 1) * 100`` with the
  document counts of the first and last year of the timespan.
- Average citations per document: mean of ``cited_by`` over works that have a count (missing ignored).
- International co-authorships %: share of works whose authors' countries include at least two countries;
  reported as missing (None) when fewer than half of the multi-author works have a country for every author
  (e.g. Scopus BibTeX, which lists affiliations without saying whose they are), rather than a false 0 %.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.core.text import arrow_strings, fold_arrow

if TYPE_CHECKING:
    from analysis.vigie.bank import Bank


def annual_growth_rate(counts_by_year: pd.Series | dict[int, int]) -> float:
    """bibliometrix annual growth rate (%) from document counts indexed by year; NaN without usable years."""
    s = pd.Series(counts_by_year, dtype="float64").dropna()
    if s.empty:
        return float("nan")
    s.index = s.index.astype(int)
    first, last = int(s.index.min()), int(s.index.max())
    n_first, n_last = float(s.loc[first]), float(s.loc[last])
    if last == first:
        return 0.0
    if n_first <= 0:
        return float("nan")
    return (math.pow(n_last / n_first, 1.0 / (last - first)) - 1.0) * 100.0


def documents_per_year(works: pd.DataFrame) -> pd.DataFrame:
    """Documents per publication year over the whole timespan (years without documents get 0)."""
    years = works["year"].dropna().to_numpy(dtype=np.int64)
    if len(years) == 0:
        return pd.DataFrame({"year": pd.Series(dtype="Int64"), "documents": pd.Series(dtype="Int64")})
    first = int(years.min())
    counts = np.bincount(years - first)
    return pd.DataFrame({"year": pd.array(np.arange(first, first + len(counts)), dtype="Int64"),
                         "documents": pd.array(counts, dtype="Int64")})


def citations_per_year(works: pd.DataFrame, reference_year: int | None = None) -> pd.DataFrame:
    """Per publication year: documents, mean citations per document and per citable year.

    Citable years = ``reference_year - year + 1`` (bibliometrix uses the current year; here it is an explicit
    argument, by default the last year of the corpus, so the output does not change with the calendar).
    """
    w = works.dropna(subset=["year"])
    if w.empty:
        return pd.DataFrame(columns=["year", "documents", "mean_citations_per_doc", "citable_years",
                                     "mean_citations_per_year"])
    ref = int(reference_year) if reference_year is not None else int(w["year"].max())
    g = w.groupby(w["year"].astype(int))
    out = pd.DataFrame({
        "documents": g.size(),
        "mean_citations_per_doc": g["cited_by"].apply(lambda s: s.astype("Float64").mean()).astype(float),
    })
    out.index.name = "year"
    out = out.reset_index()
    out["citable_years"] = ref - out["year"] + 1
    out["mean_citations_per_year"] = out["mean_citations_per_doc"] / out["citable_years"].where(
        out["citable_years"] > 0)
    return out


def _distinct(values) -> int:
    """Number of distinct non-missing values of an Arrow array."""
    import pyarrow.compute as pc

    return int(pc.count_distinct(values, mode="only_valid").as_py())


def main_information_dict(bank: Bank) -> dict[str, object]:
    """The summary numbers as a flat dict (JSON-ready: NaN → None)."""
    import pyarrow.compute as pc

    works, auth, kw = bank.works, bank.authorships, bank.keywords
    docs = len(works)
    per_year = documents_per_year(works)
    years = works["year"].dropna()
    sources = _distinct(fold_arrow(arrow_strings(works["source_title"])))
    author_keys = fold_arrow(arrow_strings(auth["author"]))
    work_of, _ = pd.factorize(auth["work_id"])  # authorship -> its work (codes 0..k-1)
    n_auth = np.bincount(work_of) if len(work_of) else np.zeros(0, dtype=np.int64)
    single = int((works["n_authors"] == 1).sum())
    in_single = n_auth[work_of] == 1
    # countries: distinct countries per work, and whether every author of a multi-author work has one
    has_country = auth["country"].notna().to_numpy()
    country_codes, _ = pd.factorize(auth["country"])
    stride = int(country_codes.max()) + 2 if len(country_codes) else 1
    pairs = np.unique(work_of[has_country].astype(np.int64) * stride + country_codes[has_country])
    n_countries = np.bincount(pairs // stride, minlength=len(n_auth))
    with_country = np.bincount(work_of[has_country], minlength=len(n_auth))
    multi = n_auth > 1
    covered = float((with_country[multi] == n_auth[multi]).mean()) if multi.any() else 1.0
    cited = works["cited_by"].astype("Float64")
    agr = annual_growth_rate(per_year.set_index("year")["documents"]) if len(per_year) else float("nan")
    doc_types = works["doc_type"].astype("string").str.lower().value_counts().sort_index()
    kind = arrow_strings(kw["kind"])
    keyword_keys = arrow_strings(kw["keyword_key"])
    out: dict[str, object] = {
        "documents": docs,
        "sources": sources,
        "year_min": int(years.min()) if len(years) else None,
        "year_max": int(years.max()) if len(years) else None,
        "annual_growth_rate_pct": None if math.isnan(agr) else round(agr, 2),
        "mean_citations_per_doc": None if cited.notna().sum() == 0 else round(float(cited.mean()), 2),
        "documents_with_citation_count": int(cited.notna().sum()),
        "index_keywords": _distinct(pc.filter(keyword_keys, pc.equal(kind, "index"))),
        "author_keywords": _distinct(pc.filter(keyword_keys, pc.equal(kind, "author"))),
        "authors": _distinct(author_keys),
        "author_appearances": int(len(auth)),
        "authors_of_single_authored_docs": _distinct(pc.filter(author_keys, in_single)),
        "single_authored_docs": single,
        "coauthors_per_doc": round(len(auth) / docs, 2) if docs else None,
        "international_coauthorships_pct": (round(float((n_countries >= 2).sum()) / docs * 100, 2)
                                            if docs and covered >= 0.5 else None),
        "country_coverage_pct": round(covered * 100, 2),
        "document_types": {str(k): int(v) for k, v in doc_types.items()},
        "files": int(len(bank.ledger)),
        "records_read": int(bank.ledger["read"].sum()),
        "duplicates_removed": int(bank.ledger["merged"].sum()),
        "duplicates_by_doi": int((bank.duplicates["rule"] == "doi").sum()),
        "duplicates_by_title": int((bank.duplicates["rule"] == "title_year_author").sum()),
        "records_rejected": int(bank.ledger["rejected"].sum()),
    }
    return out


# (section, key, English label as printed by bibliometrix, French label for reports)
MAIN_INFORMATION_ROWS: list[tuple[str, str, str, str]] = [
    ("main", "timespan", "Timespan", "Période"),
    ("main", "sources", "Sources (Journals, Books, etc)", "Sources (revues, livres, etc.)"),
    ("main", "documents", "Documents", "Documents"),
    ("main", "annual_growth_rate_pct", "Annual Growth Rate %", "Taux de croissance annuel (%)"),
    ("main", "mean_citations_per_doc", "Average citations per doc", "Citations moyennes par document"),
    ("contents", "index_keywords", "Keywords Plus (ID)", "Mots-clés indexés (ID)"),
    ("contents", "author_keywords", "Author's Keywords (DE)", "Mots-clés d'auteur (DE)"),
    ("authors", "authors", "Authors", "Auteurs"),
    ("authors", "author_appearances", "Author Appearances", "Apparitions d'auteurs"),
    ("authors", "authors_of_single_authored_docs", "Authors of single-authored docs",
     "Auteurs de documents à auteur unique"),
    ("collaboration", "single_authored_docs", "Single-authored docs", "Documents à auteur unique"),
    ("collaboration", "coauthors_per_doc", "Co-Authors per Doc", "Coauteurs par document"),
    ("collaboration", "international_coauthorships_pct", "International co-authorships %",
     "Cosignatures internationales (%)"),
]


def main_information(bank: Bank) -> pd.DataFrame:
    """Rows in the order bibliometrix prints its "MAIN INFORMATION ABOUT DATA" block, then document types.

    Columns: section, key, label (English, bibliometrix wording), label_fr, value (number or text).
    """
    info = main_information_dict(bank)
    rows = []
    for section, key, label, label_fr in MAIN_INFORMATION_ROWS:
        if key == "timespan":
            value: object = (f"{info['year_min']}:{info['year_max']}" if info["year_min"] is not None else None)
        else:
            value = info[key]
        rows.append({"section": section, "key": key, "label": label, "label_fr": label_fr, "value": value})
    for dt, n in info["document_types"].items():  # type: ignore[union-attr]
        rows.append({"section": "document_types", "key": f"doc_type:{dt}", "label": dt, "label_fr": dt,
                     "value": n})
    return pd.DataFrame(rows, columns=["section", "key", "label", "label_fr", "value"])
