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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis.core.text import fold_accents
from analysis.report import fmt
from analysis.report.codes import code_labels
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
    _publish({"text/markdown": markdown_safe(markdown), "text/plain": markdown})


def markdown_safe(markdown: str) -> str:
    """Markdown that can only format text: raw HTML shown as text (``&``, ``<`` escaped), no link, no image.

    The catalogues' texts use bold, italics and lists, never links; a value from the data or a parameter
    (``region_focus: "[x](javascript:alert(1)) ![](http://…)"``) must not become a live link or load a remote
    image. Square brackets are escaped (``\\[``: shown as ``[``) and ``://`` is written ``:\\/\\/`` (shown as
    ``://``) so that no autolink is made. Dollar signs stay text: the report page loads no math renderer.
    """
    safe = markdown.replace("&", "&amp;").replace("<", "&lt;")
    safe = safe.replace("[", "\\[").replace("]", "\\]")
    return safe.replace("://", ":\\/\\/")


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
        integers (and floats without a fractional part: counts) with thousands separators, other floats with one
        decimal (none from a million).
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
            if fmt.is_whole(value):
                return fmt.integer(value, lang)  # a count stored as float: 373, never 373,0
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


def _positional(df: pd.DataFrame, formats: Mapping[str, Formatter] | Sequence[Formatter | None] | None
                ) -> list[Formatter | None]:
    """One format per column position (two columns may share a header: each keeps its own format)."""
    if formats is None:
        return [None] * df.shape[1]
    if isinstance(formats, Mapping):
        return [formats.get(c) for c in df.columns]
    formats = list(formats)
    if len(formats) != df.shape[1]:
        raise ValueError(f"{len(formats)} formats for {df.shape[1]} columns")
    return formats


