"""Presentation of the innovation-watch report (``notebooks/vigie_innovation.ipynb``): each ``show_*`` takes the
results of :mod:`analysis.vigie` and displays text, tables and figures in the report's language.

:func:`compute` loads the report's inputs (the corpus files, or an edition of the living watch) and computes, once,
every object the report shows (:class:`VigieResults`); :func:`vigie_brief` builds the « En bref » section from those
objects, and each ``show_*`` displays one section from them, so a number in the brief is the number of its section.
The notebook reads as the report: a Markdown heading, then one display call from here. The report's rules live
here, not in the notebook: which note replaces a section when the bank holds too few works (the first display call
under each heading says it), which files are missing, which codes the reader sees in words (rejection reasons,
theme and issue ids, ``other_quebec``, evidence and shortlist codes, the codes of an edition's changes). Every word
comes from ``labels/vigie.yaml``, every number from :mod:`analysis.report.fmt`.

Generic helpers kept here rather than in :mod:`analysis.report.display` (another module's owner): :func:`context`
and :class:`Context` (what every display call of this report needs), :func:`named` (codes → names before a table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import vigie
from analysis.core import paths
from analysis.core.errors import ParameterError, VigieError
from analysis.core.params import resolve
from analysis.report import display, fmt, provenance
from analysis.report.brief import Brief, Finding, section_link
from analysis.report.codes import code_label
from analysis.report.figures import vigie as figures
from analysis.report.figures.vigie import issue_labels, orientation_labels, theme_labels
from analysis.report.labels import t
from analysis.vigie import watch
from analysis.vigie.inputs import EXTERNAL_PREFIX, entry_name
from analysis.vigie.readers.common import rejection_detail
from analysis.vigie.roadmap import ROADMAP_REFERENCES, load_roadmap_references, roadmap_rejections
from analysis.vigie.watch.changes import UNTHEMED

PRACTICES_FILE = paths.RAW / "vigie" / "practices.csv"
STRATEGY_FILE = paths.RAW / "vigie" / "strategy.yaml"
PRACTICE_VIEWS = ("priority_issue", "innovation_type", "region")


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
    level : float
        False discovery rate of the trend tests (parameter ``trend_level``).
    """

    lang: str = "fr"
    source: str = ""
    n_works: int = 0
    min_works: int = 20
    top_n: int = 15
    seed: int = 42
    cited: bool = False
    level: float = 0.05

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


def context(params: Mapping[str, Any], window: vigie.Bank, source: str | None = None) -> Context:
    """The report's :class:`Context` from its parameters and the analysis window (``bank.filter(...)``).

    Parameters
    ----------
    params : dict
        The report's checked parameters (corpus, lang, min_works, top_n, seed).
    window : Bank
        The analysis window.
    source : str, optional
        The source line; default: the corpus files found (an edition's report gives its own).

    Returns
    -------
    Context
    """
    lang = params.get("lang", "fr")
    if source is None:
        found, _ = vigie.find_inputs(params["corpus"])
        source = t("vigie.source_bank", lang, files=", ".join(entry_name(e) for e in found)) if found else ""
    return Context(lang=lang, source=source, n_works=len(window.works), min_works=params["min_works"],
                   top_n=params["top_n"], seed=params["seed"], cited=vigie.has_citations(window.works),
                   level=params.get("trend_level", 0.05))


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
    bank, notes = _open_inputs(corpus, formats, cache)
    for note in notes:
        display.show_note(note.text(lang), kind=note.kind)
    return bank


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
    names = [code_label(row.label, "doc_type", lang) if str(row.key).startswith("doc_type:")
             else t(f"vigie.mi_{row.key}", lang)
             for row in info.itertuples(index=False)]
    return info.assign(label=names)


def roadmap_authors(authors: str, et_al: bool, lang: str = "fr") -> str:
    """Authors of a roadmap reference as printed: ``Galindo; Mendez-Picazo`` → « Galindo et Mendez-Picazo »,
    ``Godin`` with co-authors not named → « Godin et al. ».

    Parameters
    ----------
    authors : str
        Surnames separated by "; " (:func:`analysis.vigie.roadmap.load_roadmap_references`).
    et_al : bool
        Co-authors not named.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    names = [n for n in str(authors).split("; ") if n]
    text = names[0] if len(names) == 1 else t("vigie.authors_pair", lang, first=", ".join(names[:-1]),
                                                  last=names[-1]) if names else ""
    return t("vigie.authors_et_al", lang, names=text) if et_al else text


def show_roadmap_references(roadmap: pd.DataFrame, R: Context) -> None:
    """The references the roadmap cites, shown as such (authors, year, how the roadmap cites them) with what the
    ledger does with them: rejected records (no title), not publications of the bank.

    Parameters
    ----------
    roadmap : DataFrame
        :func:`analysis.vigie.roadmap.load_roadmap_references`, with the ``record`` of each rejected entry.
    R : Context
    """
    lang = R.lang
    display.show_text(R.t("roadmap_text", n=fmt.integer(len(roadmap), lang), file=ROADMAP_REFERENCES.name,
                          rejected=fmt.integer(roadmap["record"].notna().sum(), lang)))
    shown = roadmap.assign(authors=[roadmap_authors(a, e, lang) for a, e in zip(roadmap["authors"],
                                                                                 roadmap["et_al"])])
    display.show_table(shown, columns={"authors": R.t("col_authors"), "year": R.t("col_year"),
                                       "cited_as": R.t("col_cited_as"), "record": R.t("col_record"),
                                       "line": R.t("col_line")},
                       formats={"year": "year"}, caption=R.t("cap_roadmap"), lang=lang, max_rows=None,
                       source=R.t("source_roadmap"))


def show_bank(bank: vigie.Bank, window: vigie.Bank, info: pd.DataFrame, R: Context,
              roadmap: pd.DataFrame | None = None) -> None:
    """Section "publication bank": the reading ledger, the roadmap's references (when its file is in the corpus),
    the other rejected records, the analysis window, main information.

    Parameters
    ----------
    bank : Bank
        The bank as read (its ledger and rejections).
    window : Bank
        ``bank.filter(...)`` (its ``window`` counts).
    info : DataFrame
        ``window.main_information()``.
    R : Context
    roadmap : DataFrame, optional
        The roadmap's references (:class:`VigieResults` ``roadmap``): shown as cited by the roadmap, and left out of
        the table of rejected records (the ledger still counts them).
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
        "rejected": R.t("col_rejected")}, caption=R.t("cap_ledger"), lang=lang, source=R.source,
        codes={"format": "format"})
    others = bank.rejections
    if roadmap is not None and len(roadmap):
        show_roadmap_references(roadmap, R)
        others = others[~roadmap_rejections(others)]
    if len(others):
        rejections = others.assign(reason=rejection_reasons(others, lang))
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
    display.show_text(R.t("emerging_method", level=threshold_text(R.level, lang), models="; ".join(
        R.t("model_count", model=R.t(f"model_{m}"), n=fmt.integer(k, lang)) for m, k in used.items())))
    up = emerging[emerging["emerging"]].sort_values("rate_ratio", ascending=False)
    down = emerging[emerging["declining"]].sort_values("rate_ratio")
    if len(up):
        display.show_text(R.t("emerging_found", n=len(up), names=", ".join(
            R.t("emerging_item", theme=labels[x], rate_ratio=fmt.number(r, 2, lang))
            for x, r in zip(up["theme"], up["rate_ratio"]))))
    else:
        display.show_text(R.t("emerging_none", level=threshold_text(R.level, lang)))
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
        formats={"share_multi": "share"}, caption=R.t("cap_countries"), lang=lang, max_rows=None, source=R.source,
        codes={"country": "country"})


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


