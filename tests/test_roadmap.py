"""The roadmap's references (data/raw/vigie/seed_references.bib): read as cited, matched to the ledger's rejections."""

from __future__ import annotations

import pandas as pd

from analysis import vigie
from analysis.report.vigie import roadmap_authors
from analysis.vigie.roadmap import ROADMAP_REFERENCES, load_roadmap_references, roadmap_rejections


def test_references_as_the_roadmap_cites_them():
    refs = load_roadmap_references()
    assert len(refs) == 8
    first = refs.iloc[0]
    assert (first["authors"], first["et_al"], first["year"], first["line"]) == ("Galindo; Mendez-Picazo", False,
                                                                                 2014, 6)
    godin = refs.set_index("key").loc["godin2017"]
    assert godin["et_al"] and godin["authors"] == "Godin" and godin["cited_as"] == "Godin et al., 2017"
    assert roadmap_authors(first["authors"], first["et_al"]) == "Galindo et Mendez-Picazo"
    assert roadmap_authors(first["authors"], first["et_al"], "en") == "Galindo and Mendez-Picazo"
    assert roadmap_authors("Godin", True) == "Godin et al."


def test_they_are_the_ledgers_rejections():
    bank = vigie.build_bank([ROADMAP_REFERENCES], cache=False)
    assert bank.works.empty and bank.ledger["rejected"].tolist() == [8]  # still not publications of the bank
    mask = roadmap_rejections(bank.rejections)
    assert mask.all() and bank.rejections.loc[mask, "line"].tolist() == load_roadmap_references()["line"].tolist()
    other = pd.DataFrame({"file": ["seed_references.bib", "other.bib"], "code": ["truncated_record", "no_title"]})
    assert roadmap_rejections(other).tolist() == [False, False]
