"""``watch update``: run the strategy against OpenAlex, resume from the page cache, check the previous edition's
ids that no longer come back, build the bank and write a new edition.

The update works in two phases. **Fetching**: every query is paged with a cursor from where its cache stops; every
answer page is stored before the next is asked, so a stop (budget reached, 429 that persists, a kill) loses nothing
and a rerun asks only for what is missing. **Assembling** (only once every query is complete): the cached pages are
streamed into the edition's files, the ids the previous edition had and this one lacks are checked upstream (404 =
deleted, redirect = merged), the bank is built through the ordinary readers, and the staging folder becomes the
edition. The cache is then cleared, so the next update asks OpenAlex again.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputFormatError, ParameterError
from analysis.vigie.readers.common import decode, load_bytes, normalize_newlines
from analysis.vigie.readers.detect import detect_format
from analysis.vigie.watch.editions import (
    CHUNK_SIZE,
    UPSTREAM_COLUMNS,
    OpenAlexFiles,
    assemble_edition,
    editions_dir,
    latest_edition,
    new_edition_id,
    write_openalex_files,
)
from analysis.vigie.watch.openalex import (
    OpenAlexClient,
    PageCache,
    Progress,
    RequestBudget,
    Transport,
    WatchStopped,
    is_complete,
    iter_query_pages,
    urllib_transport,
    utc_today,
)
from analysis.vigie.watch.strategy import Strategy, export_files, load_strategy, query_request

ENV_URL = "VIGIE_OPENALEX_URL"
ENV_KEY = "OPENALEX_API_KEY"
ENV_BUDGET = "VIGIE_OPENALEX_BUDGET"
ENV_CACHE = "VIGIE_WATCH_CACHE"


def cache_dir(path: str | Path | None = None) -> Path:
    """The page cache: ``path``, else ``VIGIE_WATCH_CACHE``, else ``data/processed/watch_cache``."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_CACHE)
    return Path(env) if env else paths.PROCESSED / "watch_cache"


@dataclass
class UpdateResult:
    """What an update did.

    Attributes
    ----------
    status : str
        ``"edition"`` (a new edition was written) or ``"stopped"`` (budget or rate limit: rerun to resume).
    message : str
        One paragraph saying what happened and how far it got.
    progress : DataFrame
        Per query: ``query_id``, ``pages``, ``works``, ``count_reported``, ``complete``.
    requests : int
        HTTP requests made by this run (retries included).
    edition_id, edition_path
        The edition written, when there is one.
    """

    status: str
    message: str
    progress: pd.DataFrame
    requests: int
    edition_id: str | None = None
    edition_path: Path | None = None
    waits: list[float] = field(default_factory=list)


def _budget_value(budget: int | str | None, strategy: Strategy) -> int:
    value = budget if budget is not None else os.environ.get(ENV_BUDGET) or strategy.openalex.daily_request_budget
    try:
        out = int(value)
    except (TypeError, ValueError):
        raise ParameterError(f"the daily request budget must be a whole number, got {value!r}",
                             field="budget") from None
    if out < 1:
        raise ParameterError(f"the daily request budget must be at least 1, got {out}", field="budget")
    return out


def _progress_table(strategy: Strategy, cache: PageCache, base_url: str) -> pd.DataFrame:
    rows = []
    for q in strategy.queries:
        folder = cache.query_dir(base_url, query_request(strategy, q), q.id)
        pages = cache.pages(folder)
        rows.append({"query_id": q.id, "pages": len(pages), "works": sum(p.n_results for p in pages),
                     "count_reported": pages[0].count if pages else None, "complete": is_complete(pages)})
    return pd.DataFrame(rows, columns=["query_id", "pages", "works", "count_reported", "complete"])


def _stopped_message(reason: str, table: pd.DataFrame, budget: RequestBudget, per_page: int) -> str:
    done = int(table["complete"].sum())
    lines = [f"Update stopped: {reason}.",
             f"{done} of {len(table)} queries complete; {int(table['pages'].sum()):,} pages and "
             f"{int(table['works'].sum()):,} works cached."]
    for r in table[~table["complete"]].itertuples():
        if r.pages:
            total = f" of about {-(-int(r.count_reported) // per_page):,}" if pd.notna(r.count_reported) else ""
            of = f" of {int(r.count_reported):,}" if pd.notna(r.count_reported) else ""
            lines.append(f"  query {r.query_id!r}: stopped at page {r.pages:,}{total} ({r.works:,}{of} works)")
        else:
            lines.append(f"  query {r.query_id!r}: not started")
    lines.append(f"Requests today (UTC): {budget.used_today} of {budget.limit}. Rerun `python -m analysis watch "
                 "update` (tomorrow, or with a larger --budget) to resume: cached pages are not asked again.")
    return "\n".join(lines)


