"""Directory of researchers: authors of the bank with a Québec affiliation, their works, themes and last year.

Institutions and their aliases are data (``data/raw/vigie/quebec_institutions.yaml``); matching folds accents
and case and requires whole words, the longest alias winning, so "Univ Quebec Montreal" is UQAM, not the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_type
from analysis.core.errors import SchemaError
from analysis.core.text import fold_series, normalize_key
from analysis.core.yamlfile import read_yaml
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.inputs import resolve_path
from analysis.vigie.sources_authors import author_key_series, most_frequent

#: The institution of a Québec address without a known institution (a code: the report names it).
OTHER_QUEBEC = "other_quebec"
INSTITUTIONS_PATH = "data/raw/vigie/quebec_institutions.yaml"


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


def compute_quebec_authorships(authorships: pd.DataFrame, institutions: Institutions) -> pd.DataFrame:
    """Authorships whose affiliation is in Québec, with the matched ``institution``, the author ``key`` and
    ``shared_affiliation``: the work's authors all carry the same multi-address affiliation (some exports give
    one affiliation list per record), so the person–institution link is uncertain.

    Parameters
    ----------
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    institutions : Institutions

    Returns
    -------
    DataFrame
        The authorships with an affiliation in Québec, plus ``institution``, ``key``, ``shared_affiliation``.
    """
    require_table(authorships, "authorships", ("work_id", "author", "affiliation"))
    _require_institutions(institutions)
    a = authorships.dropna(subset=["affiliation"]).copy()
    m = _matcher(institutions)
    uniq = a["affiliation"].drop_duplicates()
    keys = fold_series(uniq)
    matched = {aff: _match_key(k, m) if isinstance(k, str) else None for aff, k in zip(uniq.tolist(), keys.tolist())}
    a["institution"] = a["affiliation"].map(matched)
    a = a[a["institution"].notna()].copy()
    a["key"] = author_key_series(a)
    n_auth = authorships.groupby("work_id").size()
    n_aff = authorships.groupby("work_id")["affiliation"].nunique()
    multi_addr = a["affiliation"].astype(str).str.contains(";", regex=False)
    a["shared_affiliation"] = (a["work_id"].map(n_auth) > 1) & (a["work_id"].map(n_aff) == 1) & multi_addr
    return a.reset_index(drop=True)


def compute_directory(authorships: pd.DataFrame, works: pd.DataFrame, work_themes: pd.DataFrame,
                      institutions: Institutions, max_themes: int = 3) -> pd.DataFrame:
    """The directory of researchers: one row per author with a Québec affiliation.

    Main institution: the one with most Québec works, then the most recent (a known institution before
    ``OTHER_QUEBEC``). Works: all the author's works in the bank. Main themes: the most frequent first, ties by id.
    ``to_check`` when every Québec link of the author comes from a shared record-level affiliation.

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

    Returns
    -------
    DataFrame
        ``author``, ``author_full``, ``institution``, ``n_works``, ``n_quebec_works``, ``themes`` (theme ids joined
        by ``"; "``), ``first_year``, ``last_year``, ``to_check``; by works (desc.), then name.
    """
    require_table(works, "works", ("work_id", "year"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    require_count(max_themes, "max_themes")
    cols = ["author", "author_full", "institution", "n_works", "n_quebec_works", "themes", "first_year", "last_year",
            "to_check"]
    qa = compute_quebec_authorships(authorships, institutions)
    if qa.empty:
        return pd.DataFrame(columns=cols)
    all_a = authorships.dropna(subset=["author"]).copy()
    all_a["key"] = author_key_series(all_a)
    mine = all_a[all_a["key"].isin(set(qa["key"].dropna()))].drop_duplicates(["work_id", "key"])
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
    g["to_check"] = q.groupby("key")["shared_affiliation"].all()
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
