"""Presentation of the ecosystem report (``notebooks/ecosysteme.ipynb``).

:func:`compute` loads the report's inputs and computes, once, every object the report shows
(:class:`EcosystemResults`); :func:`ecosystem_brief` builds the « En bref » section from those objects and each
``show_*`` displays one section from them, so a number in the brief is the number of its section. Words come from
``labels/ecosysteme.yaml``, numbers from :mod:`analysis.report.fmt`. When a section's input is missing (a dataset
not fetched, no contract file, a region without indicators) the section shows a plain note instead: the notebook's
cells stay free of conditionals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import ecosystem
from analysis.core import external, paths
from analysis.core.errors import ParameterError, VigieError
from analysis.ecosystem.indicators import SOURCE_QUALITIES
from analysis.report import codes, display, fmt
from analysis.report.brief import Brief, Finding, section_link
from analysis.report.figures import ecosystem as figures
from analysis.report.labels import t

EXTERNAL_PARAMETERS = ("register", "pole_directory", "pole_members")
GRANT_CURVE_MIN_COST = 50_000.0  # the grant curve runs to twice the cost where the ceiling binds, at least this
PROVINCE = "quebec"
# how sure an answer is, from the weakest source it rests on
QUALITY_CONFIDENCE = {"official_statistics": "high", "organisation_report": "moderate", "secondary_web_page": "low"}
# how sure the directory coverage is, from the prudent lower bound of the matching precision
PRECISION_CONFIDENCE = ((0.9, "high"), (0.75, "moderate"), (0.0, "low"))


def _t(key: str, lang: str, **fields: object) -> str:
    return t(f"ecosysteme.{key}", lang, **fields)


def _pct(value: float, lang: str, decimals: int = 1) -> str:
    return fmt.percent(value, decimals, lang)


def _ratio_pct(value: float, lang: str, decimals: int = 0) -> str:
    return fmt.percent(value, decimals, lang, ratio=True)


# --------------------------------------------------------------------------------------------------------------
# Inputs and computed objects


@dataclass(frozen=True)
class MissingInput:
    """Why an input of the report is absent: a catalogue entry and its fields, or an error message as written."""

    label: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    message: str | None = None

    def text(self, lang: str) -> str:
        """The note shown in place of the section, in ``lang``."""
        return t(self.label, lang, **self.fields) if self.label else str(self.message)


@dataclass(frozen=True)
class EcosystemResults:
    """Every object the ecosystem report shows, computed once by :func:`compute` (None where an input is absent).

    The sections (``show_*``) and the brief (:func:`ecosystem_brief`) read these objects; none recomputes them.
    ``absent`` maps a parameter name (``register``, ``pole_directory``, ``pole_members``, ``match_review``,
    ``contracts``) to the reason it is missing.
    """

    params: dict[str, Any]
    indicators: pd.DataFrame
    shares: pd.DataFrame | None
    ratios: pd.DataFrame | None
    growth: pd.DataFrame
    survival: pd.DataFrame
    register: pd.DataFrame | None
    directory: pd.DataFrame | None
    members: pd.DataFrame | None
    review: pd.DataFrame | None
    matches: pd.DataFrame | None
    coverage: pd.DataFrame | None
    precision: pd.DataFrame | None
    missed: pd.DataFrame | None
    rules: pd.DataFrame | None
    initiatives: pd.DataFrame
    labelled_names: pd.DataFrame
    recall: pd.DataFrame | None
    classifier: dict[str, float]
    contracts: tuple[pd.DataFrame, pd.DataFrame] | None
    contract_shares: dict[str, pd.DataFrame]
    grant_rule: tuple[float, float]
    grant_examples: pd.DataFrame
    reach: pd.DataFrame
    absent: dict[str, MissingInput]

    @property
    def region(self) -> str:
        """The ``region`` parameter (a scope code of the indicators table)."""
        return self.params["region"]

    def input_tables(self) -> tuple[Any, ...]:
        """The tables read from files, for :func:`input_files` (the provenance section)."""
        return (self.indicators, self.initiatives, self.register, self.directory, self.members, self.review,
                self.labelled_names, self.contracts)


def _load(value: str | None, loader, name: str, absent: dict[str, MissingInput]) -> pd.DataFrame | None:
    """A table from a ``source`` or ``path`` parameter, or None with the reason recorded in ``absent``."""
    if value is None:
        absent[name] = MissingInput("ecosysteme.input_not_given", {"name": name})
        return None
    path = external.resolve_source(value)
    if not path.exists():
        if value.startswith("external:"):
            absent[name] = MissingInput("common.missing_dataset", {"name": value.split(":", 1)[1]})
        else:
            absent[name] = MissingInput("ecosysteme.file_missing", {"path": paths.relative(path)})
        return None
    return loader(path)


def _contracts(files: list[str] | None, absent: dict[str, MissingInput]) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    if not files:
        absent["contracts"] = MissingInput("ecosysteme.contracts_missing")
        return None
    try:
        return ecosystem.read_contracts(files)
    except VigieError as exc:
        absent["contracts"] = MissingInput(None, message=exc.one_line())
        return None


def _current_rule(p: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("word_rule" if p["match_word_rule"] else "score_only",
            {"threshold": float(p["match_threshold"]), "word_rule": p["match_word_rule"]})


def _rules_compared(p: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The rules of :data:`analysis.ecosystem.review.RULES`, and the report's own if it is not among them."""
    rules = list(ecosystem.review.RULES)
    return rules if _current_rule(p) in rules else rules + [_current_rule(p)]


def _growth(indicators: pd.DataFrame, p: Mapping[str, Any]) -> pd.DataFrame:
    """:func:`analysis.ecosystem.coop_mutual_growth` for the report's years; an error names the report's parameter
    (``growth_start``, ``growth_end``), not the function's argument."""
    try:
        return ecosystem.coop_mutual_growth(indicators, p["growth_start"], p["growth_end"])
    except ParameterError as error:
        if error.field not in ("start", "end"):
            raise
        raise ParameterError(error.message, field=f"growth_{error.field}") from None


