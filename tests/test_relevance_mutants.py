"""Corpus relevance rules the mutants of issue 21 could break unnoticed: the vocabulary check, which terms go to the
folded or the accented pattern, the exact patterns, the text joined from several fields, the share arguments, the
verdict boundaries of the default shares, and counts that differ by kind.

Synthetic works built in code (invented titles); the vocabulary is hand-made except where the project's strategy
(``data/raw/vigie/strategy.yaml``) is read on purpose.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.vigie.relevance import (
    VERDICTS,
    compute_relevance,
    compute_scope_matches,
    compute_scope_terms,
    scope_patterns,
    scope_vocabulary,
)
from analysis.vigie.watch import load_strategy

VOCABULARY = {"fr": ("coopérative", "coopératives", "économie sociale"),
              "en": ('"cooperatives"', "credit union", "social economy")}
NOT_A_VOCABULARY = r"\] expected a mapping of language to a list of terms \(vigie\.scope_vocabulary\(\) gives it\)$"


def works(titles: list[str | None], **columns: list[str | None]) -> pd.DataFrame:
    """Synthetic works: one per title, other text columns as given."""
    return pd.DataFrame({"work_id": [f"w{i}" for i in range(len(titles))], "title": titles, **columns})


def themes_of(*pairs: tuple[str, str]) -> pd.DataFrame:
    """A hand-made work_themes table (work_id, theme)."""
    return pd.DataFrame(list(pairs), columns=["work_id", "theme"])


# --- the strategy's vocabulary --------------------------------------------------------------------------------------

def test_scope_vocabulary_from_a_loaded_strategy_a_path_or_the_default():
    """The three ways give the same tuples, read from strategy.yaml (its first French and English terms)."""
    default = scope_vocabulary()
    assert scope_vocabulary(load_strategy()) == default
    assert scope_vocabulary(paths.RAW / "vigie" / "strategy.yaml") == default
    assert sorted(default) == ["en", "fr"]
    assert default["fr"][:3] == ("coopérative", "coopératives", "mouvement coopératif")
    assert default["en"][:2] == ('"cooperatives"', "co-operatives")
    assert all(isinstance(terms, tuple) for terms in default.values())


def test_scope_vocabulary_reads_the_file_given(tmp_path):
    """A copy of the project's strategy whose last French term is changed (synthetic edit) is read as such."""
    text = (paths.RAW / "vigie" / "strategy.yaml").read_text(encoding="utf-8")
    assert '"caisse populaire"]' in text
    copy = tmp_path / "strategy.yaml"
    copy.write_text(text.replace('"caisse populaire"]', '"caisse d\'économie"]'), encoding="utf-8")
    assert scope_vocabulary(copy)["fr"][-1] == "caisse d'économie"
    assert scope_vocabulary(str(copy))["fr"][-1] == "caisse d'économie"


def test_the_strategy_vocabulary_on_real_wording():
    """The project's vocabulary: the accented French word, the English plural and a phrase are in; the bare English
    adjective (game theory, learning) is out."""
    hits = compute_scope_matches(works([
        "Les coopératives de travail au Québec", "Cooperatives and rural credit", "A credit union in Manitoba",
        "Cooperative learning in classrooms", "Une mutuelle d'assurance"]), scope_vocabulary())
    assert hits.tolist() == [True, True, True, False, True]


# --- the vocabulary check ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("vocabulary", [
    {}, None, ["coopérative"], {"fr": "coopérative"}, {"fr": ["coopérative", ""]}, {"fr": ["   "]},
    {"fr": ["coopérative", 3]}, {"fr": ("coopérative",), "en": "credit union"},
])
def test_a_malformed_vocabulary_is_refused_by_every_entry_point(vocabulary):
    w = works(["Une coopérative"])
    for call in (lambda: scope_patterns(vocabulary), lambda: compute_scope_matches(w, vocabulary),
                 lambda: compute_scope_terms(w, vocabulary)):
        with pytest.raises(ParameterError, match=NOT_A_VOCABULARY) as err:
            call()
        assert err.value.field == "vocabulary"


def test_lists_and_tuples_are_both_accepted():
    w = works(["Une coopérative", "A credit union"])
    assert compute_scope_matches(w, {"fr": ["coopérative"], "en": ("credit union",)}).tolist() == [True, True]


# --- which pattern a term goes to, and the patterns themselves ----------------------------------------------------

