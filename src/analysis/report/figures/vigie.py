"""Figures of the innovation-watch report: every ``plot_*`` takes the wing's data and ``lang`` and builds its own
title and axis labels from the label catalogue (``report/labels/vigie.yaml``).

Each returns a matplotlib figure; :func:`analysis.report.display.show_figure` shows it with its text alternative.
Theme, issue and candidate names come from the theme dictionary (bilingual data) in the report's language.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

from analysis.report import fmt
from analysis.report.figures import style as plots
from analysis.report.labels import t
from analysis.vigie import Network, ThemeDictionary, compute_top_themes

# ---- names of the theme dictionary's codes in the report's language -------------------------------------------


def _pick(entry: Mapping[str, str] | None, lang: str, fallback: str) -> str:
    if not entry:
        return fallback
    return entry.get(lang) or entry.get("fr") or fallback


def theme_labels(themes: ThemeDictionary, lang: str = "fr") -> dict[str, str]:
    """Theme id → its label in ``lang`` (French when the dictionary has no entry in that language).

    Parameters
    ----------
    themes : ThemeDictionary
    lang : {"fr", "en"}

    Returns
    -------
    dict
    """
    return {th.id: _pick(th.label, lang, th.id) for th in themes.themes}


def issue_labels(themes: ThemeDictionary, lang: str = "fr") -> dict[str, str]:
    """Societal-issue code → its name in ``lang`` (the code itself when the dictionary does not name it).

    Parameters
    ----------
    themes : ThemeDictionary
    lang : {"fr", "en"}

    Returns
    -------
    dict
    """
    codes = list(themes.issues) + [th.issue for th in themes.themes if th.issue not in themes.issues]
    return {code: _pick(themes.issues.get(code), lang, code) for code in codes}


def orientation_labels(themes: ThemeDictionary, lang: str = "fr") -> dict[str, str]:
    """Innovation-orientation code → its name in ``lang``.

    Parameters
    ----------
    themes : ThemeDictionary
    lang : {"fr", "en"}

    Returns
    -------
    dict
    """
    return {code: _pick(entry, lang, code) for code, entry in themes.orientations.items()}


# ---- production --------------------------------------------------------------------------------------------------


@plots.keeps_data
def plot_documents_per_year(per_year: pd.DataFrame, lang: str = "fr"):
    """Bars: documents per publication year (output of :func:`analysis.vigie.documents_per_year`).

    Parameters
    ----------
    per_year : DataFrame
        ``year``, ``documents``.
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plots.new_figure(t("vigie.fig_docs_year", lang), t("vigie.axis_pub_year", lang),
                               t("vigie.axis_n_documents", lang))
    ax.bar(per_year["year"].astype(int), per_year["documents"].astype(int), color=plots.BASE)
    plots.french_axis(ax, "x", "year", lang=lang)
    plots.french_axis(ax, "y", "number", lang=lang)
    return fig


