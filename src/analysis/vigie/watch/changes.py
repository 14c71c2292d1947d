"""What changed between two editions of the watch: new works by theme, new Québec researchers, themes whose trend
changed, works withdrawn or merged upstream, and the citation counts that moved most.

Works are matched across editions by what identifies them outside one bank (bank ``work_id`` values are numbered
anew in every edition): their OpenAlex ids, their DOI, and their folded title with the year (titles of at least
:data:`analysis.vigie.dedupe.MIN_TITLE_KEY` characters, as the bank's own deduplication). A work of the current
edition is *new* when none of these keys was in the previous one. Free OpenAlex plans cannot ask for "works created
since" (``from_created_date`` is for paid plans), so the watch re-queries its whole strategy and diffs this way.

Every table has English column names and codes; the report translates them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_positive, require_type
from analysis.core.errors import ParameterError
from analysis.core.text import normalize_key
from analysis.vigie.dedupe import MIN_TITLE_KEY
from analysis.vigie.directory import Institutions, compute_directory, load_institutions
from analysis.vigie.emerging import compute_emerging_themes
from analysis.vigie.themes import ThemeDictionary, compute_theme_year_counts, compute_work_themes, load_themes
from analysis.vigie.watch.editions import Edition, load_edition

UNTHEMED = "unthemed"
KEY_PRIORITY = {"oa": 0, "doi": 1, "title": 2}
DEFAULT_INSTITUTIONS = paths.RAW / "vigie" / "quebec_institutions.yaml"


def work_keys(works: pd.DataFrame, work_ids: pd.DataFrame) -> pd.DataFrame:
    """Identity keys of each work: ``oa:<OpenAlex id>``, ``doi:<DOI>``, ``title:<folded title>|<year>``.

    Parameters
    ----------
    works : DataFrame
        ``bank.works`` (``work_id``, ``doi``, ``title``, ``year``).
    work_ids : DataFrame
        ``work_id``, ``openalex_id`` (``Edition.work_ids``).

    Returns
    -------
    DataFrame
        ``work_id``, ``key``, ``kind`` (``oa``, ``doi``, ``title``), one row per distinct key of a work.
    """
    parts = []
    oa = work_ids.dropna(subset=["openalex_id"])
    parts.append(pd.DataFrame({"work_id": oa["work_id"].astype(object), "key": "oa:" + oa["openalex_id"].astype(str),
                               "kind": "oa"}))
    d = works.dropna(subset=["doi"])
    parts.append(pd.DataFrame({"work_id": d["work_id"].astype(object), "key": "doi:" + d["doi"].astype(str).str.lower(),
                               "kind": "doi"}))
    folded = works["title"].astype(object).map(lambda t: normalize_key(t) if isinstance(t, str) else None)
    year = works["year"].astype("Float64")
    ok = folded.map(lambda k: isinstance(k, str) and len(k) >= MIN_TITLE_KEY) & year.notna().to_numpy()
    parts.append(pd.DataFrame({
        "work_id": works.loc[ok, "work_id"].astype(object),
        "key": "title:" + folded[ok].astype(str) + "|" + year[ok].astype("Int64").astype(str),
        "kind": "title"}))
    out = pd.concat(parts, ignore_index=True).drop_duplicates(["work_id", "key"])
    return out.reset_index(drop=True)


def _edition(value: Edition | str | Path, folder: str | Path | None, argument: str) -> Edition:
    if isinstance(value, Edition):
        return value
    if isinstance(value, (str, Path)):
        return load_edition(value, folder)
    require_type(value, Edition, argument, hint="give an Edition, an edition id or an edition folder")
    raise AssertionError  # unreachable


def match_works(previous: Edition, current: Edition) -> pd.DataFrame:
    """Pairs (current work, previous work) sharing a key, the best key kind first (OpenAlex id, DOI, title).

    Returns
    -------
    DataFrame
        ``work_id`` (current), ``previous_work_id``, ``kind``: one row per current work that has a match.
    """
    cur = work_keys(current.bank.works, current.work_ids)
    prev = work_keys(previous.bank.works, previous.work_ids).rename(columns={"work_id": "previous_work_id"})
    m = cur.merge(prev[["previous_work_id", "key"]], on="key", how="inner")
    m["_p"] = m["kind"].map(KEY_PRIORITY)
    m = m.sort_values(["work_id", "_p", "previous_work_id"], kind="mergesort").drop_duplicates("work_id")
    return m[["work_id", "previous_work_id", "kind"]].reset_index(drop=True)


def compute_new_works(previous: Edition, current: Edition, work_themes: pd.DataFrame) -> pd.DataFrame:
    """Works of ``current`` none of whose keys (OpenAlex id, DOI, title + year) was in ``previous``.

    Returns
    -------
    DataFrame
        ``work_id``, ``openalex_id`` (first one), ``doi``, ``title``, ``year``, ``source_title``, ``cited_by``,
        ``themes`` (theme ids joined by "; ", dictionary order; empty when none); newest first, then by title.
    """
    matched = set(match_works(previous, current)["work_id"])
    w = current.bank.works
    new = w[~w["work_id"].isin(matched)]
    first_oa = current.work_ids.drop_duplicates("work_id").set_index("work_id")["openalex_id"]
    themes = work_themes[work_themes["work_id"].isin(new["work_id"])].groupby("work_id", sort=False)["theme"]
    joined = themes.agg("; ".join)
    out = pd.DataFrame({
        "work_id": new["work_id"].astype("string"),
        "openalex_id": new["work_id"].map(first_oa).astype("string"),
        "doi": new["doi"], "title": new["title"], "year": new["year"], "source_title": new["source_title"],
        "cited_by": new["cited_by"],
        "themes": new["work_id"].map(joined).fillna("").astype("string"),
    })
    out = out.sort_values(["year", "title", "work_id"], ascending=[False, True, True], na_position="last",
                          kind="mergesort")
    return out.reset_index(drop=True)


def compute_new_by_theme(new_works: pd.DataFrame, previous_themes: pd.DataFrame, current_themes: pd.DataFrame,
                         themes: ThemeDictionary, current_works: pd.DataFrame) -> pd.DataFrame:
    """New works per theme (a work may count for several), with each edition's works on the theme.

    Returns
    -------
    DataFrame
        ``theme`` (dictionary order, then :data:`UNTHEMED` for works matching no theme), ``n_new``,
        ``n_previous``, ``n_current``.
    """
    new_ids = set(new_works["work_id"])
    cur_new = current_themes[current_themes["work_id"].isin(new_ids)].groupby("theme")["work_id"].nunique()
    n_prev = previous_themes.groupby("theme")["work_id"].nunique()
    n_cur = current_themes.groupby("theme")["work_id"].nunique()
    rows = [{"theme": t, "n_new": int(cur_new.get(t, 0)), "n_previous": int(n_prev.get(t, 0)),
             "n_current": int(n_cur.get(t, 0))} for t in themes.ids()]
    themed = set(current_themes["work_id"])
    unthemed_new = len(new_ids - themed)
    rows.append({"theme": UNTHEMED, "n_new": unthemed_new, "n_previous": None,
                 "n_current": int((~current_works["work_id"].isin(themed)).sum())})
    out = pd.DataFrame(rows)
    for c in ("n_new", "n_previous", "n_current"):
        out[c] = pd.array(out[c], dtype="Int64")
    return out


def _name_key(directory: pd.DataFrame) -> pd.Series:
    full = directory["author_full"].astype(object).where(directory["author_full"].notna(), directory["author"])
    return full.map(lambda v: normalize_key(v) if isinstance(v, str) else None)


def compute_new_researchers(previous_directory: pd.DataFrame, current_directory: pd.DataFrame) -> pd.DataFrame:
    """Québec researchers of the current directory absent from the previous one.

    People are matched by their folded full name (else their short name): OpenAlex author ids are re-assigned
    between releases, and a name is what the Table knows a researcher by.

    Parameters
    ----------
    previous_directory, current_directory : DataFrame
        :func:`analysis.vigie.directory.compute_directory` of each edition.

    Returns
    -------
    DataFrame
        The current directory's rows (same columns) for the new researchers, in the directory's order.
    """
    before = set(_name_key(previous_directory).dropna())
    keys = _name_key(current_directory)
    return current_directory[~keys.isin(before)].reset_index(drop=True)


def compute_trend_changes(previous_emerging: pd.DataFrame, current_emerging: pd.DataFrame,
                          themes: ThemeDictionary, min_rate_change: float = 0.02) -> pd.DataFrame:
    """Per theme, the trend (yearly rate ratio of its share, emerging and declining flags) in each edition and
    what changed.

    Parameters
    ----------
    previous_emerging, current_emerging : DataFrame
        :func:`analysis.vigie.emerging.compute_emerging_themes` of each edition.
    themes : ThemeDictionary
        The dictionary (gives the order).
    min_rate_change : float
        Smallest move of the rate ratio reported as a change (0.02 = two points of yearly growth of the share).

    Returns
    -------
    DataFrame
        ``theme``, ``previous_rate_ratio``, ``current_rate_ratio``, ``rate_ratio_change`` (current − previous),
        ``previous_emerging``, ``current_emerging``, ``previous_declining``, ``current_declining``, ``change``
        (``became_emerging``, ``no_longer_emerging``, ``became_declining``, ``no_longer_declining``,
        ``rate_ratio_up``, ``rate_ratio_down``, ``unchanged``, ``not_estimable``) and ``changed``; changed themes
        first, then dictionary order.
    """
    require_positive(min_rate_change, "min_rate_change", allow_zero=True)
    cols = ["theme", "rate_ratio", "emerging", "declining"]

    def side(df: pd.DataFrame, prefix: str) -> pd.DataFrame:
        d = df[cols].copy() if len(df) else pd.DataFrame(columns=cols)
        return d.rename(columns={c: f"{prefix}_{c}" for c in cols[1:]})

    out = pd.DataFrame({"theme": themes.ids()})
    out = out.merge(side(previous_emerging, "previous"), on="theme", how="left")
    out = out.merge(side(current_emerging, "current"), on="theme", how="left")
    for c in ("previous_rate_ratio", "current_rate_ratio"):
        out[c] = out[c].astype(float)
    for c in ("previous_emerging", "current_emerging", "previous_declining", "current_declining"):
        out[c] = out[c].astype(object).where(out[c].notna(), False).astype(bool)
    out["rate_ratio_change"] = out["current_rate_ratio"] - out["previous_rate_ratio"]

    def code(r) -> str:
        if r.previous_emerging != r.current_emerging:
            return "became_emerging" if r.current_emerging else "no_longer_emerging"
        if r.previous_declining != r.current_declining:
            return "became_declining" if r.current_declining else "no_longer_declining"
        if np.isnan(r.rate_ratio_change):
            return "not_estimable"
        if r.rate_ratio_change >= min_rate_change - 1e-12:
            return "rate_ratio_up"
        if r.rate_ratio_change <= -min_rate_change + 1e-12:
            return "rate_ratio_down"
        return "unchanged"

    out["change"] = [code(r) for r in out.itertuples()]
    out["changed"] = ~out["change"].isin(["unchanged", "not_estimable"])
    out["_o"] = np.arange(len(out))
    out = out.sort_values(["changed", "_o"], ascending=[False, True], kind="mergesort").drop(columns="_o")
    return out[["theme", "previous_rate_ratio", "current_rate_ratio", "rate_ratio_change", "previous_emerging",
                "current_emerging", "previous_declining", "current_declining", "change", "changed"]].reset_index(
        drop=True)


def compute_withdrawn(previous: Edition, current: Edition) -> pd.DataFrame:
    """Works of the previous edition that no longer come back.

    One row per OpenAlex id of the previous edition absent from the current one, with what is known of it:
    ``deleted`` (OpenAlex answered 404), ``merged`` (a redirect to another id, or its DOI now under another id),
    ``unmatched`` (still in OpenAlex, no longer matched by the strategy), ``unchecked`` (not asked). Works of the
    previous edition that came only from exports and whose keys are all gone get ``absent``.

    Returns
    -------
    DataFrame
        ``openalex_id``, ``status``, ``evidence`` (``http_404``, ``redirect``, ``doi``, ``present_upstream``,
        ``not_checked``, ``keys_absent``), ``merged_into``, ``merged_into_in_current``, and the previous
        edition's ``doi``, ``title``, ``year``; sorted by status, then id.
    """
    cols = ["openalex_id", "status", "evidence", "merged_into", "merged_into_in_current", "doi", "title", "year"]
    prev_ids = previous.work_ids.dropna(subset=["openalex_id"])
    cur_ids = set(current.work_ids["openalex_id"].dropna().astype(str))
    gone = prev_ids[~prev_ids["openalex_id"].astype(str).isin(cur_ids)]
    pw = previous.bank.works.set_index("work_id")
    up = current.upstream.set_index("openalex_id") if len(current.upstream) else pd.DataFrame()
    cur_doi = current.bank.works.dropna(subset=["doi"]).merge(current.work_ids, on="work_id")
    doi_to_id = cur_doi.sort_values("openalex_id", kind="mergesort").drop_duplicates("doi").set_index("doi")[
        "openalex_id"]
    rows = []
    for wid, oid in zip(gone["work_id"], gone["openalex_id"].astype(str)):
        w = pw.loc[wid]
        doi = w["doi"] if pd.notna(w["doi"]) else None
        status, evidence, into = "unchecked", "not_checked", None
        if oid in up.index:
            u = up.loc[oid]
            if u["status"] == "deleted":
                status, evidence = "deleted", "http_404"
            elif u["status"] == "merged":
                status, evidence, into = "merged", "redirect", u["merged_into"]
            else:
                status, evidence = "unmatched", "present_upstream"
        if status in ("unchecked", "unmatched") and doi is not None and doi in doi_to_id.index:
            status, evidence, into = "merged", "doi", doi_to_id[doi]
        rows.append({"openalex_id": oid, "status": status, "evidence": evidence, "merged_into": into,
                     "merged_into_in_current": (into in cur_ids) if into is not None else False,
                     "doi": doi, "title": w["title"], "year": w["year"]})
    # works that came only from exports (no OpenAlex id) and whose keys all disappeared
    keys_now = set(work_keys(current.bank.works, current.work_ids)["key"])
    prev_keys = work_keys(previous.bank.works, previous.work_ids)
    with_oa = set(prev_ids["work_id"])
    export_only = prev_keys[~prev_keys["work_id"].isin(with_oa)]
    still = set(export_only.loc[export_only["key"].isin(keys_now), "work_id"])
    for wid in sorted(set(export_only["work_id"]) - still):
        w = pw.loc[wid]
        rows.append({"openalex_id": None, "status": "absent", "evidence": "keys_absent", "merged_into": None,
                     "merged_into_in_current": False, "doi": w["doi"] if pd.notna(w["doi"]) else None,
                     "title": w["title"], "year": w["year"]})
    out = pd.DataFrame(rows, columns=cols)
    order = {"deleted": 0, "merged": 1, "unmatched": 2, "unchecked": 3, "absent": 4}
    out["_o"] = out["status"].map(order)
    out = out.sort_values(["_o", "openalex_id", "title"], kind="mergesort", na_position="last").drop(columns="_o")
    out = out.reset_index(drop=True)
    for c in ("openalex_id", "status", "evidence", "merged_into", "doi", "title"):
        out[c] = out[c].astype("string")
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["merged_into_in_current"] = out["merged_into_in_current"].astype(bool)
    return out


def compute_citation_moves(previous: Edition, current: Edition, top_n: int = 20) -> pd.DataFrame:
    """Works in both editions whose citation count moved most (largest absolute change first).

    Parameters
    ----------
    previous, current : Edition
        The two editions.
    top_n : int
        Rows kept (works whose count did not move are left out).

    Returns
    -------
    DataFrame
        ``work_id`` (current), ``openalex_id``, ``doi``, ``title``, ``year``, ``previous_cited_by``,
        ``current_cited_by``, ``delta``; sorted by |delta| desc., then delta desc., then title.
    """
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ParameterError(f"expected a whole number ≥ 1, got {top_n!r}", field="top_n")
    m = match_works(previous, current)
    cur = current.bank.works.set_index("work_id")
    prev = previous.bank.works.set_index("work_id")
    first_oa = current.work_ids.drop_duplicates("work_id").set_index("work_id")["openalex_id"]
    out = pd.DataFrame({
        "work_id": m["work_id"].astype("string"),
        "openalex_id": m["work_id"].map(first_oa).astype("string"),
        "doi": m["work_id"].map(cur["doi"]), "title": m["work_id"].map(cur["title"]),
        "year": m["work_id"].map(cur["year"]).astype("Int64"),
        "previous_cited_by": m["previous_work_id"].map(prev["cited_by"]).astype("Int64"),
        "current_cited_by": m["work_id"].map(cur["cited_by"]).astype("Int64"),
    })
    out["delta"] = (out["current_cited_by"] - out["previous_cited_by"]).astype("Int64")
    out = out[out["delta"].notna() & (out["delta"] != 0)].copy()
    out["_abs"] = out["delta"].abs()
    out = out.sort_values(["_abs", "delta", "title", "work_id"], ascending=[False, False, True, True],
                          kind="mergesort").drop(columns="_abs")
    return out.head(top_n).reset_index(drop=True)


def changes(previous_edition: Edition | str | Path, current_edition: Edition | str | Path, *,
            folder: str | Path | None = None, themes: ThemeDictionary | None = None,
            institutions: Institutions | None = None, year_min: int | None = None, year_max: int | None = None,
            level: float = 0.05, min_rate_change: float = 0.02, top_n: int = 20) -> dict[str, pd.DataFrame]:
    """What is new in ``current_edition`` since ``previous_edition``.

    Parameters
    ----------
    previous_edition, current_edition : Edition, str or Path
        Loaded editions, or edition ids (looked up in ``folder``) or folders.
    folder : str or Path, optional
        The editions folder for ids (default :func:`analysis.vigie.watch.editions.editions_dir`).
    themes : ThemeDictionary, optional
        Theme dictionary applied to both editions (default: the current edition's ``themes.yaml``).
    institutions : Institutions, optional
        Québec institutions for the directory (default ``data/raw/vigie/quebec_institutions.yaml``).
    year_min, year_max : int, optional
        Year window of the trend models (as the report's parameters).
    level : float
        Significance level of the emerging/declining flags (Benjamini–Hochberg adjusted).
    min_rate_change : float
        Smallest move of a theme's yearly rate ratio reported as a change.
    top_n : int
        Rows of the citation table.

    Returns
    -------
    dict of str to DataFrame
        ``summary`` (metric, previous, current), ``new_works``, ``new_by_theme``, ``new_researchers``,
        ``theme_trends``, ``withdrawn``, ``citations`` (see the ``compute_*`` functions of this module).

    Raises
    ------
    ParameterError
        A bad argument (named).
    InputFormatError, DataIntegrityError
        An edition cannot be found or was altered.
    """
    prev = _edition(previous_edition, folder, "previous_edition")
    cur = _edition(current_edition, folder, "current_edition")
    if themes is None:
        themes = load_themes(cur.themes_path)
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.themes.load_themes()")
    if institutions is None:
        institutions = load_institutions(DEFAULT_INSTITUTIONS)
    require_type(institutions, Institutions, "institutions", hint="load it with vigie.directory.load_institutions()")

    prev_wt = compute_work_themes(prev.bank.works, themes)
    cur_wt = compute_work_themes(cur.bank.works, themes)
    new_works = compute_new_works(prev, cur, cur_wt)
    new_by_theme = compute_new_by_theme(new_works, prev_wt, cur_wt, themes, cur.bank.works)
    prev_dir = compute_directory(prev.bank.authorships, prev.bank.works, prev_wt, institutions)
    cur_dir = compute_directory(cur.bank.authorships, cur.bank.works, cur_wt, institutions)
    new_researchers = compute_new_researchers(prev_dir, cur_dir)
    prev_em = compute_emerging_themes(compute_theme_year_counts(prev.bank.works, prev_wt, themes, year_min, year_max),
                                      level)
    cur_em = compute_emerging_themes(compute_theme_year_counts(cur.bank.works, cur_wt, themes, year_min, year_max),
                                     level)
    trends = compute_trend_changes(prev_em, cur_em, themes, min_rate_change)
    withdrawn = compute_withdrawn(prev, cur)
    citations = compute_citation_moves(prev, cur, top_n)
    summary = pd.DataFrame([
        ("works", len(prev.bank.works), len(cur.bank.works)),
        ("openalex_ids", prev.work_ids["openalex_id"].nunique(), cur.work_ids["openalex_id"].nunique()),
        ("new_works", None, len(new_works)),
        ("quebec_researchers", len(prev_dir), len(cur_dir)),
        ("new_quebec_researchers", None, len(new_researchers)),
        ("themes_trend_changed", None, int(trends["changed"].sum())),
        ("withdrawn_or_merged", None, int(withdrawn["status"].isin(["deleted", "merged", "absent"]).sum())),
        ("no_longer_matched", None, int(withdrawn["status"].isin(["unmatched", "unchecked"]).sum())),
    ], columns=["metric", "previous", "current"])
    summary["previous"] = pd.array(summary["previous"], dtype="Int64")
    summary["current"] = pd.array(summary["current"], dtype="Int64")
    summary.attrs.update(previous_edition=prev.id, current_edition=cur.id)
    return {"summary": summary, "new_works": new_works, "new_by_theme": new_by_theme,
            "new_researchers": new_researchers, "theme_trends": trends, "withdrawn": withdrawn,
            "citations": citations}
