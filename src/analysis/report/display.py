"""What a notebook shows: headings, paragraphs, notes, tables and figures, as deterministic HTML.

Every cell of data is escaped (a title containing ``<script>`` shows as text), numbers go through
:mod:`analysis.report.fmt`, every word the functions add comes from the label catalogues, and nothing random (ids,
memory addresses, timestamps) enters the output, so nbval can compare it. Figures are published as PNG with their
text alternative in ``text/plain`` and the image metadata.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from analysis.core.text import fold_accents
from analysis.report import fmt
from analysis.report.labels import t

Formatter = str | Callable[[object], str]

_KINDS: dict[str, Callable[[object, str], str]] = {
    "int": lambda v, lang: fmt.integer(v, lang),
    "num0": lambda v, lang: fmt.number(v, 0, lang),
    "num1": lambda v, lang: fmt.number(v, 1, lang),
    "num2": lambda v, lang: fmt.number(v, 2, lang),
    "num3": lambda v, lang: fmt.number(v, 3, lang),
    "pct": lambda v, lang: fmt.percent(v, 1, lang),
    "pct0": lambda v, lang: fmt.percent(v, 0, lang),
    "share": lambda v, lang: fmt.percent(v, 1, lang, ratio=True),
    "share0": lambda v, lang: fmt.percent(v, 0, lang, ratio=True),
    "money": lambda v, lang: fmt.money(v, 0, lang),
    "money_short": lambda v, lang: fmt.money_short(v, lang),
    "usd": lambda v, lang: fmt.money(v, 0, lang, currency="$ US"),
    "gbp": lambda v, lang: fmt.money(v, 0, lang, currency="£"),
    "year": lambda v, lang: fmt.year(v),
    "p": lambda v, lang: fmt.pvalue(v, lang),
    "text": lambda v, lang: fmt.MISSING if fmt._is_missing(v) else str(v),
}


def _publish(data: dict[str, str], metadata: dict | None = None) -> None:
    # IPython is heavy and only needed inside a kernel: imported when something is shown
    from IPython.display import publish_display_data

    publish_display_data(data, metadata=metadata or {})


def publish(data: dict[str, str], metadata: dict | None = None) -> None:
    """Send one output (MIME type → content) to the notebook, as every ``show_*`` function does.

    Parameters
    ----------
    data : dict
        MIME type → content; give ``text/plain`` too (what nbval and plain front ends compare and show).
    metadata : dict, optional
        Output metadata (``{"image/png": {"alt": …}}``).
    """
    _publish(data, metadata)


def slug(text: str) -> str:
    """A stable HTML id from a heading: accents folded (:func:`analysis.core.text.fold_accents`), lower case,
    every other run of characters a hyphen (``Éléments clés : 2024 !`` → ``elements-cles-2024``)."""
    folded = fold_accents(text) or ""
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


def show_heading(text: str, level: int = 2) -> None:
    """Show a section heading; the rendered report numbers it and lists it in its table of contents.

    Parameters
    ----------
    text : str
        The heading (escaped).
    level : int
        2 for a section, 3 for a subsection.
    """
    _publish({"text/html": f'<h{level} id="{slug(text)}">{html.escape(text)}</h{level}>', "text/plain": text})


def show_text(markdown: str) -> None:
    """Show a paragraph of report text in Markdown (bold, lists, links).

    Raw HTML is shown as text, not interpreted: a value from the data (a name containing ``<b>``) can never inject
    markup into the report.

    Parameters
    ----------
    markdown : str
        The text, usually a catalogue label filled with formatted numbers: ``T("vigie.bank_text", n=…)``.
    """
    safe = markdown.replace("&", "&amp;").replace("<", "&lt;")
    _publish({"text/markdown": safe, "text/plain": markdown})


def show_note(text: str, kind: str = "info") -> None:
    """Show a boxed note (escaped; text between backquotes is shown as code).

    Parameters
    ----------
    text : str
        The note.
    kind : str
        ``info``, ``warning`` or ``missing`` (a dataset or a section that could not be produced).
    """
    body = html.escape(text)
    body = re.sub(r"`([^`]+)`", r"<code>\1</code>", body)
    _publish(
        {"text/html": f'<div class="vigie-note vigie-note-{kind}" role="note">{body}</div>', "text/plain": text}
    )


def format_cell(value: object, kind: Formatter | None, lang: str) -> str:
    """One cell as display text (not yet escaped).

    Parameters
    ----------
    value : object
        The cell's value.
    kind : str, callable or None
        A format name (``int``, ``num1``, ``pct``, ``share``, ``money``, ``money_short``, ``usd``, ``gbp``, ``year``,
        ``p``, ``text``…), a function of the value, or ``None``: missing → ``—``, booleans → ``oui``/``non``,
        integers with thousands separators, floats with one decimal (none from a million).
    lang : str
        ``fr`` or ``en``.

    Raises
    ------
    KeyError
        An unknown format name.
    """
    if callable(kind):
        return kind(value)
    if kind is None:
        if fmt._is_missing(value):
            return fmt.MISSING
        if isinstance(value, bool):
            return t("common.bool_true" if value else "common.bool_false", lang)
        if isinstance(value, int) or (hasattr(value, "dtype") and "int" in str(getattr(value, "dtype", ""))):
            return fmt.integer(value, lang)
        if isinstance(value, float):
            return fmt.number(value, 1 if abs(value) < 1e6 else 0, lang)
        return str(value)
    if kind not in _KINDS:
        raise KeyError(f"unknown cell format {kind!r}; known: {', '.join(sorted(_KINDS))}")
    return _KINDS[kind](value, lang)


_UNITS = {"k": 1e3, "M": 1e6, "G": 1e9, "B": 1e9}
_NUMBER_TEXT = re.compile(
    r"^(?P<sign>[−\-+]?)(?P<cur>[$£]?)(?P<num>\d{1,3}(?:[\u202f\u00a0 ,]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:[\u00a0 ]?(?P<unit>[kMGB])?(?P<suffix>%|\$(?: US)?|£|\s?US)?)?$")
_ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")


def numeric_value(text: str) -> float | None:
    """The number a formatted cell shows, else ``None``.

    ``1 234,5 $`` → 1234.5, ``139,9 M$`` → 1.399e8, ``2,09 %`` → 2.09, ``$1.5M`` → 1.5e6, ``−3`` → -3;
    ``Coopérative 01``, ``1988:2022`` or ``—`` → ``None``.
    """
    text = html.unescape(text).strip()
    match = _NUMBER_TEXT.match(text)
    if not match:
        return None
    body = match.group("num").replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if "," in body and "." not in body and not _ENGLISH_THOUSANDS.fullmatch(body):
        body = body.replace(",", ".")  # French decimal comma
    body = body.replace(",", "")  # English thousands
    try:
        value = float(body)
    except ValueError:
        return None
    value *= _UNITS.get(match.group("unit") or "", 1)
    return -value if match.group("sign") in ("−", "-") else value


def _numbers_as_text(texts: list[str]) -> list[float | None] | None:
    """The values of a column whose every shown cell is a formatted number or missing (``—``), else ``None``."""
    values = [None if t.strip() in (fmt.MISSING, "") else numeric_value(t) for t in texts]
    shown = [t for t in texts if t.strip() not in (fmt.MISSING, "")]
    if not shown or any(v is None for v, t in zip(values, texts) if t.strip() not in (fmt.MISSING, "")):
        return None
    return values


def table_html(
    df: pd.DataFrame,
    formats: Mapping[str, Formatter] | None = None,
    caption: str | None = None,
    lang: str = "fr",
    max_rows: int | None = None,
) -> str:
    """Render ``df`` as an escaped HTML table: numbers formatted for ``lang``, right-aligned and sortable by value.

    A column is numeric when its dtype is, when ``formats`` gives it a numeric format, or when every shown cell
    already holds a formatted number as text (``1 234,5 $``, ``139,9 M$``, ``—`` for a missing value): its cells
    get ``class="num"`` and ``data-sort`` (the value), so they align on the right and sort by value. Tables of
    more than ten rows are marked ``sortable``.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its column names are the headers.
    formats : mapping, optional
        Column → a format name of :data:`_KINDS` (``int``, ``pct``, ``money``…) or a function of the value.
    caption : str, optional
        The table's title.
    lang : str
        ``fr`` or ``en``.
    max_rows : int, optional
        Rows shown; a line below says how many more are in the CSV file.

    Returns
    -------
    str
        The HTML fragment.
    """
    formats = dict(formats or {})
    shown = df if max_rows is None else df.head(max_rows)
    columns = list(df.columns)
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    numeric |= {c for c, k in formats.items() if isinstance(k, str) and k not in ("text",)}
    texts = {i: [format_cell(v, formats.get(c), lang) for v in shown.iloc[:, i]] for i, c in enumerate(columns)}
    as_text = {i: _numbers_as_text(texts[i]) for i, c in enumerate(columns) if c not in numeric}
    as_text = {i: values for i, values in as_text.items() if values is not None}
    classes = ["vigie-table"] + (["sortable"] if len(df) > 10 else [])
    out = [f'<table class="{" ".join(classes)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    for i, col in enumerate(columns):
        cls = ' class="num"' if col in numeric or i in as_text else ""
        out.append(f'<th scope="col"{cls}>{html.escape(str(col))}</th>')
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(shown.itertuples(index=False, name=None)):
        out.append("<tr>")
        for i, (col, value) in enumerate(zip(columns, row)):
            text = texts[i][r]
            if col in numeric:
                sort_key = "" if fmt._is_missing(value) else html.escape(str(value))
                out.append(f'<td class="num" data-sort="{sort_key}">{html.escape(text)}</td>')
            elif i in as_text:
                number = as_text[i][r]
                out.append(f'<td class="num" data-sort="{"" if number is None else repr(number)}">'
                           f"{html.escape(text)}</td>")
            else:
                out.append(f"<td>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if max_rows is not None and len(df) > max_rows:
        note = t("common.more_rows", lang, n=fmt.integer(len(df) - max_rows, lang))
        out.append(f'<p class="vigie-more">{html.escape(note)}</p>')
    return "".join(out)


def label_html(key: str, lang: str = "fr", **fields: object) -> str:
    """A catalogue label as HTML text: escaped, its no-break spaces written ``&nbsp;`` (visible in the source)."""
    return html.escape(t(key, lang, **fields)).replace(fmt.NBSP, "&nbsp;")


def source_html(source: str, lang: str = "fr") -> str:
    """``Source : <source>`` (escaped) under a table or a figure, with the language's colon."""
    return f'{label_html("common.source", lang)}{label_html("common.colon", lang)}{html.escape(source)}'


