"""Québec affiliation matching and the researcher directory, on synthetic records (invented people)."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import SchemaError
from analysis.vigie.directory import (
    OTHER_QUEBEC,
    compute_directory,
    compute_institution_counts,
    compute_quebec_authorships,
    compute_theme_capacity,
    load_institutions,
    match_affiliation,
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
