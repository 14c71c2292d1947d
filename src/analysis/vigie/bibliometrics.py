"""Main information about a publication bank, with bibliometrix's definitions so numbers can be compared.

bibliometrix (``biblioAnalysis`` + ``summary``) definitions used here (``docs/definitions.md`` says where they
differ and why):

- Documents: number of works (after deduplication). Sources: distinct source keys
  (:func:`analysis.vigie.names.source_key_arrow`: "&" read as "and", accents, case and punctuation folded).
- Authors: distinct normalised author names ("Last, F.", folded: "Martí, I." and "Marti, I." are one author, so
  the count is at most bibliometrix's). Author appearances: authorship rows.
- Co-authors per document: author appearances / documents. Single-authored documents: works with one author.
- Annual growth rate %: ``((n_last / n_first) ** (1 / (last_year - first_year)) - 1) * 100`` with the
  document counts of the first and last year of the timespan (bibliometrix's figure, kept for comparison; it
  rests on two years only, and the last year of an export is often incomplete). :func:`production_summary`
  also gives both counts and a trend over every year (:func:`annual_growth_rate_trend`).
- Average citations per document: mean of ``cited_by`` over works that have a count (missing ignored).
- International co-authorships %: share of works whose authors' affiliations — every affiliation of every
  author (the ``countries`` of the authorships) — name at least two countries; reported as missing (None) when
  fewer than half of the multi-author works have a country for every author (e.g. Scopus BibTeX, which lists
  affiliations without saying whose they are), rather than a false 0 %.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.checks import describe
from analysis.core.errors import ParameterError
from analysis.core.text import arrow_strings, fold_arrow
from analysis.vigie.arguments import require_bank, require_choice, require_count, require_table
from analysis.vigie.names import source_key_arrow

if TYPE_CHECKING:  # bank.py imports this module for the Bank's methods: the type only, no import cycle
    from analysis.vigie.bank import Bank


def _counts_by_year(counts_by_year: pd.Series | dict[int, int]) -> pd.Series:
    """The counts of the growth-rate functions as floats indexed by integer year, missing counts dropped; a
    DataFrame or anything but a Series or dict is refused naming ``counts_by_year``."""
    if isinstance(counts_by_year, pd.DataFrame) or not isinstance(counts_by_year, (pd.Series, dict)):
        raise ParameterError(f"expected a Series or dict of counts by year, got {describe(counts_by_year)}",
                             field="counts_by_year")
    s = pd.Series(counts_by_year, dtype="float64").dropna()
    s.index = s.index.astype(int)
    return s


def annual_growth_rate(counts_by_year: pd.Series | dict[int, int]) -> float:
    """Annual growth rate (%) of the number of documents, as bibliometrix defines it.

    ``((n_last / n_first) ** (1 / (last_year - first_year)) - 1) * 100`` with the counts of the first and last
    year of the timespan.

    Parameters
    ----------
    counts_by_year : Series or dict
        Document counts indexed by year.

    Returns
    -------
    float
        The rate in percent; 0 for a single year; NaN without usable years or with no document the first year.

    References
    ----------
    Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
    *Journal of Informetrics*, 11(4), 959–975.
    """
    s = _counts_by_year(counts_by_year)
    if s.empty:
        return float("nan")
    first, last = int(s.index.min()), int(s.index.max())
    n_first, n_last = float(s.loc[first]), float(s.loc[last])
    if last == first:
        return 0.0
    if n_first <= 0:
        return float("nan")
    return (math.pow(n_last / n_first, 1.0 / (last - first)) - 1.0) * 100.0


def annual_growth_rate_trend(counts_by_year: pd.Series | dict[int, int]) -> float:
    """Annual growth rate (%) of the number of documents from a log-linear trend over every year of the timespan.

    A Poisson regression ``log E[n_t] = a + b t`` fitted by maximum likelihood (iteratively reweighted least
    squares) over every year from the first to the last, years without documents included; the rate is
    ``(exp(b) - 1) * 100``. Unlike the first-to-last ratio (:func:`annual_growth_rate`, bibliometrix's figure), it
    uses every year, so a last year holding a few documents (an export made early in the year) moves it little.

    Parameters
    ----------
    counts_by_year : Series or dict
        Document counts indexed by year (missing years count 0).

    Returns
    -------
    float
        The rate in percent; NaN with fewer than two years or no document.

    References
    ----------
    McCullagh, P., & Nelder, J. A. (1989). *Generalized Linear Models* (2nd ed.), ch. 6 (log-linear models for
    counts). Chapman and Hall.
    """
    s = _counts_by_year(counts_by_year)
    if s.empty:
        return float("nan")
    years = np.arange(int(s.index.min()), int(s.index.max()) + 1)
    y = s.reindex(years, fill_value=0.0).to_numpy(dtype=float)
    if len(years) < 2 or y.sum() <= 0:
        return float("nan")
    x = np.column_stack([np.ones(len(years)), years - years.mean()])
    beta = np.array([math.log(y.mean()), 0.0])
    for _ in range(100):
        mu = np.exp(x @ beta)
        z = x @ beta + (y - mu) / mu
        step = np.linalg.solve(x.T @ (x * mu[:, None]), x.T @ (mu * z))
        if np.max(np.abs(step - beta)) < 1e-12:
            beta = step
            break
        beta = step
    return (math.exp(beta[1]) - 1.0) * 100.0


def documents_per_year(works: pd.DataFrame) -> pd.DataFrame:
    """Documents per publication year over the whole timespan (years without documents get 0).

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``), with a ``year`` column.

    Returns
    -------
    DataFrame
        ``year``, ``documents`` (both Int64), one row per year from the first to the last.
    """
    require_table(works, "works", ("year",))
    years = works["year"].dropna().to_numpy(dtype=np.int64)
    if len(years) == 0:
        return pd.DataFrame({"year": pd.Series(dtype="Int64"), "documents": pd.Series(dtype="Int64")})
    first = int(years.min())
    counts = np.bincount(years - first)
    return pd.DataFrame({"year": pd.array(np.arange(first, first + len(counts)), dtype="Int64"),
                         "documents": pd.array(counts, dtype="Int64")})


def production_summary(works: pd.DataFrame) -> dict[str, object]:
    """The timespan of the dated works, the annual growth rate and the most productive year.

    Parameters
    ----------
    works : DataFrame
        The bank's works, with a ``year`` column.

    Returns
    -------
    dict
        ``first_year``, ``last_year``, ``annual_growth_rate_pct`` (bibliometrix's first-to-last rate, float, NaN
        when undefined), ``first_year_documents`` and ``last_year_documents`` (the two counts it rests on),
        ``growth_trend_pct`` (:func:`annual_growth_rate_trend`, every year), ``peak_year`` and ``peak_documents``
        (the earliest year among ties); years are None without dated works.

    References
    ----------
    Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
    *Journal of Informetrics*, 11(4), 959–975.
    """
    per_year = documents_per_year(works)
    if per_year.empty:
        return {"first_year": None, "last_year": None, "annual_growth_rate_pct": float("nan"), "peak_year": None,
                "peak_documents": 0, "first_year_documents": 0, "last_year_documents": 0,
                "growth_trend_pct": float("nan")}
    peak = per_year.sort_values(["documents", "year"], ascending=[False, True]).iloc[0]
    counts = per_year.set_index("year")["documents"]
    return {"first_year": int(per_year["year"].min()), "last_year": int(per_year["year"].max()),
            "annual_growth_rate_pct": annual_growth_rate(counts),
            "peak_year": int(peak["year"]), "peak_documents": int(peak["documents"]),
            "first_year_documents": int(counts.iloc[0]), "last_year_documents": int(counts.iloc[-1]),
            "growth_trend_pct": annual_growth_rate_trend(counts)}


def citations_per_year(works: pd.DataFrame, reference_year: int | None = None) -> pd.DataFrame:
    """Per publication year: documents, mean citations per document and per citable year.

    Citable years = ``reference_year - year + 1`` (bibliometrix uses the current year; here it is an explicit
    argument, by default the last year of the corpus, so the output does not change with the calendar).

    Parameters
    ----------
    works : DataFrame
        The bank's works, with ``year`` and ``cited_by``.
    reference_year : int, optional
        The year citations are counted up to (default: the last year of the corpus).

    Returns
    -------
    DataFrame
        ``year``, ``documents``, ``mean_citations_per_doc``, ``citable_years``, ``mean_citations_per_year``.

    References
    ----------
    Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
    *Journal of Informetrics*, 11(4), 959–975.
    """
    require_table(works, "works", ("year", "cited_by"))
    w = works.dropna(subset=["year"])
    if w.empty:
        return pd.DataFrame(columns=["year", "documents", "mean_citations_per_doc", "citable_years",
                                     "mean_citations_per_year"])
    ref = int(reference_year) if reference_year is not None else int(w["year"].max())
    g = w.groupby(w["year"].astype(int))
    means = g["cited_by"].apply(lambda s: s.astype("Float64").mean())  # NA for a year without counts
    out = pd.DataFrame({
        "documents": g.size(),
        "mean_citations_per_doc": pd.Series(means.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                                            index=means.index),
    })
    out.index.name = "year"
    out = out.reset_index()
    out["citable_years"] = ref - out["year"] + 1
    out["mean_citations_per_year"] = out["mean_citations_per_doc"] / out["citable_years"].where(
        out["citable_years"] > 0)
    return out


def _countries_per_work(auth: pd.DataFrame, work_of: np.ndarray, n_works: int) -> np.ndarray:
    """Distinct countries of each work (codes ``work_of``) over every affiliation of every author: the
    ``countries`` column ("; "-joined), else ``country``."""
    column = auth["countries"].fillna(auth["country"]) if "countries" in auth.columns else auth["country"]
    values = arrow_strings(column)
    several = pc.fill_null(pc.match_substring(values, "; "), False).to_numpy(zero_copy_only=False)
    owner = work_of.astype(np.int64)
    if several.any():  # the few authors with several countries: one row per country
        lists = pc.split_pattern(pc.filter(values, pa.array(several)), pattern="; ")
        values = pa.concat_arrays([pc.filter(values, pa.array(~several)), pc.list_flatten(lists)])
        owner = np.r_[owner[~several], owner[several][pc.list_parent_indices(lists).to_numpy()]]
    codes = pc.fill_null(pc.dictionary_encode(values).indices, -1).to_numpy().astype(np.int64)
    known = codes >= 0
    if not known.any():
        return np.zeros(n_works, dtype=np.int64)
    stride = int(codes.max()) + 2
    pairs = np.unique(owner[known] * stride + codes[known])
    return np.bincount(pairs // stride, minlength=n_works)


def _distinct(values) -> int:
    """Number of distinct non-missing values of an Arrow array."""
    return int(pc.count_distinct(values, mode="only_valid").as_py())


def main_information_dict(bank: Bank) -> dict[str, object]:
    """The main information about a bank as a flat dict (JSON-ready: NaN → None), bibliometrix's definitions.

    Parameters
    ----------
    bank : Bank
        A publication bank (:func:`analysis.vigie.build_bank`).

    Returns
    -------
    dict
        documents, sources, year_min, year_max, annual_growth_rate_pct, mean_citations_per_doc,
        documents_with_citation_count, index_keywords, author_keywords, authors, author_appearances,
        authors_of_single_authored_docs, single_authored_docs, coauthors_per_doc, international_coauthorships_pct,
        country_coverage_pct, document_types, files, records_read, duplicates_removed, duplicates_by_doi,
        duplicates_by_title, records_rejected.

    Raises
    ------
    ParameterError
        When ``bank`` is not a bank (e.g. ``bank.works``).

    References
    ----------
    Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
    *Journal of Informetrics*, 11(4), 959–975 (``biblioAnalysis`` and ``summary``).
    """
    require_bank(bank)
    works, auth, kw = bank.works, bank.authorships, bank.work_keywords
    docs = len(works)
    per_year = documents_per_year(works)
    years = works["year"].dropna()
    sources = _distinct(source_key_arrow(arrow_strings(works["source_title"])))
    author_keys = fold_arrow(arrow_strings(auth["author"]))
    work_of, _ = pd.factorize(auth["work_id"])  # authorship -> its work (codes 0..k-1)
    n_auth = np.bincount(work_of) if len(work_of) else np.zeros(0, dtype=np.int64)
    single = int((works["n_authors"] == 1).sum())
    in_single = n_auth[work_of] == 1
    # countries: distinct countries per work (every affiliation of every author), and whether every author of a
    # multi-author work has one
    has_country = auth["country"].notna().to_numpy()
    n_countries = _countries_per_work(auth, work_of, len(n_auth))
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


# (section, key, label as bibliometrix prints it: the reference wording for comparisons; reports translate the key)
MAIN_INFORMATION_ROWS: list[tuple[str, str, str]] = [
    ("main", "timespan", "Timespan"),
    ("main", "sources", "Sources (Journals, Books, etc)"),
    ("main", "documents", "Documents"),
    ("main", "annual_growth_rate_pct", "Annual Growth Rate %"),
    ("main", "mean_citations_per_doc", "Average citations per doc"),
    ("contents", "index_keywords", "Keywords Plus (ID)"),
    ("contents", "author_keywords", "Author's Keywords (DE)"),
    ("authors", "authors", "Authors"),
    ("authors", "author_appearances", "Author Appearances"),
    ("authors", "authors_of_single_authored_docs", "Authors of single-authored docs"),
    ("collaboration", "single_authored_docs", "Single-authored docs"),
    ("collaboration", "coauthors_per_doc", "Co-Authors per Doc"),
    ("collaboration", "international_coauthorships_pct", "International co-authorships %"),
]


def main_information(bank: Bank) -> pd.DataFrame:
    """The "MAIN INFORMATION ABOUT DATA" block of bibliometrix, in its order, then the document types.

    Parameters
    ----------
    bank : Bank
        A publication bank (:func:`analysis.vigie.build_bank`).

    Returns
    -------
    DataFrame
        ``section``, ``key`` (stable code; document types as ``doc_type:<type>``), ``label`` (bibliometrix's
        English wording, or the document type), ``value`` (number, ``"first:last"`` for the timespan, or None).

    Raises
    ------
    ParameterError
        When ``bank`` is not a bank (e.g. ``bank.works``).

    References
    ----------
    Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
    *Journal of Informetrics*, 11(4), 959–975.
    """
    info = main_information_dict(bank)
    rows = []
    for section, key, label in MAIN_INFORMATION_ROWS:
        if key == "timespan":
            value: object = (f"{info['year_min']}:{info['year_max']}" if info["year_min"] is not None else None)
        else:
            value = info[key]
        rows.append({"section": section, "key": key, "label": label, "value": value})
    for dt, n in info["document_types"].items():  # type: ignore[union-attr]
        rows.append({"section": "document_types", "key": f"doc_type:{dt}", "label": dt, "value": n})
    return pd.DataFrame(rows, columns=["section", "key", "label", "value"])


def compute_top_keywords(work_keywords: pd.DataFrame, n: int | None = 20, kind: str | None = None) -> pd.DataFrame:
    """The most frequent keywords: works per folded keyword, with its most common spelling.

    Parameters
    ----------
    work_keywords : DataFrame
        The bank's long keyword table (``bank.work_keywords``).
    n : int or None
        Rows kept (None: all).
    kind : {"author", "index", None}
        Author keywords, index keywords, or both (a keyword counted once per work).

    Returns
    -------
    DataFrame
        ``keyword`` (most common spelling, ties: the first in sort order), ``keyword_key``, ``n_works``, ``share``
        (of the works having a keyword of that kind), sorted by works (desc.) then key.
    """
    require_table(work_keywords, "work_keywords", ("work_id", "keyword", "keyword_key", "kind"))
    require_choice(kind, "kind", ("author", "index", None))
    require_count(n, "n", allow_none=True)
    k = work_keywords if kind is None else work_keywords[work_keywords["kind"] == kind]
    k = k.dropna(subset=["keyword_key"])
    n_with = int(k["work_id"].nunique())
    counts = k.groupby("keyword_key")["work_id"].nunique().rename("n_works")
    spell = (k.groupby(["keyword_key", "keyword"]).size().rename("c").reset_index()
             .sort_values(["keyword_key", "c", "keyword"], ascending=[True, False, True], kind="mergesort")
             .drop_duplicates("keyword_key").set_index("keyword_key")["keyword"])
    out = counts.reset_index()
    out["keyword"] = out["keyword_key"].map(spell)
    out["share"] = out["n_works"] / n_with if n_with else float("nan")
    out = out.sort_values(["n_works", "keyword_key"], ascending=[False, True], kind="mergesort")
    out = out[["keyword", "keyword_key", "n_works", "share"]].reset_index(drop=True)
    return out if n is None else out.head(n)