def compute(params: Mapping[str, Any]) -> EcosystemResults:
    """Load the report's inputs and compute every object it shows.

    Parameters
    ----------
    params : mapping
        The report's checked parameters ``P`` (:func:`analysis.report.notebook.start`; every key of
        ``params/ecosysteme/_schema.yaml``).

    Returns
    -------
    EcosystemResults
        Seed indicators and what the territorial portrait, the register, the directory matching (with its hand
        review), public purchasing and the digital programme show; absent inputs are None, with their reason in
        ``absent``.

    Raises
    ------
    VigieError
        An input that exists but cannot be read (the error names the file, line and field), or a bad parameter.
    """
    p = dict(params)
    absent: dict[str, MissingInput] = {}
    ind = ecosystem.load_indicators(p["indicators"])
    has_region = p["region"] in ecosystem.regions_with_shares(ind)
    register = _load(p["register"], ecosystem.load_register, "register", absent)
    directory = _load(p["pole_directory"], ecosystem.load_pole_directory, "pole_directory", absent)
    members = _load(p["pole_members"], ecosystem.load_pole_members, "pole_members", absent)
    review = _load(p["match_review"], ecosystem.load_match_review, "match_review", absent)
    matches = coverage = precision = missed = rules = None
    if register is not None and directory is not None:
        matches = ecosystem.match_directory(register, directory, p["match_threshold"], word_rule=p["match_word_rule"])
        coverage = ecosystem.directory_coverage(matches, register)
        if review is not None:
            matches = ecosystem.label_matches(matches, review)
            precision = ecosystem.match_precision(matches)
            missed = ecosystem.missed_matches(matches)
            rules = ecosystem.compare_match_rules(matches, _rules_compared(p))
    labelled_names = ecosystem.load_labelled_names()
    contracts = _contracts(p["contracts"], absent)
    contract_shares: dict[str, pd.DataFrame] = {}
    if contracts is not None and not contracts[0].empty:
        contract_shares = {by: ecosystem.collective_shares(contracts[0], by, register, p["broad_patterns"])
                           for by in ecosystem.procurement.GROUPINGS}
    share, ceiling = ecosystem.grant_parameters(ind)
    return EcosystemResults(
        params=p, indicators=ind,
        shares=ecosystem.region_shares(ind, p["region"]) if has_region else None,
        ratios=ecosystem.region_ratios(ind, p["region"]) if has_region else None,
        growth=_growth(ind, p),
        survival=ecosystem.survival_comparison(ind),
        register=register, directory=directory, members=members, review=review, matches=matches,
        coverage=coverage, precision=precision, missed=missed, rules=rules,
        initiatives=ecosystem.load_initiatives(), labelled_names=labelled_names,
        recall=ecosystem.recall_on_register(register, p["broad_patterns"]) if register is not None else None,
        classifier=ecosystem.evaluate_on_labelled(labelled_names, p["broad_patterns"]),
        contracts=contracts, contract_shares=contract_shares, grant_rule=(share, ceiling),
        grant_examples=ecosystem.grant_table(p["project_costs"], share, ceiling),
        reach=ecosystem.programme_reach(ind), absent=absent,
    )


def input_files(*tables: pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame] | None) -> list[Path]:
    """The files the given tables were read from (``attrs["path"]`` of the wing's loaders), for the provenance
    section; None (an absent input) is skipped, a ``(contracts, rejections)`` pair gives its contract files.

    Parameters
    ----------
    *tables : DataFrame, (DataFrame, DataFrame) or None
        E.g. ``*results.input_tables()``.

    Returns
    -------
    list of Path
        Absolute paths, in the order given.
    """
    found: list[Path] = []
    for table in tables:
        if isinstance(table, tuple):
            table = table[0]
        if table is None:
            continue
        recorded = table.attrs.get("paths") or ([table.attrs["path"]] if table.attrs.get("path") else [])
        found += [p if p.is_absolute() else paths.ROOT / p for p in map(Path, recorded)]
    return found


def external_datasets(params: dict[str, Any]) -> list[str]:
    """The external datasets the parameters name (``external:<name>``), for the attribution table.

    Parameters
    ----------
    params : dict
        The report's checked parameters ``P``.

    Returns
    -------
    list of str
        Dataset names, sorted.
    """
    values = [params.get(name) for name in EXTERNAL_PARAMETERS]
    return sorted({v.split(":", 1)[1] for v in values if isinstance(v, str) and v.startswith("external:")})


def _note_absent(results: EcosystemResults, name: str, lang: str) -> bool:
    """Show the note of an absent input; True when it was absent."""
    missing = results.absent.get(name)
    if missing is not None:
        display.show_note(missing.text(lang), kind="missing")
    return missing is not None


# --------------------------------------------------------------------------------------------------------------
# Source quality


def quality_label(quality: str | None, lang: str = "fr") -> str:
    """A source quality code in words (``secondary_web_page`` → « page web secondaire »); None → « — ».

    Parameters
    ----------
    quality : str or None
        A code of :data:`analysis.ecosystem.indicators.SOURCE_QUALITIES`.
    lang : {"fr", "en"}
        Language of the report.

    Returns
    -------
    str
    """
    return fmt.MISSING if quality is None or quality != quality else _t(f"quality_{quality}", lang)


def _source_desc(indicators: pd.DataFrame, items: list[tuple[str, str, int | None]], lang: str) -> str:
    """Where some seed indicators come from, in words, each source document once with its quality and years:
    « rapport d'organisme (document 002, 2021) ; page web secondaire (document 003, non daté) »."""
    years: dict[tuple[str, str], set[int | None]] = {}
    for name, scope, year in items:
        rows = indicators[(indicators["indicator"] == name) & (indicators["scope"] == scope)]
        if year is not None:
            rows = rows[rows["year"] == year]
        for quality, doc, when in zip(rows["source_quality"], rows["source_doc"], rows["year"]):
            years.setdefault((quality, doc[:3]), set()).add(None if pd.isna(when) else int(when))

    def when(found: set[int | None]) -> str:
        dated = [fmt.year(y) for y in sorted(y for y in found if y is not None)]
        return ", ".join(([_t("undated", lang)] if None in found else []) + dated)

    keys = sorted(years, key=lambda k: (SOURCE_QUALITIES.index(k[0]), k[1]))
    return _t("list_sep", lang).join(_t("source_desc", lang, quality=quality_label(q, lang), doc=doc,
                                        when=when(years[(q, doc)])) for q, doc in keys)


