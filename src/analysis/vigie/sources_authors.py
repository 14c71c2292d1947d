"""Sources, authors and countries of the publication bank: top lists, within-corpus h-index, Lotka, Bradford.

The h-index here is computed from the citation counts stored in the bank (``cited_by``), so it measures an
author's weight *within the corpus*, not their career. Lotka's law and Bradford's zones describe how concentrated
production is among authors and sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.text import fold_series
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.names import country_of, source_key_series


def h_index(citations) -> int:
    """Largest h such that h works have at least h citations each (missing counts ignored).

    Parameters
    ----------
    citations : sequence of numbers
        Citation counts of an author's works.

    Returns
    -------
    int

    References
    ----------
    Hirsch, J. E. (2005). An index to quantify an individual's scientific research output. *PNAS*, 102(46),
    16569–16572.
    """
    c = pd.Series(citations, dtype="Float64").dropna().astype(float).to_numpy()
    c = np.sort(c)[::-1]
    return int(np.sum(c >= np.arange(1, len(c) + 1)))


def h_index_by_group(df: pd.DataFrame, key: str, cites: str = "cited_by") -> pd.Series:
    """Vectorised :func:`h_index` per ``key`` (same result as applying it group by group; 0 without counts).

    Parameters
    ----------
    df : DataFrame
    key : str
        The group column.
    cites : str
        The citation column.

    Returns
    -------
    Series
    """
    d = df[[key, cites]].copy()
    d["c"] = d[cites].astype("Float64").fillna(-1).astype(float)
    d = d.sort_values([key, "c"], ascending=[True, False], kind="mergesort")
    d["r"] = d.groupby(key).cumcount() + 1
    h = (d["c"] >= d["r"]).groupby(d[key]).sum().astype(int)
    return h


def has_citations(works: pd.DataFrame) -> bool:
    """True when at least one work carries a citation count (some exports give none).

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).

    Returns
    -------
    bool
    """
    require_table(works, "works")
    return "cited_by" in works.columns and bool(works["cited_by"].notna().any())


def author_key_series(authorships: pd.DataFrame) -> pd.Series:
    """Identity of an author: the source's author id when present, else the folded full name, else the short name.

    Parameters
    ----------
    authorships : DataFrame

    Returns
    -------
    Series
    """
    full = (authorships["author_full"] if "author_full" in authorships.columns
            else pd.Series(None, index=authorships.index))
    name = full.where(full.notna(), authorships["author"])
    key = fold_series(name).astype(object).where(name.notna(), None)
    if "author_id" in authorships.columns:
        aid = authorships["author_id"].astype(object)
        key = aid.where(aid.notna() & (aid.astype(str) != ""), key).map(lambda v: None if v is None else str(v))
    return key


def most_frequent(df: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Per ``key``, its most frequent non-missing ``value`` (ties: the smallest in sort order).

    Parameters
    ----------
    df : DataFrame
    key, value : str

    Returns
    -------
    Series
        Indexed by ``key``.
    """
    d = df[[key, value]].dropna()
    n = d.groupby([key, value]).size().rename("n").reset_index()
    n = n.sort_values([key, "n", value], ascending=[True, False, True], kind="mergesort")
    return n.drop_duplicates(key).set_index(key)[value]


def _sources(works: pd.DataFrame) -> pd.DataFrame:
    """Works with a source, with its key (:func:`analysis.vigie.names.source_key_arrow`) and the display name of
    that key: its most frequent spelling among the works (ties: the first in sort order)."""
    w = works.dropna(subset=["source_title"]).copy()
    w["source_key"] = source_key_series(w["source_title"])
    w = w.dropna(subset=["source_key"])
    w["source"] = w["source_key"].map(most_frequent(w, "source_key", "source_title"))
    return w