def table_html(
    df: pd.DataFrame,
    formats: Mapping[str, Formatter] | Sequence[Formatter | None] | None = None,
    caption: str | None = None,
    lang: str = "fr",
    max_rows: int | None = None,
    identifiers: Sequence[str] = (),
) -> str:
    """Render ``df`` as an escaped HTML table: numbers formatted for ``lang``, right-aligned and sortable by value.

    A column is numeric when its dtype is, when ``formats`` gives it a numeric format, or when every shown cell
    already holds a formatted number as text (``1 234,5 $``, ``139,9 M$``, ``—`` for a missing value): its cells
    get ``class="num"`` and ``data-sort`` (the value), so they align on the right and sort by value. Tables of
    more than ten rows are marked ``sortable`` (and get a search box and filters in the page). The table sits in a
    ``vigie-table-wrap`` box: the page's script stacks its rows on a narrow screen when it does not fit.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its column names are the headers.
    formats : mapping or sequence, optional
        Column → a format name of :data:`_KINDS` (``int``, ``pct``, ``money``…) or a function of the value; or
        one format (or ``None``) per column, in order.
    caption : str, optional
        The table's title.
    lang : str
        ``fr`` or ``en``.
    max_rows : int, optional
        Rows shown; a line below says how many more are in the CSV file.
    identifiers : sequence of str
        Columns whose cells are identifiers a reader types as they are (a file's column names): shown as code.

    Returns
    -------
    str
        The HTML fragment.

    Raises
    ------
    ValueError
        ``formats`` is a sequence of another length than the columns.
    """
    kinds = _positional(df, formats)
    shown = df if max_rows is None else df.head(max_rows)
    columns = list(df.columns)
    numeric = {i for i in range(len(columns)) if pd.api.types.is_numeric_dtype(df.iloc[:, i])
               and not pd.api.types.is_bool_dtype(df.iloc[:, i])}
    numeric |= {i for i, k in enumerate(kinds) if isinstance(k, str) and k not in ("text",)}
    texts = {i: [format_cell(v, kinds[i], lang) for v in shown.iloc[:, i]] for i in range(len(columns))}
    as_text = {i: _numbers_as_text(texts[i]) for i in range(len(columns)) if i not in numeric}
    as_text = {i: values for i, values in as_text.items() if values is not None}
    code = {i for i, c in enumerate(columns) if c in set(identifiers)}
    # many columns: the print styles set such a table in a smaller type so that it fits the paper's width
    width_class = "vigie-cols-13" if len(columns) >= 12 else "vigie-cols-10" if len(columns) >= 10 else None
    classes = ["vigie-table"] + (["sortable"] if len(df) > 10 else []) + ([width_class] if width_class else [])
    out = ['<div class="vigie-table-wrap">', f'<table class="{" ".join(classes)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    for i, col in enumerate(columns):
        cls = ' class="num"' if i in numeric or i in as_text else ""
        out.append(f'<th scope="col"{cls}>{html.escape(str(col))}</th>')
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(shown.itertuples(index=False, name=None)):
        out.append("<tr>")
        for i, value in enumerate(row):
            text = texts[i][r]
            if i in numeric:
                sort_key = "" if fmt._is_missing(value) else html.escape(str(value))
                out.append(f'<td class="num" data-sort="{sort_key}">{html.escape(text)}</td>')
            elif i in as_text:
                number = as_text[i][r]
                out.append(f'<td class="num" data-sort="{"" if number is None else repr(number)}">'
                           f"{html.escape(text)}</td>")
            elif i in code:
                out.append(f"<td><code>{html.escape(text)}</code></td>")
            else:
                out.append(f"<td>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
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


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP "CSV Injection": a spreadsheet reads these as formulas


def neutralise_cell(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'`` (OWASP); anything else as it is.

    Only text is touched: a number (``-3.5`` in a numeric column) is written as a number, never as a formula, so
    it stays a number in the spreadsheet. A text cell ``"-3"`` is prefixed too (the spreadsheet shows ``-3`` as
    text).

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x", "clic")')
    '\'=HYPERLINK("http://x", "clic")'
    >>> neutralise_cell(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and header neutralised (:func:`neutralise_cell`); numeric columns untouched."""
    out = df.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)
                or pd.api.types.is_datetime64_any_dtype(column)):
            out.isetitem(i, column.map(neutralise_cell, na_action="ignore"))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, target: Path, lang: str = "fr") -> None:
    """Write ``df`` for a spreadsheet in ``lang``'s locale: UTF-8 with a byte-order mark (Excel then reads the
    accents), ``;`` between cells and a decimal comma in French (``,`` and a decimal point in English), formula
    cells neutralised (:func:`csv_frame`).

    Parameters
    ----------
    df : pandas.DataFrame
        The table (no index written).
    target : Path
        The file.
    lang : str
        ``fr`` or ``en``.
    """
    csv_frame(df).to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n",
                         sep=t("common.csv_separator", lang), decimal=t("common.csv_decimal", lang))


def export_csv(df: pd.DataFrame, name: str, lang: str = "fr") -> str:
    """Write ``df`` beside the report as ``donnees/<name>.csv`` (only while rendering) and return that link.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, written as shown, for a spreadsheet in ``lang`` (see :func:`write_csv`: BOM, ``;`` and decimal
        comma in French, formulas neutralised).
    name : str
        File name without ``.csv``.
    lang : str
        ``fr`` or ``en``.

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
        write_csv(df, target, lang)
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
    codes: Mapping[str, str] | None = None,
    identifiers: Sequence[str] = (),
) -> None:
    """Show a table: escaped, numbers formatted for ``lang`` and right-aligned, long tables sortable and searchable.

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
    codes : mapping, optional
        Column → family of codes (``{"country": "country"}``): each cell named through ``labels/codes.yaml``
        (:func:`analysis.report.codes.code_label`), in the table and its CSV file.
    identifiers : sequence of str
        Columns (data names or headers) of identifiers a reader types as they are: shown as code.

    Raises
    ------
    KeyError
        ``columns`` names a column that is not in ``df``.
    """
    if codes:
        df = df.assign(**{c: code_labels(df[c], family, lang) for c, family in codes.items() if c in df.columns})
    kinds: Mapping[str, Formatter] | list[Formatter | None] | None = formats
    names = list(identifiers)
    if columns is not None:
        kinds = [(formats or {}).get(c, (formats or {}).get(h)) for c, h in columns.items()]
        names = [columns.get(c, c) for c in identifiers]
        df, _ = labelled(df, columns, formats)
    parts = [table_html(df, kinds, caption, lang, max_rows, identifiers=names)]
    extras = []
    if source:
        extras.append(f'<span class="vigie-source">{source_html(source, lang)}</span>')
    if export:
        link = export_csv(df, export, lang)
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


FIGURE_DPI = 192  # twice a 96 dpi screen: an 8-inch figure is 1 536 px wide, shown at most 864 px wide (54rem)


def figure_png(fig) -> bytes:
    """PNG bytes of a matplotlib figure at :data:`FIGURE_DPI`, without the metadata that would vary between runs."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def smallest_text_points(fig) -> float | None:
    """The size (points) of the smallest visible, non-empty text of ``fig`` (titles, ticks, labels, legends, cell
    annotations); ``None`` when the figure draws no text."""
    from matplotlib.text import Text  # matplotlib is heavy: loaded only when a figure exists

    sizes = [float(x.get_fontsize()) for x in fig.findobj(Text)
             if x.get_visible() and x.get_text().strip() and (x.axes is None or x.axes.get_visible())]
    return min(sizes) if sizes else None


def figure_data(fig) -> pd.DataFrame | None:
    """The data a ``plot_*`` function attached to its figure (:func:`analysis.report.figures.style.attach_data`)."""
    data = getattr(fig, "vigie_data", None)
    return data if isinstance(data, pd.DataFrame) else None


def show_figure(fig, alt: str, source: str | None = None, lang: str = "fr", data: pd.DataFrame | None = None,
                export: str | None = None) -> None:
    """Show a figure as PNG with its text alternative, its source line and a link to its data, then close it.

    The image's metadata carries ``min_text_px``: the smallest text's height in image pixels, which the browser
    test scales by the width the page shows the image at.

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
    data : DataFrame, optional
        The figure's data, written as ``donnees/<export>.csv`` while rendering and linked under the figure;
        default: what the ``plot_*`` function attached (:func:`figure_data`).
    export : str, optional
        The CSV file's name (default ``figure-`` and the title's slug).
    """
    import matplotlib.pyplot as plt  # heavy: imported only when a figure is shown (tables need no matplotlib)

    png = figure_png(fig)
    smallest = smallest_text_points(fig)
    data = data if data is not None else figure_data(fig)
    plt.close(fig)
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
    if not title and fig.axes:
        ax = fig.axes[0]
        title = ax.get_title("center") or ax.get_title("left") or ax.get_title("right")  # the style puts it left
    meta: dict[str, object] = {"alt": alt}
    if smallest is not None:
        meta["min_text_px"] = round(smallest * FIGURE_DPI / 72, 1)
    _publish(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"[{title}] {alt}"},
        {"image/png": meta},
    )
    extras = []
    if source:
        extras.append(source_html(source, lang))
    if data is not None:
        link = export_csv(data, export or ("figure-" + slug(title or alt)[:60]), lang)
        label = label_html("common.download_figure_csv", lang)
        extras.append(f'<a class="vigie-csv" href="{html.escape(link)}">{label}</a>')
    if extras:
        plain = f"Source: {source}" if source else t("common.download_figure_csv", lang)
        _publish({"text/html": f'<p class="vigie-figure-source">{" · ".join(extras)}</p>', "text/plain": plain})