def _seed_source(indicators: pd.DataFrame, items: list[tuple[str, str, int | None]], lang: str) -> str:
    """The source line of a table or text built from seed indicators: the file, then :func:`_source_desc`."""
    return _t("sources_indicators", lang, docs=_source_desc(indicators, items, lang))


def show_quality_legend(lang: str = "fr") -> None:
    """The legend of the source-quality column shown next to every figure taken from the seed documents.

    Parameters
    ----------
    lang : {"fr", "en"}
        Language of the report.
    """
    display.show_note(_t("quality_legend", lang), kind="info")


# --------------------------------------------------------------------------------------------------------------
# Territorial portrait


def show_territories(results: EcosystemResults, lang: str = "fr") -> None:
    """The two territories of the portrait, named and kept apart: the region of the seed figures and Mauricie (the
    register and the pole's lists); then the legend of the source qualities.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if results.shares is not None:
        quality = ecosystem.weakest_quality(list(results.shares["region_quality"]))
        display.show_note(_t("territories_note", lang, region=figures.scope_label(results.region, lang),
                             quality=quality_label(quality, lang)), kind="warning")
    show_quality_legend(lang)


def _region_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    s = results.shares.set_index("indicator")
    return {"region": figures.scope_label(results.region, lang),
            "n": fmt.integer(s.loc["se_enterprises", "region"], lang),
            "n_pct": _pct(s.loc["se_enterprises", "share_pct"], lang),
            "n_qc": fmt.integer(s.loc["se_enterprises", "province"], lang),
            "jobs": fmt.integer(s.loc["se_jobs", "region"], lang),
            "jobs_pct": _pct(s.loc["se_jobs", "share_pct"], lang),
            "rev": fmt.money_short(s.loc["se_revenue", "region"], lang),
            "rev_pct": _pct(s.loc["se_revenue", "share_pct"], lang)}


def show_region_shares(results: EcosystemResults, lang: str = "fr") -> None:
    """The region's share of Québec's social-economy enterprises, revenue and jobs: text, table (with the source
    quality of each figure) and figure (:func:`analysis.ecosystem.region_shares`); a note when the region has no
    such indicators.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if results.shares is None:
        known = ecosystem.regions_with_shares(results.indicators)
        display.show_note(_t("region_missing", lang, region=results.region,
                             known=", ".join(known) or _t("none_available", lang)), kind="missing")
        return
    shares, ind = results.shares, results.indicators
    fields = _region_fields(results, lang)
    s = shares.set_index("indicator")
    display.show_text(_t("region_text", lang, **fields))

    def amount(indicator: str, value: float) -> str:
        return fmt.money_short(value, lang) if indicator == "se_revenue" else fmt.integer(value, lang)

    table = pd.DataFrame({
        _t("col_indicator", lang): [_t(f"ind_{i}", lang) for i in shares["indicator"]],
        fields["region"]: [amount(i, v) for i, v in zip(shares["indicator"], shares["region"])],
        _t("col_province", lang): [amount(i, v) for i, v in zip(shares["indicator"], shares["province"])],
        _t("col_share", lang): shares["share_pct"],
        _t("col_region_quality", lang): [quality_label(q, lang) for q in shares["region_quality"]],
        _t("col_province_quality", lang): [quality_label(q, lang) for q in shares["province_quality"]],
    })
    items = [(i, scope, None) for i in shares["indicator"] for scope in (results.region, PROVINCE)]
    source = _seed_source(ind, items, lang)
    display.show_table(table, formats={_t("col_share", lang): lambda v: fmt.percent(v, 2, lang)},
                       caption=_t("region_caption", lang, region=fields["region"]), lang=lang,
                       export="parts_territoire", source=source)
    alt = _t("region_alt", lang, region=fields["region"],
             n_pct=fmt.percent(s.loc["se_enterprises", "share_pct"], 2, lang),
             jobs_pct=fmt.percent(s.loc["se_jobs", "share_pct"], 2, lang),
             rev_pct=fmt.percent(s.loc["se_revenue", "share_pct"], 2, lang))
    display.show_figure(figures.plot_region_shares(shares, results.region, lang), alt=alt, source=source, lang=lang)