@plots.keeps_data
def plot_citations_per_year(cites: pd.DataFrame, lang: str = "fr"):
    """Line: mean citations per document by publication year (output of :func:`analysis.vigie.citations_per_year`).

    Parameters
    ----------
    cites : DataFrame
        ``year``, ``mean_citations_per_doc``.
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plots.new_figure(t("vigie.fig_cites_year", lang), t("vigie.axis_pub_year", lang),
                               t("vigie.col_mean_cites", lang))
    ax.plot(cites["year"].astype(int), cites["mean_citations_per_doc"].astype(float), marker="o", color=plots.BASE)
    plots.french_axis(ax, "x", "year", lang=lang)
    plots.french_axis(ax, "y", "number", decimals=1, lang=lang)
    return fig


# ---- themes ----------------------------------------------------------------------------------------------------


@plots.keeps_data
def plot_theme_shares_by_year(counts: pd.DataFrame, themes: ThemeDictionary, lang: str = "fr", top: int = 6,
                              min_total: int = 10):
    """Share of works per theme and year for the ``top`` largest themes (years with ≥ ``min_total`` works).

    Parameters
    ----------
    counts : DataFrame
        From :func:`analysis.vigie.compute_theme_year_counts`.
    themes : ThemeDictionary
    lang : {"fr", "en"}
    top : int
        Themes drawn (:func:`analysis.vigie.compute_top_themes`).
    min_total : int
        Years with fewer works are left out.
    """
    fig, ax = plots.new_figure(t("vigie.fig_theme_shares", lang), t("vigie.axis_pub_year", lang),
                               t("vigie.axis_share_year", lang))
    c = counts[counts["n_total"] >= min_total]
    labels = theme_labels(themes, lang)
    for tid in compute_top_themes(counts, themes, top, min_total):
        s = c[c["theme"] == tid].sort_values("year")
        ax.plot(s["year"], s["share"], marker="o", markersize=3, label=labels.get(tid, tid))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    plots.french_axis(ax, "y", "share", lang=lang)
    plots.french_axis(ax, "x", "year", lang=lang)
    return fig


@plots.keeps_data
def plot_rate_ratios(emerging: pd.DataFrame, themes: ThemeDictionary, lang: str = "fr"):
    """Forest plot of the yearly rate ratios with their 95 % CI, log scale, emerging themes highlighted.

    Parameters
    ----------
    emerging : DataFrame
        From :func:`analysis.vigie.compute_emerging_themes`.
    themes : ThemeDictionary
        For the theme names.
    lang : {"fr", "en"}
    """
    labels = theme_labels(themes, lang)
    e = emerging.dropna(subset=["rate_ratio"]).sort_values("rate_ratio")
    fig, ax = plots.new_figure(t("vigie.fig_rate_ratios", lang), t("vigie.axis_rate_ratio", lang),
                               t("vigie.axis_theme", lang), size=(8, max(3.0, 0.4 * len(e) + 1.2)))
    ypos = np.arange(len(e))
    colors = [plots.HIGHLIGHT if flag else plots.BASE for flag in e["emerging"]]
    ax.errorbar(e["rate_ratio"], ypos, xerr=[e["rate_ratio"] - e["ci_low"], e["ci_high"] - e["rate_ratio"]],
                fmt="none", ecolor=plots.GREY, capsize=3)
    ax.scatter(e["rate_ratio"], ypos, c=colors, zorder=3)
    ax.axvline(1.0, color=plots.GREY, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(ypos)
    ax.set_yticklabels([labels.get(th, th) for th in e["theme"]])
    lo = float(np.nanmin(e["ci_low"])) if len(e) else 0.9
    hi = float(np.nanmax(e["ci_high"])) if len(e) else 1.1
    ax.set_xlim(min(lo, 1.0) / 1.08, max(hi, 1.0) * 1.08)
    ax.xaxis.set_major_locator(FixedLocator(plots.log_ticks(*ax.get_xlim())))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: plots.short_number(v, lang)))
    return fig


# ---- sources and authors -------------------------------------------------------------------------------------------


def _top_bars(labels: pd.Series, values: pd.Series, title: str, xlabel: str, ylabel: str, lang: str):
    """Horizontal bars of a top list given largest first (drawn at the top); long labels cut at 60 characters."""
    labels, values = labels.iloc[::-1], values.iloc[::-1]
    fig, ax = plots.new_figure(title, xlabel, ylabel, size=(8, max(3.0, 0.35 * len(labels) + 1.2)))
    shown = [s if len(s) <= 60 else s[:57] + "…" for s in labels.astype(str)]
    ax.barh(shown, values.astype(float), color=plots.BASE)
    plots.french_axis(ax, "x", "number", lang=lang)
    return fig


@plots.keeps_data
def plot_top_sources(top_sources: pd.DataFrame, lang: str = "fr"):
    """Horizontal bars of the most productive sources (output of :func:`analysis.vigie.compute_top_sources`).

    Parameters
    ----------
    top_sources : DataFrame
        ``source``, ``n_works``, largest first.
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    return _top_bars(top_sources["source"], top_sources["n_works"], t("vigie.cap_sources", lang),
                     t("vigie.col_documents", lang), t("vigie.col_source", lang), lang)


@plots.keeps_data
def plot_lotka(table: pd.DataFrame, fit: dict, lang: str = "fr"):
    """Observed share of authors by number of works (log–log) against the fitted Lotka curve and β = 2.

    Parameters
    ----------
    table, fit
        From :func:`analysis.vigie.compute_lotka`.
    lang : {"fr", "en"}

    References
    ----------
    Lotka, A. J. (1926). The frequency distribution of scientific productivity. *Journal of the Washington
    Academy of Sciences*, 16(12), 317–323.
    """
    fig, ax = plots.new_figure(t("vigie.fig_lotka", lang), t("vigie.axis_works_per_author", lang),
                               t("vigie.axis_share_authors", lang))
    ax.scatter(table["n_works"], table["share"], color=plots.BASE, label=t("vigie.legend_observed", lang), zorder=3)
    if np.isfinite(fit.get("beta", np.nan)):
        ax.plot(table["n_works"], table["expected_fit"], color=plots.HIGHLIGHT,
                label=t("vigie.legend_fitted", lang, beta=fmt.number(fit["beta"], 2, lang)))
    ax.plot(table["n_works"], table["expected_lotka2"], color=plots.GREY, linestyle="--",
            label=t("vigie.legend_lotka2", lang))
    ax.set_xscale("log")
    ax.set_yscale("log")
    plots.log_axis(ax, "x", "number", lang)
    plots.log_axis(ax, "y", "share", lang)
    ax.legend()
    return fig


