"""``python -m analysis diagnostic data/private/<entreprise>.xlsx``: the one-page viability diagnostic.

The filled workbook (:mod:`analysis.food.workbook`) is checked cell by cell; the diagnostic
(:mod:`analysis.food.diagnostic`) is computed against the Co-operatives UK food co-ops and the US food hubs; this
module writes one self-contained page, in French by default, to ``data/private/diagnostics/<entreprise>/``:
``diagnostic.html``, ``diagnostic.pdf`` (headless Chromium, as ``make pdf``), ``ratios.csv``, ``pairs.csv`` and
``provenance.json``.

The page is written directly from Python rather than through a parameterized notebook: it is one fixed layout (a
notebook and its kernel would add ten seconds and the report frame's table of contents), its outputs must never go
through ``reports/`` or its public index, and it stays independent of the notebook renderer.

Confidential by design: a filled workbook inside the project must sit under ``data/private/`` (git-ignored), the
outputs go under ``data/private/`` unless ``--out`` names a folder outside the project, and the page and
``provenance.json`` name files by their project-relative path (or their bare name), never by an absolute path.

``python -m analysis diagnostic --new data/private/<entreprise>.xlsx`` writes a fresh blank workbook.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.core import external, params, paths
from analysis.core.errors import MissingDatasetError, ParameterError, VigieError
from analysis.food import coops_uk, foodhubs
from analysis.food import diagnostic as dg
from analysis.food import workbook as layout
from analysis.report import display, fmt, provenance, render
from analysis.report.labels import check_lang, t

OUTPUT_DIR = paths.PRIVATE / "diagnostics"
PNG_DPI = display.FIGURE_DPI  # display.figure_png's resolution
DATASETS = ("coops_uk_organisations", "coops_uk_economy", "food_hub_survey")
SHARE_METRICS = {"revenue_growth", "revenue_growth_annual", "operating_margin", "gross_margin", "debt_ratio",
                 "equity_ratio", "equity_to_revenue", "grant_dependence", "customer_top1_share", "admin_cost_ratio",
                 "break_even_coverage"}
MONEY_METRICS = {"total_revenue", "revenue_per_employee", "revenue_per_member", "break_even_sales"}
PAGE_CSS = """
@page { size: letter; margin: 0.35in 0.45in; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; line-height: 1.25; color: #1a1a1a;
       margin: 0 auto; max-width: 7.6in; }
