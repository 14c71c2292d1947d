"""« Livrables de la Vigie »: the bank catalogue and its CSV/BibTeX/RIS writers (escaping, formula injection), the
bank page's embedded data, and the page against the real default bank (counts, works field by field, size).

The small fixture is synthetic (tests/_bank_fixture.py: invented titles and people) and carries the probes a hostile
export could hold (``<script>``, ``</script>``, a formula, LaTeX specials, a line break followed by an RIS tag).
"""

from __future__ import annotations

import csv
import io
import json
import re

import bibtexparser
import pandas as pd
import pytest
import rispy
from _bank_fixture import BREAK, HEADERS, LATEX, PROBE, THEMES, synthetic_tables

from analysis import vigie
from analysis.core import params
from analysis.report import deliverables as rd
from analysis.vigie import catalogue as cat


@pytest.fixture
def catalogue():
    return cat.compute_catalogue(*synthetic_tables())


def test_catalogue_rows(catalogue):
    first = catalogue.iloc[0]
    assert first["authors"] == ["Tremblay, A.", "Smith and Sons"] and first["themes"] == ["food", "digital"]
    assert first["origins"] == ["a.csv#1", "b.txt#7"] and first["files"] == ["a.csv", "b.txt"]
    assert catalogue.iloc[1]["themes"] == [] and catalogue.iloc[3]["authors"] == ["Roy, C."]


def test_formula_cells_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert cat.neutralize_cell(text) == "'" + text
    assert cat.neutralize_cell("a=1") == "a=1" and cat.neutralize_cell("") == ""


def test_csv_by_hand(catalogue):
    text = cat.catalogue_csv(catalogue, HEADERS, THEMES)
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    lines = text[1:].split("\r\n")
    assert lines[0] == ",".join(f'"{c.upper()}"' for c in cat.CSV_COLUMNS)
    # the formula title, the "+Plus" author and the "-Minus" source are neutralised; quotes doubled; no year
    assert lines[2] == ('"W00002","\'=HYPERLINK(""http://evil.example"",""x"")","\'+Plus, B.",2019,'
                        '"\'-Minus Review","Conference Paper","French",,,,"a.csv#2",')
    # a work without year: the number cell is empty; its DOI link is percent-encoded
    parsed = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert len(parsed) == 5 and parsed[3][2] == "Côté, É." and parsed[3][3] == ""
    assert parsed[3][8] == "https://doi.org/10.1234/x%20y%23z" and parsed[4][1] == BREAK  # a line break stays inside
    assert '"Alimentation; Numérique"' in lines[1] and ',3' in lines[1]


def test_bibtex_escapes_and_parses(catalogue):
    text = cat.catalogue_bibtex(catalogue, THEMES, "Origines :")
    assert cat.bibtex_escape(LATEX) == (r"Costs \textbraceleft{}100\%\textbraceright{} \& \$5 \#1 a\_b "
                                       r"\textasciitilde{}c \textasciicircum{}d \textbackslash{}e")
    assert "author = {Tremblay, A. and {Smith and Sons}}" in text
    assert "doi = {10.1234/ab%7Bc%7D}" in text          # a brace in a DOI cannot close its field
    assert "@inproceedings{W00002," in text and "@incollection{W00003," in text and "@book{W00004," in text
    # every entry's braces balance: nothing in a value can close its field early
    for entry in text.split("\n@"):
        depth = 0
        for char in entry.replace("\\{", "").replace("\\}", ""):
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == list(catalogue["work_id"])
    assert library.entries[3]["title"] == "First line ER - TY - JOUR"           # one line, no new entry


def test_ris_values_stay_on_their_line(catalogue):
    text = cat.catalogue_ris(catalogue, THEMES, "Origines :")
    assert text.count("\r\nER  - \r\n") == 4 and "\n" not in text.replace("\r\n", "")
    records = rispy.loads(text.replace("\r\n", "\n"))
    assert len(records) == 4
    assert records[3]["title"] == "First line ER - TY - JOUR" and records[3]["type_of_reference"] == "BOOK"
    assert records[0]["authors"] == ["Tremblay, A.", "Smith and Sons"] and records[0]["keywords"] == [
        "Alimentation", "Numérique"]
    assert "TY  - CPAPER" in text and "TY  - CHAP" in text