# ---- networks -----------------------------------------------------------------------------------------------------


@plots.keeps_data
def plot_network(network: Network, lang: str = "fr", max_labels: int = 25, edges_per_node: float = 3.0):
    """A co-authorship or keyword network: seeded spring layout, node size ∝ occurrences, colour = community
    (communities of one node in grey), edge width ∝ association strength.

    Only the strongest ``edges_per_node × nodes`` links are drawn (all are laid out); the ``max_labels`` most
    frequent nodes are named. The title says what the nodes are (``network.items``).

    Parameters
    ----------
    network : Network
        From :func:`analysis.vigie.coauthor_network` or :func:`analysis.vigie.keyword_network`.
    lang : {"fr", "en"}
    max_labels : int
    edges_per_node : float
    """
    g, communities, seed = network.graph, network.communities, network.seed
    title = t("vigie.title_coauthors" if network.items == "authors" else "vigie.title_keywords", lang)
    fig, ax = plots.new_figure(title, t("vigie.axis_layout_x", lang), t("vigie.axis_layout_y", lang), size=(9, 7))
    nodes = sorted(g.nodes())
    h = g.subgraph(nodes).copy()
    top_strength = max((d.get("strength", 0.0) for _, _, d in h.edges(data=True)), default=0.0)
    for _, _, d in h.edges(data=True):  # association strengths are tiny numbers: rescale to (0, 1] for the springs
        d["layout"] = d.get("strength", 0.0) / top_strength if top_strength > 0 else 1.0
    pos = nx.spring_layout(h, seed=seed, weight="layout", k=1.5 / np.sqrt(max(len(nodes), 1)), iterations=100)
    comm = dict(zip(communities["node"], communities["community"]))
    sizes_c = communities["community"].value_counts()
    palette = sns.color_palette("colorblind", 10)

    def colour(n):
        c = comm.get(n)
        if c is None or sizes_c.get(c, 0) < 2:
            return plots.GREY
        return palette[(int(c) - 1) % 10]

    colors = [colour(n) for n in nodes]
    occ = np.array([h.nodes[n].get("occurrences", 1) for n in nodes], dtype=float)
    sizes = 40 + 400 * occ / occ.max() if len(occ) else []
    edges = sorted(h.edges(data=True), key=lambda e: (-e[2].get("strength", 0.0), -e[2].get("count", 0), e[0], e[1]))
    edges = edges[: max(1, int(edges_per_node * len(nodes)))]
    if edges:
        st = np.array([d.get("strength", 0.0) for _, _, d in edges])
        widths = 0.3 + 2.5 * st / st.max() if st.max() > 0 else np.full(len(st), 0.5)
        nx.draw_networkx_edges(h, pos, edgelist=[(a, b) for a, b, _ in edges], width=widths, alpha=0.35,
                               edge_color=plots.GREY, ax=ax)
    nx.draw_networkx_nodes(h, pos, nodelist=nodes, node_size=sizes, node_color=colors, ax=ax, linewidths=0.5,
                           edgecolors="white")
    top = sorted(nodes, key=lambda n: (-h.nodes[n].get("occurrences", 0), n))[:max_labels]
    ax.margins(0.12)  # room for the names of nodes at the edge
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    names = nx.draw_networkx_labels(h, pos, labels={n: h.nodes[n].get("label", n) for n in top}, font_size=9, ax=ax)
    # colour = community: a legend names the largest ones (a community of one node is grey)
    shown_c = [c for c, k in sizes_c.items() if k >= 2][:8]
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=palette[(int(c) - 1) % 10],
                      label=t("common.figure_community", lang, n=int(c), size=int(sizes_c[c]))) for c in shown_c]
    if sum(1 for k in sizes_c if k >= 2) > len(shown_c):
        handles.append(Line2D([], [], linestyle="", label=t("common.figure_community_other", lang)))
    if any(k < 2 for k in sizes_c):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=8, color=plots.GREY,
                              label=t("common.figure_community_single", lang)))
    if handles:
        ax.legend(handles=handles, title=t("common.figure_community_title", lang), loc="upper center",
                  bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False)
    fig.canvas.draw()
    plots.spread_labels(ax, [names[n] for n in top if n in names])
    ax.set_title(title)  # networkx drawing may reset it
    return fig


# ---- practices and priorities ----------------------------------------------------------------------------------