def _export_inputs(strategy: Strategy, root: Path | None, progress: Progress) -> list[tuple[str, Path, str]]:
    """(export id, path, detected format) of every export file, checked against the formats its folder accepts."""
    out = []
    for e in strategy.exports:
        files = export_files(strategy, root)[e.id]
        if not files:
            progress.say(f"export folder {e.folder} ({e.id}): no file")
        for p in files:
            head = load_bytes(p)[:65536]
            text, _, _ = decode(head, p)
            fmt = detect_format(normalize_newlines(text), p)
            if fmt not in e.formats:
                raise InputFormatError(f"detected as {fmt}, but the strategy's export folder {e.id!r} accepts "
                                       f"{', '.join(e.formats)}", path=paths.relative(p))
            out.append((e.id, p, fmt))
    return out


class _Lock:
    """An exclusive lock on the cache folder (two updates on one cache would interleave pages)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / ".lock"
        self.fh = None

    def __enter__(self) -> _Lock:
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            raise ParameterError(f"another watch update is running on the cache {self.path.parent}",
                                 field="cache") from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def run_update(strategy: Strategy | str | Path | None = None, *, cache: str | Path | None = None,
               editions: str | Path | None = None, budget: int | str | None = None, base_url: str | None = None,
               api_key: str | None = None, edition_id: str | None = None, exports_root: Path | None = None,
               transport: Transport = urllib_transport, sleep: Callable[[float], None] | None = None,
               backoff: float | None = None, max_retries: int | None = None, max_wait: float = 600.0,
               stream: TextIO | None = sys.stderr, progress_interval: float = 2.0,
               today: Callable[[], dt.date] = utc_today, chunk_size: int = CHUNK_SIZE,
               keep_cache: bool = False, check_upstream: bool = True,
               snapshot_date: str | None = None) -> UpdateResult:
    """Run the watch strategy against OpenAlex and write a new edition when every query is complete.

    Parameters
    ----------
    strategy : Strategy, str or Path, optional
        The strategy (default ``data/raw/vigie/strategy.yaml``).
    cache : str or Path, optional
        Page cache folder (default :func:`cache_dir`).
    editions : str or Path, optional
        Editions folder (default :func:`analysis.vigie.watch.editions.editions_dir`).
    budget : int, optional
        Requests allowed per UTC day (default ``VIGIE_OPENALEX_BUDGET``, else the strategy's).
    base_url : str, optional
        API root (default ``VIGIE_OPENALEX_URL``, else the strategy's, i.e. the public API).
    api_key : str, optional
        OpenAlex key (default ``OPENALEX_API_KEY``); never written anywhere.
    edition_id : str, optional
        Id of the new edition (default the UTC date; refused when it exists).
    exports_root : Path, optional
        Folder the strategy's export folders are relative to (default the project root).
    transport, sleep : callable, optional
        How URLs are fetched and how waiting is done (tests replace them).
    backoff, max_retries : optional
        Override the strategy's retry settings (tests use ``backoff=0``).
    max_wait : float
        Longest ``Retry-After`` honoured before stopping cleanly.
    stream : file, optional
        Where progress lines go (default stderr; None for silence).
    progress_interval : float
        Seconds between two progress lines of a query.
    today : callable
        UTC date (budget day, edition id).
    chunk_size : int
        Works per JSON Lines file of the edition.
    keep_cache : bool
        Keep the cached pages after writing the edition (default: cleared, so the next update asks again).
    check_upstream : bool
        Check the previous edition's ids that no longer come back (one free singleton call each).
    snapshot_date : str, optional
        When ``base_url`` is a mirror built from an OpenAlex snapshot: the date of the snapshot's manifest, recorded
        in the edition (the public API serves live data and needs none).

    Returns
    -------
    UpdateResult
        ``status="edition"`` with the edition's id and folder, or ``status="stopped"`` with how far it got.

    Raises
    ------
    OpenAlexError
        OpenAlex answered an error the watch cannot recover from (pages fetched before are kept).
    SchemaError, InputFormatError, ParameterError
        A bad strategy, export file or option.
    """
    if not isinstance(strategy, Strategy):
        strategy = load_strategy(strategy)
    base = (base_url or os.environ.get(ENV_URL) or strategy.openalex.base_url).rstrip("/")
    key = api_key if api_key is not None else os.environ.get(ENV_KEY) or None
    progress = Progress(stream, progress_interval)
    page_cache = PageCache(cache_dir(cache))
    out_dir = editions_dir(editions)
    limit = _budget_value(budget, strategy)
    request_budget = RequestBudget(limit, page_cache.usage_file, today)
    client = OpenAlexClient(
        base_url=base, budget=request_budget, api_key=key,
        max_retries=strategy.openalex.max_retries if max_retries is None else max_retries,
        backoff=strategy.openalex.backoff_seconds if backoff is None else backoff, max_wait=max_wait,
        transport=transport, **({"sleep": sleep} if sleep is not None else {}))
    if key is None and base == "https://api.openalex.org":
        progress.say(f"no {ENV_KEY} set: without a key OpenAlex allows only a few requests a day (see docs/watch.md)")
    per_page = strategy.openalex.per_page
    with _Lock(page_cache.root):
        progress.say(f"strategy {paths.relative(strategy.path)} ({strategy.hash[:12]}), {len(strategy.queries)} "
                     f"queries, {base}; budget {request_budget.remaining} of {limit} requests left today (UTC)")
        try:
            for q in strategy.queries:
                for _ in iter_query_pages(client, page_cache, q.id, query_request(strategy, q), progress, per_page):
                    pass
        except WatchStopped as stop:
            table = _progress_table(strategy, page_cache, base)
            message = _stopped_message(stop.message, table, request_budget, per_page)
            progress.say(message)
            return UpdateResult("stopped", message, table, request_budget.spent_this_run, waits=client.waits)

        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob(".staging-*"):  # left by a killed run (the lock says none is running)
            shutil.rmtree(old, ignore_errors=True)
        previous = latest_edition(out_dir)
        new_id = new_edition_id(out_dir, today(), edition_id)
        staging = out_dir / f".staging-{new_id}"
        try:
            opened = _write_openalex(strategy, page_cache, base, staging, chunk_size)
            upstream = _check_upstream(client, page_cache, previous, opened, progress) if check_upstream else \
                pd.DataFrame(columns=UPSTREAM_COLUMNS)
            exports = _export_inputs(strategy, exports_root, progress)
            progress.say(f"building the bank from {len(opened.chunks)} OpenAlex file(s) and {len(exports)} export(s)")
            created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            settings = {"base_url": base, "per_page": per_page, "select": list(strategy.openalex.select),
                        "filter": strategy.openalex.filter, "snapshot_manifest_date": snapshot_date}
            path = assemble_edition(folder=out_dir, edition_id=new_id, strategy_path=strategy.path,
                                    strategy_hash=strategy.hash, themes_path=strategy.themes_file,
                                    openalex_settings=settings, openalex=opened, staging=staging, exports=exports,
                                    upstream=upstream, previous=previous, created_at=created)
        except WatchStopped as stop:
            shutil.rmtree(staging, ignore_errors=True)
            table = _progress_table(strategy, page_cache, base)
            message = (f"Update stopped while checking the previous edition's ids: {stop.message}. Every query is "
                       f"complete and cached; checks made so far are cached too. Requests today (UTC): "
                       f"{request_budget.used_today} of {limit}. Rerun to resume.")
            progress.say(message)
            return UpdateResult("stopped", message, table, request_budget.spent_this_run, waits=client.waits)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        table = _progress_table(strategy, page_cache, base)
        if not keep_cache:
            page_cache.clear()
    message = (f"Edition {new_id} written to {path} ({opened.queries['works_first_seen'].sum():,} OpenAlex works, "
               f"{len(exports)} export file(s)); {request_budget.spent_this_run} request(s) this run.")
    progress.say(message)
    return UpdateResult("edition", message, table, request_budget.spent_this_run, new_id, path, client.waits)


def _write_openalex(strategy: Strategy, cache: PageCache, base: str, staging: Path, chunk_size: int) -> OpenAlexFiles:
    def queries():
        for q in strategy.queries:
            folder = cache.query_dir(base, query_request(strategy, q), q.id)
            yield q.id, q.theme, cache.pages(folder)

    return write_openalex_files(queries(), staging / "openalex", chunk_size)


def _check_upstream(client: OpenAlexClient, cache: PageCache, previous, opened: OpenAlexFiles,
                    progress: Progress) -> pd.DataFrame:
    """Ask OpenAlex about each id of the previous edition that this update did not receive (cached checks
    reused)."""
    if previous is None:
        return pd.DataFrame(columns=UPSTREAM_COLUMNS)
    before = set(previous.work_ids["openalex_id"].dropna().astype(str))
    absent = sorted(before - opened.ids)
    if absent:
        progress.say(f"{len(absent):,} id(s) of edition {previous.id} no longer returned: checking them upstream")
    rows = []
    for i, wid in enumerate(absent, start=1):
        found = cache.check(wid)
        if found is None:
            found = client.check_work(wid)
            cache.write_check(found)
        rows.append(found)
    return pd.DataFrame(rows, columns=UPSTREAM_COLUMNS)
