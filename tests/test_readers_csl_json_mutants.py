"""CSL-JSON reader: name parts, keyword separators, the date forms, the item-by-item decoding (its lines, notes and
errors) and the rejection of non-object items (issue 21: values the mutants could change unnoticed).

Every item is invented (synthetic titles, people and DOIs with the 10.5555 test prefix); the expected values are
written by hand from the short JSON texts shown in each test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers import read_file
from analysis.vigie.readers.csl_json import (
    _author_rows,
    _keywords,
    _LineCounter,
    _text,
    csl_items,
    csl_year,
    item_record,
    read_csl_json,
)

P = Path("/synthetic/library.json")  # never opened: only named in messages


# ---------------------------------------------------------------- values of one item
def test_text_variable_forms():
    assert _text(["", "  ", "Second  value"]) == "Second value"  # first non-blank string, spaces collapsed
    assert _text([]) is None and _text(["  "]) is None
    assert _text(2021) == "2021" and _text(3.5) == "3.5"  # numbers are written as text
    assert _text(True) is None  # a boolean is not a number here
    assert _text({"literal": "x"}) is None and _text(None) is None


def test_author_name_parts_and_skipped_entries():
    names = [
        "not a name object",  # skipped, the names after it still read
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"given": "Nobody"},  # neither family nor literal: skipped, the names after it still read
        {"family": "Lagrange", "given": "Paul", "non-dropping-particle": "de"},
        {"family": "Roy"},  # family name only
        {"literal": "Synthetic Cooperative Council"},
    ]
    assert _author_rows(4, names) == [
        {"record": 4, "position": 1, "author": "Beethoven, L.V.", "author_full": "Beethoven, Ludwig van",
         "author_id": None, "affiliation": None, "country": None},
        {"record": 4, "position": 2, "author": "de Lagrange, P.", "author_full": "de Lagrange, Paul",
         "author_id": None, "affiliation": None, "country": None},
        {"record": 4, "position": 3, "author": "Roy", "author_full": "Roy",
         "author_id": None, "affiliation": None, "country": None},
        {"record": 4, "position": 4, "author": "Synthetic Cooperative Council",
         "author_full": "Synthetic Cooperative Council", "author_id": None, "affiliation": None, "country": None},
    ]
    assert _author_rows(1, "Roy, P.") == []  # not a list of names


def test_keyword_separators():
    assert _keywords(["coopératives", 3, "économie sociale"]) == "coopératives; économie sociale"
    # a semicolon anywhere makes it the separator: the comma stays inside a keyword
    assert _keywords("coopératives;économie sociale, Québec") == "coopératives; économie sociale, Québec"
    assert _keywords("coopératives,économie sociale") == "coopératives; économie sociale"
    assert _keywords(None) is None and _keywords(12) is None


@pytest.mark.parametrize("date, year", [
    ("2020-05", 2020), (1999, 1999),  # a bare text or number
    ([2019], None), (None, None),  # anything else is not a date
    ({"date-parts": [["2021", 3]]}, 2021),
    ({"date-parts": [[]], "raw": "2018-02"}, 2018),
    ({"date-parts": [["n.d."]], "literal": "printemps 2016"}, 2016),
    ({"date-time": "2017-05-01T00:00:00Z"}, 2017),
    ({"raw": ["2019"]}, None),  # a list is not a raw date
    ({"raw": "sans date", "literal": "s.d."}, None),
])
def test_csl_year_every_form(date, year):
    assert csl_year(date) == year


def test_item_record_every_field():
    item = {"id": "synth-1", "type": "legal_case", "title": "Synthetic ruling on co-operative law",
            "DOI": "10.5555/synth.csl.9", "issued": {"date-parts": [[2015]]}, "container-title": "Synthetic Reports",
            "language": "en", "abstract": "A synthetic  abstract.", "keyword": "law; cooperatives",
            "author": [{"literal": "Synthetic Court"}]}
    rec, rows = item_record(item, 2, 7)
    assert rec == {"record": 2, "line": 7, "doi": "10.5555/synth.csl.9",
                   "title": "Synthetic ruling on co-operative law", "year": 2015, "source_title": "Synthetic Reports",
                   "doc_type": "legal_case",  # a CSL type with no bank label is kept as written
                   "language": "en", "cited_by": None, "abstract": "A synthetic abstract.",
                   "author_keywords": "law; cooperatives", "index_keywords": None}
    assert [r["author"] for r in rows] == ["Synthetic Court"]
    assert item_record({"type": "article", "title": "T"}, 1, 1)[0]["doc_type"] == "Preprint"
    assert item_record({"title": "T"}, 1, 1)[0]["doc_type"] is None


# ---------------------------------------------------------------- decoding the array item by item
def test_items_lines_in_a_compact_array_after_a_bom_and_blank_lines():
    text = '\ufeff\n\n[{"title": "A"},{"title": "B"},\n {"title": "C"}]'
    items, note = csl_items(text, P)
    assert [(line, item) for line, item, _ in items] == [(3, {"title": "A"}), (3, {"title": "B"}),
                                                         (4, {"title": "C"})]
    assert note == ""


def test_one_item_object_with_leading_lines():
    items, note = csl_items('\n\n  {"title": "Synthetic lone item"}\n', P)
    assert items == [(3, {"title": "Synthetic lone item"}, None)] and note == ""


def test_empty_array_and_unclosed_empty_array():
    assert csl_items("[ \n ]", P) == ([], "")
    assert csl_items("[\n  ", P) == ([], "array not closed after item 0 (the file may have been cut short)")


def test_broken_item_and_unexpected_character_notes_are_empty():
    items, note = csl_items('[{"title": "A"},\n{"title": ', P)
    assert note == "" and items[0] == (1, {"title": "A"}, None)
    assert items[1][:2] == (2, None) and items[1][2].startswith("invalid JSON item (Expecting value at line 2")
    items, note = csl_items('[{"title": "A"}\n x]', P)
    assert note == "" and items[1] == (2, None, "unexpected character 'x' after an item")


def test_empty_text_is_an_error_naming_the_file():
    with pytest.raises(InputFormatError) as err:
        csl_items("\ufeff \n\t", P)
    assert (err.value.message, err.value.path, err.value.line) == ("empty file", str(P), None)
    with pytest.raises(InputFormatError) as err:
        read_csl_json(P, "   ", "utf-8")
    assert err.value.one_line() == "library.json: empty file"


def test_broken_lone_object_names_file_and_line():
    with pytest.raises(InputFormatError) as err:
        csl_items('\n{"title": "A",\n "type": }', P)
    assert err.value.path == str(P) and err.value.line == 3
    assert err.value.message == "invalid JSON (Expecting value)"


def test_neither_array_nor_object_names_file_and_line():
    with pytest.raises(InputFormatError) as err:
        csl_items('\n\n"just a string"', P)
    assert (err.value.message, err.value.path, err.value.line) == (
        "CSL-JSON must be an array of items or one item object", str(P), 3)


def test_line_counter_goes_back():
    count = _LineCounter("\nab\nc")
    assert count(4) == 3
    assert count(1) == 2  # an earlier offset: counted again from the start
    assert count(1) == 2 and count(0) == 1


# ---------------------------------------------------------------- the reader
def test_non_object_items_are_rejected_and_the_rest_read():
    text = '[\n"a string",\n{"title": "Synthetic kept item", "type": "book"},\n42\n]'
    r = read_csl_json(P, text, "utf-8")
    assert (r.started, r.note, r.encoding, r.format) == (3, "", "utf-8", "csl_json")
    assert r.records[["record", "line", "title", "doc_type"]].values.tolist() == [
        [2, 3, "Synthetic kept item", "Book"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [1, 2, "not_json_object", "not a JSON object"], [3, 4, "not_json_object", "not a JSON object"]]
    assert r.rejections["detail"].isna().all()


def test_decoding_note_and_truncation_note_are_joined():
    text = '[{"title": "Synthetic first item"},\n'
    r = read_csl_json(P, text, "cp1252", "not UTF-8: read as cp1252")
    assert r.note == "not UTF-8: read as cp1252; array not closed after item 1 (the file may have been cut short)"
    assert r.started == 1 and r.records["title"].tolist() == ["Synthetic first item"]


def test_a_broken_item_is_counted_in_read_file(tmp_path):
    items = [{"type": "book", "title": "Synthetic book", "DOI": "10.5555/synth.csl.1"},
             {"type": "chapter", "title": "Synthetic chapter", "DOI": "10.5555/synth.csl.2"}]
    text = json.dumps(items, indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.rindex("Synthetic chapter")], encoding="utf-8")  # the second item is cut
    r = read_file(path)
    assert (r.format, r.read, len(r.records), len(r.rejections)) == ("csl_json", 2, 1, 1)
    assert r.rejections.loc[0, "code"] == "invalid_json_item"