@plots.keeps_data
def plot_practices_by_issue(inventory: pd.DataFrame, themes: ThemeDictionary, lang: str = "fr"):
    """Horizontal bars of practices per roadmap issue (output of
    :func:`analysis.vigie.compute_practice_inventory` by ``priority_issue``), issues named from the dictionary.

    Parameters
    ----------
    inventory : DataFrame
        ``priority_issue``, ``n_practices``, largest first.
    themes : ThemeDictionary
        For the issues' names.
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = issue_labels(themes, lang)
    names = inventory["priority_issue"].map(lambda code: labels.get(code, code))
    return _top_bars(names, inventory["n_practices"], t("vigie.title_practices_issue", lang),
                     t("vigie.col_n_practices", lang), t("vigie.col_issue", lang), lang)


@plots.keeps_data
def plot_stability(stability: pd.DataFrame, shortlisted: list[str], themes: ThemeDictionary, lang: str = "fr"):
    """Bars: probability of being shortlisted under resampled weights, shortlisted candidates highlighted.

    Parameters
    ----------
    stability : DataFrame
        From :func:`analysis.vigie.shortlist_stability`.
    shortlisted : list of str
        Candidates (theme ids) of the shortlist.
    themes : ThemeDictionary
        For the candidates' names.
    lang : {"fr", "en"}
    """
    labels = theme_labels(themes, lang)
    s = stability.sort_values(["p_shortlist", "candidate"], ascending=[True, False], kind="mergesort")
    fig, ax = plots.new_figure(t("vigie.fig_stability", lang), t("vigie.axis_p_shortlist", lang),
                               t("vigie.axis_candidate", lang), size=(8, max(3.0, 0.35 * len(s) + 1.2)))
    colors = [plots.HIGHLIGHT if c in shortlisted else plots.BASE for c in s["candidate"]]
    ax.barh([labels.get(c, c) for c in s["candidate"]], s["p_shortlist"], color=colors)
    ax.set_xlim(0, 1)
    plots.french_axis(ax, "x", "share", lang=lang)
    return fig


def plot_shortlist_rule(cells: pd.DataFrame, themes: ThemeDictionary, min_stability: float, size: int,
                        lang: str = "fr"):
    """Bars: for every candidate cell, the share of weight draws in which it ranks among the first ``size``; the
    colour says what the shortlist rule decided (retained, completing the list, eligible but not retained,
    insufficient evidence) and a dashed line marks the stability threshold.

    Parameters
    ----------
    cells : DataFrame
        From :func:`analysis.vigie.select_shortlist` (``candidate``, ``p_shortlist``, ``status``).
    themes : ThemeDictionary
        For the candidates' names.
    min_stability : float
        The rule's stability threshold (a share).
    size : int
        Cells taken in each draw (named in the axis label).
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = theme_labels(themes, lang)
    s = cells.sort_values(["p_shortlist", "candidate"], ascending=[True, False], kind="mergesort")
    fig, ax = plots.new_figure(t("vigie.fig_rule", lang), t("vigie.axis_p_top", lang, size=size),
                               t("vigie.axis_candidate", lang), size=(8, max(3.0, 0.35 * len(s) + 1.6)))
    groups = (("shortlisted", plots.HIGHLIGHT, None), ("completed", plots.HIGHLIGHT, "//"),
              ("over_cap", plots.BASE, None), ("unstable", plots.BASE, None),
              ("insufficient_evidence", plots.GREY, None), ("off_topic", plots.GREY, None))
    names = [labels.get(c, c) for c in s["candidate"]]
    ypos = np.arange(len(s))
    for status, colour, hatch in groups:
        mask = (s["status"] == status).to_numpy()
        if mask.any():
            ax.barh(ypos[mask], s["p_shortlist"].to_numpy()[mask], color=colour,
                    hatch=hatch, edgecolor="white" if hatch is None else "black", linewidth=0.5,
                    label=t(f"vigie.status_{status}", lang))
    ax.set_yticks(ypos)
    ax.set_yticklabels(names)
    ax.axvline(min_stability, color="black", linestyle="--", linewidth=1)
    ax.set_xlim(0, 1)
    plots.french_axis(ax, "x", "share", lang=lang)
    ax.legend(fontsize=8, loc="lower right", frameon=True)
    return fig


__all__ = ["theme_labels", "issue_labels", "orientation_labels", "plot_documents_per_year",
           "plot_citations_per_year", "plot_theme_shares_by_year", "plot_rate_ratios", "plot_top_sources",
           "plot_lotka", "plot_network", "plot_practices_by_issue", "plot_stability",
           "plot_shortlist_rule"]