def show_region_ratios(results: EcosystemResults, lang: str = "fr") -> None:
    """Revenue and payroll per job, per enterprise, region vs Québec (:func:`analysis.ecosystem.region_ratios`), with
    the source quality of each ratio; nothing when the region has no share indicators (:func:`show_region_shares`
    has said so).

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if results.ratios is None:
        return
    ratios = results.ratios
    r = ratios.set_index("ratio")
    region = figures.scope_label(results.region, lang)
    display.show_text(_t("ratios_text", lang, rev_job=fmt.money(r.loc["revenue_per_job", "region"], 0, lang),
                         rev_job_qc=fmt.money(r.loc["revenue_per_job", "province"], 0, lang),
                         payroll_job=fmt.money(r.loc["payroll_per_job", "region"], 0, lang)))
    shown = ratios.assign(ratio=[_t(f"ratio_{k}", lang) for k in ratios["ratio"]],
                          region_quality=[quality_label(q, lang) for q in ratios["region_quality"]],
                          province_quality=[quality_label(q, lang) for q in ratios["province_quality"]])
    items = [(i, scope, None) for _, num, den in ecosystem.territory.RATIOS for i in (num, den)
             for scope in (results.region, PROVINCE)]
    display.show_table(shown,
                       columns={"ratio": _t("col_ratio", lang), "region": region,
                                "province": _t("col_province", lang),
                                "region_vs_province": _t("col_region_vs", lang),
                                "region_quality": _t("col_region_quality", lang),
                                "province_quality": _t("col_province_quality", lang)},
                       formats={"region": "num1", "province": "num1", "region_vs_province": "num2"},
                       caption=_t("ratios_caption", lang, region=region), lang=lang, export="ratios_territoire",
                       source=_seed_source(results.indicators, items, lang))


def show_coop_movement(results: EcosystemResults, lang: str = "fr") -> None:
    """The co-operative and mutual movement: growth of revenue and jobs (:func:`analysis.ecosystem.coop_mutual_growth`),
    survival against other enterprises (:func:`analysis.ecosystem.survival_comparison`, with the source quality) and
    the share of social-economy enterprises older than 30 years.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    ind, growth, survival = results.indicators, results.growth, results.survival
    g = growth.set_index("indicator")
    rev, jobs = g.loc["coop_mutual_revenue"], g.loc["coop_mutual_jobs"]
    sv = survival.set_index("horizon_years")
    older30 = ecosystem.get_indicator(ind, "se_share_older_30y", PROVINCE)
    display.show_text(_t("coop_text", lang, start=fmt.year(rev["start_year"]), end=fmt.year(rev["end_year"]),
                         rev_start=fmt.money_short(rev["start"], lang), rev_end=fmt.money_short(rev["end"], lang),
                         rev_change="+" + _pct(rev["change_pct"], lang, 0), rev_cagr=_pct(rev["cagr_pct"], lang),
                         jobs_start=fmt.integer(jobs["start"], lang), jobs_end=fmt.integer(jobs["end"], lang),
                         jobs_change="+" + _pct(jobs["change_pct"], lang, 0),
                         c5=_pct(sv.loc[5, "coop_pct"], lang, 0), o5=_pct(sv.loc[5, "other_pct"], lang, 0),
                         c10=_pct(sv.loc[10, "coop_pct"], lang, 0), o10=_pct(sv.loc[10, "other_pct"], lang, 0),
                         older30=_pct(older30, lang, 0),
                         older30_quality=quality_label(ecosystem.indicator_quality(ind, "se_share_older_30y",
                                                                                   PROVINCE), lang)))
    items = [(i, PROVINCE, y) for i in growth["indicator"] for y in (rev["start_year"], rev["end_year"])]
    items += [(f"{k}_survival_{h}y", PROVINCE, None) for h in survival["horizon_years"] for k in ("coop", "other")]
    items += [("se_share_older_30y", PROVINCE, None)]
    display.show_table(survival.assign(quality=[quality_label(q, lang) for q in survival["quality"]]),
                       columns={"horizon_years": _t("col_horizon", lang), "coop_pct": _t("col_coop", lang),
                                "other_pct": _t("col_other", lang), "gap_points": _t("col_gap", lang),
                                "ratio": _t("col_ratio", lang), "quality": _t("col_quality", lang)},
                       formats={"horizon_years": "int", "coop_pct": "num0", "other_pct": "num0",
                                "gap_points": "num0", "ratio": "num2"},
                       caption=_t("survival_caption", lang), lang=lang, export="survie_cooperatives",
                       source=_seed_source(ind, items, lang))


# --------------------------------------------------------------------------------------------------------------
# Register and regional pole


def show_register(results: EcosystemResults, lang: str = "fr") -> None:
    """Register enterprises by legal form (text, table, figure) and by municipality (the ``top_municipalities``
    largest shown, all exported); a note when the register is absent.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if _note_absent(results, "register", lang):
        return
    register, top = results.register, results.params["top_municipalities"]
    forms = ecosystem.counts_by_form(register)
    f = forms.set_index("legal_form")["count"]
    ape, ass, cop = (fmt.integer(f.get(code, 0), lang) for code in ("APE", "ASS", "COP"))
    display.show_text(_t("register_text", lang, n=fmt.integer(len(register), lang),
                         read=fmt.integer(register.attrs["rows_read"], lang),
                         dup=fmt.integer(register.attrs["duplicate_neq"], lang), ape=ape, ass=ass, cop=cop))
    source = _t("register_source", lang)
    shown = forms.assign(label=[_t(f"form_{c}", lang) for c in forms["legal_form"]])
    display.show_table(shown, columns={"legal_form": _t("col_form", lang), "label": _t("col_label", lang),
                                       "count": _t("col_count", lang), "share_pct": _t("col_share_pct", lang)},
                       formats={"count": "int", "share_pct": "num1"}, caption=_t("forms_caption", lang), lang=lang,
                       export="registre_formes", source=source)
    display.show_figure(figures.plot_counts_by_form(forms, lang), alt=_t("forms_alt", lang, ape=ape, ass=ass, cop=cop),
                        source=source, lang=lang)
    muni = ecosystem.counts_by_municipality(register)
    display.show_table(muni, columns={"municipality": _t("col_municipality", lang), "APE": "APE", "ASS": "ASS",
                                      "COP": "COP", "total": _t("col_total", lang)},
                       formats={"APE": "int", "ASS": "int", "COP": "int", "total": "int"},
                       caption=_t("muni_caption", lang, n=top), lang=lang, max_rows=top,
                       export="registre_municipalites", source=source)


def _rule_text(results: EcosystemResults, lang: str) -> str:
    return _t("matching_rule_word" if results.params["match_word_rule"] else "matching_rule_score", lang)


def _coverage_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    c = results.coverage.set_index("measure")["value"]
    return {"total": fmt.integer(c["directory_entries"], lang), "matched": fmt.integer(c["directory_matched"], lang),
            "pct": _pct(c["directory_matched_pct"], lang),
            "threshold": fmt.number(results.params["match_threshold"], 0, lang),
            "same_muni": _pct(c["matched_same_municipality_pct"], lang),
            "covered": fmt.integer(c["register_covered"], lang),
            "reg_total": fmt.integer(c["register_enterprises"], lang), "reg_pct": _pct(c["register_covered_pct"], lang),
            "cop_pct": _pct(c["register_covered_pct_COP"], lang), "ape_pct": _pct(c["register_covered_pct_APE"], lang),
            "rule": _rule_text(results, lang)}


REVIEW_COLUMNS = ("directory_name", "register_name", "legal_form", "score", "same_municipality", "word_conflict",
                  "matched", "label")


def _review_columns(lang: str) -> dict[str, str]:
    return {"directory_name": _t("col_directory_name", lang), "register_name": _t("col_register_name", lang),
            "legal_form": _t("col_form", lang), "score": _t("col_score", lang),
            "same_municipality": _t("col_same_muni", lang), "word_conflict": _t("col_word_conflict", lang),
            "matched": _t("col_matched", lang), "label": _t("col_label_review", lang)}


def show_directory_coverage(results: EcosystemResults, lang: str = "fr") -> None:
    """How much of the register the pole's directory covers (:func:`analysis.ecosystem.match_directory`,
    :func:`analysis.ecosystem.directory_coverage`): text, table, blocking note and the pairs to check, with their
    hand label where they were reviewed; every match is exported. A note when the directory or the register is
    absent.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if _note_absent(results, "pole_directory", lang):
        return
    if results.matches is None:
        display.show_note(_t("coverage_needs_register", lang), kind="missing")
        return
    matches, cov = results.matches, results.coverage
    fields = _coverage_fields(results, lang)
    display.show_text(_t("coverage_text", lang, **fields))
    source = _t("directory_source", lang)
    # counts as whole numbers, shares (the ``*_pct*`` measures) as percents: one column, each row in its own unit
    shown = [fmt.percent(v, 1, lang) if "_pct" in m else fmt.integer(v, lang) for m, v in zip(cov["measure"],
                                                                                                cov["value"])]
    display.show_table(cov.assign(measure=[_t(f"cov_{m}", lang) for m in cov["measure"]], value=shown),
                       columns={"measure": _t("col_measure", lang), "value": _t("col_value", lang)},
                       caption=_t("coverage_caption", lang), lang=lang,
                       export="couverture_repertoire", source=source)
    display.show_note(_t("blocking_note", lang, scored=fmt.integer(matches.attrs["pairs_scored"], lang),
                         total=fmt.integer(matches.attrs["pairs_total"], lang)), kind="info")
    display.show_text(_t("review_text", lang))
    labelled = matches if "label" in matches.columns else matches.assign(label=None)
    labelled = labelled.assign(label=[_label_word(v, lang) for v in labelled["label"]])
    columns = _review_columns(lang)
    display.show_table(ecosystem.matches_for_review(labelled, n=results.params["review_pairs"]), columns=columns,
                       formats={"score": "num1"}, caption=_t("review_caption", lang, threshold=fields["threshold"]),
                       lang=lang, max_rows=None, source=source)
    display.export_csv(labelled[list(columns)].rename(columns=columns), "correspondances_repertoire_registre", lang)


