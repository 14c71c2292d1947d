"""OpenAlex works API client of the watch: cursor paging, retries with backoff, a daily request budget, and an
on-disk page cache so that an interrupted update resumes where it stopped and never counts a page twice.

Conventions used (OpenAlex developer documentation, 2026; cited in docs/watch.md):

- ``/works?search=…&filter=…&per_page=…&select=…&cursor=*``; each answer's ``meta.next_cursor`` gives the next page;
  the list ends when ``next_cursor`` is null or ``results`` is empty. Cursor paging is the way past 10,000 results.
- ``api_key=<key>`` on every call (required since February 2026); the key is never written to disk or printed.
- 429 (rate or daily limit) and 5xx are retried with exponential backoff, waiting at least ``Retry-After``;
  a 429 that persists, or a ``Retry-After`` longer than ``max_wait``, stops the update cleanly (rerun resumes).
- ``/works/<id>``: 404 for a deleted id, a 301 redirect to the surviving id for a merged one (singleton calls are
  free on OpenAlex; the watch still counts them in its budget).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from analysis.core.errors import ParameterError, VigieError

USER_AGENT = "vigie-analysis watch (https://github.com/; research use)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class OpenAlexError(VigieError):
    """OpenAlex answered something the watch cannot use (a 4xx other than 429, or still an error after every
    retry); the message names the query and page. Pages already cached are kept: a rerun resumes."""


class WatchStopped(VigieError):
    """The update stopped cleanly before its end (daily budget reached, or OpenAlex asked to wait too long).

    Attributes
    ----------
    reason : str
        ``"budget"`` or ``"rate_limited"``.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class HttpResponse:
    """One HTTP answer: status, headers (lower-case names), body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes
    url: str


Transport = Callable[[str, float], HttpResponse]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep 3xx answers as they are: a redirect is how OpenAlex says an id was merged."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def urllib_transport(url: str, timeout: float) -> HttpResponse:
    """GET ``url`` with urllib, redirects not followed; network failures raise ``OSError``."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:  # noqa: S310 - http(s) URL built by the client
            return HttpResponse(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read(), url)
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        return HttpResponse(exc.code, headers, body, url)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (a number of seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _write_json_atomic(path: Path, obj: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def utc_today() -> dt.date:
    """Today's date in UTC (the day OpenAlex budgets are counted in)."""
    return dt.datetime.now(dt.timezone.utc).date()


class RequestBudget:
    """Requests allowed per UTC day, counted across runs in ``<cache>/usage.json``.

    Parameters
    ----------
    limit : int
        Requests allowed per day (every HTTP attempt counts, retries included).
    usage_file : Path, optional
        Where the day's count is kept (None: counted in memory only).
    today : callable, optional
        Returns the current UTC date (tests pass a fixed one).
    """

    def __init__(self, limit: int, usage_file: Path | None = None, today: Callable[[], dt.date] = utc_today) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ParameterError(f"the daily request budget must be a whole number ≥ 1, got {limit!r}",
                                 field="budget")
        self.limit = limit
        self.usage_file = usage_file
        self.today = today
        self.spent_this_run = 0
        self._usage: dict[str, int] = {}
        if usage_file is not None and usage_file.exists():
            try:
                loaded = json.loads(usage_file.read_text(encoding="utf-8"))
                self._usage = {str(k): int(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
            except (ValueError, TypeError):
                self._usage = {}

    @property
    def used_today(self) -> int:
        """Requests already made today (this run and earlier runs)."""
        return self._usage.get(self.today().isoformat(), 0)

    @property
    def remaining(self) -> int:
        """Requests left today."""
        return max(0, self.limit - self.used_today)

    def spend(self, what: str) -> None:
        """Count one request, or raise :class:`WatchStopped` when the day's budget is used up."""
        day = self.today().isoformat()
        used = self._usage.get(day, 0)
        if used >= self.limit:
            raise WatchStopped(f"daily request budget of {self.limit} reached for {day} (UTC) before {what}",
                               "budget")
        self._usage = {day: used + 1}  # earlier days are of no use
        self.spent_this_run += 1
        if self.usage_file is not None:
            _write_json_atomic(self.usage_file, self._usage)


@dataclass
class OpenAlexClient:
    """Calls the works API with retries, backoff and a request budget.

    Parameters
    ----------
    base_url : str
        API root (``https://api.openalex.org`` or a mirror / test server).
    api_key : str, optional
        Sent as ``api_key``; never stored or printed.
    budget : RequestBudget
        The daily budget every attempt is counted against.
    max_retries : int
        Retries of one request after the first attempt.
    backoff : float
        First wait in seconds, doubled at each retry (0 in tests).
    max_wait : float
        Longest single wait accepted; a ``Retry-After`` above it stops the update cleanly.
    timeout : float
        Seconds before a request is abandoned (then retried).
    transport, sleep : callable
        How a URL is fetched and how waiting is done (tests replace them).
    """

    base_url: str
    budget: RequestBudget
    api_key: str | None = None
    max_retries: int = 6
    backoff: float = 2.0
    max_wait: float = 600.0
    timeout: float = 60.0
    transport: Transport = urllib_transport
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)

    def url(self, path: str, params: dict[str, str]) -> str:
        """Full URL of ``path`` with ``params`` (the key added last)."""
        query = dict(params)
        if self.api_key:
            query["api_key"] = self.api_key
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"

    def _redact(self, text: str) -> str:
        if self.api_key:
            text = text.replace(urllib.parse.quote_plus(self.api_key), "…").replace(self.api_key, "…")
        return text

    def _wait(self, attempt: int, retry_after: float | None, what: str) -> None:
        wait = self.backoff * (2 ** attempt)
        if retry_after is not None:
            if retry_after > self.max_wait:
                raise WatchStopped(f"OpenAlex asks to wait {retry_after:.0f} s before {what} (more than the "
                                   f"{self.max_wait:.0f} s accepted): its daily limit is probably reached",
                                   "rate_limited")
            wait = max(wait, retry_after)
        wait = min(wait, self.max_wait)
        self.waits.append(wait)
        if wait > 0:
            self.sleep(wait)

    def get(self, path: str, params: dict[str, str], what: str, *, parse: bool = True,
            accept: frozenset[int] = frozenset({200})) -> tuple[HttpResponse, Any]:
        """GET with retries. Returns the response and its parsed JSON (None when ``parse`` is false or the status
        is not 200).

        Parameters
        ----------
        path : str
            ``works`` or ``works/W123``.
        params : dict
            Query parameters (without the key).
        what : str
            Names the request in messages (``query 'food' page 3``).
        parse : bool
            Parse a 200 body as JSON; an unparsable body (a truncated page) is retried like a 5xx.
        accept : frozenset of int
            Statuses returned to the caller instead of raising (e.g. 301, 404 for an id check).

        Raises
        ------
        WatchStopped
            Budget reached, or 429 persisting / Retry-After too long (a clean stop: rerun to resume).
        OpenAlexError
            Another 4xx, or an error still there after every retry.
        """
        url = self.url(path, params)
        problem = ""
        for attempt in range(self.max_retries + 1):
            self.budget.spend(what)
            try:
                resp = self.transport(url, self.timeout)
            except (OSError, socket.timeout) as exc:  # URLError, reset connection, timeout
                problem = f"network error ({type(exc).__name__}: {getattr(exc, 'reason', exc)})"
                if attempt < self.max_retries:
                    self._wait(attempt, None, what)
                continue
            if resp.status in accept and resp.status != 200:
                return resp, None
            if resp.status == 200:
                if not parse:
                    return resp, None
                try:
                    return resp, json.loads(resp.body.decode("utf-8"))
                except (UnicodeDecodeError, ValueError) as exc:
                    problem = f"invalid JSON in the answer ({exc}; {len(resp.body)} bytes: truncated page?)"
                    if attempt < self.max_retries:
                        self._wait(attempt, None, what)
                    continue
            if resp.status in RETRY_STATUSES:
                problem = f"HTTP {resp.status}"
                if attempt < self.max_retries:
                    self._wait(attempt, parse_retry_after(resp.headers.get("retry-after")), what)
                continue
            detail = resp.body[:300].decode("utf-8", "replace").strip()
            raise OpenAlexError(self._redact(f"OpenAlex answered HTTP {resp.status} to {what} "
                                             f"({self.base_url}/{path}): {detail}"))
        if problem == "HTTP 429":
            raise WatchStopped(f"OpenAlex still answers 429 (too many requests) to {what} after "
                               f"{self.max_retries} retries: its rate or daily limit is reached", "rate_limited")
        raise OpenAlexError(self._redact(f"{what} failed after {self.max_retries + 1} attempts: {problem}; the pages "
                                         "already fetched are cached, rerun to resume"))

    def check_work(self, openalex_id: str) -> dict[str, Any]:
        """Is a work id still upstream? ``{"openalex_id", "http_status", "status", "merged_into"}`` with status
        ``present`` (200, same id), ``merged`` (a redirect, or a 200 answering with another id) or ``deleted`` (404
        or 410).

        Parameters
        ----------
        openalex_id : str
            A short work id (``W123``).
        """
        what = f"the check of work {openalex_id}"
        resp, data = self.get(f"works/{openalex_id}", {"select": "id"}, what, accept=frozenset({301, 302, 303, 307,
                                                                                                308, 404, 410}))
        out: dict[str, Any] = {"openalex_id": openalex_id, "http_status": resp.status, "status": "present",
                               "merged_into": None}
        if resp.status in (404, 410):
            out["status"] = "deleted"
        elif resp.status in (301, 302, 303, 307, 308):
            out["status"] = "merged"
            out["merged_into"] = short_id(resp.headers.get("location"))
        elif isinstance(data, dict):
            got = short_id(data.get("id"))
            if got and got != openalex_id:
                out.update(status="merged", merged_into=got)
        return out


def short_id(value: object) -> str | None:
    """``W123`` from ``https://openalex.org/W123``, ``/works/W123?x=1`` or ``W123``; None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    tail = urllib.parse.urlsplit(value.strip()).path.rstrip("/").rsplit("/", 1)[-1]
    return tail or None


# --- the page cache -------------------------------------------------------------------------------------------------

def query_hash(base_url: str, params: dict[str, str]) -> str:
    """SHA-256 of what defines a query's answers: base URL and parameters (never the key, never the cursor)."""
    clean = {k: v for k, v in params.items() if k not in ("api_key", "cursor")}
    canonical = json.dumps({"base_url": base_url.rstrip("/"), "path": "works", "params": clean}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """One cached answer page of a query."""

    number: int
    cursor: str
    next_cursor: str | None
    count: int | None
    n_results: int
    retrieved_at: str
    path: Path

    def results(self) -> list[dict]:
        """The works of the page (read from disk)."""
        return json.loads(self.path.read_text(encoding="utf-8"))["response"]["results"]


class PageCache:
    """Answer pages on disk: ``<root>/queries/<query hash>/page-<n>-<cursor hash>.json`` (written atomically),
    plus ``<root>/checks/<id>.json`` for id checks and ``<root>/usage.json`` for the daily budget.

    Parameters
    ----------
    root : Path
        The cache folder (created when missing).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def usage_file(self) -> Path:
        return self.root / "usage.json"

    def query_dir(self, base_url: str, params: dict[str, str], query_id: str) -> Path:
        """Folder of a query's pages (created with a ``query.json`` describing it)."""
        folder = self.root / "queries" / query_hash(base_url, params)[:24]
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
        info = folder / "query.json"
        if not info.exists():
            _write_json_atomic(info, {"query_id": query_id, "base_url": base_url, "params": params})
        return folder

    def pages(self, folder: Path) -> list[CachedPage]:
        """The cached pages of a query, in order (1, 2, …); a gap ends the list (later files are ignored)."""
        out: list[CachedPage] = []
        for p in sorted(folder.glob("page-*.json")):
            try:
                number = int(p.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            if number != len(out) + 1:
                break
            meta = json.loads(p.read_text(encoding="utf-8"))
            out.append(CachedPage(number, meta["cursor"], meta["next_cursor"], meta["count"], meta["n_results"],
                                  meta["retrieved_at"], p))
        return out

    def write_page(self, folder: Path, number: int, cursor: str, response: dict, retrieved_at: str) -> CachedPage:
        """Store one answer page (atomically: a killed process leaves no half page)."""
        meta = response.get("meta") or {}
        results = response.get("results") or []
        next_cursor = meta.get("next_cursor") or None
        count = meta.get("count") if isinstance(meta.get("count"), int) else None
        name = f"page-{number:06d}-{hashlib.sha256(cursor.encode()).hexdigest()[:12]}.json"
        path = folder / name
        _write_json_atomic(path, {"cursor": cursor, "next_cursor": next_cursor, "count": count,
                                  "n_results": len(results), "retrieved_at": retrieved_at, "response": response})
        return CachedPage(number, cursor, next_cursor, count, len(results), retrieved_at, path)

    def check(self, openalex_id: str) -> dict | None:
        """A cached id check, or None."""
        p = self.root / "checks" / f"{openalex_id}.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None

    def write_check(self, result: dict) -> None:
        """Store an id check."""
        folder = self.root / "checks"
        folder.mkdir(parents=True, exist_ok=True)
        _write_json_atomic(folder / f"{result['openalex_id']}.json", result)

    def clear(self) -> None:
        """Forget pages and checks (after an edition is written); the budget's usage is kept."""
        import shutil

        for name in ("queries", "checks"):
            if (self.root / name).exists():
                shutil.rmtree(self.root / name)


def is_complete(pages: list[CachedPage]) -> bool:
    """A query's pages are complete when the last one has no next cursor or no result."""
    return bool(pages) and (pages[-1].next_cursor is None or pages[-1].n_results == 0)


# --- progress ---------------------------------------------------------------------------------------------------------

class Progress:
    """Progress lines on stderr (pages, works, pages per second, ETA), at most one every ``interval`` seconds per
    query plus one when a query ends.

    Parameters
    ----------
    stream : file, optional
        Where lines go (default ``sys.stderr``); None silences them.
    interval : float
        Seconds between two lines of the same query.
    clock : callable
        Monotonic clock (tests pass a fake one).
    """

    def __init__(self, stream: TextIO | None = sys.stderr, interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._start: float | None = None
        self._start_page = 0
        self._last = -1e18

    def say(self, text: str) -> None:
        """One line."""
        if self.stream is not None:
            print(f"[watch] {text}", file=self.stream, flush=True)

    def start_query(self, query_id: str, resumed_pages: int) -> None:
        """A query starts (or resumes after ``resumed_pages`` cached pages)."""
        self._start, self._start_page, self._last = self.clock(), resumed_pages, -1e18
        if resumed_pages:
            self.say(f"{query_id}: resuming after {resumed_pages} cached page(s)")

    def page(self, query_id: str, number: int, works: int, count: int | None, per_page: int, done: bool) -> None:
        """A page arrived: ``works`` received so far for the query, ``count`` as OpenAlex reported it."""
        now = self.clock()
        if not done and now - self._last < self.interval:
            return
        self._last = now
        fetched = number - self._start_page
        elapsed = max(now - (self._start if self._start is not None else now), 1e-9)
        rate = fetched / elapsed if fetched else 0.0
        total_pages = -(-count // per_page) if count else None
        parts = [f"{query_id}: page {number}" + (f"/{total_pages}" if total_pages and not done else ""),
                 f"{works:,} works" + (f" of {count:,}" if count is not None else "")]
        if rate:
            parts.append(f"{rate:.1f} pages/s")
        if not done and rate and total_pages:
            parts.append(f"ETA {dt.timedelta(seconds=round(max(total_pages - number, 0) / rate))}")
        if done:
            parts.append("done")
        self.say(" · ".join(parts))


def iter_query_pages(client: OpenAlexClient, cache: PageCache, query_id: str, params: dict[str, str],
                     progress: Progress | None = None, per_page: int = 100) -> Iterator[CachedPage]:
    """Fetch a query page by page from where its cache stops, storing each page; yields every page (cached ones
    first). Stops when OpenAlex gives no next cursor or an empty page.

    Parameters
    ----------
    client : OpenAlexClient
        Client of the works API.
    cache : PageCache
        Page cache (resumes from it).
    query_id : str
        Names the query in messages and progress lines.
    params : dict
        Works-API parameters of the query (without cursor and key).
    progress : Progress, optional
        Progress reporter.
    per_page : int
        Page size (for the ETA).

    Raises
    ------
    WatchStopped, OpenAlexError
        See :meth:`OpenAlexClient.get`; the pages fetched before are kept in the cache.
    """
    folder = cache.query_dir(client.base_url, params, query_id)
    pages = cache.pages(folder)
    progress = progress or Progress(None)
    progress.start_query(query_id, len(pages))
    works = 0
    for page in pages:
        works += page.n_results
        yield page
    if is_complete(pages):
        return
    cursor = pages[-1].next_cursor if pages else "*"
    number = len(pages)
    count = pages[0].count if pages else None
    while True:
        number += 1
        resp, data = client.get("works", {**params, "cursor": cursor}, f"query {query_id!r} page {number}")
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise OpenAlexError(f"query {query_id!r} page {number}: the answer has no 'results' list")
        retrieved = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        page = cache.write_page(folder, number, cursor, data, retrieved)
        count = page.count if count is None else count
        works += page.n_results
        done = page.next_cursor is None or page.n_results == 0
        progress.page(query_id, number, works, count, per_page, done)
        yield page
        if done:
            return
        cursor = page.next_cursor
