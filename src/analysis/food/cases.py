"""The ten TIESS food enterprises: per-case indicators, exact co-op vs non-profit tests, break-even, theme matrix.

Ten cases (six co-ops, four non-profits) can describe, not generalize: the tests here are exact (every possible
split of the ten is enumerated) and :func:`min_exact_p` says how small a p-value such a split can ever give.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import seaborn as sns  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from scipy import stats

from analysis.core.errors import ParameterError
from analysis.report import fmt
from analysis.report.figures import style as plots

COOP_PREFIX = "coop_"
from analysis.food.casebook import THEMES  # the case book's seven themes, coded once  # noqa: E402

RATIO_INDICATORS = ("revenue_per_employee", "volunteers_per_employee", "members_per_employee")


def status_group(legal_status: pd.Series) -> pd.Series:
    """``coop`` for the three co-operative forms, ``obnl`` for non-profits."""
    return legal_status.map(lambda s: "coop" if str(s).startswith(COOP_PREFIX) else "obnl").astype(str)


def _has_role(roles: pd.Series, role: str) -> pd.Series:
    return roles.fillna("").astype(str).map(lambda r: role in r.split(";")).astype(bool)


def compute_case_indicators(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case: status group, age, revenue per employee, volunteers and members per employee.

    Age = reference year − founding year (missing when the book gives only a decade). Ratios are missing when
    either term is missing; ``approximate`` lists the fields the book gives as approximate or as a lower bound.
    """
    c = cases.copy()
    out = pd.DataFrame({
        "case_id": c["case_id"].astype(str),
        "name": c["name"].astype(str),
        "legal_status": c["legal_status"].astype(str),
        "status_group": status_group(c["legal_status"]),
        "region": c["region"],
        "geographic_zone": c["geographic_zone"],
        "territorial_scale": c["territorial_scale"],
        "food_system_roles": c["food_system_roles"],
        "founded_year": c["founded_year"].astype("Float64"),
        "reference_year": c["reference_year"].astype("Float64"),
        "employees": c["employees"].astype("Float64"),
        "volunteers": c["volunteers"].astype("Float64"),
        "members": c["members"].astype("Float64"),
        "revenue_cad": c["revenue_cad"].astype("Float64"),
    })
    out["age_years"] = out["reference_year"] - out["founded_year"]
    emp = out["employees"].where(out["employees"] > 0)
    out["revenue_per_employee"] = out["revenue_cad"] / emp
    out["volunteers_per_employee"] = out["volunteers"] / emp
    out["members_per_employee"] = out["members"] / emp
    flags = []
    for a, b in zip(c.get("approximate_fields", pd.Series([""] * len(c))).fillna(""),
                    c.get("lower_bound_fields", pd.Series([""] * len(c))).fillna("")):
        items = [x for x in str(a).split(";") if x] + [f"{x}≥" for x in str(b).split(";") if x]
        flags.append(";".join(items))
    out["approximate"] = flags
    numeric = ["founded_year", "reference_year", "employees", "volunteers", "members", "revenue_cad", "age_years",
               *RATIO_INDICATORS]
    out[numeric] = out[numeric].astype(float)
    return out.reset_index(drop=True)


def summarize_range(values: pd.Series) -> dict[str, float]:
    """n, min, median and max of the non-missing values (the report quotes ranges, not means, for ten cases)."""
    v = pd.Series(values, dtype=float).dropna()
    return {"n": int(len(v)), "min": float(v.min()) if len(v) else math.nan,
            "median": float(v.median()) if len(v) else math.nan, "max": float(v.max()) if len(v) else math.nan}


def min_exact_p(n1: int, n2: int) -> float:
    """Smallest two-sided p-value an exact rank or permutation test can reach with groups of n1 and n2 (no ties)."""
    return min(1.0, 2 / math.comb(n1 + n2, n1))