def test_page_data_equals_the_catalogue(catalogue):
    R = rd.Context(lang="fr", files=("a.csv", "b.txt"))
    themes = vigie.load_themes()
    data = rd.bank_page_data(catalogue, themes, R)
    rows = data["works"]
    assert len(rows) == 4 and [r[0] for r in rows] == list(catalogue["work_id"])
    third = rows[2]
    assert third[1] == LATEX and third[2] is None and data["types"][third[5]] == "Book Chapter"
    assert [data["themes"][i][0] for i in rows[0][9]] == ["food", "digital"]
    assert [[data["files"][f], rec] for f, rec in rows[0][10]] == [["a.csv", "1"], ["b.txt", "7"]]
    assert data["csv_headers"]["title"] == "Titre" and data["thousands"] == "\u202f"


def test_embedded_json_cannot_close_its_script(catalogue):
    page = rd.bank_page_html(catalogue, vigie.load_themes(), rd.Context(files=("a.csv",)), "v1")
    assert page.count("</script>") == 2 and "<script>window.__pwned" not in page and "<b>bold" not in page
    payload = re.search(r'<script type="application/json" id="bank-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(payload)["works"][0][1] == PROBE
    assert "\u2028" not in rd.script_json(["a\u2028b"]) and json.loads(rd.script_json(["a\u2028b"])) == ["a\u2028b"]
    assert 'src="http' not in page and 'href="http' not in page           # no CDN, nothing fetched
    # the page's own style sheet is embedded as written: HTML-escaped, its quoted font names broke the font stack
    # and the page fell back to a serif font
    css = (rd.TEMPLATES / rd.BANK_TEMPLATE / "bank.css").read_text(encoding="utf-8")
    assert re.search(r"<style>\s*(.*?)</style>", page, re.S).group(1).strip() == css.strip()


# ---- the real default corpus -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def default_bank():
    p = params.validate("vigie_livrables", {})
    found, missing = vigie.find_inputs(p["corpus"])
    if missing:
        pytest.skip(f"default corpus not available ({missing[0]}): run make data")
    return vigie.build_bank(list(found), cache=True)


def test_default_bank_page_equals_the_bank(default_bank):
    themes = vigie.load_themes()
    wt = default_bank.work_themes(themes)
    catalogue = cat.compute_catalogue(default_bank.works, default_bank.authorships, wt)
    R = rd.Context(files=("seed_references.bib", "scopus_social_entrepreneurship"))
    page = rd.bank_page_html(catalogue, themes, R, "v1")
    data = json.loads(re.search(r'id="bank-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["works"]) == len(default_bank.works) == 2000
    assert sum(len(r[8]) for r in data["works"]) == int(default_bank.authorships["author"].notna().sum())
    assert sum(len(r[9]) for r in data["works"]) == len(wt.drop_duplicates(["work_id", "theme"]))
    works = default_bank.works.set_index("work_id")
    for row in (data["works"][0], data["works"][999], data["works"][-1]):
        w = works.loc[row[0]]
        assert row[1] == w["title"] and row[2] == (None if pd.isna(w["year"]) else int(w["year"]))
        assert row[3] == (None if pd.isna(w["doi"]) else w["doi"])
        assert data["sources"][row[4]] == w["source_title"] and data["types"][row[5]] == w["doc_type"]
        assert [f"{data['files'][f]}#{r}" for f, r in row[10]] == w["origins"].split("; ")
        authors = default_bank.authorships[default_bank.authorships["work_id"] == row[0]].sort_values("position")
        assert row[8] == authors["author"].tolist()
    assert len(page.encode("utf-8")) < 1_000_000       # measured 658 kB for 2,000 works


def test_default_directory_after_the_attribution_fix(default_bank):
    """Measured on the default corpus: 25 names under the former rule (21 to check), 7 with the own-address rule;
    precision on the hand-checked sample 7/7 (Wilson 64.6–100 %), the former rule's 7/12 (32.0–80.7 %)."""
    wt = default_bank.work_themes(vigie.load_themes())
    inst = vigie.load_institutions()
    review = vigie.load_directory_review()
    out = {}
    for rule in ("record", "own"):
        d = vigie.compute_directory(default_bank.authorships, default_bank.works, wt, inst, rule=rule)
        sample = vigie.label_review_sample(vigie.draw_review_sample(d, 30, 42), default_bank.authorships,
                                           default_bank.works, review)
        out[rule] = (len(d), int(d["to_check"].sum()), vigie.directory_precision(sample))
    assert out["record"][:2] == (25, 21) and out["own"][:2] == (7, 3)
    p = out["own"][2]
    assert (p["quebec"], p["not_quebec"], p["unsure"], p["by_list_order"]) == (7, 0, 0, 2)
    assert p["ci_low"] == pytest.approx(0.6457, abs=1e-4)
    f = out["record"][2]
    assert (f["quebec"], f["not_quebec"], f["unsure"]) == (7, 5, 13) and f["precision"] == pytest.approx(7 / 12)