# ---- computed objects ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputNote:
    """A note about the inputs shown before the sections: a catalogue entry, its fields and the note's kind."""

    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    kind: str = "missing"

    def text(self, lang: str) -> str:
        """The note in ``lang``."""
        return t(self.label, lang, **self.fields)


@dataclass
class VigieResults:
    """Every object the innovation-watch report shows, computed once by :func:`compute`.

    The sections (``show_*``) and the brief (:func:`vigie_brief`) read these objects; none recomputes them (the
    networks, which the brief does not use, are computed in their own cells from ``sel``). ``edition``,
    ``previous`` and ``changes`` are None unless the report runs on an edition of the watch (and that edition has
    a previous one).
    """

    params: dict[str, Any]
    R: Context
    notes: tuple[InputNote, ...]
    bank: vigie.Bank
    window: vigie.Bank
    sel: vigie.Bank
    info: pd.DataFrame
    roadmap: pd.DataFrame | None
    dictionary: vigie.ThemeDictionary
    institutions: vigie.Institutions
    practices: pd.DataFrame
    work_themes: pd.DataFrame
    coverage: dict[str, Any]
    theme_table: pd.DataFrame
    theme_shares: pd.DataFrame
    theme_years: pd.DataFrame
    emerging: pd.DataFrame
    relevance: dict[str, Any]
    scope_terms: pd.DataFrame
    growth: dict[str, Any]
    production: pd.DataFrame
    citations: pd.DataFrame
    sources: pd.DataFrame
    zones: pd.DataFrame
    authors: pd.DataFrame
    lotka: pd.DataFrame
    lotka_fit: dict[str, Any]
    affiliations: dict[str, Any]
    international: dict[str, Any]
    countries: pd.DataFrame
    directory: pd.DataFrame
    institution_counts: pd.DataFrame
    practice_views: dict[str, pd.DataFrame]
    practice_sources: pd.DataFrame
    practice_themes: pd.DataFrame
    issue_gaps: pd.DataFrame
    theme_gaps: pd.DataFrame
    problems: pd.DataFrame
    capacity: pd.Series
    criteria: pd.DataFrame
    ranked: pd.DataFrame
    stability: pd.DataFrame
    cells: pd.DataFrame
    sensitivity: pd.DataFrame
    edition: watch.Edition | None = None
    previous: watch.Edition | None = None
    changes: dict[str, pd.DataFrame] | None = None

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.R.lang

    @property
    def shortlist(self) -> pd.DataFrame:
        """The cells in the list (the rule's ``shortlisted``, ``completed`` and ``provisional``), in list order."""
        return self.cells[self.cells["shortlisted"]].sort_values("position").reset_index(drop=True)


def _open_inputs(corpus: Sequence[str], formats: Mapping[str, str] | None,
                 cache: bool | str | Path) -> tuple[vigie.Bank, list[InputNote]]:
    """The bank of the corpus files found, and a note per missing file or for a bank that cannot be built."""
    found, missing = vigie.find_inputs(corpus)
    notes = [InputNote("common.missing_dataset", {"name": entry_name(e)}) if str(e).startswith(EXTERNAL_PREFIX)
             else InputNote("vigie.missing_file", {"path": e}) for e in missing]
    if not found:
        return vigie.empty_bank(), notes
    try:
        return vigie.build_bank(list(found), dict(formats or {}), cache=cache), notes
    except VigieError as exc:
        return vigie.empty_bank(), notes + [InputNote("vigie.bank_error", {"error": exc.one_line()}, "warning")]


def open_edition(value: str) -> watch.Edition:
    """The edition named by the ``edition`` parameter: an edition folder (relative to the project root), or an
    edition id in the editions folder (:func:`analysis.vigie.watch.editions_dir`).

    Parameters
    ----------
    value : str
        The parameter's value.

    Returns
    -------
    Edition

    Raises
    ------
    ParameterError
        No such edition, or an edition whose files were altered (the message names the parameter).
    """
    folder = resolve(value)
    try:
        return watch.load_edition(folder if (folder / "manifest.json").is_file() else value)
    except VigieError as exc:
        raise ParameterError(exc.one_line(), field="edition") from None


def _roadmap_references(bank: vigie.Bank, corpus: Sequence[str]) -> pd.DataFrame | None:
    """The roadmap's references when its file is in the corpus, each matched to its rejected record (by line)."""
    found, _ = vigie.find_inputs(corpus)
    if not any(vigie.resolve_path(e) == ROADMAP_REFERENCES for e in found):
        return None
    refs = load_roadmap_references()
    rejected = bank.rejections[roadmap_rejections(bank.rejections)]
    return refs.merge(rejected[["record", "line"]], on="line", how="left")


