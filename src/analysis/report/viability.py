"""Presentation of the viability report (``notebooks/viabilite_alimentaire.ipynb``): each ``show_*`` function takes
:mod:`analysis.food` results and shows the section's text, tables and figures in the report's language.

:func:`compute` loads the report's inputs and computes, once, every object the report shows
(:class:`ViabilityResults`); :func:`viability_brief` builds the « En bref » section from those objects and each
``show_*`` displays one section from them, so a number in the brief is the number of its section. Every word comes
from the ``viabilite`` label catalogue, every number goes through :mod:`analysis.report.fmt`, every figure is drawn
by :mod:`analysis.report.figures.food`. A dataset that cannot be had is recorded by :func:`compute` (its section
shows the "missing" note through :func:`show_missing`); :func:`if_available` passes ``None`` on instead of
computing, and every ``show_*`` function shows nothing for ``None`` (or its own note where the reader needs one).

Two generic helpers live here because the report layer's display module does not have them yet:
:func:`if_available` (compute only when the inputs were loaded) and :func:`load_dataset` (load or say what is
missing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import food
from analysis.core import external, paths
from analysis.core.errors import MissingDatasetError, ParameterError, VigieError
from analysis.ecosystem import indicators as ecosystem_indicators
from analysis.food import dashboard as food_dashboard
from analysis.food import foodhubs, ratios
from analysis.food.casebook import CASES_PATH, PUBLISHED_COUNTS_PATH, STATEMENTS_PATH
from analysis.food.survival import UK_WINDOW_START
from analysis.report import codes, display, fmt
from analysis.report.brief import Brief, Finding, section_link
from analysis.report.codes import code_label, code_labels
from analysis.report.figures import food as figures
from analysis.report.figures.food import VALUE_KINDS, format_value, label
from analysis.report.labels import t

STEM = "viabilite_alimentaire"
CASE_BOOK_FILES = (CASES_PATH, STATEMENTS_PATH, PUBLISHED_COUNTS_PATH, Path("food_cases/financials_template.csv"))
INDICATORS_FILE = paths.RAW / "ecosystem" / "indicators.csv"
DATASET_PARAMETERS = ("food_hub_survey", "coops_uk_organisations", "coops_uk_economy")


# ---- generic helpers -------------------------------------------------------------------------------------------
def if_available(function: Callable[..., Any], *data: Any, **options: Any) -> Any:
    """``function(*data, **options)``, or ``None`` when one of ``data`` is ``None`` (a dataset that is missing).

    Lets a report cell read as one domain call, ``BY_STATUS = viability.if_available(food.breakeven_by_status,
    HUBS)``, whether or not the survey could be loaded.
    """
    if any(value is None for value in data):
        return None
    return function(*data, **options)


def dataset_name(source: str) -> str:
    """How a data parameter is named in a note: the registry name of ``external:<name>``, else the path."""
    return str(source).removeprefix("external:")


def load_dataset(loader: Callable[[str], pd.DataFrame], source: str, lang: str = "fr") -> pd.DataFrame | None:
    """``loader(source)``, or ``None`` after a "missing dataset" note naming it and ``make data``.

    ``source`` is a report data parameter (``external:<name>`` or a path); other errors (a corrupt file) are not
    caught: the report stops with one line naming the file.
    """
    try:
        return loader(source)
    except MissingDatasetError:
        display.show_note(t("common.missing_dataset", lang, name=dataset_name(source)), kind="missing")
        return None


def load_quebec_indicators() -> pd.DataFrame | None:
    """The ecosystem indicators (Québec survival rates, share of old enterprises), or ``None`` if unreadable."""
    try:
        return ecosystem_indicators.load_indicators(INDICATORS_FILE)
    except VigieError:
        return None


def report_inputs(params: Mapping[str, Any]) -> list[Path]:
    """The files the report read, for its provenance: the case book's tables, the ecosystem indicators, the
    external datasets that are present and the statements file when one is given and exists."""
    inputs = [paths.RAW / f for f in CASE_BOOK_FILES]
    if load_quebec_indicators() is not None:
        inputs.append(INDICATORS_FILE)
    hubs = external.resolve_source(params["food_hub_survey"])
    orgs = external.resolve_source(params["coops_uk_organisations"])
    economy = external.resolve_source(params["coops_uk_economy"])
    inputs += [p for p in (hubs, orgs) if p.exists()]
    if orgs.exists() and economy.exists():
        inputs.append(economy)
    if params.get("statements"):
        statements = external.resolve_source(params["statements"])
        if statements.exists():
            inputs.append(statements)
    return inputs


def report_datasets(params: Mapping[str, Any]) -> list[str]:
    """The registry datasets the report's data parameters name (for the attribution table)."""
    return [params[k].split(":", 1)[1] for k in DATASET_PARAMETERS if str(params[k]).startswith("external:")]


# ---- every object the report shows, computed once ---------------------------------------------------------------
@dataclass(frozen=True)
class StatementsNote:
    """Why section 4 has no ratios (or which fictitious statements it shows): a catalogue entry, its fields, a kind."""

    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    kind: str = "info"


@dataclass(frozen=True)
class ViabilityResults:
    """Every object the viability report shows, computed once by :func:`compute` (None where an input is absent).

    The sections (``show_*``, called with these attributes) and the brief (:func:`viability_brief`) read these
    objects; none recomputes them. ``absent`` maps a data parameter (``food_hub_survey``,
    ``coops_uk_organisations``, ``coops_uk_economy``) to the dataset name its "missing" note gives.
    """

    params: dict[str, Any]
    cases_all: pd.DataFrame
    cases: pd.DataFrame
    indicators: pd.DataFrame
    published: pd.DataFrame
    reconciled: pd.DataFrame
    tests: pd.DataFrame
    fisher: pd.DataFrame
    margins: pd.DataFrame
    statements: pd.DataFrame
    challenges: pd.DataFrame
    success_factors: pd.DataFrame
    theme_counts: pd.DataFrame
    hubs: pd.DataFrame | None
    hub_flags: pd.DataFrame | None
    hub_waves: pd.DataFrame | None
    hub_artefact: dict[str, Any] | None
    by_status: pd.DataFrame | None
    model: dict[str, Any] | None
    by_age: pd.DataFrame | None
    by_status_rest: pd.DataFrame | None
    model_rest: dict[str, Any] | None
    orgs: pd.DataFrame | None
    economy: pd.DataFrame | None
    sectors: pd.DataFrame | None
    finances: pd.DataFrame | None
    subsector_finances: pd.DataFrame | None
    latest_accounts: pd.DataFrame | None
    fin_statements: pd.DataFrame | None
    statements_note: StatementsNote | None
    ratios: pd.DataFrame | None
    latest_ratios: pd.DataFrame | None
    tc_flags: pd.DataFrame | None
    qc_indicators: pd.DataFrame | None
    quebec: pd.DataFrame
    survival: pd.DataFrame | None
    at_horizons: pd.DataFrame | None
    naive: pd.DataFrame | None
    logrank: pd.DataFrame | None
    sector_survival: pd.DataFrame | None
    sector_logrank: pd.DataFrame | None
    survival_excluded: pd.DataFrame | None
    km: pd.DataFrame | None
    ages: dict[str, Any]
    dashboard: pd.DataFrame
    ratio_dashboard: pd.DataFrame | None
    absent: dict[str, str]


def _date_parameter(params: Mapping[str, Any], name: str) -> pd.Timestamp | None:
    """A date parameter (``YYYY-MM-DD``) as a Timestamp, None when empty; a bad value names the parameter."""
    value = params.get(name)
    if value is None:
        return None
    stamp = pd.to_datetime(str(value), format="%Y-%m-%d", errors="coerce")
    if pd.isna(stamp):
        raise ParameterError(f"expected a date YYYY-MM-DD, got {value!r}", field=name)
    return stamp


def _load(loader: Callable[[str], pd.DataFrame], params: Mapping[str, Any], name: str,
          absent: dict[str, str]) -> pd.DataFrame | None:
    """``loader(params[name])``, or None with the dataset's name recorded in ``absent``."""
    try:
        return loader(params[name])
    except MissingDatasetError:
        absent[name] = dataset_name(params[name])
        return None


def financial_statements(statements: str | None,
                         synthetic_seed: int | None) -> tuple[pd.DataFrame | None, StatementsNote | None]:
    """The statements the report computes ratios on, and the note section 4 shows in their place (if any).

    ``statements`` (a path) wins; else ``synthetic_seed`` gives fictitious statements
    (:func:`analysis.food.generate_synthetic_statements`); else the note explains how to supply them. A missing
    or invalid file gets its own note. An empty file gives ``None`` without a note.

    Parameters
    ----------
    statements : str or None
        The ``statements`` parameter.
    synthetic_seed : int or None
        The ``synthetic_seed`` parameter.

    Returns
    -------
    (DataFrame or None, StatementsNote or None)
    """
    if statements is not None:
        try:
            table = food.load_financial_statements(statements)
        except MissingDatasetError:
            return None, StatementsNote("viabilite.ratios_missing", {"path": statements}, "missing")
        except VigieError as err:
            return None, StatementsNote("viabilite.ratios_invalid", {"error": err.one_line()}, "missing")
    elif synthetic_seed is not None:
        table = food.generate_synthetic_statements(synthetic_seed)
    else:
        return None, StatementsNote("viabilite.ratios_howto")
    return (table if len(table) else None), None