p, li { text-align: left; }
h1 { font-size: 14pt; margin: 0 0 2px 0; }
h2 { font-size: 9.4pt; margin: 6px 0 2px 0; color: #1f4e79; border-bottom: 1px solid #c9d6e3; }
p { margin: 2px 0 4px 0; }
.sub { color: #555; margin-bottom: 4px; }
.synthetic { background: #f4cccc; font-weight: bold; padding: 2px 6px; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; line-height: 1.15; }
caption { caption-side: bottom; text-align: left; color: #555; font-size: 7pt; padding-top: 2px; }
th, td { padding: 0.5px 4px; border-bottom: 1px solid #e3e3e3; }
th { text-align: left; background: #f2f5f8; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.flag { background: #fde9d9; }
.pair { display: flex; gap: 12px; align-items: flex-start; }
.pair .text { flex: 1 1 auto; }
figure { margin: 6px 0 0 0; flex: 0 0 auto; }
figure img { height: auto; }
td:first-child { white-space: nowrap; }
ol { margin: 2px 0 2px 16px; padding: 0; }
li { margin-bottom: 2px; }
.notes { font-size: 6.4pt; line-height: 1.2; color: #444; columns: 3; column-gap: 12px; }
.notes p { margin: 0 0 2px 0; break-inside: avoid; }
"""


# --------------------------------------------------------------------------------------------------- formatting


def format_metric(metric: str, value: object, lang: str) -> str:
    """A metric's value as the page shows it (shares in %, amounts in $, ratios with two decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.MISSING
    if metric in SHARE_METRICS:
        return fmt.percent(value, 0 if metric == "break_even_coverage" else 1, lang, ratio=True)
    if metric in MONEY_METRICS:
        return fmt.money_short(value, lang) if metric != "revenue_per_member" else fmt.money(value, 0, lang)
    if metric == "months_reserve":
        return fmt.number(value, 1, lang)
    return fmt.number(value, 2, lang)


def ordinal(value: float, lang: str) -> str:
    """A percentile as an ordinal: ``62`` → « 62ᵉ » (fr) / "62nd" (en); ``1`` → « 1er »."""
    n = int(round(value))
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def round_money(value: float, lang: str) -> str:
    """A band edge: ``1_000_000`` → « 1 M$ », ``250_000`` → « 250 k$ » (no needless « ,0 »)."""
    return re.sub(r"[,.]0(?=\D|$)", "", fmt.money_short(value, lang))


def band_label(band: int, edges: tuple[float, ...], lang: str, kind: str = "band") -> str:
    """Band ``band`` of ``edges`` in words: « 250 k$ à 1 M$ », « 5 ans ou moins »…"""
    show = (lambda v: round_money(v, lang)) if kind == "band" else (lambda v: fmt.number(v, 0, lang))
    if band == 0:
        return t(f"diagnostic.dg_{kind}_first", lang, high=show(edges[0]))
    if band >= len(edges):
        return t(f"diagnostic.dg_{kind}_last", lang, low=show(edges[-1]))
    return t(f"diagnostic.dg_{kind}_middle", lang, low=show(edges[band - 1]), high=show(edges[band]))


def year_span(first: object, last: object) -> str:
    """``2011–2016``, or one year when both are the same."""
    a, b = fmt.year(first), fmt.year(last)
    return a if a == b else f"{a}–{b}"


def group_label(row: pd.Series | dict, settings: dg.DiagnosticSettings, lang: str) -> str:
    """A peer group in words, from its criteria codes."""
    get = row.get if isinstance(row, dict) else (lambda k, d=None: row[k] if k in row.index else d)

    def known(key: str) -> bool:
        value = get(key)
        return value is not None and value == value

    if get("source") == "uk":
        if known("criterion_size_band"):
            band = band_label(int(get("criterion_size_band")), settings.revenue_bands_cad, lang)
            return t("diagnostic.dg_group_uk_band", lang, band=band)
        return t("diagnostic.dg_group_uk", lang)
    if not known("criterion_legal_status"):
        return t("diagnostic.dg_group_us", lang)
    status = t(f"diagnostic.dg_status_{get('criterion_legal_status')}", lang)
    if not known("criterion_business_model"):
        return t("diagnostic.dg_group_us_status", lang, status=status)
    model = t(f"diagnostic.dg_model_{get('criterion_business_model')}", lang)
    if not known("criterion_age_band"):
        return t("diagnostic.dg_group_us_status_model", lang, status=status, model=model)
    age = band_label(int(get("criterion_age_band")), settings.age_bands_years, lang, kind="age")
    return t("diagnostic.dg_group_us_full", lang, status=status, model=model, age=age)


def group_letters(diag: dg.Diagnostic) -> dict[str, str]:
    """A letter for each peer group chosen for at least one metric, in page order (UK first)."""
    used = diag.bench.loc[diag.bench["chosen"], ["source", "level", "group_id"]].drop_duplicates()
    used = used.sort_values(["source", "level"], key=lambda s: s.map({"uk": 0, "us": 1}) if s.name == "source"
                            else s, kind="stable")
    return {g: chr(ord("a") + i) for i, g in enumerate(used["group_id"])}


# --------------------------------------------------------------------------------------------------- page parts


def _cell(text: str, numeric: bool = False, flagged: bool = False) -> str:
    classes = " ".join(c for c, on in (("num", numeric), ("flag", flagged)) if on)
    return f'<td class="{classes}">{html.escape(text)}</td>' if classes else f"<td>{html.escape(text)}</td>"


def _percentile_cell(diag: dg.Diagnostic, source: str, metric: str, letters: dict[str, str], lang: str) -> str:
    peer_metric = "revenue_growth_annual" if metric == "revenue_growth" else metric  # peers: growth per year
    if source in diag.missing_sources:
        return t("diagnostic.dg_source_absent", lang) if peer_metric in dg.PEER_METRICS[source] else ""
    rows = diag.bench.loc[(diag.bench["source"] == source) & (diag.bench["metric"] == peer_metric)]
    if rows.empty:
        return ""
    chosen = rows.loc[rows["chosen"]]
    if len(chosen):
        row = chosen.iloc[0]
        return f"{fmt.number(row['percentile'], 0, lang)} ({letters[row['group_id']]})"
    largest = rows.loc[rows["status"] == "below_min", "n"]
    return t("diagnostic.dg_too_few", lang, n=fmt.integer(int(largest.max()), lang)) if len(largest) else fmt.MISSING


def _trend_text(diag: dg.Diagnostic, metric: str, lang: str) -> str:
    if metric == "revenue_growth":
        value = diag.year_ratios["revenue_growth_annual"].iloc[-1]
        return t("diagnostic.dg_growth_average", lang, value=format_metric("revenue_growth_annual", value, lang))
    row = diag.trends.set_index("metric").loc[metric]
    return t(f"diagnostic.dg_trend_{row['direction']}", lang)


def ratio_table(diag: dg.Diagnostic, letters: dict[str, str], lang: str) -> str:
    """The main table: one row per metric, three years, trend, UK and US percentiles."""
    yr = diag.year_ratios
    flagged = diag.flags.loc[diag.flags["flagged"]]
    flagged_cells = {(int(y), m) for y, m in zip(flagged["year"], flagged["indicator"], strict=True)}
    head = [t("diagnostic.dg_col_indicator", lang), *[str(y) for y in diag.years], t("diagnostic.dg_col_trend", lang),
            t("diagnostic.dg_col_uk", lang), t("diagnostic.dg_col_us", lang)]
    out = ['<table class="vigie-table">', "<thead><tr>"]
    for k, text in enumerate(head):
        cls = ' class="num"' if 0 < k <= len(diag.years) else ""
        out.append(f'<th scope="col"{cls}>{html.escape(text)}</th>')
    out.append("</tr></thead><tbody>")
    for metric in dg.METRICS:
        cells = [_cell(t(f"diagnostic.dg_metric_{metric}", lang))]
        for i, year in enumerate(diag.years):
            cells.append(_cell(format_metric(metric, yr[metric].iloc[i], lang), numeric=True,
                               flagged=(year, metric) in flagged_cells))
        cells.append(_cell(_trend_text(diag, metric, lang)))
        cells.append(_cell(_percentile_cell(diag, "uk", metric, letters, lang), numeric=True))
        cells.append(_cell(_percentile_cell(diag, "us", metric, letters, lang), numeric=True))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append(f"</tbody><caption>{html.escape(t('diagnostic.dg_table_caption', lang))}</caption></table>")
    return "".join(out)


def _signal_list(rows: pd.DataFrame, lang: str) -> str:
    parts = []
    for r in rows.itertuples(index=False):
        value = (fmt.number(r.value, 1, lang) if r.indicator == "months_reserve"
                 else format_metric(r.indicator, r.value, lang))
        threshold = (fmt.number(r.threshold, 1, lang) if r.indicator == "months_reserve"
                     else format_metric(r.indicator, r.threshold, lang))
        parts.append(t(f"diagnostic.dg_signal_{r.indicator}", lang, value=value, threshold=threshold))
    return "; ".join(parts)


def signals_html(diag: dg.Diagnostic, letters: dict[str, str], lang: str) -> str:
    """Tuckman–Chang flags, reference thresholds, break-even sales and the hubs' grant levels, as paragraphs."""
    year = diag.years[-1]
    flags = diag.flags
    last = flags.loc[(flags["year"] == year) & flags["flagged"]]
    tc = last.loc[last["kind"] == "tuckman_chang"]
    ref = last.loc[last["kind"] == "reference"]
    parts = []
    if tc.empty:
        parts.append(t("diagnostic.dg_tc_none", lang, year=year))
    else:
        parts.append(t("diagnostic.dg_tc_some", lang, year=year, n=len(tc), list=_signal_list(tc, lang)))
    counts = flags.loc[flags["kind"] == "tuckman_chang"].groupby("year")["flagged"].sum()
    parts.append(t("diagnostic.dg_tc_by_year", lang, counts=", ".join(f"{y} : {int(n)}" if lang == "fr" else
                                                                      f"{y}: {int(n)}" for y, n in counts.items())))
    parts.append(t("diagnostic.dg_reference_some", lang, year=year, list=_signal_list(ref, lang)) if len(ref)
                 else t("diagnostic.dg_reference_none", lang, year=year))
    paragraphs = [" ".join(parts)]
    r = diag.year_ratios.iloc[-1]
    money = {k: fmt.money(r[c], 0, lang) for k, c in (("fixed", "fixed_costs"), ("other", "other_revenue"),
                                                      ("sales", "revenue_sales"), ("net", "break_even_sales_net"),
                                                      ("plain", "break_even_sales"))}
    margin = fmt.percent(r["gross_margin"], 1, lang, ratio=True)
    if not (r["gross_margin"] == r["gross_margin"] and r["gross_margin"] > 0):
        paragraphs.append(t("diagnostic.dg_break_even_no_margin", lang, year=year, margin=margin))
    elif r["break_even_sales_net"] == 0:
        paragraphs.append(t("diagnostic.dg_break_even_covered", lang, year=year, margin=margin, fixed=money["fixed"],
                            other=money["other"], plain=money["plain"], sales=money["sales"]))
    else:
        paragraphs.append(t("diagnostic.dg_break_even", lang, year=year, margin=margin, **money))
    if diag.grant_levels:
        g = diag.grant_levels
        group = diag.groups.set_index("group_id").loc[g["group_id"]].to_dict()
        paragraphs.append(t("diagnostic.dg_grant_levels", lang, share=format_metric("grant_dependence",
                                                                                     r["grant_dependence"], lang),
                            year=year, n=fmt.integer(g["n"], lang), group=group_label(group, diag.settings, lang),
                            **{k: fmt.percent(g[k], 0, lang, ratio=True) for k in ("not", "somewhat", "highly")}))
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def point_text(point: pd.Series, diag: dg.Diagnostic, lang: str) -> str:
    """One point to discuss as a sentence (an observation and a question, never a verdict)."""
    code = point["code"]
    metric = point["metric"] if isinstance(point["metric"], str) else ""
    year = int(point["year"])
    if code == "tc_flags":
        rows = diag.flags.loc[(diag.flags["year"] == year) & diag.flags["flagged"]
                              & (diag.flags["kind"] == "tuckman_chang")]
        return t("diagnostic.dg_point_tc_flags", lang, year=year, n=len(rows), list=_signal_list(rows, lang))
    if code in ("below_break_even", "other_revenue_needed"):
        return t(f"diagnostic.dg_point_{code}", lang, year=year,
                 value=fmt.percent(point["value"], 0, lang, ratio=True),
                 reference=fmt.money(point["reference"], 0, lang))
    if code in ("peer_low", "peer_high"):
        group = diag.groups.set_index("group_id").loc[point["group_id"]].to_dict()
        return t(f"diagnostic.dg_point_{code}", lang, metric=t(f"diagnostic.dg_metric_{metric}", lang),
                 value=format_metric(metric, point["value"], lang), rank=ordinal(point["percentile"], lang),
                 group=group_label(group, diag.settings, lang), median=format_metric(metric, point["reference"], lang))
    if code == "trend":
        first_year, _ = str(point["detail"]).split(";")
        return t("diagnostic.dg_point_trend", lang, metric=t(f"diagnostic.dg_metric_{metric}", lang),
                 first=format_metric(metric, point["reference"], lang), first_year=first_year,
                 last=format_metric(metric, point["value"], lang), last_year=year)
    if code == "grant_dependence":
        return t("diagnostic.dg_point_grant_dependence", lang, year=year,
                 value=format_metric(metric, point["value"], lang),
                 reference=format_metric(metric, point["reference"], lang))
    raise KeyError(f"no sentence for point {code!r}")


def notes_html(diag: dg.Diagnostic, letters: dict[str, str], info: dict, lang: str) -> str:
    """Peer groups (with their size, years and currency), method, exchange rates and provenance."""
    settings = diag.settings
    groups = diag.groups.set_index("group_id") if len(diag.groups) else pd.DataFrame()
    lines = []
    for gid, letter in letters.items():
        row = groups.loc[gid].to_dict()
        row["source"] = groups.loc[gid, "source"]
        key = "diagnostic.dg_group_note_uk" if row["source"] == "uk" else "diagnostic.dg_group_note_us"
        lines.append(t(key, lang, letter=letter, group=group_label(row, settings, lang),
                       n=fmt.integer(row["n"], lang), years=year_span(row["year_min"], row["year_max"])))
    small = diag.bench.loc[diag.bench["status"] == "below_min"]
    for source in ("uk", "us"):
        level_chosen = diag.bench.loc[diag.bench["chosen"] & (diag.bench["source"] == source), "level"]
        narrowest = small.loc[small["source"] == source].sort_values("level")
        if len(narrowest) and (level_chosen.empty or narrowest["level"].min() < level_chosen.min()):
            row = narrowest.iloc[0]
            group = groups.loc[row["group_id"]].to_dict()
            group["source"] = source
            lines.append(t("diagnostic.dg_group_too_small", lang, group=group_label(group, settings, lang),
                           n=fmt.integer(int(narrowest.loc[narrowest["level"] == row["level"], "n"].max()), lang),
                           min=settings.min_peers))
    for source in diag.missing_sources:
        names = [n for n in DATASETS if (n.startswith("coops_uk") if source == "uk" else n.startswith("food_hub"))]
        lines.append(t("diagnostic.dg_source_missing", lang, name=", ".join(names)))
    lines.append(t("diagnostic.dg_method_percentile", lang, min=settings.min_peers))
    lines.append(t("diagnostic.dg_method_rates", lang, gbp=fmt.number(settings.cad_per_gbp, 4, lang),
                   usd=fmt.number(settings.cad_per_usd, 4, lang)))
    lines.append(t("diagnostic.dg_method_thresholds", lang))
    workbook = info["inputs"][0] if info.get("inputs") else {"file": "?", "sha256": ""}
    commit = str(info.get("commit", ""))[:10] + ("+" if info.get("dirty") else "")
    lines.append(t("diagnostic.dg_provenance", lang, file=workbook["file"], sha=str(workbook["sha256"])[:12],
                   commit=commit, data=info.get("data_version", "")))
    lines.append(t("diagnostic.dg_confidential", lang))
    return '<div class="notes">' + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</div>"


def figure_html(diag: dg.Diagnostic, letters: dict[str, str], lang: str) -> str:
    """The percentile figure as an inline PNG with its text alternative, or a sentence when there is none."""
    # report.figures imports matplotlib: imported here so that `python -m analysis --help` stays light
    import matplotlib.pyplot as plt

    from analysis.report.figures.diagnostic import plot_peer_position

    if diag.bench.empty:  # no peer data at all: the notes say which datasets are absent
        return ""
    fig = plot_peer_position(diag.bench, letters, lang)
    if fig is None:
        return f"<p>{html.escape(t('diagnostic.dg_figure_none', lang, min=diag.settings.min_peers))}</p>"
    png = display.figure_png(fig)
    plt.close(fig)
    chosen = diag.bench.loc[diag.bench["chosen"]]
    items = "; ".join(f"{t(f'diagnostic.dg_metric_{r.metric}', lang)} "
                      f"({t(f'diagnostic.dg_source_{r.source}_short', lang)}) {fmt.number(r.percentile, 0, lang)}"
                      for r in chosen.itertuples(index=False))
    alt = t("diagnostic.dg_figure_alt", lang, items=items)
    data = base64.b64encode(png).decode("ascii")
    width = int.from_bytes(png[16:20], "big") / PNG_DPI  # IHDR width: show the figure at its natural size
    return (f'<figure><img src="data:image/png;base64,{data}" style="width: {width:.2f}in" '
            f'alt="{html.escape(alt)}"></figure>')


def page_html(diag: dg.Diagnostic, info: dict, lang: str = "fr") -> str:
    """The whole one-page diagnostic as a self-contained HTML document (styles and figure inline).

    Parameters
    ----------
    diag : :func:`analysis.food.diagnostic.build_diagnostic`'s result.
    info : provenance (:func:`analysis.report.provenance.collect`): the workbook's name and hash, commit, data version.
    lang : ``"fr"`` (default) or ``"en"``; every word comes from ``labels/diagnostic.yaml``.

    Returns
    -------
    str
        The page, printable on one letter-size sheet (``render.print_pdf``).
    """
    check_lang(lang)
    letters = group_letters(diag)
    profile = diag.profile
    date = render.french_date(provenance.run_time().date(), lang)
    title = t("diagnostic.dg_title", lang, name=profile.name)
    subtitle = t("diagnostic.dg_subtitle", lang, first=diag.years[0], last=diag.years[-1],
                 status=t(f"diagnostic.dg_profile_status_{profile.legal_status}", lang),
                 founded=profile.founded_year, date=date)
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="sub">{html.escape(subtitle)}</p>']
    if diag.is_synthetic:
        body.append(f'<p class="synthetic">{html.escape(t("diagnostic.dg_synthetic", lang))}</p>')
    body.append(f"<h2>1. {html.escape(t('diagnostic.dg_section_ratios', lang))}</h2>")
    body.append(ratio_table(diag, letters, lang))
    body.append('<div class="pair"><div class="text">')
    body.append(f"<h2>2. {html.escape(t('diagnostic.dg_section_signals', lang))}</h2>")
    body.append(signals_html(diag, letters, lang))
    body.append("</div>")
    body.append(figure_html(diag, letters, lang))
    body.append("</div>")
    body.append(f"<h2>3. {html.escape(t('diagnostic.dg_section_points', lang))}</h2><ol>")
    body.extend(f"<li>{html.escape(point_text(p, diag, lang))}</li>" for _, p in diag.points.iterrows())
    body.append("</ol>")
    body.append(f"<h2>4. {html.escape(t('diagnostic.dg_section_notes', lang))}</h2>")
    body.append(notes_html(diag, letters, info, lang))
    html_lang = "fr-CA" if lang == "fr" else "en-CA"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")


# --------------------------------------------------------------------------------------------------- running


def load_peers(settings: dg.DiagnosticSettings) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """The UK and US peer tables from ``data/external/`` (``None`` for a source whose dataset is absent)."""
    used: list[str] = []
    uk = hubs = None
    try:
        orgs = coops_uk.load_organisations(external.get("coops_uk_organisations").local_path)
        economy = coops_uk.load_economy(external.get("coops_uk_economy").local_path)
        uk = dg.uk_peer_table(economy, orgs, settings)
        used += ["coops_uk_organisations", "coops_uk_economy"]
    except MissingDatasetError:
        pass
    try:
        survey = foodhubs.load_food_hub_survey(external.get("food_hub_survey").local_path)
        hubs = dg.hub_peer_table(survey, settings)
        used.append("food_hub_survey")
    except MissingDatasetError:
        pass
    return uk, hubs, used


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def check_private(workbook: Path, out: Path) -> None:
    """Refuse a filled workbook or an output folder inside the project but outside ``data/private/``."""
    if _inside(workbook, paths.ROOT) and not _inside(workbook, paths.PRIVATE):
        raise ParameterError(f"{paths.relative(workbook)} holds confidential figures: move it under data/private/ "
                             "(git-ignored) or outside the project", field="workbook")
    if _inside(out, paths.ROOT) and not _inside(out, paths.PRIVATE):
        raise ParameterError(f"{paths.relative(out)}: the diagnostic is confidential; write it under data/private/ "
                             "or outside the project", field="--out")


def default_output(workbook: Path) -> Path:
    """``data/private/diagnostics/<workbook name without extension>/`` (accents folded, other signs → ``-``)."""
    folded = unicodedata.normalize("NFKD", workbook.stem).encode("ascii", "ignore").decode()
    return OUTPUT_DIR / (re.sub(r"[^A-Za-z0-9_-]+", "-", folded).strip("-") or "entreprise")


def write_diagnostic(workbook: Path | str, out: Path | str | None = None, lang: str = "fr", pdf: bool = True,
                     settings: dg.DiagnosticSettings | None = None) -> dict[str, Path]:
    """Read and check ``workbook``, compute the diagnostic and write its files into ``out``.

    Parameters
    ----------
    workbook : the filled .xlsx workbook (a relative path is relative to the project root).
    out : output folder (default ``data/private/diagnostics/<workbook name>/``; relative to the project root).
    lang : ``"fr"`` (default) or ``"en"``.
    pdf : also print the page to PDF with headless Chromium.
    settings : :class:`analysis.food.diagnostic.DiagnosticSettings`.

    Returns
    -------
    dict
        What was written: ``html``, ``pdf`` (when printed), ``ratios``, ``pairs``, ``provenance`` paths.

    Raises
    ------
    analysis.food.workbook.WorkbookError
        The workbook has problems (every one named by sheet and cell).
    ParameterError
        The workbook or the output folder is inside the project but outside ``data/private/``.
    """
    check_lang(lang)
    settings = (settings or dg.DiagnosticSettings()).check()
    workbook = params.resolve(workbook)  # a relative path is relative to the project root, from any folder
    out = params.resolve(out) if out is not None else default_output(workbook)
    check_private(workbook, out)
    filled = layout.read_workbook(workbook)
    uk, hubs, used = load_peers(settings)
    diag = dg.build_diagnostic(filled, uk, hubs, settings)
    parameters = {"lang": lang, **settings.as_dict()}
    info = provenance.collect("diagnostic", parameters, [workbook], used)
    page = page_html(diag, info, lang)
    out.mkdir(parents=True, exist_ok=True)
    written = {"html": out / "diagnostic.html", "ratios": out / "ratios.csv", "pairs": out / "pairs.csv",
               "provenance": out / "provenance.json"}
    written["html"].write_text(page, encoding="utf-8")
    diag.year_ratios.to_csv(written["ratios"], index=False, lineterminator="\n")
    diag.bench.merge(diag.groups, on=["group_id", "source", "level"], how="left").to_csv(
        written["pairs"], index=False, lineterminator="\n")
    info["outputs"] = sorted(p.name for p in written.values())
    written["provenance"].write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str) + "\n",
                                     encoding="utf-8")
    if pdf:
        render.print_pdf(written["html"], out / "diagnostic.pdf")
        written["pdf"] = out / "diagnostic.pdf"
    return written


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of the diagnostic command."""
    parser.add_argument("workbook", nargs="?", metavar="CLASSEUR.xlsx",
                        help="classeur rempli (data/private/<entreprise>.xlsx)")
    parser.add_argument("--out", metavar="DOSSIER", default=None,
                        help="dossier de sortie (défaut : data/private/diagnostics/<entreprise>/)")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="langue du diagnostic (défaut : fr)")
    parser.add_argument("--no-pdf", action="store_true", help="ne pas imprimer le PDF (HTML seulement)")
    parser.add_argument("--min-peers", type=int, default=dg.DiagnosticSettings.min_peers, metavar="N",
                        help="taille minimale d'un groupe de pairs pour donner un centile (défaut : 20)")
    parser.add_argument("--new", metavar="CLASSEUR.xlsx", default=None,
                        help="écrire un classeur vierge à remplir (dans la langue de --lang) et s'arrêter")


def run(args: argparse.Namespace) -> int:
    """Run the command: print the files written, or one line per problem of the workbook (exit status 2)."""
    from analysis.report import workbook as writer  # openpyxl styles: only needed here

    if args.new:
        path = writer.write_workbook(params.resolve(args.new), args.lang)
        print(paths.relative(path))
        return 0
    if not args.workbook:
        raise ParameterError("give the filled workbook (or --new PATH for a blank one)", field="workbook")
    try:
        written = write_diagnostic(args.workbook, args.out, args.lang, pdf=False,
                                   settings=dg.DiagnosticSettings(min_peers=args.min_peers))
    except layout.WorkbookError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    if not args.no_pdf:
        target = written["html"].with_suffix(".pdf")
        try:
            render.print_pdf(written["html"], target)
            written["pdf"] = target
        except VigieError as exc:  # no Chromium: the HTML page stands alone, and the user is told
            print(f"warning: {exc.one_line()}; the HTML page is written", file=sys.stderr)
    for key in ("html", "pdf", "ratios", "pairs", "provenance"):
        if key in written:
            print(paths.relative(written[key]))
    return 0
