"""The innovation-watch report's « En bref »: every number it gives is the number its section shows, the shortlist
follows the rule, an off-topic corpus gets a warning and no shortlist. Synthetic corpora made here by seeded code
(OpenAlex-shaped works from tests/_watch_server.py: titles say "Synthetic work", DOIs use the 10.5555 test prefix),
plus the default report's real corpus when it has been fetched."""

from __future__ import annotations

import html
import json
import random
import re

import pytest
from _watch_server import synthetic_work

from analysis.core import external, params
from analysis.report import display
from analysis.report import vigie as rv
from analysis.report.brief import brief_text, section_link

TOPICS = ("food", "digital", "housing", "training", "governance", "energy")
# a number as fmt writes it: 2 000 · 3,4 % · 0,03 % · 1,066 (fr); 2,000 · 3.4% · 1.066 (en)
NUMBER = re.compile(r"\d+(?:[\u202f,.]\d+)*(?:\u00a0%|%)?")
# the section each finding links to (its heading's label) → what displays that section
SECTIONS = {
    "vigie.sec_relevance": lambda V: rv.show_relevance(V),
    "vigie.sub_emerging": lambda V: rv.show_emerging(V.emerging, V.dictionary, V.R),
    "vigie.sec_cells": lambda V: (rv.show_cells_method(V), rv.show_ranking(V), rv.show_shortlist(V)),
    "vigie.sec_changes": lambda V: rv.show_changes(V),
}


def corpus(path, n: int, on_topic: bool, seed: int = 11) -> str:
    """Write ``n`` synthetic OpenAlex works (seeded); their titles name co-operatives only when ``on_topic``."""
    rng = random.Random(seed)
    works = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        # food grows over time: later works lean to food (a trend the count model can see)
        year = 2005 + (i * 7) % 20
        if topic == "digital" and year > 2016:
            topic = "food"
        w = synthetic_work(i, rng, topic=topic, abstract_words=40, year=year)
        if not on_topic:  # no co-operative in the title, nor in the abstract ("housing cooperative" would be)
            w["title"] = w["display_name"] = f"Synthetic work {i} on {topic}"
            w["abstract_inverted_index"].pop("cooperative", None)
        works.append(w)
    path.write_text(json.dumps({"results": works}), encoding="utf-8")
    return str(path)


def parameters(corpus_path: str, lang: str = "fr", **extra) -> dict:
    # the synthetic corpus of these tests lives in tmp_path, outside the project: allowed explicitly
    return params.validate("vigie_innovation", {"corpus": [corpus_path], "lang": lang, "n_resamples": 200,
                                                "formats": {corpus_path: "openalex_json"}, "allow_outside": True,
                                                **extra})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vigie-brief")
    on = corpus(folder / "on_topic.json", 150, True)
    off = corpus(folder / "off_topic.json", 150, False)
    return {lang: rv.compute(parameters(on, lang), cache=False) for lang in ("fr", "en")} | {
        "off": rv.compute(parameters(off), cache=False)}


@pytest.fixture
def shown(monkeypatch):
    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: outputs.append(data))
    monkeypatch.delenv("VIGIE_REPORT_DIR", raising=False)
    return outputs


def _numbers(text: str) -> set[str]:
    return {m.rstrip(".,") for m in NUMBER.findall(text)}


def _section_numbers(V, key: str, shown: list[dict]) -> set[str]:
    start = len(shown)
    SECTIONS[key](V)
    texts = []
    for out in shown[start:]:
        texts.append(out.get("text/markdown", "") + "\n" + out.get("text/plain", ""))
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", out.get("text/html", ""))))
    return _numbers("\n".join(texts))


