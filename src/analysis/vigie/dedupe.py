"""Find duplicate records across files and sources, and merge each group into one work with explicit rules.

Matching, in order:

1. ``doi`` — same normalised DOI, provided the titles do not contradict it (:func:`titles_agree`): book
   chapters exported with their book's DOI are distinct works.
2. ``title_year_author`` — same first-author last name (accents folded) and publication years at most one
   apart (early-access years differ between Scopus and WoS), with titles whose folded keys are equal or have
   a rapidfuzz ``ratio`` of at least :data:`TITLE_THRESHOLD`. Records listing no author at all match only on
   the exact folded title and the same year. Candidates are compared only inside blocks of one first-author
   surname, so the cost stays near-linear.

A title match is a *possible* duplicate. It is merged only when nothing says the two records are different works
(:data:`RELATED_RULES`, checked in this order, on the two groups being joined, so that no chain of matches can join
what a rule keeps apart):

- ``different_doi`` — both carry DOIs and they differ (a preprint and its article, an erratum); such pairs are
  looked for only among identical titles (scoring every pair of DOIs would be quadratic on a large export);
- ``database_ids_differ`` — both carry an id of the same database and they differ (two Scopus EIDs, two Web of
  Science UTs: the database itself holds them as two documents);
- ``number_tokens_differ`` — the titles' numbers differ (:func:`number_tokens`: arabic, roman, ordinal, number
  words, the label after "Part", "Volume", "Edition"…, a year in the title): Part I and Part II, the 13th and the
  14th General Assembly, the 2022 and the 2023 report;
- ``doc_types_differ`` — their document types belong to different families (:func:`doc_families`): a conference
  paper and its journal version, a chapter and the book, a preprint and the article;
- ``years_differ_same_file`` — one file holds both with different years (an export never lists one work twice
  under two years);
- ``years_differ`` — the years are more than one apart, or differ at all for a report, dataset, web page or thesis
  (the one-year tolerance is for a journal's early-access year against its issue year).

A possible duplicate that is not merged is kept as a *related* pair (both records, the rule that kept them apart,
the title score), and so is a DOI match whose titles disagree (``doi_titles_differ``): nothing is lost silently.

Merging rules, one per field (:data:`MERGE_RULES`): the representative ("kept") record is the first in input
order (files in the order given, records in file order).

References
----------
Elmagarmid, A. K., Ipeirotis, P. G., & Verykios, V. S. (2007). Duplicate record detection: a survey. *IEEE
Transactions on Knowledge and Data Engineering*, 19(1), 1–16.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from analysis.core.text import arrow_strings, explode_split, fold_arrow, fold_series
from analysis.vigie.names import family_key_arrow

TITLE_THRESHOLD = 95.0
MIN_TITLE_KEY = 12  # shorter folded titles ("editorial", "introduction") are never matched by title alone

#: Why a possible duplicate was kept apart (the ``rule`` of a related pair), in the order the rules are checked.
RELATED_RULES: dict[str, str] = {
    "doi_titles_differ": "same DOI but the titles disagree (chapters exported with their book's DOI)",
    "different_doi": "both records carry DOIs and they differ",
    "database_ids_differ": "both records carry ids of the same database and they differ",
    "number_tokens_differ": "the titles hold different numbers (part, volume, edition, session, year…)",
    "doc_types_differ": "the document types belong to different families (conference / journal, chapter / book, "
                        "preprint / article…)",
    "years_differ_same_file": "one file holds both with different publication years",
    "years_differ": "publication years more than one apart, or different for a report, dataset, web page or thesis",
}

# document-type families (lower-case parts of a doc_type; WoS joins several with ";")
_FAMILIES: dict[str, str] = {
    **dict.fromkeys(["article", "review", "editorial", "editorial material", "letter", "note", "short survey",
                     "erratum", "correction", "retracted", "retraction", "retracted publication", "data paper",
                     "early access", "book review", "news item", "journal-article", "article-journal",
                     "article in press", "article-magazine", "biographical-item", "journal article", "reprint"],
                    "journal"),
    **dict.fromkeys(["conference paper", "proceedings paper", "conference review", "proceedings-article",
                     "paper-conference", "meeting abstract", "conference", "inproceedings"], "conference"),
    **dict.fromkeys(["book chapter", "chapter", "book-chapter", "book-section", "book-part", "incollection",
                     "inbook", "reference-entry", "entry-encyclopedia", "entry-dictionary"], "chapter"),
    **dict.fromkeys(["book", "monograph", "edited-book", "edited book", "reference-book", "book-set",
                     "proceedings"], "book"),
    **dict.fromkeys(["report", "techreport", "resreport", "working paper", "report-series", "report-component",
                     "technical report"], "report"),
    **dict.fromkeys(["thesis", "dissertation", "phdthesis", "mastersthesis"], "thesis"),
    **dict.fromkeys(["preprint", "posted-content", "unpublished", "manuscript"], "preprint"),
    **dict.fromkeys(["dataset", "data set"], "dataset"),
    **dict.fromkeys(["web page", "webpage", "online", "post-weblog"], "web"),
}
#: families whose records are dated editions: two years are two documents (no early-access tolerance)
DATED_FAMILIES = frozenset({"report", "dataset", "web", "thesis"})


def doc_families(doc_type: str | None) -> frozenset[str]:
    """Families of a document type (``journal``, ``conference``, ``chapter``, ``book``, ``report``, ``thesis``,
    ``preprint``, ``dataset``, ``web``); empty when unknown. WoS "Article; Proceedings Paper" is both journal and
    conference, so it agrees with either.

    Parameters
    ----------
    doc_type : str or None

    Returns
    -------
    frozenset of str
    """
    if not isinstance(doc_type, str):
        return frozenset()
    return frozenset(f for f in (_FAMILIES.get(" ".join(p.lower().split())) for p in doc_type.split(";")) if f)


_NUMBER_WORDS = {
    **{w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                   "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                   "seventeen", "eighteen", "nineteen", "twenty"])},
    **{w: i for i, w in enumerate(["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                   "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                                   "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
                                   "twentieth"], start=1)},
    **{w: i for i, w in enumerate(["premier", "deuxieme", "troisieme", "quatrieme", "cinquieme", "sixieme",
                                   "septieme", "huitieme", "neuvieme", "dixieme"], start=1)},
    "premiere": 1, "seconde": 2, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10,
}
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|d|e|er|re|eme|ere|o|a)$")
_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_LABELS = {"part", "parts", "partie", "vol", "volume", "tome", "chapter", "chapitre", "book", "livre", "edition",
           "ed", "no", "number", "numero", "issue", "series", "serie", "section", "phase", "wave", "vague", "study",
           "session", "report", "appendix", "annexe"}


def _roman(word: str) -> int:
    total = 0
    for a, b in zip(word, word[1:] + " "):
        value = _ROMAN_VALUES[a]
        total += -value if b != " " and _ROMAN_VALUES[b] > value else value
    return total


_SPELLED = re.compile(r"\b(?:\d+(?:st|nd|rd|th|e|er|re|eme|ere)|" + "|".join(sorted(_NUMBER_WORDS)) + r")\b")
_SPELLED_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|e|er|re|eme|ere)$")


def match_keys(title_keys: np.ndarray, arrow: pa.Array | None = None) -> np.ndarray:
    """Title keys for fuzzy matching, numbers spelled one way: ordinals and number words become digits
    ("thirteenth" and "13th" → "13", "second edition" → "2 edition"), so that spelling does not lower the score of
    two records of one work; whether their numbers agree is then :func:`number_tokens`'s business.

    Parameters
    ----------
    title_keys : ndarray of str or None
        Folded title keys.
    arrow : pyarrow.Array, optional
        The same keys as an Arrow array (saves converting them).

    Returns
    -------
    ndarray of str or None
        ``title_keys`` itself when no key changes.
    """
    arrow = pa.array(title_keys, pa.string()) if arrow is None else arrow
    hit = pc.fill_null(pc.match_substring_regex(arrow, _SPELLED.pattern), False)
    if not pc.any(hit).as_py():
        return title_keys
    out = title_keys.copy()
    for i in np.nonzero(hit.to_numpy(zero_copy_only=False))[0].tolist():
        out[i] = " ".join(str(_NUMBER_WORDS[w]) if w in _NUMBER_WORDS else
                          (m.group(1) if (m := _SPELLED_ORDINAL.match(w)) else w) for w in title_keys[i].split(" "))
    return out


def number_tokens(title_key: str | None) -> tuple[str, ...]:
    """The numbers a title holds, sorted: arabic (a year too), ordinals ("13th", "2nd", "3e"), number words ("two",
    "second", "deuxième"), roman numerals ("II", "xiv"; lone "c" and "l" excepted) and the label that follows "Part",
    "Volume", "Edition", "No."… ("Part A"). Two titles with different numbers are different documents.

    Parameters
    ----------
    title_key : str or None
        A folded title key (:func:`analysis.core.text.normalize_key`: lower case, accents folded, words separated by
        single spaces).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> number_tokens("worker cooperatives part ii origins")
    ('2',)
    >>> number_tokens("proceedings of the 13th general assembly")
    ('13',)
    """
    if not title_key:
        return ()
    words = title_key.split(" ")
    out = []
    for k, word in enumerate(words):
        value: object = None
        if word.isdigit():
            value = int(word)
        elif (m := _ORDINAL.match(word)) is not None:
            value = int(m.group(1))
        elif word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
        elif word not in ("c", "l") and len(word) <= 8 and _ROMAN.match(word):
            value = _roman(word)
        elif len(word) == 1 and k > 0 and words[k - 1] in _LABELS:
            value = word  # "part a", "volume b"
        if value is not None:
            out.append(str(value))
    return tuple(sorted(out))

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
                   "affiliation, country and countries filled from other origins where the same author is at the same "
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


@dataclass
class _Group:
    """What a group of records says about the work it is, to refuse joining two groups that are different works."""

    dois: set = field(default_factory=set)
    ids: dict = field(default_factory=dict)  # database -> ids
    file_years: dict = field(default_factory=dict)  # file -> years
    years: set = field(default_factory=set)
    families: set = field(default_factory=set)  # distinct non-empty family sets
    numbers: set = field(default_factory=set)  # distinct number signatures of the titles
    dated: bool = False

    def conflict(self, other: _Group) -> str | None:
        """The first rule of :data:`RELATED_RULES` that keeps the two groups apart, or None."""
        if self.dois and other.dois and self.dois.isdisjoint(other.dois):
            return "different_doi"
        for base, ids in self.ids.items():
            if base in other.ids and ids.isdisjoint(other.ids[base]):
                return "database_ids_differ"
        if self.numbers and other.numbers and self.numbers.isdisjoint(other.numbers):
            return "number_tokens_differ"
        if any(a.isdisjoint(b) for a in self.families for b in other.families):
            return "doc_types_differ"
        for f, years in self.file_years.items():
            if f in other.file_years and years.isdisjoint(other.file_years[f]):
                return "years_differ_same_file"
        years = self.years | other.years
        if years and (max(years) - min(years) > 1 or (len(years) > 1 and (self.dated or other.dated))):
            return "years_differ"
        return None

    def absorb(self, other: _Group) -> None:
        """Add ``other``'s members to this group."""
        self.dois |= other.dois
        for base, ids in other.ids.items():
            self.ids.setdefault(base, set()).update(ids)
        for f, years in other.file_years.items():
            self.file_years.setdefault(f, set()).update(years)
        self.years |= other.years
        self.families |= other.families
        self.numbers |= other.numbers
        self.dated = self.dated or other.dated


