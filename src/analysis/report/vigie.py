"""Presentation of the innovation-watch report (``notebooks/vigie_innovation.ipynb``): each ``show_*`` takes the
results of :mod:`analysis.vigie` and displays text, tables and figures in the report's language.

The notebook reads as the report: a Markdown heading, then one domain call and one display call from here. The
report's rules live here, not in the notebook: which note replaces a section when the bank holds too few works
(the first display call under each heading says it), which files are missing, which codes the reader sees in words
(rejection reasons, theme and issue ids, ``other_quebec``). Every word comes from ``labels/vigie.yaml``, every
number from :mod:`analysis.report.fmt`.

Generic helpers kept here rather than in :mod:`analysis.report.display` (another module's owner): :func:`context`
and :class:`Context` (what every display call of this report needs), :func:`named` (codes → names before a table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import vigie
from analysis.core import paths
from analysis.core.errors import VigieError
from analysis.report import display, fmt, provenance
from analysis.report.figures import vigie as figures
from analysis.report.figures.vigie import issue_labels, orientation_labels, theme_labels
from analysis.report.labels import t
from analysis.vigie.inputs import EXTERNAL_PREFIX, entry_name
from analysis.vigie.readers.common import rejection_detail

PRACTICES_FILE = paths.RAW / "vigie" / "practices.csv"


@dataclass(frozen=True)
class Context:
    """What every display call of the report needs: language, source line, thresholds, and the analysed window.

    Attributes
    ----------
    lang : {"fr", "en"}
    source : str
        The source line under the bank's tables and figures ("banque de publications construite à partir de : …").
    n_works : int
        Works in the analysis window.
    min_works : int
        Fewer works: the bibliometric sections are replaced by a note.
    top_n : int
        Rows of the top lists.
    seed : int
        Seed of the communities, layouts and weight draws (named in the text).
    cited : bool
        Whether the works carry citation counts.
    """

    lang: str = "fr"
    source: str = ""
    n_works: int = 0
    min_works: int = 20
    top_n: int = 15
    seed: int = 42
    cited: bool = False

    @property
    def enough(self) -> bool:
        """Whether the window holds enough works for the bibliometric sections."""
        return self.n_works >= self.min_works

    def t(self, key: str, **fields: object) -> str:
        """The ``vigie.<key>`` label in the report's language.

        Parameters
        ----------
        key : str
        **fields
            Values of the label's fields.

        Returns
        -------
        str
        """
        return t(f"vigie.{key}", self.lang, **fields)


def context(params: Mapping[str, Any], window: vigie.Bank) -> Context:
    """The report's :class:`Context` from its parameters and the analysis window (``bank.filter(...)``).

    Parameters
    ----------
    params : dict
        The report's checked parameters (corpus, lang, min_works, top_n, seed).
    window : Bank
        The analysis window.

    Returns
    -------
    Context
    """
    found, _ = vigie.find_inputs(params["corpus"])
    lang = params.get("lang", "fr")
    source = t("vigie.source_bank", lang, files=", ".join(entry_name(e) for e in found)) if found else ""
    return Context(lang=lang, source=source, n_works=len(window.works), min_works=params["min_works"],
                   top_n=params["top_n"], seed=params["seed"], cited=vigie.has_citations(window.works))


def named(df: pd.DataFrame, **columns: Mapping[str, str] | Callable[[Any], str]) -> pd.DataFrame:
    """``df`` with codes replaced by names, column by column (a mapping, or a function of the value); codes
    without a name stay as they are.

    Parameters
    ----------
    df : DataFrame
    **columns : mapping or callable
        Column → names of its codes.

    Returns
    -------
    DataFrame
        A copy.
    """
    out = df.copy()
    for column, names in columns.items():
        if callable(names):
            out[column] = out[column].map(names)
        else:
            out[column] = out[column].map(lambda v, m=names: m.get(v, v))
    return out


def _too_few(R: Context) -> bool:
    """Show the "too few works" note and return True when the window is too small."""
    if R.enough:
        return False
    display.show_note(R.t("too_few_works", n=fmt.integer(R.n_works, R.lang), minimum=R.min_works), kind="missing")
    return True


# ---- opening: the bank -------------------------------------------------------------------------------------------


def show_intro(lang: str = "fr") -> None:
    """The report's opening paragraph.

    Parameters
    ----------
    lang : {"fr", "en"}
    """
    display.show_text(t("vigie.intro", lang))


def analysed_bank(window: vigie.Bank, R: Context) -> vigie.Bank:
    """The bank the report analyses: the window when it holds at least ``R.min_works`` works, else an empty bank
    (each bibliometric section then says why it is left out, and the priorities rest on the practices alone).

    Parameters
    ----------
    window : Bank
    R : Context
        The report's context (:func:`context`).

    Returns
    -------
    Bank
    """
    return window if R.enough else vigie.empty_bank()


def open_bank(corpus: Sequence[str], formats: Mapping[str, str] | None = None, lang: str = "fr",
              cache: bool | str | Path = True) -> vigie.Bank:
    """The publication bank of the report's corpus, with a note for each missing file and for a bank that
    cannot be built.

    Parameters
    ----------
    corpus : list of str
        Paths or ``external:<name>`` datasets.
    formats : dict, optional
        Forced formats by corpus entry.
    lang : {"fr", "en"}
    cache : bool or path
        Passed to :func:`analysis.vigie.build_bank` (the report reads the cached bank of ``make processed``).

    Returns
    -------
    Bank
        The bank of the files found, or an empty bank when none can be read (the sections then say so).
    """
    found, missing = vigie.find_inputs(corpus)
    for entry in missing:
        if str(entry).startswith(EXTERNAL_PREFIX):
            display.show_note(t("common.missing_dataset", lang, name=entry_name(entry)), kind="missing")
        else:
            display.show_note(t("vigie.missing_file", lang, path=entry), kind="missing")
    if not found:
        return vigie.empty_bank()
    try:
        return vigie.build_bank(list(found), dict(formats or {}), cache=cache)
    except VigieError as exc:
        display.show_note(t("vigie.bank_error", lang, error=exc.one_line()), kind="warning")
        return vigie.empty_bank()


def rejection_text(code: str, detail: Mapping[str, object] | str | None, reason: str, lang: str = "fr") -> str:
    """A rejection's reason in ``lang`` from its ``code`` and ``detail`` (a dict, or the bank's JSON text); the
    English ``reason`` when the catalogue does not know the code.

    Parameters
    ----------
    code : str
        The rejection's code (:data:`analysis.vigie.REJECTION_REASONS`).
    detail : dict, str or None
        The fields of its reason.
    reason : str
        The English reason (shown for an unknown code).
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    fields = rejection_detail(detail) if not isinstance(detail, Mapping) else dict(detail)
    try:
        return t(f"vigie.rejection_{code}", lang, **fields)
    except (KeyError, IndexError, ValueError):
        return str(reason)