def compute_top_sources(works: pd.DataFrame, n: int | None = 10) -> pd.DataFrame:
    """The most productive sources: works per source (ties by name), with their citations.

    Sources are grouped on the same key as the summary's source count (:func:`analysis.vigie.names.source_key_arrow`:
    case, accents and punctuation folded, "&" read as "and"), so "JOURNAL OF X" and "Journal of X" are one source,
    shown with its most frequent spelling.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``), with work_id, source_title and cited_by.
    n : int or None
        Rows kept (None: all).

    Returns
    -------
    DataFrame
        ``source``, ``n_works``, ``share`` (of all works), ``citations`` (missing when the bank has no counts).

    Raises
    ------
    ParameterError
        When ``works`` is not the works table (e.g. the bank itself).
    """
    require_table(works, "works", ("work_id", "source_title"))
    require_count(n, "n", allow_none=True)
    w = _sources(works)
    citations = ("cited_by", lambda s: s.sum(min_count=1)) if "cited_by" in w else ("work_id", "size")
    g = w.groupby("source").agg(n_works=("work_id", "nunique"), citations=citations).reset_index()
    if not has_citations(works):
        g["citations"] = pd.NA
    g = g.sort_values(["n_works", "source"], ascending=[False, True], kind="mergesort")
    g["share"] = g["n_works"] / max(int(works["work_id"].nunique()), 1)
    g = g if n is None else g.head(n)
    return g.reset_index(drop=True)[["source", "n_works", "share", "citations"]]


def compute_author_table(authorships: pd.DataFrame, works: pd.DataFrame) -> pd.DataFrame:
    """Every author with their works, fractional count, citations, within-corpus h-index and years.

    An author is identified by the source's author id when present, else the folded full name, else the short
    name (:func:`author_key_series`).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    works : DataFrame
        The bank's works (``bank.works``), for years and citations.

    Returns
    -------
    DataFrame
        ``key``, ``author`` (most frequent short name), ``author_full``, ``n_works``, ``fractional`` (Σ 1/n authors),
        ``citations`` and ``h_index`` (missing without citation counts), ``first_year``, ``last_year``; sorted by
        works, fractional count (desc.) and name.
    """
    require_table(authorships, "authorships", ("work_id", "author"))
    require_table(works, "works", ("work_id", "year"))
    a = authorships.dropna(subset=["author"]).copy()
    a["key"] = author_key_series(a)
    a = a.drop_duplicates(["work_id", "key"])
    n_auth = a.groupby("work_id")["key"].transform("size")
    a["frac"] = 1.0 / n_auth
    cols = ["work_id", "year"] + (["cited_by"] if "cited_by" in works.columns else [])
    # the works' years and citations are the reference: the same columns in the authorships (a researcher's own
    # table) would otherwise come back suffixed "_x"/"_y" from the merge and the grouping below would not find them
    a = a.drop(columns=[c for c in cols[1:] if c in a.columns]).merge(works[cols], on="work_id", how="left")
    cited = has_citations(works)
    a["disp"] = a["author_full"].where(a["author_full"].notna(), a["author"]) if "author_full" in a else a["author"]
    name = most_frequent(a, "key", "disp")
    short = most_frequent(a, "key", "author")
    g = a.groupby("key").agg(n_works=("work_id", "nunique"), fractional=("frac", "sum"),
                             first_year=("year", "min"), last_year=("year", "max"))
    if cited:
        g["citations"] = a.groupby("key")["cited_by"].sum(min_count=1)
        g["h_index"] = h_index_by_group(a, "key", "cited_by")
    else:
        g["citations"] = pd.NA
        g["h_index"] = pd.NA
    g["author"] = short
    g["author_full"] = name
    g = g.reset_index().sort_values(["n_works", "fractional", "author"], ascending=[False, False, True],
                                    kind="mergesort")
    return g[["key", "author", "author_full", "n_works", "fractional", "citations", "h_index", "first_year",
              "last_year"]].reset_index(drop=True)