def _label_word(label: object, lang: str) -> str:
    return fmt.MISSING if label is None or label != label else _t(f"label_{label}", lang)


def _band_word(band: str, lang: str, weighted: bool = True) -> str:
    if band == "all":
        return _t("band_all" if weighted else "band_total", lang)
    if band == ecosystem.review.BELOW:
        return _t("band_below", lang, low=fmt.number(ecosystem.review.BAND_EDGES[-1], 0, lang))
    if "-" not in band:
        return _t("band_exact", lang, score=fmt.number(float(band), 0, lang))
    low, high = band.split("-")
    return _t("band_range", lang, low=fmt.number(float(low), 0, lang), high=fmt.number(float(high), 0, lang))


def _interval(low: float, high: float, lang: str) -> str:
    if low != low or high != high:
        return fmt.MISSING
    return _t("interval", lang, low=_ratio_pct(low, lang), high=_ratio_pct(high, lang))


def _precision_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    review, matches = results.review, results.matches
    total = results.precision.set_index("band").loc["all"]
    missed = results.missed.set_index("band").loc["all"]
    exact = matches[matches["score"] >= ecosystem.review.BAND_EDGES[0]]
    reviewed_exact = int((exact["label"].notna()).sum())
    near = int(((matches["score"] >= ecosystem.review.REVIEW_LOW) & (matches["score"] < ecosystem.review.BAND_EDGES[0])
                & matches["neq"].notna()).sum())
    return {"n": fmt.integer(len(review), lang), "low": fmt.number(ecosystem.review.REVIEW_LOW, 0, lang),
            "near": fmt.integer(near, lang), "exact": fmt.integer(reviewed_exact, lang),
            "n_exact": fmt.integer(len(exact), lang),
            "right": fmt.integer(total["right"], lang), "checked": fmt.integer(total["right"] + total["wrong"], lang),
            "wrong": fmt.integer(total["wrong"], lang), "unsure": fmt.integer(total["unsure"], lang),
            "precision": _ratio_pct(total["precision"], lang),
            "lo": _ratio_pct(total["ci_low"], lang), "hi": _ratio_pct(total["ci_high"], lang),
            "missed": fmt.integer(missed["right"], lang), "refused_labelled": fmt.integer(missed["labelled"], lang),
            "threshold": fmt.number(results.params["match_threshold"], 0, lang), "rule": _rule_text(results, lang)}


