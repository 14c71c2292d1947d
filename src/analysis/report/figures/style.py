"""One figure style for the whole project: seaborn theme, a colour-blind-safe palette, titles and labelled axes.

Every ``plot_*`` function of the library starts from :func:`new_figure`, so titles, axis labels (with units) and
French number formats on the axes are never forgotten. The notebook shows the figure with
:func:`analysis.report.display.show_figure`, which adds the text alternative and the source line.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

ROUND_STEPS = (1, 2, 5, 10)  # tick steps a reader counts in (no 2.5: never "0, 2, 5, 8")
MIN_TEXT_POINTS = 8.0  # smallest text a figure may draw, for an 8-inch figure shown 864 px wide (13 px)

from analysis.report import fmt  # noqa: E402

PALETTE = "colorblind"  # Okabe–Ito-like, distinguishable with the common colour-vision deficiencies
HIGHLIGHT = sns.color_palette(PALETTE)[1]
BASE = sns.color_palette(PALETTE)[0]
GREY = "#8c8c8c"


def apply_style() -> None:
    """Set the project's theme once per process (idempotent)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 110,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "axes.titlelocation": "left",
            "axes.titlepad": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#9a9a9a",
            "grid.color": "#e3e3e3",
            "grid.linewidth": 0.8,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "vigie",
            "path.simplify": True,
            # Text from the data ("cost $5 to $10", "$\\undefinedcmd{x}$") is shown as written, never read as math.
            "text.parse_math": False,
            # Ticks at round steps (1, 2, 2.5, 5, 10 × 10^k) and at least 9 pt once the figure is shown.
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "legend.title_fontsize": 10,
        }
    )


def new_figure(title: str, xlabel: str, ylabel: str, size: tuple[float, float] = (8, 4.5)):
    """A figure and axes with title and axis labels set.

    Parameters
    ----------
    title, xlabel, ylabel : str
        Required; axis labels carry their units (« Chiffre d'affaires ($) »).
    size : tuple of float
        Width and height in inches.

    Returns
    -------
    fig, ax
        The matplotlib figure and its axes, in the project's style.

    Raises
    ------
    ValueError
        The title or an axis label is empty.
    """
    apply_style()
    if not title or not xlabel or not ylabel:
        raise ValueError("a figure needs a title and both axis labels")
    fig, ax = plt.subplots(figsize=size)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def french_axis(ax, axis: str = "y", kind: str = "number", decimals: int = 0, lang: str = "fr") -> None:
    """Format the tick labels of ``axis`` (``x`` or ``y``) with :mod:`analysis.report.fmt` for ``lang``.

    ``kind`` is ``number``, ``percent`` (values in percent), ``share`` (values as fractions), ``money`` (abridged:
    ``1,5 M$``) or ``year`` (whole years, no thousands separator).
    """
    def _format(value: float, _pos: int) -> str:
        if kind == "percent":
            return fmt.percent(value, decimals, lang)
        if kind == "share":
            return fmt.percent(value, decimals, lang, ratio=True)
        if kind == "money":
            return fmt.money_short(value, lang)
        if kind == "year":
            return str(int(round(value)))
        return fmt.number(value, decimals, lang)

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(_format))
    if kind == "year":
        target.set_major_locator(MaxNLocator(integer=True, steps=list(ROUND_STEPS)))
    elif not _is_log(target):
        target.set_major_locator(round_locator(integer=decimals == 0 and kind in ("number", "money")))


def _is_log(axis) -> bool:
    return axis.get_scale() != "linear"


def round_locator(nbins: int | str = "auto", integer: bool = False) -> MaxNLocator:
    """Ticks on round steps: 1, 2, 5 or 10 times a power of ten (never 2.5, whose labels round to "0, 2, 5, 8").

    Parameters
    ----------
    nbins : int or "auto"
        Most intervals between ticks.
    integer : bool
        Whole numbers only (counts): never a tick at 0.5.
    """
    return MaxNLocator(nbins=nbins, steps=list(ROUND_STEPS), integer=integer)


def attach_data(fig, data):
    """Attach the data a figure draws to it, so that :func:`analysis.report.display.show_figure` writes it as a CSV
    file beside the report and links it under the figure. Returns ``fig``."""
    fig.vigie_data = data
    return fig