class _Facts:
    """Per-record facts for the group checks, read for the rows asked about only (a handful on most banks)."""

    def __init__(self, records: pd.DataFrame, keys: np.ndarray, rows: np.ndarray) -> None:
        rows = np.unique(rows)
        self.at = dict(zip(rows.tolist(), range(len(rows))))

        def column(name: str) -> np.ndarray:
            if name not in records:
                return np.full(len(rows), None, dtype=object)
            return records[name].take(rows).to_numpy(dtype=object, na_value=None)

        self.doi, self.db_id, self.doc_type = column("doi"), column("database_id"), column("doc_type")
        self.file = column("file_idx" if "file_idx" in records else "file")
        self.year = records["year"].take(rows).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        self.keys = keys

    def group(self, row: int) -> _Group:
        g = _Group()
        k = self.at[row]
        if self.doi[k]:
            g.dois.add(self.doi[k])
        if self.db_id[k]:
            base, _, ident = str(self.db_id[k]).partition(":")
            g.ids[base] = {ident}
        if not np.isnan(self.year[k]):
            year = int(self.year[k])
            g.years.add(year)
            g.file_years[self.file[k]] = {year}
        families = doc_families(self.doc_type[k])
        if families:
            g.families.add(families)
            g.dated = bool(families & DATED_FAMILIES)
        g.numbers.add(number_tokens(self.keys[row]))
        return g


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


