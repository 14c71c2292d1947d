"""Directory of researchers: authors of the bank with a Québec affiliation, their works, themes and last year.

Institutions and their aliases are data (``data/raw/vigie/quebec_institutions.yaml``); matching folds accents
and case and requires whole words, the longest alias winning, so "Univ Quebec Montreal" is UQAM, not the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis import paths
from analysis.errors import SchemaError
from analysis.sources_authors import author_key_series
from analysis.text import normalize_key

OTHER_QUEBEC = "Autre affiliation au Québec"


@dataclass(frozen=True)
class Institutions:
    aliases: pd.DataFrame  # institution, alias, alias_key, needs_province (longest alias first)
    province_patterns: tuple[str, ...]

    def names(self) -> list[str]:
        return sorted(self.aliases["institution"].unique())


def load_institutions(path: str | Path) -> Institutions:
    """Read and check the institution alias file; a bad entry raises :class:`SchemaError` naming file and entry."""
    path = Path(path)
    where = paths.relative(path) if path.is_absolute() else str(path)
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except FileNotFoundError:
        raise SchemaError("institution file not found", path=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SchemaError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=where,
                          line=None if mark is None else mark.line + 1) from None
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


def match_affiliation(affiliation: str | None, institutions: Institutions) -> str | None:
    """The Québec institution named in an affiliation, ``OTHER_QUEBEC`` for a Québec address without a known
    institution, or None."""
    key = normalize_key(affiliation) if isinstance(affiliation, str) else None
    if not key:
        return None
    prov = _word_re(institutions.province_patterns)
    in_quebec = bool(prov.search(key)) if prov else False
    padded = f" {key} "
    for inst, alias_key, needs in institutions.aliases[["institution", "alias_key", "needs_province"]].itertuples(
            index=False, name=None):
        if f" {alias_key} " in padded and (in_quebec or not needs):
            return inst
    return OTHER_QUEBEC if in_quebec else None


def compute_quebec_authorships(authorships: pd.DataFrame, institutions: Institutions) -> pd.DataFrame:
    """Authorships whose affiliation is in Québec, with the matched ``institution`` and the author ``key``."""
    a = authorships.dropna(subset=["affiliation"]).copy()
    uniq = {v: match_affiliation(v, institutions) for v in a["affiliation"].unique()}
    a["institution"] = a["affiliation"].map(uniq)
    a = a[a["institution"].notna()].copy()
    a["key"] = author_key_series(a)
    return a.reset_index(drop=True)


def compute_directory(authorships: pd.DataFrame, works: pd.DataFrame, work_themes: pd.DataFrame,
                      institutions: Institutions, theme_labels: dict[str, str] | None = None,
                      max_themes: int = 3) -> pd.DataFrame:
    """One row per author with a Québec affiliation: name, main institution (most Québec works, then most recent),
    works in the bank (all of them), main themes (most frequent first, ties by id), first and last year.
    Sorted by works (desc.), then name."""
    cols = ["author", "author_full", "institution", "n_works", "n_quebec_works", "themes", "first_year", "last_year"]
    qa = compute_quebec_authorships(authorships, institutions)
    if qa.empty:
        return pd.DataFrame(columns=cols)
    all_a = authorships.dropna(subset=["author"]).copy()
    all_a["key"] = author_key_series(all_a)
    keys = set(qa["key"].dropna())
    mine = all_a[all_a["key"].isin(keys)].drop_duplicates(["work_id", "key"])
    mine = mine.merge(works[["work_id", "year"]], on="work_id", how="left")
    labels = theme_labels or {}
    wt = work_themes[["work_id", "theme"]]
    rows = []
    for key, g in mine.groupby("key", sort=True):
        q = qa[qa["key"] == key]
        q = q.merge(works[["work_id", "year"]], on="work_id", how="left")
        inst = q.groupby("institution").agg(n=("work_id", "nunique"), last=("year", "max"))
        inst["last"] = inst["last"].astype("Float64").fillna(-1)
        # main institution: most works; ties → the most recent one; a named institution before "other Québec"
        top_inst = sorted(inst.index, key=lambda s: (-inst.loc[s, "n"], -float(inst.loc[s, "last"]),
                                                     s == OTHER_QUEBEC, s))[0]
        th = wt[wt["work_id"].isin(g["work_id"])]["theme"].value_counts()
        top_themes = sorted(th.index, key=lambda s: (-th[s], s))[:max_themes]
        full = g["author_full"].dropna() if "author_full" in g else pd.Series(dtype=object)
        rows.append({
            "author": g["author"].value_counts().sort_index().idxmax(),
            "author_full": full.value_counts().sort_index().idxmax() if len(full) else None,
            "institution": top_inst,
            "n_works": int(g["work_id"].nunique()),
            "n_quebec_works": int(q["work_id"].nunique()),
            "themes": "; ".join(labels.get(t, t) for t in top_themes),
            "first_year": g["year"].min(),
            "last_year": g["year"].max(),
        })
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["n_works", "author"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    for c in ("first_year", "last_year"):
        out[c] = pd.array(out[c], dtype="Int64")
    return out


def compute_institution_counts(directory: pd.DataFrame) -> pd.DataFrame:
    """Researchers and works per main institution (works may count for several researchers)."""
    if directory.empty:
        return pd.DataFrame(columns=["institution", "n_researchers", "n_works"])
    g = directory.groupby("institution").agg(n_researchers=("author", "size"), n_works=("n_works", "sum")).reset_index()
    return g.sort_values(["n_researchers", "institution"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def compute_theme_capacity(authorships: pd.DataFrame, quebec_authorships: pd.DataFrame,
                           work_themes: pd.DataFrame) -> pd.Series:
    """Québec research capacity per theme: distinct Québec-affiliated authors with at least one work on the theme
    (any of their works in the bank counts, Québec-affiliated or not)."""
    keys = set(quebec_authorships["key"].dropna())
    a = authorships.dropna(subset=["author"]).copy()
    a["key"] = author_key_series(a)
    a = a[a["key"].isin(keys)][["work_id", "key"]].drop_duplicates()
    return a.merge(work_themes[["work_id", "theme"]], on="work_id").groupby("theme")["key"].nunique()