def rejection_reasons(rejections: pd.DataFrame, lang: str = "fr") -> pd.Series:
    """Each rejection's reason in ``lang`` (``bank.rejections``: code, detail, reason).

    Parameters
    ----------
    rejections : DataFrame
        ``bank.rejections``.
    lang : {"fr", "en"}

    Returns
    -------
    Series
        One text per rejection.
    """
    texts = [rejection_text(r.code, r.detail, r.reason, lang) for r in rejections.itertuples(index=False)]
    return pd.Series(texts, index=rejections.index, dtype=object)


def main_information_table(info: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The main information rows with each ``key`` named in ``lang`` (document types keep their wording).

    Parameters
    ----------
    info : DataFrame
        ``bank.main_information()``.
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``label`` in ``lang``.
    """
    names = [row.label if str(row.key).startswith("doc_type:") else t(f"vigie.mi_{row.key}", lang)
             for row in info.itertuples(index=False)]
    return info.assign(label=names)


def show_bank(bank: vigie.Bank, window: vigie.Bank, info: pd.DataFrame, R: Context) -> None:
    """Section "publication bank": the reading ledger, rejected records, the analysis window, main information.

    Parameters
    ----------
    bank : Bank
        The bank as read (its ledger and rejections).
    window : Bank
        ``bank.filter(...)`` (its ``window`` counts).
    info : DataFrame
        ``window.main_information()``.
    R : Context
    """
    lang = R.lang
    led = bank.ledger
    if led.empty:
        display.show_note(R.t("no_bank"), kind="missing")
        return
    display.show_text(R.t("bank_text", files=fmt.integer(len(led), lang), read=fmt.integer(led["read"].sum(), lang),
                          kept=fmt.integer(led["kept"].sum(), lang), merged=fmt.integer(led["merged"].sum(), lang),
                          rejected=fmt.integer(led["rejected"].sum(), lang)))
    display.show_table(led, columns={
        "file": R.t("col_file"), "format": R.t("col_format"), "encoding": R.t("col_encoding"),
        "read": R.t("col_read"), "kept": R.t("col_kept"), "merged": R.t("col_merged"),
        "rejected": R.t("col_rejected")}, caption=R.t("cap_ledger"), lang=lang, source=R.source)
    if len(bank.rejections):
        rejections = bank.rejections.assign(reason=rejection_reasons(bank.rejections, lang))
        display.show_table(rejections, columns={
            "file": R.t("col_file"), "record": R.t("col_record"), "line": R.t("col_line"),
            "reason": R.t("col_reason")}, caption=R.t("cap_rejections"), lang=lang, max_rows=R.top_n)
    w = window.window or {"kept": len(window.works), "before": len(window.works)}
    if w["kept"] != w["before"]:
        display.show_text(R.t("window_text", kept=fmt.integer(w["kept"], lang), before=fmt.integer(w["before"], lang),
                              out_years=fmt.integer(w["out_of_years"], lang),
                              other_language=fmt.integer(w["other_language"], lang),
                              unknown_language=fmt.integer(w["unknown_language_kept"], lang)))
    display.show_table(main_information_table(info, lang), columns={"label": R.t("col_indicator"),
                                                                    "value": R.t("col_value")},
                       caption=R.t("cap_main"), lang=lang, max_rows=None, source=R.source)
    if not R.cited:
        display.show_note(R.t("no_citations"), kind="info")


# ---- production --------------------------------------------------------------------------------------------------


def show_production(summary: Mapping[str, Any], per_year: pd.DataFrame, cites: pd.DataFrame, R: Context) -> None:
    """Section "scientific production": growth, documents per year, citations per year.

    Parameters
    ----------
    summary : dict
        ``bank.growth()`` (:func:`analysis.vigie.production_summary`).
    per_year : DataFrame
        ``bank.production()``.
    cites : DataFrame
        ``bank.citations()``.
    R : Context
    """
    if _too_few(R):
        return
    lang = R.lang
    years = dict(first=fmt.year(summary["first_year"]), last=fmt.year(summary["last_year"]),
                 peak_year=fmt.year(summary["peak_year"]), peak=fmt.integer(summary["peak_documents"], lang))
    display.show_text(R.t("production_text", growth=fmt.percent(summary["annual_growth_rate_pct"], 1, lang), **years))
    display.show_text(R.t("growth_definition_text", first=years["first"], last=years["last"],
                          n_first=fmt.integer(summary["first_year_documents"], lang),
                          n_last=fmt.integer(summary["last_year_documents"], lang),
                          trend=fmt.percent(summary["growth_trend_pct"], 1, lang)))
    display.show_figure(figures.plot_documents_per_year(per_year, lang), alt=R.t("alt_docs_year", **years),
                        source=R.source, lang=lang)
    if not R.cited:
        display.show_note(R.t("no_citations"), kind="info")
        return
    best = cites.dropna(subset=["mean_citations_per_doc"]).sort_values(
        ["mean_citations_per_doc", "year"], ascending=[False, True]).iloc[0]
    values = dict(best_year=fmt.year(best["year"]), best=fmt.number(best["mean_citations_per_doc"], 1, lang))
    display.show_text(R.t("citations_text", **values))
    display.show_figure(figures.plot_citations_per_year(cites, lang), alt=R.t("alt_citations_year", **values),
                        source=R.source, lang=lang)
    display.show_table(cites.sort_values("year", ascending=False), columns={
        "year": R.t("col_year"), "documents": R.t("col_documents"),
        "mean_citations_per_doc": R.t("col_mean_cites"), "citable_years": R.t("col_citable_years"),
        "mean_citations_per_year": R.t("col_mean_cites_year")},
        formats={"year": "year", "mean_citations_per_doc": "num1", "mean_citations_per_year": "num2"},
        caption=R.t("cap_citations"), lang=lang, max_rows=R.top_n)


# ---- themes ------------------------------------------------------------------------------------------------------


def show_theme_dictionary(coverage: Mapping[str, Any], table: pd.DataFrame, themes: vigie.ThemeDictionary,
                          R: Context) -> None:
    """Section "themes", first part: how many works the dictionary places, and the dictionary itself.

    Parameters
    ----------
    coverage : dict
        :func:`analysis.vigie.themed_coverage`.
    table : DataFrame
        :func:`analysis.vigie.compute_theme_table`.
    themes : ThemeDictionary
    R : Context
    """
    if _too_few(R):
        return
    lang = R.lang
    display.show_text(R.t("themes_intro", themed=fmt.integer(coverage["n_themed"], lang),
                          n=fmt.integer(coverage["n_works"], lang),
                          share=fmt.percent(coverage["share_themed"], 1, lang, ratio=True)))
    orientations = orientation_labels(themes, lang)
    shown = named(table, theme=theme_labels(themes, lang), issue=issue_labels(themes, lang),
                  orientations=lambda codes: ", ".join(orientations.get(o, o) for o in codes))
    display.show_table(shown, columns={
        "theme": R.t("col_theme"), "issue": R.t("col_issue"), "orientations": R.t("col_orientations"),
        "levers": R.t("col_levers"), "n_terms": R.t("col_n_terms")},
        caption=R.t("cap_dictionary"), lang=lang, max_rows=None, source=R.t("source_themes"))


def show_theme_shares(shares: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """Works per theme (:func:`analysis.vigie.compute_theme_shares`), most works first.

    Parameters
    ----------
    shares : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    """
    if not R.enough:
        return
    shown = named(shares, issue=issue_labels(themes, R.lang)).assign(
        label=shares["theme"].map(theme_labels(themes, R.lang)))
    shown = shown.sort_values(["n_works", "theme"], ascending=[False, True])
    display.show_table(shown, columns={
        "label": R.t("col_theme"), "issue": R.t("col_issue"), "n_works": R.t("col_documents"),
        "share": R.t("col_share_docs")},
        formats={"share": "share"}, caption=R.t("cap_shares"), lang=R.lang, max_rows=None, source=R.source)


def show_theme_years(counts: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context, top: int = 6,
                     min_total: int = 10) -> None:
    """Works per theme and year (:func:`analysis.vigie.compute_theme_year_counts`): the yearly shares of the
    ``top`` largest themes over the years with at least ``min_total`` works, and the table (latest year shown,
    every year in the CSV export).

    Parameters
    ----------
    counts : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    top : int
        Themes drawn (parameter ``theme_plot_top``).
    min_total : int
        Fewest works of a year drawn (parameter ``theme_plot_min_total``).
    """
    if not R.enough:
        return
    lang = R.lang
    labels = theme_labels(themes, lang)
    shown_themes = [labels.get(x, x) for x in vigie.compute_top_themes(counts, themes, top, min_total)]
    display.show_figure(figures.plot_theme_shares_by_year(counts, themes, lang, top=top, min_total=min_total),
                        alt=R.t("alt_shares_year", k=len(shown_themes), themes=", ".join(shown_themes),
                                min_total=min_total), source=R.source, lang=lang)
    recent = counts.assign(label=counts["theme"].map(labels)).sort_values(["year", "n_theme", "theme"],
                                                                          ascending=[False, False, True])
    display.show_table(recent, columns={
        "year": R.t("col_year"), "label": R.t("col_theme"), "n_theme": R.t("col_documents"),
        "n_total": R.t("col_year_total"), "share": R.t("col_share_docs")},
        formats={"year": "year", "share": "share"}, caption=R.t("cap_theme_year"), lang=lang,
        max_rows=len(themes.themes), export="themes_par_annee", source=R.source)


def show_emerging(emerging: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """Subsection "emerging themes": the method and models used, emerging and declining themes, the table of rate
    ratios (CSV export) and their forest plot (:func:`analysis.vigie.compute_emerging_themes`).

    Parameters
    ----------
    emerging : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    """
    if _too_few(R):
        return
    lang = R.lang
    labels = theme_labels(themes, lang)
    used = emerging["model"].value_counts().sort_index()
    display.show_text(R.t("emerging_method", models="; ".join(
        R.t("model_count", model=R.t(f"model_{m}"), n=fmt.integer(k, lang)) for m, k in used.items())))
    up = emerging[emerging["emerging"]].sort_values("rate_ratio", ascending=False)
    down = emerging[emerging["declining"]].sort_values("rate_ratio")
    if len(up):
        display.show_text(R.t("emerging_found", n=len(up), names=", ".join(
            R.t("emerging_item", theme=labels[x], rate_ratio=fmt.number(r, 2, lang))
            for x, r in zip(up["theme"], up["rate_ratio"]))))
    else:
        display.show_text(R.t("emerging_none"))
    if len(down):
        display.show_text(R.t("declining_found", n=len(down), names=", ".join(labels[x] for x in down["theme"])))
    shown = emerging.assign(label=emerging["theme"].map(labels),
                            model=emerging["model"].map(lambda m: R.t(f"model_{m}")))
    display.show_table(shown, columns={
        "label": R.t("col_theme"), "n_works": R.t("col_documents"), "model": R.t("col_model"),
        "dispersion": R.t("col_dispersion"), "rate_ratio": R.t("col_rate_ratio"), "ci_low": R.t("col_ci_low"),
        "ci_high": R.t("col_ci_high"), "p_value": R.t("col_p"), "p_adjusted": R.t("col_p_adj"),
        "emerging": R.t("col_emerging")},
        formats={"dispersion": "num2", "rate_ratio": "num3", "ci_low": "num3", "ci_high": "num3", "p_value": "p",
                 "p_adjusted": "p"},
        caption=R.t("cap_emerging"), lang=lang, max_rows=None, export="themes_emergents", source=R.source)
    if emerging["rate_ratio"].notna().any():
        display.show_figure(figures.plot_rate_ratios(emerging, themes, lang), alt=R.t("alt_rate_ratios", n=len(up)),
                            source=R.source, lang=lang)


# ---- sources, authors, countries -------------------------------------------------------------------------------


def show_sources(top_sources: pd.DataFrame, zones: pd.DataFrame, R: Context) -> None:
    """Section "sources, authors and countries", first part: the most productive sources (table and bars) and
    Bradford's zones (:func:`analysis.vigie.compute_top_sources`, :func:`analysis.vigie.compute_bradford_zones`).

    Parameters
    ----------
    top_sources : DataFrame
    zones : DataFrame
    R : Context
        The report's context (:func:`context`).
    """
    if _too_few(R):
        return
    lang = R.lang
    display.show_table(top_sources, columns={
        "source": R.t("col_source"), "n_works": R.t("col_documents"), "share": R.t("col_share_docs"),
        **({"citations": R.t("col_citations")} if R.cited else {})},
        formats={"share": "share"}, caption=R.t("cap_sources"), lang=lang, max_rows=None, source=R.source)
    if len(top_sources):
        display.show_figure(figures.plot_top_sources(top_sources, lang),
                            alt=R.t("alt_sources", k=len(top_sources), first=top_sources["source"].iloc[0],
                                    n=fmt.integer(top_sources["n_works"].iloc[0], lang)), source=R.source, lang=lang)
    zn = dict(zip(zones["zone"], zones["n_sources"]))
    display.show_text(R.t("bradford_text", z1=fmt.integer(zn.get(1, 0), lang), z2=fmt.integer(zn.get(2, 0), lang),
                          z3=fmt.integer(zn.get(3, 0), lang)))
    display.show_table(zones, columns={
        "zone": R.t("col_zone"), "n_sources": R.t("col_n_sources"), "n_works": R.t("col_documents"),
        "share": R.t("col_share_docs")},
        formats={"share": "share"}, caption=R.t("cap_bradford"), lang=lang, max_rows=None)


def show_authors(authors: pd.DataFrame, lotka: pd.DataFrame, fit: Mapping[str, float], R: Context,
                 lotka_rows: int = 10) -> None:
    """The most productive authors and Lotka's law (table of the first ``lotka_rows`` rows, and the log–log plot).

    Parameters
    ----------
    authors : DataFrame
        ``bank.authors(top_n)``.
    lotka, fit
        ``bank.lotka()``.
    R : Context
    lotka_rows : int
    """
    if not R.enough:
        return
    lang = R.lang
    display.show_table(authors, columns={
        "author_full": R.t("col_author"), "n_works": R.t("col_documents"), "fractional": R.t("col_fractional"),
        **({"citations": R.t("col_citations"), "h_index": R.t("col_h")} if R.cited else {}),
        "first_year": R.t("col_first_year"), "last_year": R.t("col_last_year")},
        formats={"fractional": "num2", "first_year": "year", "last_year": "year"},
        caption=R.t("cap_authors"), lang=lang, max_rows=None, source=R.source)
    display.show_text(R.t("lotka_text", n_authors=fmt.integer(fit["n_authors"], lang),
                          single=fmt.percent(fit["share_single"], 1, lang, ratio=True),
                          beta=fmt.number(fit["beta"], 2, lang), r2=fmt.number(fit["r2"], 2, lang)))
    display.show_table(lotka, columns={
        "n_works": R.t("col_docs_per_author"), "n_authors": R.t("col_n_authors"),
        "share": R.t("col_share_authors"), "expected_fit": R.t("col_expected_fit"),
        "expected_lotka2": R.t("col_expected_lotka")},
        formats={"share": "share", "expected_fit": "share", "expected_lotka2": "share"},
        caption=R.t("cap_lotka"), lang=lang, max_rows=lotka_rows)
    display.show_text(R.t("lotka_expected_note", x_max=fmt.integer(fit["x_max"], lang)))
    display.show_figure(figures.plot_lotka(lotka, fit, lang),
                        alt=R.t("alt_lotka", beta=fmt.number(fit["beta"], 2, lang)), source=R.source, lang=lang)


def show_countries(coverage: Mapping[str, Any], international: Mapping[str, Any], countries: pd.DataFrame,
                   R: Context) -> None:
    """Affiliation coverage, international co-authorship and countries (:func:`analysis.vigie.affiliation_coverage`,
    :func:`analysis.vigie.international_collaboration`, :func:`analysis.vigie.compute_countries`).

    Parameters
    ----------
    coverage, international : dict
    countries : DataFrame
    R : Context
        The report's context (:func:`context`).
    """
    if not R.enough:
        return
    lang = R.lang
    display.show_text(R.t("coverage_text", aff=fmt.percent(coverage["share_with_affiliation"], 1, lang, ratio=True),
                          country=fmt.percent(coverage["share_with_country"], 1, lang, ratio=True),
                          works=fmt.percent(coverage["share_works_with_country"], 1, lang, ratio=True)))
    display.show_text(R.t("international_text",
                          multi=fmt.percent(international["share_multi_country"], 1, lang, ratio=True),
                          n=fmt.integer(international["n_with_country"], lang)))
    display.show_table(countries, columns={
        "country": R.t("col_country"), "n_works": R.t("col_documents"), "n_single": R.t("col_single_country"),
        "n_multi": R.t("col_multi_country"), "share_multi": R.t("col_share_multi")},
        formats={"share_multi": "share"}, caption=R.t("cap_countries"), lang=lang, max_rows=None, source=R.source)


# ---- researchers ---------------------------------------------------------------------------------------------


def institution_names(values: pd.Series, lang: str = "fr") -> pd.Series:
    """Institution names as shown: ``other_quebec`` in words, the others as written in the institution file.

    Parameters
    ----------
    values : Series
        Institutions (``vigie.OTHER_QUEBEC`` or names).
    lang : {"fr", "en"}

    Returns
    -------
    Series
    """
    other = t("vigie.other_quebec", lang)
    return values.map(lambda v: other if v == vigie.OTHER_QUEBEC else v)


def show_directory(directory: pd.DataFrame, institutions: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context,
                   max_rows: int = 50) -> None:
    """Section "directory of researchers in Québec": the directory (first ``max_rows`` rows, all in the CSV export)
    and researchers per main institution.

    Parameters
    ----------
    directory : DataFrame
        ``bank.directory(themes, institutions)`` (:func:`analysis.vigie.compute_directory`).
    institutions : DataFrame
        :func:`analysis.vigie.compute_institution_counts` of the directory.
    themes : ThemeDictionary
        For the theme names.
    R : Context
    max_rows : int
    """
    if _too_few(R):
        return
    lang = R.lang
    if directory.empty:
        display.show_note(R.t("directory_none"), kind="info")
        return
    display.show_text(R.t("directory_text", n=fmt.integer(len(directory), lang),
                          n_inst=fmt.integer((institutions["institution"] != vigie.OTHER_QUEBEC).sum(), lang),
                          n_check=fmt.integer(directory["to_check"].sum(), lang)))
    labels = theme_labels(themes, lang)
    shown = directory.assign(
        institution=institution_names(directory["institution"], lang),
        themes=directory["themes"].map(lambda s: "; ".join(labels.get(x, x) for x in s.split("; ")) if s else ""),
        to_check=directory["to_check"].map({True: R.t("col_to_check").lower(), False: ""}))
    display.show_table(shown, columns={
        "author_full": R.t("col_author"), "institution": R.t("col_institution"),
        "n_works": R.t("col_documents"), "n_quebec_works": R.t("col_n_quebec_works"),
        "themes": R.t("col_themes"), "first_year": R.t("col_first_year"),
        "last_year": R.t("col_last_year"), "to_check": R.t("col_to_check")},
        formats={"first_year": "year", "last_year": "year"},
        caption=R.t("cap_directory"), lang=lang, max_rows=max_rows, export="repertoire_chercheurs", source=R.source)
    counts = institutions.assign(institution=institution_names(institutions["institution"], lang))
    counts = counts.sort_values(["n_researchers", "institution"], ascending=[False, True], kind="mergesort")
    display.show_table(counts, columns={
        "institution": R.t("col_institution"), "n_researchers": R.t("col_n_researchers"),
        "n_works": R.t("col_documents")},
        caption=R.t("cap_institutions"), lang=lang, max_rows=None)


# ---- networks ------------------------------------------------------------------------------------------------


def show_networks_method(n_nodes: int, R: Context) -> None:
    """Section "networks": how nodes, link weights and communities are chosen.

    Parameters
    ----------
    n_nodes : int
        Nodes kept per network (parameter ``network_nodes``).
    R : Context
        The report's context (:func:`context`).
    """
    if _too_few(R):
        return
    display.show_text(R.t("networks_method", n=n_nodes, seed=R.seed))


def show_network(network: vigie.Network, R: Context, min_edges: int = 3) -> None:
    """One network (:func:`analysis.vigie.coauthor_network` or :func:`analysis.vigie.keyword_network`): its
    summary, drawing and most frequent nodes; a note instead when it has fewer than ``min_edges`` links or nothing
    to link, and a note when index keywords stand in for author keywords.

    Parameters
    ----------
    network : Network
    R : Context
        The report's context (:func:`context`).
    min_edges : int
    """
    if _too_few(R):
        return
    lang = R.lang
    if network.items is None:
        display.show_note(R.t("no_keywords"), kind="info")
        return
    if network.items == "index_keywords":
        display.show_note(R.t("keywords_source_index"), kind="info")
    g, s, nodes = network.graph, network.summary, network.nodes
    if g.number_of_edges() < min_edges:
        display.show_note(R.t("network_empty", edges=g.number_of_edges()), kind="info")
        return
    display.show_text(R.t("network_text", nodes=fmt.integer(s["nodes"], lang), edges=fmt.integer(s["edges"], lang),
                          components=fmt.integer(s["components"], lang),
                          communities=fmt.integer(s["communities"], lang),
                          modularity=fmt.number(s["modularity"], 2, lang)))
    display.show_figure(figures.plot_network(network, lang),
                        alt=R.t("alt_network", nodes=s["nodes"], edges=s["edges"], communities=s["communities"],
                                top=", ".join(nodes["label"].head(5))), source=R.source, lang=lang)
    display.show_table(nodes.head(R.top_n), columns={
        "label": R.t("col_node"), "occurrences": R.t("col_occurrences"), "degree": R.t("col_degree"),
        "links": R.t("col_links"), "community": R.t("col_community")},
        caption=R.t("cap_nodes"), lang=lang, max_rows=None)


# ---- practices and research problems ----------------------------------------------------------------------------


def _practice_columns(R: Context) -> dict[str, str]:
    return {"n_practices": R.t("col_n_practices"), "share": R.t("col_share_practices")}


def show_practices_by_issue(practices: pd.DataFrame, by_issue: pd.DataFrame, themes: vigie.ThemeDictionary,
                            R: Context) -> None:
    """Section "practices": the inventory's size, and practices per roadmap issue (table and bars).

    Parameters
    ----------
    practices : DataFrame
        The inventory.
    by_issue : DataFrame
        Its counts per ``priority_issue``.
    themes : ThemeDictionary
        For the issues' names.
    R : Context
        The report's context (:func:`context`).
    """
    lang = R.lang
    display.show_text(R.t("practices_text", n=fmt.integer(len(practices), lang),
                          n_actors=fmt.integer(practices["actor"].nunique(), lang)))
    shown = by_issue.assign(label=by_issue["priority_issue"].map(issue_labels(themes, lang)))
    source = R.t("source_practices")
    display.show_table(shown, columns={"label": R.t("col_issue"), **_practice_columns(R)}, formats={"share": "share"},
                       caption=R.t("cap_practices_issue"), lang=lang, max_rows=None, source=source)
    display.show_figure(figures.plot_practices_by_issue(by_issue, themes, lang),
                        alt=R.t("alt_practices_issue", first=shown["label"].iloc[0],
                                n=fmt.integer(shown["n_practices"].iloc[0], lang)), source=source, lang=lang)


def show_practice_inventory(inventory: pd.DataFrame, R: Context) -> None:
    """Practices per innovation type or per region (:func:`analysis.vigie.compute_practice_inventory`): types are
    codes named from the catalogue (code order kept); regions are names, sorted as shown.

    Parameters
    ----------
    inventory : DataFrame
        Counts per ``innovation_type`` or ``region``.
    R : Context
        The report's context (:func:`context`).
    """
    by = inventory.columns[0]
    unspecified = R.t("unspecified")
    if by == "innovation_type":
        shown = named(inventory, innovation_type=lambda v: unspecified if v == vigie.UNSPECIFIED else R.t(f"type_{v}"))
        header, caption = R.t("col_type"), R.t("cap_practices_type")
    else:
        shown = named(inventory, **{by: {vigie.UNSPECIFIED: unspecified}})
        shown = shown.sort_values(["n_practices", by], ascending=[False, True], kind="mergesort")
        header = R.t("col_region") if by == "region" else by
        caption = R.t("cap_practices_region") if by == "region" else by
    display.show_table(shown, columns={by: header, **_practice_columns(R)}, formats={"share": "share"},
                       caption=caption, lang=R.lang, max_rows=None, source=R.t("source_practices"))


def _gap_columns(R: Context) -> dict[str, str]:
    return {"n_practices": R.t("col_n_practices"), "practice_share": R.t("col_share_practices"),
            "n_works": R.t("col_documents"), "literature_share": R.t("col_share_literature"), "gap": R.t("col_gap")}


_GAP_FORMATS = {"practice_share": "share", "literature_share": "share", "gap": "num2"}


def show_issue_gaps(gaps: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """Subsection "research problems": the gap score, and the practice − literature gap per roadmap issue
    (:func:`analysis.vigie.compute_issue_gaps`); a warning when there is no literature to compare with.

    Parameters
    ----------
    gaps : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    """
    display.show_text(R.t("problems_method"))
    if not R.enough:
        display.show_note(R.t("no_literature"), kind="warning")
    display.show_table(named(gaps, issue=issue_labels(themes, R.lang)),
                       columns={"issue": R.t("col_issue"), **_gap_columns(R)}, formats=_GAP_FORMATS,
                       caption=R.t("cap_issue_gaps"), lang=R.lang, max_rows=None)


def show_research_problems(problems: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """The research problems (:func:`analysis.vigie.compute_research_problems`), CSV export included.

    Parameters
    ----------
    problems : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    """
    labels = theme_labels(themes, R.lang)
    if not len(problems):
        display.show_text(R.t("problems_none"))
        return
    display.show_text(R.t("problems_found", n=len(problems), names=", ".join(labels[x] for x in problems["theme"])))
    display.show_table(named(problems, issue=issue_labels(themes, R.lang)).assign(label=problems["theme"].map(labels)),
                       columns={"label": R.t("col_theme"), "issue": R.t("col_issue"), **_gap_columns(R)},
                       formats=_GAP_FORMATS, caption=R.t("cap_problems"), lang=R.lang, max_rows=None,
                       export="problematiques_recherche")


# ---- innovation cells ------------------------------------------------------------------------------------------


def show_cells_method(weights: Mapping[str, float], region_focus: str | None, R: Context) -> None:
    """Section "innovation cells": the four criteria and their weights; a warning when there is no literature.

    Parameters
    ----------
    weights : dict
        Weights of the four criteria (normalised in the text).
    region_focus : str or None
    R : Context
        The report's context (:func:`context`).
    """
    total = sum(weights.values())
    focus = R.t("focus_text", region=region_focus) if region_focus else ""
    display.show_text(R.t("cells_method", focus=focus, **{
        f"w_{k}": fmt.percent(weights.get(k, 0) / total, 0, R.lang, ratio=True) for k in vigie.CRITERIA}))
    if not R.enough:
        display.show_note(R.t("no_momentum"), kind="warning")


def _criteria_columns(R: Context) -> dict[str, str]:
    return {"rank": R.t("col_rank"), "label": R.t("col_theme"), "issue": R.t("col_issue"),
            "alignment": R.t("col_alignment"), "momentum": R.t("col_momentum"), "practice": R.t("col_practice"),
            "capacity": R.t("col_capacity"), "score": R.t("col_score")}


_CRITERIA_FORMATS = {"alignment": "num2", "momentum": "num2", "practice": "num2", "capacity": "num2", "score": "num3"}


def _candidates(df: pd.DataFrame, themes: vigie.ThemeDictionary, lang: str) -> pd.DataFrame:
    return named(df, issue=issue_labels(themes, lang)).assign(label=df["candidate"].map(theme_labels(themes, lang)))


def show_ranking(ranked: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """The ranking of candidate cells with their criteria (:func:`analysis.vigie.rank_candidates`).

    Parameters
    ----------
    ranked : DataFrame
    themes : ThemeDictionary
    R : Context
        The report's context (:func:`context`).
    """
    display.show_table(_candidates(ranked, themes, R.lang),
                       columns={**_criteria_columns(R), "rate_ratio": R.t("col_rate_ratio"),
                                "n_practices": R.t("col_n_practices"),
                                "n_researchers": R.t("col_n_researchers_theme")},
                       formats={**_CRITERIA_FORMATS, "rate_ratio": "num3"}, caption=R.t("cap_ranking"), lang=R.lang,
                       max_rows=None)


def show_shortlist(shortlist: pd.DataFrame, stability: pd.DataFrame, themes: vigie.ThemeDictionary, n_resamples: int,
                   R: Context) -> None:
    """The shortlist, its stability under resampled weights (table with CSV export, and bars), and the closing note
    (:func:`analysis.vigie.compute_shortlist`, :func:`analysis.vigie.shortlist_stability`).

    Parameters
    ----------
    shortlist, stability : DataFrame
    themes : ThemeDictionary
    n_resamples : int
        Weight draws (named in the text).
    R : Context
        The report's context (:func:`context`).
    """
    lang = R.lang
    labels = theme_labels(themes, lang)
    names = [labels[c] for c in shortlist["candidate"]]
    display.show_text(R.t("cells_shortlist", k=len(shortlist), names=", ".join(names),
                          n=fmt.integer(n_resamples, lang), seed=R.seed))
    display.show_table(_candidates(shortlist, themes, lang),
                       columns={**_criteria_columns(R), "p_shortlist": R.t("col_p_shortlist"),
                                "mean_rank": R.t("col_mean_rank")},
                       formats={**_CRITERIA_FORMATS, "p_shortlist": "share", "mean_rank": "num1"},
                       caption=R.t("cap_shortlist"), lang=lang, max_rows=None, export="cellules_liste_courte")
    display.show_figure(figures.plot_stability(stability, list(shortlist["candidate"]), themes, lang),
                        alt=R.t("alt_stability", names=", ".join(names)), lang=lang)
    display.show_note(R.t("cells_note"), kind="info")


# ---- provenance --------------------------------------------------------------------------------------------------


def show_provenance(params: Mapping[str, Any]) -> None:
    """The closing provenance section: parameters, input files (with their hashes), external datasets, versions.

    Parameters
    ----------
    params : dict
        The report's checked parameters.
    """
    found, _ = vigie.find_inputs(params["corpus"])
    inputs = [vigie.resolve_path(e) for e in found] + [vigie.resolve_path(params["themes"]),
                                                       vigie.resolve_path(params["institutions"]), PRACTICES_FILE]
    datasets = [entry_name(e) for e in params["corpus"] if str(e).startswith(EXTERNAL_PREFIX)]
    provenance.show_provenance("vigie_innovation", dict(params), inputs=inputs, lang=params.get("lang", "fr"),
                               datasets=datasets)


__all__ = ["Context", "context", "named", "show_intro", "analysed_bank", "open_bank", "rejection_text",
           "rejection_reasons", "main_information_table", "show_bank", "show_production", "show_theme_dictionary",
           "show_theme_shares", "show_theme_years", "show_emerging", "show_sources", "show_authors",
           "show_countries", "institution_names", "show_directory", "show_networks_method", "show_network",
           "show_practices_by_issue", "show_practice_inventory", "show_issue_gaps", "show_research_problems",
           "show_cells_method", "show_ranking", "show_shortlist", "show_provenance"]