def compute(params: Mapping[str, Any], cache: bool | str | Path = True) -> VigieResults:
    """Load the report's inputs and compute every object it shows.

    Parameters
    ----------
    params : mapping
        The report's checked parameters ``P`` (:func:`analysis.report.notebook.start`; every key of
        ``params/vigie_innovation/_schema.yaml``).
    cache : bool or path
        Passed to :func:`analysis.vigie.build_bank` (the report reads the cached bank of ``make processed``).

    Returns
    -------
    VigieResults

    Raises
    ------
    ParameterError
        A bad parameter (an edition that does not exist), naming it.
    VigieError
        An input that exists but cannot be read (theme dictionary, institutions, practices), naming the file.
    """
    p = dict(params)
    lang = p.get("lang", "fr")
    edition = previous = changes = None
    if p.get("edition"):
        edition = open_edition(p["edition"])
        bank, notes = edition.bank, []
        previous = watch.previous_edition(edition)
        if previous is None:
            notes.append(InputNote("vigie.edition_first", {"edition": edition.id}, "info"))
        source = t("vigie.source_edition", lang, edition=edition.id)
        roadmap = None
    else:
        bank, notes = _open_inputs(p["corpus"], p["formats"], cache)
        source = None
        roadmap = _roadmap_references(bank, p["corpus"])
    window = bank.filter(p["year_min"], p["year_max"], p["languages"])
    R = context(p, window, source)
    sel = analysed_bank(window, R)
    dictionary = vigie.load_themes(p["themes"])
    institutions = vigie.load_institutions(p["institutions"])
    practices = vigie.load_practices()
    work_themes = sel.work_themes(dictionary)
    theme_years = vigie.compute_theme_year_counts(sel.works, work_themes, dictionary)
    emerging = vigie.compute_emerging_themes(theme_years, p["trend_level"])
    vocabulary = vigie.scope_vocabulary()
    relevance = vigie.compute_relevance(sel.works, work_themes, vocabulary, p["relevance_min"],
                                        p["relevance_on_topic"])
    lotka, lotka_fit = sel.lotka()
    directory = vigie.compute_directory(sel.authorships, sel.works, work_themes, institutions)
    practice_themes = vigie.compute_practice_themes(practices, dictionary)
    theme_gaps = vigie.compute_theme_gaps(practice_themes, len(practices), work_themes, dictionary)
    capacity = vigie.compute_theme_capacity(sel.authorships, vigie.compute_quebec_authorships(sel.authorships,
                                                                                              institutions),
                                            work_themes)
    minima = {"min_theme_works": p["min_theme_works"], "min_practices": p["min_practices"],
              "min_researchers": p["min_researchers"], "level": p["trend_level"]}
    criteria = vigie.compute_candidate_criteria(dictionary, emerging, practices, practice_themes, capacity,
                                                p["region_focus"], **minima)
    ranked = vigie.rank_candidates(criteria, p["weights"])
    stability = vigie.shortlist_stability(criteria, p["weights"], p["shortlist_size"], p["n_resamples"], p["seed"])
    rule = {"min_criteria": p["min_criteria"], "min_stability": p["min_stability"],
            "on_topic": relevance["on_topic"]}
    cells = vigie.select_shortlist(ranked, stability, **rule)
    sensitivity = vigie.compute_source_sensitivity(
        dictionary, emerging, practices, practice_themes, capacity, p["weights"], region_focus=p["region_focus"],
        size=p["shortlist_size"], n_resamples=p["n_resamples"], seed=p["seed"], **minima, **rule)
    if previous is not None:
        changes = watch.changes(previous, edition, themes=dictionary, institutions=institutions,
                                year_min=p["year_min"], year_max=p["year_max"], level=p["trend_level"],
                                top_n=p["top_n"])
    return VigieResults(
        params=p, R=R, notes=tuple(notes), bank=bank, window=window, sel=sel, info=window.main_information(),
        roadmap=roadmap, dictionary=dictionary, institutions=institutions, practices=practices,
        work_themes=work_themes, coverage=vigie.themed_coverage(sel.works, work_themes),
        theme_table=vigie.compute_theme_table(dictionary),
        theme_shares=vigie.compute_theme_shares(sel.works, work_themes, dictionary), theme_years=theme_years,
        emerging=emerging, relevance=relevance, scope_terms=vigie.compute_scope_terms(sel.works, vocabulary),
        growth=sel.growth(), production=sel.production(), citations=sel.citations(),
        sources=sel.sources(p["top_n"]), zones=vigie.compute_bradford_zones(sel.bradford()),
        authors=sel.authors(p["top_n"]), lotka=lotka, lotka_fit=lotka_fit,
        affiliations=vigie.affiliation_coverage(sel.authorships),
        international=vigie.international_collaboration(sel.authorships), countries=sel.countries(p["top_n"]),
        directory=directory, institution_counts=vigie.compute_institution_counts(directory),
        practice_views={by: vigie.compute_practice_inventory(practices, by) for by in PRACTICE_VIEWS},
        practice_sources=vigie.compute_practice_sources(practices, p["region_focus"]),
        practice_themes=practice_themes,
        issue_gaps=vigie.compute_issue_gaps(practices, work_themes, dictionary), theme_gaps=theme_gaps,
        problems=vigie.compute_research_problems(theme_gaps), capacity=capacity, criteria=criteria, ranked=ranked,
        stability=stability, cells=cells, sensitivity=sensitivity, edition=edition, previous=previous,
        changes=changes)


def show_input_notes(V: VigieResults) -> None:
    """The notes about the inputs (a missing file or dataset, a bank that cannot be built, a first edition).

    Parameters
    ----------
    V : VigieResults
        What :func:`compute` returned.
    """
    for note in V.notes:
        display.show_note(note.text(V.lang), kind=note.kind)


# ---- shares and thresholds as shown ----------------------------------------------------------------------------