def compute(params: Mapping[str, Any]) -> ViabilityResults:
    """Load the report's inputs and compute every object it shows.

    Parameters
    ----------
    params : mapping
        The report's checked parameters ``P`` (:func:`analysis.report.notebook.start`; every key of
        ``params/viabilite_alimentaire/_schema.yaml``).

    Returns
    -------
    ViabilityResults
        The cases and their tests, margins and themes; the food-hub survey's flags, break-even shares and model,
        with and without the waves whose published expense ratio departs from expenses / revenue; the
        Co-operatives UK finances and survival (censored at ``survival_censoring`` or, by default, at the
        extract's last recorded dissolution); the ratios of the statements given; the dashboards. Absent datasets
        are None, named in ``absent``.

    Raises
    ------
    ParameterError
        A date parameter that is not a date (``survival_window_start``, ``survival_censoring``).
    VigieError
        An input that exists but cannot be read (the error names the file, line and field).

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. *Journal of the
    American Statistical Association*, 53(282), 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis: Techniques for Censored and Truncated Data*
    (2nd ed.). Springer (delayed entry: §4.6).
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the
    American Statistical Association*, 22(158), 209–212.
    Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic Regression* (3rd ed.). Wiley.
    """
    p = dict(params)
    window_start = _date_parameter(p, "survival_window_start")
    censoring = _date_parameter(p, "survival_censoring")
    absent: dict[str, str] = {}
    startup = p["startup_max_years"]
    cases_all = food.load_cases()
    cases = food.select_cases(cases_all, p["statuses"], p["regions"])
    ind = food.case_indicators(cases)
    published = food.load_published_counts()
    margins = food.margin_cases(cases, p["fixed_cost"])
    statements = food.load_case_statements()

    hubs = _load(food.load_food_hub_survey, p, "food_hub_survey", absent)
    hub_waves = if_available(food.reported_oer_by_wave, hubs)
    artefact = if_available(food.reported_oer_artefact, hub_waves)
    rest = food.without_survey_waves(hubs, artefact["waves"]) if artefact and artefact["waves"] else None

    orgs = _load(food.load_coops_uk_organisations, p, "coops_uk_organisations", absent)
    economy = _load(food.load_coops_uk_economy, p, "coops_uk_economy", absent)
    survival = if_available(food.prepare_survival, orgs, window_start=window_start, window_end=censoring)
    known_sector = survival[survival["sector"] != ""] if survival is not None else None
    longest = [max(p["survival_horizons"])]

    fin_statements, note = financial_statements(p["statements"], p["synthetic_seed"])
    ratios_table = if_available(food.compute_ratios, fin_statements)
    latest_ratios = if_available(food.latest_year, ratios_table)
    qc_indicators = load_quebec_indicators()
    return ViabilityResults(
        params=p, cases_all=cases_all, cases=cases, indicators=ind, published=published,
        reconciled=food.reconcile_case_counts(cases_all, published), tests=food.exact_group_tests(ind),
        fisher=food.fisher_tests(food.case_features(ind)), margins=margins, statements=statements,
        challenges=food.theme_matrix(statements, cases, ["challenge"]),
        success_factors=food.theme_matrix(statements, cases, ["success_factor"]),
        theme_counts=food.reconcile_theme_counts(statements, published),
        hubs=hubs, hub_flags=if_available(food.hub_flag_counts, hubs), hub_waves=hub_waves, hub_artefact=artefact,
        by_status=if_available(food.breakeven_by_status, hubs),
        model=if_available(food.fit_breakeven_model, hubs, startup_max_years=startup),
        by_age=if_available(food.breakeven_by_age, hubs, startup_max_years=startup),
        by_status_rest=if_available(food.breakeven_by_status, rest),
        model_rest=if_available(food.fit_breakeven_model, rest, startup_max_years=startup),
        orgs=orgs, economy=economy, sectors=if_available(food.coops_uk_sector_counts, orgs),
        finances=if_available(food.coops_uk_finances, economy, orgs),
        subsector_finances=if_available(food.coops_uk_finances, economy, orgs, by="food_subsector"),
        latest_accounts=if_available(food.latest_accounts, economy, orgs),
        fin_statements=fin_statements, statements_note=note, ratios=ratios_table, latest_ratios=latest_ratios,
        tc_flags=if_available(food.tuckman_chang_flags, latest_ratios, p["thresholds"]),
        qc_indicators=qc_indicators, quebec=food.quebec_survival(qc_indicators, p["quebec_survival"]),
        survival=survival,
        at_horizons=if_available(food.survival_at, survival, p["survival_horizons"], group="sector_group"),
        naive=if_available(food.naive_vs_truncated, survival, p["survival_horizons"], group="sector_group"),
        logrank=if_available(food.logrank_test, survival, group="sector_group"),
        sector_survival=if_available(food.survival_at, known_sector, longest, group="sector"),
        sector_logrank=if_available(food.logrank_test, known_sector, group="sector"),
        survival_excluded=if_available(food.survival_exclusions, survival),
        km=if_available(food.km_survival, survival, group="sector_group"),
        ages=food.age_benchmark(ind),
        dashboard=food.case_dashboard(ind, margins, p["thresholds"]),
        ratio_dashboard=if_available(food.ratio_dashboard, latest_ratios, p["thresholds"]),
        absent=absent,
    )


def show_missing(results: ViabilityResults, *names: str, lang: str = "fr") -> None:
    """The "missing dataset" note of each data parameter in ``names`` whose dataset :func:`compute` could not load.

    Parameters
    ----------
    results : ViabilityResults
        What :func:`compute` returned.
    *names : str
        Data parameters (``food_hub_survey``, ``coops_uk_organisations``, ``coops_uk_economy``), in display order.
    lang : {"fr", "en"}
        Language of the report.
    """
    for name in names:
        if name in results.absent:
            display.show_note(t("common.missing_dataset", lang, name=results.absent[name]), kind="missing")


def _table(df: pd.DataFrame, columns: Mapping[str, str], lang: str, formats: Mapping[str, str] | None = None,
           **options: Any) -> None:
    """Show ``df`` reduced to ``columns`` (data column → label key) and renamed, ``formats`` keyed by data column."""
    headers = {c: t(f"viabilite.{key}", lang) for c, key in columns.items()}
    shown = df[list(headers)].rename(columns=headers)
    display.show_table(shown, formats={headers[c]: k for c, k in (formats or {}).items() if c in headers}, lang=lang,
                       max_rows=None, **options)


def p_phrase(value: float, lang: str = "fr") -> str:
    """A p-value inside a sentence: ``p = 0,046`` or ``p < 0,001``."""
    text = fmt.pvalue(value, lang)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def model_term_label(term: str, lang: str = "fr") -> str:
    """A readable label for a break-even model term (``legal_status[cooperative]``, ``survey_year[2015]``, …)."""
    if "[" not in term or not term.endswith("]"):
        return label("term", term, lang)
    var, level = term[:-1].split("[", 1)
    if var == "legal_status":
        return f"{t('viabilite.term_legal_status', lang)} : {label('hub', level, lang)}"
    if var == "grant_dependence":
        return f"{t('viabilite.term_grant_dependence', lang)} : {label('grant', level, lang)}"
    if var == "survey_year":
        return f"{t('viabilite.term_survey_year', lang)} {level}"
    return term


def format_rows(df: pd.DataFrame, kind_column: str, kinds: Mapping[str, str], columns: Sequence[str],
                lang: str = "fr") -> pd.DataFrame:
    """Format ``columns`` as text, choosing the format of each row from its ``kind_column`` value (mixed units)."""
    out = df.copy()
    for col in columns:
        out[col] = [format_value(v, kinds.get(k, "num1"), lang) for v, k in zip(df[col], df[kind_column])]
    return out


# ---- section 1: the TIESS cases --------------------------------------------------------------------------------
SOURCE_CASES = "viabilite.source_cases"


def _counts(indicators: pd.DataFrame) -> tuple[int, int]:
    n_coop = int((indicators["status_group"] == "coop").sum())
    return n_coop, len(indicators) - n_coop


def show_cases_intro(indicators: pd.DataFrame, lang: str = "fr") -> None:
    """How many cases the parameters keep (co-ops and non-profits); a warning when none is kept."""
    n_coop, n_obnl = _counts(indicators)
    display.show_text(t("viabilite.cases_intro", lang, n=len(indicators), n_coop=n_coop, n_obnl=n_obnl))
    if len(indicators) == 0:
        display.show_note(t("viabilite.cases_none", lang), kind="warning")


def _roles_text(value: object, lang: str) -> str:
    if not isinstance(value, str) or not value:
        return fmt.MISSING
    return ", ".join(label("role", r, lang) for r in value.split(";"))


def _approx(value: object, field: str, flags: str, kind: str, lang: str) -> str:
    text = fmt.money(value, 0, lang) if kind == "money" else fmt.integer(value, lang)
    if text == fmt.MISSING:
        return text
    mark = food.parse_marks(flags).get(field)
    return f"{mark} {text}" if mark else text


def _founded(row: Any, lang: str) -> str:
    """The founding year, or the decade and the latest possible year when the book gives only the decade."""
    if pd.notna(row.founded_year) or pd.isna(row.age_min) or pd.isna(row.age_max) or row.age_min == row.age_max:
        return fmt.year(row.founded_year)
    earliest, latest = row.reference_year - row.age_max, row.reference_year - row.age_min
    return t("viabilite.founded_bounds", lang, earliest=fmt.year(earliest), latest=fmt.year(latest))


