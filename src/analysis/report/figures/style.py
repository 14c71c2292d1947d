"""One figure style for the whole project: seaborn theme, a colour-blind-safe palette, titles and labelled axes.

Every ``plot_*`` function of the library starts from :func:`new_figure`, so titles, axis labels (with units) and
French number formats on the axes are never forgotten. The notebook shows the figure with
:func:`analysis.report.display.show_figure`, which adds the text alternative and the source line.
"""

from __future__ import annotations

import functools
import math

import matplotlib
import pandas as pd

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter, NullLocator  # noqa: E402

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


def keeps_data(plot):
    """Decorator of a ``plot_*`` function: the DataFrame it draws (its first argument, or the ``data`` attribute
    of the object given, such as a network's nodes) is attached to the figure it returns (:func:`attach_data`); a plot
    that draws nothing and returns None is passed through."""

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        fig = plot(*args, **kwargs)
        first = args[0] if args else None
        data = first if isinstance(first, pd.DataFrame) else getattr(first, "nodes", None)
        if fig is not None and isinstance(data, pd.DataFrame) and getattr(fig, "vigie_data", None) is None:
            attach_data(fig, data)
        return fig

    return wrapper


def log_ticks(low: float, high: float, candidates=(0.1, 0.2, 0.25, 0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0,
                                                    3.0, 4.0, 5.0, 10.0, 20.0), most: int = 6) -> list[float]:
    """Ticks for a log axis from ``low`` to ``high`` that never crowd: 1 always (the line of no effect), then the
    candidates in range taken from 1 outwards, each at least ``1/most`` of the axis' width (in log) from the
    others, so that their labels cannot overlap (never "0,670,80,91,001,11,251,50").

    Parameters
    ----------
    low, high : float
        The axis' limits (positive).
    candidates : sequence of float
        Round values a reader knows.
    most : int
        At most this many ticks.
    """
    low, high = max(low, 1e-9), max(high, low * 1.0001)
    gap = (math.log10(high) - math.log10(low)) / most
    inside = sorted((c for c in candidates if low <= c <= high), key=lambda c: (abs(math.log10(c)), c))
    chosen: list[float] = [1.0] if low <= 1.0 <= high else []
    for c in inside:
        if all(abs(math.log10(c) - math.log10(x)) >= gap for x in chosen) and len(chosen) < most:
            chosen.append(c)
    return sorted(chosen) or [low]


def log_axis(ax, axis: str = "x", kind: str = "number", lang: str = "fr") -> None:
    """Label a log-scaled axis in plain numbers: ticks at 1, 2 and 5 × 10^k (``number``) or at powers of ten for a
    share shown in percent (``share``: ``0.01`` → ``1 %``), never as ``10^k`` mathtext, which the project's style
    does not parse (``text.parse_math`` is off so that data can never be read as math).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose ``axis`` is already log-scaled.
    axis : {"x", "y"}
    kind : {"number", "share"}
    lang : {"fr", "en"}

    Raises
    ------
    ValueError
        ``axis`` or ``kind`` is not one of the values above.
    """
    if axis not in ("x", "y") or kind not in ("number", "share"):
        raise ValueError(f"log_axis: axis must be 'x' or 'y' and kind 'number' or 'share', got {axis!r}, {kind!r}")
    target = ax.yaxis if axis == "y" else ax.xaxis

    def _format(value: float, _pos: int) -> str:
        if value <= 0:
            return ""
        if kind == "share":
            decimals = max(0, -math.floor(math.log10(value * 100) + 1e-9))
            return fmt.percent(value, decimals, lang, ratio=True)
        return short_number(value, lang)

    target.set_major_locator(LogLocator(base=10, subs=(1.0,) if kind == "share" else (1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(_format))
    target.set_minor_locator(NullLocator())
    target.set_minor_formatter(NullFormatter())


def short_number(value: float, lang: str = "fr", most_decimals: int = 2) -> str:
    """A tick label without trailing zeros: ``1.0`` → ``1``, ``0.8`` → ``0,8``, ``0.67`` → ``0,67``."""
    for decimals in range(most_decimals + 1):
        if abs(round(value, decimals) - value) < 1e-9:
            return fmt.number(value, decimals, lang)
    return fmt.number(value, most_decimals, lang)


def spread_labels(ax, texts, pad_px: float = 2.0) -> int:
    """Move or hide text labels so that none overlaps another (a network's node names): each label, in the given
    order (most important first), keeps its place if it is free, else tries small shifts up, down, left and right,
    else is hidden. Labels are kept inside the figure. Returns how many were hidden."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed = []
    hidden = 0
    shifts = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (0, 2), (0, -2), (1, 1), (-1, -1), (1, -1), (-1, 1)]
    for text in texts:
        text.set_clip_on(False)
        x0, y0 = text.get_position()
        base = ax.transData.transform((x0, y0))
        box = text.get_window_extent(renderer)
        ok = False
        for dx, dy in shifts:
            target = base + (dx * box.width * 0.6, dy * (box.height + pad_px))
            text.set_position(ax.transData.inverted().transform(target))
            candidate = text.get_window_extent(renderer).padded(pad_px / 2)
            inside = candidate.x0 >= 0 and candidate.x1 <= fig.bbox.width and candidate.y0 >= 0 \
                and candidate.y1 <= fig.bbox.height
            if inside and not any(candidate.overlaps(other) for other in placed):
                placed.append(candidate)
                ok = True
                break
        if not ok:
            text.set_position((x0, y0))
            text.set_visible(False)
            hidden += 1
    return hidden


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of visible texts of ``fig`` whose drawn boxes overlap (tick labels, annotations, legend entries):
    what a test of a figure's legibility asserts empty."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [x for x in fig.findobj(Text) if x.get_visible() and x.get_text().strip()
             and (x.axes is None or x.axes.get_visible())]
    boxes = [(x.get_text(), x.get_window_extent(renderer)) for x in texts]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b) and box_a.width > 0 and box_b.width > 0]


def attach_data(fig, data):
    """Attach the data a figure draws to it, so that :func:`analysis.report.display.show_figure` writes it as a CSV
    file beside the report and links it under the figure. Returns ``fig``."""
    fig.vigie_data = data
    return fig


apply_style()  # every figure module imports this one: figures drawn with plt.subplots get the style (no mathtext) too
