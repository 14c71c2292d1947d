"""CSL-JSON reader (Zotero "Export → CSL JSON") on hand-made synthetic items (tests/fixtures/watch/zotero_*.json).

The fixture mirrors Zotero's real layout (tab indentation, keys in ASCII order, ``date-parts`` years as strings,
``literal`` names for organisations); every item is invented and says so in its title and id.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.bank import build_bank
from analysis.vigie.readers import detect_format, read_file
from analysis.vigie.readers.csl_json import csl_year

FIX = Path(__file__).parent / "fixtures" / "watch"
BANK_FIX = Path(__file__).parent / "fixtures" / "bank"


def test_detected_by_content_not_confused_with_crossref_or_openalex():
    text = (FIX / "zotero_library.json").read_text(encoding="utf-8")
    assert detect_format(text) == "csl_json"
    assert detect_format((BANK_FIX / "crossref_works.json").read_text(encoding="utf-8")) == "crossref_json"
    assert detect_format((BANK_FIX / "openalex_page.json").read_text(encoding="utf-8")) == "openalex_json"
    # renamed to .txt: still detected by content
    assert detect_format(text, "library.txt") == "csl_json"


def test_records_and_authorships_from_zotero_fields():
    r = read_file(FIX / "zotero_library.json")
    assert r.format == "csl_json" and r.read == 5
    rec = r.records.set_index("record")
    assert list(rec.index) == [1, 2, 3, 5]  # item 4 has no title
    assert list(rec["line"]) == [2, 46, 72, 99]  # line of each item's opening brace
    first = rec.loc[1]
    assert first["doi"] == "10.5555/synth.csl.2021.001" and first["year"] == 2021
    assert first["source_title"] == "Revue synthétique des coopératives"
    assert first["doc_type"] == "Article" and first["language"] == "fr"
    assert first["author_keywords"] == "coopératives; innovation sociale"
    assert first["abstract"].startswith("Résumé synthétique") and pd.isna(first["cited_by"])
    assert rec.loc[2, "doc_type"] == "Book chapter" and rec.loc[2, "year"] == 2019
    assert rec.loc[2, "source_title"] == "Synthetic handbook of mutual societies"
    assert rec.loc[3, "year"] == 2020 and rec.loc[3, "author_keywords"] == "economie sociale; financement"
    assert rec.loc[5, "year"] == 2018 and rec.loc[5, "doc_type"] == "Thesis"
    a = r.authorships
    assert a[["record", "position", "author", "author_full"]].values.tolist() == [
        [1, 1, "Tremblay, M.-È.", "Tremblay, Marie-Ève"],
        [1, 2, "de Lagrange, P.", "de Lagrange, Paul"],
        [2, 1, "Synthetic Cooperative Council", "Synthetic Cooperative Council"],
        [2, 2, "Smith, J.A.", "Smith, J. A."],
        [5, 1, "Gagnon, É.", "Gagnon, Élise"],
    ]
    assert r.rejections[["record", "line", "reason"]].values.tolist() == [[4, 82, "record has no title"]]


def test_truncated_export_keeps_items_before_the_break_and_rejects_the_broken_one():
    r = read_file(FIX / "zotero_truncated.json")
    assert r.format == "csl_json" and r.read == 3
    assert list(r.records["record"]) == [1, 2]
    rej = r.rejections.iloc[0]
    assert int(rej["record"]) == 3 and int(rej["line"]) == 72 and "truncated or broken item" in rej["reason"]


def test_array_cut_between_items_is_noted(tmp_path):
    text = (FIX / "zotero_library.json").read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index("\n\t{", 5)].rstrip().rstrip(","), encoding="utf-8")  # first item only, no ']'
    r = read_file(cut)
    assert r.read == 1 and "array not closed after item 1" in r.note


def test_csl_year_forms():
    assert csl_year({"date-parts": [["2021", 3]]}) == 2021
    assert csl_year({"date-parts": [[1999]]}) == 1999
    assert csl_year({"raw": "2020-11"}) == 2020
    assert csl_year({"literal": "printemps 2018"}) == 2018
    assert csl_year({"date-parts": [[]]}) is None and csl_year(None) is None


def test_in_a_bank_with_other_exports_every_record_accounted_for():
    bank = build_bank([FIX / "zotero_library.json", BANK_FIX / "small.ris"])
    led = bank.ledger.set_index("file").loc["zotero_library.json"]
    assert (led["format"], led["read"], led["kept"] + led["merged"], led["rejected"]) == ("csl_json", 5, 4, 1)


def test_not_an_array_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('"just a string"', encoding="utf-8")
    with pytest.raises(InputFormatError):
        read_file(bad, "csl_json")