def profile_table(indicators: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The cases' profile as a display table (labels from the catalogue, ≈ and ≥ marks on approximate values, the
    founding decade where the book gives no year, and the food activity's revenue beside the whole revenue)."""
    def col(key: str) -> str:
        return t(f"viabilite.{key}", lang)

    rows = []
    for r in indicators.itertuples(index=False):
        rows.append({
            col("col_case"): r.name,
            col("col_status"): label("status", r.legal_status, lang),
            col("col_region"): r.region if isinstance(r.region, str) and r.region else fmt.MISSING,
            col("col_zone"): label("zone", r.geographic_zone, lang),
            col("col_scale"): label("scale", r.territorial_scale, lang),
            col("col_roles"): _roles_text(r.food_system_roles, lang),
            col("col_founded"): _founded(r, lang),
            col("col_employees"): _approx(r.employees, "employees", r.approximate, "int", lang),
            col("col_volunteers"): _approx(r.volunteers, "volunteers", r.approximate, "int", lang),
            col("col_members"): _approx(r.members, "members", r.approximate, "int", lang),
            col("col_revenue"): _approx(r.revenue_cad, "revenue_cad", r.approximate, "money", lang),
            col("col_food_revenue"): _approx(r.food_revenue_cad, "food_revenue_cad", r.approximate, "money", lang),
        })
    return pd.DataFrame(rows)


INDICATOR_TABLE = ("revenue_per_employee", "volunteers_per_employee", "members_per_employee", "age_years")


def inexact_remark(row: Any, lang: str = "fr") -> str:
    """What to keep in mind when reading a case's indicators: its approximate values and bounds (``≈``, ``≥``,
    ``≤``) and a revenue that covers more than the food activity (CSUR), or "" when every value is exact."""
    marks = food.parse_marks(row.approximate)
    items = [f"{label('ind', name, lang)} {marks[name]}" for name in INDICATOR_TABLE if name in marks]
    if row.food_revenue_partial:
        items.append(t("viabilite.remark_whole_revenue", lang, food=fmt.money(row.food_revenue_cad, 0, lang)))
    return "; ".join(items)


def show_case_profile(indicators: pd.DataFrame, lang: str = "fr") -> None:
    """Profile of the cases kept: status, region, zone, scale, roles, founding year, staff, members, revenue."""
    if len(indicators) == 0:
        return
    display.show_table(profile_table(indicators, lang), caption=t("viabilite.profile_caption", lang), lang=lang,
                       max_rows=None, export="cas_profil", source=t(SOURCE_CASES, lang))


def _comment(recomputed: object, published: object, lang: str) -> str:
    if pd.isna(published):
        return t("viabilite.comment_not_printed", lang)
    if pd.isna(recomputed):
        return t("viabilite.comment_not_recomputable", lang)
    if int(recomputed) == int(published):
        return t("viabilite.comment_match", lang)
    return t("viabilite.comment_diff", lang, published=int(published), recomputed=int(recomputed))


def _category(dimension: str, category: str, lang: str) -> str:
    prefix = {"status": "status", "geographic_zone": "zone", "territorial_scale": "scale",
              "food_system_role": "role"}.get(dimension, "category")
    if category == "total":
        return label("category", "total", lang)
    text = label(prefix, category, lang)
    return text if text != category else label("category", category, lang)


def _floats(column: pd.Series) -> np.ndarray:
    return column.astype("Float64").to_numpy(float, na_value=np.nan)


def reconciliation_table(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """:func:`analysis.food.reconcile_case_counts` output as a display table with labels and comments."""
    def col(key: str) -> str:
        return t(f"viabilite.{key}", lang)

    return pd.DataFrame({
        col("col_dimension"): [label("dimension", d, lang) for d in table["dimension"]],
        col("col_category"): [
            _category(d, c, lang) + ("" if pd.isna(s) or s == "" else " " + label("subcategory", s, lang))
            for d, c, s in zip(table["dimension"], table["category"], table["subcategory"])],
        col("col_recomputed"): _floats(table["recomputed"]),
        col("col_published"): _floats(table["published"]),
        col("col_difference"): _floats(table["difference"]),
        col("col_comment"): [_comment(r, p, lang) for r, p in zip(table["recomputed"], table["published"])],
    })


def show_case_reconciliation(reconciled: pd.DataFrame, cases: pd.DataFrame, lang: str = "fr") -> None:
    """The book's printed counts against the counts recomputed from all its cases (``cases``, unfiltered)."""
    diff = food.count_differences(reconciled, "recomputed", "published")
    status = reconciled[(reconciled["dimension"] == "status") & reconciled["subcategory"].isna()]
    printed = status.set_index("category")["published"]
    n_coop = int((food.status_group(cases["legal_status"]) == "coop").sum())
    display.show_text(t("viabilite.reconcile_text", lang, n_diff=diff["n_diff"], n_compared=diff["n_compared"],
                        n_coop=n_coop, pub_coop=printed["coop_total"], pub_obnl=printed["obnl"],
                        pub_total=printed["total"], n_cases=len(cases)))
    counts = {t(f"viabilite.col_{c}", lang): "int" for c in ("recomputed", "published", "difference")}
    display.show_table(reconciliation_table(reconciled, lang), formats=counts,
                       caption=t("viabilite.reconcile_caption", lang), lang=lang, max_rows=None,
                       export="cas_concordance", source=t(SOURCE_CASES, lang))


def show_case_indicators(indicators: pd.DataFrame, lang: str = "fr") -> None:
    """Revenue, volunteers and members per employee of each case, with the range of revenue per employee and, per
    case, the values the book gives only approximately or as a bound (:func:`inexact_remark`)."""
    if len(indicators) == 0:
        return
    rpe = food.summarize_range(indicators["revenue_per_employee"])
    display.show_text(t("viabilite.indicators_text", lang, rpe_min=fmt.money(rpe["min"], 0, lang),
                        rpe_max=fmt.money(rpe["max"], 0, lang), rpe_median=fmt.money(rpe["median"], 0, lang),
                        n=rpe["n"]))
    shown = indicators.assign(status_group=[label("group", g, lang) for g in indicators["status_group"]],
                              remark=[inexact_remark(r, lang) for r in indicators.itertuples(index=False)])
    _table(shown, {"name": "col_case", "status_group": "col_group", "age_years": "col_age",
                   "employees": "col_employees", "revenue_per_employee": "ind_revenue_per_employee",
                   "volunteers_per_employee": "ind_volunteers_per_employee",
                   "members_per_employee": "ind_members_per_employee", "remark": "col_inexact"}, lang,
           formats={"age_years": "int", "employees": "int", "revenue_per_employee": "money",
                    "volunteers_per_employee": "num1", "members_per_employee": "num1"},
           caption=t("viabilite.indicators_caption", lang), export="cas_indicateurs", source=t(SOURCE_CASES, lang))


def show_group_tests(indicators: pd.DataFrame, tests: pd.DataFrame, fisher: pd.DataFrame, lang: str = "fr") -> None:
    """Co-ops vs non-profits: the warning on what ten cases can show, exact rank and permutation tests, Fisher
    tests of their traits (a note instead when a group has fewer than two cases)."""
    if len(indicators) == 0:
        return
    n_coop, n_obnl = _counts(indicators)
    if n_coop < 2 or n_obnl < 2:
        display.show_note(t("viabilite.tests_too_few", lang), kind="warning")
        return
    display.show_note(t("viabilite.tests_warning", lang, n_coop=n_coop, n_obnl=n_obnl,
                        min_p=fmt.number(food.min_exact_p(n_coop, n_obnl), 3, lang)), kind="warning")
    p_min = float(tests["p_mannwhitney"].min())
    display.show_text(t("viabilite.tests_text" if p_min >= 0.05 else "viabilite.tests_text_some", lang,
                        p_min=fmt.pvalue(p_min, lang)))
    shown = format_rows(tests, "indicator", {"revenue_per_employee": "money"}, ["median_coop", "median_obnl"], lang)
    shown = shown.assign(indicator=[label("ind", i, lang) for i in tests["indicator"]])
    _table(shown, {"indicator": "col_indicator", "n_coop": "col_n_coop", "n_obnl": "col_n_obnl",
                   "median_coop": "col_median_coop", "median_obnl": "col_median_obnl", "u_statistic": "col_u",
                   "p_mannwhitney": "col_p_mw", "p_permutation": "col_p_perm", "n_splits": "col_splits",
                   "min_p": "col_min_p", "n_inexact": "col_n_inexact"}, lang,
           formats={"n_coop": "int", "n_obnl": "int", "u_statistic": "num1", "p_mannwhitney": "p",
                    "p_permutation": "p", "n_splits": "int", "min_p": "p", "n_inexact": "int"},
           caption=t("viabilite.tests_caption", lang), export="cas_tests_exacts", source=t(SOURCE_CASES, lang))
    shown = fisher.assign(trait=[label("trait", x, lang) for x in fisher["trait"]])
    _table(shown, {"trait": "col_trait", "n": "col_n", "coop_yes": "col_coop_yes", "coop_no": "col_coop_no",
                   "obnl_yes": "col_obnl_yes", "obnl_no": "col_obnl_no", "odds_ratio": "col_odds",
                   "p_fisher": "col_p_fisher"}, lang,
           formats={"n": "int", "coop_yes": "int", "coop_no": "int", "obnl_yes": "int", "obnl_no": "int",
                    "odds_ratio": "num2", "p_fisher": "p"},
           caption=t("viabilite.fisher_caption", lang), export="cas_fisher", source=t(SOURCE_CASES, lang))


def _reading_text(m: Any, lang: str) -> str:
    """A row of :func:`analysis.food.margin_cases` named for a list: ``Marché X 15 %`` or, read as a markup on cost,
    ``Marché X 15 % en majoration du coût (13,0 % des ventes)``."""
    margin = fmt.percent(m.margin, 0, lang, ratio=True)
    if m.reading == "markup_on_cost":
        return t("viabilite.be_alt_markup", lang, name=m.name, margin=margin,
                 on_sales=fmt.percent(m.margin_on_sales, 1, lang, ratio=True))
    return f"{m.name} {margin}"


def show_break_even(margins: pd.DataFrame, fixed_cost: float, lang: str = "fr") -> None:
    """The distribution models with a stated margin: one sentence per reading of each margin (share of the sale
    price; markup on cost where the book leaves it open), the table and the break-even chart."""
    if margins.empty:
        display.show_note(t("viabilite.margin_none", lang), kind="info")
        return

    def money(v: float) -> str:
        return fmt.money(v, 0, lang)

    def share(v: float) -> str:
        return fmt.percent(v, 0, lang, ratio=True)

    lines = [t("viabilite.margin_intro", lang, n=margins["case_id"].nunique(), fixed=money(fixed_cost))]
    for m in margins.itertuples(index=False):
        key = "viabilite.margin_case_markup" if m.reading == "markup_on_cost" else "viabilite.margin_case"
        lines.append("- " + t(key, lang, name=m.name, margin=share(m.margin),
                              on_sales=fmt.percent(m.margin_on_sales, 1, lang, ratio=True),
                              gm=money(m.gross_margin_per_employee), be=money(m.break_even_sales),
                              rev=money(m.revenue_cad), cover=fmt.number(m.sales_to_break_even, 1, lang)))
    notes = [t("viabilite.margin_note", lang)]
    both = list(dict.fromkeys(margins.loc[margins["reading"] == "markup_on_cost", "name"]))
    if both:
        notes.append(t("viabilite.margin_readings_note", lang, names=", ".join(both)))
    display.show_text("\n".join(lines[:1]) + "\n\n" + "\n".join(lines[1:]) + "\n\n" + " ".join(notes))
    shown = margins.assign(reading=[label("reading", r, lang) for r in margins["reading"]])
    _table(shown, {"name": "col_case", "margin": "col_margin", "reading": "col_reading",
                   "margin_on_sales": "col_margin_on_sales", "revenue_cad": "col_revenue",
                   "employees": "col_employees", "gross_margin_cad": "col_gross_margin",
                   "gross_margin_per_employee": "col_gm_per_emp", "fixed_cost": "col_fixed",
                   "break_even_sales": "col_break_even", "sales_to_break_even": "col_coverage"}, lang,
           formats={"margin": "share0", "margin_on_sales": "share", "revenue_cad": "money", "employees": "int",
                    "gross_margin_cad": "money", "gross_margin_per_employee": "money", "fixed_cost": "money",
                    "break_even_sales": "money", "sales_to_break_even": "num1"},
           caption=t("viabilite.margin_caption", lang), export="cas_seuil_rentabilite", source=t(SOURCE_CASES, lang))
    fig = figures.plot_break_even(margins, fixed_cost, lang)
    revenues = margins.drop_duplicates("case_id")["revenue_cad"]
    display.show_figure(fig, alt=t("viabilite.be_alt_generic", lang,
                                   cases_list=", ".join(_reading_text(m, lang) for m in margins.itertuples()),
                                   fixed=money(fixed_cost),
                                   be_list=", ".join(money(v) for v in margins["break_even_sales"]),
                                   rev_list=", ".join(money(v) for v in revenues)),
                        source=t(SOURCE_CASES, lang), lang=lang)


def show_theme_heatmaps(challenges: pd.DataFrame, success_factors: pd.DataFrame, cases: pd.DataFrame,
                        lang: str = "fr") -> None:
    """The coded challenges and success factors of the cases kept, one heatmap each (enterprise × theme)."""
    if len(cases) == 0:
        return
    total = int(challenges.to_numpy().sum() + success_factors.to_numpy().sum())
    display.show_text(t("viabilite.themes_text", lang, n_statements=total))
    names = dict(zip(cases["case_id"], cases["name"]))
    for kind, matrix in (("challenge", challenges), ("success_factor", success_factors)):
        summary = food.matrix_summary(matrix)
        fig = figures.plot_theme_heatmap(matrix, kind, names, lang)
        display.show_figure(fig, alt=t("viabilite.heat_alt", lang, total=summary["total"],
                                       kind=label("kind", kind, lang), n_cases=len(matrix),
                                       top_theme=label("theme", summary["top_theme"], lang),
                                       top_count=summary["top_count"], top_case=names[summary["top_case"]],
                                       top_case_count=summary["top_case_count"]),
                            source=t(SOURCE_CASES, lang), lang=lang)


def theme_reconciliation_table(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """:func:`analysis.food.reconcile_theme_counts` output as a display table."""
    def col(key: str) -> str:
        return t(f"viabilite.{key}", lang)

    return pd.DataFrame({
        col("col_theme"): [label("theme", x, lang) for x in table["theme"]],
        col("col_subtheme"): [label("subtheme", "all" if x == "(all)" else x, lang) for x in table["subtheme"]],
        col("col_phase"): [label("phase", x, lang) for x in table["phase"]],
        col("col_kind"): [label("kind", x, lang) for x in table["kind"]],
        col("col_rec_mentions"): _floats(table["recomputed_mentions"]),
        col("col_pub_mentions"): _floats(table["published_mentions"]),
        col("col_rec_ent"): _floats(table["recomputed_enterprises"]),
        col("col_pub_ent"): _floats(table["published_enterprises"]),
    })


def show_theme_reconciliation(theme_counts: pd.DataFrame, lang: str = "fr") -> None:
    """Our coded mentions against the mentions the book prints, by theme and subtheme (all cases)."""
    diff = food.count_differences(theme_counts, "recomputed_mentions", "published_mentions")
    display.show_text(t("viabilite.themes_compare_text", lang, n_compared=diff["n_compared"],
                        n_equal=diff["n_equal"], max_gap=diff["max_gap"]))
    display.show_table(theme_reconciliation_table(theme_counts, lang),
                       formats={t(f"viabilite.col_{c}", lang): "int"
                                for c in ("rec_mentions", "pub_mentions", "rec_ent", "pub_ent")},
                       caption=t("viabilite.themes_caption", lang), lang=lang, max_rows=None,
                       export="themes_concordance", source=t(SOURCE_CASES, lang))


# ---- section 2: food hubs ----------------------------------------------------------------------------------------
SOURCE_HUBS = "viabilite.source_hubs"


def show_hubs_intro(hubs: pd.DataFrame | None, lang: str = "fr") -> None:
    """What the food hub survey holds (nothing when it is missing: :func:`load_dataset` said so)."""
    if hubs is None:
        return
    display.show_text(t("viabilite.hubs_intro", lang, n_rows=fmt.integer(len(hubs), lang)))


def flag_description(flag: str, lang: str = "fr") -> str:
    """What a food-hub plausibility flag means, in ``lang``."""
    return t(f"viabilite.hubflag_{flag}", lang, low=fmt.number(foodhubs.OER_LOW, 1, lang),
             high=fmt.number(foodhubs.OER_HIGH, 1, lang))


def show_hub_flags(flags: pd.DataFrame | None, lang: str = "fr") -> None:
    """Responses carrying each plausibility flag (:func:`analysis.food.hub_flag_counts`)."""
    if flags is None:
        return
    shown = flags.assign(description=[flag_description(f, lang) for f in flags["flag"]],
                         flag=code_labels(flags["flag"], "hub_flag", lang))
    _table(shown, {"flag": "col_flag", "n_rows": "col_rows", "description": "col_description"}, lang,
           formats={"n_rows": "int"}, caption=t("viabilite.hub_ledger_caption", lang),
           export="carrefours_signalements", source=t(SOURCE_HUBS, lang))


def _waves_text(waves: Sequence[int], lang: str) -> str:
    return ", ".join(str(w) for w in waves)


def show_reported_oer(by_wave: pd.DataFrame | None, artefact: Mapping[str, Any] | None, lang: str = "fr") -> None:
    """Where the survey's published expense ratio departs from expenses / revenue: the wave, the factor computed
    from the data (:func:`analysis.food.reported_oer_artefact`) and the table by wave."""
    if by_wave is None or artefact is None:
        return
    waves = artefact["waves"]
    if not waves:
        display.show_text(t("viabilite.hub_oer_text_none", lang))
    elif len(waves) == 1:
        display.show_text(t("viabilite.hub_oer_text", lang, n_differs=fmt.integer(artefact["n_differs"], lang),
                            wave=waves[0], factor=fmt.number(artefact["factor"], 3, lang),
                            n_at_factor=fmt.integer(artefact["n_at_factor"], lang),
                            n_compared=fmt.integer(artefact["n_compared"], lang)))
    else:
        display.show_text(t("viabilite.hub_oer_text_several", lang,
                            n_differs=fmt.integer(artefact["n_differs"], lang), waves=_waves_text(waves, lang)))
    _table(by_wave, {"survey_year": "col_wave", "n": "col_rows", "n_compared": "col_n_compared",
                     "n_differs": "col_n_differs", "ratio_median": "col_ratio_median",
                     "n_at_factor": "col_n_at_factor"}, lang,
           formats={"survey_year": "year", "n": "int", "n_compared": "int", "n_differs": "int",
                    "ratio_median": lambda v: fmt.number(v, 3, lang), "n_at_factor": "int"},
           caption=t("viabilite.hub_oer_caption", lang), export="carrefours_ratio_publie",
           source=t(SOURCE_HUBS, lang))


def _excludes_one(model: Mapping[str, Any]) -> bool:
    """True when the co-op odds ratio's 95 % interval lies on one side of 1."""
    coop = model["odds_ratios"].set_index("term").loc["legal_status[cooperative]"]
    return bool(coop["ci_low"] > 1 or coop["ci_high"] < 1)


def sensitivity_table(by_status: pd.DataFrame, model: Mapping[str, Any], by_status_rest: pd.DataFrame,
                      model_rest: Mapping[str, Any], waves: Sequence[int]) -> pd.DataFrame:
    """The co-op vs non-profit break-even result with every wave and without ``waves``, one row each.

    Parameters
    ----------
    by_status, by_status_rest : DataFrame
        :func:`analysis.food.breakeven_by_status` with every wave and without ``waves``.
    model, model_rest : dict
        :func:`analysis.food.fit_breakeven_model` with every wave and without ``waves``.
    waves : sequence of int
        The waves left out in the second row.

    Returns
    -------
    DataFrame
        ``sample`` (``all_waves`` / ``without``), for co-ops and non-profits the break-even share with its Wilson
        interval and its n (``coop_share``, ``coop_low``, ``coop_high``, ``coop_n``, ``np_…``), the co-op odds
        ratio with its interval and p (``or_coop``, ``or_low``, ``or_high``, ``p_value``) and ``n_used``.
    """
    rows = []
    for sample, shares, fit in (("all_waves", by_status, model), ("without", by_status_rest, model_rest)):
        row = shares.set_index("legal_status")
        coop = fit["odds_ratios"].set_index("term").loc["legal_status[cooperative]"]
        out: dict[str, Any] = {"sample": sample}
        for prefix, status in (("coop", "cooperative"), ("np", "nonprofit")):
            out |= {f"{prefix}_share": row.loc[status, "breakeven_share"],
                    f"{prefix}_low": row.loc[status, "breakeven_ci_low"],
                    f"{prefix}_high": row.loc[status, "breakeven_ci_high"], f"{prefix}_n": row.loc[status, "n_oer"]}
        out |= {"or_coop": coop["odds_ratio"], "or_low": coop["ci_low"], "or_high": coop["ci_high"],
                "p_value": coop["p_value"], "n_used": fit["n_used"]}
        rows.append(out)
    table = pd.DataFrame(rows)
    table.attrs["waves"] = tuple(waves)
    return table


def _sensitivity_fields(table: pd.DataFrame, lang: str) -> dict[str, str]:
    """The formatted numbers of :func:`sensitivity_table`, ``<name>_all`` for every wave and ``<name>`` without."""
    def pct(v: float) -> str:
        return fmt.percent(v, 0, lang, ratio=True)

    fields: dict[str, str] = {}
    for suffix, r in (("_all", table.iloc[0]), ("", table.iloc[1])):
        for name in ("coop_share", "coop_low", "coop_high", "np_share", "np_low", "np_high"):
            fields[name + suffix] = pct(r[name])
        for name in ("coop_n", "np_n", "n_used"):
            fields[name + suffix] = fmt.integer(r[name], lang)
        for name in ("or_coop", "or_low", "or_high"):
            fields[name + suffix] = fmt.number(r[name], 2, lang)
        fields["p" + suffix] = p_phrase(r["p_value"], lang)
    return fields


def _sensitivity_verdict(model: Mapping[str, Any], model_rest: Mapping[str, Any]) -> str:
    """``holds`` (the interval excludes 1 both ways), ``weakens`` (only with every wave), ``appears`` (only
    without) or ``neither``."""
    both = (_excludes_one(model), _excludes_one(model_rest))
    return {(True, True): "holds", (True, False): "weakens", (False, True): "appears"}.get(both, "neither")


def show_hub_sensitivity(by_status: pd.DataFrame | None, model: Mapping[str, Any] | None,
                         by_status_rest: pd.DataFrame | None, model_rest: Mapping[str, Any] | None,
                         artefact: Mapping[str, Any] | None, lang: str = "fr") -> None:
    """The co-op vs non-profit result with and without the waves whose published expense ratio departs from
    expenses / revenue: the sentence with its verdict and the side-by-side table (:func:`sensitivity_table`)."""
    if by_status is None or model is None or artefact is None:
        return
    if by_status_rest is None or model_rest is None:
        display.show_note(t("viabilite.hub_waves_none", lang), kind="info")
        return
    waves = artefact["waves"]
    table = sensitivity_table(by_status, model, by_status_rest, model_rest, waves)
    fields = _sensitivity_fields(table, lang)
    verdict = t(f"viabilite.hub_waves_{_sensitivity_verdict(model, model_rest)}", lang)
    display.show_text(t("viabilite.hub_waves_text", lang, waves=_waves_text(waves, lang),
                        n_left=fmt.integer(artefact["n_responses"], lang), verdict=verdict, **fields))
    shown = table.assign(sample=[t("viabilite.sample_all_waves", lang) if s == "all_waves"
                                 else t("viabilite.sample_without", lang, waves=_waves_text(waves, lang))
                                 for s in table["sample"]])
    share = {c: "share0" for c in ("coop_share", "coop_low", "coop_high", "np_share", "np_low", "np_high")}
    _table(shown, {"sample": "col_sample", "coop_share": "col_coop_breakeven", "coop_low": "col_coop_low",
                   "coop_high": "col_coop_high", "coop_n": "col_n_coop", "np_share": "col_np_breakeven",
                   "np_low": "col_np_low", "np_high": "col_np_high", "np_n": "col_n_obnl",
                   "or_coop": "col_or_coop", "or_low": "col_or_low", "or_high": "col_or_high", "p_value": "col_p",
                   "n_used": "col_n_used"}, lang,
           formats={**share, "coop_n": "int", "np_n": "int", "or_coop": "num2", "or_low": "num2", "or_high": "num2",
                    "p_value": "p", "n_used": "int"},
           caption=t("viabilite.hub_waves_caption", lang), export="carrefours_sans_vague",
           source=t(SOURCE_HUBS, lang))


def show_breakeven_by_status(by_status: pd.DataFrame | None, lang: str = "fr") -> None:
    """Break-even shares by legal status (Wilson intervals): sentence, table and bar chart."""
    if by_status is None:
        return
    row = by_status.set_index("legal_status")

    def pct(v: float) -> str:
        return fmt.percent(v, 0, lang, ratio=True)

    display.show_text(t("viabilite.hub_status_text", lang,
                        coop_share=pct(row.loc["cooperative", "breakeven_share"]),
                        coop_low=pct(row.loc["cooperative", "breakeven_ci_low"]),
                        coop_high=pct(row.loc["cooperative", "breakeven_ci_high"]),
                        coop_n=fmt.integer(row.loc["cooperative", "n_oer"], lang),
                        np_share=pct(row.loc["nonprofit", "breakeven_share"]),
                        np_low=pct(row.loc["nonprofit", "breakeven_ci_low"]),
                        np_high=pct(row.loc["nonprofit", "breakeven_ci_high"]),
                        np_n=fmt.integer(row.loc["nonprofit", "n_oer"], lang)))
    shown = by_status.assign(legal_status=[label("hub", s, lang) for s in by_status["legal_status"]])
    _table(shown, {"legal_status": "col_legal_status", "n": "col_rows", "n_oer": "col_n_oer",
                   "n_breakeven": "col_n_breakeven", "breakeven_share": "col_breakeven_share",
                   "breakeven_ci_low": "col_ci_low", "breakeven_ci_high": "col_ci_high",
                   "revenue_median": "col_revenue_median_usd", "oer_median": "col_oer_median",
                   "grant_highly_share": "col_grant_highly", "years_median": "col_years_median",
                   "n_excluded": "col_n_excluded"}, lang,
           formats={"n": "int", "n_oer": "int", "n_breakeven": "int", "breakeven_share": "share",
                    "breakeven_ci_low": "share", "breakeven_ci_high": "share", "revenue_median": "usd",
                    "oer_median": "num2", "grant_highly_share": "share", "years_median": "num1", "n_excluded": "int"},
           caption=t("viabilite.hub_status_caption", lang), export="carrefours_par_statut",
           source=t(SOURCE_HUBS, lang))
    fig = figures.plot_breakeven_by_status(by_status, lang)
    display.show_figure(fig, alt=t("viabilite.hub_status_alt", lang,
                                   coop_share=pct(row.loc["cooperative", "breakeven_share"]),
                                   np_share=pct(row.loc["nonprofit", "breakeven_share"]),
                                   fp_share=pct(row.loc["for_profit", "breakeven_share"])),
                        source=t(SOURCE_HUBS, lang), lang=lang)


def exclusion_reason(reason: str, lang: str = "fr") -> str:
    """A break-even model exclusion reason in ``lang`` (``flag:<flag>``: the flag's name)."""
    if str(reason).startswith("flag:"):
        return code_label(str(reason)[len("flag:"):], "hub_flag", lang)
    return label("hubreason", reason, lang)


def show_breakeven_model(model: dict | None, startup_max_years: float, lang: str = "fr") -> None:
    """The logistic model of break-even: what it accounts for, the co-op odds ratio, the table of odds ratios, the
    responses left out by reason and the forest plot."""
    if model is None:
        return
    odds = model["odds_ratios"]
    coop = odds.set_index("term").loc["legal_status[cooperative]"]
    display.show_text(t("viabilite.hub_model_text", lang, startup=fmt.number(startup_max_years, 0, lang),
                        n_used=fmt.integer(model["n_used"], lang),
                        n_excluded=fmt.integer(len(model["excluded"]), lang),
                        or_coop=fmt.number(coop["odds_ratio"], 2, lang), or_low=fmt.number(coop["ci_low"], 2, lang),
                        or_high=fmt.number(coop["ci_high"], 2, lang), p=p_phrase(coop["p_value"], lang)))
    shown = odds.assign(term=[model_term_label(x, lang) for x in odds["term"]])
    _table(shown, {"term": "col_term", "odds_ratio": "col_odds", "ci_low": "col_ci_low", "ci_high": "col_ci_high",
                   "p_value": "col_p"}, lang,
           formats={"odds_ratio": "num2", "ci_low": "num2", "ci_high": "num2", "p_value": "p"},
           caption=t("viabilite.hub_model_caption", lang), export="carrefours_modele_equilibre",
           source=t(SOURCE_HUBS, lang))
    excluded = model["excluded_by_reason"]
    shown = excluded.assign(reason=[exclusion_reason(r, lang) for r in excluded["reason"]])
    _table(shown, {"reason": "col_reason", "n_rows": "col_rows"}, lang, formats={"n_rows": "int"},
           caption=t("viabilite.hub_excluded_caption", lang), export="carrefours_exclusions",
           source=t(SOURCE_HUBS, lang))
    fig = figures.plot_odds_ratios(odds, lang, startup_max_years=startup_max_years)
    display.show_figure(fig, alt=t("viabilite.hub_or_alt", lang, or_coop=fmt.number(coop["odds_ratio"], 2, lang)),
                        source=t(SOURCE_HUBS, lang), lang=lang)


def show_breakeven_by_age(by_age: pd.DataFrame | None, startup_max_years: float, lang: str = "fr") -> None:
    """Break-even at start-up and once established, by legal status: sentence and table."""
    if by_age is None:
        return
    key = by_age.set_index(["stage", "legal_status"])["breakeven_share"]

    def pct(v: float) -> str:
        return fmt.percent(v, 0, lang, ratio=True)

    display.show_text(t("viabilite.hub_age_text", lang, startup=fmt.number(startup_max_years, 0, lang),
                        start_coop=pct(key[("startup", "cooperative")]), start_np=pct(key[("startup", "nonprofit")]),
                        est_coop=pct(key[("established", "cooperative")]),
                        est_np=pct(key[("established", "nonprofit")])))
    shown = by_age.assign(stage=[label("stage", s, lang) for s in by_age["stage"]],
                          legal_status=[label("hub", s, lang) for s in by_age["legal_status"]])
    _table(shown, {"stage": "col_stage", "legal_status": "col_legal_status", "n": "col_rows", "n_oer": "col_n_oer",
                   "n_breakeven": "col_n_breakeven", "breakeven_share": "col_breakeven_share",
                   "breakeven_ci_low": "col_ci_low", "breakeven_ci_high": "col_ci_high",
                   "revenue_median": "col_revenue_median_usd", "grant_highly_share": "col_grant_highly"}, lang,
           formats={"n": "int", "n_oer": "int", "n_breakeven": "int", "breakeven_share": "share",
                    "breakeven_ci_low": "share", "breakeven_ci_high": "share", "revenue_median": "usd",
                    "grant_highly_share": "share"},
           caption=t("viabilite.hub_age_caption", lang), export="carrefours_demarrage", source=t(SOURCE_HUBS, lang))


# ---- section 3: Co-operatives UK finances ------------------------------------------------------------------------
SOURCE_UK = "viabilite.source_uk"
UK_KINDS = {"turnover": "gbp", "profit_margin": "share1", "member_funds_ratio": "share",
            "annual_turnover_growth": "share1"}
QUANTILE_COLUMNS = ("mean", "q10", "q25", "q50", "q75", "q90")


def show_uk_accounts(economy: pd.DataFrame | None, sectors: pd.DataFrame | None, lang: str = "fr") -> None:
    """How many sets of accounts the UK data hold, and the co-ops per sector (nothing if a file is missing)."""
    if economy is None or sectors is None:
        return
    display.show_text(t("viabilite.uk_intro", lang, n_accounts=fmt.integer(len(economy), lang)))
    shown = sectors.assign(sector_group=[label("uk", s, lang) for s in sectors["sector_group"]],
                           food_subsector=[label("uk", s or "none", lang) for s in sectors["food_subsector"]])
    _table(shown, {"sector_group": "col_sector_group", "food_subsector": "col_subsector", "n": "col_n",
                   "n_dead": "col_dead"}, lang, formats={"n": "int", "n_dead": "int"},
           caption=t("viabilite.uk_counts_caption", lang), export="coops_ru_secteurs", source=t(SOURCE_UK, lang))


def _finance_table(table: pd.DataFrame, caption: str, export: str, lang: str) -> None:
    shown = format_rows(table, "metric", UK_KINDS, QUANTILE_COLUMNS, lang)
    shown = shown.assign(group=[label("uk", g or "none", lang) for g in table["group"]],
                         metric=[label("metric", m, lang) for m in table["metric"]])
    _table(shown, {"group": "col_group_uk", "metric": "col_metric", "n": "col_n",
                   **{q: f"col_{q}" for q in QUANTILE_COLUMNS}}, lang, formats={"n": "int"},
           caption=t(caption, lang), export=export, source=t(SOURCE_UK, lang))


def show_uk_finances(finances: pd.DataFrame | None, sub_finances: pd.DataFrame | None,
                     latest: pd.DataFrame | None, lang: str = "fr") -> None:
    """Food vs other co-ops: medians in a sentence, the distributions by sector group and food subsector, and the
    box plot of profit margins (latest accounts)."""
    if finances is None or sub_finances is None or latest is None:
        return
    med = finances.set_index(["group", "metric"])

    def pct(v: float) -> str:
        return fmt.percent(v, 1, lang, ratio=True)

    display.show_text(t("viabilite.uk_text", lang,
                        food_margin=pct(med.loc[("food", "profit_margin"), "q50"]),
                        food_n=fmt.integer(med.loc[("food", "profit_margin"), "n"], lang),
                        other_margin=pct(med.loc[("other", "profit_margin"), "q50"]),
                        other_n=fmt.integer(med.loc[("other", "profit_margin"), "n"], lang),
                        food_funds=pct(med.loc[("food", "member_funds_ratio"), "q50"]),
                        other_funds=pct(med.loc[("other", "member_funds_ratio"), "q50"]),
                        food_growth=pct(med.loc[("food", "annual_turnover_growth"), "q50"]),
                        other_growth=pct(med.loc[("other", "annual_turnover_growth"), "q50"])))
    _finance_table(finances, "viabilite.uk_fin_caption", "coops_ru_finances", lang)
    _finance_table(sub_finances, "viabilite.uk_sub_caption", "coops_ru_finances_sous_secteurs", lang)
    fig = figures.plot_profit_margin(latest, lang)
    display.show_figure(fig, alt=t("viabilite.uk_margin_alt", lang,
                                   food_margin=pct(med.loc[("food", "profit_margin"), "q50"]),
                                   other_margin=pct(med.loc[("other", "profit_margin"), "q50"])),
                        source=t(SOURCE_UK, lang), lang=lang)


# ---- section 4: financial ratios ---------------------------------------------------------------------------------
def show_template(documentation: pd.DataFrame, lang: str = "fr") -> None:
    """The statements template's columns and what to put in each (:func:`analysis.food.template_documentation`)."""
    shown = documentation.assign(meaning=[t(f"viabilite.field_{c}", lang) for c in documentation["column"]])
    _table(shown, {"column": "col_column", "meaning": "col_meaning"}, lang,
           caption=t("viabilite.template_caption", lang), identifiers=[t("viabilite.col_column", lang)])


def show_statements_note(note: StatementsNote | None, lang: str = "fr") -> None:
    """The note section 4 shows instead of ratios (how to supply statements, a missing or invalid file), if any.

    Parameters
    ----------
    note : StatementsNote or None
        ``ViabilityResults.statements_note`` (:func:`financial_statements`).
    lang : {"fr", "en"}
        Language of the report.
    """
    if note is not None:
        display.show_note(t(note.label, lang, **note.fields), kind=note.kind)


def load_financial_statements(statements: str | None, synthetic_seed: int | None,
                              lang: str = "fr") -> pd.DataFrame | None:
    """The statements the report computes ratios on, or ``None`` after the note that says why there are none.

    :func:`financial_statements` and :func:`show_statements_note` in one call: ``statements`` (a path) wins; else
    ``synthetic_seed`` gives fictitious statements (:func:`analysis.food.generate_synthetic_statements`); else the
    note explains how to supply them. A missing or invalid file gets its own note. An empty file gives ``None``
    without a note.
    """
    table, note = financial_statements(statements, synthetic_seed)
    show_statements_note(note, lang)
    return table


def _synthetic(table: pd.DataFrame) -> bool:
    return bool(table["is_synthetic"].any()) if "is_synthetic" in table else False


def financial_source(ratios_table: pd.DataFrame, statements: str | None, synthetic_seed: int | None,
                     lang: str = "fr") -> str:
    """The source line of the ratio tables: the statements file, or the seed of generated fictitious statements."""
    if statements is None and _synthetic(ratios_table):
        return t("viabilite.source_synthetic", lang, seed=synthetic_seed)
    return str(statements)


def _synthetic_banner(ratios_table: pd.DataFrame, statements: str | None, synthetic_seed: int | None,
                      lang: str) -> None:
    if not _synthetic(ratios_table):
        return
    if statements is None:
        display.show_note(t("viabilite.synthetic_banner", lang, seed=synthetic_seed), kind="warning")
    else:
        display.show_note(t("viabilite.synthetic_banner_file", lang, path=statements), kind="warning")


def show_ratios(ratios_table: pd.DataFrame | None, latest: pd.DataFrame | None, flags: pd.DataFrame | None,
                statements: str | None = None, synthetic_seed: int | None = None, lang: str = "fr") -> None:
    """The ratios of each enterprise's latest year: the synthetic-data banner when it applies, the definitions, the
    medians in a sentence and the table."""
    if ratios_table is None or latest is None or flags is None:
        return
    _synthetic_banner(ratios_table, statements, synthetic_seed, lang)
    display.show_text(t("viabilite.ratio_definitions", lang))
    summary = food.summarize_latest(latest, flags)
    display.show_text(t("viabilite.ratios_text", lang, n_ent=summary["n_enterprises"], n_rows=len(ratios_table),
                        margin=fmt.percent(summary["median_operating_margin"], 1, lang, ratio=True),
                        current=fmt.number(summary["median_current_ratio"], 2, lang),
                        reserve=fmt.number(summary["median_months_reserve"], 1, lang)))
    columns = {"enterprise": "col_enterprise_id", "year": "col_year", "total_revenue": "ind_total_revenue",
               **{c: f"ind_{c}" for c in ratios.RATIO_COLUMNS}}
    formats = {"year": "year", "total_revenue": "money", "current_ratio": "num2", "months_reserve": "num1",
               "revenue_concentration": "num2"}
    formats |= {c: "share" for c in ("operating_margin", "debt_ratio", "equity_ratio", "admin_cost_ratio",
                                     "grant_dependence", "growth_3y")}
    _table(latest, columns, lang, formats=formats, caption=t("viabilite.ratios_caption", lang),
           export="ratios_dernier_exercice",
           source=financial_source(ratios_table, statements, synthetic_seed, lang))


def show_tuckman_chang(latest: pd.DataFrame | None, flags: pd.DataFrame | None, statements: str | None = None,
                       synthetic_seed: int | None = None, lang: str = "fr") -> None:
    """Tuckman–Chang vulnerability signals of the latest year, with the sample's relative (quintile) thresholds."""
    if latest is None or flags is None:
        return
    summary = food.summarize_latest(latest, flags)
    quintiles = food.quintile_thresholds(latest)
    display.show_text(t("viabilite.tc_text", lang, n_any=summary["n_any_flag"], n_ent=summary["n_enterprises"],
                        n_all=summary["n_all_flags"],
                        q_equity=fmt.percent(quintiles["equity_ratio_min"], 1, lang, ratio=True),
                        q_conc=fmt.number(quintiles["revenue_concentration_max"], 2, lang),
                        q_admin=fmt.percent(quintiles["admin_cost_ratio_min"], 1, lang, ratio=True),
                        q_margin=fmt.percent(quintiles["operating_margin_min"], 1, lang, ratio=True)))
    columns = {"enterprise": "col_enterprise_id", "year": "col_year",
               **{f"flag_{c}": f"ind_{c}" for c in ratios.TUCKMAN_CHANG}, "n_flags": "col_n_flags"}
    _table(flags, columns, lang, formats={"year": "year", "n_flags": "int"}, caption=t("viabilite.tc_caption", lang),
           export="signaux_tuckman_chang", source=financial_source(latest, statements, synthetic_seed, lang))


# ---- section 5: survival -----------------------------------------------------------------------------------------
def _quebec_rates(quebec: pd.DataFrame) -> dict[tuple[str, int], float]:
    return {(r.group, int(r.horizon)): r.survival for r in quebec.itertuples()}


def month_year(day: pd.Timestamp, lang: str = "fr") -> str:
    """``janvier 2011`` (fr) / ``January 2011`` (en)."""
    return f"{fmt.MONTHS_FR[day.month - 1]} {day.year}" if lang == "fr" else day.strftime("%B %Y")


def show_quebec_survival(quebec: pd.DataFrame, lang: str = "fr",
                         window_start: str | pd.Timestamp = UK_WINDOW_START) -> None:
    """The Québec survival rates the roadmap quotes (:func:`analysis.food.quebec_survival`), or a note if absent,
    and how the UK register's window (from ``window_start``) truncates what it shows."""
    qc = _quebec_rates(quebec)
    if len(qc) != 4:
        display.show_note(t("viabilite.quebec_missing", lang), kind="missing")
        return

    def pct0(v: float) -> str:
        return fmt.percent(v, 0, lang, ratio=True)

    display.show_text(t("viabilite.survival_intro", lang, coop_5y=pct0(qc[("coop", 5)]),
                        other_5y=pct0(qc[("other", 5)]), coop_10y=pct0(qc[("coop", 10)]),
                        other_10y=pct0(qc[("other", 10)]), start=month_year(pd.Timestamp(window_start), lang),
                        start_year=pd.Timestamp(window_start).year))


def show_censoring(survival: pd.DataFrame | None, lang: str = "fr") -> None:
    """Where the UK survival follow-up ends and why: the extract's last recorded dissolution (the default rule) or
    the date given in the ``survival_censoring`` parameter (:func:`analysis.food.prepare_survival`'s ``attrs``).

    Parameters
    ----------
    survival : DataFrame or None
        :func:`analysis.food.prepare_survival` output (nothing is shown for None: the register is missing).
    lang : {"fr", "en"}
        Language of the report.
    """
    if survival is None:
        return
    end = survival.attrs["window_end"]
    after = int((survival["exclusion_reason"] == "incorporated_after_window").sum())
    date = fmt.french_date(end.date(), lang)
    if survival.attrs["window_end_rule"] == "last_recorded_dissolution":
        display.show_text(t("viabilite.censoring_text_rule", lang, date=date, n_after=fmt.integer(after, lang)))
    else:
        last = survival.attrs["last_recorded_dissolution"]
        display.show_text(t("viabilite.censoring_text_given", lang, date=date, n_after=fmt.integer(after, lang),
                            last=fmt.french_date(last.date(), lang) if pd.notna(last) else fmt.MISSING))


SURVIVAL_COLUMNS = {"group": "col_sector_group", "horizon": "col_horizon", "survival": "col_survival",
                    "ci_low": "col_ci_low", "ci_high": "col_ci_high", "n": "col_n", "n_events": "col_events",
                    "n_at_risk": "col_at_risk"}
SURVIVAL_FORMATS = {"horizon": "num0", "survival": "share", "ci_low": "share", "ci_high": "share", "n": "int",
                    "n_events": "int", "n_at_risk": "int"}


def show_uk_survival(at_horizons: pd.DataFrame | None, naive: pd.DataFrame | None, logrank: pd.DataFrame | None,
                     dataset: str = "external:coops_uk_organisations", lang: str = "fr") -> None:
    """UK co-op survival by sector group at the horizons: the sentence at the longest horizon, the table, and the
    naive estimate beside the delayed-entry one. A note names ``dataset`` when the register is missing."""
    if at_horizons is None or naive is None or logrank is None:
        display.show_note(t("common.missing_dataset", lang, name=dataset_name(dataset)), kind="missing")
        return
    longest = float(at_horizons["horizon"].max())
    sa = at_horizons.set_index(["group", "horizon"])
    nv = naive.set_index(["group", "horizon"])

    def pct(v: float) -> str:
        return fmt.percent(v, 1, lang, ratio=True)

    display.show_text(t("viabilite.survival_text", lang, h2=fmt.number(longest, 0, lang),
                        food_h2=pct(sa.loc[("food", longest), "survival"]),
                        food_low=pct(sa.loc[("food", longest), "ci_low"]),
                        food_high=pct(sa.loc[("food", longest), "ci_high"]),
                        other_h2=pct(sa.loc[("other", longest), "survival"]),
                        food_naive=pct(nv.loc[("food", longest), "survival_naive"]),
                        p_logrank=p_phrase(logrank["p_value"].iloc[0], lang)))
    shown = at_horizons.assign(group=[label("uk", g, lang) for g in at_horizons["group"]])
    _table(shown, SURVIVAL_COLUMNS, lang, formats=SURVIVAL_FORMATS, caption=t("viabilite.survival_caption", lang),
           export="survie_ru", source=t(SOURCE_UK, lang))
    shown = naive.assign(group=[label("uk", g, lang) for g in naive["group"]])
    _table(shown, {"group": "col_sector_group", "horizon": "col_horizon", "survival_naive": "col_naive",
                   "survival_truncated": "col_truncated", "gap_points": "col_gap"}, lang,
           formats={"horizon": "num0", "survival_naive": "share", "survival_truncated": "share", "gap_points": "num1"},
           caption=t("viabilite.naive_caption", lang), export="survie_ru_naive", source=t(SOURCE_UK, lang))


def show_sector_survival(sectors: pd.DataFrame | None, sector_logrank: pd.DataFrame | None,
                         at_horizons: pd.DataFrame | None, lang: str = "fr") -> None:
    """Survival at the longest horizon by the register's own sector (co-ops without one left out), food co-ops
    highlighted, with the log-rank test across sectors (``ViabilityResults.sector_survival`` and
    ``sector_logrank``)."""
    if sectors is None or sector_logrank is None or at_horizons is None:
        return
    longest = float(at_horizons["horizon"].max())
    food_row = at_horizons[(at_horizons["group"] == "food") & (at_horizons["horizon"] == longest)]
    food_row = food_row.assign(group=t("viabilite.uk_food_highlight", lang))
    sectors = sectors.assign(group=codes.code_labels(sectors["group"], "uk_sector", lang))
    table = pd.concat([sectors, food_row], ignore_index=True).sort_values(["survival", "group"],
                                                                           ascending=[False, True], kind="stable")
    columns = {k: v for k, v in SURVIVAL_COLUMNS.items() if k != "horizon"}
    _table(table, columns, lang, formats=SURVIVAL_FORMATS,
           caption=t("viabilite.sector_caption", lang, h2=fmt.number(longest, 0, lang),
                     p=p_phrase(sector_logrank["p_value"].iloc[0], lang)),
           export="survie_ru_secteurs", source=t(SOURCE_UK, lang))


def survival_reason(reason: str, lang: str = "fr") -> str:
    """A survival exclusion reason (:data:`analysis.food.survival.EXCLUSION_REASONS`) in ``lang``."""
    if reason.startswith("req_status:"):
        return t("viabilite.survreason_req_status", lang, code=reason.split(":", 1)[1])
    return label("survreason", reason, lang)


def show_survival_exclusions(excluded: pd.DataFrame | None, lang: str = "fr") -> None:
    """Co-ops left out of the survival analysis, by reason (:func:`analysis.food.survival_exclusions`)."""
    if excluded is None:
        return
    shown = excluded.assign(reason=[survival_reason(r, lang) for r in excluded["reason"]])
    _table(shown, {"reason": "col_reason", "n_rows": "col_n"}, lang, formats={"n_rows": "int"},
           caption=t("viabilite.survival_excl_caption", lang), source=t(SOURCE_UK, lang))


def show_km(km: pd.DataFrame | None, at_horizons: pd.DataFrame | None, horizons: Sequence[float],
            lang: str = "fr") -> None:
    """The Kaplan–Meier curves by sector group (:func:`analysis.food.km_survival`), horizons marked."""
    if km is None or at_horizons is None:
        return
    longest = float(at_horizons["horizon"].max())
    sa = at_horizons.set_index(["group", "horizon"])

    def pct(v: float) -> str:
        return fmt.percent(v, 1, lang, ratio=True)

    fig = figures.plot_km(km, lang, horizons=[float(h) for h in horizons])
    display.show_figure(fig, alt=t("viabilite.km_alt", lang, h2=fmt.number(longest, 0, lang),
                                   food_h2=pct(sa.loc[("food", longest), "survival"]),
                                   other_h2=pct(sa.loc[("other", longest), "survival"])),
                        source=t(SOURCE_UK, lang), lang=lang)


def show_hazards(quebec: pd.DataFrame, at_horizons: pd.DataFrame | None, lang: str = "fr") -> None:
    """The constant annual hazard each survival rate implies (Québec figures and UK Kaplan–Meier estimates)."""
    rows = quebec[["group", "horizon", "survival"]].assign(group=[f"qc_{g}" for g in quebec["group"]])
    if at_horizons is not None:
        uk = at_horizons[["group", "horizon", "survival"]].assign(group=[f"uk_{g}_km" for g in at_horizons["group"]])
        rows = pd.concat([rows, uk], ignore_index=True)
    if len(rows) == 0:
        return
    hazards = food.constant_hazards(rows)
    rate = hazards.set_index(["group", "horizon"])["hazard_rate"]
    if len(_quebec_rates(quebec)) == 4:
        display.show_text(t("viabilite.hazard_text", lang,
                            coop_rate_5=fmt.percent(rate[("qc_coop", 5.0)], 1, lang, ratio=True),
                            coop_rate_10=fmt.percent(rate[("qc_coop", 10.0)], 1, lang, ratio=True),
                            other_rate_5=fmt.percent(rate[("qc_other", 5.0)], 1, lang, ratio=True),
                            other_rate_10=fmt.percent(rate[("qc_other", 10.0)], 1, lang, ratio=True)))
    shown = hazards.assign(group=[t(f"viabilite.{g}", lang) for g in hazards["group"]])
    _table(shown, {"group": "col_group", "horizon": "col_horizon", "survival": "col_survival",
                   "hazard_rate": "col_hazard", "half_life_years": "col_half_life"}, lang,
           formats={"horizon": "num0", "survival": "share", "hazard_rate": "share", "half_life_years": "num1"},
           caption=t("viabilite.hazard_caption", lang), export="survie_risque_constant",
           source=t("viabilite.source_quebec", lang) + " ; " + t(SOURCE_UK, lang))


def _age_median_text(ages: Mapping[str, Any], lang: str) -> str:
    median = ages["age_median"]
    if pd.isna(median):
        return t("viabilite.age_median_range", lang, low=fmt.number(ages["age_median_low"], 1, lang),
                 high=fmt.number(ages["age_median_high"], 1, lang))
    return fmt.number(median, 0 if float(median).is_integer() else 1, lang)


def show_case_ages(ages: dict, indicators: pd.DataFrame, quebec_indicators: pd.DataFrame | None,
                   lang: str = "fr") -> None:
    """How many cases are older than 30 years (a case founded in a stated decade counted through its bounds),
    against the Québec share of old social-economy enterprises."""
    if len(indicators) == 0:
        return
    older = None
    if quebec_indicators is not None:
        hit = quebec_indicators[(quebec_indicators["indicator"] == "se_share_older_30y")
                                & (quebec_indicators["scope"] == "quebec")]
        older = float(hit["value"].iloc[0]) / 100 if len(hit) else None
    text = t("viabilite.ages_text", lang, n_older=ages["n_older"], n_known=ages["n_known"],
             share_older=fmt.percent(ages["share_older"], 0, lang, ratio=True),
             age_median=_age_median_text(ages, lang),
             quebec_share=fmt.percent(older, 0, lang, ratio=True) if older is not None else fmt.MISSING)
    low = indicators["age_min"] if "age_min" in indicators else indicators["age_years"]
    high = indicators["age_max"] if "age_max" in indicators else indicators["age_years"]
    bounded = indicators.loc[low.notna() & (low != high)]
    if len(bounded):
        items = [t("viabilite.ages_bounded_case", lang, name=r.name, earliest=fmt.year(r.reference_year - r.age_max),
                   latest=fmt.year(r.reference_year - r.age_min), age_min=fmt.integer(r.age_min, lang))
                 for r in bounded.itertuples(index=False)]
        text += " " + t("viabilite.ages_bounded", lang, cases="; ".join(items))
    unknown = indicators.loc[low.isna(), "name"]
    if len(unknown):
        text += " " + t("viabilite.ages_unknown", lang, unknown=", ".join(unknown))
    display.show_text(text)


# ---- section 6: dashboard ----------------------------------------------------------------------------------------
def show_descriptive_note(lang: str = "fr") -> None:
    """The reminder that the dashboard describes and does not judge."""
    display.show_note(t("common.descriptive_only", lang), kind="info")


def wide_positions(dashboard: pd.DataFrame, value_kinds: Mapping[str, str] | None = None,
                   marks: Mapping[str, str] | None = None, lang: str = "fr") -> pd.DataFrame:
    """Enterprise × indicator table of formatted values, ▼ / ▲ after a value below its minimum / above its maximum,
    and the value's mark before it (``≈``, ``≥``, ``≤``: the dashboard's ``bound`` column) when the book gives it
    only approximately or as a bound.

    Indicator columns keep their codes; ``name`` holds the enterprise.
    """
    kinds = dict(VALUE_KINDS if value_kinds is None else value_kinds)
    marks = {"below_min": " ▼", "above_max": " ▲", **dict(marks or {})}
    bounds = dashboard["bound"] if "bound" in dashboard else pd.Series("", index=dashboard.index)
    cells = []
    for row, bound in zip(dashboard.itertuples(index=False), bounds.fillna(""), strict=True):
        text = format_value(row.value, kinds.get(row.indicator, "num1"), lang)
        prefix = f"{bound} " if bound and text != fmt.MISSING else ""
        cells.append(prefix + text + marks.get(row.position, ""))
    d = dashboard.assign(cell=cells)
    order_ind = list(dict.fromkeys(d["indicator"]))
    order_ent = list(dict.fromkeys(d["name"]))
    return d.pivot(index="name", columns="indicator", values="cell").reindex(index=order_ent, columns=order_ind) \
        .reset_index().rename_axis(columns=None)


def _indicator_names(lang: str) -> dict[str, str]:
    return {i: label("ind", i, lang) for i in VALUE_KINDS}


def show_case_dashboard(dashboard: pd.DataFrame, lang: str = "fr") -> None:
    """The cases' indicators against the references: the table of values, the counts by position and the grid."""
    if len(dashboard) == 0:
        return
    names = _indicator_names(lang)
    positions = {p: label("pos", p, lang) for p in food_dashboard.POSITIONS}
    display.show_table(wide_positions(dashboard, lang=lang).rename(columns={"name": t("viabilite.col_case", lang),
                                                                            **names}),
                       caption=t("viabilite.dashboard_caption", lang), lang=lang, max_rows=None,
                       export="tableau_de_bord", source=t(SOURCE_CASES, lang))
    counts = food.count_positions(dashboard)
    display.show_table(counts.assign(indicator=[names[i] for i in counts["indicator"]]).rename(
                           columns={"indicator": t("viabilite.col_indicator", lang), **positions}),
                       formats={v: "int" for v in positions.values()},
                       caption=t("viabilite.dashboard_counts_caption", lang), lang=lang, max_rows=None)
    fig = figures.plot_dashboard(dashboard, lang)
    totals = food.position_totals(dashboard)
    display.show_figure(fig, alt=t("viabilite.dashboard_alt", lang, n_cases=totals["n_enterprises"],
                                   n_ind=totals["n_indicators"], n_beyond=totals["n_beyond"],
                                   n_within=totals["n_within"], n_missing=totals["n_missing"]),
                        source=t(SOURCE_CASES, lang), lang=lang)


def show_ratio_dashboard(dashboard: pd.DataFrame | None, latest: pd.DataFrame | None,
                         statements: str | None = None, synthetic_seed: int | None = None, lang: str = "fr") -> None:
    """The latest-year financial ratios against the references (a reminder when the statements are fictitious)."""
    if dashboard is None or latest is None:
        return
    if _synthetic(latest):
        display.show_note(t("viabilite.repeat_synthetic", lang), kind="warning")
    display.show_table(wide_positions(dashboard, lang=lang).rename(
                           columns={"name": t("viabilite.col_enterprise_id", lang), **_indicator_names(lang)}),
                       caption=t("viabilite.dashboard_ratios_caption", lang), lang=lang, max_rows=None,
                       export="tableau_de_bord_ratios",
                       source=financial_source(latest, statements, synthetic_seed, lang))


def show_thresholds(thresholds: Mapping[str, float], lang: str = "fr") -> None:
    """The references used (the ``thresholds`` parameter), each with its side and unit."""
    parsed = food.parse_thresholds(thresholds)
    names = _indicator_names(lang)
    display.show_table(pd.DataFrame({
        t("viabilite.col_indicator", lang): [names.get(k, k) for k in parsed],
        t("viabilite.col_threshold", lang): [("≥ " if side == "min" else "≤ ")
                                             + format_value(v, VALUE_KINDS.get(k, "num1"), lang)
                                             for k, (side, v) in parsed.items()]}),
        caption=t("viabilite.dashboard_thresholds_caption", lang), lang=lang, max_rows=None)


# ---- « En bref » ---------------------------------------------------------------------------------------------
def _v(key: str, lang: str, **fields: object) -> str:
    return t(f"viabilite.{key}", lang, **fields)


def _hub_finding(r: ViabilityResults, lang: str) -> Finding:
    """US food hubs: co-ops vs non-profits at break-even, with and without the atypical wave."""
    question, caveat = _v("brief_hubs_q", lang), _v("brief_hubs_caveat", lang)
    if r.by_status is None or r.model is None:
        anchor, title = section_link("viabilite.sec_hubs", lang)
        return Finding(question, _v("brief_missing", lang, name=r.absent.get("food_hub_survey", "food_hub_survey")),
                       _v("brief_none_certainty", lang), caveat, anchor, title, confidence="none")
    if r.by_status_rest is None or r.model_rest is None:
        anchor, title = section_link("viabilite.sub_hub_model", lang)
        coop = r.model["odds_ratios"].set_index("term").loc["legal_status[cooperative]"]
        fields = {"or_coop": fmt.number(coop["odds_ratio"], 2, lang), "or_low": fmt.number(coop["ci_low"], 2, lang),
                  "or_high": fmt.number(coop["ci_high"], 2, lang), "p": p_phrase(coop["p_value"], lang),
                  "n_used": fmt.integer(r.model["n_used"], lang)}
        holds = _excludes_one(r.model)
        return Finding(question, _v("brief_hubs_a_all", lang, **fields),
                       _v("brief_hubs_certainty_all" if holds else "brief_hubs_certainty_all_weak", lang, **fields),
                       caveat, anchor, title, confidence="moderate" if holds else "low")
    anchor, title = section_link("viabilite.sub_hub_waves", lang)
    waves = _waves_text(r.hub_artefact["waves"], lang)
    fields = _sensitivity_fields(sensitivity_table(r.by_status, r.model, r.by_status_rest, r.model_rest,
                                                   r.hub_artefact["waves"]), lang)
    verdict = _sensitivity_verdict(r.model, r.model_rest)
    answer = _v(f"brief_hubs_lead_{verdict}", lang) + " " + _v("brief_hubs_a", lang, waves=waves, **fields)
    return Finding(question, answer, _v(f"brief_hubs_certainty_{verdict}", lang, waves=waves, **fields), caveat,
                   anchor, title,
                   confidence="moderate" if verdict == "holds" else "low")


def _uk_finding(r: ViabilityResults, lang: str) -> Finding:
    """UK food co-ops' survival at the longest horizon against other sectors."""
    anchor, title = section_link("viabilite.sec_survival", lang)
    question = _v("brief_uk_q", lang)
    if r.at_horizons is None or r.logrank is None or r.survival is None:
        return Finding(question, _v("brief_missing", lang, name=r.absent.get("coops_uk_organisations",
                                                                           "coops_uk_organisations")),
                       _v("brief_none_certainty", lang), _v("brief_uk_caveat_none", lang), anchor, title,
                       confidence="none")
    longest = float(r.at_horizons["horizon"].max())
    at = r.at_horizons.set_index(["group", "horizon"])
    food_row, other_row = at.loc[("food", longest)], at.loc[("other", longest)]
    p_value = float(r.logrank["p_value"].iloc[0])

    def pct(v: float) -> str:
        return fmt.percent(v, 1, lang, ratio=True)

    fields = {"h2": fmt.number(longest, 0, lang), "food_h2": pct(food_row["survival"]),
              "food_low": pct(food_row["ci_low"]), "food_high": pct(food_row["ci_high"]),
              "other_h2": pct(other_row["survival"]), "other_low": pct(other_row["ci_low"]),
              "other_high": pct(other_row["ci_high"]), "p": p_phrase(p_value, lang),
              "n_food": fmt.integer(food_row["n"], lang), "n_other": fmt.integer(other_row["n"], lang),
              "events_food": fmt.integer(food_row["n_events"], lang),
              "events_other": fmt.integer(other_row["n_events"], lang),
              "date": fmt.french_date(r.survival.attrs["window_end"].date(), lang)}
    if p_value >= 0.05:
        lead = "brief_uk_lead_same"
    else:
        lead = "brief_uk_lead_better" if food_row["survival"] > other_row["survival"] else "brief_uk_lead_worse"
    rule = "brief_uk_rule_" + ("last" if r.survival.attrs["window_end_rule"] == "last_recorded_dissolution"
                               else "given")
    qc = _quebec_rates(r.quebec)
    start = r.survival.attrs["window_start"]
    caveat = _v("brief_uk_caveat", lang, start=month_year(start, lang) if start is not None else fmt.MISSING,
                qc=_v("brief_uk_caveat_qc", lang, coop_10y=fmt.percent(qc[("coop", 10)], 0, lang, ratio=True))
                if ("coop", 10) in qc else "")
    return Finding(question, _v(lead, lang) + " " + _v("brief_uk_a", lang, **fields),
                   _v("brief_uk_certainty", lang, rule=_v(rule, lang), **fields), caveat, anchor, title,
                   confidence="moderate" if p_value < 0.05 else "low")


def _cases_finding(r: ViabilityResults, lang: str) -> Finding:
    """What the ten TIESS cases can and cannot show about viability by status."""
    anchor, title = section_link("viabilite.sub_tests", lang)
    question, caveat = _v("brief_cases_q", lang), _v("brief_cases_caveat", lang)
    n_coop, n_obnl = _counts(r.indicators)
    if n_coop < 2 or n_obnl < 2:
        return Finding(question, _v("brief_cases_a_few", lang, n_coop=n_coop, n_obnl=n_obnl),
                       _v("brief_none_certainty", lang), caveat, anchor, title, confidence="none")
    p_min = float(r.tests["p_mannwhitney"].min())
    fields = {"n_coop": n_coop, "n_obnl": n_obnl, "p_min": fmt.pvalue(p_min, lang),
              "min_p": fmt.number(food.min_exact_p(n_coop, n_obnl), 3, lang)}
    answer = _v("brief_cases_a" if p_min >= 0.05 else "brief_cases_a_some", lang, **fields)
    return Finding(question, answer, _v("brief_cases_certainty", lang, **fields), caveat, anchor, title,
                   confidence="low")


def _margin_finding(r: ViabilityResults, lang: str) -> Finding:
    """The break-even sales of the distribution models with a stated margin, under each reading of the margin."""
    anchor, title = section_link("viabilite.sub_margin", lang)
    question = _v("brief_margin_q", lang)
    margins, fixed = r.margins, fmt.money(r.params["fixed_cost"], 0, lang)
    if margins.empty:
        return Finding(question, _v("margin_none", lang), _v("brief_none_certainty", lang),
                       _v("brief_margin_caveat", lang), anchor, title, confidence="none")
    items = []
    for m in margins.itertuples(index=False):
        key = "brief_margin_item_markup" if m.reading == "markup_on_cost" else "brief_margin_item"
        items.append(_v(key, lang, name=m.name, margin=fmt.percent(m.margin, 0, lang, ratio=True),
                        on_sales=fmt.percent(m.margin_on_sales, 1, lang, ratio=True),
                        be=fmt.money(m.break_even_sales, 0, lang),
                        cover=fmt.number(m.sales_to_break_even, 1, lang)))
    both = list(dict.fromkeys(margins.loc[margins["reading"] == "markup_on_cost", "name"]))
    caveat = _v("brief_margin_caveat", lang)
    if both:
        caveat += " " + _v("brief_margin_caveat_reading", lang, names=", ".join(both))
    return Finding(question, _v("brief_margin_a", lang, fixed=fixed, items="; ".join(items)),
                   _v("brief_margin_certainty", lang, fixed=fixed), caveat, anchor, title, confidence="low")


def viability_brief(results: ViabilityResults, lang: str = "fr") -> Brief:
    """The « En bref » section of the viability report, from the objects its sections show.

    The TIESS question (which collective food enterprise models are viable) answered as far as the evidence
    allows, in four findings: US food-hub co-ops at break-even against non-profits (shares with Wilson intervals
    and the logistic model's odds ratio, with and without the wave whose published expense ratio is an artefact),
    UK food co-ops' survival against other sectors (Kaplan–Meier with delayed entry, log-rank test), what the ten
    TIESS cases can and cannot show (exact tests), and the break-even sales of the distribution models under each
    reading of their margin; then the decisions asked of the Table de vigie, chosen by what the data lack.

    Parameters
    ----------
    results : ViabilityResults
        What :func:`compute` returned.
    lang : {"fr", "en"}
        Language of the report.

    Returns
    -------
    Brief
        Show it with :func:`analysis.report.brief.show_brief`.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). *Journal of the American Statistical Association*, 53(282), 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis* (2nd ed.). Springer, §4.6 (delayed entry).
    Wilson, E. B. (1927). *Journal of the American Statistical Association*, 22(158), 209–212.
    Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic Regression* (3rd ed.). Wiley.
    """
    findings = (_hub_finding(results, lang), _uk_finding(results, lang), _cases_finding(results, lang),
                _margin_finding(results, lang))
    points = []
    if results.by_status is not None:
        points.append(_v("brief_decide_hubs", lang))
    if results.fin_statements is None:
        points.append(_v("brief_decide_statements", lang))
    both = list(dict.fromkeys(results.margins.loc[results.margins["reading"] == "markup_on_cost", "name"]))
    if both:
        points.append(_v("brief_decide_margin", lang, names=", ".join(both)))
    points.append(_v("brief_decide_thresholds", lang))
    return Brief(findings=findings, decision=_v("brief_decision", lang), decision_points=tuple(points))


__all__ = [
    "ViabilityResults", "StatementsNote", "compute", "viability_brief", "show_missing", "financial_statements",
    "show_statements_note", "sensitivity_table", "inexact_remark", "month_year",
    "show_reported_oer", "show_hub_sensitivity", "show_censoring",
    "if_available", "load_dataset", "load_quebec_indicators", "report_inputs", "report_datasets", "dataset_name",
    "p_phrase", "model_term_label", "format_rows", "format_value", "label", "profile_table", "reconciliation_table",
    "theme_reconciliation_table", "wide_positions", "flag_description", "exclusion_reason", "survival_reason",
    "financial_source", "load_financial_statements",
    "show_cases_intro", "show_case_profile", "show_case_reconciliation", "show_case_indicators", "show_group_tests",
    "show_break_even", "show_theme_heatmaps", "show_theme_reconciliation",
    "show_hubs_intro", "show_hub_flags", "show_breakeven_by_status", "show_breakeven_model", "show_breakeven_by_age",
    "show_uk_accounts", "show_uk_finances",
    "show_template", "show_ratios", "show_tuckman_chang",
    "show_quebec_survival", "show_uk_survival", "show_sector_survival", "show_survival_exclusions", "show_km",
    "show_hazards", "show_case_ages",
    "show_descriptive_note", "show_case_dashboard", "show_ratio_dashboard", "show_thresholds",
]
