"""Presentation of the ecosystem report (``notebooks/ecosysteme.ipynb``): each ``show_*`` takes results (or inputs)
of :mod:`analysis.ecosystem` and ``lang``, and displays the section's text, tables and figures.

Words come from ``labels/ecosysteme.yaml``, numbers from :mod:`analysis.report.fmt`. When a section's input is
missing (a dataset not fetched, no contract file, a region without indicators) the function shows a plain note
instead, and the sections that need that input show nothing: the notebook's cells stay free of conditionals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import ecosystem
from analysis.core import external, paths
from analysis.core.errors import VigieError
from analysis.report import display, fmt
from analysis.report.figures import ecosystem as figures
from analysis.report.labels import t

EXTERNAL_PARAMETERS = ("register", "pole_directory", "pole_members")
GRANT_CURVE_MIN_COST = 50_000.0  # the grant curve runs to twice the cost where the ceiling binds, at least this


def _t(key: str, lang: str, **fields: object) -> str:
    return t(f"ecosysteme.{key}", lang, **fields)


def _pct(value: float, lang: str, decimals: int = 1) -> str:
    return fmt.percent(value, decimals, lang)


# --------------------------------------------------------------------------------------------------------------
# Inputs


def load_source(value: str | None, loader: Callable[[Path], pd.DataFrame], lang: str = "fr") -> pd.DataFrame | None:
    """A table from a ``source`` parameter (``external:<name>`` or a path), or None with a note when it is absent.

    Parameters
    ----------
    value : str or None
        The parameter (``P["register"]``…); None means the report runs without it.
    loader : callable
        The wing's loader (``ecosystem.load_register``…), given the resolved path.
    lang : {"fr", "en"}
        Language of the note.

    Returns
    -------
    DataFrame or None
    """
    if value is None:
        return None
    path = external.resolve_source(value)
    if not path.exists():
        if value.startswith("external:"):
            display.show_note(t("common.missing_dataset", lang, name=value.split(":", 1)[1]), kind="missing")
        else:
            display.show_note(_t("file_missing", lang, path=paths.relative(path)), kind="missing")
        return None
    return loader(path)


def load_contracts(files: list[str] | None, lang: str = "fr") -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """:func:`analysis.ecosystem.read_contracts` of the ``contracts`` parameter, or None with a note explaining how
    to get SEAO files (no file given) or naming the file and line that cannot be read.

    Parameters
    ----------
    files : list of str or None
        The ``contracts`` parameter.
    lang : {"fr", "en"}
        Language of the report.

    Returns
    -------
    (contracts, rejections) or None
    """
    if not files:
        display.show_note(_t("contracts_missing", lang), kind="missing")
        return None
    try:
        return ecosystem.read_contracts(files)
    except VigieError as exc:
        display.show_note(exc.one_line(), kind="missing")
        return None


def input_files(*tables: pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame] | None) -> list[Path]:
    """The files the given tables were read from (``attrs["path"]`` of the wing's loaders), for the provenance
    section; None (an absent input) is skipped, a ``(contracts, rejections)`` pair gives its contract files.

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


# --------------------------------------------------------------------------------------------------------------
# Territorial portrait


def show_region_shares(indicators: pd.DataFrame, region: str, lang: str = "fr") -> None:
    """The region's share of Québec's social-economy enterprises, revenue and jobs: text, table and figure
    (:func:`analysis.ecosystem.region_shares`); a note when the region has no such indicators.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    region : str
        The ``region`` parameter (a scope code).
    lang : {"fr", "en"}
        Language of the report.
    """
    known = ecosystem.regions_with_shares(indicators)
    if region not in known:
        display.show_note(_t("region_missing", lang, region=region,
                             known=", ".join(known) or _t("none_available", lang)), kind="missing")
        return
    shares = ecosystem.region_shares(indicators, region)
    s = shares.set_index("indicator")
    name = figures.scope_label(region, lang)
    display.show_text(_t("region_text", lang, region=name, n=fmt.integer(s.loc["se_enterprises", "region"], lang),
                         n_pct=_pct(s.loc["se_enterprises", "share_pct"], lang),
                         n_qc=fmt.integer(s.loc["se_enterprises", "province"], lang),
                         jobs=fmt.integer(s.loc["se_jobs", "region"], lang),
                         jobs_pct=_pct(s.loc["se_jobs", "share_pct"], lang),
                         rev=fmt.money_short(s.loc["se_revenue", "region"], lang),
                         rev_pct=_pct(s.loc["se_revenue", "share_pct"], lang)))

    def amount(indicator: str, value: float) -> str:
        return fmt.money_short(value, lang) if indicator == "se_revenue" else fmt.integer(value, lang)

    table = pd.DataFrame({
        _t("col_indicator", lang): [_t(f"ind_{i}", lang) for i in shares["indicator"]],
        _t("col_region", lang): [amount(i, v) for i, v in zip(shares["indicator"], shares["region"])],
        _t("col_province", lang): [amount(i, v) for i, v in zip(shares["indicator"], shares["province"])],
        _t("col_share", lang): shares["share_pct"],
    })
    source = _t("sources_seeds", lang)
    display.show_table(table, formats={_t("col_share", lang): lambda v: fmt.percent(v, 2, lang)},
                       caption=_t("region_caption", lang), lang=lang, export="parts_territoire", source=source)
    alt = _t("region_alt", lang, region=name, n_pct=fmt.percent(s.loc["se_enterprises", "share_pct"], 2, lang),
             jobs_pct=fmt.percent(s.loc["se_jobs", "share_pct"], 2, lang),
             rev_pct=fmt.percent(s.loc["se_revenue", "share_pct"], 2, lang))
    display.show_figure(figures.plot_region_shares(shares, region, lang), alt=alt, source=source, lang=lang)


def show_region_ratios(indicators: pd.DataFrame, region: str, lang: str = "fr") -> None:
    """Revenue and payroll per job, per enterprise, region vs Québec (:func:`analysis.ecosystem.region_ratios`);
    nothing when the region has no share indicators (:func:`show_region_shares` has said so).

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    region : str
        The ``region`` parameter (a scope code).
    lang : {"fr", "en"}
        Language of the report.
    """
    if region not in ecosystem.regions_with_shares(indicators):
        return
    ratios = ecosystem.region_ratios(indicators, region)
    r = ratios.set_index("ratio")
    display.show_text(_t("ratios_text", lang, rev_job=fmt.money(r.loc["revenue_per_job", "region"], 0, lang),
                         rev_job_qc=fmt.money(r.loc["revenue_per_job", "province"], 0, lang),
                         payroll_job=fmt.money(r.loc["payroll_per_job", "region"], 0, lang)))
    display.show_table(ratios.assign(ratio=[_t(f"ratio_{k}", lang) for k in ratios["ratio"]]),
                       columns={"ratio": _t("col_ratio", lang), "region": _t("col_region", lang),
                                "province": _t("col_province", lang),
                                "region_vs_province": _t("col_region_vs", lang)},
                       formats={"region": "num1", "province": "num1", "region_vs_province": "num2"},
                       caption=_t("ratios_caption", lang), lang=lang, export="ratios_territoire",
                       source=_t("sources_seeds", lang))


def show_coop_movement(growth: pd.DataFrame, survival: pd.DataFrame, indicators: pd.DataFrame,
                       lang: str = "fr") -> None:
    """The co-operative and mutual movement: growth of revenue and jobs (:func:`analysis.ecosystem.coop_mutual_growth`),
    survival against other enterprises (:func:`analysis.ecosystem.survival_comparison`) and the share of
    social-economy enterprises older than 30 years (from ``indicators``).

    Parameters
    ----------
    growth : DataFrame
        The table of :func:`analysis.ecosystem.coop_mutual_growth`.
    survival : DataFrame
        The table of :func:`analysis.ecosystem.survival_comparison`.
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    lang : {"fr", "en"}
        Language of the report.
    """
    g = growth.set_index("indicator")
    rev, jobs = g.loc["coop_mutual_revenue"], g.loc["coop_mutual_jobs"]
    sv = survival.set_index("horizon_years")
    older30 = ecosystem.get_indicator(indicators, "se_share_older_30y", "quebec")
    display.show_text(_t("coop_text", lang, start=fmt.year(rev["start_year"]), end=fmt.year(rev["end_year"]),
                         rev_start=fmt.money_short(rev["start"], lang), rev_end=fmt.money_short(rev["end"], lang),
                         rev_change="+" + _pct(rev["change_pct"], lang, 0), rev_cagr=_pct(rev["cagr_pct"], lang),
                         jobs_start=fmt.integer(jobs["start"], lang), jobs_end=fmt.integer(jobs["end"], lang),
                         jobs_change="+" + _pct(jobs["change_pct"], lang, 0),
                         c5=_pct(sv.loc[5, "coop_pct"], lang, 0), o5=_pct(sv.loc[5, "other_pct"], lang, 0),
                         c10=_pct(sv.loc[10, "coop_pct"], lang, 0), o10=_pct(sv.loc[10, "other_pct"], lang, 0),
                         older30=_pct(older30, lang, 0)))
    display.show_table(survival, columns={"horizon_years": _t("col_horizon", lang), "coop_pct": _t("col_coop", lang),
                                          "other_pct": _t("col_other", lang), "gap_points": _t("col_gap", lang),
                                          "ratio": _t("col_ratio", lang)},
                       formats={"horizon_years": "int", "coop_pct": "num0", "other_pct": "num0",
                                "gap_points": "num0", "ratio": "num2"},
                       caption=_t("survival_caption", lang), lang=lang, export="survie_cooperatives",
                       source=_t("coop_source", lang))


# --------------------------------------------------------------------------------------------------------------
# Register and regional pole


def show_register(register: pd.DataFrame | None, top: int, lang: str = "fr") -> None:
    """Register enterprises by legal form (text, table, figure) and by municipality (the ``top`` largest shown, all
    exported); nothing when the register is absent (:func:`load_source` has said so).

    Parameters
    ----------
    register : DataFrame or None
        The table of :func:`analysis.ecosystem.load_register`.
    top : int
        The ``top_municipalities`` parameter.
    lang : {"fr", "en"}
        Language of the report.
    """
    if register is None:
        return
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
    total = _t("col_total", lang)
    display.show_table(muni, columns={"municipality": _t("col_municipality", lang), "APE": "APE", "ASS": "ASS",
                                      "COP": "COP", "total": total},
                       formats={"APE": "int", "ASS": "int", "COP": "int", "total": "int"},
                       caption=_t("muni_caption", lang, n=top), lang=lang, max_rows=top,
                       export="registre_municipalites", source=source)


def show_directory_coverage(register: pd.DataFrame | None, directory: pd.DataFrame | None, threshold: float,
                            review_pairs: int, lang: str = "fr") -> None:
    """How much of the register the pole's directory covers (:func:`analysis.ecosystem.match_directory`,
    :func:`analysis.ecosystem.directory_coverage`): text, table, blocking note and the pairs to check; every match is
    exported. A note when the register is absent but the directory is not.

    Parameters
    ----------
    register, directory : DataFrame or None
        The tables of :func:`analysis.ecosystem.load_register` and :func:`analysis.ecosystem.load_pole_directory`.
    threshold : float
        The ``match_threshold`` parameter.
    review_pairs : int
        The ``review_pairs`` parameter: pairs to check on each side of the threshold.
    lang : {"fr", "en"}
        Language of the report.
    """
    if directory is None:
        return
    if register is None:
        display.show_note(_t("coverage_needs_register", lang), kind="missing")
        return
    matches = ecosystem.match_directory(register, directory, threshold)
    cov = ecosystem.directory_coverage(matches, register)
    c = cov.set_index("measure")["value"]
    shown_threshold = fmt.number(threshold, 0, lang)
    display.show_text(_t("coverage_text", lang, total=fmt.integer(c["directory_entries"], lang),
                         matched=fmt.integer(c["directory_matched"], lang), pct=_pct(c["directory_matched_pct"], lang),
                         threshold=shown_threshold, same_muni=_pct(c["matched_same_municipality_pct"], lang),
                         covered=fmt.integer(c["register_covered"], lang),
                         reg_total=fmt.integer(c["register_enterprises"], lang),
                         reg_pct=_pct(c["register_covered_pct"], lang),
                         cop_pct=_pct(c["register_covered_pct_COP"], lang),
                         ape_pct=_pct(c["register_covered_pct_APE"], lang)))
    source = _t("directory_source", lang)
    display.show_table(cov.assign(measure=[_t(f"cov_{m}", lang) for m in cov["measure"]]),
                       columns={"measure": _t("col_measure", lang), "value": _t("col_value", lang)},
                       formats={"value": "num1"}, caption=_t("coverage_caption", lang), lang=lang,
                       export="couverture_repertoire", source=source)
    display.show_note(_t("blocking_note", lang, scored=fmt.integer(matches.attrs["pairs_scored"], lang),
                         total=fmt.integer(matches.attrs["pairs_total"], lang)), kind="info")
    display.show_text(_t("review_text", lang))
    columns = {"directory_name": _t("col_directory_name", lang), "register_name": _t("col_register_name", lang),
               "legal_form": _t("col_form", lang), "score": _t("col_score", lang),
               "same_municipality": _t("col_same_muni", lang), "matched": _t("col_matched", lang)}
    display.show_table(ecosystem.matches_for_review(matches, n=review_pairs), columns=columns,
                       formats={"score": "num1"}, caption=_t("review_caption", lang, threshold=shown_threshold),
                       lang=lang, max_rows=None, source=source)
    display.export_csv(matches[list(columns)].rename(columns=columns), "correspondances_repertoire_registre")


def show_members(members: pd.DataFrame | None, lang: str = "fr") -> None:
    """The pole's members by category and type (:func:`analysis.ecosystem.member_counts`); nothing when absent.

    Parameters
    ----------
    members : DataFrame or None
        The table of :func:`analysis.ecosystem.load_pole_members`.
    lang : {"fr", "en"}
        Language of the report.
    """
    if members is None:
        return
    display.show_text(_t("members_text", lang, n=fmt.integer(len(members), lang)))
    counts = ecosystem.member_counts(members)
    for col in ("member_category", "enterprise_type"):
        counts[col] = [figures.code_label(v, lang) if v == ecosystem.territory.UNSPECIFIED else v for v in counts[col]]
    display.show_table(counts, columns={"member_category": _t("col_category", lang),
                                        "enterprise_type": _t("col_type", lang), "count": _t("col_members", lang)},
                       formats={"count": "int"}, caption=_t("members_caption", lang), lang=lang, max_rows=None,
                       export="membres_pole", source=_t("directory_source", lang))


# --------------------------------------------------------------------------------------------------------------
# Public purchasing


def show_initiatives(initiatives: pd.DataFrame, lang: str = "fr") -> None:
    """The 2011 public-purchasing initiatives and their performance indicators (seed 004).

    Parameters
    ----------
    initiatives : DataFrame
        The table of :func:`analysis.ecosystem.load_initiatives`.
    lang : {"fr", "en"}
        Language of the report.
    """
    n = ecosystem.count_initiative_indicators(initiatives)
    display.show_text(_t("initiatives_text", lang, n=fmt.integer(n, lang)))
    shown = initiatives.assign(kind=[_t(f"kind_{k}", lang) for k in initiatives["kind"]])
    display.show_table(shown, columns={"initiative": _t("col_initiative", lang),
                                       "initiative_label": _t("col_initiative_label", lang),
                                       "indicator_label": _t("col_perf", lang), "kind": _t("col_kind", lang),
                                       "target": _t("col_target", lang)},
                       formats={"target": "int"}, caption=_t("initiatives_caption", lang), lang=lang, max_rows=None,
                       export="initiatives_achat_public", source=_t("initiatives_source", lang))


def show_classifier(register: pd.DataFrame | None, labelled: pd.DataFrame, broad: bool, lang: str = "fr") -> None:
    """Recall of the supplier name patterns on the register (:func:`analysis.ecosystem.recall_on_register`) and
    precision on the hand-labelled names (:func:`analysis.ecosystem.evaluate_on_labelled`); nothing without the
    register.

    Parameters
    ----------
    register : DataFrame or None
        The table of :func:`analysis.ecosystem.load_register`.
    labelled : DataFrame
        The table of :func:`analysis.ecosystem.load_labelled_names`.
    broad : bool
        The ``broad_patterns`` parameter.
    lang : {"fr", "en"}
        Language of the report.
    """
    if register is None:
        return
    recall = ecosystem.recall_on_register(register, broad)
    rc = recall.set_index("legal_form")["recall_pct"]
    lab = ecosystem.evaluate_on_labelled(labelled, broad)
    missing = float("nan")
    display.show_text(_t("classifier_text", lang, n=fmt.integer(len(register), lang), recall=_pct(rc["total"], lang),
                         cop=_pct(rc.get("COP", missing), lang), ape=_pct(rc.get("APE", missing), lang),
                         ass=_pct(rc.get("ASS", missing), lang),
                         n_lab=fmt.integer(lab["tp"] + lab["fp"] + lab["fn"] + lab["tn"], lang),
                         precision=fmt.percent(lab["precision"], 0, lang, ratio=True),
                         recall_lab=fmt.percent(lab["recall"], 0, lang, ratio=True)))
    display.show_table(recall, columns={"legal_form": _t("col_form", lang), "positives": _t("col_positives", lang),
                                        "flagged": _t("col_flagged", lang), "recall_pct": _t("col_recall", lang)},
                       formats={"positives": "int", "flagged": "int", "recall_pct": "num1"},
                       caption=_t("recall_caption", lang), lang=lang, export="rappel_classement",
                       source=_t("register_source", lang))


def show_contract_shares(contracts: tuple[pd.DataFrame, pd.DataFrame] | None, register: pd.DataFrame | None,
                         broad: bool, lang: str = "fr") -> None:
    """Contracts read, rejected rows, and the share of contracts and value won by collective enterprises by buyer
    type, region and year (:func:`analysis.ecosystem.collective_shares`); nothing when no contract was read.

    Parameters
    ----------
    contracts : (DataFrame, DataFrame) or None
        What :func:`load_contracts` returned.
    register : DataFrame or None
        The register, to classify suppliers by NEQ or exact name first.
    broad : bool
        The ``broad_patterns`` parameter.
    lang : {"fr", "en"}
        Language of the report.
    """
    if contracts is None:
        return
    table, rejected = contracts
    files = len(table.attrs.get("paths", []))
    display.show_text(_t("contracts_text", lang, n=fmt.integer(len(table), lang), files=fmt.integer(files, lang),
                         rejected=fmt.integer(len(rejected), lang)))
    if len(rejected):
        reasons = [_t(f"reject_{r}", lang, value=v) for r, v in zip(rejected["reason"], rejected["value"])]
        display.show_table(rejected.assign(reason=reasons),
                           columns={"file": _t("col_file", lang), "line": _t("col_line", lang),
                                    "reason": _t("col_reason", lang)},
                           caption=_t("rejections_caption", lang), lang=lang, export="contrats_rejets")
    if table.empty:
        return
    for by in ecosystem.procurement.GROUPINGS:
        shares = ecosystem.collective_shares(table, by, register, broad)
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


def show_grant(examples: pd.DataFrame, share: float, ceiling: float, lang: str = "fr") -> None:
    """The programme's grant rule: text, the worked examples (:func:`analysis.ecosystem.grant_table`) and the grant
    curve (:func:`analysis.ecosystem.grant_curve`, to twice the cost where the ceiling binds, at least 50 000 $).

    Parameters
    ----------
    examples : DataFrame
        The table of :func:`analysis.ecosystem.grant_table`.
    share, ceiling : float
        The grant rule (:func:`analysis.ecosystem.grant_parameters`).
    lang : {"fr", "en"}
        Language of the report.
    """
    knee = ecosystem.ceiling_cost(share, ceiling)
    fields = {"share": fmt.percent(share, 0, lang, ratio=True), "ceiling": fmt.money(ceiling, 0, lang),
              "knee": fmt.money(knee, 0, lang)}
    display.show_text(_t("grant_text", lang, **fields))
    source = _t("grant_source", lang)
    display.show_table(examples, columns={"cost": _t("col_cost", lang), "grant": _t("col_grant", lang),
                                          "own_contribution": _t("col_own", lang),
                                          "effective_share": _t("col_eff_share", lang),
                                          "at_ceiling": _t("col_at_ceiling", lang)},
                       formats={"cost": "money", "grant": "money", "own_contribution": "money",
                                "effective_share": "share0"},
                       caption=_t("grant_caption", lang), lang=lang, export="aide_numerique_exemples", source=source)
    curve = ecosystem.grant_curve(share, ceiling, max(GRANT_CURVE_MIN_COST, 2 * knee))
    display.show_figure(figures.plot_grant_curve(curve, ceiling, knee, lang), alt=_t("grant_alt", lang, **fields),
                        source=source, lang=lang)


def show_reach(reach: pd.DataFrame, lang: str = "fr") -> None:
    """The programme's reach target and the grant per targeted enterprise
    (:func:`analysis.ecosystem.programme_reach`).

    Parameters
    ----------
    reach : DataFrame
        The table of :func:`analysis.ecosystem.programme_reach`.
    lang : {"fr", "en"}
        Language of the report.
    """
    rv = reach.set_index("measure")["value"]
    display.show_text(_t("reach_text", lang, target_pct=_pct(rv["target_share_pct"], lang, 0),
                         n=fmt.integer(rv["se_enterprises"], lang),
                         target_n=fmt.integer(rv["target_enterprises"], lang),
                         grant=fmt.money_short(rv["grant_cqcm"], lang),
                         per_ent=fmt.money(rv["grant_per_target_enterprise"], 0, lang),
                         max_grants=fmt.integer(rv["max_grants_at_ceiling"], lang)))
    display.show_table(reach.assign(measure=[_t(f"reach_{m}", lang) for m in reach["measure"]]),
                       columns={"measure": _t("col_measure", lang), "value": _t("col_value", lang)},
                       formats={"value": "num0"}, caption=_t("reach_caption", lang), lang=lang,
                       export="portee_programme", source=_t("reach_source", lang))
