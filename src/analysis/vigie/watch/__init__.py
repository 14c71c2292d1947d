"""The living watch (veille) of the Vigie de l'innovation coopérative: the strategy as data, OpenAlex updates that
resume and respect limits, immutable editions, and what changed from one edition to the next.

A researcher types::

    from analysis.vigie import watch
    strategy = watch.load_strategy()                 # data/raw/vigie/strategy.yaml, checked
    result = watch.run_update()                      # = python -m analysis watch update (make watch)
    watch.list_editions()                            # editions, oldest first
    current = watch.load_edition("2026-06-01")       # .bank, .work_ids, .queries, .upstream
    tables = watch.changes(watch.previous_edition(current), current)

See docs/watch.md for running an edition with your own OpenAlex key.
"""

from analysis.vigie.watch.changes import (
    changes,
    compute_citation_moves,
    compute_new_by_theme,
    compute_new_researchers,
    compute_new_works,
    compute_trend_changes,
    compute_withdrawn,
    match_works,
    work_keys,
)
from analysis.vigie.watch.editions import (
    Edition,
    editions_dir,
    latest_edition,
    list_editions,
    load_edition,
    load_edition_bank,
    previous_edition,
    verify_edition,
)
from analysis.vigie.watch.openalex import OpenAlexClient, OpenAlexError, PageCache, RequestBudget, WatchStopped
from analysis.vigie.watch.strategy import (
    Strategy,
    WatchQuery,
    export_files,
    load_strategy,
    query_request,
    shortlist_rules,
    strategy_hash,
)
from analysis.vigie.watch.update import UpdateResult, cache_dir, run_update

__all__ = [
    "Edition", "OpenAlexClient", "OpenAlexError", "PageCache", "RequestBudget", "Strategy", "UpdateResult",
    "WatchQuery", "WatchStopped", "cache_dir", "changes", "compute_citation_moves", "compute_new_by_theme",
    "compute_new_researchers", "compute_new_works", "compute_trend_changes", "compute_withdrawn", "editions_dir",
    "export_files", "latest_edition", "list_editions", "load_edition", "load_edition_bank", "load_strategy",
    "match_works", "previous_edition", "query_request", "run_update", "shortlist_rules", "strategy_hash",
    "verify_edition", "work_keys",
]
