"""h-index, Lotka, Bradford and countries, checked by hand on synthetic toy tables."""

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from analysis.core import paths
from analysis.vigie.bank import build_bank
from analysis.vigie.bibliometrics import _distinct, main_information_dict
from analysis.vigie.names import source_key_arrow
from analysis.vigie.readers import read_file
from analysis.vigie.sources_authors import (
    affiliation_coverage,
    compute_author_table,
    compute_bradford,
    compute_bradford_zones,
    compute_countries,
    compute_lotka,
    compute_top_sources,
    h_index,
    international_collaboration,
)


def test_h_index_by_hand():
    assert h_index([10, 8, 5, 4, 3]) == 4
    assert h_index([25, 8, 5, 3, 3]) == 3
    assert h_index([]) == 0
    assert h_index([0, 0]) == 0
    assert h_index(pd.array([None, 3, 3, 3], dtype="Int64")) == 3


def _works_for_sources(counts):
    rows = []
    for i, n in enumerate(counts, start=1):
        rows += [{"work_id": f"S{i}-{j}", "source_title": f"Source {i}", "cited_by": pd.NA} for j in range(n)]
    return pd.DataFrame(rows)


def test_bradford_nine_sources():
    # N = 30 works; zone = 1 + floor(3 × works before / 30) → 10 works | 10 works | 10 works
    works = _works_for_sources([10, 5, 5, 3, 3, 1, 1, 1, 1])
    b = compute_bradford(works)
    assert b["zone"].tolist() == [1, 2, 2, 3, 3, 3, 3, 3, 3]
    z = compute_bradford_zones(b)
    assert z["n_sources"].tolist() == [1, 2, 6]  # Bradford's 1 : n : n² pattern with n = 2..2.5
    assert z["n_works"].tolist() == [10, 10, 10]
    top = compute_top_sources(works, 2)
    assert top["source"].tolist() == ["Source 1", "Source 2"]  # Source 2 and 3 tie at 5: name order
    assert top["share"].tolist() == pytest.approx([10 / 30, 5 / 30])
    assert top["citations"].isna().all()


def _authorships(rows):
    return pd.DataFrame(rows, columns=["work_id", "position", "author", "author_full", "author_id", "affiliation",
                                       "country"])


def test_lotka_exact_inverse_square():
    # 4 authors with 1 work, 1 author with 2 works → β = log10(4)/log10(2) = 2, C = 4
    rows = [("w1", 1, "Alpha, A.", "Alpha, Ann", None, None, None),
            ("w2", 1, "Beta, B.", "Beta, Bo", None, None, None),
            ("w3", 1, "Gamma, C.", "Gamma, Cy", None, None, None),
            ("w4", 1, "Delta, D.", "Delta, Di", None, None, None),
            ("w5", 1, "Zeta, Z.", "Zeta, Zo", None, None, None), ("w6", 1, "Zeta, Z.", "Zeta, Zo", None, None, None)]
    table, fit = compute_lotka(_authorships(rows))
    assert table["n_works"].tolist() == [1, 2]
    assert table["n_authors"].tolist() == [4, 1]
    assert fit["beta"] == pytest.approx(2.0)
    assert fit["c"] == pytest.approx(4.0)
    assert fit["share_single"] == pytest.approx(0.8)
    assert fit["n_authors"] == 5


def test_author_table_within_corpus_h_index():
    works = pd.DataFrame({"work_id": [f"w{i}" for i in range(1, 6)],
                          "year": pd.array([2018, 2019, 2020, 2021, 2022], dtype="Int64"),
                          "cited_by": pd.array([10, 8, 5, 4, 3], dtype="Int64")})
    rows = [(f"w{i}", 1, "Roy, M.", "Roy, Marie", None, None, None) for i in range(1, 6)]
    rows += [("w1", 2, "Roy, M.", "Roy, Marc", None, None, None)]  # a different person with the same initials
    t = compute_author_table(_authorships(rows), works)
    marie = t[t["author_full"] == "Roy, Marie"].iloc[0]
    assert marie["n_works"] == 5 and marie["h_index"] == 4 and marie["citations"] == 30
    assert marie["fractional"] == pytest.approx(0.5 + 4)
    assert (marie["first_year"], marie["last_year"]) == (2018, 2022)
    assert len(t) == 2  # full names keep the two Roy, M. apart