def share_text(value: float, lang: str = "fr") -> str:
    """A share as the report shows it: one decimal (``3,4 %``), two below one in a thousand (``0,03 %``) so that a
    tiny share never reads as zero.

    Parameters
    ----------
    value : float
        A share of one.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    decimals = 2 if 0 < value < 0.001 else 1
    return fmt.percent(value, decimals, lang, ratio=True)


def threshold_text(value: float, lang: str = "fr") -> str:
    """A threshold share: whole percent when it is one (``2 %``, ``50 %``), else one decimal.

    Parameters
    ----------
    value : float
        A share of one.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    whole = abs(value * 100 - round(value * 100)) < 1e-9
    return fmt.percent(value, 0 if whole else 1, lang, ratio=True)


def _relevance_fields(V: VigieResults) -> dict[str, str]:
    r, lang = V.relevance, V.lang
    return {"n": fmt.integer(r["n_works"], lang), "n_in_scope": fmt.integer(r["n_in_scope"], lang),
            "n_scope": fmt.integer(r["n_scope"], lang), "n_themed": fmt.integer(r["n_themed"], lang),
            "share_in_scope": share_text(r["share_in_scope"], lang), "share_scope": share_text(r["share_scope"], lang),
            "share_themed": share_text(r["share_themed"], lang), "threshold": threshold_text(r["threshold"], lang),
            "on_topic": threshold_text(r["on_topic_share"], lang)}


# ---- relevance -----------------------------------------------------------------------------------------------------


def show_relevance(V: VigieResults) -> None:
    """Section "relevance of the corpus": how far the corpus is on the watch's topic, the verdict against the
    thresholds, and the scope terms found (:func:`analysis.vigie.compute_relevance`).

    Parameters
    ----------
    V : VigieResults
    """
    lang, r = V.lang, V.relevance
    display.show_text(V.R.t("relevance_method"))
    if r["verdict"] == "no_works":
        display.show_note(V.R.t("verdict_no_works"), kind="warning")
        return
    fields = _relevance_fields(V)
    display.show_text(V.R.t("relevance_text", **fields))
    display.show_text(V.R.t("relevance_rule", **fields))
    kind = {"off_topic": "warning", "adjacent": "warning", "on_topic": "info"}[r["verdict"]]
    display.show_note(V.R.t(f"verdict_{r['verdict']}", **fields), kind=kind)
    rows = pd.DataFrame({
        "measure": [V.R.t(f"rel_{k}") for k in ("works", "scope", "themed", "in_scope")],
        "n_works": [r["n_works"], r["n_scope"], r["n_themed"], r["n_in_scope"]],
        "share": [share_text(x, lang) for x in (1.0, r["share_scope"], r["share_themed"], r["share_in_scope"])]})
    display.show_table(rows, columns={"measure": V.R.t("col_measure"), "n_works": V.R.t("col_documents"),
                                      "share": V.R.t("col_share_docs")},
                       caption=V.R.t("cap_relevance"), lang=lang, max_rows=None, source=V.R.source)
    if len(V.scope_terms):
        terms = V.scope_terms.assign(lang=V.scope_terms["lang"].map(lambda x: V.R.t(f"lang_{x}")))
        display.show_table(terms, columns={"term": V.R.t("col_term"), "lang": V.R.t("col_lang"),
                                           "n_works": V.R.t("col_documents")},
                           caption=V.R.t("cap_scope_terms"), lang=lang, max_rows=None,
                           source=V.R.t("source_strategy"))


# ---- what is new since the previous edition ------------------------------------------------------------------


def _changes_fields(V: VigieResults) -> dict[str, str]:
    summary = V.changes["summary"].set_index("metric")["current"]
    lang = V.lang
    return {"current": V.edition.id, "previous": V.previous.id,
            "new": fmt.integer(summary["new_works"], lang),
            "researchers": fmt.integer(summary["new_quebec_researchers"], lang),
            "trends": fmt.integer(summary["themes_trend_changed"], lang),
            "withdrawn": fmt.integer(summary["withdrawn_or_merged"], lang),
            "unmatched": fmt.integer(summary["no_longer_matched"], lang)}


def _theme_name(V: VigieResults, code: str) -> str:
    return V.R.t("unthemed") if code == UNTHEMED else theme_labels(
        V.dictionary, V.lang).get(code, code)


