"""The inventory of research problems: for each practice domain (a theme of the dictionary), what the practices show
and what the literature covers, with the evidence (counts, shares, researchers, keywords, example works).

Built on the public functions of :mod:`analysis.vigie.priorities` (the gap score is theirs: *practice share −
literature share*); this module adds the evidence a reader needs to judge a problem, not only its name:

- :func:`compute_problem_domains`: per theme, the practices and works it holds, both shares, the gap, a ``status``
  code, the practices' ids and how many distinct sources (cases, roadmap levers) they come from;
- :func:`compute_problem_examples`: per theme, a few works of the literature (most cited, then most recent);
- :func:`compute_problem_keywords`: per theme, the keywords its works use most.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.checks import require_positive, require_type
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.practices import practice_sources
from analysis.vigie.priorities import compute_theme_gaps
from analysis.vigie.themes import ThemeDictionary

#: What a domain's evidence says (codes; the report names them), in the order the inventory lists them.
STATUSES = ("thin_research", "covered", "research_only", "absent")


def _status(n_practices: int, n_works: int, gap: float) -> str:
    if n_practices > 0:
        return "thin_research" if gap > 0 else "covered"
    return "research_only" if n_works > 0 else "absent"


def compute_problem_domains(practices: pd.DataFrame, practice_themes: pd.DataFrame, work_themes: pd.DataFrame,
                            themes: ThemeDictionary, capacity: pd.Series | None = None) -> pd.DataFrame:
    """Per practice domain (theme): practice vs literature, with the counts behind each share.

    Status: ``thin_research`` (practices on the theme and a positive gap: practice ahead of research, a research
    problem), ``covered`` (practices, and the literature's share at least as large), ``research_only`` (works but no
    practice in the inventory), ``absent`` (neither).

    Parameters
    ----------
    practices : DataFrame
        The practice inventory (:func:`analysis.vigie.load_practices`).
    practice_themes : DataFrame
        :func:`analysis.vigie.compute_practice_themes` of the inventory.
    work_themes : DataFrame
        :func:`analysis.vigie.compute_work_themes` of the bank (the literature).
    themes : ThemeDictionary
    capacity : Series, optional
        Québec researchers per theme (:func:`analysis.vigie.compute_theme_capacity`).

    Returns
    -------
    DataFrame
        ``theme``, ``issue``, ``status``, ``n_practices``, ``practice_share``, ``n_works``, ``literature_share``,
        ``gap`` (practice − literature share), ``n_themed_works`` (works with at least one theme),
        ``practice_ids`` (``"; "``-joined), ``n_cases``, ``n_levers`` (distinct cases and roadmap levers the
        practices come from), ``n_researchers``; by status (:data:`STATUSES`), then gap (largest first), then
        works (most first), then theme id.
    """
    require_table(practices, "practices", ("practice_id", "case_id", "source_doc", "source_section", "seed_lines"))
    require_table(practice_themes, "practice_themes", ("practice_id", "theme"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    if capacity is not None:
        require_type(capacity, pd.Series, "capacity", hint="vigie.compute_theme_capacity() gives it")
    gaps = compute_theme_gaps(practice_themes, int(practices["practice_id"].nunique()), work_themes, themes)
    sources = practice_sources(practices).set_index("practice_id")
    pt = practice_themes.drop_duplicates(["practice_id", "theme"]).join(sources[["case_id", "lever"]],
                                                                         on="practice_id")
    pt = pt.sort_values(["theme", "practice_id"], kind="mergesort")
    ids = pt.groupby("theme")["practice_id"].agg("; ".join)
    n_cases = pt.groupby("theme")["case_id"].nunique()
    n_levers = pt.groupby("theme")["lever"].nunique()
    out = gaps.copy()
    out["status"] = [_status(p, w, g) for p, w, g in zip(out["n_practices"], out["n_works"], out["gap"])]
    out["n_themed_works"] = int(work_themes["work_id"].nunique())
    out["practice_ids"] = out["theme"].map(ids).fillna("")
    out["n_cases"] = out["theme"].map(n_cases).fillna(0).astype(int)
    out["n_levers"] = out["theme"].map(n_levers).fillna(0).astype(int)
    cap = capacity if capacity is not None else pd.Series(dtype=int)
    out["n_researchers"] = out["theme"].map(lambda t: int(cap.get(t, 0)))
    out["_s"] = out["status"].map({s: i for i, s in enumerate(STATUSES)})
    out = out.sort_values(["_s", "gap", "n_works", "theme"], ascending=[True, False, False, True], kind="mergesort")
    cols = ["theme", "issue", "status", "n_practices", "practice_share", "n_works", "literature_share", "gap",
            "n_themed_works", "practice_ids", "n_cases", "n_levers", "n_researchers"]
    return out[cols].reset_index(drop=True)


def compute_problem_examples(works: pd.DataFrame, work_themes: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Per theme, ``n`` works of the literature to read first: most cited, then most recent, then by id.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``work_id``, ``title``, ``year``, ``doi``, ``cited_by``).
    work_themes : DataFrame
        :func:`analysis.vigie.compute_work_themes` of the bank.
    n : int
        Works per theme.

    Returns
    -------
    DataFrame
        ``theme``, ``rank`` (1…n), ``work_id``, ``title``, ``year``, ``doi``, ``cited_by``; by theme, then rank.
    """
    require_table(works, "works", ("work_id", "title", "year", "doi", "cited_by"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    require_count(n, "n")
    cols = ["theme", "rank", "work_id", "title", "year", "doi", "cited_by"]
    w = work_themes[["work_id", "theme"]].drop_duplicates().merge(
        works[["work_id", "title", "year", "doi", "cited_by"]], on="work_id")
    if w.empty:
        return pd.DataFrame(columns=cols)
    w["_c"] = w["cited_by"].astype("Float64").fillna(-1)
    w["_y"] = w["year"].astype("Float64").fillna(-1)
    w = w.sort_values(["theme", "_c", "_y", "work_id"], ascending=[True, False, False, True], kind="mergesort")
    w = w.groupby("theme", sort=False).head(n).copy()
    w["rank"] = w.groupby("theme", sort=False).cumcount() + 1
    return w[cols].reset_index(drop=True)


def compute_problem_keywords(work_keywords: pd.DataFrame, work_themes: pd.DataFrame, n: int = 5,
                             max_share: float = 0.05) -> pd.DataFrame:
    """Per theme, the keywords most of its works carry, leaving out the corpus's own vocabulary: keywords found on
    at least ``max_share`` of the bank's works with keywords (e.g. the words of the export's query). Author
    keywords when the bank has them, else index keywords; ties by keyword.

    Parameters
    ----------
    work_keywords : DataFrame
        The bank's keywords (``bank.work_keywords``: work_id, keyword, keyword_key, kind).
    work_themes : DataFrame
        :func:`analysis.vigie.compute_work_themes` of the bank.
    n : int
        Keywords per theme.
    max_share : float
        Keywords on this share of the works or more are left out (0 < max_share <= 1).

    Returns
    -------
    DataFrame
        ``theme``, ``keyword`` (its most frequent spelling), ``n_works``; by theme, then works (most first).
    """
    require_table(work_keywords, "work_keywords", ("work_id", "keyword", "keyword_key", "kind"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    require_count(n, "n")
    require_positive(max_share, "max_share")
    cols = ["theme", "keyword", "n_works"]
    kw = work_keywords
    if (kw["kind"] == "author").any():
        kw = kw[kw["kind"] == "author"]
    overall = kw.groupby("keyword_key")["work_id"].nunique()
    n_with = max(int(kw["work_id"].nunique()), 1)
    common = set(overall[overall / n_with >= max_share].index)
    kw = kw[~kw["keyword_key"].isin(common)]
    k = kw[["work_id", "keyword", "keyword_key"]].merge(work_themes[["work_id", "theme"]].drop_duplicates(),
                                                        on="work_id")
    if k.empty:
        return pd.DataFrame(columns=cols)
    counts = k.groupby(["theme", "keyword_key"])["work_id"].nunique().rename("n_works").reset_index()
    spelling = k.groupby(["keyword_key", "keyword"]).size().rename("n").reset_index()
    spelling = spelling.sort_values(["keyword_key", "n", "keyword"], ascending=[True, False, True], kind="mergesort")
    spelling = spelling.drop_duplicates("keyword_key").set_index("keyword_key")["keyword"]
    counts["keyword"] = counts["keyword_key"].map(spelling)
    counts = counts.sort_values(["theme", "n_works", "keyword_key"], ascending=[True, False, True], kind="mergesort")
    return counts.groupby("theme", sort=False).head(n)[cols].reset_index(drop=True)


__all__ = ["STATUSES", "compute_problem_domains", "compute_problem_examples", "compute_problem_keywords"]
