"""Québec affiliation matching and the researcher directory, on synthetic records (invented people)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError
from analysis.vigie.directory import (
    OTHER_QUEBEC,
    compute_directory,
    compute_institution_counts,
    compute_quebec_authorships,
    compute_researcher_works,
    compute_theme_capacity,
    compute_unattributed_quebec,
    directory_precision,
    draw_review_sample,
    label_review_sample,
    load_directory_review,
    load_institutions,
    match_affiliation,
    wilson_interval,
)

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture
def inst():
    return load_institutions(FIX / "institutions_toy.yaml")


@pytest.mark.parametrize("aff, expected", [
    ("ESG, Univ Quebec Montreal, Montreal, QC, Canada", "UQAM"),          # longest alias wins over the network
    ("Université du Québec à Montréal, Canada", "UQAM"),
    ("Université du Québec, Québec, Canada", "Université du Québec (réseau)"),
    ("Concordia University, Portland, OR, USA", None),                      # needs a Québec address
    ("Concordia University, Montreal, QC H3G 1M8, Canada", "Université Concordia"),
    ("Hôpital fictif, Quebec City, Canada", OTHER_QUEBEC),
    ("Faculté des sciences, Université Laval", "Université Laval"),
    ("Laval, France", None),
    ("University of Toronto, Toronto, ON, Canada", None),
    (None, None),
])
def test_match_affiliation(inst, aff, expected):
    assert match_affiliation(aff, inst) == expected


def test_directory_by_hand(inst):
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3"], "year": pd.array([2015, 2019, 2022], dtype="Int64")})
    au = pd.DataFrame([
        ("w1", 1, "Tremblay, A.", "Tremblay, Alice", None, "UQAM, Montreal, QC, Canada", "Canada"),
        ("w2", 1, "Tremblay, A.", "Tremblay, Alice", None, "Univ Paris, Paris, France", "France"),
        ("w3", 1, "Tremblay, A.", "Tremblay, Alice", None, "Laval University, Quebec, Canada", "Canada"),
        ("w3", 2, "Smith, B.", "Smith, Bob", None, "University of Toronto, Canada", "Canada"),
        ("w2", 2, "Gagnon, C.", "Gagnon, Chloé", None, "Concordia University, Montreal, QC, Canada", "Canada"),
    ], columns=["work_id", "position", "author", "author_full", "author_id", "affiliation", "country"])
    wt = pd.DataFrame({"work_id": ["w1", "w2", "w2", "w3"], "theme": ["food", "food", "digital", "digital"]})
    d = compute_directory(au, works, wt, inst)
    assert d["author_full"].tolist() == ["Tremblay, Alice", "Gagnon, Chloé"]
    alice = d.iloc[0]
    assert alice["n_works"] == 3 and alice["n_quebec_works"] == 2      # the Paris work counts, not as Québec
    assert alice["institution"] == "Université Laval"                     # tie 1–1: the most recent (2022)
    assert alice["themes"] == "digital; food"  # food 2 (w1, w2), digital 2 (w2, w3): tie → by id
    # the report names them: the directory's theme column as the report shows it
    from analysis.report.figures.vigie import theme_labels
    from analysis.vigie import load_themes

    labels = theme_labels(load_themes(FIX / "themes_toy.yaml"))
    assert "; ".join(labels[x] for x in alice["themes"].split("; ")) == "Numérique; Alimentation"
    assert (alice["first_year"], alice["last_year"]) == (2015, 2022)
    assert d.iloc[1]["institution"] == "Université Concordia"
    counts = compute_institution_counts(d)
    assert counts["n_researchers"].tolist() == [1, 1]
    qa = compute_quebec_authorships(au, inst)
    cap = compute_theme_capacity(au, qa, wt)
    assert cap.to_dict() == {"digital": 2, "food": 2}


def test_shipped_aliases_are_valid():
    inst = load_institutions(paths.RAW / "vigie" / "quebec_institutions.yaml")
    assert len(inst.names()) >= 20
    assert match_affiliation("Dept Management, HEC Montreal, Montreal, PQ, Canada", inst) == "HEC Montréal"
    assert match_affiliation("Univ Quebec Trois Rivieres, Trois Rivieres, PQ, Canada", inst).endswith("(UQTR)")
    assert match_affiliation("INRS, Lyon, France", inst) is None


def test_bad_file(tmp_path):
    bad = tmp_path / "i.yaml"
    bad.write_text("institutions:\n  - {name: X}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="alias"):
        load_institutions(bad)


def test_real_corpora_scale():
    """Scopus CSV + WoS exports on generative AI (public samples): Québec authors are found, none twice."""
    from analysis.vigie.bank import build_bank

    mirror = paths.default_mirror()
    files = [mirror / "corpora" / n for n in ("scopus_ai_2025.csv", "wos_ai_2025.txt")] if mirror else []
    if not files or not all(f.exists() for f in files):
        pytest.skip("public AI corpora not available (set VIGIE_DATA_MIRROR or run make data)")
    bank = build_bank(files)
    inst = load_institutions(paths.RAW / "vigie" / "quebec_institutions.yaml")
    wt = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    d = compute_directory(bank.authorships, bank.works, wt, inst)
    assert len(d) >= 30
    assert {"Université McGill", "Université de Montréal"} <= set(d["institution"])
    assert not d.duplicated(["author", "author_full"]).any()
    assert (d["n_quebec_works"] <= d["n_works"]).all()


# ---- attribution: an author counts as Québec only through their own address (synthetic, invented people) --------

def _authorships(rows):
    return pd.DataFrame(rows, columns=["work_id", "position", "author", "author_full", "author_id", "affiliation",
                                       "country"])


SHARED_2 = "Université Laval, Quebec, Canada; Univ Paris, Paris, France"          # 2 addresses, 2 authors
SHARED_3_OF_2 = "Université Laval, Quebec, Canada; Univ Paris, Paris, France"      # 2 addresses, 3 authors
ALL_QC = "UQAM, Montreal, QC, Canada; Université Laval, Quebec, Canada"


@pytest.fixture
def attribution_case():
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4", "w5", "w6"],
                          "year": pd.array([2015, 2016, 2017, 2018, 2020, 2019], dtype="Int64"),
                          "title": ["T1", "T2", "T3", "T4", "T5", "T6"], "doi": ["10.1/a", None, None, None, None,
                                                                                 None]})
    au = _authorships([
        # w1: a Québec author and her foreign co-author; the record gives one list for both, one address each
        ("w1", 1, "Roy, A.", "Roy, Anne", None, SHARED_2, None),
        ("w1", 2, "Dupont, B.", "Dupont, Bernard", None, SHARED_2, None),
        # w2: three authors, two addresses: nobody can be given the Laval address
        ("w2", 1, "Martin, C.", "Martin, Claire", None, SHARED_3_OF_2, None),
        ("w2", 2, "Durand, D.", "Durand, Denis", None, SHARED_3_OF_2, None),
        ("w2", 3, "Petit, E.", "Petit, Emma", None, SHARED_3_OF_2, None),
        # w3: one list, every address in Québec: both authors are in Québec whichever address is theirs
        ("w3", 1, "Côté, F.", "Côté, Félix", None, ALL_QC, None),
        ("w3", 2, "Lee, G.", "Lee, Grace", None, ALL_QC, None),
        # w4: each author's own address: the foreign co-author stays out
        ("w4", 1, "Ouellet, H.", "Ouellet, Hélène", None, "Université Laval, Quebec, Canada", "Canada"),
        ("w4", 2, "Smith, I.", "Smith, Ian", None, "University of Toronto, Toronto, Canada", "Canada"),
        # w5: Ouellet's own address two years later is in Paris
        ("w5", 1, "Ouellet, H.", "Ouellet, Hélène", None, "Univ Paris, Paris, France", "France"),
        # w6: a Québec address without a known institution
        ("w6", 1, "Gagné, J.", "Gagné, Julie", None, "Hôpital fictif, Quebec City, Canada", "Canada"),
    ])
    return works, au


def test_foreign_coauthor_of_a_quebec_author_is_not_listed(inst, attribution_case):
    works, au = attribution_case
    wt = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    d = compute_directory(au, works, wt, inst)
    assert sorted(d["author_full"]) == ["Côté, Félix", "Gagné, Julie", "Lee, Grace", "Ouellet, Hélène", "Roy, Anne"]
    reasons = dict(zip(d["author_full"], d["check_reasons"]))
    assert reasons == {"Roy, Anne": "address_by_position", "Côté, Félix": "", "Lee, Grace": "",
                       "Ouellet, Hélène": "latest_outside_quebec", "Gagné, Julie": "institution_unknown"}
    assert d.set_index("author_full")["to_check"].to_dict() == {k: bool(v) for k, v in reasons.items()}
    qa = compute_quebec_authorships(au, inst).set_index("author")
    assert qa.loc["Roy, A.", "basis"] == "address_by_position"
    assert qa.loc["Roy, A.", "address"] == "Université Laval, Quebec, Canada"   # her address, not the list
    assert qa.loc["Côté, F.", "basis"] == "all_addresses_quebec"
    assert qa.loc["Côté, F.", "institution"] == "UQAM" and qa.loc["Lee, G.", "institution"] == "Université Laval"
    assert qa.loc["Ouellet, H.", "basis"] == "own_address"
    assert "Dupont, B." not in qa.index and "Smith, I." not in qa.index
    # nothing silent: the Laval address of w2 is listed as given to nobody
    un = compute_unattributed_quebec(au, inst)
    assert un.values.tolist() == [["w2", 3, 2, "Université Laval", "Martin, C.; Durand, D.; Petit, E."]]


def test_former_record_rule_kept_for_comparison(inst, attribution_case):
    works, au = attribution_case
    wt = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    d = compute_directory(au, works, wt, inst, rule="record")
    # every author of w1 and w2 (and w3) becomes Québec under the former rule: 5 more than with the own-address rule
    assert len(d) == 9
    assert d.set_index("author_full").loc["Dupont, Bernard", "check_reasons"] == "shared_address_list"
    with pytest.raises(ParameterError, match="rule"):
        compute_directory(au, works, wt, inst, rule="any")


def test_researcher_works_carry_the_text_they_rest_on(inst, attribution_case):
    works, au = attribution_case
    wt = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    d = compute_directory(au, works, wt, inst)
    rw = compute_researcher_works(d, au, works, inst)
    ouellet = rw[rw["key"] == d.set_index("author_full").loc["Ouellet, Hélène", "key"]]
    assert ouellet[["work_id", "year", "quebec", "basis"]].values.tolist() == [
        ["w5", 2020, False, "outside"], ["w4", 2018, True, "own_address"]]
    roy = rw[rw["key"] == d.set_index("author_full").loc["Roy, Anne", "key"]].iloc[0]
    assert (roy["affiliation"], roy["doi"]) == ("Université Laval, Quebec, Canada", "10.1/a")


# ---- hand review: sample, labels, precision ----------------------------------------------------------------------

def test_wilson_interval_by_hand():
    # 7/7: centre (1 + 1.96²/14) / (1 + 1.96²/7) = 0.82283, half-width 1.96·√(1.96²/196) / 1.54880 = 0.17717
    low, high = wilson_interval(7, 7)
    assert low == pytest.approx(0.64567, abs=1e-4) and high == pytest.approx(1.0)
    # 7/12: centre 0.56310, half-width 0.24362
    assert wilson_interval(7, 12) == pytest.approx((0.31951, 0.80674), abs=1e-4)
    assert all(np.isnan(wilson_interval(0, 0)))
    with pytest.raises(ParameterError):
        wilson_interval(3, 2)


def test_precision_counts_by_hand():
    labelled = pd.DataFrame({"key": list("abcdef"),
                             "label": ["quebec", "quebec", "not_quebec", "unsure", None, "quebec"],
                             "reason": ["own_address", "list_order", "coauthor_address", "list_mismatch", None,
                                        "own_address"]})
    p = directory_precision(labelled)
    assert (p["sampled"], p["reviewed"], p["quebec"], p["not_quebec"], p["unsure"], p["unreviewed"],
            p["by_list_order"]) == (6, 5, 3, 1, 1, 1, 1)
    assert p["precision"] == pytest.approx(0.75)
    assert (p["ci_low"], p["ci_high"]) == pytest.approx(wilson_interval(3, 4))


def test_sample_is_seeded_and_independent_of_row_order():
    d = pd.DataFrame({"key": [f"k{i:02d}" for i in range(20)], "n_works": range(20)})
    a = draw_review_sample(d, 5, seed=7)
    b = draw_review_sample(d.iloc[::-1], 5, seed=7)
    assert a["key"].tolist() == b["key"].tolist() and a["draw"].tolist() == [1, 2, 3, 4, 5]
    assert draw_review_sample(d, 5, seed=8)["key"].tolist() != a["key"].tolist()
    assert len(draw_review_sample(d, 50, seed=7)) == 20


def test_review_labels_follow_the_person_and_check_the_doi(inst, attribution_case):
    works, au = attribution_case
    wt = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})
    d = compute_directory(au, works, wt, inst)
    review = pd.DataFrame({"work_id": ["w1", "w4"], "position": [1, 1], "doi": ["10.1/a", None],
                           "label": ["quebec", "quebec"], "reason": ["list_order", "own_address"]})
    lab = label_review_sample(draw_review_sample(d, 10, 1), au, works, review).set_index("author_full")
    assert lab.loc["Roy, Anne", "reason"] == "list_order"
    assert lab.loc["Ouellet, Hélène", "label"] == "quebec" and pd.isna(lab.loc["Lee, Grace", "label"])
    stale = review.assign(doi=["10.1/other", None])
    with pytest.raises(DataIntegrityError, match="redo the review"):
        label_review_sample(draw_review_sample(d, 10, 1), au, works, stale)


def test_shipped_review_file():
    review = load_directory_review()
    assert len(review) == 25 and review["label"].value_counts().to_dict() == {"unsure": 13, "quebec": 7,
                                                                               "not_quebec": 5}


def test_review_file_reason_must_fit_the_label(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("work_id,position,doi,label,reason\nW00001,1,,quebec,coauthor_address\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="does not go with"):
        load_directory_review(bad)