def show_changes(V: VigieResults) -> None:
    """Section « Nouveautés depuis l'édition précédente » (shown only when the report runs on an edition that has a
    previous one): the two editions in figures, new works by theme and the newest of them, new Québec researchers,
    themes whose trend changed, works withdrawn or merged upstream, and the citation counts that moved most
    (:func:`analysis.vigie.watch.changes`; every code named from the catalogue).

    Parameters
    ----------
    V : VigieResults
    """
    if V.changes is None:
        return
    R, lang, ch = V.R, V.lang, V.changes
    display.show_heading(R.t("sec_changes"), 2)
    display.show_text(R.t("changes_text", **_changes_fields(V)))
    display.show_text(R.t("changes_method"))
    summary = ch["summary"].assign(label=ch["summary"]["metric"].map(lambda m: R.t(f"change_{m}")))
    display.show_table(summary, columns={"label": R.t("col_measure"),
                                         "previous": R.t("col_edition", edition=V.previous.id),
                                         "current": R.t("col_edition", edition=V.edition.id)},
                       caption=R.t("cap_changes_summary"), lang=lang, max_rows=None, source=R.source)
    by_theme = ch["new_by_theme"].assign(label=ch["new_by_theme"]["theme"].map(lambda c: _theme_name(V, c)))
    display.show_table(by_theme, columns={"label": R.t("col_theme"), "n_new": R.t("col_n_new"),
                                          "n_previous": R.t("col_edition", edition=V.previous.id),
                                          "n_current": R.t("col_edition", edition=V.edition.id)},
                       caption=R.t("cap_new_by_theme"), lang=lang, max_rows=None)
    labels = theme_labels(V.dictionary, lang)
    new = ch["new_works"].assign(themes=ch["new_works"]["themes"].map(
        lambda s: "; ".join(labels.get(x, x) for x in str(s).split("; ")) if s else R.t("unthemed")))
    if len(new):
        display.show_table(new, columns={"title": R.t("col_title"), "year": R.t("col_year"),
                                         "source_title": R.t("col_source"), "themes": R.t("col_themes"),
                                         "doi": R.t("col_doi"), "openalex_id": R.t("col_openalex_id")},
                           formats={"year": "year"}, caption=R.t("cap_new_works"), lang=lang, max_rows=R.top_n,
                           export="nouveaux_documents")
    researchers = ch["new_researchers"]
    if len(researchers):
        shown = researchers.assign(institution=institution_names(researchers["institution"], lang),
                                   themes=researchers["themes"].map(
                                       lambda s: "; ".join(labels.get(x, x) for x in s.split("; ")) if s else ""))
        display.show_table(shown, columns={"author_full": R.t("col_author"), "institution": R.t("col_institution"),
                                           "n_works": R.t("col_documents"), "themes": R.t("col_themes")},
                           caption=R.t("cap_new_researchers"), lang=lang, max_rows=R.top_n)
    trends = ch["theme_trends"][ch["theme_trends"]["changed"]]
    if len(trends):
        shown = trends.assign(label=trends["theme"].map(labels),
                              change=trends["change"].map(lambda c: R.t(f"trend_{c}")))
        display.show_table(shown, columns={"label": R.t("col_theme"),
                                           "previous_rate_ratio": R.t("col_edition_rr", edition=V.previous.id),
                                           "current_rate_ratio": R.t("col_edition_rr", edition=V.edition.id),
                                           "change": R.t("col_change")},
                           formats={"previous_rate_ratio": "num3", "current_rate_ratio": "num3"},
                           caption=R.t("cap_trends"), lang=lang, max_rows=None)
    withdrawn = ch["withdrawn"]
    if len(withdrawn):
        shown = withdrawn.assign(status=withdrawn["status"].map(lambda c: R.t(f"withdrawn_{c}")))
        display.show_table(shown, columns={"openalex_id": R.t("col_openalex_id"), "status": R.t("col_upstream"),
                                           "merged_into": R.t("col_merged_into"), "title": R.t("col_title"),
                                           "year": R.t("col_year")},
                           formats={"year": "year"}, caption=R.t("cap_withdrawn"), lang=lang, max_rows=R.top_n)
    cites = ch["citations"]
    if len(cites):
        display.show_table(cites, columns={"title": R.t("col_title"), "year": R.t("col_year"),
                                           "previous_cited_by": R.t("col_edition_cites", edition=V.previous.id),
                                           "current_cited_by": R.t("col_edition_cites", edition=V.edition.id),
                                           "delta": R.t("col_delta")},
                           formats={"year": "year"}, caption=R.t("cap_citation_moves"), lang=lang,
                           max_rows=R.top_n)


# ---- innovation cells ------------------------------------------------------------------------------------------


def source_doc_name(source_doc: str, lang: str = "fr") -> str:
    """A seed document's name (``000_….txt`` → « feuille de route du CQCM (2022) »); the file name when the
    catalogue does not name it.

    Parameters
    ----------
    source_doc : str
        A ``source_doc`` of the practice inventory.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    try:
        return t(f"vigie.seed_{str(source_doc)[:3]}", lang)
    except KeyError:
        return str(source_doc)


def _sources_text(V: VigieResults) -> str:
    counts = V.practice_sources.groupby("source_doc", sort=False)["practice_id"].count()
    counts = counts.sort_values(ascending=False, kind="mergesort")
    return "; ".join(V.R.t("source_count", source=source_doc_name(s, V.lang), n=fmt.integer(n, V.lang))
                     for s, n in counts.items())


def _cells_fields(V: VigieResults) -> dict[str, str]:
    p, lang, c = V.params, V.lang, V.cells
    n_check = int(V.directory["to_check"].sum()) if "to_check" in V.directory.columns else 0
    eligible = c[c["eligible"]]
    stable = eligible[eligible["p_shortlist"] >= p["min_stability"] - 1e-12]
    return {"n_candidates": fmt.integer(len(c), lang), "n_eligible": fmt.integer(len(eligible), lang),
            "n_stable": fmt.integer(len(stable), lang), "min_criteria": fmt.integer(p["min_criteria"], lang),
            "min_stability": threshold_text(p["min_stability"], lang), "size": fmt.integer(p["shortlist_size"], lang),
            "n_draws": fmt.integer(p["n_resamples"], lang), "seed": str(p["seed"]),
            "min_works": fmt.integer(p["min_theme_works"], lang), "min_works_bank": fmt.integer(p["min_works"], lang),
            "min_practices": fmt.integer(p["min_practices"], lang),
            "min_researchers": fmt.integer(p["min_researchers"], lang),
            "level": threshold_text(p["trend_level"], lang), "n_check": fmt.integer(n_check, lang),
            "n_practices": fmt.integer(len(V.practices), lang),
            "n_sources": fmt.integer(V.practice_sources["source_doc"].nunique(), lang),
            "sources": _sources_text(V), **_relevance_fields(V)}


def show_cells_method(V: VigieResults) -> None:
    """Section "innovation cells", first part: the criteria and their weights, how practices are weighed by source,
    the minimum evidence, the shortlist rule, and the corpus's relevance (a warning and nothing more when the corpus
    is off topic or there is no bank).

    Parameters
    ----------
    V : VigieResults
    """
    R, p = V.R, V.params
    weights = p["weights"]
    total = sum(weights.values())
    focus = R.t("focus_text", region=p["region_focus"]) if p["region_focus"] else ""
    fields = _cells_fields(V)
    display.show_text(R.t("cells_method", focus=focus, **{
        f"w_{k}": fmt.percent(weights.get(k, 0) / total, 0, R.lang, ratio=True) for k in vigie.CRITERIA}))
    display.show_text(R.t("cells_sources", **fields))
    display.show_text(R.t("cells_evidence", **fields))
    display.show_text(R.t("cells_rule", **fields))
    verdict = V.relevance["verdict"]
    if verdict == "no_works":
        display.show_note(R.t("cells_no_works", **fields), kind="warning")
    elif verdict == "off_topic":
        display.show_note(R.t("cells_off_topic", **fields), kind="warning")
    elif verdict == "adjacent":
        display.show_note(R.t("cells_adjacent", **fields), kind="info")


def evidence_text(row: Mapping[str, Any] | pd.Series, criterion: str, lang: str = "fr") -> str:
    """A criterion's cell in the ranking: its value with the evidence behind it, or « preuves insuffisantes » with
    the reason (the evidence codes of :func:`analysis.vigie.compute_candidate_criteria`).

    Parameters
    ----------
    row : mapping
        One candidate of the criteria table.
    criterion : {"momentum", "practice", "capacity"}
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    code = row[f"{criterion}_evidence"]
    fields = {"n_works": fmt.integer(row["n_works"], lang), "n_practices": fmt.integer(row["n_practices"], lang),
              "n_sources": fmt.integer(row["n_practice_sources"], lang),
              "n_researchers": fmt.integer(row["n_researchers"], lang),
              "rate_ratio": fmt.number(row["rate_ratio"], 3, lang), "p": fmt.pvalue(row["p_adjusted"], lang)}
    if code == vigie.priorities.EVIDENCE_OK:
        return t(f"vigie.evidence_ok_{criterion}", lang, value=fmt.number(row[criterion], 2, lang), **fields)
    return t("vigie.evidence_insufficient", lang, why=t(f"vigie.evidence_{code}", lang, **fields))


