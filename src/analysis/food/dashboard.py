"""Descriptive dashboard: each enterprise's indicators placed against reference thresholds given as parameters.

Thresholds are named ``<indicator>_min`` or ``<indicator>_max``. A value beyond one is reported as "beyond the
reference", never as a verdict: ten qualitative cases and a few ratios cannot say whether an enterprise is viable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt  # noqa: E402  (after analysis.plots has chosen the Agg backend)
import numpy as np
import pandas as pd

from analysis.core.errors import ParameterError
from analysis.report import fmt
from analysis.report.figures import style as plots

POSITIONS = ("within", "below_min", "above_max", "no_threshold", "missing")


def parse_thresholds(thresholds: Mapping[str, float]) -> dict[str, tuple[str, float]]:
    """``{"equity_ratio_min": 0.1}`` → ``{"equity_ratio": ("min", 0.1)}``; a key without the suffix is an error."""
    out: dict[str, tuple[str, float]] = {}
    for key, value in thresholds.items():
        if key.endswith("_min"):
            name, side = key[:-4], "min"
        elif key.endswith("_max"):
            name, side = key[:-4], "max"
        else:
            raise ParameterError(f"threshold {key!r} must end in _min or _max", field=f"thresholds.{key}")
        if name in out:
            raise ParameterError(f"two thresholds for {name!r}", field=f"thresholds.{key}")
        out[name] = (side, float(value))
    return out


def position(value: float, side: str | None, threshold: float | None) -> str:
    """Where a value sits: ``below_min`` / ``above_max`` (strictly beyond), ``within``, ``no_threshold``, ``missing``."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "missing"
    if side is None:
        return "no_threshold"
    if side == "min" and value < threshold:
        return "below_min"
    if side == "max" and value > threshold:
        return "above_max"
    return "within"


def compute_dashboard(wide: pd.DataFrame, indicators: Sequence[str], thresholds: Mapping[str, float],
                      id_column: str = "enterprise", label_column: str = "name") -> pd.DataFrame:
    """Long table: one row per enterprise × indicator with value, threshold side and value, and position."""
    parsed = parse_thresholds(thresholds)
    rows = []
    for rec in wide.to_dict("records"):
        for ind in indicators:
            value = rec.get(ind, np.nan)
            value = np.nan if value is None or value is pd.NA else float(value)
            side, th = parsed.get(ind, (None, np.nan))
            rows.append({
                "enterprise": rec[id_column],
                "name": rec.get(label_column, rec[id_column]),
                "indicator": ind,
                "value": value,
                "side": side if side else "",
                "threshold": th,
                "position": position(value, side, th),
            })
    return pd.DataFrame(rows, columns=["enterprise", "name", "indicator", "value", "side", "threshold", "position"])


def count_positions(dashboard: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: how many enterprises are within, beyond, without threshold or missing (all positions shown)."""
    table = pd.crosstab(dashboard["indicator"], dashboard["position"]).reindex(columns=list(POSITIONS), fill_value=0)
    order = list(dict.fromkeys(dashboard["indicator"]))
    return table.reindex(order).reset_index().rename_axis(columns=None)


def wide_positions(dashboard: pd.DataFrame, value_formats: Mapping[str, str] | None = None,
                   position_marks: Mapping[str, str] | None = None, lang: str = "fr") -> pd.DataFrame:
    """Enterprise × indicator table of formatted values with a mark for values beyond their threshold."""
    kinds = dict(value_formats or {})
    marks = {"below_min": " ▼", "above_max": " ▲", **dict(position_marks or {})}
    cells = []
    for row in dashboard.itertuples(index=False):
        text = format_value(row.value, kinds.get(row.indicator, "num1"), lang)
        cells.append(text + marks.get(row.position, ""))
    d = dashboard.assign(cell=cells)
    order_ind = list(dict.fromkeys(d["indicator"]))
    order_ent = list(dict.fromkeys(d["name"]))
    return d.pivot(index="name", columns="indicator", values="cell").reindex(index=order_ent, columns=order_ind) \
        .reset_index().rename_axis(columns=None)


def format_value(value: float, kind: str, lang: str = "fr") -> str:
    """One value as text: kind money, gbp, share, share1, int or num1 (the default)."""
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


def plot_dashboard(dashboard: pd.DataFrame, title: str, xlabel: str, ylabel: str,
                   indicator_labels: Mapping[str, str] | None = None, position_labels: Mapping[str, str] | None = None,
                   value_formats: Mapping[str, str] | None = None, lang: str = "fr"):
    """Grid of enterprises × indicators coloured by position (beyond / within / no threshold / missing) with values."""
    from matplotlib.patches import Patch

    colours = {"within": plots.BASE, "below_min": plots.HIGHLIGHT, "above_max": plots.HIGHLIGHT,
               "no_threshold": "#d9d9d9", "missing": "#f2f2f2"}
    names = list(dict.fromkeys(dashboard["name"]))
    inds = list(dict.fromkeys(dashboard["indicator"]))
    fig, ax = plots.new_figure(title, xlabel, ylabel, size=(max(7, 1.6 * len(inds) + 3), 0.45 * len(names) + 2))
    kinds = dict(value_formats or {})
    for row in dashboard.itertuples(index=False):
        x, y = inds.index(row.indicator), names.index(row.name)
        ax.add_patch(plt.Rectangle((x - 0.48, y - 0.45), 0.96, 0.9, color=colours[row.position]))
        dark = row.position in ("within", "below_min", "above_max")
        ax.text(x, y, format_value(row.value, kinds.get(row.indicator, "num1"), lang) if row.position != "missing" else "—",
                ha="center", va="center", fontsize=8, color="white" if dark else "black")
    ax.set_xlim(-0.5, len(inds) - 0.5)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xticks(range(len(inds)))
    ax.set_xticklabels([dict(indicator_labels or {}).get(i, i) for i in inds], rotation=30, ha="right")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    ax.grid(False)
    labels = {"within": "within", "below_min": "below", "above_max": "above", "no_threshold": "no threshold",
              "missing": "missing", **dict(position_labels or {})}
    handles = [Patch(color=colours["within"], label=labels["within"]),
               Patch(color=colours["below_min"], label=labels["below_min"] + " / " + labels["above_max"]),
               Patch(color=colours["no_threshold"], label=labels["no_threshold"]),
               Patch(facecolor=colours["missing"], edgecolor="#bbbbbb", label=labels["missing"])]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1, fontsize=8, frameon=False)
    return fig


def format_rows(df: pd.DataFrame, kind_column: str, kinds: Mapping[str, str], columns: Sequence[str],
                lang: str = "fr") -> pd.DataFrame:
    """Format ``columns`` as text, choosing the format of each row from its ``kind_column`` value (mixed units)."""
    out = df.copy()
    for col in columns:
        out[col] = [format_value(v, kinds.get(k, "num1"), lang) for v, k in zip(df[col], df[kind_column])]
    return out


def position_totals(dashboard: pd.DataFrame) -> dict[str, int]:
    """Totals for the dashboard's text alternative: enterprises, indicators, values beyond / within / missing."""
    pos = dashboard["position"]
    return {"n_enterprises": int(dashboard["enterprise"].nunique()), "n_indicators": int(dashboard["indicator"].nunique()),
            "n_beyond": int(pos.isin(["below_min", "above_max"]).sum()), "n_within": int((pos == "within").sum()),
            "n_missing": int((pos == "missing").sum())}