@dataclass
class Duplicates:
    """What :func:`find_duplicates` found.

    Attributes
    ----------
    clusters : DataFrame
        Per record (aligned with the records): ``cluster`` (row of its representative), ``rule`` ("" for
        representatives, ``doi`` or ``title_year_author``) and ``score`` of the match.
    related : DataFrame
        Possible duplicates kept apart: ``row_a``, ``row_b`` (record rows, ``row_a`` < ``row_b``, one pair per pair
        of clusters, the best scoring), ``rule`` (a key of :data:`RELATED_RULES`) and ``score`` (title ratio).
    """

    clusters: pd.DataFrame
    related: pd.DataFrame


def find_clusters(records: pd.DataFrame, first_surname: pd.Series) -> pd.DataFrame:
    """Cluster id (the row position of its representative) and matching rule for every record
    (:func:`find_duplicates` without the related pairs).

    Parameters
    ----------
    records : DataFrame
        Every record of every file (reader columns plus ``file``), in input order, default RangeIndex.
    first_surname : Series
        Blocking key of each record (folded first-author surname).

    Returns
    -------
    DataFrame
        Per record: ``cluster`` (row of its representative), ``rule`` and ``score`` of the match.
    """
    return find_duplicates(records, first_surname).clusters


def find_duplicates(records: pd.DataFrame, first_surname: pd.Series) -> Duplicates:
    """Clusters of duplicate records, and the possible duplicates kept apart by a rule (see the module).

    ``records`` must be in input order with a default RangeIndex; ``first_surname`` is aligned with it. Records
    need ``doi``, ``title``, ``year`` and ``file`` (or ``file_idx``); ``doc_type`` and ``database_id`` are used
    when present.

    Parameters
    ----------
    records : DataFrame
        Every record of every file (reader columns plus ``file``), in input order.
    first_surname : Series
        Blocking key of each record (folded first-author surname).

    Returns
    -------
    Duplicates
        ``clusters`` (cluster, rule, score per record) and ``related`` (row_a, row_b, rule, score).

    References
    ----------
    Elmagarmid, A. K., Ipeirotis, P. G., & Verykios, V. S. (2007). Duplicate record detection: a survey. *IEEE
    Transactions on Knowledge and Data Engineering*, 19(1), 1–16.
    """
    n = len(records)
    doi_codes, _ = pd.factorize(records["doi"])  # -1 = no DOI
    uf = _UnionFind(n, records["doi"].to_numpy(dtype=object, na_value=None).tolist())
    key = fold_series(records["title"])
    keys_obj = key.to_numpy(dtype=object, na_value=None)
    original_keys = keys_obj
    title_codes, _ = pd.factorize(key)  # -1 = no title key
    related: list[tuple[int, int, str, float]] = []
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
        related += [(int(i), int(r), "doi_titles_differ", _ratio(keys_obj[i], keys_obj[r]))
                    for i, r in zip(roots[~agree], rows[~agree])]
    # 2. title + year + first author, blocked by surname: candidate pairs with their title score, on keys whose
    # numbers are spelled one way
    keys_obj = match_keys(keys_obj, arrow_strings(key))
    if keys_obj is not original_keys:  # some numbers were spelled out: codes of the new keys
        title_codes, _ = pd.factorize(keys_obj, use_na_sentinel=True)
    year = records["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    surname_codes, _ = pd.factorize(first_surname.astype("string"))  # -1 = no author
    long_key = (key.notna() & (key.str.len() >= MIN_TITLE_KEY)).to_numpy(dtype=bool)
    pair_i: list[np.ndarray] = []
    pair_j: list[np.ndarray] = []
    pair_s: list[np.ndarray] = []
    rows = np.nonzero(long_key & (surname_codes >= 0))[0]
    rows = rows[np.bincount(surname_codes[rows])[surname_codes[rows]] >= 2]
    # identical (surname, folded title, year) rows need no fuzzy score: each is a pair with the first such row;
    # only that first row goes on to the fuzzy step, on behalf of its group
    lead = _first_of_groups(rows, surname_codes[rows], title_codes[rows], year[rows])
    dup = rows != lead
    if dup.any():
        pair_i.append(lead[dup])
        pair_j.append(rows[dup])
        pair_s.append(np.full(int(dup.sum()), 100.0))
    # records carrying different DOIs never merge by title, and scoring every such pair would be quadratic on a
    # large export: they are scored only when their titles are identical (what a related pair needs), any year
    no_doi = doi_codes < 0
    with_doi = rows[~no_doi[rows]]
    lead = _first_of_groups(with_doi, surname_codes[with_doi], title_codes[with_doi], np.zeros(len(with_doi)))
    other = (with_doi != lead) & (doi_codes[with_doi] != doi_codes[lead])
    if other.any():
        pair_i.append(lead[other])
        pair_j.append(with_doi[other])
        pair_s.append(np.full(int(other.sum()), 100.0))
    rows = rows[~dup]
    codes = surname_codes[rows]
    order = np.argsort(codes, kind="stable")  # blocks in order of first appearance, rows in input order
    rows, codes = rows[order], codes[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts, sizes = np.r_[0, bounds], np.diff(np.r_[0, bounds, len(rows)])
    # small blocks: every pair at once, scored only when the title lengths allow the threshold
    ii, jj = _small_block_pairs(rows, starts, sizes, keys_obj)
    open_pair = no_doi[ii] | no_doi[jj]
    ii, jj = ii[open_pair], jj[open_pair]
    if len(ii):
        scores = np.array([fuzz.ratio(keys_obj[i], keys_obj[j], score_cutoff=TITLE_THRESHOLD)
                           for i, j in zip(ii.tolist(), jj.tolist())])
        hit = scores > 0
        pair_i.append(ii[hit])
        pair_j.append(jj[hit])
        pair_s.append(scores[hit])
    for start, size in zip(starts.tolist(), sizes.tolist()):
        if size <= SMALL_BLOCK:
            continue
        block = rows[start: start + size]
        if not no_doi[block].any():  # two records with DOIs are never merged by title
            continue
        for a_idx, b_idx in _sub_blocks(block, year):
            ii, jj, ss = _similar_titles(a_idx, b_idx, keys_obj, no_doi)
            keep = a_idx[ii] != b_idx[jj]  # a square gives each unordered pair once; other sides may share rows
            if keep.any():
                pair_i.append(a_idx[ii][keep])
                pair_j.append(b_idx[jj][keep])
                pair_s.append(ss[keep])
    # records without any author: only the exact title key and the same year can match them
    rows = np.nonzero(long_key & (surname_codes < 0))[0]
    if len(rows) >= 2:
        lead = _first_of_groups(rows, np.zeros(len(rows), dtype=np.int64), title_codes[rows], year[rows])
        pair_i.append(lead[rows != lead])
        pair_j.append(rows[rows != lead])
        pair_s.append(np.full(int((rows != lead).sum()), 100.0))
    if pair_i:
        pi, pj, ps = np.concatenate(pair_i), np.concatenate(pair_j), np.concatenate(pair_s)
        a, b = np.minimum(pi, pj), np.maximum(pi, pj)
        yi, yj = year[a], year[b]
        near = np.isnan(yi) | np.isnan(yj) | (np.abs(yi - yj) <= 1)
        roots = uf.roots()
        open_ = near & (roots[a] != roots[b])  # pairs already joined by their DOI need nothing
        a, b, ps = a[open_], b[open_], ps[open_]
        # two copies of one record (same title, year, file, DOI, database id and type: a file read twice, an export
        # repeated) cannot bring a conflict into a group: joined at once, without the checks
        same = _same_facts(records, a, b, title_codes, doi_codes)
        for i, j in zip(a[same].tolist(), b[same].tolist()):
            uf.union(i, j, check_doi=False)
        a, b, ps = a[~same], b[~same], ps[~same]
        order = np.lexsort((b, a, -ps))  # best matches first, then input order
        related += _join_titles(uf, records, original_keys, a[order], b[order], ps[order])
    cluster = uf.roots()
    rule = np.full(n, "", dtype=object)
    score = np.full(n, np.nan)
    members = np.nonzero(cluster != np.arange(n))[0]
    same_doi = (doi_codes[members] >= 0) & (doi_codes[members] == doi_codes[cluster[members]])
    rule[members[same_doi]] = "doi"
    score[members[same_doi]] = 100.0
    for m in members[~same_doi]:
        rule[m] = "title_year_author"
        score[m] = _ratio(original_keys[m], original_keys[cluster[m]])
    clusters = pd.DataFrame({"cluster": cluster, "rule": rule, "score": score}, index=records.index)
    return Duplicates(clusters, _related_frame(related, cluster))


def _same_facts(records: pd.DataFrame, a: np.ndarray, b: np.ndarray, title_codes: np.ndarray,
                doi_codes: np.ndarray) -> np.ndarray:
    """Whether the records of each pair agree on every fact the rules read (title key, year, file, DOI,
    database id, document type)."""
    same = (title_codes[a] == title_codes[b]) & (doi_codes[a] == doi_codes[b])
    if not same.any():
        return same
    for column in ("year", "file_idx" if "file_idx" in records else "file", "database_id", "doc_type"):
        if column in records:
            codes, _ = pd.factorize(records[column], use_na_sentinel=False)
            same &= codes[a] == codes[b]
    return same


def _ratio(a: str | None, b: str | None) -> float:
    return round(float(fuzz.ratio(a, b)), 1) if a is not None and b is not None else np.nan


def _join_titles(uf: _UnionFind, records: pd.DataFrame, keys: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray,
                 scores: np.ndarray) -> list[tuple[int, int, str, float]]:
    """Join the title pairs in the order given unless a rule of :data:`RELATED_RULES` keeps their groups apart;
    return the pairs kept apart with that rule."""
    if len(rows_a) == 0:
        return []
    roots = uf.roots()
    multi = np.nonzero(np.bincount(roots, minlength=len(roots))[roots] > 1)[0]  # rows of groups joined by DOI
    asked = np.concatenate([rows_a, rows_b])
    in_group = multi[np.isin(roots[multi], roots[asked])]  # members of the DOI groups of those rows
    facts = _Facts(records, keys, np.concatenate([asked, in_group]))
    groups: dict[int, _Group] = {}

    def group_of(root: int) -> _Group:
        g = groups.get(root)
        if g is None:
            members = members_of.get(root, [root])
            g = facts.group(members[0])
            for m in members[1:]:
                g.absorb(facts.group(m))
            groups[root] = g
        return g

    members_of: dict[int, list[int]] = {}
    for row in in_group.tolist():
        members_of.setdefault(int(roots[row]), []).append(row)
    kept_apart = []
    for i, j, score in zip(rows_a.tolist(), rows_b.tolist(), scores.tolist()):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        gi, gj = group_of(ri), group_of(rj)
        why = gi.conflict(gj)
        if why is not None:
            kept_apart.append((i, j, why, round(float(score), 1)))
            continue
        uf.union(i, j, check_doi=True)
        root = uf.find(i)
        merged, other = (gi, gj) if root == ri else (gj, gi)
        merged.absorb(other)
        groups[root] = merged
        groups.pop(rj if root == ri else ri, None)
    return kept_apart


def _related_frame(pairs: list[tuple[int, int, str, float]], cluster: np.ndarray) -> pd.DataFrame:
    """One row per pair of distinct clusters (the first pair found for it: DOI checks, then best title score)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for i, j, rule, score in pairs:
        ci, cj = int(cluster[i]), int(cluster[j])
        if ci == cj or (min(ci, cj), max(ci, cj)) in seen:
            continue
        seen.add((min(ci, cj), max(ci, cj)))
        out.append((min(i, j), max(i, j), rule, score))
    out.sort(key=lambda x: (x[0], x[1]))
    return pd.DataFrame({"row_a": pd.array([x[0] for x in out], dtype="int64"),
                         "row_b": pd.array([x[1] for x in out], dtype="int64"),
                         "rule": pd.array([x[2] for x in out], dtype="string"),
                         "score": pd.array([x[3] for x in out], dtype="Float64")})


SMALL_BLOCK = 8  # surname blocks up to this size are scored pair by pair


def _small_block_pairs(rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray, keys: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows inside the blocks of 2 to :data:`SMALL_BLOCK` rows whose title lengths allow a ratio of
    :data:`TITLE_THRESHOLD` (the Indel ratio is at most 200 × shorter / (sum of lengths))."""
    out_i, out_j = [], []
    lengths = np.array([len(k) if k is not None else 0 for k in keys[rows]], dtype=np.int64)
    for size in range(2, SMALL_BLOCK + 1):
        first = starts[sizes == size]
        if len(first) == 0:
            continue
        x, y = np.triu_indices(size, k=1)
        a = (first[:, None] + x[None, :]).ravel()
        b = (first[:, None] + y[None, :]).ravel()
        la, lb = lengths[a], lengths[b]
        possible = 200 * np.minimum(la, lb) >= TITLE_THRESHOLD * (la + lb)
        out_i.append(rows[a[possible]])
        out_j.append(rows[b[possible]])
    if not out_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _similar_titles(a_idx: np.ndarray, b_idx: np.ndarray, keys: np.ndarray, no_doi: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (i in ``a_idx``, j in ``b_idx``) and score of the title pairs scoring at least
    :data:`TITLE_THRESHOLD`. Pairs of two records with DOIs are not scored: they can never merge by title (on a
    corpus where most records have one, this skips most of the matrix).

    When ``a_idx is b_idx`` (a square: rows compared with each other), each unordered pair of distinct rows is
    scored once: the rows without DOI against each other as a symmetric matrix (rapidfuzz scores its upper
    triangle), then against the rows with DOIs; a pair comes back once, in either orientation. Otherwise every
    ordered pair with at least one row without DOI is scored once (rows without DOI of ``a`` against all of ``b``,
    rows with DOIs of ``a`` against the rows without DOI of ``b``)."""
    a_open, a_doi = np.nonzero(no_doi[a_idx])[0], np.nonzero(~no_doi[a_idx])[0]
    b_open = np.nonzero(no_doi[b_idx])[0]
    if a_idx is b_idx:  # open × open (one triangle), open × DOI
        passes = ((a_open, a_open), (a_open, a_doi))
    else:  # open × all, DOI × open
        passes = ((a_open, np.arange(len(b_idx))), (a_doi, b_open))
    found_i, found_j, found_s = [], [], []
    for rows_a, rows_b in passes:
        if len(rows_a) == 0 or len(rows_b) == 0:
            continue
        ta = [keys[i] for i in a_idx[rows_a]]
        tb = ta if rows_b is rows_a else [keys[i] for i in b_idx[rows_b]]
        scores = process.cdist(ta, tb, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD,
                               workers=-1 if len(ta) * len(tb) > 20_000 else 1)
        ii, jj = np.nonzero(np.triu(scores, k=1) if tb is ta else scores)
        found_i.append(rows_a[ii])
        found_j.append(rows_b[jj])
        found_s.append(scores[ii, jj].astype(float))
    if not found_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    ii, jj, ss = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)
    order = np.lexsort((jj, ii))
    return ii[order], jj[order], ss[order]


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
            cols = ["author_id", "affiliation", "country", "countries"]
            merged = sub.merge(fill[["cluster", "position", "_k", *cols]], on=["cluster", "position", "_k"],
                               how="left", suffixes=("", "_o"), validate="m:1")
            for c in cols:
                merged[c] = merged[c].fillna(merged[c + "_o"])
            merged = merged.drop(columns=[c + "_o" for c in cols] + ["_k"])
            main = pd.concat([main[~m_dup], merged], ignore_index=True)
    return main.drop(columns=["row"])
