"""Directory of researchers: authors of the bank with a Québec affiliation of their own, their works, themes and
years, why an entry is « à vérifier », and its precision on a hand-checked sample.

Institutions and their aliases are data (``data/raw/vigie/quebec_institutions.yaml``); matching folds accents
and case and requires whole words, the longest alias winning, so "Univ Quebec Montreal" is UQAM, not the network.
An author counts as Québec only through an address that is theirs (:func:`compute_quebec_authorships`): some
exports (Scopus BibTeX) give one address list for all the authors of a record, and a foreign co-author of a Québec
author must not become a Québec researcher. The hand labels of a sample of entries are project data
(``data/raw/vigie/directory_review.csv``): :func:`draw_review_sample`, :func:`label_review_sample` and
:func:`directory_precision` give the directory's precision with a Wilson interval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.checks import require_choice, require_type
from analysis.core.errors import DataIntegrityError, SchemaError
from analysis.core.stats import wilson_interval
from analysis.core.tables import int_column, raw_path, read_validated_csv, text_column
from analysis.core.text import fold_series, normalize_key
from analysis.core.yamlfile import read_yaml
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.inputs import resolve_path
from analysis.vigie.sources_authors import author_key_series, most_frequent

#: The institution of a Québec address without a known institution (a code: the report names it).
OTHER_QUEBEC = "other_quebec"
INSTITUTIONS_PATH = "data/raw/vigie/quebec_institutions.yaml"

#: How authorships are attributed to Québec (:func:`compute_quebec_authorships`).
ATTRIBUTION_RULES = ("own", "record")
# the basis of an attribution (codes; the report names them)
OWN = "own_address"
ALL_QUEBEC = "all_addresses_quebec"
BY_POSITION = "address_by_position"
RECORD_LIST = "record_list"
OUTSIDE = "outside"
UNKNOWN = "unknown"
#: Why a directory entry is « à vérifier » (codes of ``check_reasons``; the report names them).
CHECK_REASONS = ("address_by_position", "institution_unknown", "latest_outside_quebec", "shared_address_list")


@dataclass(frozen=True)
class Institutions:
    """Québec institutions and their aliases (:func:`load_institutions`)."""

    aliases: pd.DataFrame  # institution, alias, alias_key, needs_province (longest alias first)
    province_patterns: tuple[str, ...]

    def names(self) -> list[str]:
        """Institution names, sorted."""
        return sorted(self.aliases["institution"].unique())


def _require_institutions(value: object) -> None:
    require_type(value, Institutions, "institutions", hint="load it with vigie.load_institutions()")


def load_institutions(path: str | Path | None = None) -> Institutions:
    """Read and check an institution alias file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file; relative to the current folder or to the project root. Default: the project's file,
        ``data/raw/vigie/quebec_institutions.yaml``.

    Returns
    -------
    Institutions

    Raises
    ------
    SchemaError
        When an entry has no name or no alias, naming the file and the entry.
    """
    path = resolve_path(INSTITUTIONS_PATH if path is None else path)
    where = paths.relative(path) if path.is_absolute() else str(path)
    data = read_yaml(path, "institution file") or {}
    rows = []
    for i, entry in enumerate(data.get("institutions") or []):
        name = entry.get("name") if isinstance(entry, dict) else None
        aliases = entry.get("aliases") if isinstance(entry, dict) else None
        if not name or not aliases:
            raise SchemaError(f"institution #{i + 1} needs a name and at least one alias", path=where,
                              field="institutions")
        for alias in aliases:
            key = normalize_key(str(alias))
            if key:
                rows.append({"institution": name, "alias": str(alias), "alias_key": key,
                             "needs_province": bool(entry.get("needs_province", False))})
    if not rows:
        raise SchemaError("no institution defined", path=where, field="institutions")
    df = pd.DataFrame(rows).drop_duplicates(["institution", "alias_key"])
    df["_len"] = df["alias_key"].str.len()
    df = df.sort_values(["_len", "alias_key"], ascending=[False, True], kind="mergesort").drop(columns="_len")
    patterns = tuple(sorted({k for k in (normalize_key(str(p)) for p in data.get("province_patterns") or []) if k}))
    return Institutions(df.reset_index(drop=True), patterns)


def _word_re(keys) -> re.Pattern[str] | None:
    keys = sorted(set(keys), key=lambda s: (-len(s), s))
    if not keys:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])")


@dataclass(frozen=True)
class _Matcher:
    alias_re: re.Pattern[str]
    province_re: re.Pattern[str] | None
    by_alias: dict[str, tuple[str, bool]]


def _matcher(institutions: Institutions) -> _Matcher:
    a = institutions.aliases
    by_alias = {k: (i, bool(n)) for i, k, n in a[["institution", "alias_key", "needs_province"]].itertuples(
        index=False, name=None)}
    return _Matcher(_word_re(by_alias), _word_re(institutions.province_patterns), by_alias)


def _match_key(key: str | None, m: _Matcher) -> str | None:
    if not key:
        return None
    in_quebec = bool(m.province_re.search(key)) if m.province_re else False
    best: tuple[int, str] | None = None
    # overlapping aliases ("univ quebec" inside "univ quebec montreal"): try every start position
    for start in range(len(key)):
        if start and key[start - 1].isalnum():
            continue
        hit = m.alias_re.match(key, start)
        if hit:
            inst, needs = m.by_alias[hit.group(0)]
            if (in_quebec or not needs) and (best is None or len(hit.group(0)) > best[0]):
                best = (len(hit.group(0)), inst)
    if best:
        return best[1]
    return OTHER_QUEBEC if in_quebec else None


def match_affiliation(affiliation: str | None, institutions: Institutions) -> str | None:
    """The Québec institution named in an affiliation.

    Parameters
    ----------
    affiliation : str or None
    institutions : Institutions

    Returns
    -------
    str or None
        The institution of the longest alias found (accents and case folded, whole words); ``OTHER_QUEBEC``
        (``"other_quebec"``) for a Québec address without a known institution; None otherwise.
    """
    _require_institutions(institutions)
    key = normalize_key(affiliation) if isinstance(affiliation, str) else None
    return _match_key(key, _matcher(institutions))


def split_addresses(affiliation: str | None) -> list[str]:
    """The addresses of an affiliation string (``;``-separated), stripped, empty ones dropped.

    Parameters
    ----------
    affiliation : str or None

    Returns
    -------
    list of str
    """
    if not isinstance(affiliation, str):
        return []
    return [part.strip() for part in affiliation.split(";") if part.strip()]


def _require_rule(rule: object) -> str:
    require_choice(rule, ATTRIBUTION_RULES, "rule")
    return str(rule)


def _shared_lists(authorships: pd.DataFrame) -> pd.Series:
    """Per authorship: whether its affiliation is the record's address list given to every author (several
    authors, one identical string of several addresses), so that whose address is whose is unknown."""
    n_auth = authorships.groupby("work_id")["position"].transform("size")
    n_aff = authorships.groupby("work_id")["affiliation"].transform("nunique")
    multi = authorships["affiliation"].astype("string").str.contains(";", regex=False).fillna(False).astype(bool)
    return ((n_auth > 1) & (n_aff == 1) & multi & authorships["affiliation"].notna()).astype(bool)


def _attribute(a: pd.DataFrame, m: _Matcher, rule: str) -> pd.DataFrame:
    """``institution``, ``basis`` and ``address`` of each authorship (``a`` has ``shared`` and ``n_authors``)."""
    uniq = a["affiliation"].dropna().drop_duplicates()
    keys = fold_series(uniq)
    whole = {aff: _match_key(k, m) if isinstance(k, str) else None for aff, k in zip(uniq.tolist(), keys.tolist())}
    addresses = sorted({x for aff in a.loc[a["shared"], "affiliation"].drop_duplicates() for x in split_addresses(aff)})
    addr_keys = fold_series(pd.Series(addresses, dtype=object)) if addresses else pd.Series([], dtype="string")
    single = {x: _match_key(k, m) if isinstance(k, str) else None for x, k in zip(addresses, addr_keys.tolist())}
    inst, basis, address = [], [], []
    for aff, shared, pos, n in a[["affiliation", "shared", "position", "n_authors"]].itertuples(index=False,
                                                                                             name=None):
        if not isinstance(aff, str):
            inst.append(None), basis.append(None), address.append(None)
            continue
        if not shared:
            found = whole[aff]
            inst.append(found), basis.append(OWN if found else None), address.append(aff)
            continue
        if rule == "record":
            found = whole[aff]
            inst.append(found), basis.append(RECORD_LIST if found else None), address.append(aff)
            continue
        parts = split_addresses(aff)
        matched = [single[x] for x in parts]
        by_position = len(parts) == int(n) and pd.notna(pos) and 1 <= int(pos) <= len(parts)
        if all(matched):
            known = [x for x in matched if x != OTHER_QUEBEC]
            here = matched[int(pos) - 1] if by_position else (known[0] if known else OTHER_QUEBEC)
            inst.append(here), basis.append(ALL_QUEBEC), address.append(aff)
        elif by_position and matched[int(pos) - 1]:
            inst.append(matched[int(pos) - 1]), basis.append(BY_POSITION), address.append(parts[int(pos) - 1])
        else:
            inst.append(None), basis.append(None), address.append(None)
    return a.assign(institution=inst, basis=basis, address=address)


def _prepared(authorships: pd.DataFrame) -> pd.DataFrame:
    a = authorships.copy()
    a["n_authors"] = a.groupby("work_id")["position"].transform("size")
    a["shared"] = _shared_lists(a)
    return a


def compute_quebec_authorships(authorships: pd.DataFrame, institutions: Institutions,
                               rule: str = "own") -> pd.DataFrame:
    """Authorships whose author is in Québec through their own affiliation, with the matched ``institution``.

    An author counts as Québec only through an address that is theirs (``basis``):

    - ``own_address``: the export gives each author their own affiliation (Scopus CSV, Web of Science, OpenAlex),
      or the work has one author, or one address for all;
    - ``all_addresses_quebec``: the record gives one list of addresses for every author (Scopus BibTeX) and every
      address of the list is in Québec, so each author is, whichever address is theirs;
    - ``address_by_position``: such a list holds as many addresses as the work has authors and the address at the
      author's rank is in Québec (the export lists addresses in author order: an inference, to check).

    A shared list that mixes Québec and other addresses without that one-to-one order attributes nobody (see
    :func:`compute_unattributed_quebec`): a foreign co-author of a Québec author is not a Québec researcher.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    institutions : Institutions
    rule : {"own", "record"}
        ``own`` (the rule above) or ``record``: the former rule, where any Québec address in the record's list
        made every author of the work Québec (basis ``record_list``), kept to measure what the rule changes.

    Returns
    -------
    DataFrame
        The authorships attributed to Québec, plus ``institution``, ``key`` (the author's identity),
        ``shared_affiliation`` (the record's list given to every author), ``basis`` and ``address`` (the
        affiliation text the attribution rests on).

    Raises
    ------
    ParameterError
        A table without the needed columns, or an unknown ``rule``.
    """
    require_table(authorships, "authorships", ("work_id", "position", "author", "affiliation"))
    _require_institutions(institutions)
    rule = _require_rule(rule)
    a = _prepared(authorships)
    a = _attribute(a[a["affiliation"].notna()], _matcher(institutions), rule)
    a = a[a["institution"].notna()].copy()
    a["key"] = author_key_series(a)
    a["shared_affiliation"] = a["shared"].astype(bool)
    return a.drop(columns=["shared", "n_authors"]).reset_index(drop=True)


def compute_unattributed_quebec(authorships: pd.DataFrame, institutions: Institutions) -> pd.DataFrame:
    """Works whose shared address list names a Québec institution that no author could be given.

    Nothing is dropped silently: these are the Québec addresses the directory does not use, because the export
    gives one list for all authors, the list also holds addresses outside Québec, and it is not one address per
    author in order (see :func:`compute_quebec_authorships`).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships.
    institutions : Institutions

    Returns
    -------
    DataFrame
        ``work_id``, ``n_authors``, ``n_addresses``, ``quebec_institutions`` (``"; "``-joined, sorted),
        ``authors`` (``"; "``-joined, in order); by work id.
    """
    require_table(authorships, "authorships", ("work_id", "position", "author", "affiliation"))
    _require_institutions(institutions)
    cols = ["work_id", "n_authors", "n_addresses", "quebec_institutions", "authors"]
    a = _prepared(authorships)
    shared = a[a["shared"]]
    if shared.empty:
        return pd.DataFrame(columns=cols)
    attributed = set(compute_quebec_authorships(authorships, institutions)["work_id"])
    m = _matcher(institutions)
    rows = []
    for work_id, g in shared.sort_values(["work_id", "position"]).groupby("work_id", sort=True):
        if work_id in attributed:
            continue
        parts = split_addresses(g["affiliation"].iloc[0])
        found = sorted({x for x in (_match_key(normalize_key(p), m) for p in parts) if x})
        if found:
            rows.append({"work_id": work_id, "n_authors": len(g), "n_addresses": len(parts),
                         "quebec_institutions": "; ".join(found), "authors": "; ".join(g["author"].astype(str))})
    return pd.DataFrame(rows, columns=cols)


def _check_reasons(q: pd.DataFrame, own_outside: pd.DataFrame, main: pd.Series) -> pd.Series:
    """Per author key, the codes of :data:`CHECK_REASONS` that apply, ``"; "``-joined (empty: nothing to check)."""
    keys = main.index
    reasons: dict[str, list[str]] = {k: [] for k in keys}
    by_position = q.groupby("key")["basis"].agg(lambda s: bool((s == BY_POSITION).all()))
    shared_only = q.groupby("key")["basis"].agg(lambda s: bool((s == RECORD_LIST).all()))
    last_quebec = q.groupby("key")["year"].max()
    last_outside = own_outside.groupby("key")["year"].max() if len(own_outside) else pd.Series(dtype=float)
    for k in keys:
        if shared_only.get(k, False):
            reasons[k].append("shared_address_list")
        if by_position.get(k, False):
            reasons[k].append("address_by_position")
        if main.get(k) == OTHER_QUEBEC:
            reasons[k].append("institution_unknown")
        lo, lq = last_outside.get(k), last_quebec.get(k)
        if lo is not None and pd.notna(lo) and (pd.isna(lq) or lo > lq):
            reasons[k].append("latest_outside_quebec")
    return pd.Series({k: "; ".join(v) for k, v in reasons.items()}, dtype=object)


def compute_directory(authorships: pd.DataFrame, works: pd.DataFrame, work_themes: pd.DataFrame,
                      institutions: Institutions, max_themes: int = 3, rule: str = "own") -> pd.DataFrame:
    """The directory of researchers: one row per author attributed to Québec by their own affiliation.

    Attribution: :func:`compute_quebec_authorships`. Main institution: the one with most Québec works, then the
    most recent (a known institution before ``OTHER_QUEBEC``). Works: all the author's works in the bank. Main
    themes: the most frequent first, ties by id. ``check_reasons`` lists why an entry is « à vérifier »
    (:data:`CHECK_REASONS`): ``address_by_position`` (every Québec link rests on the order of a shared address
    list), ``institution_unknown`` (a Québec address without a known institution), ``latest_outside_quebec`` (the
    author's own affiliation on a later work is outside Québec), ``shared_address_list`` (rule ``record`` only:
    every Québec link is a list given to all authors).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    works : DataFrame
        The bank's works (``bank.works``).
    work_themes : DataFrame
        From :func:`analysis.vigie.compute_work_themes`.
    institutions : Institutions
        From :func:`load_institutions`.
    max_themes : int
        Themes listed per author.
    rule : {"own", "record"}
        The attribution rule (:func:`compute_quebec_authorships`).

    Returns
    -------
    DataFrame
        ``author``, ``author_full``, ``institution``, ``n_works``, ``n_quebec_works``, ``themes`` (theme ids joined
        by ``"; "``), ``first_year``, ``last_year``, ``to_check``, ``check_reasons`` (codes joined by ``"; "``),
        ``key``; by works (desc.), then name.
    """
    require_table(works, "works", ("work_id", "year"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    require_count(max_themes, "max_themes")
    cols = ["author", "author_full", "institution", "n_works", "n_quebec_works", "themes", "first_year", "last_year",
            "to_check", "check_reasons", "key"]
    qa = compute_quebec_authorships(authorships, institutions, rule)
    if qa.empty:
        return pd.DataFrame(columns=cols)
    all_a = authorships.dropna(subset=["author"]).copy()
    all_a["key"] = author_key_series(all_a)
    keys = set(qa["key"].dropna())
    mine = all_a[all_a["key"].isin(keys)].drop_duplicates(["work_id", "key"])
    mine = mine.merge(works[["work_id", "year"]], on="work_id", how="left")
    g = mine.groupby("key").agg(n_works=("work_id", "nunique"), first_year=("year", "min"), last_year=("year", "max"))
    q = qa.merge(works[["work_id", "year"]], on="work_id", how="left")
    inst = q.groupby(["key", "institution"]).agg(n=("work_id", "nunique"), last=("year", "max")).reset_index()
    inst["last"] = inst["last"].astype("Float64").fillna(-1)
    inst["other"] = inst["institution"] == OTHER_QUEBEC
    inst = inst.sort_values(["key", "n", "last", "other", "institution"], ascending=[True, False, False, True, True],
                            kind="mergesort").drop_duplicates("key").set_index("key")
    g["institution"] = inst["institution"]
    g["n_quebec_works"] = q.groupby("key")["work_id"].nunique()
    outside = _own_outside(authorships, institutions, keys, works)
    g["check_reasons"] = _check_reasons(q, outside, g["institution"])
    g["to_check"] = g["check_reasons"] != ""
    th = mine[["work_id", "key"]].merge(work_themes[["work_id", "theme"]], on="work_id")
    th = th.groupby(["key", "theme"]).size().rename("n").reset_index()
    th = th.sort_values(["key", "n", "theme"], ascending=[True, False, True], kind="mergesort")
    th = th.groupby("key").head(max_themes)
    g["themes"] = th.groupby("key", sort=False)["theme"].agg("; ".join)
    g["themes"] = g["themes"].fillna("")
    g["author"] = most_frequent(mine, "key", "author")
    g["author_full"] = most_frequent(mine, "key", "author_full") if "author_full" in mine else None
    out = g.reset_index()[cols]
    out = out.sort_values(["n_works", "author", "author_full"], ascending=[False, True, True],
                          kind="mergesort").reset_index(drop=True)
    for c in ("first_year", "last_year"):
        out[c] = pd.array(out[c], dtype="Int64")
    out["n_quebec_works"] = out["n_quebec_works"].astype(int)
    out["to_check"] = out["to_check"].astype(bool)
    return out


def _own_outside(authorships: pd.DataFrame, institutions: Institutions, keys: set, works: pd.DataFrame
                 ) -> pd.DataFrame:
    """Authorships of ``keys`` whose own affiliation (not a shared list) is outside Québec, with their year."""
    a = _prepared(authorships)
    a = a[a["affiliation"].notna() & ~a["shared"]].copy()
    if a.empty:
        return pd.DataFrame(columns=["key", "work_id", "year"])
    a["key"] = author_key_series(a)
    a = a[a["key"].isin(keys)]
    m = _matcher(institutions)
    uniq = a["affiliation"].drop_duplicates()
    found = {aff: _match_key(k, m) if isinstance(k, str) else None
             for aff, k in zip(uniq.tolist(), fold_series(uniq).tolist())}
    a = a[a["affiliation"].map(found).isna()]
    return a[["key", "work_id"]].merge(works[["work_id", "year"]], on="work_id", how="left")


def compute_researcher_works(directory: pd.DataFrame, authorships: pd.DataFrame, works: pd.DataFrame,
                             institutions: Institutions, rule: str = "own") -> pd.DataFrame:
    """Every work of every researcher of the directory, with the affiliation text it carries and how it counts.

    Parameters
    ----------
    directory : DataFrame
        From :func:`compute_directory` (its ``key`` column).
    authorships, works : DataFrame
        The bank's tables.
    institutions : Institutions
    rule : {"own", "record"}
        The attribution rule the directory was built with.

    Returns
    -------
    DataFrame
        ``key``, ``work_id``, ``position``, ``year``, ``title``, ``doi``, ``quebec`` (the work counts for Québec),
        ``institution``, ``basis`` (:func:`compute_quebec_authorships`; ``outside`` for an own address outside
        Québec, ``unknown`` for a shared list that attributes nothing, empty when the work carries no affiliation),
        ``affiliation`` (the text the row rests on: the author's address, or the record's list); by directory
        order, then year (most recent first), then work id.
    """
    require_table(directory, "directory", ("key",))
    require_table(works, "works", ("work_id", "year", "title", "doi"))
    require_table(authorships, "authorships", ("work_id", "position", "author", "affiliation"))
    cols = ["key", "work_id", "position", "year", "title", "doi", "quebec", "institution", "basis", "affiliation"]
    if directory.empty:
        return pd.DataFrame(columns=cols)
    a = _prepared(authorships.dropna(subset=["author"]))
    a["key"] = author_key_series(a)
    order = {k: i for i, k in enumerate(directory["key"])}
    a = a[a["key"].isin(order)].drop_duplicates(["work_id", "key"])
    qa = compute_quebec_authorships(authorships, institutions, rule)[["work_id", "position", "institution", "basis",
                                                                      "address"]]
    a = a.merge(qa, on=["work_id", "position"], how="left")
    a["quebec"] = a["institution"].notna()
    outside = a["affiliation"].notna() & ~a["quebec"]
    a["basis"] = a["basis"].astype(object).where(a["quebec"], None)
    a.loc[outside & ~a["shared"], "basis"] = OUTSIDE
    a.loc[outside & a["shared"], "basis"] = UNKNOWN
    a["affiliation"] = a["address"].where(a["quebec"], a["affiliation"])
    a = a.merge(works[["work_id", "year", "title", "doi"]], on="work_id", how="left")
    a["_order"] = a["key"].map(order)
    a["_year"] = a["year"].astype("Float64").fillna(-1)
    a = a.sort_values(["_order", "_year", "work_id"], ascending=[True, False, True], kind="mergesort")
    out = a[cols].reset_index(drop=True)
    out["quebec"] = out["quebec"].astype(bool)
    return out


def compute_institution_counts(directory: pd.DataFrame) -> pd.DataFrame:
    """Researchers and works per main institution (works may count for several researchers).

    Parameters
    ----------
    directory : DataFrame
        From :func:`compute_directory`.

    Returns
    -------
    DataFrame
        ``institution``, ``n_researchers``, ``n_works``; by researchers (desc.), then institution.
    """
    require_table(directory, "directory", ("author", "institution", "n_works"))
    if directory.empty:
        return pd.DataFrame(columns=["institution", "n_researchers", "n_works"])
    g = directory.groupby("institution").agg(n_researchers=("author", "size"), n_works=("n_works", "sum"))
    g = g.reset_index().sort_values(["n_researchers", "institution"], ascending=[False, True], kind="mergesort")
    return g.reset_index(drop=True)


def compute_theme_capacity(authorships: pd.DataFrame, quebec_authorships: pd.DataFrame,
                           work_themes: pd.DataFrame) -> pd.Series:
    """Québec research capacity per theme: distinct Québec-affiliated authors with at least one work on the theme
    (any of their works in the bank counts, Québec-affiliated or not).

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    quebec_authorships : DataFrame
        From :func:`compute_quebec_authorships`.
    work_themes : DataFrame
        From :func:`analysis.vigie.compute_work_themes`.

    Returns
    -------
    Series
        Researchers per theme id.
    """
    require_table(authorships, "authorships", ("work_id", "author"))
    require_table(quebec_authorships, "quebec_authorships", ("key",))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    keys = set(quebec_authorships["key"].dropna())
    a = authorships.dropna(subset=["author"]).copy()
    a["key"] = author_key_series(a)
    a = a[a["key"].isin(keys)][["work_id", "key"]].drop_duplicates()
    return a.merge(work_themes[["work_id", "theme"]], on="work_id").groupby("theme")["key"].nunique()


# ---- hand review of the directory ------------------------------------------------------------------------------

REVIEW_PATH = Path("vigie/directory_review.csv")
REVIEW_COLUMNS = ["work_id", "position", "doi", "label", "reason"]
#: Labels of the hand review: the person is in Québec by the affiliation text, is not, or the text cannot tell.
REVIEW_LABELS = ("quebec", "not_quebec", "unsure")
#: Reason codes of each label (what the reviewer read in the affiliation text).
REVIEW_REASONS = {
    "quebec": ("own_address", "all_addresses_quebec", "list_order"),
    "not_quebec": ("own_address_outside", "coauthor_address"),
    "unsure": ("list_mismatch",),
}

REVIEW_SCHEMA = pa.DataFrameSchema(
    {
        "work_id": text_column(False, checks=pa.Check.str_matches(r"^W\d{5,}$")),
        "position": int_column(False, lo=1),
        "doi": text_column(),
        "label": text_column(False, checks=pa.Check.isin(REVIEW_LABELS)),
        "reason": text_column(False, checks=pa.Check.isin(sorted({r for v in REVIEW_REASONS.values() for r in v}))),
    },
    name="vigie/directory_review.csv",
    unique=["work_id", "position"],
)


def load_directory_review(path: str | Path | None = None) -> pd.DataFrame:
    """The hand labels of directory entries (``data/raw/vigie/directory_review.csv``), validated.

    One row per reviewed person, identified by one of their authorships (bank work id, author position, and the
    work's DOI as a check that the bank still numbers works the same way); no name and no affiliation text.

    Parameters
    ----------
    path : str or Path, optional
        Default: the project's file.

    Returns
    -------
    DataFrame
        ``work_id``, ``position``, ``doi``, ``label`` (:data:`REVIEW_LABELS`), ``reason`` (:data:`REVIEW_REASONS`).

    Raises
    ------
    SchemaError
        A bad value (unknown label, a reason that does not go with its label), naming the file, line and column.
    """
    file = raw_path(None if path is None else resolve_path(path), REVIEW_PATH)
    table = read_validated_csv(file, REVIEW_SCHEMA)
    for i, (label, reason) in enumerate(zip(table["label"], table["reason"])):
        if reason not in REVIEW_REASONS[label]:
            raise SchemaError(f"reason {reason!r} does not go with label {label!r} (allowed: "
                              f"{', '.join(REVIEW_REASONS[label])})", path=file, line=i + 2, field="reason")
    return table


def draw_review_sample(directory: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """A seeded random sample of directory entries to check by hand (all of them when there are fewer).

    The draw does not depend on the directory's row order: entries are sorted by ``key`` first.

    Parameters
    ----------
    directory : DataFrame
        From :func:`compute_directory`.
    size : int
        Entries drawn.
    seed : int
        Seed of the draw (``numpy.random.default_rng``).

    Returns
    -------
    DataFrame
        The drawn rows with ``draw`` (1 = first drawn), in draw order.
    """
    require_table(directory, "directory", ("key",))
    require_count(size, "size")
    require_count(seed, "seed", minimum=0)
    d = directory.sort_values("key", kind="mergesort").reset_index(drop=True)
    order = np.random.default_rng(seed).permutation(len(d))[:size]
    out = d.iloc[order].reset_index(drop=True)
    out.insert(0, "draw", np.arange(1, len(out) + 1))
    return out


def review_for_bank(review: pd.DataFrame, works: pd.DataFrame) -> pd.DataFrame | None:
    """The review rows that belong to this bank, or None when the review was made on another corpus.

    A row belongs when its work id exists with the recorded DOI (a work id absent from the bank, e.g. outside its
    year window, says nothing). When no row belongs, the review is another corpus's (None: the sample is
    unreviewed); when some do and others point at a work with another DOI, the bank numbers its works differently
    from when the review was made, and the review must be redone.

    Parameters
    ----------
    review : DataFrame
        From :func:`load_directory_review`.
    works : DataFrame
        The bank's works.

    Returns
    -------
    DataFrame or None

    Raises
    ------
    DataIntegrityError
        Some rows match the bank and others do not.
    """
    require_table(review, "review", REVIEW_COLUMNS)
    require_table(works, "works", ("work_id", "doi"))
    dois = works.set_index("work_id")["doi"]
    ok, bad = [], []
    for i, r in enumerate(review.itertuples(index=False)):
        if r.work_id not in dois.index:  # outside this bank or its window: says nothing
            continue
        have, want = dois.get(r.work_id), r.doi
        same = (pd.isna(have) and pd.isna(want)) or (pd.notna(have) and pd.notna(want)
                                                     and str(have).lower() == str(want).lower())
        (ok if same else bad).append(i)
    if not ok:
        return None
    if bad:
        r = review.iloc[bad[0]]
        raise DataIntegrityError(f"review row {r['work_id']}/{r['position']} expects DOI {r['doi']}, the bank has "
                                 f"{dois.get(r['work_id'])}: the bank numbers its works differently, redo the review",
                                 path=str(REVIEW_PATH))
    return review


def label_review_sample(sample: pd.DataFrame, authorships: pd.DataFrame, works: pd.DataFrame,
                        review: pd.DataFrame) -> pd.DataFrame:
    """The sample with each entry's hand ``label`` and ``reason`` (missing when the entry was not reviewed).

    An entry takes the review row naming one of its authorships (work id and position).

    Parameters
    ----------
    sample : DataFrame
        From :func:`draw_review_sample`.
    authorships, works : DataFrame
        The bank's tables (the sample's bank).
    review : DataFrame
        From :func:`load_directory_review`.

    Returns
    -------
    DataFrame
        ``sample`` plus ``label``, ``reason``, ``review_work_id``, ``review_position``.

    Raises
    ------
    DataIntegrityError
        A review row whose work no longer has the recorded DOI (the bank numbers its works differently: redo the
        review), or two review rows for one person that disagree.
    """
    require_table(sample, "sample", ("key",))
    require_table(authorships, "authorships", ("work_id", "position", "author"))
    require_table(works, "works", ("work_id", "doi"))
    require_table(review, "review", REVIEW_COLUMNS)
    checked = review_for_bank(review, works)
    review = review.iloc[0:0] if checked is None else checked
    a = authorships.dropna(subset=["author"]).copy()
    a["key"] = author_key_series(a)
    linked = review.merge(a[["work_id", "position", "key"]], on=["work_id", "position"], how="inner")
    clash = linked.groupby("key")["label"].nunique()
    if (clash > 1).any():
        raise DataIntegrityError(f"review rows disagree for one person ({clash[clash > 1].index[0]})",
                                 path=str(REVIEW_PATH))
    linked = linked.sort_values(["key", "work_id", "position"], kind="mergesort").drop_duplicates("key")
    linked = linked.rename(columns={"work_id": "review_work_id", "position": "review_position"})
    return sample.merge(linked[["key", "label", "reason", "review_work_id", "review_position"]], on="key", how="left")


def directory_precision(labelled: pd.DataFrame) -> dict[str, float]:
    """Precision of the directory on a hand-labelled sample: entries labelled ``quebec`` among those the review
    could decide (``unsure`` and unreviewed entries are counted and left out), with its Wilson 95 % interval.

    Parameters
    ----------
    labelled : DataFrame
        From :func:`label_review_sample`.

    Returns
    -------
    dict
        ``sampled``, ``reviewed``, ``quebec``, ``not_quebec``, ``unsure``, ``unreviewed``, ``by_list_order``
        (``quebec`` labels that rest on the order of a shared address list), ``precision``, ``ci_low``,
        ``ci_high`` (ratios; NaN when nothing could be decided).
    """
    require_table(labelled, "labelled", ("label", "reason"))
    lab = labelled["label"].astype(object)
    right, wrong = int((lab == "quebec").sum()), int((lab == "not_quebec").sum())
    low, high = wilson_interval(right, right + wrong)
    return {"sampled": len(labelled), "reviewed": int(lab.notna().sum()), "quebec": right, "not_quebec": wrong,
            "unsure": int((lab == "unsure").sum()), "unreviewed": int(lab.isna().sum()),
            "by_list_order": int(((lab == "quebec") & (labelled["reason"] == "list_order")).sum()),
            "precision": right / (right + wrong) if right + wrong else float("nan"), "ci_low": low, "ci_high": high}
