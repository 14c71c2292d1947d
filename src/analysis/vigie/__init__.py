"""The innovation watch's wing: a publication bank and its bibliometrics, themes, researchers and priorities.

What a researcher types in JupyterLab::

    from analysis import vigie
    bank = vigie.build_bank(["../data/private/scopus.csv", "../data/private/savedrecs.txt"])
    bank.main_information(); bank.sources(10); bank.authors(10); bank.production(); bank.citations()
    bank.keywords(); bank.countries(); bank.lotka(); bank.bradford()
    bank.themes(); bank.emerging_themes(); bank.directory(); bank.filter(year_min=2010, languages=["English"])
    vigie.compute_relevance(bank.works, bank.work_themes(), vigie.scope_vocabulary())   # how far on topic
    vigie.save_bank(bank, "../data/private/my_bank"); db = vigie.open_bank("../data/private/my_bank")
    db.sql("select year, count(*) as works from works group by year"); db.main_information()   # DuckDB, SQL
    vigie.load_themes(); vigie.load_institutions(); vigie.load_practices(); vigie.read_file(path); vigie.FORMATS
    vigie.compute_directory(...); vigie.draw_review_sample(...); vigie.directory_precision(...)
    from analysis.vigie import catalogue, problems   # the bank as CSV/BibTeX/RIS; the research-problem inventory

The bank's methods delegate to the functions below, which take and return DataFrames (English column names,
codes as values) and check their arguments (a wrong one raises :class:`analysis.core.errors.ParameterError`
naming it). Relative paths are looked up in the current folder, then in the project root. Figures and report
text live in the report layer, which reads these tables; this wing never imports it.
"""

from analysis.vigie.bank import Bank, build_bank, empty_bank, filter_bank, read_parquet, write_parquet
from analysis.vigie.bibliometrics import (
    annual_growth_rate,
    annual_growth_rate_trend,
    citations_per_year,
    compute_top_keywords,
    documents_per_year,
    main_information,
    main_information_dict,
    production_summary,
)
from analysis.vigie.dedupe import RELATED_RULES
from analysis.vigie.directory import (
    CHECK_REASONS,
    OTHER_QUEBEC,
    Institutions,
    compute_directory,
    compute_institution_counts,
    compute_quebec_authorships,
    compute_researcher_works,
    compute_theme_capacity,
    compute_unattributed_quebec,
    directory_precision,
    draw_review_sample,
    label_review_sample,
    load_directory_review,
    load_institutions,
    match_affiliation,
    review_for_bank,
    wilson_interval,
)
from analysis.vigie.emerging import bh_adjust, compute_emerging_themes, fit_trend
from analysis.vigie.inputs import find_inputs, resolve_path
from analysis.vigie.networks import (
    Network,
    analyse_network,
    build_network,
    coauthor_items,
    coauthor_network,
    compute_communities,
    compute_network_summary,
    compute_node_table,
    keyword_items,
    keyword_kind,
    keyword_network,
)
from analysis.vigie.practices import load_practices, practice_sources
from analysis.vigie.priorities import (
    CRITERIA,
    EVIDENCE_CRITERIA,
    SHORTLIST_STATUSES,
    UNSPECIFIED,
    compute_candidate_criteria,
    compute_issue_gaps,
    compute_practice_inventory,
    compute_practice_sources,
    compute_practice_themes,
    compute_research_problems,
    compute_shortlist,
    compute_source_sensitivity,
    compute_theme_gaps,
    rank_candidates,
    select_shortlist,
    shortlist_stability,
)
from analysis.vigie.readers import FORMATS, ReadResult, detect_format, read_file
from analysis.vigie.readers.common import REJECTION_REASONS
from analysis.vigie.relevance import (
    compute_relevance,
    compute_scope_matches,
    compute_scope_terms,
    scope_vocabulary,
)
from analysis.vigie.roadmap import ROADMAP_REFERENCES, load_roadmap_references, roadmap_rejections
from analysis.vigie.sources_authors import (
    affiliation_coverage,
    compute_author_table,
    compute_bradford,
    compute_bradford_zones,
    compute_countries,
    compute_lotka,
    compute_top_sources,
    h_index,
    has_citations,
    international_collaboration,
)
from analysis.vigie.store import BankDatabase, open_bank, save_bank
from analysis.vigie.themes import (
    Theme,
    ThemeDictionary,
    compute_theme_shares,
    compute_theme_table,
    compute_theme_year_counts,
    compute_top_themes,
    compute_work_themes,
    load_themes,
    themed_coverage,
)

__all__ = [
    # the bank
    "Bank", "build_bank", "empty_bank", "filter_bank", "read_parquet", "write_parquet",
    # the bank as a database (Parquet + DuckDB views)
    "save_bank", "open_bank", "BankDatabase",
    # reading exports and finding inputs
    "FORMATS", "ReadResult", "REJECTION_REASONS", "RELATED_RULES", "detect_format", "read_file", "resolve_path",
    "find_inputs",
    # main information, production, citations, keywords
    "main_information", "main_information_dict", "documents_per_year", "production_summary", "annual_growth_rate",
    "annual_growth_rate_trend", "citations_per_year", "compute_top_keywords",
    # sources, authors, countries
    "compute_top_sources", "compute_author_table", "h_index", "has_citations", "compute_lotka", "compute_bradford",
    "compute_bradford_zones", "compute_countries", "affiliation_coverage", "international_collaboration",
    # themes and emerging themes
    "Theme", "ThemeDictionary", "load_themes", "compute_work_themes", "compute_theme_table", "compute_theme_shares",
    "themed_coverage", "compute_theme_year_counts", "compute_top_themes", "compute_emerging_themes", "fit_trend",
    "bh_adjust",
    # researchers in Québec
    "Institutions", "load_institutions", "match_affiliation", "compute_quebec_authorships", "compute_directory",
    "compute_institution_counts", "compute_theme_capacity", "OTHER_QUEBEC", "CHECK_REASONS",
    "compute_researcher_works", "compute_unattributed_quebec", "load_directory_review", "draw_review_sample",
    "review_for_bank", "label_review_sample", "directory_precision", "wilson_interval",
    # networks
    "Network", "build_network", "coauthor_items", "keyword_items", "keyword_kind", "compute_communities",
    "compute_network_summary", "compute_node_table", "analyse_network", "coauthor_network", "keyword_network",
    # practices and priorities
    "load_practices", "practice_sources", "compute_practice_inventory", "compute_practice_themes", "compute_issue_gaps",
    "compute_theme_gaps", "compute_research_problems", "compute_candidate_criteria", "rank_candidates",
    "shortlist_stability", "compute_shortlist", "CRITERIA", "UNSPECIFIED", "EVIDENCE_CRITERIA",
    "compute_practice_sources", "select_shortlist", "compute_source_sensitivity", "SHORTLIST_STATUSES",
    # the references the roadmap cites
    "ROADMAP_REFERENCES", "load_roadmap_references", "roadmap_rejections",
    # how far the corpus is on the watch's topic
    "scope_vocabulary", "compute_scope_matches", "compute_scope_terms", "compute_relevance",
]
