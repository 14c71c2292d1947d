"""A small local server that speaks the OpenAlex works API, for the watch tests (no network).

It serves **synthetic** works (made by seeded code, see :func:`synthetic_work`: titles say "Synthetic work",
DOIs use the 10.5555 test prefix, ids start at W9000000001) in the shape OpenAlex answers with: ``/works`` lists
with ``meta`` (count, per_page, next_cursor) and ``results``, cursor paging (``cursor=*`` then opaque cursors; a
page with results always carries a next cursor, the list ends on an empty page with a null cursor, as OpenAlex
does), root-level ``select``, and ``/works/<id>`` singletons (200, a 301 redirect for a merged id, a 404 for a
deleted one). Faults are injected on purpose: a 429 with ``Retry-After``, a 500, a page cut short (truncated JSON
with status 200), a dropped connection.

Run it in a thread (:class:`FakeOpenAlex` is a context manager) or as a process
(``python tests/_watch_server.py <port file> <config json>``, used by the kill test).
"""

from __future__ import annotations

import base64
import json
import random
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WORDS = ("cooperative", "mutual", "governance", "members", "food", "digital", "platform", "housing", "finance",
         "solidarity", "workers", "region", "innovation", "energy", "care", "training", "local", "network")
INSTITUTIONS = [("Université du Québec à Montréal", "CA", "Montréal, QC, Canada"),
                ("Université Laval", "CA", "Québec, QC, Canada"),
                ("Synthetic University of Elsewhere", "FR", "Lyon, France"),
                ("Synthetic Institute", "IT", "Bologna, Italy")]


def synthetic_work(n: int, rng: random.Random, topic: str = "food", abstract_words: int = 120,
                   year: int | None = None, cited_by: int | None = None) -> dict:
    """One invented OpenAlex work object (recorded shape, synthetic content); ``n`` makes its id and DOI."""
    wid = f"W{9_000_000_000 + n}"
    title = f"Synthetic work {n} on {topic} and cooperatives"
    words = [rng.choice(WORDS) for _ in range(abstract_words)]
    inverted: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        inverted.setdefault(w, []).append(i)
    authors = []
    for pos in range(rng.randint(1, 4)):
        inst, cc, raw = rng.choice(INSTITUTIONS)
        a = rng.randint(1, 400)
        authors.append({
            "author_position": "first" if pos == 0 else "middle",
            "author": {"id": f"https://openalex.org/A{9_100_000_000 + a}", "display_name": f"Synthetic Author{a}",
                       "orcid": None},
            "institutions": [{"id": f"https://openalex.org/I{9_200_000_000 + len(inst)}", "display_name": inst,
                              "ror": None, "country_code": cc, "type": "education"}],
            "countries": [cc], "is_corresponding": pos == 0, "raw_author_name": f"Synthetic Author{a}",
            "raw_affiliation_strings": [f"{inst}, {raw}"]})
    y = year if year is not None else rng.randint(2005, 2024)
    return {
        "id": f"https://openalex.org/{wid}", "doi": f"https://doi.org/10.5555/synth.watch.{n}", "title": title,
        "display_name": title, "publication_year": y,
        "publication_date": f"{y}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "type": "article", "language": "en", "cited_by_count": cited_by if cited_by is not None else rng.randint(0, 50),
        "primary_location": {"is_oa": False, "source": {"id": "https://openalex.org/S9300000001",
                                                        "display_name": "Synthetic Journal of Cooperative Studies",
                                                        "type": "journal"}},
        "abstract_inverted_index": inverted,
        "keywords": [{"id": f"https://openalex.org/keywords/{topic}", "display_name": topic.capitalize(),
                      "score": 0.5}],
        "authorships": authors, "updated_date": "2026-01-01T00:00:00", "created_date": "2025-01-01",
    }


class LazyWorks:
    """``count`` synthetic works made on demand (work ``first + i`` from its own seed), so a server can answer a
    200,000-work query without holding it in memory."""

    def __init__(self, count: int, first: int, topic: str, seed: int = 7, abstract_words: int = 120) -> None:
        self.count, self.first, self.topic, self.seed, self.words = count, first, topic, seed, abstract_words

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop, _ = index.indices(self.count)
        return [synthetic_work(self.first + i, random.Random(self.seed * 1_000_003 + self.first + i), self.topic,
                               self.words) for i in range(start, stop)]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    if cursor == "*":
        return 0
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1])