def test_the_folded_pattern_longest_terms_first_then_alphabetical():
    """Folded terms by decreasing length (16, 14, 12, 12), the two of 12 letters in alphabetical order; the quotes of
    '"cooperatives"' dropped; each term escaped, plural s optional, no letter or digit on either side."""
    folded, accented = scope_patterns(VOCABULARY)
    assert folded.pattern == (r"(?<![a-z0-9])(?:economie\ sociale|social\ economy|cooperatives|credit\ union)s?"
                              r"(?![a-z0-9])")
    assert accented.pattern == r"(?<!\w)(?:coopératives|coopérative)s?(?!\w)"


def test_only_one_word_accented_french_terms_keep_their_accent():
    """An accented French phrase, an accented English word and an unaccented French word are all folded."""
    folded, accented = scope_patterns({"fr": ("économie solidaire", "mutuelle"), "en": ("coopérative",)})
    assert accented is None
    assert folded.pattern == r"(?<![a-z0-9])(?:economie\ solidaire|cooperative|mutuelle)s?(?![a-z0-9])"
    hits = compute_scope_matches(works(["Economie solidaire", "cooperative games", "Les mutuelles"]),
                                 {"fr": ("économie solidaire", "mutuelle"), "en": ("coopérative",)})
    assert hits.tolist() == [True, True, True]
    folded, accented = scope_patterns({"fr": ("Coopérative",)})  # kept lower case, accent kept
    assert folded is None and accented.pattern == r"(?<!\w)(?:coopérative)s?(?!\w)"
    assert compute_scope_matches(works(["LA COOPÉRATIVE", "la cooperative"]), {"fr": ("Coopérative",)}).tolist() == [
        True, False]


def test_quotes_and_spaces_around_a_term_are_dropped_and_a_capital_x_kept():
    folded, _ = scope_patterns({"en": (' "Xarxa cooperatives" ', '" credit union "')})
    assert folded.pattern == r"(?<![a-z0-9])(?:xarxa\ cooperatives|credit\ union)s?(?![a-z0-9])"


def test_accented_terms_with_punctuation_match_as_the_text_is_read():
    """Punctuation is a space in the text matched, so in the term too (before issue 21, "coopérative-école" could
    never match); a quoted accented term loses its quotes."""
    vocabulary = {"fr": ("coopérative-école", "d'économie", '"mutualité"')}
    folded, accented = scope_patterns(vocabulary)
    assert folded is None
    assert accented.pattern == r"(?<!\w)(?:coopérative\ école|d\ économie|mutualité)s?(?!\w)"
    hits = compute_scope_matches(works(["La Coopérative-école du quartier", "une coopérative école", "Coopérative",
                                        "L'économie", "Fonds d’économie", "La mutualité"]), vocabulary)
    assert hits.tolist() == [True, True, False, False, True, True]


def test_a_term_of_punctuation_only_is_left_out():
    folded, accented = scope_patterns({"en": ("--", "credit union")})
    assert folded.pattern == r"(?<![a-z0-9])(?:credit\ union)s?(?![a-z0-9])" and accented is None
    assert scope_patterns({"en": ("--",)}) == (None, None)
    assert compute_scope_matches(works(["-- and credit", "anything"]), {"en": ("--",)}).tolist() == [False, False]


# --- the texts matched ----------------------------------------------------------------------------------------------

def test_fields_are_joined_with_a_separator_and_missing_values_skipped():
    """A title ending with the accented word and an abstract starting right after: still whole words; a missing
    title does not hide the abstract; keywords count (default fields)."""
    w = works(["Une coopérative", None, "Sans rapport", "Sans rapport", "Autre chose"],
              abstract=["de travail", "La coopérative forestière", None, None, "economie sociale"],
              author_keywords=[None, None, "coopérative", None, None],
              index_keywords=[None, None, None, "Credit unions", None])
    assert compute_scope_matches(w, VOCABULARY).tolist() == [True, True, True, True, True]
    assert compute_scope_matches(w, VOCABULARY, fields=("title",)).tolist() == [True, False, False, False, False]
    assert compute_scope_matches(w, VOCABULARY, fields=("abstract",)).tolist() == [False, True, False, False, True]


