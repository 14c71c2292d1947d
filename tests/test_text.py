"""Text keys: accents folded only for matching, DOIs and author names normalised (hand-checked examples)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.text import clean_space, fold_accents, fold_series, normalize_key
from analysis.vigie.names import (
    author_key,
    country_of,
    country_series,
    first_author_surname_key,
    format_author,
    normalize_author,
    normalize_doi,
    normalize_doi_series,
    normalize_title,
)


def test_fold_accents_keeps_case_and_other_characters():
    assert fold_accents("Québec, Montréal — Corsín") == "Quebec, Montreal - Corsin"
    assert fold_accents("Économie sociale: cœur") == "Economie sociale: coeur"
    assert fold_accents(None) is None


def test_normalize_title_french_and_english_alike():
    assert normalize_title("L'économie sociale au Québec!") == "l economie sociale au quebec"
    assert normalize_title("L’ÉCONOMIE  SOCIALE au QUEBEC") == "l economie sociale au quebec"
    assert normalize_title("Data {{Science Project}} \\textit{Scope}") == "data science project scope"
    assert normalize_title("  ") is None


def test_normalize_doi():
    assert normalize_doi("https://doi.org/10.1111/J.1540-6520.2006.00107.X") == "10.1111/j.1540-6520.2006.00107.x"
    assert normalize_doi("doi:10.5555/ABC.") == "10.5555/abc"
    assert normalize_doi("DOI 10.1162/desi\\_a\\_00666") == "10.1162/desi_a_00666"
    assert normalize_doi("http://dx.doi.org/10.5555/x") == "10.5555/x"
    assert normalize_doi("not a doi") is None
    assert normalize_doi(None) is None


def test_normalize_author_forms():
    cases = {
        "Parise O.": "Parise, O.",
        "de Asmundis C.": "de Asmundis, C.",
        "Kotze, LJ": "Kotze, L.J.",
        "Kotze, Louis J.": "Kotze, L.J.",
        "Gagnon É.": "Gagnon, É.",
        "Élise Gagnon": "Gagnon, É.",
        "Lavoie, Jean-Pierre": "Lavoie, J.-P.",
        "Li X.-Y.": "Li, X.-Y.",
        "Zahra, S.A.": "Zahra, S.A.",
        "Martí, I.": "Martí, I.",
    }
    for raw, expected in cases.items():
        assert normalize_author(raw) == expected, raw
    assert normalize_author("") is None
    assert format_author("Côté", "Marc André") == "Côté, M.A."
    assert author_key("Martí, I.") == author_key("Marti, I.") == "marti i"
    assert first_author_surname_key("Côté, M.") == "cote"
    assert first_author_surname_key("do Lago e Pretti, E.") == first_author_surname_key("Pretti, E.D.E.") == "pretti"


def test_country_of_last_part_with_aliases():
    assert country_of("Nova Southeastern Univ, Ft Lauderdale, FL 33328 USA.") == "United States"
    assert country_of("Univ Warwick, Sch Law, Coventry CV4 7AL, W Midlands, England.") == "United Kingdom"
    assert country_of("Harvard Business School, Boston, MA 02163, United States") == "United States"
    assert country_of("Zayed Univ, Abu Dhabi, U Arab Emirates") == "United Arab Emirates"
    assert country_of("Tsinghua Univ, Beijing 100084, Peoples R China") == "China"
    assert country_of("HEC Montréal, Montréal, QC, Canada") == "Canada"
    assert country_of("Airlangga University") is None  # a lone institution name is not a country
    assert country_of(None) is None


def test_clean_space():
    assert clean_space("a\n   b\t c ") == "a b c"
    assert clean_space("   ") is None


ALPHABET = "aAéÉçÇ œ’-,.;:!{}\\ 0123xyzQßæİ\u212a中\t\n\u00a0"
TEXTS = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=30))


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, max_size=8))
def test_fold_series_matches_scalar(values):
    got = fold_series(pd.Series(values, dtype="object")).tolist()
    want = [normalize_key(v) for v in values]
    assert [None if pd.isna(g) else g for g in got] == want


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([
    "https://doi.org/10.5555/ABC.", "10.1/x", "doi:10.1234/a\\_b}", "nothing", "DOI 10.55555/Q;", "",
    "10.1234/AbC", "10.1234/x]", "10.1234/x y", "10.12345/", "10.1234/{x}"])), max_size=6))
def test_normalize_doi_series_matches_scalar(values):
    got = normalize_doi_series(pd.Series(values, dtype="object")).tolist()
    assert [None if pd.isna(g) else g for g in got] == [normalize_doi(v) for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("aU SAC,.;\t9")), max_size=12),
                          st.sampled_from(["Univ X, Montreal, Canada", "Canada", "X, USA", "Y, England."])),
                max_size=8))
def test_country_series_matches_scalar_on_any_text(values):
    got = country_series(pd.Series(values, dtype="object")).tolist()
    assert [None if pd.isna(g) else g for g in got] == [country_of(v) for v in values]


def test_country_series_matches_scalar():
    values = ["Univ X, Ft Lauderdale, FL 33328 USA.", None, "Montreal, QC, Canada", "Canada", "x",
              "Zayed Univ, U Arab Emirates", "Univ Synthet, Paris, France.", "Campus X, Las Palmas, 35017, Spain,"]
    got = country_series(pd.Series(values, dtype="object")).tolist()
    assert [None if pd.isna(g) else g for g in got] == [country_of(v) for v in values]
