"""The watch strategy file (data/raw/vigie/strategy.yaml) and its loader: schema errors name file, line and key."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from analysis.core import paths
from analysis.core.errors import SchemaError
from analysis.vigie.themes import load_themes
from analysis.vigie.watch.strategy import (
    MAX_QUERY_CHARS,
    compose_search,
    export_files,
    load_strategy,
    query_request,
    search_term,
    shortlist_rules,
    strategy_hash,
)

SMALL = Path(__file__).parent / "fixtures" / "watch" / "strategy_small.yaml"


def test_project_strategy_has_one_query_per_theme_and_fits_in_a_url():
    s = load_strategy()
    themes = load_themes(paths.RAW / "vigie" / "themes.yaml").ids()
    assert [q.theme for q in s.queries if q.theme] == themes  # same ids, dictionary order
    assert [q.id for q in s.queries if q.theme is None] == ["core"]
    for q in s.queries:
        size = len(urllib.parse.urlencode(query_request(s, q)))
        assert size <= MAX_QUERY_CHARS
        assert q.search.startswith("(coopérative OR coopératives OR")
    assert s.openalex.per_page == 100 and s.openalex.daily_request_budget == 900
    assert "id" in s.openalex.select and s.frequency["editions"] == "quarterly"
    assert [e.id for e in s.exports] == ["scopus", "wos", "group_library"]
    assert "csl_json" in s.exports[2].formats
    assert len(s.hash) == 64


def test_query_composition_quotes_phrases_only():
    assert search_term("économie sociale") == '"économie sociale"'
    assert search_term("co-operatives") == '"co-operatives"'
    assert search_term("d'insertion") == '"d\'insertion"'
    assert search_term("food") == "food"
    assert search_term('"cooperatives"') == '"cooperatives"'
    scope = {"fr": ("coopérative",), "en": ('"cooperatives"', "social economy")}
    terms = {"fr": ("alimentation", "food"), "en": ("food",)}  # duplicate across languages sent once
    assert compose_search(scope, terms) == ('(coopérative OR "cooperatives" OR "social economy") AND '
                                            "(alimentation OR food)")


def test_small_strategy_request_parameters():
    s = load_strategy(SMALL)
    assert query_request(s, "food") == {
        "per_page": "5",
        "search": '(coopérative OR "économie sociale" OR "cooperatives" OR "social economy") AND '
                  "(alimentation OR food)",
        "select": "id,doi,title,display_name,publication_year,type,language,cited_by_count,primary_location,"
                  "abstract_inverted_index,keywords,authorships",
    }


def test_hash_ignores_comments_and_layout_but_not_values(tmp_path):
    text = SMALL.read_text(encoding="utf-8")
    base = load_strategy(SMALL).hash
    commented = tmp_path / "a.yaml"
    commented.write_text("# another comment\n" + text.replace("per_page: 5", "per_page:    5  # tiny"), "utf-8")
    assert load_strategy(commented).hash == base
    changed = tmp_path / "b.yaml"
    changed.write_text(text.replace("per_page: 5", "per_page: 6"), encoding="utf-8")
    assert load_strategy(changed).hash != base
    assert strategy_hash({"b": 1, "a": [1, "é"]}) == strategy_hash({"a": [1, "é"], "b": 1})


def test_shortlist_rules_reference_the_report_parameters():
    rules = shortlist_rules(load_strategy())
    assert rules["size"]["parameter"] == "vigie_innovation/shortlist_size"
    assert (rules["size"]["value"], rules["size"]["min"], rules["size"]["max"]) == (4, 3, 5)
    assert rules["criteria_weights"]["value"] == {"alignment": 0.3, "momentum": 0.2, "practice": 0.3,
                                                  "capacity": 0.2}


def test_export_files_in_name_order(tmp_path):
    folder = tmp_path / "exports" / "group_library"
    folder.mkdir(parents=True)
    for name in ("b.ris", "a.json", ".hidden", "README.md"):
        (folder / name).write_text("x", encoding="utf-8")
    found = export_files(load_strategy(SMALL), tmp_path)
    assert [p.name for p in found["group_library"]] == ["a.json", "b.ris"]
    assert export_files(load_strategy(SMALL), tmp_path / "nowhere") == {"group_library": []}


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "strategy.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, field, needle, words", [
    ("  per_page: 5", "  per_page: 500", "openalex.per_page", "per_page: 500", "1–200"),
    ("    theme: digital", "    theme: housing", "queries.digital.theme", "theme: housing", "not in"),
    ("  - id: digital\n    theme: digital", "  - id: digital\n    theme: null", "queries", "queries:", "digital"),
    ("formats: [bibtex, ris, csl_json]", "formats: [bibtex, endnote]", "sources.exports.group_library.formats",
     "endnote", "unknown format"),
    ("size: vigie_innovation/shortlist_size", "size: vigie_innovation/cells", "table.shortlist.size",
     "vigie_innovation/cells", "no parameter"),
    ("    terms: {fr: [alimentation], en: [food]}", "    terms: {fr: [alimentation]}", "queries.food.terms.en",
     "terms: {fr: [alimentation]}", "missing key"),
    ("  - id: food\n", "  - id: Food\n", "queries.1.id", "id: Food", "lower-case"),
    ("frequency:\n  editions: quarterly", "frequency:\n  editions: weekly", "frequency.editions", "editions: weekly",
     "not one of"),
])
def test_schema_errors_name_file_line_and_key(tmp_path, old, new, field, needle, words):
    p = _broken(tmp_path, old, new)
    with pytest.raises(SchemaError) as err:
        load_strategy(p)
    e = err.value
    assert e.field == field and words in e.message
    assert e.line == _line_of(p, needle)
    assert e.one_line().startswith(f"strategy.yaml:{e.line}: [{field}]")


def test_too_long_query_is_refused(tmp_path):
    many = ", ".join(f"term{i:04d}" for i in range(500))
    p = _broken(tmp_path, "terms: {fr: [numérique], en: [digital]}", f"terms: {{fr: [numérique], en: [{many}]}}")
    with pytest.raises(SchemaError, match="about 4,000") as err:
        load_strategy(p)
    assert err.value.field == "queries.digital.terms"


def test_invalid_yaml_and_missing_file(tmp_path):
    p = _broken(tmp_path, "version: 1", "version: [1")
    with pytest.raises(SchemaError, match="invalid YAML") as err:
        load_strategy(p)
    assert err.value.line is not None
    with pytest.raises(SchemaError, match="not found"):
        load_strategy(tmp_path / "none.yaml")