def permutation_test(x: Sequence[float], y: Sequence[float]) -> tuple[float, float, int]:
    """Exact two-sided permutation test of the difference in means (every split enumerated): (diff, p, n_splits)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    pooled = np.concatenate([x, y])
    n, k = len(pooled), len(x)
    observed = x.mean() - y.mean()
    total = pooled.sum()
    count = 0
    splits = 0
    for idx in itertools.combinations(range(n), k):
        s = pooled[list(idx)].sum()
        diff = s / k - (total - s) / (n - k)
        count += abs(diff) >= abs(observed) - 1e-9 * max(1.0, abs(observed))
        splits += 1
    return float(observed), count / splits, splits


def compute_group_tests(indicators: pd.DataFrame, columns: Sequence[str] = RATIO_INDICATORS) -> pd.DataFrame:
    """Co-ops vs non-profits, per indicator: sizes, medians, exact Mann–Whitney and exact permutation p-values."""
    rows = []
    for col in columns:
        d = indicators[["status_group", col]].dropna()
        x = d.loc[d["status_group"] == "coop", col].to_numpy(float)
        y = d.loc[d["status_group"] == "obnl", col].to_numpy(float)
        row: dict[str, object] = {"indicator": col, "n_coop": len(x), "n_obnl": len(y),
                                  "median_coop": float(np.median(x)) if len(x) else math.nan,
                                  "median_obnl": float(np.median(y)) if len(y) else math.nan}
        if len(x) >= 2 and len(y) >= 2:
            mw = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
            diff, p_perm, splits = permutation_test(x, y)
            row.update(u_statistic=float(mw.statistic), p_mannwhitney=float(mw.pvalue), mean_difference=diff,
                       p_permutation=p_perm, n_splits=splits, min_p=min_exact_p(len(x), len(y)))
        else:
            row.update(u_statistic=math.nan, p_mannwhitney=math.nan, mean_difference=math.nan,
                       p_permutation=math.nan, n_splits=0, min_p=math.nan)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["n_splits"] = out["n_splits"].astype(int)
    return out


def case_features(indicators: pd.DataFrame) -> pd.DataFrame:
    """Yes/no traits for the Fisher tests (missing when the trait was not coded, e.g. a zone the book leaves unsaid)."""
    zone = indicators["geographic_zone"]
    urban = pd.Series(np.where(zone.isna(), np.nan, (zone == "urban").astype(float)), index=indicators.index)
    return pd.DataFrame({
        "case_id": indicators["case_id"],
        "status_group": indicators["status_group"],
        "urban": urban,
        "retail_distribution": _has_role(indicators["food_system_roles"], "retail_distribution").astype(float),
        "online_platform": _has_role(indicators["food_system_roles"], "online_platform").astype(float),
        "ecological_production": _has_role(indicators["food_system_roles"], "ecological_production").astype(float),
    })


def compute_fisher_tests(features: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Fisher's exact test, co-op/non-profit × trait yes/no: the 2×2 counts, odds ratio and two-sided p."""
    columns = list(columns or [c for c in features.columns if c not in ("case_id", "status_group")])
    rows = []
    for col in columns:
        d = features[["status_group", col]].dropna()
        coop_yes = int(((d["status_group"] == "coop") & (d[col] == 1)).sum())
        coop_no = int(((d["status_group"] == "coop") & (d[col] == 0)).sum())
        obnl_yes = int(((d["status_group"] == "obnl") & (d[col] == 1)).sum())
        obnl_no = int(((d["status_group"] == "obnl") & (d[col] == 0)).sum())
        res = stats.fisher_exact([[coop_yes, coop_no], [obnl_yes, obnl_no]], alternative="two-sided")
        rows.append({"trait": col, "n": len(d), "coop_yes": coop_yes, "coop_no": coop_no, "obnl_yes": obnl_yes,
                     "obnl_no": obnl_no, "odds_ratio": float(res.statistic), "p_fisher": float(res.pvalue)})
    return pd.DataFrame(rows)


def break_even_sales(fixed_cost: float, margin: float) -> float:
    """Sales needed for the gross margin to cover a fixed cost: fixed cost / margin (100 000 $ at 22 % → 454 545 $)."""
    if not 0 < margin <= 1:
        raise ParameterError(f"a gross margin must be in (0, 1], got {margin!r}", field="margin")
    if fixed_cost < 0:
        raise ParameterError(f"a fixed cost cannot be negative, got {fixed_cost!r}", field="fixed_cost")
    return fixed_cost / margin


