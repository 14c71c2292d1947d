"""Figures of the viability report (:mod:`analysis.food` results): every ``plot_*`` takes the data and ``lang`` and
builds its title, axis labels, legends and tick labels from the ``viabilite`` label catalogue.

Each returns a matplotlib Figure; show it with :func:`analysis.report.display.show_figure` (text alternative and
source line). :func:`format_value` is the one formatter of the viability indicators' values (tables and figures).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from analysis.report import fmt
from analysis.report.figures import style as plots
from analysis.report.labels import t

# How each indicator of the viability dashboard is written (see format_value).
VALUE_KINDS = {
    "revenue_per_employee": "money", "gross_margin_per_employee": "money", "members_per_employee": "num1",
    "volunteers_per_employee": "num1", "age_years": "int", "operating_margin": "share", "current_ratio": "num1",
    "debt_ratio": "share", "equity_ratio": "share", "revenue_concentration": "num1", "admin_cost_ratio": "share",
    "months_reserve": "num1", "grant_dependence": "share", "growth_3y": "share",
}
POSITION_COLOURS = {"within": plots.BASE, "below_min": plots.HIGHLIGHT, "above_max": plots.HIGHLIGHT,
                    "no_threshold": "#d9d9d9", "missing": "#f2f2f2"}
# Break-even model terms drawn in the forest plot, with their label key (survey-wave terms are hidden).
ODDS_RATIO_TERMS = {
    "legal_status[cooperative]": "or_term_cooperative",
    "legal_status[for_profit]": "or_term_for_profit",
    "legal_status[other]": "or_term_other",
    "legal_status[nonprofit]": "or_term_nonprofit",
    "startup": "or_term_startup",
    "log10_revenue": "or_term_log10_revenue",
    "grant_dependence[somewhat]": "or_term_grant_somewhat",
    "grant_dependence[highly]": "or_term_grant_highly",
}


def label(prefix: str, code: object, lang: str = "fr") -> str:
    """Display label of a code from ``labels/viabilite.yaml`` (key ``<prefix>_<code>``); the code itself if unknown,
    ``—`` if missing."""
    if code is None or code is pd.NA or (isinstance(code, float) and np.isnan(code)) or code == "":
        return fmt.MISSING
    try:
        return t(f"viabilite.{prefix}_{code}", lang)
    except KeyError:
        return str(code)


def format_value(value: float, kind: str, lang: str = "fr") -> str:
    """One value as text: kind ``money``, ``gbp``, ``share`` (no decimal), ``share1``, ``int`` or ``num1`` (default)."""
    if kind == "money":
        return fmt.money(value, 0, lang)
    if kind == "gbp":
        return fmt.money(value, 0, lang, currency="£")
    if kind == "share":
        return fmt.percent(value, 0, lang, ratio=True)
    if kind == "share1":
        return fmt.percent(value, 1, lang, ratio=True)
    if kind == "int":
        return fmt.integer(value, lang)
    return fmt.number(value, 1, lang)


@plots.keeps_data
def plot_break_even(margins: pd.DataFrame, fixed_cost: float, lang: str = "fr"):
    """Gross margin earned as a function of sales for each stated margin, against the fixed-cost line.

    ``margins`` is :func:`analysis.food.margin_cases` output: one solid line per case (the margin as a share of
    sales) and, for a margin that may be a markup on cost, a dash-dot line of the same colour (its smaller share of
    sales); a dot marks each break-even point and a dotted vertical each case's published sales.
    """
    fig, ax = plots.new_figure(t("viabilite.be_title", lang), t("viabilite.be_x", lang), t("viabilite.be_y", lang))
    top = max(float(margins["break_even_sales"].max()), float(margins["revenue_cad"].max())) * 1.15
    sales = np.linspace(0, top, 200)
    colours = sns.color_palette(plots.PALETTE)
    readings = margins["reading"] if "reading" in margins else pd.Series("share_of_sales", index=margins.index)
    on_sales = margins["margin_on_sales"] if "margin_on_sales" in margins else margins["margin"]
    cases = list(dict.fromkeys(margins["case_id"] if "case_id" in margins else margins["name"]))
    keys = margins["case_id"] if "case_id" in margins else margins["name"]
    for row, key, reading, rate in zip(margins.itertuples(index=False), keys, readings, on_sales, strict=True):
        colour = colours[cases.index(key) % len(colours)]
        pct = fmt.percent(row.margin, 0, lang, ratio=True)
        if reading == "markup_on_cost":
            text = t("viabilite.be_markup_legend", lang, name=row.name, margin=pct,
                     on_sales=fmt.percent(rate, 1, lang, ratio=True))
            ax.plot(sales, sales * rate, color=colour, linestyle="-.", label=text)
        else:
            ax.plot(sales, sales * rate, color=colour, label=f"{row.name} ({pct})")
            ax.axvline(row.revenue_cad, color=colour, linestyle=":", linewidth=1.2)
        ax.plot([row.break_even_sales], [fixed_cost], "o", color=colour)
    ax.axhline(fixed_cost, color=plots.GREY, linestyle="--", label=t("viabilite.be_fixed", lang))
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    plots.french_axis(ax, "x", "money", lang=lang)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    plots.french_axis(ax, "y", "money", lang=lang)
    ax.legend(loc="upper left", fontsize=9)
    return fig


@plots.keeps_data
def plot_theme_heatmap(matrix: pd.DataFrame, kind: str, case_names: Mapping[str, str] | None = None,
                       lang: str = "fr"):
    """Heatmap of a theme matrix (:func:`analysis.food.theme_matrix`) with the count in each cell (0 shown too).

    ``kind`` (``challenge`` or ``success_factor``) picks the title; ``case_names`` maps case ids to the names
    shown on the rows; the themes are labelled from the catalogue.
    """
    title = t("viabilite.heat_title_success" if kind == "success_factor" else "viabilite.heat_title_challenge", lang)
    xlabel, ylabel = t("viabilite.heat_x", lang), t("viabilite.heat_y", lang)
    m = matrix.rename(index=dict(case_names or {}), columns={th: label("theme", th, lang) for th in matrix.columns})
    fig, ax = plots.new_figure(title, xlabel, ylabel, size=(9, 5.5))
    sns.heatmap(m, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=35)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    return fig


@plots.keeps_data
def plot_dashboard(dashboard: pd.DataFrame, lang: str = "fr", value_kinds: Mapping[str, str] | None = None):
    """Grid of enterprises × indicators coloured by position (beyond / within / no threshold / missing) with values.

    ``dashboard`` is :func:`analysis.food.dashboard_positions` output (or ``case_dashboard``); indicators and
    positions are labelled from the catalogue, values written with :func:`format_value` (``value_kinds``
    defaults to :data:`VALUE_KINDS`) after their mark (``≈``, ``≥``, ``≤``, column ``bound``) when they have one.
    """
    kinds = dict(VALUE_KINDS if value_kinds is None else value_kinds)
    colours = POSITION_COLOURS
    names = list(dict.fromkeys(dashboard["name"]))
    inds = list(dict.fromkeys(dashboard["indicator"]))
    ind_labels = {i: label("ind", i, lang) for i in inds}
    # The longer list runs down the rows, the shorter across: the figure stays narrow enough that, shown 864 px
    # wide, its cell text is at least 8.5 px (font size ≥ 0.71 × width in inches).
    across_names = len(names) <= len(inds)
    cols = names if across_names else inds
    rows = inds if across_names else names
    row_text = [ind_labels[r] for r in rows] if across_names else rows
    col_text = cols if across_names else [ind_labels[c] for c in cols]
    longest = min(max((len(str(x)) for x in row_text), default=10), 34)
    font = 9.0
    while True:
        cell = 0.085 * font  # inches: a value such as "125 000 $" at this size
        width = longest * 0.55 * font / 72 + 0.5 + len(cols) * cell
        if font >= 0.71 * width or font >= 14:
            break
        font += 0.5
    size = (width, 0.32 * font / 9 * len(rows) + 2.2)
    fig, ax = plots.new_figure(t("viabilite.dashboard_title", lang), t("viabilite.dashboard_x", lang),
                               t("viabilite.dashboard_y", lang), size=size)
    if across_names:  # enterprises across, indicators down
        ax.set_xlabel(t("viabilite.dashboard_y", lang))
        ax.set_ylabel(t("viabilite.dashboard_x", lang))
    for row in dashboard.itertuples(index=False):
        x = cols.index(row.name if across_names else row.indicator)
        y = rows.index(row.indicator if across_names else row.name)
        ax.add_patch(plt.Rectangle((x - 0.48, y - 0.45), 0.96, 0.9, color=colours[row.position]))
        dark = row.position in ("within", "below_min", "above_max")
        text = "—" if row.position == "missing" else format_value(row.value, kinds.get(row.indicator, "num1"), lang)
        bound = getattr(row, "bound", "")
        if bound and row.position != "missing":
            text = f"{bound} {text}"
        ax.text(x, y, text, ha="center", va="center", fontsize=font, color="white" if dark else "black")
    ax.set_xlim(-0.5, len(cols) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(col_text, rotation=35, ha="right", fontsize=font)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(row_text, fontsize=font)
    ax.grid(False)
    labels = {p: label("pos", p, lang) for p in colours}
    handles = [Patch(color=colours["within"], label=labels["within"]),
               Patch(color=colours["below_min"], label=labels["below_min"] + " / " + labels["above_max"]),
               Patch(color=colours["no_threshold"], label=labels["no_threshold"]),
               Patch(facecolor=colours["missing"], edgecolor="#bbbbbb", label=labels["missing"])]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, fontsize=font, frameon=False)
    ax.set_title(ax.get_title(loc="left"), loc="left", pad=font * 4.5)
    return fig


@plots.keeps_data
def plot_breakeven_by_status(by_status: pd.DataFrame, lang: str = "fr"):
    """Bars: share of food-hub responses at break-even (OER ≤ 1) per legal status with Wilson 95 % CIs and n.

    ``by_status`` is :func:`analysis.food.breakeven_by_status` output; statuses with no known break-even are left
    out.
    """
    tab = by_status.loc[by_status["n_oer"] > 0].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, 4))
    x = np.arange(len(tab))
    share = tab["breakeven_share"] * 100
    err = np.vstack([share - tab["breakeven_ci_low"] * 100, tab["breakeven_ci_high"] * 100 - share])
    colors = ["C2" if s == "cooperative" else ("0.6" if s == "all" else "C0") for s in tab["legal_status"]]
    ax.bar(x, share, color=colors, yerr=err, capsize=4)
    ax.set_xticks(
        x,
        [
            f"{label('hubbar', s, lang)}\n(n = {fmt.integer(n, lang)})"
            for s, n in zip(tab["legal_status"], tab["n_oer"], strict=True)
        ],
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("viabilite.hub_status_y", lang))
    ax.set_title(t("viabilite.hub_status_title", lang))
    fig.tight_layout()
    return fig


@plots.keeps_data
def plot_odds_ratios(odds_ratios: pd.DataFrame, lang: str = "fr", startup_max_years: float = 5,
                     include_waves: bool = False):
    """Forest plot of the break-even model's odds ratios (log scale), survey-wave terms hidden by default.

    ``odds_ratios`` is the ``"odds_ratios"`` table of :func:`analysis.food.fit_breakeven_model`;
    ``startup_max_years`` is the model's start-up threshold, named in the start-up term's label.
    """
    tab = odds_ratios if include_waves else odds_ratios.loc[~odds_ratios["term"].str.startswith("survey_year")]
    tab = tab.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(tab) + 1.2))
    y = np.arange(len(tab))
    ax.errorbar(
        tab["odds_ratio"],
        y,
        xerr=[tab["odds_ratio"] - tab["ci_low"], tab["ci_high"] - tab["odds_ratio"]],
        fmt="o",
        color="C0",
        capsize=3,
    )
    ax.axvline(1, color="grey", linestyle=":")
    ax.set_xscale("log")
    ticks = [
        v
        for v in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20)
        if tab["ci_low"].min() / 1.5 <= v <= tab["ci_high"].max() * 1.5
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v, 1 if v < 1 else 0, lang)))
    years = fmt.number(startup_max_years, 0, lang)
    ax.set_yticks(y, [t(f"viabilite.{ODDS_RATIO_TERMS[s]}", lang, years=years) if s in ODDS_RATIO_TERMS else s
                      for s in tab["term"]])
    ax.set_xlabel(t("viabilite.hub_or_x", lang))
    ax.set_title(t("viabilite.hub_or_title", lang))
    fig.tight_layout()
    return fig


@plots.keeps_data
def plot_profit_margin(accounts: pd.DataFrame, lang: str = "fr", by: str = "sector_group"):
    """Box plots (5th–95th percentile whiskers) of profit before tax / turnover, per group.

    ``accounts`` is :func:`analysis.food.latest_accounts` output (one set of accounts per co-op); ``by`` is the
    grouping column (``sector_group`` or ``food_subsector``).
    """
    acc = accounts.loc[accounts["profit_margin"].notna() & (accounts[by] != "")]
    groups = sorted(acc[by].unique())
    data = [acc.loc[acc[by] == g, "profit_margin"].to_numpy() * 100 for g in groups]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.boxplot(data, whis=(5, 95), showfliers=False)
    ax.set_xticks(
        range(1, len(groups) + 1),
        [f"{label('ukbox', g, lang)}\n(n = {len(d)})" for g, d in zip(groups, data, strict=True)],
    )
    ax.axhline(0, color="grey", linestyle=":")
    ax.set_ylabel(t("viabilite.uk_margin_y", lang))
    ax.set_title(t("viabilite.uk_margin_title", lang))
    fig.tight_layout()
    return fig


@plots.keeps_data
def plot_km(km: pd.DataFrame, lang: str = "fr", horizons: Sequence[float] = (5, 10), max_years: float | None = 60):
    """Kaplan–Meier step curves per group with 95 % CI bands; dotted verticals at the horizons.

    ``km`` is :func:`analysis.food.km_survival` output; groups are labelled from the catalogue (``uk_<group>``),
    an unknown group by its own name; curves stop at ``max_years`` (None: the whole range).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for i, (name, g) in enumerate(km.groupby("group", sort=True)):
        g = g.sort_values("time")
        if max_years is not None:
            g = g.loc[g["time"] <= max_years]
        color = f"C{i}"
        ax.step(g["time"], g["survival"] * 100, where="post", color=color, label=label("uk", name, lang))
        ax.fill_between(
            g["time"], g["ci_low"] * 100, g["ci_high"] * 100, step="post", color=color, alpha=0.2, linewidth=0
        )
    for h in horizons:
        ax.axvline(h, color="grey", linestyle=":", linewidth=1)
    ax.set_ylim(0, 101)
    ax.set_xlim(left=0)
    ax.set_xlabel(t("viabilite.km_x", lang))
    ax.set_ylabel(t("viabilite.km_y", lang))
    ax.set_title(t("viabilite.km_title", lang))
    ax.legend(frameon=False, loc="lower left")
    fig.tight_layout()
    return fig