def show_match_review(results: EcosystemResults, lang: str = "fr") -> None:
    """How reliable the name matching is, on the pairs labelled by hand (:func:`analysis.ecosystem.match_precision`,
    :func:`analysis.ecosystem.missed_matches`, :func:`analysis.ecosystem.compare_match_rules`): the sample, the
    precision by score band with Wilson 95 % intervals, the right pairs refused, and the acceptance rules compared.
    A note when the review file or the matches are absent, or when reviewed pairs no longer apply.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if results.matches is None:
        return
    if _note_absent(results, "match_review", lang):
        return
    fields = _precision_fields(results, lang)
    display.show_text(_t("precision_text", lang, **fields))
    not_found = results.matches.attrs.get("review_not_found", 0)
    if not_found:
        display.show_note(_t("review_stale", lang, n=fmt.integer(not_found, lang)), kind="warning")
    source = _t("review_source", lang)
    precision = results.precision.assign(band=[_band_word(b, lang) for b in results.precision["band"]],
                                         interval=[_interval(lo, hi, lang) for lo, hi in
                                                   zip(results.precision["ci_low"], results.precision["ci_high"])])
    display.show_table(precision, columns={"band": _t("col_band", lang), "accepted": _t("col_accepted", lang),
                                           "labelled": _t("col_labelled", lang), "right": _t("col_right", lang),
                                           "wrong": _t("col_wrong", lang), "unsure": _t("col_unsure", lang),
                                           "precision": _t("col_precision", lang),
                                           "interval": _t("col_interval", lang)},
                       formats={"accepted": "int", "labelled": "int", "right": "int", "wrong": "int",
                                "unsure": "int", "precision": "share0", "interval": "text"},
                       caption=_t("precision_caption", lang), lang=lang, max_rows=None,
                       export="precision_appariement", source=source)
    missed = results.missed.assign(band=[_band_word(b, lang, weighted=False) for b in results.missed["band"]])
    display.show_table(missed, columns={"band": _t("col_band", lang), "refused": _t("col_refused", lang),
                                        "labelled": _t("col_labelled", lang), "right": _t("col_missed", lang),
                                        "wrong": _t("col_wrong", lang), "unsure": _t("col_unsure", lang)},
                       formats={"refused": "int", "labelled": "int", "right": "int", "wrong": "int", "unsure": "int"},
                       caption=_t("missed_caption", lang), lang=lang, max_rows=None, export="paires_refusees",
                       source=source)
    rules = results.rules
    current = (rules["threshold"] == float(results.params["match_threshold"])) \
        & (rules["word_rule"] == results.params["match_word_rule"]) & rules["same_municipality_below"].isna()

    def row(code: str, threshold: float) -> pd.Series:
        return rules[(rules["rule"] == code) & (rules["threshold"] == threshold)].iloc[0]

    before, muni, word = row("score_only", 90.0), row("same_municipality", 90.0), row("word_rule", 90.0)
    mine = rules[current].iloc[0]

    def count(value: object) -> str:
        return fmt.integer(value, lang)

    display.show_text(_t("rules_text", lang, before_wrong=count(before["wrong"]),
                         before_missed=count(before["right_refused"]), muni_wrong=count(muni["wrong"]),
                         muni_missed=count(muni["right_refused"]), word_wrong=count(word["wrong"]),
                         word_missed=count(word["right_refused"]), threshold=fields["threshold"],
                         rule=fields["rule"], current_accepted=count(mine["accepted"]),
                         current_wrong=count(mine["wrong"]), current_missed=count(mine["right_refused"])))
    shown = rules.assign(rule=[_t(f"rule_{code}", lang) for code in rules["rule"]],
                         interval=[_interval(lo, hi, lang) for lo, hi in zip(rules["ci_low"], rules["ci_high"])],
                         current=current.to_numpy())
    display.show_table(shown, columns={"rule": _t("col_rule", lang), "threshold": _t("col_threshold", lang),
                                       "current": _t("col_current_rule", lang),
                                       "accepted": _t("col_accepted", lang), "right": _t("col_right", lang),
                                       "wrong": _t("col_wrong", lang), "unsure": _t("col_unsure", lang),
                                       "precision": _t("col_precision", lang),
                                       "interval": _t("col_interval", lang),
                                       "right_refused": _t("col_missed", lang)},
                       formats={"threshold": "num0", "accepted": "int", "right": "int", "wrong": "int",
                                "unsure": "int", "precision": "share0", "interval": "text", "right_refused": "int"},
                       caption=_t("rules_caption", lang), lang=lang, max_rows=None, export="regles_appariement",
                       source=source)


def show_members(results: EcosystemResults, lang: str = "fr") -> None:
    """The pole's members by category and type (:func:`analysis.ecosystem.member_counts`); a note when absent.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if _note_absent(results, "pole_members", lang):
        return
    members = results.members
    display.show_text(_t("members_text", lang, n=fmt.integer(len(members), lang)))
    counts = ecosystem.member_counts(members)
    for col, family in (("member_category", "pole_category"), ("enterprise_type", "pole_type")):
        counts[col] = [figures.code_label(v, lang) if v == ecosystem.territory.UNSPECIFIED
                       else codes.code_label(v, family, lang) for v in counts[col]]
    display.show_table(counts, columns={"member_category": _t("col_category", lang),
                                        "enterprise_type": _t("col_type", lang), "count": _t("col_members", lang)},
                       formats={"count": "int"}, caption=_t("members_caption", lang), lang=lang, max_rows=None,
                       export="membres_pole", source=_t("directory_source", lang))


# --------------------------------------------------------------------------------------------------------------
# Public purchasing


def show_initiatives(results: EcosystemResults, lang: str = "fr") -> None:
    """The 2011 public-purchasing initiatives and their performance indicators (seed 004).

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    initiatives = results.initiatives
    n = ecosystem.count_initiative_indicators(initiatives)
    display.show_text(_t("initiatives_text", lang, n=fmt.integer(n, lang)))
    shown = initiatives.assign(kind=[_t(f"kind_{k}", lang) for k in initiatives["kind"]])
    display.show_table(shown, columns={"initiative": _t("col_initiative", lang),
                                       "initiative_label": _t("col_initiative_label", lang),
                                       "indicator_label": _t("col_perf", lang), "kind": _t("col_kind", lang),
                                       "target": _t("col_target", lang)},
                       formats={"target": "int"}, caption=_t("initiatives_caption", lang), lang=lang, max_rows=None,
                       export="initiatives_achat_public", source=_t("initiatives_source", lang))


def _classifier_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    lab = results.classifier
    fields = {"n_lab": fmt.integer(lab["tp"] + lab["fp"] + lab["fn"] + lab["tn"], lang),
              "precision": _ratio_pct(lab["precision"], lang), "recall_lab": _ratio_pct(lab["recall"], lang)}
    if results.recall is not None:
        rc = results.recall.set_index("legal_form")["recall_pct"]
        missing = float("nan")
        fields.update({"n": fmt.integer(len(results.register), lang), "recall": _pct(rc["total"], lang),
                       "cop": _pct(rc.get("COP", missing), lang), "ape": _pct(rc.get("APE", missing), lang),
                       "ass": _pct(rc.get("ASS", missing), lang)})
    return fields


def show_classifier(results: EcosystemResults, lang: str = "fr") -> None:
    """Recall of the supplier name patterns on the register (:func:`analysis.ecosystem.recall_on_register`) and
    precision on the hand-labelled names (:func:`analysis.ecosystem.evaluate_on_labelled`); nothing without the
    register.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if results.recall is None:
        return
    display.show_text(_t("classifier_text", lang, **_classifier_fields(results, lang)))
    display.show_table(results.recall,
                       columns={"legal_form": _t("col_form", lang), "positives": _t("col_positives", lang),
                                "flagged": _t("col_flagged", lang), "recall_pct": _t("col_recall", lang)},
                       formats={"positives": "int", "flagged": "int", "recall_pct": "num1"},
                       caption=_t("recall_caption", lang), lang=lang, export="rappel_classement",
                       source=_t("register_source", lang))


