"""How far a corpus is on the watch's topic (analysis.vigie.relevance), on hand-made works (synthetic titles)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import ParameterError
from analysis.vigie.relevance import (
    compute_relevance,
    compute_scope_matches,
    compute_scope_terms,
    scope_patterns,
    scope_vocabulary,
)
from analysis.vigie.themes import compute_work_themes, load_themes

TOY = load_themes(Path(__file__).parent / "fixtures" / "vigie" / "themes_toy.yaml")
VOCABULARY = {"fr": ("coopérative", "coopératives", "économie sociale"),
              "en": ('"cooperatives"', "credit union", "social economy")}


def works(titles: list[str]) -> pd.DataFrame:
    """Synthetic works: one per title, no abstract or keyword."""
    return pd.DataFrame({"work_id": [f"w{i}" for i in range(len(titles))], "title": titles})


OFF_TOPIC = works([
    "Cooperative multi-agent reinforcement learning for digital twins",   # bare English "cooperative": out
    "Digital platforms and generative AI in schools",
    "A digital survey of farmers' food purchases",
    "Deep learning for digital pathology",
    "Credit unions and digital banking in rural Canada",                   # in scope (plural) and digital
    "Food systems and AI",
    "Digital agriculture sensors",
    "Large language models in digital health",
    "AI for crop yields",
    "Non-cooperative games on networks",                                   # bare English, hyphenated: out
])


def test_scope_terms_whole_words_plurals_and_accents():
    folded, accented = scope_patterns(VOCABULARY)
    assert accented.pattern == r"(?<!\w)(?:coopératives|coopérative)s?(?!\w)"
    assert folded.search("credit unions in quebec") and folded.search("the social economy")
    assert not folded.search("cooperative learning") and not folded.search("socialeconomy")
    hits = compute_scope_matches(works([
        "La coopérative agricole", "Une cooperative sans accent", "Coopératives d'habitation",
        "Économie sociale au Québec", "Cooperatives in Spain", "Co-operatives", "credit-union members"]), VOCABULARY)
    # "cooperative" without its accent is the English word the strategy leaves out; "co-operatives" is not in this
    # vocabulary; punctuation is a space, so "credit-union" is "credit union"
    assert hits.tolist() == [True, False, True, True, True, False, True]


def test_off_topic_corpus():
    wt = compute_work_themes(OFF_TOPIC, TOY)
    r = compute_relevance(OFF_TOPIC, wt, VOCABULARY, threshold=0.2, on_topic_share=0.5)
    # one work of ten in scope (the credit unions) and it is themed (digital): 10 %, below 20 %
    assert (r["n_works"], r["n_scope"], r["n_in_scope"]) == (10, 1, 1)
    assert r["n_themed"] == 9  # every work but "Non-cooperative games on networks" is about food, AI or digital
    assert r["share_in_scope"] == pytest.approx(0.1) and r["share_themed"] == pytest.approx(0.9)
    assert r["verdict"] == "off_topic" and not r["on_topic"]
    assert compute_relevance(OFF_TOPIC, wt, VOCABULARY, 0.1, 0.5)["verdict"] == "adjacent"  # 10 % is not below 10 %
    assert compute_relevance(OFF_TOPIC, wt, VOCABULARY, 0.05, 0.1)["verdict"] == "on_topic"


def test_scope_without_theme_is_not_inside_the_watch():
    w = works(["Credit unions in history", "Credit unions and digital tools"])
    r = compute_relevance(w, compute_work_themes(w, TOY), VOCABULARY, 0.2, 0.5)
    assert (r["n_scope"], r["n_themed"], r["n_in_scope"]) == (2, 1, 1) and r["share_in_scope"] == 0.5


def test_no_works():
    empty = works([])
    r = compute_relevance(empty, compute_work_themes(empty, TOY), VOCABULARY)
    assert r["verdict"] == "no_works" and not r["on_topic"] and math.isnan(r["share_in_scope"])


def test_scope_term_counts():
    terms = compute_scope_terms(works(["Credit unions", "Credit union and social economy", "Coopératives"]),
                                VOCABULARY)
    # "Coopératives" is also "coopérative" + plural, and folded it is the English "cooperatives" (same meaning)
    assert terms.values.tolist() == [["credit union", "en", 2], ["coopérative", "fr", 1], ["coopératives", "fr", 1],
                                     ["cooperatives", "en", 1], ["social economy", "en", 1]]


def test_arguments_checked():
    wt = compute_work_themes(OFF_TOPIC, TOY)
    with pytest.raises(ParameterError) as err:
        compute_relevance(OFF_TOPIC, wt, VOCABULARY, threshold=0.5, on_topic_share=0.2)
    assert err.value.field == "on_topic_share"
    with pytest.raises(ParameterError) as err:
        compute_relevance(OFF_TOPIC, wt, ["cooperatives"])
    assert err.value.field == "vocabulary"


def test_the_strategy_vocabulary_is_the_one_used():
    v = scope_vocabulary()
    assert "social economy" in v["en"] and "coopérative" in v["fr"] and "cooperative" not in v["en"]
