"""Food-system viability: the TIESS case book, financial ratios, US food hubs, Co-operatives UK finances and survival.

What a researcher types::

    from analysis import food

    orgs = food.load_coops_uk_organisations()             # Co-operatives UK 2016, classified food / other
    surv = food.prepare_survival(orgs)                      # delayed entry from 2011, censored at the extract's
                                                            # last recorded dissolution (food.censoring_date)
    food.km_survival(surv, group="sector_group")            # Kaplan–Meier curves
    food.survival_at(surv, [5, 10], group="sector_group")   # survival at 5 and 10 years, 95 % CI

    hubs = food.load_food_hub_survey()                      # US National Food Hub Survey 2013–2025
    food.breakeven_by_status(hubs)                          # share at break-even by legal status, Wilson CI
    food.fit_breakeven_model(hubs)                          # logistic model: odds ratios
    food.reported_oer_by_wave(hubs)                         # the published expense ratio, wave by wave
    food.breakeven_by_status(food.without_survey_waves(hubs, [2015]))   # the same without a wave

    cases = food.load_cases()                               # the ten TIESS enterprises
    food.case_indicators(cases)
    food.break_even_sales(100_000, 0.22)                    # 454 545.45
    food.margin_cases(cases, 100_000)                       # each stated margin under each reading it allows

Every loader works with no argument once ``make data`` has run (paths come from ``data/external.yml``); a relative
path is read from the current folder, else from the project root. Functions take and return DataFrames with
English columns and codes; the report layer turns them into the French (or English) report.
Misused arguments raise :class:`analysis.core.errors.ParameterError` naming the argument and the function that
makes what was expected. The submodules (``casebook``, ``cases``, ``audit``, ``dashboard``, ``ratios``,
``foodhubs``, ``coops_uk``, ``survival``) hold the constants and the less common functions.
"""

from __future__ import annotations

from analysis.food.audit import reconcile_case_counts, reconcile_theme_counts
from analysis.food.casebook import load_cases, load_published_counts
from analysis.food.casebook import load_statements as load_case_statements
from analysis.food.cases import (
    age_benchmark,
    break_even_sales,
    case_features,
    case_indicators,
    count_differences,
    exact_group_tests,
    fisher_tests,
    margin_cases,
    markup_to_margin,
    matrix_summary,
    min_exact_p,
    parse_marks,
    permutation_test,
    quebec_survival,
    select_cases,
    status_group,
    summarize_range,
    theme_matrix,
)
from analysis.food.coops_uk import (
    accounts_with_ratios,
    classify_sector,
    latest_accounts,
    load_coops_uk_organisations,
)
from analysis.food.coops_uk import finances as coops_uk_finances
from analysis.food.coops_uk import finances_by_year as coops_uk_finances_by_year
from analysis.food.coops_uk import load_economy as load_coops_uk_economy
from analysis.food.coops_uk import sector_counts as coops_uk_sector_counts
from analysis.food.dashboard import (
    case_dashboard,
    count_positions,
    dashboard_positions,
    parse_thresholds,
    position_totals,
    ratio_dashboard,
)
from analysis.food.diagnostic import DiagnosticSettings, build_diagnostic
from analysis.food.foodhubs import (
    breakeven_by_age,
    breakeven_by_status,
    directory_status_counts,
    fit_breakeven_model,
    load_food_hub_directory,
    load_food_hub_survey,
    normalize_legal_status,
    reported_oer_artefact,
    reported_oer_by_wave,
    without_survey_waves,
)
from analysis.food.foodhubs import flag_counts as hub_flag_counts
from analysis.food.ratios import (
    compute_ratios,
    generate_synthetic_statements,
    herfindahl,
    latest_year,
    parse_statements,
    quintile_thresholds,
    summarize_latest,
    template_documentation,
    tuckman_chang_flags,
    write_template,
)
from analysis.food.ratios import load_statements as load_financial_statements
from analysis.food.survival import (
    censoring_date,
    constant_hazard_rate,
    constant_hazards,
    implied_survival,
    km_survival,
    logrank_test,
    naive_vs_truncated,
    prepare_survival,
    prepare_survival_req,
    survival_at,
)
from analysis.food.survival import exclusions as survival_exclusions
from analysis.food.workbook import check_workbook, read_workbook

__all__ = [
    # the TIESS case book
    "load_cases",
    "load_case_statements",
    "load_published_counts",
    "select_cases",
    "status_group",
    "case_indicators",
    "summarize_range",
    "exact_group_tests",
    "permutation_test",
    "min_exact_p",
    "case_features",
    "fisher_tests",
    "break_even_sales",
    "markup_to_margin",
    "margin_cases",
    "parse_marks",
    "theme_matrix",
    "matrix_summary",
    "age_benchmark",
    "reconcile_case_counts",
    "reconcile_theme_counts",
    "count_differences",
    "quebec_survival",
    # descriptive dashboard
    "parse_thresholds",
    "dashboard_positions",
    "case_dashboard",
    "ratio_dashboard",
    "count_positions",
    "position_totals",
    # financial statements and ratios
    "load_financial_statements",
    "parse_statements",
    "template_documentation",
    "write_template",
    "generate_synthetic_statements",
    "compute_ratios",
    "latest_year",
    "herfindahl",
    "tuckman_chang_flags",
    "quintile_thresholds",
    "summarize_latest",
    # US food hubs
    "load_food_hub_survey",
    "load_food_hub_directory",
    "normalize_legal_status",
    "hub_flag_counts",
    "breakeven_by_status",
    "breakeven_by_age",
    "fit_breakeven_model",
    "directory_status_counts",
    "reported_oer_by_wave",
    "reported_oer_artefact",
    "without_survey_waves",
    # Co-operatives UK
    "load_coops_uk_organisations",
    "load_coops_uk_economy",
    "classify_sector",
    "accounts_with_ratios",
    "latest_accounts",
    "coops_uk_finances",
    "coops_uk_finances_by_year",
    "coops_uk_sector_counts",
    # survival
    "censoring_date",
    "prepare_survival",
    "prepare_survival_req",
    "survival_exclusions",
    "km_survival",
    "survival_at",
    "naive_vs_truncated",
    "logrank_test",
    "constant_hazard_rate",
    "implied_survival",
    "constant_hazards",
    # viability diagnostic of one enterprise (its filled workbook)
    "read_workbook",
    "check_workbook",
    "build_diagnostic",
    "DiagnosticSettings",
]
