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
from analysis.core.errors import SchemaError
from analysis.core.text import fold_series, normalize_key
from analysis.core.yamlfile import read_yaml

TEXT_FIELDS = ("title", "abstract", "author_keywords", "index_keywords")


@dataclass(frozen=True)
class Theme:
    id: str
    label: dict[str, str]
    issue: str
    orientations: tuple[str, ...] = ()
    levers: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeDictionary:
    themes: tuple[Theme, ...]
    issues: dict[str, dict[str, str]] = field(default_factory=dict)
    orientations: dict[str, dict[str, str]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def label(self, theme_id: str, lang: str = "fr") -> str:
        for t in self.themes:
            if t.id == theme_id:
                return t.label.get(lang) or t.label["fr"]
        raise KeyError(theme_id)

    def issue_label(self, issue: str, lang: str = "fr") -> str:
        entry = self.issues.get(issue)
        return (entry.get(lang) or entry["fr"]) if entry else issue


def _key(text: str) -> str:
    return normalize_key(text) or ""


def load_themes(path: str | Path) -> ThemeDictionary:
    """Read and check a theme dictionary; a bad entry raises :class:`SchemaError` naming the file and theme."""
    path = Path(path)
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
    """One regular expression per theme over normalized text: terms as whole words, stems as word beginnings."""
    parts = [re.escape(t) + r"(?![a-z0-9])" for t in sorted(set(theme.terms), key=lambda s: (-len(s), s))]
    parts += [re.escape(s) for s in sorted(set(theme.stems), key=lambda s: (-len(s), s))]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + ")")


def normalized_text(df: pd.DataFrame, fields: tuple[str, ...] = TEXT_FIELDS) -> pd.Series:
    """The matching text of each row: the given columns joined, accents folded, lower case, punctuation → space."""
    cols = [c for c in fields if c in df.columns]
    if not cols or df.empty:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    joined = df[cols].astype(object).where(df[cols].notna(), "").astype(str).agg(" | ".join, axis=1)
    return fold_series(joined).fillna("").astype(object)


def filter_bank(bank, year_min: int | None = None, year_max: int | None = None,
                languages: list[str] | None = None):
    """The bank restricted to a year window and languages (case-insensitive), with what was left out.

    Works of unknown year are left out only when a bound is set; works of unknown language are kept (many exports
    do not state it) and counted. Authorships and keywords follow their works; the ledger is unchanged.
    """
    import dataclasses

    w = bank.works
    keep = pd.Series(True, index=w.index)
    year = w["year"].astype("Float64")
    out_years = pd.Series(False, index=w.index)
    if year_min is not None:
        out_years |= ~(year >= year_min).fillna(False)
    if year_max is not None:
        out_years |= ~(year <= year_max).fillna(False)
    keep &= ~out_years
    lang_known = w["language"].notna() if "language" in w else pd.Series(False, index=w.index)
    out_lang = pd.Series(False, index=w.index)
    if languages:
        wanted = {str(x).casefold() for x in languages}
        lang = w["language"].astype(object).map(lambda v: str(v).casefold() if isinstance(v, str) else None)
        ok = lang.map(lambda v: not isinstance(v, str) or any(p.strip() in wanted for p in v.split(";")))
        out_lang = ~ok.astype(bool) & keep
        keep &= ok.astype(bool)
    kept_ids = set(w.loc[keep, "work_id"])
    new = dataclasses.replace(
        bank,
        works=w[keep].reset_index(drop=True),
        authorships=bank.authorships[bank.authorships["work_id"].isin(kept_ids)].reset_index(drop=True),
        keywords=bank.keywords[bank.keywords["work_id"].isin(kept_ids)].reset_index(drop=True),
    )
    counts = {"before": int(len(w)), "kept": int(keep.sum()), "out_of_years": int(out_years.sum()),
              "other_language": int(out_lang.sum()),
              "unknown_language_kept": int((~lang_known & keep).sum()) if languages else 0}
    return new, counts


def compute_work_themes(works: pd.DataFrame, themes: ThemeDictionary, id_col: str = "work_id",
                        fields: tuple[str, ...] = TEXT_FIELDS) -> pd.DataFrame:
    """Long table (``work_id``, ``theme``): one row per work and matched theme, sorted."""
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


