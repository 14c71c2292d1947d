"""Audit of the TIESS case book: recompute its printed summary counts from our per-case transcription.

The functions only compare and report; they never adjust either side. Differences are shown plainly so a reader
can see where the book's printed counts and the cases it presents disagree (or where our coding differs).
"""

from __future__ import annotations

import pandas as pd

from analysis.core.checks import require_frame
from analysis.core.tables import split_list
from analysis.food.casebook import (
    FOOD_SYSTEM_ROLES,
    GEOGRAPHIC_ZONES,
    LEGAL_STATUSES,
    TERRITORIAL_SCALES,
    THEMES,
)

CASE_COLUMNS = ["dimension", "category", "subcategory", "recomputed", "published", "difference", "comment"]
THEME_COLUMNS = [
    "theme",
    "subtheme",
    "phase",
    "kind",
    "recomputed_mentions",
    "published_mentions",
    "mentions_difference",
    "recomputed_enterprises",
    "published_enterprises",
    "enterprises_difference",
    "comment",
]
COOP_STATUSES = tuple(s for s in LEGAL_STATUSES if s.startswith("coop_"))


def _comment(recomputed: object, published: object) -> str:
    """Plain-words comparison of one recomputed figure with the printed one."""
    if pd.isna(published):
        return "not printed by the book"
    if pd.isna(recomputed):
        return "cannot be recomputed from the case table"
    diff = int(recomputed) - int(published)
    if diff == 0:
        return "matches"
    return f"book prints {int(published)}, the cases give {int(recomputed)} ({diff:+d})"


def _published_lookup(published: pd.DataFrame, dimension: str, subcategory: str | None = None) -> dict[str, object]:
    rows = published[published["dimension"] == dimension]
    if subcategory is None:
        rows = rows[rows["subcategory"].isna()]
    else:
        rows = rows[rows["subcategory"] == subcategory]
    return dict(zip(rows["category"], rows["published_count"], strict=True))


def _row(dimension: str, category: str, subcategory: object, recomputed: object, published: object,
         comment: str | None = None) -> dict[str, object]:
    recomputed = pd.NA if recomputed is None or pd.isna(recomputed) else int(recomputed)
    published = pd.NA if published is None or pd.isna(published) else int(published)
    difference = pd.NA if pd.isna(recomputed) or pd.isna(published) else recomputed - published
    base = _comment(recomputed, published)
    return {
        "dimension": dimension,
        "category": category,
        "subcategory": subcategory if subcategory else pd.NA,
        "recomputed": recomputed,
        "published": published,
        "difference": difference,
        "comment": base if comment is None else f"{base}; {comment}",
    }


def _coded_dimension(cases: pd.DataFrame, published: pd.DataFrame, dimension: str, column: str,
                     codes: tuple[str, ...]) -> list[dict[str, object]]:
    """Rows for a single-valued coded column (zone, scale): per code, not coded, and the total."""
    printed = _published_lookup(published, dimension)
    counts = cases[column].value_counts()
    rows = [_row(dimension, code, None, int(counts.get(code, 0)), printed.get(code)) for code in codes]
    not_coded = int(cases[column].isna().sum())
    rows.append(_row(dimension, "not_coded", None, not_coded, None,
                     "cases whose text does not determine the category (left empty, never guessed)"))
    total_printed = sum(int(v) for v in printed.values() if pd.notna(v))
    rows.append(_row(dimension, "total", None, len(cases), total_printed,
                     f"printed categories add up to {total_printed} for {len(cases)} cases presented"))
    return rows