def compute_margin_cases(cases: pd.DataFrame, fixed_cost: float) -> pd.DataFrame:
    """The distribution models whose gross margin the book states: margin per employee and break-even sales.

    Assumes the stated revenue is the gross value of sales on which the margin is charged (the book does not say
    whether producers' share passes through the revenue); gross margin = revenue × margin.
    """
    c = cases[cases["gross_margin_pct"].notna()].copy()
    margin = c["gross_margin_pct"].astype(float) / 100
    revenue = c["revenue_cad"].astype(float)
    employees = c["employees"].astype(float)
    out = pd.DataFrame({
        "case_id": c["case_id"].astype(str),
        "name": c["name"].astype(str),
        "margin": margin,
        "revenue_cad": revenue,
        "employees": employees,
    })
    out["gross_margin_cad"] = revenue * margin
    out["gross_margin_per_employee"] = out["gross_margin_cad"] / employees.where(employees > 0)
    out["fixed_cost"] = float(fixed_cost)
    out["break_even_sales"] = [break_even_sales(fixed_cost, m) for m in margin]
    out["sales_to_break_even"] = revenue / out["break_even_sales"]
    return out.sort_values("margin", ascending=False, kind="stable").reset_index(drop=True)


def plot_break_even(margins: pd.DataFrame, fixed_cost: float, title: str, xlabel: str, ylabel: str,
                    fixed_label: str, lang: str = "fr"):
    """Gross margin earned as a function of sales for each stated margin, against the fixed cost line."""
    fig, ax = plots.new_figure(title, xlabel, ylabel)
    top = max(float(margins["break_even_sales"].max()), float(margins["revenue_cad"].max())) * 1.15
    sales = np.linspace(0, top, 200)
    colours = sns.color_palette(plots.PALETTE)
    for i, row in enumerate(margins.itertuples(index=False)):
        colour = colours[i % len(colours)]
        pct = fmt.percent(row.margin, 0, lang, ratio=True)
        ax.plot(sales, sales * row.margin, color=colour, label=f"{row.name} ({pct})")
        ax.plot([row.break_even_sales], [fixed_cost], "o", color=colour)
        ax.axvline(row.revenue_cad, color=colour, linestyle=":", linewidth=1.2)
    ax.axhline(fixed_cost, color=plots.GREY, linestyle="--", label=fixed_label)
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    plots.french_axis(ax, "x", "money", lang=lang)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    plots.french_axis(ax, "y", "money", lang=lang)
    ax.legend(loc="upper left", fontsize=9)
    return fig


def compute_theme_matrix(statements: pd.DataFrame, cases: pd.DataFrame,
                         kinds: Sequence[str] = ("challenge", "success_factor")) -> pd.DataFrame:
    """Enterprise × theme counts of coded statements of the given kinds; every case and theme present (zeros kept)."""
    s = statements[statements["kind"].isin(list(kinds))]
    counts = pd.crosstab(s["case_id"], s["theme"])
    ids = list(cases["case_id"].astype(str))
    return counts.reindex(index=ids, columns=list(THEMES), fill_value=0).astype(int).rename_axis(
        index="case_id", columns="theme")


def plot_theme_heatmap(matrix: pd.DataFrame, title: str, xlabel: str, ylabel: str,
                       row_labels: Mapping[str, str] | None = None, col_labels: Mapping[str, str] | None = None):
    """Heatmap of a theme matrix with the count in each cell (0 shown too)."""
    m = matrix.rename(index=dict(row_labels or {}), columns=dict(col_labels or {}))
    fig, ax = plots.new_figure(title, xlabel, ylabel, size=(9, 5.5))
    sns.heatmap(m, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=35)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    return fig


def compute_age_benchmark(indicators: pd.DataFrame, threshold: float = 30) -> dict[str, float]:
    """How many of the cases with a known founding year are older than ``threshold`` years (strictly)."""
    age = indicators["age_years"].dropna()
    older = int((age > threshold).sum())
    return {"n_known": int(len(age)), "n_unknown": int(indicators["age_years"].isna().sum()), "n_older": older,
            "share_older": older / len(age) if len(age) else math.nan, "threshold": float(threshold)}


def select_cases(cases: pd.DataFrame, statuses: Sequence[str], regions: Sequence[str] | None = None) -> pd.DataFrame:
    """The cases whose legal status is in ``statuses`` and, if ``regions`` is given, whose region is in it."""
    keep = cases["legal_status"].isin(list(statuses))
    if regions is not None:
        keep &= cases["region"].isin(list(regions)).fillna(False).astype(bool)
    return cases[keep.to_numpy(bool)].reset_index(drop=True)


