"""Optional one-off OpenAlex fetch (needs internet): query the works API page by page and save one dated raw file
holding the query, the retrieval date and every result — readable by ``read_openalex_json``.

Requests go through the watch's client (:class:`analysis.vigie.watch.openalex.OpenAlexClient`): the key from
``OPENALEX_API_KEY`` (required by OpenAlex since February 2026), retries with backoff on 429/5xx honouring
``Retry-After``. For a recurring watch with resumable paging and editions, use ``python -m analysis watch update``.

Nothing is written unless the caller gives the folder (``data/raw/`` is only changed by a person running
this on purpose); the manifest row (path, sha256, source, licence_notes) is returned and, when a manifest
path is given, appended to it. Tests use a recorded, synthetic response through ``opener``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import Callable

from analysis.core.errors import InputFormatError, ParameterError
from analysis.core.text import normalize_key
from analysis.vigie.watch.openalex import HttpResponse, OpenAlexClient, OpenAlexError, RequestBudget, urllib_transport

API = "https://api.openalex.org/works"
Opener = Callable[[str], bytes]


def build_url(params: dict[str, str], cursor: str) -> str:
    """Works API URL for the given query parameters and cursor (cursor pagination)."""
    query = {k: v for k, v in sorted(params.items()) if v not in (None, "")}
    query["cursor"] = cursor
    return f"{API}?{urllib.parse.urlencode(query)}"


def fetch_openalex(out_dir: str | Path, *, search: str | None = None, filter: str | None = None,
                   per_page: int = 200, max_pages: int = 5, mailto: str | None = None,
                   date: dt.date | None = None, manifest: str | Path | None = None,
                   opener: Opener | None = None, api_key: str | None = None) -> dict[str, str]:
    """Fetch works matching ``search``/``filter`` into ``out_dir/openalex_<date>_<slug>.json``.

    ``api_key`` defaults to ``OPENALEX_API_KEY``; ``opener(url) -> bytes`` replaces the network (tests).
    Returns the manifest row for the file written.
    """
    if not search and not filter:
        raise ParameterError("give a search text or an OpenAlex filter", field="search")
    if not 1 <= per_page <= 200 or max_pages < 1:
        raise ParameterError("per_page must be 1–200 and max_pages ≥ 1", field="per_page")
    if opener is not None:
        def transport(url: str, timeout: float) -> HttpResponse:
            return HttpResponse(200, {}, opener(url), url)
    else:
        transport = urllib_transport
    key = api_key if api_key is not None else os.environ.get("OPENALEX_API_KEY") or None
    client = OpenAlexClient(API.rsplit("/", 1)[0], RequestBudget(max_pages * 8), api_key=key, transport=transport)
    date = date or dt.datetime.now(dt.timezone.utc).date()
    params = {"search": search or "", "filter": filter or "", "per-page": str(per_page), "mailto": mailto or ""}
    results: list[dict] = []
    meta: dict = {}
    cursor = "*"
    urls = []
    for _ in range(max_pages):
        url = build_url(params, cursor)
        urls.append(url.replace(f"mailto={urllib.parse.quote(mailto or '')}", "mailto=…") if mailto else url)
        query = {k: v for k, v in sorted(params.items()) if v not in (None, "")}
        try:
            _, page = client.get("works", {**query, "cursor": cursor}, f"page {len(urls)} of the OpenAlex fetch")
        except OpenAlexError as exc:
            raise InputFormatError(f"OpenAlex request failed or returned invalid JSON ({exc.message})",
                                   path=url) from None
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise InputFormatError("OpenAlex answer has no 'results' list", path=url)
        results.extend(page["results"])
        meta = page.get("meta") or {}
        cursor = meta.get("next_cursor")
        if not cursor or not page["results"]:
            break
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_key(search or filter) or "").strip("-")[:40] or "query"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"openalex_{date.isoformat()}_{slug}.json"
    doc = {"query": {"api": API, "search": search, "filter": filter, "per_page": per_page,
                     "max_pages": max_pages, "urls": urls},
           "retrieved": date.isoformat(), "meta": {"count": meta.get("count")}, "results": results}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    row = {
        "path": path.name if manifest is None else _relative_to(path, Path(manifest).parent),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "source": f"OpenAlex works API, {date.isoformat()}, query: {search or ''} {filter or ''}".strip(),
        "licence_notes": "OpenAlex metadata is CC0; abstracts rebuilt from the inverted index",
    }
    if manifest is not None:
        with open(manifest, "a", encoding="utf-8", newline="") as f:
            csv.DictWriter(f, fieldnames=list(row)).writerow(row)
    return row


def _relative_to(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name