def _status_text(code: str, lang: str) -> str:
    return t(f"vigie.status_{code}", lang)


def show_ranking(V: VigieResults) -> None:
    """The full ranking of the candidate cells: each criterion with its evidence (or « preuves insuffisantes »),
    then the shortlist rule's view of every candidate (criteria with evidence, stability under the weight draws,
    mean rank, decision), CSV export included. Nothing when the corpus is off topic or there is no bank.

    Parameters
    ----------
    V : VigieResults
    """
    if not V.relevance["on_topic"]:
        return
    R, lang = V.R, V.lang
    c = V.cells.assign(label=V.cells["candidate"].map(theme_labels(V.dictionary, lang)))
    shown = c.assign(**{k: [evidence_text(r, k, lang) for _, r in c.iterrows()] for k in vigie.EVIDENCE_CRITERIA})
    display.show_table(shown, columns={"rank": R.t("col_rank"), "label": R.t("col_theme"),
                                       "alignment": R.t("col_alignment"), "momentum": R.t("col_momentum"),
                                       "practice": R.t("col_practice"), "capacity": R.t("col_capacity"),
                                       "score": R.t("col_score")},
                       formats={"alignment": "num2", "score": "num3"}, caption=R.t("cap_ranking"), lang=lang,
                       max_rows=None, source=R.source)
    rule = c.assign(status=c["status"].map(lambda s: _status_text(s, lang)))
    display.show_table(rule, columns={"rank": R.t("col_rank"), "label": R.t("col_theme"),
                                      "n_evidence": R.t("col_n_evidence"), "p_shortlist": R.t("col_p_shortlist"),
                                      "mean_rank": R.t("col_mean_rank"), "status": R.t("col_status")},
                       formats={"p_shortlist": "share", "mean_rank": "num1"},
                       caption=R.t("cap_rule", size=fmt.integer(V.params["shortlist_size"], lang)), lang=lang,
                       max_rows=None, export="cellules_classement")


def _named_list(V: VigieResults, rows: pd.DataFrame) -> str:
    labels = theme_labels(V.dictionary, V.lang)
    return "; ".join(V.R.t("cell_item", theme=labels[r.candidate],
                           p=fmt.percent(r.p_shortlist, 1, V.lang, ratio=True)) for r in rows.itertuples())


def _sensitivity_sentences(V: VigieResults) -> list[str]:
    labels = theme_labels(V.dictionary, V.lang)
    out = []
    for source, g in V.sensitivity.groupby("left_out", sort=False):
        chosen = g[g["shortlisted"]].sort_values(["p_shortlist", "rank"], ascending=[False, True])
        names = "; ".join(V.R.t("cell_item", theme=labels[r.candidate],
                                p=fmt.percent(r.p_shortlist, 1, V.lang, ratio=True)) for r in chosen.itertuples())
        out.append(V.R.t("sensitivity_item", source=source_doc_name(source, V.lang),
                         names=names or V.R.t("sensitivity_none")))
    return out


def show_shortlist(V: VigieResults) -> None:
    """The shortlist the rule gives: the cells with their stability (table with CSV export), the figure of every
    candidate's stability against the threshold, the same rule with each practice source left out, and the
    closing note. Nothing when the corpus is off topic or there is no bank.

    Parameters
    ----------
    V : VigieResults
    """
    if not V.relevance["on_topic"]:
        return
    R, lang = V.R, V.lang
    short = V.shortlist
    labels = theme_labels(V.dictionary, lang)
    fields = _cells_fields(V)
    completed = short[short["status"] == "completed"]
    if len(short):
        display.show_text(R.t("cells_result", k=fmt.integer(len(short), lang), names=_named_list(V, short)))
    else:
        display.show_text(R.t("cells_result_none", **fields))
    if len(completed):
        display.show_text(R.t("cells_result_completed", names=_named_list(V, completed), n_names=len(completed),
                              **fields))
    provisional = short[short["status"] == "provisional"]
    if len(provisional):
        display.show_text(R.t("cells_result_provisional", names=_named_list(V, provisional), n_names=len(provisional)))
    if 0 < len(short) < vigie.priorities.ROADMAP_MIN_CELLS:
        display.show_text(R.t("cells_result_short", k=fmt.integer(len(short), lang), **fields))
    if len(short):
        shown = short.assign(label=short["candidate"].map(labels),
                             status=short["status"].map(lambda s: _status_text(s, lang)),
                             rests_on=[brief_evidence(r, lang) for _, r in short.iterrows()])
        display.show_table(shown, columns={"position": R.t("col_position"), "label": R.t("col_theme"),
                                           "p_shortlist": R.t("col_p_shortlist"), "mean_rank": R.t("col_mean_rank"),
                                           "rests_on": R.t("col_rests_on"), "status": R.t("col_status")},
                           formats={"p_shortlist": "share", "mean_rank": "num1"},
                           caption=R.t("cap_shortlist", size=fields["size"]), lang=lang, max_rows=None,
                           export="cellules_liste_courte")
    names = ", ".join(labels[x] for x in short["candidate"]) or "—"
    display.show_figure(figures.plot_shortlist_rule(V.cells, V.dictionary, V.params["min_stability"],
                                                    V.params["shortlist_size"], lang),
                        alt=R.t("alt_rule", names=names, **fields), lang=lang)
    if len(V.sensitivity):
        display.show_text(R.t("sensitivity_text", items=" ".join(_sensitivity_sentences(V))))
    display.show_note(R.t("cells_note"), kind="info")