@dataclass
class Fault:
    """A fault served instead of a normal answer: ``kind`` in ``429``, ``500``, ``truncate``, ``drop``; fires on
    requests whose search contains ``route`` at ``offset`` (None: any), ``times`` times."""

    kind: str
    route: str | None = None
    offset: int | None = None
    times: int = 1
    retry_after: str = "1"


@dataclass
class State:
    routes: list[tuple[str, list[dict]]]
    singletons: dict[str, dict] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0
    log: list[tuple[str, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def works_for(self, search: str) -> list[dict]:
        for needle, works in self.routes:
            if needle in search:
                return works
        return []

    def fault(self, search: str, offset: int | None) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.times > 0 and (f.route is None or f.route in search) and (f.offset is None or f.offset == offset):
                    f.times -= 1
                    return f
        return None


def _select(work: dict, select: str | None) -> dict:
    if not select:
        return work
    keep = select.split(",")
    return {k: work[k] for k in keep if k in work}


class Handler(BaseHTTPRequestHandler):
    state: State  # set on the subclass

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client was killed mid-answer (kill test)
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        st = self.state
        url = urllib.parse.urlsplit(self.path)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        with st.lock:
            st.log.append((url.path, params))
        if st.delay:
            time.sleep(st.delay)
        parts = url.path.strip("/").split("/")
        if parts == ["works"]:
            return self._list(params)
        if len(parts) == 2 and parts[0] == "works":
            return self._single(parts[1], params)
        self._send(404, json.dumps({"error": "Not found", "message": f"no route {url.path}"}).encode())

    def _list(self, params: dict) -> None:
        st = self.state
        search = params.get("search", "")
        per_page = int(params.get("per_page") or params.get("per-page") or 25)
        if not 1 <= per_page <= 200:
            return self._send(400, json.dumps({"error": "Invalid per_page"}).encode())
        cursor = params.get("cursor")
        offset = _offset(cursor) if cursor else 0
        fault = st.fault(search, offset)
        if fault is not None:
            if fault.kind == "429":
                return self._send(429, b'{"error": "Rate limit exceeded"}', {"Retry-After": fault.retry_after})
            if fault.kind == "500":
                return self._send(500, b'{"error": "Internal server error"}')
            if fault.kind == "drop":
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)
                return None
        works = st.works_for(search)
        page = [_select(w, params.get("select")) for w in works[offset:offset + per_page]]
        next_cursor = _cursor(offset + per_page) if page else None
        body = json.dumps({"meta": {"count": len(works), "db_response_time_ms": 3, "page": None, "per_page": per_page,
                                    "next_cursor": next_cursor, "groups_count": None},
                           "results": page, "group_by": []}).encode()
        if fault is not None and fault.kind == "truncate":
            body = body[: len(body) // 2]
        self._send(200, body)

    def _single(self, wid: str, params: dict) -> None:
        st = self.state
        if wid in st.merged:
            return self._send(301, b"", {"Location": f"/works/{st.merged[wid]}"})
        if wid in st.deleted or wid not in st.singletons:
            return self._send(404, json.dumps({"error": "Not found", "message": f"Work {wid} not found"}).encode())
        self._send(200, json.dumps(_select(st.singletons[wid], params.get("select"))).encode())


class FakeOpenAlex:
    """The fake API in a background thread: ``with FakeOpenAlex(state) as url: …``."""

    def __init__(self, state: State) -> None:
        handler = type("BoundHandler", (Handler,), {"state": state})
        self.state = state
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def make_state(config: dict) -> State:
    """A server state from a JSON-able config: ``{"routes": [[needle, n_works, first_n, topic], …],
    "seed": 7, "delay": 0.0}`` (works made by :func:`synthetic_work`)."""
    rng = random.Random(config.get("seed", 7))
    routes = []
    singles = {}
    for needle, n_works, first, topic in config.get("lazy_routes", []):
        routes.append((needle, LazyWorks(n_works, first, topic, config.get("seed", 7),
                                         config.get("abstract_words", 120))))
    for needle, n_works, first, topic in config["routes"]:
        works = [synthetic_work(first + i, rng, topic, config.get("abstract_words", 120)) for i in range(n_works)]
        routes.append((needle, works))
        for w in works:
            singles[w["id"].rsplit("/", 1)[1]] = w
    return State(routes, singles, delay=config.get("delay", 0.0))


if __name__ == "__main__":  # python tests/_watch_server.py <port file> <config json>
    port_file, config = Path(sys.argv[1]), json.loads(sys.argv[2])
    srv = FakeOpenAlex(make_state(config))
    port_file.write_text(srv.url)
    srv.server.serve_forever()
