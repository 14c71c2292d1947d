"""Figures of the one-page viability diagnostic (:mod:`analysis.report.diagnostic`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report.figures import style
from analysis.report.labels import t

SOURCE_COLOURS = {"uk": style.BASE, "us": style.HIGHLIGHT}


@style.keeps_data
def plot_peer_position(bench: pd.DataFrame, letters: dict[str, str], lang: str = "fr"):
    """Dots: the enterprise's percentile on each comparable indicator, in the peer group chosen for it.

    Parameters
    ----------
    bench : :func:`analysis.food.diagnostic.benchmark`'s table; only the ``chosen`` rows are drawn.
    letters : group id → the letter the page uses for that group (``{"uk1": "a"}``).
    lang : ``"fr"`` or ``"en"``.

    Returns
    -------
    matplotlib.figure.Figure or None
        ``None`` when no group reached the minimum size (the page says so instead).
    """
    order = {m: i for i, m in enumerate(("total_revenue", "revenue_growth_annual", "operating_margin",
                                         "equity_to_revenue", "revenue_per_employee", "revenue_per_member"))}
    rows = bench.loc[bench["chosen"]].assign(_order=lambda d: d["metric"].map(order).fillna(99))
    rows = rows.sort_values(["source", "_order"], kind="stable").reset_index(drop=True)
    if rows.empty:
        return None
    # the plot area has a fixed size in inches; the labels left of it and the legend below are added by the
    # tight bounding box when the figure is saved (display.figure_png), so long labels never squeeze the dots
    row, top_in, bottom_in, width = 0.155, 0.3, 0.6, 1.8
    plot_h = row * len(rows) + 0.12
    height = plot_h + top_in + bottom_in
    fig, ax = style.new_figure(t("diagnostic.dg_figure_title", lang), t("diagnostic.dg_figure_x", lang),
                               t("diagnostic.dg_figure_y", lang), size=(width, height))
    ax.set_position([0.02, bottom_in / height, 0.94, plot_h / height])
    y = np.arange(len(rows))[::-1]
    ax.axvspan(25, 75, color="#eeeeee", zorder=0, label=t("diagnostic.dg_figure_band", lang))
    ax.axvline(50, color=style.GREY, linestyle=":", linewidth=1)
    for source in ("uk", "us"):
        mask = (rows["source"] == source).to_numpy()
        if mask.any():
            ax.scatter(rows.loc[mask, "percentile"], y[mask], color=SOURCE_COLOURS[source], s=22, zorder=3,
                       label=t(f"diagnostic.dg_source_{source}_short", lang))
    labels = [f"{t(f'diagnostic.dg_metric_{m}', lang)} ({letters.get(g, '?')})"
              for m, g in zip(rows["metric"], rows["group_id"], strict=True)]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", labelsize=6.5)
    ax.xaxis.label.set_size(7)
    ax.yaxis.label.set_visible(False)
    ax.grid(axis="y", visible=False)
    # a narrow figure: the title is right-aligned on the plot and runs left over the labels
    title = ax.get_title(loc="left")
    ax.set_title("", loc="left")
    fig.suptitle(title, x=0.96, y=1 - 0.04 / height, ha="right", va="top", fontsize=8, fontweight="bold")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, -(bottom_in - 0.18) / plot_h), ncol=3, fontsize=6.5,
              frameon=False, handlelength=1.0, columnspacing=0.8, borderaxespad=0)
    return fig