# ---- En bref -----------------------------------------------------------------------------------------------------


def _relevance_finding(V: VigieResults) -> Finding:
    anchor, title = section_link("vigie.sec_relevance", V.lang)
    R, r = V.R, V.relevance
    if r["verdict"] == "no_works":
        return Finding(R.t("brief_relevance_q"), R.t("brief_relevance_a_none"), R.t("brief_none_certainty"),
                       R.t("brief_relevance_caveat"), anchor, title, confidence="none")
    fields = _relevance_fields(V)
    answer = R.t("brief_relevance_a", verdict=R.t(f"brief_verdict_{r['verdict']}", **fields), **fields)
    caveat = R.t("brief_relevance_caveat") + (" " + R.t("brief_relevance_adjacent") if r["verdict"] == "adjacent"
                                              else "")
    return Finding(R.t("brief_relevance_q"), answer, R.t("brief_relevance_certainty"), caveat, anchor, title,
                   confidence="moderate")


def _emerging_finding(V: VigieResults) -> Finding:
    anchor, title = section_link("vigie.sub_emerging", V.lang)
    R, lang, p = V.R, V.lang, V.params
    level = threshold_text(p["trend_level"], lang)
    caveat = R.t("brief_emerging_caveat", verdict=R.t(f"verdict_word_{V.relevance['verdict']}"))
    e = V.emerging.dropna(subset=["rate_ratio"]) if len(V.emerging) else V.emerging
    if not R.enough or e.empty:
        answer = R.t("brief_emerging_a_nobank", n=fmt.integer(R.n_works, lang), minimum=fmt.integer(R.min_works, lang))
        return Finding(R.t("brief_emerging_q"), answer, R.t("brief_none_certainty"), caveat, anchor, title,
                       confidence="none")
    labels = theme_labels(V.dictionary, lang)

    def item(row) -> str:
        return R.t("brief_emerging_item", theme=labels[row.theme], rate_ratio=fmt.number(row.rate_ratio, 3, lang),
                   p=fmt.pvalue(row.p_adjusted, lang))

    up = e[e["emerging"]].sort_values(["p_adjusted", "rate_ratio"], ascending=[True, False], kind="mergesort")
    if len(up):
        answer = R.t("brief_emerging_a", n=fmt.integer(len(up), lang), level=level,
                     names=", ".join(item(r) for r in up.itertuples()))
        lead = up.iloc[0]
        confidence = "high" if V.relevance["verdict"] == "on_topic" else "moderate"
    else:
        lead = e.sort_values(["p_adjusted", "rate_ratio"], ascending=[True, False], kind="mergesort").iloc[0]
        answer = R.t("brief_emerging_a_none", level=level, item=item(lead))
        confidence = "low"
    certainty = R.t("brief_emerging_certainty", theme=labels[lead["theme"]],
                    lo=fmt.number(lead["ci_low"], 3, lang), hi=fmt.number(lead["ci_high"], 3, lang))
    if V.relevance["verdict"] == "off_topic":
        confidence = "low"
    return Finding(R.t("brief_emerging_q"), answer, certainty, caveat, anchor, title, confidence=confidence)


def _cells_finding(V: VigieResults) -> Finding:
    anchor, title = section_link("vigie.sec_cells", V.lang)
    R, fields = V.R, _cells_fields(V)
    caveat = R.t("brief_cells_caveat", **fields)
    verdict = V.relevance["verdict"]
    if verdict in ("no_works", "off_topic"):
        return Finding(R.t("brief_cells_q"), R.t(f"brief_cells_a_{verdict}", **fields),
                       R.t("brief_cells_certainty_none"), caveat, anchor, title, confidence="none")
    short = V.shortlist
    if short.empty:
        return Finding(R.t("brief_cells_q"), R.t("brief_cells_a_empty", **fields),
                       R.t("brief_cells_certainty", **fields), caveat, anchor, title, confidence="none")
    stable = short[short["status"] == "shortlisted"]
    completed = short[short["status"] == "completed"]
    answer = R.t("brief_cells_a", names=_named_list(V, stable)) if len(stable) else ""
    if len(completed):
        completion = R.t("brief_cells_a_completed", names=_named_list(V, completed), n_names=len(completed))
        answer = (answer + " " + completion).strip()
    provisional = short[short["status"] == "provisional"]
    if len(provisional):
        answer = (answer + " " + R.t("brief_cells_a_provisional", names=_named_list(V, provisional))).strip()
    if len(short) < vigie.priorities.ROADMAP_MIN_CELLS:
        answer += " " + R.t("brief_cells_a_short", k=fmt.integer(len(short), V.lang))
    certainty = R.t("brief_cells_certainty", **fields)
    robust = robust_cells(V)
    labels = theme_labels(V.dictionary, V.lang)
    certainty += " " + (R.t("brief_cells_robust", names="; ".join(labels[c] for c in robust), n_names=len(robust))
                        if robust else R.t("brief_cells_not_robust"))
    confidence = "moderate" if (len(completed) == 0 and len(provisional) == 0
                                and len(short) >= vigie.priorities.ROADMAP_MIN_CELLS
                                and verdict == "on_topic") else "low"
    return Finding(R.t("brief_cells_q"), answer, certainty, caveat, anchor, title, confidence=confidence)