def test_accented_word_before_another_field_keeps_its_word_boundary():
    w = works(["Une coopérative"], abstract=["sociale"])
    assert compute_scope_matches(w, {"fr": ("coopérative",)}).tolist() == [True]
    w = works(["Une economie"], abstract=["sociale"])  # the separator is punctuation: a space
    assert compute_scope_matches(w, {"fr": ("économie sociale",)}).tolist() == [True]


def test_works_without_text_columns_or_without_rows():
    no_text = pd.DataFrame({"work_id": ["a", "b"]}, index=[7, 9])
    hits = compute_scope_matches(no_text, VOCABULARY)
    assert hits.tolist() == [False, False] and hits.index.tolist() == [7, 9]
    empty = works([])
    hits = compute_scope_matches(empty, VOCABULARY)
    assert len(hits) == 0
    assert compute_scope_terms(empty, VOCABULARY).columns.tolist() == ["term", "lang", "n_works"]


def test_matches_keep_the_works_index():
    w = works(["Cooperatives in Spain", "Une coopérative", "Rien"])
    w.index = [30, 10, 20]
    hits = compute_scope_matches(w, VOCABULARY)
    assert hits.index.tolist() == [30, 10, 20] and hits.tolist() == [True, True, False]


def test_tables_without_their_columns_are_named():
    no_id = pd.DataFrame({"title": ["Une coopérative"]})
    for call in (lambda: compute_scope_matches(no_id, VOCABULARY), lambda: compute_scope_terms(no_id, VOCABULARY),
                 lambda: compute_relevance(no_id, themes_of(), VOCABULARY)):
        with pytest.raises(ParameterError, match="work_id") as err:
            call()
        assert err.value.field == "works"
    with pytest.raises(ParameterError, match="theme") as err:
        compute_relevance(works(["x"]), pd.DataFrame({"work_id": ["w0"]}), VOCABULARY)
    assert err.value.field == "work_themes"


# --- term counts ------------------------------------------------------------------------------------------------------

def test_scope_terms_columns_types_and_order_across_languages():
    """Hand count: 'social economy' in w0, w1, w2 (3); 'coopérative' in w1, w3 (2, its plural in w3); 'credit union'
    in w2 (1) and 'coopératives' in w3 (1) tie and keep the strategy's order (fr before en here)."""
    w = works(["Social economy", "Social economy and une coopérative", "Credit union in the social economy",
               "Des coopératives"])
    terms = compute_scope_terms(w, {"fr": ("coopérative", "coopératives"), "en": ("credit union", "social economy",
                                                                                 "mutual society")})
    assert terms.columns.tolist() == ["term", "lang", "n_works"]
    assert terms.values.tolist() == [["social economy", "en", 3], ["coopérative", "fr", 2],
                                     ["coopératives", "fr", 1], ["credit union", "en", 1]]
    assert terms.index.tolist() == [0, 1, 2, 3]
    assert terms["n_works"].dtype.kind == "i"


def test_scope_terms_keep_the_term_as_written_without_its_quotes():
    terms = compute_scope_terms(works(["Xarxa cooperatives in Catalonia"]), {"en": ('"Xarxa cooperatives"',)})
    assert terms.values.tolist() == [["Xarxa cooperatives", "en", 1]]


def test_scope_terms_of_a_language_without_terms():
    terms = compute_scope_terms(works(["Une coopérative"]), {"fr": []})
    assert terms.empty and terms.columns.tolist() == ["term", "lang", "n_works"]


def test_scope_terms_fields_argument():
    w = works(["Credit union"], abstract=["Une coopérative"])
    terms = compute_scope_terms(w, VOCABULARY, fields=("abstract",))
    assert terms.values.tolist() == [["coopérative", "fr", 1]]


# --- share arguments --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [("threshold", True), ("threshold", "0.1"), ("threshold", -0.01),
                                          ("threshold", 1.01), ("on_topic_share", 2), ("on_topic_share", None)])
def test_shares_outside_zero_one_are_refused(field, value):
    w = works(["x"])
    kwargs = {"threshold": 0.0, "on_topic_share": 1.0, field: value}
    with pytest.raises(ParameterError, match=rf"expected a share between 0 and 1, got {value!r}") as err:
        compute_relevance(w, themes_of(), VOCABULARY, **kwargs)
    assert err.value.field == field