def test_countries_and_international_share():
    rows = [("w1", 1, "A, A.", None, None, "x", "Canada"), ("w1", 2, "B, B.", None, None, "y", "France"),
            ("w2", 1, "C, C.", None, None, "z", "Canada"), ("w2", 2, "D, D.", None, None, "z", "Canada"),
            ("w3", 1, "E, E.", None, None, "x", "France"), ("w4", 1, "F, F.", None, None, None, None)]
    a = _authorships(rows)
    c = compute_countries(a)
    assert c["country"].tolist() == ["Canada", "France"]
    assert c["n_works"].tolist() == [2, 2]
    assert c["n_multi"].tolist() == [1, 1]
    assert c["share_multi"].tolist() == [0.5, 0.5]
    ic = international_collaboration(a)
    assert ic == {"n_with_country": 3, "n_multi_country": 1, "share_multi_country": pytest.approx(1 / 3)}


def test_record_level_affiliation_lists_count_every_country():
    # one address list for the whole record, given to each author (old Scopus BibTeX layout); invented addresses
    aff = "Fictive School, Boston, MA 02163, United States; Fictive University, Surrey, BC V3T 0A3, Canada"
    a = _authorships([("w1", 1, "A, A.", None, None, aff, "United States"),
                      ("w1", 2, "B, B.", None, None, aff, "United States")])
    c = compute_countries(a)
    assert c["country"].tolist() == ["Canada", "United States"]
    assert international_collaboration(a)["n_multi_country"] == 1


def test_affiliation_coverage():
    a = _authorships([("w1", 1, "A, A.", None, None, "X, Paris, France", "France"),
                      ("w1", 2, "B, B.", None, None, None, None),
                      ("w2", 1, "C, C.", None, None, "Somewhere", None),
                      ("w3", 1, "D, D.", None, None, None, None)])
    cov = affiliation_coverage(a)
    assert cov == {"n_authorships": 4, "share_with_affiliation": 0.5, "share_with_country": 0.25, "n_works": 3,
                   "share_works_with_country": pytest.approx(1 / 3)}


def test_real_corpus_scale():
    """Bradford zones and Lotka on the 2,000-record Scopus export: each zone holds about a third of the works."""

    mirror = paths.default_mirror()
    path = mirror / "corpora" / "scopus_social_entrepreneurship.bib" if mirror else None
    if path is None or not path.exists():
        pytest.skip("public corpus not available (set VIGIE_DATA_MIRROR or run make data)")
    bank = build_bank([path])
    zones = compute_bradford_zones(compute_bradford(bank.works))
    assert zones["zone"].tolist() == [1, 2, 3]
    assert zones["n_works"].sum() == bank.works["source_title"].notna().sum()
    assert zones["share"].between(0.28, 0.39).all()
    assert zones["n_sources"].is_monotonic_increasing
    table, fit = compute_lotka(bank.authorships)
    assert table["n_authors"].sum() == fit["n_authors"] and 1.5 < fit["beta"] < 4.5


# ---------------------------------------------------------------- definitions fixed in issue 14
def test_sources_group_on_the_summary_key_and_keep_ampersand_apart():
    """Case variants are one source (before: "JOURNAL OF SYNTHETIC STUDIES" and "Journal of Synthetic Studies" were
    two rows); "&" is read as "and", so "Science & Education" = "Science and Education" ≠ "Science Education"."""

    titles = ["Journal of Synthetic Studies", "JOURNAL OF SYNTHETIC STUDIES", "Journal of Synthetic Studies",
              "Science & Education", "Science and Education", "Science Education"]
    works = pd.DataFrame({"work_id": [f"w{i}" for i in range(6)], "source_title": titles,
                          "cited_by": pd.array([1, 2, 3, 4, 5, 6], dtype="Int64")})
    top = compute_top_sources(works, None)
    assert top[["source", "n_works", "citations"]].values.tolist() == [
        ["Journal of Synthetic Studies", 3, 6], ["Science & Education", 2, 9], ["Science Education", 1, 6]]
    assert top["share"].tolist() == pytest.approx([3 / 6, 2 / 6, 1 / 6])
    b = compute_bradford(works)
    assert b[["source", "n_works", "zone"]].values.tolist() == [
        ["Journal of Synthetic Studies", 3, 1], ["Science & Education", 2, 2], ["Science Education", 1, 3]]

    assert _distinct(source_key_arrow(pa.array(titles))) == len(top) == 3


def test_real_top_sources_count_what_the_summary_counts():
    """scopus_ai_2025: 1,575 raw source titles but 1,567 sources in the summary; the table now has 1,567 rows."""

    mirror = paths.default_mirror()
    path = mirror / "corpora" / "scopus_ai_2025.csv" if mirror else None
    if path is None or not path.exists():
        pytest.skip("public corpus not available (set VIGIE_DATA_MIRROR or run make data)")
    bank = build_bank([path])
    assert bank.works["source_title"].nunique() == 1575
    assert len(compute_top_sources(bank.works, None)) == len(compute_bradford(bank.works)) == 1567
    assert main_information_dict(bank)["sources"] == 1567