def compute_lotka(authorships: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Lotka's law: authors by number of works x, and the fit log10(authors) = log10(C) − β·log10(x) (OLS).

    The expected shares at β = 2 are those of Lotka's inverse-square law truncated to the observed range:
    ``x⁻² / H(x_max, 2)`` with ``H(x_max, 2) = Σ_{k=1}^{x_max} k⁻²`` (the generalised harmonic number), so they add
    up to 100 % over x = 1 … x_max (the table lists the x that some author has; a missing x would hold the rest).
    bibliometrix's ``lotka()`` instead anchors the β = 2 curve on the fitted constant, and an earlier version here on
    the observed share of single-work authors: neither adds up to 100 % (about 129 % over a typical table).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).

    Returns
    -------
    table : DataFrame
        ``n_works`` (x), ``n_authors``, ``share`` (observed), ``expected_fit`` (share with the fitted β and C) and
        ``expected_lotka2`` (share under the inverse-square law truncated to 1 … x_max).
    fit : dict
        ``beta``, ``c``, ``r2`` (NaN with fewer than two distinct x), ``n_authors``, ``share_single``,
        ``x_max`` and ``lotka2_single`` (the share of single-work authors the truncated law expects,
        ``1 / H(x_max, 2)``).

    References
    ----------
    Lotka, A. J. (1926). The frequency distribution of scientific productivity. *Journal of the Washington
    Academy of Sciences*, 16(12), 317–323.
    Pao, M. L. (1985). Lotka's law: a testing procedure. *Information Processing & Management*, 21(4), 305–320.
    """
    require_table(authorships, "authorships", ("work_id", "author"))
    a = authorships.dropna(subset=["author"]).copy()
    a["key"] = author_key_series(a)
    per_author = a.drop_duplicates(["work_id", "key"]).groupby("key")["work_id"].nunique()
    dist = per_author.value_counts().sort_index()
    table = pd.DataFrame({"n_works": dist.index.astype(int), "n_authors": dist.to_numpy().astype(int)})
    total = int(table["n_authors"].sum())
    fit = {"beta": np.nan, "c": np.nan, "r2": np.nan, "n_authors": total,
           "share_single": float(table.loc[table["n_works"] == 1, "n_authors"].sum() / total) if total else np.nan}
    table["share"] = table["n_authors"] / total if total else np.nan
    if len(table) >= 2:
        lx = np.log10(table["n_works"].to_numpy(float))
        ly = np.log10(table["n_authors"].to_numpy(float))
        slope, intercept = np.polyfit(lx, ly, 1)
        pred = intercept + slope * lx
        ss_res = float(np.sum((ly - pred) ** 2))
        ss_tot = float(np.sum((ly - ly.mean()) ** 2))
        fit.update(beta=float(-slope), c=float(10 ** intercept), r2=1 - ss_res / ss_tot if ss_tot > 0 else np.nan)
        table["expected_fit"] = (10 ** pred) / total
    else:
        table["expected_fit"] = np.nan
    x_max = int(table["n_works"].max()) if total else 0
    harmonic = float(np.sum(1.0 / np.arange(1, x_max + 1) ** 2)) if x_max else np.nan
    table["expected_lotka2"] = (1.0 / table["n_works"] ** 2) / harmonic if total else np.nan
    fit.update(x_max=x_max, lotka2_single=1.0 / harmonic if total else np.nan)
    return table, fit


def compute_bradford(works: pd.DataFrame) -> pd.DataFrame:
    """Bradford zones: sources by works (desc., ties by name); a source is in zone 1 + ⌊3 × works before it / N⌋.

    So each zone gathers about a third of the N works, and the first (most productive) source is always in zone 1.
    Sources are grouped on the summary's source key, as in :func:`compute_top_sources`.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).

    Returns
    -------
    DataFrame
        ``source``, ``n_works``, ``rank``, ``cumulative`` (works), ``zone`` (1–3).

    References
    ----------
    Bradford, S. C. (1934). Sources of information on specific subjects. *Engineering*, 137, 85–86.
    """
    require_table(works, "works", ("work_id", "source_title"))
    w = _sources(works)
    g = w.groupby("source")["work_id"].nunique().rename("n_works").reset_index()
    g = g.sort_values(["n_works", "source"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    n = int(g["n_works"].sum())
    g["rank"] = np.arange(1, len(g) + 1)
    g["cumulative"] = g["n_works"].cumsum()
    before = g["cumulative"] - g["n_works"]
    g["zone"] = (1 + np.floor(3 * before / n)).astype(int).clip(upper=3) if n else 1
    return g


def compute_bradford_zones(bradford: pd.DataFrame) -> pd.DataFrame:
    """Per Bradford zone: number of sources, number of works, share of works.

    Parameters
    ----------
    bradford : DataFrame
        The output of :func:`compute_bradford`.

    Returns
    -------
    DataFrame
        ``zone``, ``n_sources``, ``n_works``, ``share``.

    References
    ----------
    Bradford, S. C. (1934). Sources of information on specific subjects. *Engineering*, 137, 85–86.
    """
    require_table(bradford, "bradford", ("source", "n_works", "zone"))
    z = bradford.groupby("zone").agg(n_sources=("source", "size"), n_works=("n_works", "sum")).reset_index()
    z["share"] = z["n_works"] / z["n_works"].sum()
    return z


def affiliation_coverage(authorships: pd.DataFrame) -> dict:
    """How much of the bank can be placed on a map (exports differ: some give no per-author address).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).

    Returns
    -------
    dict
        ``n_authorships``, ``share_with_affiliation``, ``share_with_country``, ``n_works`` and
        ``share_works_with_country`` (works with at least one known country, see :func:`work_countries`).
    """
    require_table(authorships, "authorships", ("work_id", "affiliation", "country"))
    n = len(authorships)
    works = authorships["work_id"].nunique()
    with_country = work_countries(authorships)["work_id"].nunique()
    return {"n_authorships": int(n),
            "share_with_affiliation": float(authorships["affiliation"].notna().mean()) if n else float("nan"),
            "share_with_country": float(authorships["country"].notna().mean()) if n else float("nan"),
            "n_works": int(works), "share_works_with_country": with_country / works if works else float("nan")}


def work_countries(authorships: pd.DataFrame) -> pd.DataFrame:
    """(work_id, country) pairs: every country of every author — the authorships' ``countries`` (all the
    author's affiliations: Web of Science lists an author under several addresses, Scopus joins them) or, without
    it, ``country`` — plus the country of every address of an affiliation that lists several ("A, Boston, United
    States; B, Surrey, Canada"): some exports attach one list of addresses to the whole record, and its countries
    are still the work's countries.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).

    Returns
    -------
    DataFrame
        ``work_id``, ``country``, sorted, without duplicates.
    """
    require_table(authorships, "authorships", ("work_id", "affiliation", "country"))
    base = authorships.dropna(subset=["country"])[["work_id", "country"]].astype({"country": object})
    if "countries" in authorships.columns:
        every = authorships.dropna(subset=["countries"])[["work_id", "countries"]]
        every = every.assign(country=every["countries"].astype(str).str.split("; ")).explode("country")
        base = pd.concat([base, every[["work_id", "country"]].astype({"country": object})], ignore_index=True)
    multi = authorships.dropna(subset=["affiliation"])
    multi = multi[multi["affiliation"].astype(str).str.contains(";", regex=False)][["work_id", "affiliation"]]
    extra = []
    if len(multi):
        parts = {aff: [c for c in (country_of(p) for p in str(aff).split(";")) if c]
                 for aff in multi["affiliation"].drop_duplicates().tolist()}
        for wid, aff in multi.drop_duplicates().itertuples(index=False, name=None):
            extra += [(wid, c) for c in parts[aff]]
    out = pd.concat([base, pd.DataFrame(extra, columns=["work_id", "country"])], ignore_index=True)
    return out.drop_duplicates().sort_values(["work_id", "country"]).reset_index(drop=True)


def compute_countries(authorships: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Countries by number of works (whole counting: a work counts once for each of its countries), with how many
    of those works are single-country and multi-country.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    n : int or None
        Rows kept (None: all).

    Returns
    -------
    DataFrame
        ``country``, ``n_works``, ``n_single``, ``n_multi``, ``share_multi``; by works (desc.) then name.
    """
    require_count(n, "n", allow_none=True)
    a = work_countries(authorships)
    n_countries = a.groupby("work_id")["country"].nunique()
    a = a.assign(multi=a["work_id"].map(n_countries) > 1)
    g = a.groupby("country").agg(n_works=("work_id", "nunique"), n_multi=("multi", "sum")).reset_index()
    g["n_single"] = g["n_works"] - g["n_multi"]
    g["share_multi"] = g["n_multi"] / g["n_works"]
    g = g.sort_values(["n_works", "country"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    g = g[["country", "n_works", "n_single", "n_multi", "share_multi"]]
    return g if n is None else g.head(n)


def international_collaboration(authorships: pd.DataFrame) -> dict:
    """Works with at least one known country, those with two or more countries, and their share.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).

    Returns
    -------
    dict
        ``n_with_country``, ``n_multi_country``, ``share_multi_country`` (NaN without any country).
    """
    per = work_countries(authorships).groupby("work_id")["country"].nunique()
    n_known = int(len(per))
    n_multi = int((per > 1).sum())
    return {"n_with_country": n_known, "n_multi_country": n_multi,
            "share_multi_country": n_multi / n_known if n_known else float("nan")}
