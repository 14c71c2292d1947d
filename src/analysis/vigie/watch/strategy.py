"""The watch strategy as data (``data/raw/vigie/strategy.yaml``): scope vocabulary, one OpenAlex query per theme,
the sources watched, the frequency and the Table de vigie's shortlist rules.

:func:`load_strategy` reads and checks the file; every problem is a :class:`~analysis.core.errors.SchemaError`
naming the file, the line and the key (``strategy.yaml:42: [queries.food.terms] …``). :func:`strategy_hash` is the
SHA-256 of the file's *content* (the parsed YAML as canonical JSON): comments and layout do not change it, any
value does. Every edition carries it.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.core import paths
from analysis.core.errors import ParameterError, SchemaError
from analysis.core.params import load_param_file, load_schema, resolve
from analysis.vigie.readers.detect import FORMATS
from analysis.vigie.themes import load_themes

DEFAULT_STRATEGY = paths.RAW / "vigie" / "strategy.yaml"
DEFAULT_BASE_URL = "https://api.openalex.org"
LANGS = ("fr", "en")
MAX_QUERY_CHARS = 3800  # OpenAlex limits the whole request URL to about 4 KB (developers.openalex.org, Searching)
FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"version", "purpose", "scope", "themes_file", "openalex", "queries", "sources", "frequency", "table"}


@dataclass(frozen=True)
class WatchQuery:
    """One OpenAlex query of the strategy: its id, the theme it follows (None for a general query), its terms in
    French and English, an optional extra filter, and the composed ``search`` expression sent to OpenAlex."""

    id: str
    theme: str | None
    terms: dict[str, tuple[str, ...]]
    search: str
    filter: str | None = None


@dataclass(frozen=True)
class OpenAlexSettings:
    """How the works API is called (the key and the base URL from the environment override nothing here but the
    URL: see :func:`analysis.vigie.watch.openalex.client_from_env`)."""

    base_url: str = DEFAULT_BASE_URL
    per_page: int = 100
    select: tuple[str, ...] = ()
    filter: str | None = None
    daily_request_budget: int = 900
    max_retries: int = 6
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class ExportSource:
    """A folder of exports researchers bring (Scopus, WoS, a Zotero or PortailCoop group library)."""

    id: str
    label: dict[str, str]
    formats: tuple[str, ...]
    folder: str


@dataclass(frozen=True)
class Strategy:
    """A checked watch strategy. ``data`` is the parsed file; ``hash`` its :func:`strategy_hash`."""

    path: Path
    data: dict[str, Any]
    hash: str
    scope: dict[str, tuple[str, ...]]
    themes_file: Path
    openalex: OpenAlexSettings
    queries: tuple[WatchQuery, ...]
    exports: tuple[ExportSource, ...]
    frequency: dict[str, Any]
    shortlist: dict[str, str] = field(default_factory=dict)

    def query(self, query_id: str) -> WatchQuery:
        """The query with this id (``KeyError`` when there is none)."""
        for q in self.queries:
            if q.id == query_id:
                return q
        raise KeyError(query_id)


def strategy_hash(data: dict[str, Any]) -> str:
    """SHA-256 (hex) of a parsed strategy as canonical JSON (sorted keys, UTF-8, no spaces).

    Parameters
    ----------
    data : dict
        The parsed YAML mapping (``Strategy.data``).

    Returns
    -------
    str
        64 hexadecimal characters; equal for two files that differ only in comments or layout.
    """
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- line numbers of keys -------------------------------------------------------------------------------------------

def _key_lines(node: yaml.Node, prefix: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Line (1-based) of every key and list item of a composed YAML document, by path."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = (*prefix, k.value)
            out[key] = k.start_mark.line + 1
            _key_lines(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = (*prefix, i)
            out[key] = item.start_mark.line + 1
            _key_lines(item, key, out)
    return out


class _Checker:
    """Raises SchemaError naming the file, the line of the key and its dotted path."""

    def __init__(self, where: str, lines: dict[tuple, int]) -> None:
        self.where = where
        self.lines = lines

    def fail(self, message: str, key: tuple, label: str | None = None) -> None:
        line = None
        for n in range(len(key), 0, -1):  # the deepest key that exists in the file
            if key[:n] in self.lines:
                line = self.lines[key[:n]]
                break
        raise SchemaError(message, path=self.where, line=line, field=label or ".".join(str(k) for k in key))

    def mapping(self, value: object, key: tuple, required: tuple[str, ...] = (), label: str | None = None) -> dict:
        if not isinstance(value, dict):
            self.fail(f"expected a mapping, got {_kind(value)}", key, label)
        for name in required:
            if name not in value:
                self.fail(f"missing key {name!r}", key, f"{label or '.'.join(map(str, key))}.{name}")
        return value

    def text(self, value: object, key: tuple, label: str | None = None, allow_none: bool = False) -> str | None:
        if value is None and allow_none:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"expected non-empty text, got {_kind(value)}", key, label)
        return value.strip()

    def terms(self, value: object, key: tuple, label: str) -> dict[str, tuple[str, ...]]:
        self.mapping(value, key, LANGS, label)
        out = {}
        for lang in LANGS:
            items = value[lang]
            if not isinstance(items, list) or not items:
                self.fail(f"expected a non-empty list of terms, got {_kind(items)}", (*key, lang), f"{label}.{lang}")
            clean = []
            for i, t in enumerate(items):
                if isinstance(t, (int, float)) and not isinstance(t, bool):
                    t = str(t)
                if not isinstance(t, str) or not t.strip() or any(c in t.strip().strip('"') for c in '"()'):
                    self.fail(f"term #{i + 1} must be plain text without quotes or parentheses inside, got {t!r}",
                              (*key, lang, i), f"{label}.{lang}")
                clean.append(t.strip())
            if len(set(clean)) != len(clean):
                dup = next(t for t in clean if clean.count(t) > 1)
                self.fail(f"term {dup!r} is listed twice", (*key, lang), f"{label}.{lang}")
            out[lang] = tuple(clean)
        return out

    def integer(self, value: object, key: tuple, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            bound = f"{low}–{high}" if high is not None else f"≥ {low}"
            self.fail(f"expected a whole number {bound}, got {value!r}", key)
        return value


def _kind(value: object) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"[:80]


def search_term(term: str) -> str:
    """A term as OpenAlex search syntax: phrases (space, hyphen, apostrophe) quoted; single words bare (stemmed)
    unless already written in quotes."""
    t = term.strip()
    if len(t) >= 2 and t[0] == t[-1] == '"':
        return t
    if re.search(r"[\s\-'’]", t):
        return f'"{t}"'
    return t


def compose_search(scope: dict[str, tuple[str, ...]], terms: dict[str, tuple[str, ...]]) -> str:
    """``(scope terms OR-ed) AND (query terms OR-ed)``, French then English, duplicates dropped in order."""

    def ored(groups: dict[str, tuple[str, ...]]) -> str:
        seen: list[str] = []
        for lang in LANGS:
            for t in groups.get(lang, ()):
                s = search_term(t)
                if s not in seen:
                    seen.append(s)
        return "(" + " OR ".join(seen) + ")"

    return f"{ored(scope)} AND {ored(terms)}"


def load_strategy(path: str | Path | None = None, *, check_themes: bool = True) -> Strategy:
    """Read and check a watch strategy file.

    Parameters
    ----------
    path : str or Path, optional
        The strategy YAML (default ``data/raw/vigie/strategy.yaml``); relative paths resolve against the project.
    check_themes : bool
        Also load ``themes_file`` and check that there is exactly one query per theme (default True).

    Returns
    -------
    Strategy
        The checked strategy, with its composed OpenAlex queries and its hash.

    Raises
    ------
    SchemaError
        A missing file, invalid YAML, a missing or malformed key, an unknown theme, format or report parameter, or
        a query too long for a request URL; the message names the file, the line and the key.
    """
    path = resolve(path) if path is not None else DEFAULT_STRATEGY
    where = paths.relative(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError("watch strategy not found", path=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"watch strategy cannot be read ({exc})", path=where) from None
    try:
        node = yaml.compose(raw_text)
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SchemaError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=where,
                          line=None if mark is None else mark.line + 1) from None
    c = _Checker(where, _key_lines(node) if node is not None else {})
    c.mapping(data, (), ("version", "scope", "themes_file", "openalex", "queries", "sources", "frequency", "table"),
              label="strategy")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        c.fail(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_TOP_KEYS))})", (unknown[0],))
    if data["version"] != 1:
        c.fail(f"unsupported strategy version {data['version']!r} (this code reads version 1)", ("version",))

    scope_block = c.mapping(data["scope"], ("scope",), ("vocabulary",))
    scope = c.terms(scope_block["vocabulary"], ("scope", "vocabulary"), "scope.vocabulary")

    themes_file = c.text(data["themes_file"], ("themes_file",))
    themes_path = resolve(themes_file)
    if not themes_path.exists():
        c.fail(f"theme dictionary not found: {themes_file}", ("themes_file",))

    oa = c.mapping(data["openalex"], ("openalex",), ("per_page", "daily_request_budget"))
    settings = _openalex_settings(c, oa)

    queries = _queries(c, data["queries"], scope, settings)
    if check_themes:
        theme_ids = load_themes(themes_path).ids()
        followed = [q.theme for q in queries if q.theme is not None]
        for i, q in enumerate(queries):
            if q.theme is not None and q.theme not in theme_ids:
                c.fail(f"query {q.id!r} follows theme {q.theme!r}, which is not in {themes_file} "
                       f"(themes: {', '.join(theme_ids)})", ("queries", i, "theme"), f"queries.{q.id}.theme")
            if q.theme is not None and followed.count(q.theme) > 1:
                c.fail(f"theme {q.theme!r} has more than one query", ("queries", i, "theme"), f"queries.{q.id}.theme")
        missing = [t for t in theme_ids if t not in followed]
        if missing:
            c.fail(f"no query for theme(s) {', '.join(missing)} of {themes_file} (one query per theme)",
                   ("queries",))

    exports = _exports(c, data["sources"])
    frequency = c.mapping(data["frequency"], ("frequency",), ("editions",))
    if frequency["editions"] not in FREQUENCIES:
        c.fail(f"{frequency['editions']!r} is not one of {', '.join(FREQUENCIES)}", ("frequency", "editions"))
    shortlist = _shortlist(c, data["table"])
    return Strategy(path=path, data=data, hash=strategy_hash(data), scope=scope, themes_file=themes_path,
                    openalex=settings, queries=queries, exports=exports, frequency=dict(frequency),
                    shortlist=shortlist)


def _openalex_settings(c: _Checker, oa: dict) -> OpenAlexSettings:
    base = oa.get("base_url", DEFAULT_BASE_URL)
    base = c.text(base, ("openalex", "base_url"))
    if not re.match(r"^https?://", base):
        c.fail(f"base_url must start with http:// or https://, got {base!r}", ("openalex", "base_url"))
    select = oa.get("select") or []
    if not isinstance(select, list) or not all(isinstance(s, str) and re.match(r"^[a-z_]+$", s) for s in select):
        c.fail("select must be a list of root-level field names (OpenAlex selects root fields only)",
               ("openalex", "select"))
    if select and "id" not in select:
        c.fail("select must keep 'id' (editions are diffed by OpenAlex id)", ("openalex", "select"))
    backoff = oa.get("backoff_seconds", 2.0)
    if isinstance(backoff, bool) or not isinstance(backoff, (int, float)) or backoff < 0:
        c.fail(f"expected a number of seconds ≥ 0, got {backoff!r}", ("openalex", "backoff_seconds"))
    return OpenAlexSettings(
        base_url=base.rstrip("/"),
        per_page=c.integer(oa["per_page"], ("openalex", "per_page"), 1, 200),
        select=tuple(select),
        filter=c.text(oa.get("filter"), ("openalex", "filter"), allow_none=True),
        daily_request_budget=c.integer(oa["daily_request_budget"], ("openalex", "daily_request_budget"), 1),
        max_retries=c.integer(oa.get("max_retries", 6), ("openalex", "max_retries"), 0, 20),
        backoff_seconds=float(backoff),
    )


def _queries(c: _Checker, items: object, scope: dict, settings: OpenAlexSettings) -> tuple[WatchQuery, ...]:
    if not isinstance(items, list) or not items:
        c.fail("expected a non-empty list of queries", ("queries",))
    out: list[WatchQuery] = []
    for i, q in enumerate(items):
        c.mapping(q, ("queries", i), ("id", "theme", "terms"), label=f"queries[{i + 1}]")
        qid = q["id"]
        if not isinstance(qid, str) or not _ID.match(qid):
            c.fail(f"query id must be lower-case letters, digits and _, got {qid!r}", ("queries", i, "id"))
        if any(o.id == qid for o in out):
            c.fail(f"query id {qid!r} is used twice", ("queries", i, "id"), f"queries.{qid}.id")
        theme = q["theme"]
        if theme is not None and (not isinstance(theme, str) or not theme):
            c.fail(f"theme must be a theme id or null, got {theme!r}", ("queries", i, "theme"), f"queries.{qid}.theme")
        terms = c.terms(q["terms"], ("queries", i, "terms"), f"queries.{qid}.terms")
        qfilter = c.text(q.get("filter"), ("queries", i, "filter"), f"queries.{qid}.filter", allow_none=True)
        search = compose_search(scope, terms)
        params = query_params(search, _join_filters(settings.filter, qfilter), settings)
        size = len(urllib.parse.urlencode(params))
        if size > MAX_QUERY_CHARS:
            c.fail(f"query {qid!r} is {size} characters once encoded; OpenAlex accepts about 4,000 per request "
                   f"URL (limit here {MAX_QUERY_CHARS}): drop terms", ("queries", i, "terms"), f"queries.{qid}.terms")
        out.append(WatchQuery(qid, theme, terms, search, qfilter))
    return tuple(out)


def _join_filters(*filters: str | None) -> str | None:
    parts = [f for f in filters if f]
    return ",".join(parts) if parts else None


def query_params(search: str, filter_: str | None, settings: OpenAlexSettings) -> dict[str, str]:
    """The works-API parameters of a query, without cursor and key (sorted, empty ones dropped)."""
    params = {"search": search, "per_page": str(settings.per_page)}
    if filter_:
        params["filter"] = filter_
    if settings.select:
        params["select"] = ",".join(settings.select)
    return dict(sorted(params.items()))


def query_request(strategy: Strategy, query: WatchQuery | str) -> dict[str, str]:
    """The works-API parameters of one query of ``strategy`` (search, filter, per_page, select; no cursor, no key).

    Parameters
    ----------
    strategy : Strategy
        A loaded strategy.
    query : WatchQuery or str
        The query or its id.

    Returns
    -------
    dict
        Parameter name → value, sorted by name.
    """
    q = strategy.query(query) if isinstance(query, str) else query
    return query_params(q.search, _join_filters(strategy.openalex.filter, q.filter), strategy.openalex)


def _exports(c: _Checker, sources: object) -> tuple[ExportSource, ...]:
    c.mapping(sources, ("sources",), ("openalex", "exports"))
    items = sources["exports"] or []
    if not isinstance(items, list):
        c.fail("expected a list of export sources", ("sources", "exports"))
    out: list[ExportSource] = []
    for i, e in enumerate(items):
        key = ("sources", "exports", i)
        c.mapping(e, key, ("id", "formats", "folder"), label=f"sources.exports[{i + 1}]")
        eid = e["id"]
        if not isinstance(eid, str) or not _ID.match(eid) or any(o.id == eid for o in out):
            c.fail(f"export id must be unique lower-case text, got {eid!r}", (*key, "id"))
        fmts = e["formats"]
        if not isinstance(fmts, list) or not fmts:
            c.fail("expected a non-empty list of formats", (*key, "formats"), f"sources.exports.{eid}.formats")
        for j, f in enumerate(fmts):
            if f not in FORMATS:
                c.fail(f"unknown format {f!r} (known: {', '.join(FORMATS)})", (*key, "formats", j),
                       f"sources.exports.{eid}.formats")
        folder = c.text(e["folder"], (*key, "folder"), f"sources.exports.{eid}.folder")
        label = e.get("label") or {}
        if not isinstance(label, dict) or "fr" not in label:
            c.fail("label needs a 'fr' entry", (*key, "label"), f"sources.exports.{eid}.label")
        out.append(ExportSource(eid, dict(label), tuple(fmts), folder))
    return tuple(out)


def _shortlist(c: _Checker, table: object) -> dict[str, str]:
    c.mapping(table, ("table",), ("shortlist",))
    rules = c.mapping(table["shortlist"], ("table", "shortlist"))
    if not rules:
        c.fail("the shortlist needs at least its size", ("table", "shortlist"))
    out: dict[str, str] = {}
    schemas: dict[str, dict] = {}
    for name, ref in rules.items():
        key = ("table", "shortlist", name)
        if not isinstance(ref, str) or ref.count("/") != 1:
            c.fail(f"expected a report parameter as '<report>/<parameter>', got {ref!r}", key)
        report, param = ref.split("/")
        try:
            schema = schemas.setdefault(report, load_schema(report))
        except ParameterError:
            c.fail(f"no report {report!r} with a parameter schema (params/{report}/_schema.yaml)", key)
        if param not in schema:
            c.fail(f"report {report!r} has no parameter {param!r}", key)
        out[name] = ref
    if "size" not in out:
        c.fail("the shortlist rules need 'size'", ("table", "shortlist"))
    return out


def shortlist_rules(strategy: Strategy, param_set: str = "default") -> dict[str, dict[str, Any]]:
    """The Table's shortlist rules resolved against a parameter set of the report they reference.

    Parameters
    ----------
    strategy : Strategy
        A loaded strategy.
    param_set : str
        The parameter set of that report (``params/<report>/<param_set>.yaml``), default ``default``.

    Returns
    -------
    dict
        Rule name → ``{"parameter": "<report>/<name>", "value": …, "min": …, "max": …, "help": …}`` (bounds from the
        report's schema when it sets them).

    Raises
    ------
    ParameterError
        The parameter set does not exist or breaks its schema.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, ref in strategy.shortlist.items():
        report, param = ref.split("/")
        schema = load_schema(report)
        set_path = paths.PARAMS / report / f"{param_set}.yaml"
        if not set_path.exists():
            raise ParameterError(f"no parameter set {param_set!r} for report {report!r}", path=paths.relative(set_path))
        values = load_param_file(set_path)
        spec = schema[param]
        out[name] = {"parameter": ref, "value": values.get(param, spec.get("default")), "min": spec.get("min"),
                     "max": spec.get("max"), "help": spec.get("help")}
    return out


def export_files(strategy: Strategy, root: Path | None = None) -> dict[str, list[Path]]:
    """The export files present in each export folder of the strategy, in name order (hidden files, folders and
    README files left out). Missing folders give an empty list.

    Parameters
    ----------
    strategy : Strategy
        A loaded strategy.
    root : Path, optional
        Folder the export folders are relative to (default the project root).

    Returns
    -------
    dict
        Export id → list of file paths.
    """
    out: dict[str, list[Path]] = {}
    for e in strategy.exports:
        folder = (root / e.folder) if root is not None else resolve(e.folder)
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                       and not p.name.lower().startswith("readme")) if folder.is_dir() else []
        out[e.id] = files
    return out