def report_dir() -> Path | None:
    """Folder of the report being rendered (set by ``make reports``); ``None`` in an interactive session or nbval."""
    value = os.environ.get("VIGIE_REPORT_DIR")
    return Path(value) if value else None


def export_csv(df: pd.DataFrame, name: str) -> str:
    """Write ``df`` beside the report as ``donnees/<name>.csv`` (only while rendering) and return that link.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, written as shown (UTF-8, no index).
    name : str
        File name without ``.csv``.

    Returns
    -------
    str
        ``donnees/<name>.csv``, relative to the report page (nothing is written outside ``make reports``).
    """
    link = f"donnees/{name}.csv"
    folder = report_dir()
    if folder is not None:
        target = folder / link
        target.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return link


def show_table(
    df: pd.DataFrame,
    formats: Mapping[str, Formatter] | None = None,
    caption: str | None = None,
    lang: str = "fr",
    max_rows: int | None = 50,
    export: str | None = None,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> None:
    """Show a table: escaped, numbers formatted for ``lang`` and right-aligned, long tables sortable.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    formats : mapping, optional
        Column → format name or function (see :func:`format_cell`).
    caption : str, optional
        The table's title.
    lang : str
        ``fr`` or ``en``.
    max_rows : int or None
        Rows shown (default 50; ``None`` for all); a line says how many more are in the CSV file.
    export : str, optional
        Also write the table as ``donnees/<export>.csv`` beside the report and link it.
    source : str, optional
        The line ``Source : …`` under the table.
    columns : mapping, optional
        Data column → header, in display order: picks, orders and renames the columns (``formats`` may then
        name the data columns).

    Raises
    ------
    KeyError
        ``columns`` names a column that is not in ``df``.
    """
    if columns is not None:
        df, formats = labelled(df, columns, formats)
    parts = [table_html(df, formats, caption, lang, max_rows)]
    extras = []
    if source:
        extras.append(f'<span class="vigie-source">{source_html(source, lang)}</span>')
    if export:
        link = export_csv(df, export)
        label = html.escape(t("common.download_csv", lang))
        extras.append(f'<a class="vigie-csv" href="{html.escape(link)}">{label}</a>')
    if extras:
        parts.append('<p class="vigie-table-foot">' + " · ".join(extras) + "</p>")
    plain = df.head(max_rows).to_string(index=False) if max_rows else df.to_string(index=False)
    _publish({"text/html": "".join(parts), "text/plain": (caption + "\n" if caption else "") + plain})


def labelled(df: pd.DataFrame, columns: Mapping[str, str], formats: Mapping[str, Formatter] | None = None
             ) -> tuple[pd.DataFrame, dict[str, Formatter]]:
    """``df`` reduced to ``columns`` (data column → header, in order) and renamed, with ``formats`` keyed by
    header (a format may be given under the data column or the header)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the table: {', '.join(map(str, missing))}")
    shown = df[list(columns)].set_axis(list(columns.values()), axis=1)
    return shown, {columns.get(k, k): v for k, v in (formats or {}).items()}


def figure_png(fig) -> bytes:
    """PNG bytes of a matplotlib figure, without the metadata that would vary between runs."""
    buffer = io.BytesIO()
    # 144 dpi: sharp on high-density screens and on paper; the report scales it to the text column.
    fig.savefig(buffer, format="png", dpi=144, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def show_figure(fig, alt: str, source: str | None = None, lang: str = "fr") -> None:
    """Show a figure as PNG with its text alternative and its source line, then close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (usually from a ``plot_*`` function of :mod:`analysis.report.figures`).
    alt : str
        What the figure says, in words (the image's ``alt`` text, read by screen readers).
    source : str, optional
        The line ``Source : …`` under the figure.
    lang : str
        ``fr`` or ``en``.
    """
    import matplotlib.pyplot as plt  # heavy: imported only when a figure is shown (tables need no matplotlib)

    png = figure_png(fig)
    plt.close(fig)
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
    if not title and fig.axes:
        ax = fig.axes[0]
        title = ax.get_title("center") or ax.get_title("left") or ax.get_title("right")  # the style puts it left
    _publish(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"[{title}] {alt}"},
        {"image/png": {"alt": alt}},
    )
    if source:
        _publish(
            {
                "text/html": f'<p class="vigie-figure-source">{source_html(source, lang)}</p>',
                "text/plain": f"Source: {source}",
            }
        )