def label(prefix: str, code: object, lang: str = "fr") -> str:
    """Display label of a code from ``labels/viabilite.yaml`` (key ``<prefix>_<code>``); the code itself if unknown."""
    from analysis.report.labels import t

    if code is None or code is pd.NA or (isinstance(code, float) and math.isnan(code)) or code == "":
        return fmt.MISSING
    try:
        return t(f"viabilite.{prefix}_{code}", lang)
    except KeyError:
        return str(code)


def _roles_text(value: object, lang: str) -> str:
    if not isinstance(value, str) or not value:
        return fmt.MISSING
    return ", ".join(label("role", r, lang) for r in value.split(";"))


def _approx(value: object, field: str, flags: str, kind: str, lang: str) -> str:
    text = fmt.money(value, 0, lang) if kind == "money" else fmt.integer(value, lang)
    if text == fmt.MISSING:
        return text
    items = flags.split(";") if flags else []
    if field in items:
        return "≈ " + text
    if f"{field}≥" in items:
        return "≥ " + text
    return text


def profile_table(indicators: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The cases' profile as a display table (labels from the report catalogue, ≈ and ≥ marks on approximate values)."""
    from analysis.report.labels import t

    rows = []
    for r in indicators.itertuples(index=False):
        rows.append({
            t("viabilite.col_case", lang): r.name,
            t("viabilite.col_status", lang): label("status", r.legal_status, lang),
            t("viabilite.col_region", lang): r.region if isinstance(r.region, str) and r.region else fmt.MISSING,
            t("viabilite.col_zone", lang): label("zone", r.geographic_zone, lang),
            t("viabilite.col_scale", lang): label("scale", r.territorial_scale, lang),
            t("viabilite.col_roles", lang): _roles_text(r.food_system_roles, lang),
            t("viabilite.col_founded", lang): fmt.year(r.founded_year),
            t("viabilite.col_employees", lang): _approx(r.employees, "employees", r.approximate, "int", lang),
            t("viabilite.col_volunteers", lang): _approx(r.volunteers, "volunteers", r.approximate, "int", lang),
            t("viabilite.col_members", lang): _approx(r.members, "members", r.approximate, "int", lang),
            t("viabilite.col_revenue", lang): _approx(r.revenue_cad, "revenue_cad", r.approximate, "money", lang),
        })
    return pd.DataFrame(rows)


def _comment(recomputed: object, published: object, lang: str) -> str:
    from analysis.report.labels import t

    if pd.isna(published):
        return t("viabilite.comment_not_printed", lang)
    if pd.isna(recomputed):
        return t("viabilite.comment_not_recomputable", lang)
    if int(recomputed) == int(published):
        return t("viabilite.comment_match", lang)
    return t("viabilite.comment_diff", lang, published=int(published), recomputed=int(recomputed))


def _category(dimension: str, category: str, lang: str) -> str:
    prefix = {"status": "status", "geographic_zone": "zone", "territorial_scale": "scale",
              "food_system_role": "role"}.get(dimension, "category")
    if category == "total":
        return label("category", "total", lang)
    text = label(prefix, category, lang)
    return text if text != category else label("category", category, lang)


def reconciliation_table(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """``analysis.food.audit.reconcile_case_counts`` output as a display table with labels and comments in ``lang``."""
    from analysis.report.labels import t

    out = pd.DataFrame({
        t("viabilite.col_dimension", lang): [label("dimension", d, lang) for d in table["dimension"]],
        t("viabilite.col_category", lang): [
            _category(d, c, lang) + ("" if pd.isna(s) or s == "" else " " + label("subcategory", s, lang))
            for d, c, s in zip(table["dimension"], table["category"], table["subcategory"])],
        t("viabilite.col_recomputed", lang): table["recomputed"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_published", lang): table["published"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_difference", lang): table["difference"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_comment", lang): [_comment(r, p, lang) for r, p in zip(table["recomputed"], table["published"])],
    })
    return out


def theme_reconciliation_table(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """``analysis.food.audit.reconcile_theme_counts`` output as a display table in ``lang``."""
    from analysis.report.labels import t

    def sub(x: object) -> str:
        return label("subtheme", "all" if x == "(all)" else x, lang)

    return pd.DataFrame({
        t("viabilite.col_theme", lang): [label("theme", x, lang) for x in table["theme"]],
        t("viabilite.col_subtheme", lang): [sub(x) for x in table["subtheme"]],
        t("viabilite.col_phase", lang): [label("phase", x, lang) for x in table["phase"]],
        t("viabilite.col_kind", lang): [label("kind", x, lang) for x in table["kind"]],
        t("viabilite.col_rec_mentions", lang): table["recomputed_mentions"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_pub_mentions", lang): table["published_mentions"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_rec_ent", lang): table["recomputed_enterprises"].astype("Float64").to_numpy(float, na_value=np.nan),
        t("viabilite.col_pub_ent", lang): table["published_enterprises"].astype("Float64").to_numpy(float, na_value=np.nan),
    })


def count_differences(table: pd.DataFrame, recomputed: str, published: str) -> dict[str, int]:
    """How many rows have both counts, how many of those agree, and the largest absolute gap."""
    both = table[[recomputed, published]].dropna()
    gap = (both[recomputed].astype(float) - both[published].astype(float)).abs()
    return {"n_compared": int(len(both)), "n_equal": int((gap == 0).sum()), "n_diff": int((gap > 0).sum()),
            "max_gap": int(gap.max()) if len(gap) else 0}


def matrix_summary(matrix: pd.DataFrame) -> dict[str, object]:
    """Total count, the most cited theme and the case with most statements (first in table order on ties)."""
    by_theme = matrix.sum(axis=0)
    by_case = matrix.sum(axis=1)
    return {"total": int(matrix.to_numpy().sum()), "top_theme": str(by_theme.idxmax()),
            "top_count": int(by_theme.max()), "top_case": str(by_case.idxmax()), "top_case_count": int(by_case.max())}


QUEBEC_SURVIVAL_INDICATORS = {
    ("coop", 5): "coop_survival_5y",
    ("other", 5): "other_survival_5y",
    ("coop", 10): "coop_survival_10y",
    ("other", 10): "other_survival_10y",
}


def quebec_survival(indicators: pd.DataFrame | None, fallback: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Québec survival rates (group, horizon, survival as a fraction, origin) from the indicators table, else from
    the ``quebec_survival`` parameter (keys coop_5y, other_5y, coop_10y, other_10y, in percent); empty if neither."""
    rows = []
    for (group, horizon), name in QUEBEC_SURVIVAL_INDICATORS.items():
        value, origin = math.nan, ""
        if indicators is not None:
            hit = indicators[(indicators["indicator"] == name) & (indicators["scope"] == "quebec")]
            if len(hit) and pd.notna(hit["value"].iloc[0]):
                value, origin = float(hit["value"].iloc[0]), "indicators"
        if math.isnan(value) and fallback and f"{group}_{horizon}y" in fallback:
            value, origin = float(fallback[f"{group}_{horizon}y"]), "parameter"
        if not math.isnan(value):
            rows.append({"group": group, "horizon": float(horizon), "survival": value / 100, "origin": origin})
    return pd.DataFrame(rows, columns=["group", "horizon", "survival", "origin"])


def model_term_label(term: str, lang: str = "fr") -> str:
    """A readable label for a break-even model term (``legal_status[cooperative]``, ``survey_year[2015]``, …)."""
    import re

    from analysis.report.labels import t

    m = re.match(r"(\w+)\[(.+)\]$", term)
    if not m:
        return label("term", term, lang)
    var, level = m.groups()
    if var == "legal_status":
        return f"{t('viabilite.term_legal_status', lang)} : {label('hub', level, lang)}"
    if var == "grant_dependence":
        return f"{t('viabilite.term_grant_dependence', lang)} : {label('grant', level, lang)}"
    if var == "survey_year":
        return f"{t('viabilite.term_survey_year', lang)} {level}"
    return term


def p_phrase(value: float, lang: str = "fr") -> str:
    """A p-value inside a sentence: ``p = 0,046`` or ``p < 0,001``."""
    text = fmt.pvalue(value, lang)
    return f"p {text}" if text.startswith("<") else f"p = {text}"
