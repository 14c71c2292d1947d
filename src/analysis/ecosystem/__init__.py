"""The ecosystem wing: a regional pole's weight, public purchasing from collective enterprises, the
digital-transformation programme, and the indicators transcribed from the seed documents.

What a researcher types::

    from analysis import ecosystem

    ind = ecosystem.load_indicators()                    # data/raw/ecosystem/indicators.csv
    ecosystem.region_shares(ind, "monteregie_est")       # the PECEM territory's share of Québec
    reg = ecosystem.load_register()                      # REQ extract for Mauricie (after `make data`)
    ecosystem.counts_by_form(reg)
    matches = ecosystem.match_directory(reg, ecosystem.load_pole_directory(), threshold=80)
    ecosystem.directory_coverage(matches, reg)
    labelled = ecosystem.label_matches(matches, ecosystem.load_match_review())   # the project's hand labels
    ecosystem.match_precision(labelled)                  # precision by score band, Wilson 95 % intervals
    ecosystem.grant(25_000)                              # 20 000 $: the programme's ceiling
    contracts, rejected = ecosystem.read_contracts(["data/private/seao.json"])
    ecosystem.collective_shares(contracts, by="region", register=reg)

Every function takes and returns DataFrames (or numbers), with English codes as values; the report layer
translates and draws. The submodules (:mod:`.indicators`, :mod:`.territory`,
:mod:`.review`, :mod:`.procurement`, :mod:`.digital`) hold the rest (constants, per-format contract readers).
"""

from analysis.ecosystem import digital, indicators, procurement, review, territory
from analysis.ecosystem.digital import (
    ceiling_cost,
    grant,
    grant_curve,
    grant_parameters,
    grant_table,
    programme_reach,
)
from analysis.ecosystem.indicators import (
    count_initiative_indicators,
    get_indicator,
    indicator_quality,
    indicator_sources,
    load_indicators,
    load_initiatives,
    scopes,
    weakest_quality,
)
from analysis.ecosystem.procurement import (
    classify_name,
    classify_suppliers,
    collective_shares,
    evaluate_on_labelled,
    load_labelled_names,
    read_contracts,
    recall_on_register,
)
from analysis.ecosystem.review import (
    compare_match_rules,
    label_matches,
    load_match_review,
    match_precision,
    missed_matches,
    review_sample,
    score_band,
    wilson_interval,
)
from analysis.ecosystem.territory import (
    accept_matches,
    coop_mutual_growth,
    counts_by_form,
    counts_by_municipality,
    directory_coverage,
    indicator_growth,
    load_pole_directory,
    load_pole_members,
    load_register,
    match_directory,
    matches_for_review,
    member_counts,
    municipality_key,
    name_score,
    normalize_name,
    region_ratios,
    region_shares,
    regions_with_shares,
    survival_comparison,
    word_conflict,
)

__all__ = [
    # seed indicators
    "load_indicators", "get_indicator", "scopes", "load_initiatives", "count_initiative_indicators",
    "indicator_quality", "weakest_quality", "indicator_sources",
    # territorial portrait from the indicators
    "regions_with_shares", "region_shares", "region_ratios", "indicator_growth", "coop_mutual_growth",
    "survival_comparison",
    # enterprise register and regional pole
    "load_register", "load_pole_directory", "load_pole_members", "counts_by_form", "counts_by_municipality",
    "member_counts", "normalize_name", "municipality_key", "name_score", "word_conflict", "match_directory",
    "accept_matches", "matches_for_review", "directory_coverage",
    # hand review of the name matching
    "review_sample", "load_match_review", "label_matches", "match_precision", "missed_matches",
    "compare_match_rules", "score_band", "wilson_interval",
    # public purchasing
    "read_contracts", "classify_name", "classify_suppliers", "recall_on_register", "load_labelled_names",
    "evaluate_on_labelled", "collective_shares",
    # digital-transformation programme
    "grant_parameters", "grant", "ceiling_cost", "grant_table", "grant_curve", "programme_reach",
    # submodules
    "indicators", "territory", "review", "procurement", "digital",
]