def check_brief_against_sections(V, shown) -> int:
    """Assert that every number of every finding (and of the decision points) is shown by its section."""
    brief = rv.vigie_brief(V)
    anchors = {section_link(key, V.lang)[0]: key for key in SECTIONS}
    checked = 0
    for finding in brief.findings:
        key = anchors[finding.section_anchor]                      # every finding links to a known section
        section = _section_numbers(V, key, shown)
        for field in ("question", "answer", "certainty", "caveat"):
            for number in _numbers(getattr(finding, field)):
                assert number in section, f"{key} {field}: {number!r} is not shown by the section"
                checked += 1
    cells = _section_numbers(V, "vigie.sec_cells", shown) | _section_numbers(V, "vigie.sec_relevance", shown)
    for point in brief.decision_points:
        for number in _numbers(point):
            assert number in cells, f"decision point: {number!r} is not shown by the cells or relevance section"
            checked += 1
    return checked


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_brief_numbers_are_the_sections_numbers_synthetic(synthetic, shown, lang):
    V = synthetic[lang]
    assert V.relevance["verdict"] == "on_topic" and V.relevance["n_in_scope"] == 150
    assert check_brief_against_sections(V, shown) >= 25
    brief = rv.vigie_brief(V)
    assert [f.section_anchor for f in brief.findings] == [
        section_link(k, lang)[0] for k in ("vigie.sec_relevance", "vigie.sub_emerging", "vigie.sec_cells")]
    # the decision lists one point per shortlisted cell, in list order
    names = rv.theme_labels(V.dictionary, lang)
    short = V.shortlist
    assert 1 <= len(short) <= 5
    assert [p.split(" : " if lang == "fr" else ": ")[0] for p in brief.decision_points[:len(short)]] == [
        names[c] for c in short["candidate"]]


def test_off_topic_corpus_gets_a_warning_and_no_shortlist(synthetic, shown):
    V = synthetic["off"]
    assert V.relevance["n_scope"] == 0 and V.relevance["verdict"] == "off_topic"
    assert V.shortlist.empty and (V.cells["status"] == "off_topic").all()
    brief = rv.vigie_brief(V)
    cells = brief.findings[2]
    assert cells.confidence == "none" and "hors sujet" in cells.answer
    assert brief.decision == "Aucune liste courte à trancher avec ce corpus."
    rv.show_cells_method(V)
    rv.show_ranking(V)
    rv.show_shortlist(V)
    notes = [o["text/plain"] for o in shown if "vigie-note" in o.get("text/html", "")]
    assert len(notes) == 1 and notes[0].startswith("Aucune liste courte : le corpus est hors sujet (0,0\u00a0%")
    assert not any("<table" in o.get("text/html", "") for o in shown)  # no ranking, no shortlist: only the warning
    check_brief_against_sections(V, shown)


def test_brief_and_results_languages_must_agree(synthetic):
    with pytest.raises(params.ParameterError) as err:
        rv.vigie_brief(synthetic["fr"], "en")
    assert err.value.field == "lang"


def test_default_report_brief():
    if not external.is_available("scopus_social_entrepreneurship"):
        pytest.skip("external dataset scopus_social_entrepreneurship absent (run `make data`)")
    V = rv.compute(params.validate("vigie_innovation", {}))
    outputs: list[dict] = []
    original = display._publish
    display._publish = lambda data, metadata=None: outputs.append(data)
    try:
        assert check_brief_against_sections(V, outputs) >= 30
    finally:
        display._publish = original
    text = brief_text(rv.vigie_brief(V), "fr")
    # 68 of the 2,000 works mention co-operatives, mutuals or the social economy and a theme: 3.4 %, adjacent
    assert "3,4\u00a0% des 2\u202f000 documents (68)" in text and "voisin du sujet" in text
    assert "Économie verte et circulaire (× 1,066 par an, p ajusté 0,002)" in text
    # with the directory's own-address rule only work_skills has two criteria backed by evidence; food (no second
    # Québec researcher) and financing (one practice) complete the list provisionally, most stable first
    assert V.shortlist["candidate"].tolist() == ["work_skills", "food", "financing"]
    assert V.shortlist["status"].tolist() == ["shortlisted", "provisional", "provisional"]
    assert rv.robust_cells(V) == ["work_skills"]
    platforms = V.cells.set_index("candidate").loc["platforms"]
    assert platforms["status"] == "insufficient_evidence" and platforms["n_evidence"] == 0
