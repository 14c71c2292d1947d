"""Themes of the publication bank: a bilingual dictionary kept as data (``data/raw/vigie/themes.yaml``).

Each theme lists whole-word ``terms`` and word-beginning ``stems``; a work belongs to a theme when its title,
abstract or keywords (accents folded, lower case) contain one of them. Themes are tied to the roadmap's five
societal issues so that literature, practices and priorities can be compared on the same grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_type
from analysis.core.errors import SchemaError
from analysis.core.text import fold_series, normalize_key
from analysis.core.yamlfile import read_yaml
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.inputs import resolve_path

TEXT_FIELDS = ("title", "abstract", "author_keywords", "index_keywords")
THEMES_PATH = "data/raw/vigie/themes.yaml"


@dataclass(frozen=True)
class Theme:
    """One theme: its id, bilingual label, societal issue, innovation orientations, roadmap levers, and the
    folded ``terms`` (whole words) and ``stems`` (word beginnings) that identify it."""

    id: str
    label: dict[str, str]
    issue: str
    orientations: tuple[str, ...] = ()
    levers: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeDictionary:
    """A theme dictionary (:func:`load_themes`): the themes in order, and the bilingual names of the societal
    issues and innovation orientations they refer to (data; the report layer picks the language)."""

    themes: tuple[Theme, ...]
    issues: dict[str, dict[str, str]] = field(default_factory=dict)
    orientations: dict[str, dict[str, str]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        """Theme ids in dictionary order."""
        return [t.id for t in self.themes]

    def issue_of(self) -> dict[str, str]:
        """Theme id → its societal issue."""
        return {t.id: t.issue for t in self.themes}


def _key(text: str) -> str:
    return normalize_key(text) or ""


def load_themes(path: str | Path | None = None) -> ThemeDictionary:
    """Read and check a theme dictionary.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file; relative to the current folder or to the project root. Default: the project's bilingual
        dictionary, ``data/raw/vigie/themes.yaml``.

    Returns
    -------
    ThemeDictionary

    Raises
    ------
    SchemaError
        When an entry is malformed (no id, twice the same id, unknown issue or orientation, no term), naming the
        file and the theme.
    """
    path = resolve_path(THEMES_PATH if path is None else path)
    where = paths.relative(path) if path.is_absolute() else str(path)
    data = read_yaml(path, "theme dictionary") or {}
    issues = data.get("issues") or {}
    orientations = data.get("orientations") or {}
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("themes") or []):
        tid = entry.get("id") if isinstance(entry, dict) else None
        if not tid or not isinstance(tid, str):
            raise SchemaError(f"theme #{i + 1} has no id", path=where, field="themes.id")
        if tid in seen:
            raise SchemaError(f"theme {tid!r} is defined twice", path=where, field=f"themes.{tid}")
        seen.add(tid)
        label = entry.get("label") or {}
        if not isinstance(label, dict) or "fr" not in label:
            raise SchemaError(f"theme {tid!r} needs a label with a 'fr' entry", path=where, field=f"themes.{tid}.label")
        issue = entry.get("issue")
        if issues and issue not in issues:
            raise SchemaError(f"theme {tid!r}: issue {issue!r} is not one of {sorted(issues)}", path=where,
                              field=f"themes.{tid}.issue")
        orients = tuple(entry.get("orientations") or ())
        unknown = [o for o in orients if orientations and o not in orientations]
        if unknown:
            raise SchemaError(f"theme {tid!r}: unknown orientation(s) {unknown}", path=where,
                              field=f"themes.{tid}.orientations")
        terms = tuple(k for k in (_key(str(t)) for t in entry.get("terms") or ()) if k)
        stems = tuple(k for k in (_key(str(s)) for s in entry.get("stems") or ()) if k)
        if not terms and not stems:
            raise SchemaError(f"theme {tid!r} has neither terms nor stems", path=where, field=f"themes.{tid}.terms")
        themes.append(Theme(tid, dict(label), str(issue), orients, tuple(int(x) for x in entry.get("levers") or ()),
                            terms, stems))
    if not themes:
        raise SchemaError("the theme dictionary defines no theme", path=where, field="themes")
    return ThemeDictionary(tuple(themes), dict(issues), dict(orientations))


def theme_pattern(theme: Theme) -> re.Pattern[str]:
    """One regular expression per theme over normalized text: terms as whole words, stems as word beginnings.

    Parameters
    ----------
    theme : Theme

    Returns
    -------
    re.Pattern
    """
    parts = [re.escape(t) + r"(?![a-z0-9])" for t in sorted(set(theme.terms), key=lambda s: (-len(s), s))]
    parts += [re.escape(s) for s in sorted(set(theme.stems), key=lambda s: (-len(s), s))]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + ")")


def normalized_text(df: pd.DataFrame, fields: tuple[str, ...] = TEXT_FIELDS) -> pd.Series:
    """The matching text of each row: the given columns joined, accents folded, lower case, punctuation → space.

    Parameters
    ----------
    df : DataFrame
        Works (or practices).
    fields : tuple of str
        Columns joined (absent ones are skipped).

    Returns
    -------
    Series
        One string per row.
    """
    require_table(df, "df")
    cols = [c for c in fields if c in df.columns]
    if not cols or df.empty:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    joined = df[cols].astype(object).where(df[cols].notna(), "").astype(str).agg(" | ".join, axis=1)
    return fold_series(joined).fillna("").astype(object)


def compute_work_themes(works: pd.DataFrame, themes: ThemeDictionary, id_col: str = "work_id",
                        fields: tuple[str, ...] = TEXT_FIELDS) -> pd.DataFrame:
    """Which works belong to which theme: title, abstract or keywords contain one of its terms or stems.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``) or any table with ``id_col`` and the ``fields``.
    themes : ThemeDictionary
        From :func:`load_themes`.
    id_col : str
        The id column (``practice_id`` for practices).
    fields : tuple of str
        The text columns matched.

    Returns
    -------
    DataFrame
        ``<id_col>``, ``theme``: one row per work and matched theme, in dictionary order then id.

    Raises
    ------
    ParameterError
        When ``works`` is not a table with ``id_col`` or ``themes`` is not a ThemeDictionary.
    """
    require_table(works, "works", (id_col,))
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    text = normalized_text(works, fields)
    ids = works[id_col].astype(object)
    rows = []
    for theme in themes.themes:
        hit = text.str.contains(theme_pattern(theme), regex=True)
        rows.append(pd.DataFrame({id_col: ids[hit.to_numpy(dtype=bool)].to_numpy(), "theme": theme.id}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=[id_col, "theme"])
    order = {t: i for i, t in enumerate(themes.ids())}
    out["_o"] = out["theme"].map(order)
    return out.sort_values(["_o", id_col]).drop(columns="_o").reset_index(drop=True)


def compute_theme_table(themes: ThemeDictionary) -> pd.DataFrame:
    """The dictionary as a table of codes (the report layer names them).

    Parameters
    ----------
    themes : ThemeDictionary

    Returns
    -------
    DataFrame
        ``theme``, ``issue``, ``orientations`` (tuple of orientation codes), ``levers`` (text, e.g. ``"4, 5"``),
        ``n_terms`` (terms and stems).
    """
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    rows = [{"theme": t.id, "issue": t.issue, "orientations": tuple(t.orientations),
             "levers": ", ".join(str(x) for x in t.levers), "n_terms": len(t.terms) + len(t.stems)}
            for t in themes.themes]
    return pd.DataFrame(rows, columns=["theme", "issue", "orientations", "levers", "n_terms"])


def _require_work_themes(work_themes: object, id_col: str = "work_id") -> None:
    require_table(work_themes, "work_themes", (id_col, "theme"))


def compute_theme_shares(works: pd.DataFrame, work_themes: pd.DataFrame, themes: ThemeDictionary) -> pd.DataFrame:
    """Works per theme and their share of all works (a work may belong to several themes), dictionary order.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).
    work_themes : DataFrame
        From :func:`compute_work_themes`.
    themes : ThemeDictionary

    Returns
    -------
    DataFrame
        ``theme``, ``issue``, ``n_works``, ``share`` (NaN without works).
    """
    require_table(works, "works", ("work_id",))
    _require_work_themes(work_themes)
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    total = int(works["work_id"].nunique())
    counts = work_themes.groupby("theme")["work_id"].nunique()
    rows = [{"theme": t.id, "issue": t.issue, "n_works": int(counts.get(t.id, 0)),
             "share": (counts.get(t.id, 0) / total) if total else float("nan")}
            for t in themes.themes]
    return pd.DataFrame(rows, columns=["theme", "issue", "n_works", "share"])


def themed_coverage(works: pd.DataFrame, work_themes: pd.DataFrame) -> dict:
    """Works in the bank, works matching at least one theme, and their share.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).
    work_themes : DataFrame
        From :func:`compute_work_themes`.

    Returns
    -------
    dict
        ``n_works``, ``n_themed``, ``share_themed`` (NaN without works).
    """
    require_table(works, "works", ("work_id",))
    _require_work_themes(work_themes)
    n = int(works["work_id"].nunique())
    k = int(work_themes.loc[work_themes["work_id"].isin(works["work_id"]), "work_id"].nunique())
    return {"n_works": n, "n_themed": k, "share_themed": k / n if n else float("nan")}


def compute_theme_year_counts(works: pd.DataFrame, work_themes: pd.DataFrame, themes: ThemeDictionary,
                              year_min: int | None = None, year_max: int | None = None) -> pd.DataFrame:
    """Complete grid theme × year: ``n_theme`` works of the theme, ``n_total`` works that year, ``share``.

    Years without any work are left out (no exposure); zero counts of a theme in a year with works are kept.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).
    work_themes : DataFrame
        From :func:`compute_work_themes`.
    themes : ThemeDictionary
    year_min, year_max : int, optional
        Years kept (None: all).

    Returns
    -------
    DataFrame
        ``theme``, ``year``, ``n_theme``, ``n_total``, ``share``; themes in dictionary order, years ascending.
    """
    require_table(works, "works", ("work_id", "year"))
    _require_work_themes(work_themes)
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    w = works[["work_id", "year"]].dropna().copy()  # a work without id counts nowhere (a year of such works only: 0/0)
    w["year"] = w["year"].astype(int)
    if year_min is not None:
        w = w[w["year"] >= year_min]
    if year_max is not None:
        w = w[w["year"] <= year_max]
    totals = w.groupby("year")["work_id"].nunique()
    years = sorted(int(y) for y in totals.index)
    merged = work_themes[["work_id", "theme"]].merge(w, on="work_id", how="inner")  # extra columns (a year) kept out
    per = merged.groupby(["theme", "year"])["work_id"].nunique()
    rows = []
    for t in themes.ids():
        for y in years:
            n = int(per.get((t, y), 0))
            tot = int(totals.loc[y])
            rows.append({"theme": t, "year": y, "n_theme": n, "n_total": tot, "share": n / tot})
    return pd.DataFrame(rows, columns=["theme", "year", "n_theme", "n_total", "share"])


def compute_top_themes(counts: pd.DataFrame, themes: ThemeDictionary, top: int = 6, min_total: int = 10) -> list[str]:
    """The ``top`` themes with the most works over the years that count at least ``min_total`` works.

    Parameters
    ----------
    counts : DataFrame
        From :func:`compute_theme_year_counts`.
    themes : ThemeDictionary
    top : int
        Themes kept.
    min_total : int
        Years with fewer works are left out (their shares are too noisy to draw).

    Returns
    -------
    list of str
        Theme ids, most works first (ties: dictionary order).
    """
    require_table(counts, "counts", ("theme", "n_theme", "n_total"))
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    require_count(top, "top")
    require_count(min_total, "min_total", minimum=0)
    c = counts[counts["n_total"] >= min_total]
    totals = c.groupby("theme")["n_theme"].sum()
    rank = {t: i for i, t in enumerate(themes.ids())}
    order = sorted(totals.index, key=lambda t: (-int(totals[t]), rank.get(t, len(rank))))  # ties: dictionary order
    return order[:top]