def compute_theme_table(themes: ThemeDictionary, lang: str = "fr") -> pd.DataFrame:
    """The dictionary as a table: theme, label, issue, orientations, levers, number of terms and stems."""
    rows = []
    for t in themes.themes:
        rows.append({
            "theme": t.id,
            "label": t.label.get(lang) or t.label["fr"],
            "issue": t.issue,
            "issue_label": themes.issue_label(t.issue, lang),
            "orientations": ", ".join((themes.orientations.get(o, {}).get(lang) or o) for o in t.orientations),
            "levers": ", ".join(str(x) for x in t.levers),
            "n_terms": len(t.terms) + len(t.stems),
        })
    return pd.DataFrame(rows)


def compute_theme_shares(works: pd.DataFrame, work_themes: pd.DataFrame, themes: ThemeDictionary,
                         lang: str = "fr") -> pd.DataFrame:
    """Works per theme and their share of all works (a work may belong to several themes), dictionary order."""
    total = int(works["work_id"].nunique())
    counts = work_themes.groupby("theme")["work_id"].nunique()
    rows = [{"theme": t.id, "label": t.label.get(lang) or t.label["fr"], "issue": t.issue,
             "n_works": int(counts.get(t.id, 0)), "share": (counts.get(t.id, 0) / total) if total else float("nan")}
            for t in themes.themes]
    return pd.DataFrame(rows)


def themed_coverage(works: pd.DataFrame, work_themes: pd.DataFrame) -> dict:
    """Works in the bank, works matching at least one theme, and their share."""
    n = int(works["work_id"].nunique())
    k = int(work_themes.loc[work_themes["work_id"].isin(works["work_id"]), "work_id"].nunique())
    return {"n_works": n, "n_themed": k, "share_themed": k / n if n else float("nan")}


def compute_theme_year_counts(works: pd.DataFrame, work_themes: pd.DataFrame, themes: ThemeDictionary,
                              year_min: int | None = None, year_max: int | None = None) -> pd.DataFrame:
    """Complete grid theme × year: ``n_theme`` works of the theme, ``n_total`` works that year, ``share``.

    Years without any work are left out (no exposure); zero counts of a theme in a year with works are kept.
    """
    w = works[["work_id", "year"]].dropna(subset=["year"]).copy()
    w["year"] = w["year"].astype(int)
    if year_min is not None:
        w = w[w["year"] >= year_min]
    if year_max is not None:
        w = w[w["year"] <= year_max]
    totals = w.groupby("year")["work_id"].nunique()
    years = sorted(int(y) for y in totals.index)
    merged = work_themes.merge(w, on="work_id", how="inner")
    per = merged.groupby(["theme", "year"])["work_id"].nunique()
    rows = []
    for t in themes.ids():
        for y in years:
            n = int(per.get((t, y), 0))
            tot = int(totals.loc[y])
            rows.append({"theme": t, "year": y, "n_theme": n, "n_total": tot, "share": n / tot})
    return pd.DataFrame(rows, columns=["theme", "year", "n_theme", "n_total", "share"])


def plot_theme_shares_by_year(counts: pd.DataFrame, themes: ThemeDictionary, lang: str = "fr",
                              top: int = 6, min_total: int = 10):
    """Share of works per theme and year for the ``top`` largest themes (years with ≥ ``min_total`` works)."""
    from analysis.report.figures import style as plots

    fr = lang == "fr"
    fig, ax = plots.new_figure(
        "Part des publications par thème et par année" if fr else "Share of works per theme and year",
        "Année de publication" if fr else "Publication year",
        "Part des publications de l'année (%)" if fr else "Share of the year's works (%)",
    )
    c = counts[counts["n_total"] >= min_total]
    totals = c.groupby("theme")["n_theme"].sum()
    rank = {t: i for i, t in enumerate(themes.ids())}
    order = sorted(totals.index, key=lambda t: (-int(totals[t]), rank.get(t, len(rank))))  # ties: dictionary order
    for tid in order[:top]:
        s = c[c["theme"] == tid].sort_values("year")
        ax.plot(s["year"], s["share"], marker="o", markersize=3, label=themes.label(tid, lang))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    plots.french_axis(ax, "y", "share", lang=lang)
    plots.french_axis(ax, "x", "year", lang=lang)
    return fig