def _contract_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    table, rejected = results.contracts
    fields = {"n": fmt.integer(len(table), lang), "files": fmt.integer(len(table.attrs.get("paths", [])), lang),
              "rejected": fmt.integer(len(rejected), lang)}
    if results.contract_shares:
        years = results.contract_shares["year"]
        value = years["value"].sum()
        fields.update({
            "share_contracts": _pct(100.0 * years["collective_contracts"].sum() / years["contracts"].sum(), lang),
            "share_value": _pct(100.0 * years["collective_value"].sum() / value, lang) if value > 0 else fmt.MISSING})
    return fields


def show_contract_shares(results: EcosystemResults, lang: str = "fr") -> None:
    """Contracts read, rejected rows, the overall share won by collective enterprises, and the shares of contracts
    and value by buyer type, region and year (:func:`analysis.ecosystem.collective_shares`); a note explaining how to
    get SEAO files when none is given.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    if _note_absent(results, "contracts", lang):
        return
    fields = _contract_fields(results, lang)
    display.show_text(_t("contracts_text", lang, **fields))
    table, rejected = results.contracts
    if len(rejected):
        reasons = [_t(f"reject_{r}", lang, value=v) for r, v in zip(rejected["reason"], rejected["value"])]
        display.show_table(rejected.assign(reason=reasons),
                           columns={"file": _t("col_file", lang), "line": _t("col_line", lang),
                                    "reason": _t("col_reason", lang)},
                           caption=_t("rejections_caption", lang), lang=lang, export="contrats_rejets")
    if not results.contract_shares:
        return
    display.show_text(_t("contracts_overall", lang, **fields))
    for by, shares in results.contract_shares.items():
        by_label = _t(f"by_{by}", lang)
        shown = shares.assign(**{by: [figures.code_label(v, lang) for v in shares[by]]}) if by != "year" else shares
        display.show_table(shown, columns={by: _t(f"axis_{by}", lang), "contracts": _t("col_contracts", lang),
                                           "collective_contracts": _t("col_coll_contracts", lang),
                                           "value": _t("col_value_total", lang),
                                           "collective_value": _t("col_coll_value", lang),
                                           "share_contracts_pct": _t("col_share_contracts", lang),
                                           "share_value_pct": _t("col_share_value", lang)},
                           formats={by: "year" if by == "year" else "text", "contracts": "int",
                                    "collective_contracts": "int", "value": "money", "collective_value": "money",
                                    "share_contracts_pct": "num1", "share_value_pct": "num1"},
                           caption=_t("shares_caption", lang, by=by_label), lang=lang, export=f"parts_contrats_{by}",
                           source=_t("contracts_source", lang))
        display.show_figure(figures.plot_collective_shares(shares, by, lang), alt=_t("shares_alt", lang, by=by_label),
                            source=_t("contracts_source", lang), lang=lang)


# --------------------------------------------------------------------------------------------------------------
# Digital-transformation programme


def show_grant(results: EcosystemResults, lang: str = "fr") -> None:
    """The programme's grant rule: text, the worked examples (:func:`analysis.ecosystem.grant_table`) and the grant
    curve (:func:`analysis.ecosystem.grant_curve`, to twice the cost where the ceiling binds, at least 50 000 $).

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    share, ceiling = results.grant_rule
    knee = ecosystem.ceiling_cost(share, ceiling)
    fields = {"share": fmt.percent(share, 0, lang, ratio=True), "ceiling": fmt.money(ceiling, 0, lang),
              "knee": fmt.money(knee, 0, lang)}
    display.show_text(_t("grant_text", lang, **fields))
    source = _seed_source(results.indicators, [("otn_grant_cost_share", PROVINCE, None),
                                               ("otn_grant_ceiling", PROVINCE, None)], lang)
    display.show_table(results.grant_examples,
                       columns={"cost": _t("col_cost", lang), "grant": _t("col_grant", lang),
                                "own_contribution": _t("col_own", lang), "effective_share": _t("col_eff_share", lang),
                                "at_ceiling": _t("col_at_ceiling", lang)},
                       formats={"cost": "money", "grant": "money", "own_contribution": "money",
                                "effective_share": "share0"},
                       caption=_t("grant_caption", lang), lang=lang, export="aide_numerique_exemples", source=source)
    curve = ecosystem.grant_curve(share, ceiling, max(GRANT_CURVE_MIN_COST, 2 * knee))
    display.show_figure(figures.plot_grant_curve(curve, ceiling, knee, lang), alt=_t("grant_alt", lang, **fields),
                        source=source, lang=lang)


def _reach_fields(results: EcosystemResults, lang: str) -> dict[str, str]:
    rv = results.reach.set_index("measure")["value"]
    return {"target_pct": _pct(rv["target_share_pct"], lang, 0), "n": fmt.integer(rv["se_enterprises"], lang),
            "target_n": fmt.integer(rv["target_enterprises"], lang), "grant": fmt.money_short(rv["grant_cqcm"], lang),
            "per_ent": fmt.money(rv["grant_per_target_enterprise"], 0, lang),
            "max_grants": fmt.integer(rv["max_grants_at_ceiling"], lang)}


REACH_INDICATORS = ("se_enterprises", "otn_awareness_target_share", "otn_grant_cqcm", "otn_project_value",
                    "otn_grant_cost_share", "otn_grant_ceiling")


def show_reach(results: EcosystemResults, lang: str = "fr") -> None:
    """The programme's reach target and the grant per targeted enterprise
    (:func:`analysis.ecosystem.programme_reach`), with the source quality of each figure.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.
    """
    reach = results.reach
    display.show_text(_t("reach_text", lang, **_reach_fields(results, lang)))
    shown = reach.assign(measure=[_t(f"reach_{m}", lang) for m in reach["measure"]],
                         quality=[quality_label(q, lang) for q in reach["quality"]])
    display.show_table(shown, columns={"measure": _t("col_measure", lang), "value": _t("col_value", lang),
                                       "quality": _t("col_quality", lang)},
                       formats={"value": "num0"}, caption=_t("reach_caption", lang), lang=lang,
                       export="portee_programme",
                       source=_seed_source(results.indicators, [(i, PROVINCE, None) for i in REACH_INDICATORS], lang))


# --------------------------------------------------------------------------------------------------------------
# En bref


