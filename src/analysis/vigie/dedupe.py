"""Find duplicate records across files and sources, and merge each group into one work with explicit rules.

Matching, in order:

1. ``doi`` — same normalised DOI, provided the titles do not contradict it (:func:`titles_agree`): book
   chapters exported with their book's DOI are distinct works.
2. ``title_year_author`` — same first-author last name (accents folded) and publication years at most one
   apart (early-access years differ between Scopus and WoS), with titles whose folded keys are equal or have
   a rapidfuzz ``ratio`` of at least :data:`TITLE_THRESHOLD`. Records listing no author at all match only on
   the exact folded title and the same year. Candidates are compared only inside blocks of
   one first-author surname, so the cost stays near-linear. Two records carrying *different* DOIs are never
   merged by title (a preprint and its article, an erratum), and neither are groups whose DOI sets differ;
   so title pairs of two records that both have a DOI are not even scored (most of the work on a corpus
   where nearly every record has one).

Merging rules, one per field (:data:`MERGE_RULES`): the representative ("kept") record is the first in input
order (files in the order given, records in file order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from analysis.core.text import arrow_strings, explode_split, fold_arrow, fold_series
from analysis.vigie.names import family_key_arrow

TITLE_THRESHOLD = 95.0
MIN_TITLE_KEY = 12  # shorter folded titles ("editorial", "introduction") are never matched by title alone

MERGE_RULES: dict[str, str] = {
    "doi": "first non-missing value in input order",
    "title": "first non-missing value in input order (the kept record's title)",
    "year": "first non-missing value in input order",
    "source_title": "first non-missing value in input order",
    "doc_type": "first non-missing value in input order",
    "language": "first non-missing value in input order",
    "cited_by": "maximum across origins (each database counts citations from its own index)",
    "abstract": "longest value across origins",
    "author_keywords": "union across origins, first spelling kept, order of first appearance",
    "index_keywords": "union across origins, first spelling kept, order of first appearance",
    "origins": "every origin as 'file#record', in input order",
    "authorships": "the origin listing the most authors (ties: first in input order); missing author_id, "
                   "affiliation and country filled from other origins where the same author is at the same "
                   "position",
}


class _UnionFind:
    """Union-find over record rows that never joins two groups whose DOI sets are disjoint (when asked)."""

    def __init__(self, n: int, dois: list[str | None]) -> None:
        self.parent = list(range(n))
        self.dois = dois
        self.group_dois: dict[int, set[str]] = {}  # DOI sets of merged groups, by root (singletons use dois)

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def _dois_of(self, root: int) -> set[str]:
        found = self.group_dois.get(root)
        if found is None:
            doi = self.dois[root]
            found = {doi} if doi else set()
        return found

    def union(self, a: int, b: int, check_doi: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        da, db = self._dois_of(ra), self._dois_of(rb)
        if check_doi and da and db and not (da & db):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.group_dois[ra] = da | db
        self.group_dois.pop(rb, None)
        return True

    def join_fresh(self, roots: np.ndarray, rows: np.ndarray) -> None:
        """Join each row to its root before any other union (roots smaller than rows, all of one DOI, so no
        DOI set changes)."""
        for root, row in zip(roots.tolist(), rows.tolist()):
            self.parent[row] = root

    def roots(self) -> np.ndarray:
        """The root of every row (full path compression, vectorised)."""
        parent = np.asarray(self.parent, dtype=np.int64)
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent
            parent = up


SUB_BLOCK = 200  # surname blocks larger than this are compared year by year (year y against y and y + 1)


DOI_TITLE_RATIO = 70.0
DOI_TITLE_PARTIAL = 85.0


def titles_agree(a: str | None, b: str | None) -> bool:
    """Guard on DOI matches: the folded titles are close (ratio ≥ 70) or one contains the other (partial
    ratio ≥ 85: a missing subtitle, a translated title appended). Chapters exported with their *book's*
    DOI (Scopus) fail it and stay separate works.

    Parameters
    ----------
    a, b : str or None
        Folded titles.

    Returns
    -------
    bool
    """
    if a is None or b is None:
        return True
    return fuzz.ratio(a, b) >= DOI_TITLE_RATIO or fuzz.partial_ratio(a, b) >= DOI_TITLE_PARTIAL


def _sub_blocks(idx: np.ndarray, year: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows, rows to compare them with) inside one surname block; large blocks are cut by year so the
    cost stays near-linear, keeping every pair at most one year apart (and records without year).

    A pair of the same array is scored once as a square (its upper triangle kept); year *y* is scored against
    itself, then against year *y + 1* only, so no pair is computed twice."""
    if len(idx) <= SUB_BLOCK:
        return [(idx, idx)]
    y = year[idx]
    known = ~np.isnan(y)
    out = []
    if (~known).any():  # records without year are compared with the whole block
        out.append((idx[~known], idx))
    for value in np.unique(y[known]):
        a = idx[known & (y == value)]
        out.append((a, a))
        b = idx[known & (y == value + 1)]
        if len(b):
            out.append((a, b))
    return out