def test_shares_zero_and_one_are_accepted_and_returned_as_floats():
    w = works(["Une coopérative"])
    r = compute_relevance(w, themes_of(("w0", "food")), VOCABULARY, threshold=0, on_topic_share=1)
    assert r["threshold"] == 0.0 and type(r["threshold"]) is float
    assert r["on_topic_share"] == 1.0 and type(r["on_topic_share"]) is float
    assert r["verdict"] == "on_topic"  # 1 of 1 in scope: 100 % is not below 100 %


def test_on_topic_share_equal_to_the_threshold_is_accepted_below_it_refused():
    w = works(["Une coopérative", "Rien"])
    r = compute_relevance(w, themes_of(("w0", "food")), VOCABULARY, threshold=0.5, on_topic_share=0.5)
    assert r["verdict"] == "on_topic"
    with pytest.raises(ParameterError, match=r"must be at least the threshold \(0\.5\), got 0\.4"):
        compute_relevance(w, themes_of(), VOCABULARY, threshold=0.5, on_topic_share=0.4)


# --- verdicts and counts ----------------------------------------------------------------------------------------------

def _corpus(n: int, in_scope: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n synthetic works, the first ``in_scope`` about a cooperative, every one themed (food)."""
    titles = ["Une coopérative alimentaire"] * in_scope + ["Food prices"] * (n - in_scope)
    w = works(titles)
    return w, themes_of(*[(i, "food") for i in w["work_id"]])


@pytest.mark.parametrize("in_scope, verdict", [(0, "off_topic"), (1, "adjacent"), (2, "adjacent"),
                                               (24, "adjacent"), (25, "on_topic"), (26, "on_topic")])
def test_default_shares_two_percent_and_one_half(in_scope, verdict):
    """50 works: 1 in scope is exactly 2 % (the default threshold: adjacent), 25 exactly 50 % (on topic)."""
    w, wt = _corpus(50, in_scope)
    r = compute_relevance(w, wt, VOCABULARY)
    assert r["verdict"] == verdict and r["on_topic"] == (verdict != "off_topic")
    assert r["threshold"] == 0.02 and r["on_topic_share"] == 0.5
    assert r["share_in_scope"] == pytest.approx(in_scope / 50)


def test_verdict_flags_of_each_kind():
    w, wt = _corpus(10, 1)
    assert compute_relevance(w, wt, VOCABULARY, 0.2, 0.5)["on_topic"] is False
    assert compute_relevance(w, wt, VOCABULARY, 0.1, 0.5)["on_topic"] is True
    assert compute_relevance(w, wt, VOCABULARY, 0.05, 0.1)["on_topic"] is True
    assert VERDICTS == ("no_works", "off_topic", "adjacent", "on_topic")


def test_counts_use_distinct_works_and_ignore_themes_of_other_works():
    """Five rows, four works (w1 twice): scope w0, w1 (2); themed w1, w2, w3 (3; 'zz' is not in the table);
    both: w1 (1). Shares over the 4 distinct works."""
    w = pd.DataFrame({"work_id": ["w0", "w1", "w1", "w2", "w3"],
                      "title": ["Une coopérative", "Credit unions", "Credit unions", "Food", "Food"]})
    wt = themes_of(("w1", "food"), ("w2", "food"), ("w3", "food"), ("zz", "food"), ("zz", "digital"))
    r = compute_relevance(w, wt, VOCABULARY, 0.2, 0.5)
    assert {k: r[k] for k in ("n_works", "n_scope", "n_themed", "n_in_scope")} == {
        "n_works": 4, "n_scope": 2, "n_themed": 3, "n_in_scope": 1}
    assert (r["share_scope"], r["share_themed"], r["share_in_scope"]) == (0.5, 0.75, 0.25)
    assert r["verdict"] == "adjacent" and r["on_topic"] is True
    assert list(r) == ["n_works", "n_scope", "n_themed", "n_in_scope", "share_scope", "share_themed",
                       "share_in_scope", "threshold", "on_topic_share", "verdict", "on_topic"]


def test_no_works_gives_zero_counts_and_nan_shares():
    r = compute_relevance(works([]), themes_of(("w0", "food")), VOCABULARY)
    assert (r["n_works"], r["n_scope"], r["n_themed"], r["n_in_scope"]) == (0, 0, 0, 0)
    assert all(math.isnan(r[k]) for k in ("share_scope", "share_themed", "share_in_scope"))
    assert r["verdict"] == "no_works" and r["on_topic"] is False