def _changes_finding(V: VigieResults) -> Finding:
    anchor, title = section_link("vigie.sec_changes", V.lang)
    R, lang = V.R, V.lang
    fields = _changes_fields(V)
    top = V.changes["new_by_theme"]
    top = top[(top["n_new"] > 0) & (top["theme"] != UNTHEMED)].sort_values("n_new", ascending=False,
                                                                             kind="mergesort").head(3)
    by_theme = "; ".join(R.t("theme_count", theme=_theme_name(V, r.theme), n=fmt.integer(r.n_new, lang))
                         for r in top.itertuples())
    answer = R.t("brief_changes_a", by_theme=R.t("brief_changes_by_theme", items=by_theme) if by_theme else "",
                 **fields)
    return Finding(R.t("brief_changes_q", **fields), answer, R.t("brief_changes_certainty"),
                   R.t("brief_changes_caveat"), anchor, title, confidence="moderate")


def robust_cells(V: VigieResults) -> list[str]:
    """The shortlisted cells (stable ones, not those completing the list) that stay shortlisted with the practices of
    any one source document left out (:func:`analysis.vigie.compute_source_sensitivity`).

    Parameters
    ----------
    V : VigieResults

    Returns
    -------
    list of str
        Theme ids, in list order.
    """
    stable = V.shortlist[V.shortlist["status"] == "shortlisted"]["candidate"].tolist()
    for _, g in V.sensitivity.groupby("left_out", sort=False):
        kept = set(g.loc[g["shortlisted"], "candidate"])
        stable = [c for c in stable if c in kept]
    return stable


def brief_evidence(row: Mapping[str, Any] | pd.Series, lang: str = "fr") -> str:
    """What a cell rests on, in words: its criteria with enough evidence and their raw counts.

    Parameters
    ----------
    row : mapping
        One candidate of the criteria table.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    fields = {"n_practices": fmt.integer(row["n_practices"], lang),
              "n_sources": fmt.integer(row["n_practice_sources"], lang),
              "n_researchers": fmt.integer(row["n_researchers"], lang),
              "rate_ratio": fmt.number(row["rate_ratio"], 3, lang), "p": fmt.pvalue(row["p_adjusted"], lang)}
    parts = [t(f"vigie.evidence_brief_{k}", lang, **fields) for k in vigie.EVIDENCE_CRITERIA
             if row[f"{k}_evidence"] == vigie.priorities.EVIDENCE_OK]
    return t("vigie.evidence_brief_and", lang).join(parts)


def vigie_brief(V: VigieResults, lang: str | None = None) -> Brief:
    """The « En bref » section of the innovation-watch report, from the objects its sections show.

    Questions: how far the corpus is on the watch's topic; which themes are emerging; which three to five
    innovation cells to prioritise and how sure the list is; and, for an edition with a previous one, what changed.
    Then the decision asked of the Table de vigie, with one point per cell and what the data lack.

    Parameters
    ----------
    V : VigieResults
        What :func:`compute` returned.
    lang : {"fr", "en"}, optional
        Language (default: the report's).

    Returns
    -------
    Brief
        Show it with :func:`analysis.report.brief.show_brief`.
    """
    if lang is not None and lang != V.lang:
        raise ParameterError(f"the results were computed in {V.lang!r}; compute them again with lang={lang!r}",
                             field="lang")
    R, fields = V.R, _cells_fields(V)
    findings = [_relevance_finding(V), _emerging_finding(V), _cells_finding(V)]
    if V.changes is not None:
        findings.append(_changes_finding(V))
    verdict = V.relevance["verdict"]
    labels = theme_labels(V.dictionary, V.lang)
    if verdict in ("no_works", "off_topic"):
        return Brief(findings=tuple(findings), decision=R.t("brief_decision_none"),
                     decision_points=(R.t(f"brief_decide_corpus_{verdict}", **fields),))
    short = V.shortlist
    points = [R.t("brief_decide_cell", theme=labels[r["candidate"]], size=fields["size"],
                  p=fmt.percent(r["p_shortlist"], 1, V.lang, ratio=True), evidence=brief_evidence(r, V.lang))
              for _, r in short.iterrows()]
    for status in ("completed", "provisional"):
        if (short["status"] == status).any():
            chosen = short.loc[short["status"] == status, "candidate"]
            points.append(R.t(f"brief_decide_{status}", names=", ".join(labels[c] for c in chosen),
                              n_names=len(chosen)))
    if verdict == "adjacent":
        points.append(R.t("brief_decide_watch", **fields))
    return Brief(findings=tuple(findings), decision=R.t("brief_decision"), decision_points=tuple(points))


# ---- provenance --------------------------------------------------------------------------------------------------


def show_provenance(params: Mapping[str, Any]) -> None:
    """The closing provenance section: parameters, input files (with their hashes), external datasets, versions.

    Parameters
    ----------
    params : dict
        The report's checked parameters.
    """
    if params.get("edition"):
        edition = open_edition(params["edition"])
        inputs = [edition.path / "manifest.json"]
        datasets = []
    else:
        found, _ = vigie.find_inputs(params["corpus"])
        inputs = [vigie.resolve_path(e) for e in found]
        datasets = [entry_name(e) for e in params["corpus"] if str(e).startswith(EXTERNAL_PREFIX)]
    inputs += [vigie.resolve_path(params["themes"]), vigie.resolve_path(params["institutions"]), PRACTICES_FILE,
               STRATEGY_FILE]
    provenance.show_provenance("vigie_innovation", dict(params), inputs=inputs, lang=params.get("lang", "fr"),
                               datasets=datasets)


__all__ = ["Context", "context", "named", "show_intro", "analysed_bank", "open_bank", "rejection_text",
           "rejection_reasons", "main_information_table", "show_bank", "show_production", "show_theme_dictionary",
           "show_theme_shares", "show_theme_years", "show_emerging", "show_sources", "show_authors",
           "show_countries", "institution_names", "show_directory", "show_networks_method", "show_network",
           "show_practices_by_issue", "show_practice_inventory", "show_issue_gaps", "show_research_problems",
           "show_cells_method", "show_ranking", "show_shortlist", "show_provenance"]