def test_international_counts_every_affiliation_of_every_author(tmp_path):
    """Author A of w1 is at a Canadian and a French address, author B at a Canadian one: one country per author
    (the first address) saw Canada only; every affiliation gives Canada and France, an international work."""

    wos = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Roy, P
   Lee, K
AF Roy, Pascale
   Lee, Kim
TI A synthetic record with a second affiliation
PY 2020
C1 [Roy, Pascale; Lee, Kim] Synthet Univ, Montreal, PQ, Canada.
   [Roy, Pascale] Synthet Inst, Paris, France.
UT WOS:999000000000101
ER

PT J
AU Tremblay, M
   Gagnon, E
AF Tremblay, Marie
   Gagnon, Elise
TI Another synthetic record, one country
PY 2021
C1 [Tremblay, Marie; Gagnon, Elise] Synthet Univ, Quebec, PQ, Canada.
UT WOS:999000000000102
ER

EF
"""
    (tmp_path / "two_affiliations.txt").write_text(wos, encoding="utf-8")
    r = read_file(tmp_path / "two_affiliations.txt")
    assert r.authorships["country"].tolist() == ["Canada", "Canada", "Canada", "Canada"]
    assert r.authorships["countries"].tolist() == ["Canada; France", "Canada", "Canada", "Canada"]
    bank = build_bank([tmp_path / "two_affiliations.txt"])
    assert main_information_dict(bank)["international_coauthorships_pct"] == 50.0  # 1 of 2 works
    assert international_collaboration(bank.authorships)["n_multi_country"] == 1
    assert compute_countries(bank.authorships)[["country", "n_works", "n_multi"]].values.tolist() == [
        ["Canada", 2, 1], ["France", 1, 1]]


def test_scopus_author_with_two_affiliations_gets_both_countries(tmp_path):
    """Scopus joins an author's affiliations with ", " in "Authors with affiliations": each part equal to the
    country of one of the record's "Affiliations" is one of the author's countries."""

    fix = Path(__file__).parent / "fixtures" / "bank" / "scopus_small.csv"
    with open(fix, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    h = rows[0]
    rows[3][h.index("Affiliations")] = ("Synthetic Institute, Seoul, South Korea; Université Laval, Québec, QC, "
                                        "Canada; Synthetic School, Lyon, France")
    rows[3][h.index("Authors with affiliations")] = ("Lee K., Synthetic Institute, Seoul, South Korea, Synthetic "
                                                     "School, Lyon, France; Tremblay M., Université Laval, Québec, "
                                                     "QC, Canada")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (tmp_path / "two.csv").write_text(out.getvalue(), encoding="utf-8")
    a = read_file(tmp_path / "two.csv").authorships
    lee = a[(a["record"] == 3) & (a["position"] == 1)].iloc[0]
    assert (lee["country"], lee["countries"]) == ("France", "South Korea; France")
    assert a[(a["record"] == 3) & (a["position"] == 2)]["countries"].tolist() == ["Canada"]


def test_lotka_expected_shares_sum_to_one_over_the_range():
    """x = 1, 2, 4 (no author with 3 works): H(4, 2) = 1 + 1/4 + 1/9 + 1/16 = 205/144; expected shares
    144/205 × (1, 1/4, 1/16). Over 1 … 4 they add up to 1; the x = 3 share (16/205) belongs to no listed row."""
    rows = [(f"w{i}", 1, f"Single{i}, A.", f"Single{i}, Ann", None, None, None) for i in range(6)]
    rows += [(f"d{i}", 1, "Double, B.", "Double, Bo", None, None, None) for i in range(2)]
    rows += [(f"q{i}", 1, "Quad, C.", "Quad, Cy", None, None, None) for i in range(4)]
    table, fit = compute_lotka(_authorships(rows))
    assert table["n_works"].tolist() == [1, 2, 4] and table["n_authors"].tolist() == [6, 1, 1]
    assert table["expected_lotka2"].tolist() == pytest.approx([144 / 205, 36 / 205, 9 / 205])
    assert table["expected_lotka2"].sum() + 16 / 205 == pytest.approx(1.0)
    assert (fit["x_max"], fit["lotka2_single"]) == (4, pytest.approx(144 / 205))


def test_lotka_inverse_square_exact_case_expected_equals_observed():
    # 4 authors with 1 work, 1 with 2: H(2, 2) = 5/4, expected 4/5 and 1/5 = the observed shares
    rows = [(f"w{i}", 1, f"A{i}, A.", f"A{i}, Ann", None, None, None) for i in range(4)]
    rows += [("w5", 1, "Zeta, Z.", "Zeta, Zo", None, None, None), ("w6", 1, "Zeta, Z.", "Zeta, Zo", None, None, None)]
    table, _ = compute_lotka(_authorships(rows))
    assert table["expected_lotka2"].tolist() == pytest.approx([0.8, 0.2]) == table["share"].tolist()