def reconcile_case_counts(cases: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Recomputed vs printed counts of enterprises by status, zone, scale and food-system role (nothing adjusted).

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`), unfiltered: the book's counts are of all ten cases.
    published : DataFrame
        The book's printed counts (:func:`analysis.food.load_published_counts`).

    Returns
    -------
    DataFrame
        Columns :data:`CASE_COLUMNS`: ``dimension`` and ``category`` (codes; ``subcategory`` marks the counts
        printed in the book's financial section), ``recomputed``, ``published`` and ``difference`` (nullable
        integers: missing when one side is not available) and an English ``comment``.
    """
    require_frame(cases, "cases", ("legal_status", "geographic_zone", "territorial_scale", "food_system_roles"),
                  hint="load it with food.load_cases()")
    require_frame(published, "published", ("dimension", "category", "subcategory", "published_count"),
                  hint="load it with food.load_published_counts()")
    rows: list[dict[str, object]] = []
    n = len(cases)
    total = _published_lookup(published, "enterprises").get("total")
    rows.append(_row("enterprises", "total", None, n, total))

    status = cases["legal_status"].value_counts()
    printed = _published_lookup(published, "status")
    n_coop = int(sum(status.get(s, 0) for s in COOP_STATUSES))
    rows.append(_row("status", "coop_total", None, n_coop, printed.get("coop_total")))
    for code in LEGAL_STATUSES:
        rows.append(_row("status", code, None, int(status.get(code, 0)), printed.get(code)))
    leaves = [printed.get(code) for code in LEGAL_STATUSES if pd.notna(printed.get(code))]
    rows.append(_row("status", "total", None, n, sum(int(v) for v in leaves) if leaves else None,
                     f"printed statuses add up to {sum(int(v) for v in leaves)} for {n} cases presented"))
    financial = _published_lookup(published, "status", "financial_section")
    rows.append(_row("status", "coop_total", "financial_section", n_coop, financial.get("coop_total")))
    rows.append(_row("status", "obnl", "financial_section", int(status.get("obnl", 0)), financial.get("obnl")))

    rows += _coded_dimension(cases, published, "geographic_zone", "geographic_zone", GEOGRAPHIC_ZONES)
    rows += _coded_dimension(cases, published, "territorial_scale", "territorial_scale", TERRITORIAL_SCALES)

    printed = _published_lookup(published, "food_system_role")
    roles = cases["food_system_roles"].map(split_list)
    for code in FOOD_SYSTEM_ROLES:
        recomputed = int(roles.map(lambda items, c=code: c in items).sum())
        note = "cases may hold several roles" if code in printed else None
        rows.append(_row("food_system_role", code, None, recomputed, printed.get(code), note))

    for dimension in ("startup_resources", "commercial_revenue_share"):
        for category, value in _published_lookup(published, dimension).items():
            rows.append(_row(dimension, category, None, None, value))
    return pd.DataFrame(rows, columns=CASE_COLUMNS).astype(
        {"recomputed": "Int64", "published": "Int64", "difference": "Int64"}
    )


def reconcile_theme_counts(statements: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Mentions and enterprises per theme/subtheme in our coded statements vs the summary table's printed counts.

    A printed row applies its phase and kind only when the book states them; theme totals (all statements of a
    theme, subtheme ``"(all)"``) follow, with nothing printed to compare against.

    Parameters
    ----------
    statements : DataFrame
        The coded statements (:func:`analysis.food.load_case_statements`).
    published : DataFrame
        The book's printed counts (:func:`analysis.food.load_published_counts`).

    Returns
    -------
    DataFrame
        Columns :data:`THEME_COLUMNS`: theme, subtheme, phase and kind codes, recomputed and published mentions
        and enterprises with their differences (nullable integers), and an English ``comment``.
    """
    require_frame(statements, "statements", ("case_id", "phase", "kind", "theme", "subtheme"),
                  hint="load it with food.load_case_statements()")
    require_frame(published, "published", ("dimension", "category", "subcategory", "phase", "kind",
                                           "published_mentions", "published_enterprises"),
                  hint="load it with food.load_published_counts()")
    rows: list[dict[str, object]] = []
    printed = published[published["dimension"] == "theme"]
    for item in printed.itertuples(index=False):
        mask = (statements["theme"] == item.category) & (statements["subtheme"] == item.subcategory)
        if pd.notna(item.phase):
            mask &= statements["phase"] == item.phase
        if pd.notna(item.kind):
            mask &= statements["kind"] == item.kind
        chosen = statements[mask.fillna(False)]
        rows.append(_theme_row(item.category, item.subcategory, item.phase, item.kind, chosen,
                               item.published_mentions, item.published_enterprises))
    for theme in THEMES:
        chosen = statements[statements["theme"] == theme]
        rows.append(_theme_row(theme, "(all)", pd.NA, pd.NA, chosen, pd.NA, pd.NA))
    table = pd.DataFrame(rows, columns=THEME_COLUMNS)
    return table.astype({c: "Int64" for c in THEME_COLUMNS if c.startswith(("recomputed", "published", "mentions_",
                                                                             "enterprises_"))})


def _theme_row(theme: str, subtheme: object, phase: object, kind: object, chosen: pd.DataFrame,
               published_mentions: object, published_enterprises: object) -> dict[str, object]:
    mentions = len(chosen)
    enterprises = int(chosen["case_id"].nunique())
    m_diff = pd.NA if pd.isna(published_mentions) else mentions - int(published_mentions)
    e_diff = pd.NA if pd.isna(published_enterprises) else enterprises - int(published_enterprises)
    parts = []
    if pd.isna(published_mentions) and pd.isna(published_enterprises):
        parts.append("no count printed for this grouping")
    else:
        if pd.notna(published_mentions):
            parts.append("mentions match" if m_diff == 0 else
                         f"mentions: book {int(published_mentions)}, our coding {mentions} ({m_diff:+d})")
        if pd.notna(published_enterprises):
            parts.append("enterprises match" if e_diff == 0 else
                         f"enterprises: book {int(published_enterprises)}, our coding {enterprises} ({e_diff:+d})")
    return {
        "theme": theme,
        "subtheme": subtheme,
        "phase": phase,
        "kind": kind,
        "recomputed_mentions": mentions,
        "published_mentions": published_mentions,
        "mentions_difference": m_diff,
        "recomputed_enterprises": enterprises,
        "published_enterprises": published_enterprises,
        "enterprises_difference": e_diff,
        "comment": "; ".join(parts),
    }