def _confidence_from_quality(qualities: list[str | None]) -> tuple[str, bool]:
    weakest = ecosystem.weakest_quality(qualities)
    return QUALITY_CONFIDENCE.get(weakest, "none"), weakest == "secondary_web_page"


def _region_finding(results: EcosystemResults, lang: str) -> Finding:
    anchor, title = section_link("ecosysteme.sub_region", lang)
    region = figures.scope_label(results.region, lang)
    if results.shares is None:
        return Finding(_t("brief_region_q", lang, region=region), _t("brief_region_a_none", lang, region=region),
                       _t("brief_none_certainty", lang), _t("brief_region_caveat", lang, region=region), anchor, title,
                       confidence="none")
    shares, ind = results.shares, results.indicators
    confidence, web = _confidence_from_quality(list(shares["region_quality"]) + list(shares["province_quality"]))
    years = ind[ind["indicator"].isin(shares["indicator"]) & ind["scope"].isin([results.region, PROVINCE])]["year"]
    docs = ind[ind["indicator"].isin(shares["indicator"]) & ind["scope"].isin([results.region, PROVINCE])]
    same = years.notna().all() and years.nunique() == 1 and docs["source_doc"].nunique() == 1
    names = list(shares["indicator"])
    certainty = _t("brief_region_certainty", lang,
                   region_src=_source_desc(ind, [(i, results.region, None) for i in names], lang),
                   province_src=_source_desc(ind, [(i, PROVINCE, None) for i in names], lang),
                   years="" if same else " " + _t("brief_region_years", lang))
    answer = _t("brief_region_a", lang, **_region_fields(results, lang))
    return Finding(_t("brief_region_q", lang, region=region), answer, certainty,
                   _t("brief_region_caveat", lang, region=region), anchor, title, confidence=confidence,
                   secondary_source=web)


def _coverage_finding(results: EcosystemResults, lang: str) -> Finding:
    anchor, title = section_link("ecosysteme.sub_coverage", lang)
    question = _t("brief_coverage_q", lang)
    if results.coverage is None:
        missing = [results.absent[k].text(lang) for k in ("register", "pole_directory") if k in results.absent]
        return Finding(question, _t("brief_not_computable", lang, why=" ".join(missing)),
                       _t("brief_none_certainty", lang), _t("brief_coverage_caveat", lang,
                                                            threshold=fmt.number(results.params["match_threshold"], 0,
                                                                                 lang),
                                                            rule=_rule_text(results, lang)),
                       anchor, title, confidence="none")
    fields = _coverage_fields(results, lang)
    if results.precision is None:
        certainty, confidence = _t("brief_coverage_unchecked", lang), "low"
    else:
        low = results.precision.set_index("band").loc["all", "ci_low"]
        certainty = _t("brief_coverage_certainty", lang, **_precision_fields(results, lang))
        confidence = next((level for bound, level in PRECISION_CONFIDENCE if low >= bound), "low")
    return Finding(question, _t("brief_coverage_a", lang, **fields), certainty,
                   _t("brief_coverage_caveat", lang, **fields), anchor, title, confidence=confidence)


def _reach_finding(results: EcosystemResults, lang: str) -> Finding:
    anchor, title = section_link("ecosysteme.sub_reach", lang)
    fields = _reach_fields(results, lang)
    used = results.reach.set_index("measure").loc[["se_enterprises", "target_share_pct", "target_enterprises",
                                                    "grant_cqcm", "grant_per_target_enterprise",
                                                    "max_grants_at_ceiling"], "quality"]
    confidence, web = _confidence_from_quality(list(used))
    ind = results.indicators
    certainty = _t("brief_reach_certainty", lang,
                   target_src=_source_desc(ind, [("otn_awareness_target_share", PROVINCE, None),
                                                 ("otn_grant_cqcm", PROVINCE, None)], lang),
                   n_src=_source_desc(ind, [("se_enterprises", PROVINCE, None)], lang))
    return Finding(_t("brief_reach_q", lang, **fields), _t("brief_reach_a", lang, **fields), certainty,
                   _t("brief_reach_caveat", lang), anchor, title, confidence=confidence, secondary_source=web)


def _procurement_finding(results: EcosystemResults, lang: str) -> Finding:
    anchor, title = section_link("ecosysteme.sub_contracts", lang)
    classifier = _classifier_fields(results, lang)
    caveat = _t("brief_procurement_caveat", lang, **classifier)
    if not results.contract_shares:
        answer = _t("brief_procurement_a_none", lang,
                    n=fmt.integer(ecosystem.count_initiative_indicators(results.initiatives), lang))
        if results.recall is not None:
            answer += " " + _t("brief_procurement_recall", lang, **classifier)
        return Finding(_t("brief_procurement_q", lang), answer, _t("brief_procurement_certainty_none", lang), caveat,
                       anchor, title, confidence="none")
    return Finding(_t("brief_procurement_q", lang), _t("brief_procurement_a", lang, **_contract_fields(results, lang)),
                   _t("brief_procurement_certainty", lang, **classifier), caveat, anchor, title, confidence="low")


def ecosystem_brief(results: EcosystemResults, lang: str = "fr") -> Brief:
    """The « En bref » section of the ecosystem report, from the objects its sections show.

    Four questions: the region's weight in Québec's social economy (and how far its sources can be trusted), how
    much of the Mauricie register the pole's directory covers (and how reliable the name matching is), what the
    digital programme's reach target means in enterprises and dollars, and what can be said about public
    purchasing; then the decisions asked of the Table de vigie, chosen by what the data lack.

    Parameters
    ----------
    results : EcosystemResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.

    Returns
    -------
    Brief
        Show it with :func:`analysis.report.brief.show_brief`.
    """
    findings = (_region_finding(results, lang), _coverage_finding(results, lang), _reach_finding(results, lang),
                _procurement_finding(results, lang))
    region = figures.scope_label(results.region, lang)
    points = []
    if findings[0].secondary_source:
        points.append(_t("brief_decide_region", lang, region=region))
    if results.shares is not None and results.register is not None:
        points.append(_t("brief_decide_territory", lang, region=region))
    if not results.contract_shares:
        points.append(_t("brief_decide_contracts", lang))
    points.append(_t("brief_decide_reach", lang, **_reach_fields(results, lang)))
    return Brief(findings=findings, decision=_t("brief_decision", lang), decision_points=tuple(points))