def find_clusters(records: pd.DataFrame, first_surname: pd.Series) -> pd.DataFrame:
    """Cluster id (the row position of its representative) and matching rule for every record.

    ``records`` must be in input order with a default RangeIndex; ``first_surname`` is aligned with it.
    Returns columns ``cluster`` (int), ``rule`` ("" for representatives) and ``score``.

    Parameters
    ----------
    records : DataFrame
        Every record of every file (reader columns plus ``file``), in input order.
    first_surname : Series
        Blocking key of each record (folded first-author surname).

    Returns
    -------
    DataFrame
        Per record: ``cluster`` (row of its representative), ``rule`` and ``score`` of the match.
    """
    n = len(records)
    doi_codes, _ = pd.factorize(records["doi"])  # -1 = no DOI
    uf = _UnionFind(n, records["doi"].to_numpy(dtype=object, na_value=None).tolist())
    key = fold_series(records["title"])
    keys_obj = key.to_numpy(dtype=object, na_value=None)
    title_codes, _ = pd.factorize(key)  # -1 = no title key
    # 1. DOI: every record joins the first record carrying the same DOI
    has = doi_codes >= 0
    if has.any():
        first_row = np.full(doi_codes.max() + 1, n, dtype=np.int64)
        np.minimum.at(first_row, doi_codes[has], np.nonzero(has)[0])
        rows = np.nonzero(has)[0]
        roots = first_row[doi_codes[has]]
        rows, roots = rows[rows != roots], roots[rows != roots]
        # same folded title: they agree without a score (the bulk when a file is loaded twice)
        agree = (title_codes[rows] == title_codes[roots]) & (title_codes[rows] >= 0)
        agree[~agree] = [titles_agree(keys_obj[r], keys_obj[i]) for i, r in zip(rows[~agree], roots[~agree])]
        # nothing is joined yet: each row joins the first row of its DOI directly (what union would do)
        uf.join_fresh(roots[agree], rows[agree])
    # 2. title + year + first author, blocked by surname
    year = records["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    surname_codes, _ = pd.factorize(first_surname.astype("string"))  # -1 = no author
    long_key = (key.notna() & (key.str.len() >= MIN_TITLE_KEY)).to_numpy(dtype=bool)
    pair_i: list[np.ndarray] = []
    pair_j: list[np.ndarray] = []
    rows = np.nonzero(long_key & (surname_codes >= 0))[0]
    rows = rows[np.bincount(surname_codes[rows])[surname_codes[rows]] >= 2]
    # identical (surname, folded title, year) rows need no fuzzy score: join them to the first such row directly;
    # only that first row goes on to the fuzzy step, on behalf of its group
    lead = _first_of_groups(rows, surname_codes[rows], title_codes[rows], year[rows])
    dup = rows != lead
    if dup.any():
        pair_i.append(lead[dup])
        pair_j.append(rows[dup])
    rows = rows[~dup]
    codes = surname_codes[rows]
    order = np.argsort(codes, kind="stable")  # blocks in order of first appearance, rows in input order
    rows, codes = rows[order], codes[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    no_doi = doi_codes < 0
    for block in np.split(rows, bounds):
        if len(block) < 2 or not no_doi[block].any():  # two records with DOIs never merge by title
            continue
        if len(block) <= SMALL_BLOCK:  # a few pairs: one call each is cheaper than a matrix
            for x in range(len(block) - 1):
                title = keys_obj[block[x]]
                for y in range(x + 1, len(block)):
                    if (no_doi[block[x]] or no_doi[block[y]]) and \
                            fuzz.ratio(title, keys_obj[block[y]], score_cutoff=TITLE_THRESHOLD):
                        pair_i.append(block[x: x + 1])
                        pair_j.append(block[y: y + 1])
            continue
        for a_idx, b_idx in _sub_blocks(block, year):
            ii, jj = _similar_titles(a_idx, b_idx, keys_obj, no_doi)
            # same rows on both sides: each unordered pair once; otherwise every pair of distinct rows
            keep = (a_idx[ii] < b_idx[jj]) if a_idx is b_idx else (a_idx[ii] != b_idx[jj])
            if keep.any():
                pair_i.append(a_idx[ii][keep])
                pair_j.append(b_idx[jj][keep])
    # records without any author: only the exact title key and the same year can match them
    rows = np.nonzero(long_key & (surname_codes < 0))[0]
    if len(rows) >= 2:
        lead = _first_of_groups(rows, np.zeros(len(rows), dtype=np.int64), title_codes[rows], year[rows])
        pair_i.append(lead[rows != lead])
        pair_j.append(rows[rows != lead])
    if pair_i:
        pi, pj = np.concatenate(pair_i), np.concatenate(pair_j)
        yi, yj = year[pi], year[pj]
        keep = np.isnan(yi) | np.isnan(yj) | (np.abs(yi - yj) <= 1)
        ci, cj = doi_codes[pi], doi_codes[pj]
        keep &= ~((ci >= 0) & (cj >= 0))  # both carry a DOI: equal ones are merged already, others never
        for i, j in zip(pi[keep].tolist(), pj[keep].tolist()):
            uf.union(i, j, check_doi=True)
    cluster = uf.roots()
    rule = np.full(n, "", dtype=object)
    score = np.full(n, np.nan)
    members = np.nonzero(cluster != np.arange(n))[0]
    same_doi = (doi_codes[members] >= 0) & (doi_codes[members] == doi_codes[cluster[members]])
    rule[members[same_doi]] = "doi"
    score[members[same_doi]] = 100.0
    for m in members[~same_doi]:
        rule[m] = "title_year_author"
        a, b = keys_obj[m], keys_obj[cluster[m]]
        score[m] = round(float(fuzz.ratio(a, b)), 1) if a is not None and b is not None else np.nan
    return pd.DataFrame({"cluster": cluster, "rule": rule, "score": score}, index=records.index)


SMALL_BLOCK = 8  # surname blocks up to this size are scored pair by pair


def _similar_titles(a_idx: np.ndarray, b_idx: np.ndarray, keys: np.ndarray, no_doi: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i in ``a_idx``, j in ``b_idx``) of title pairs scoring at least :data:`TITLE_THRESHOLD`,
    in row-major order. Pairs of two records with DOIs are not scored: they can never merge by title (on a
    corpus where most records have a DOI, this skips most of the matrix)."""
    a_open, b_open = np.nonzero(no_doi[a_idx])[0], np.nonzero(no_doi[b_idx])[0]
    a_doi = np.nonzero(~no_doi[a_idx])[0]
    found_i, found_j = [], []
    for rows_a, rows_b in ((a_open, np.arange(len(b_idx))), (a_doi, b_open)):  # open × all, DOI × open
        if len(rows_a) == 0 or len(rows_b) == 0:
            continue
        ta = [keys[i] for i in a_idx[rows_a]]
        tb = [keys[i] for i in b_idx[rows_b]]
        scores = process.cdist(ta, tb, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD,
                               workers=-1 if len(ta) * len(tb) > 20_000 else 1)
        ii, jj = np.nonzero(scores)
        found_i.append(rows_a[ii])
        found_j.append(rows_b[jj])
    if not found_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ii, jj = np.concatenate(found_i), np.concatenate(found_j)
    order = np.lexsort((jj, ii))
    return ii[order], jj[order]


def _first_of_groups(rows: np.ndarray, block: np.ndarray, keys: np.ndarray, year: np.ndarray) -> np.ndarray:
    """For each row, the first row (smallest) with the same block code, title code and year (missing years
    equal each other). ``block`` and ``keys`` are non-negative integer codes."""
    if len(rows) == 0:
        return rows
    year_codes, _ = pd.factorize(year, use_na_sentinel=False)
    combined = (block.astype(np.int64) * (int(keys.max()) + 1) + keys) * (int(year_codes.max()) + 1) + year_codes
    group, _ = pd.factorize(combined)
    first = np.full(group.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, group, rows)
    return first[group]


def _joined_by_group(groups: np.ndarray, values, sep: str) -> tuple[np.ndarray, object]:
    """(group ids ascending, ``sep``-joined values of each group in input order) — Arrow list join."""

    order = np.argsort(groups, kind="stable")
    grouped = groups[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    lists = pa.ListArray.from_arrays(pa.array(np.r_[starts, len(order)], pa.int32()),
                                     pc.take(values, pa.array(order, pa.int64())))
    return grouped[starts], pc.binary_join(lists, sep)


def _union_keywords(values: pd.Series, cluster: pd.Series) -> pd.Series:
    """'; '-joined union of keywords per cluster, first spelling kept (matching on folded keys), indexed by
    cluster."""


    long = explode_split(values, "; ")
    if long.empty:
        return pd.Series(dtype="string")
    clusters = cluster.to_numpy()[long["row"].to_numpy()].astype(np.int64)
    keyword = arrow_strings(long["value"])
    key = pc.coalesce(fold_arrow(keyword), pc.utf8_lower(keyword))
    key_codes = pc.dictionary_encode(key).indices.to_numpy().astype(np.int64)
    first = np.sort(np.unique(clusters * (int(key_codes.max()) + 1) + key_codes, return_index=True)[1])
    ids, joined = _joined_by_group(clusters[first], pc.take(keyword, pa.array(first, pa.int64())), "; ")
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=ids)


def _origins(records: pd.DataFrame) -> np.ndarray:
    """'file#record' of every record (object array)."""


    numbers = pa.array(records["record"].to_numpy(dtype=np.int64, na_value=0)).cast(pa.string())
    joined = pc.binary_join_element_wise(arrow_strings(records["file"].astype("string")), numbers, "#")
    return joined.to_numpy(zero_copy_only=False)


def merge_clusters(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster, fields merged by :data:`MERGE_RULES`, indexed by cluster id (representative row).

    Only clusters with several records go through groupby; single records are copied as they are.

    Parameters
    ----------
    records : DataFrame
    clusters : DataFrame
        From :func:`find_clusters`.

    Returns
    -------
    DataFrame
        One row per cluster, indexed by its representative's row, fields merged by :data:`MERGE_RULES`.
    """

    cluster = clusters["cluster"].to_numpy()
    cols = ["doi", "title", "year", "source_title", "doc_type", "language", "cited_by", "abstract",
            "author_keywords", "index_keywords"]
    is_root = cluster == np.arange(len(records))
    out = records[cols].copy() if is_root.all() else records.loc[is_root, cols].copy()
    out.index = np.nonzero(is_root)[0]
    origin = _origins(records)
    origins = origin[is_root]
    counts = np.bincount(cluster, minlength=len(records))
    in_multi = counts[cluster] > 1
    if in_multi.any():
        df = records.loc[in_multi, cols].copy()
        df["cluster"] = cluster[in_multi]
        g = df.groupby("cluster", sort=True)
        multi = g[["doi", "title", "year", "source_title", "doc_type", "language"]].first()
        multi["cited_by"] = g["cited_by"].max()
        lengths = df["abstract"].str.len().fillna(-1)
        best = lengths.groupby(df["cluster"]).idxmax()
        multi["abstract"] = df.loc[best.to_numpy(), "abstract"].to_numpy()
        for col in ("author_keywords", "index_keywords"):
            multi[col] = g[col].first()
            merged = _union_keywords(df[col].reset_index(drop=True), df["cluster"].reset_index(drop=True))
            multi.loc[merged.index, col] = merged
        _, multi_origins = _joined_by_group(cluster[in_multi], pa.array(origin[in_multi], pa.string()), "; ")
        for col in cols:
            out.loc[multi.index, col] = multi[col].astype(out[col].dtype).to_numpy()
        pos = np.searchsorted(out.index.to_numpy(), multi.index.to_numpy())
        origins = origins.copy()
        origins[pos] = multi_origins.to_numpy(zero_copy_only=False)
    out["origins"] = origins
    return out


def _family_keys(authors: pd.Series) -> pd.Series:

    return pd.Series(pd.arrays.ArrowStringArray(family_key_arrow(arrow_strings(authors))), index=authors.index)


def merge_authorships(records: pd.DataFrame, clusters: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """Authorships per cluster from the origin with most authors; gaps filled from same-position matches.

    ``authors`` carries ``row`` (position of its record in ``records``); output has ``cluster`` instead.

    Parameters
    ----------
    records, clusters : DataFrame
    authors : DataFrame
        Every authorship with the ``row`` of its record.

    Returns
    -------
    DataFrame
        The authorships of each cluster with its ``cluster``.
    """
    row_cluster = clusters["cluster"].to_numpy()
    a = authors.copy()
    author_row = a["row"].to_numpy()
    a["cluster"] = row_cluster[author_row]
    n_records = len(records)
    counts = np.bincount(author_row, minlength=n_records)
    # per cluster, the row listing most authors (ties: first in input order)
    ranked = np.lexsort((np.arange(n_records), -counts, row_cluster))
    sorted_clusters = row_cluster[ranked]
    first_of_cluster = np.r_[True, sorted_clusters[1:] != sorted_clusters[:-1]] if n_records else np.zeros(0, bool)
    dup_clusters = np.unique(sorted_clusters[~first_of_cluster])
    chosen_mask = np.zeros(n_records, dtype=bool)
    chosen_mask[ranked[first_of_cluster]] = True
    in_chosen = chosen_mask[author_row]
    main = a if in_chosen.all() else a[in_chosen]
    if len(dup_clusters):
        dup_mask = np.zeros(len(records), dtype=bool)
        dup_mask[np.asarray(dup_clusters, dtype=np.int64)] = True  # cluster ids are row positions
        other = a[dup_mask[a["cluster"].to_numpy()] & ~in_chosen]
        if not other.empty:
            m_dup = dup_mask[main["cluster"].to_numpy()]
            sub = main[m_dup].copy()
            sub["_k"] = _family_keys(sub["author"])
            other = other.assign(_k=_family_keys(other["author"]))
            fill = other.dropna(subset=["_k"]).drop_duplicates(["cluster", "position", "_k"])
            cols = ["author_id", "affiliation", "country"]
            merged = sub.merge(fill[["cluster", "position", "_k", *cols]], on=["cluster", "position", "_k"],
                               how="left", suffixes=("", "_o"), validate="m:1")
            for c in cols:
                merged[c] = merged[c].fillna(merged[c + "_o"])
            merged = merged.drop(columns=[c + "_o" for c in cols] + ["_k"])
            main = pd.concat([main[~m_dup], merged], ignore_index=True)
    return main.drop(columns=["row"])
