"""Crossref works JSON reader: every field of a record and of each authorship, the date keys in their order of
preference, the four document layouts and the error of a fifth (issue 21: values the mutants could change unnoticed).

Every work, person, affiliation and DOI here is invented (synthetic, test prefix 10.5555); values are written by hand
from the items shown in each test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers import read_file
from analysis.vigie.readers.crossref import _first, _year, item_record, read_crossref_json

# One synthetic Crossref work with every field the reader takes, and four authors of four kinds.
WORK = {
    "DOI": "10.5555/synth.cr.2016.001",
    "title": ["  ", "Synthetic  Crossref work on housing co-operatives"],  # a blank first title is skipped
    "container-title": ["Synthetic Review of Co-operation"],
    "type": "journal-article",
    "language": "fr",
    "is-referenced-by-count": 7,
    "issued": {"date-parts": [[2016, 3, 1]]},
    "abstract": "<jats:p>A <jats:bold>synthetic</jats:bold>\n abstract.</jats:p>",
    "subject": ["Economics", 12, "Sociology"],  # a non-text subject is dropped
    "author": [
        "not an author object",  # skipped; the authors after it are still read
        {"family": "Lavoie", "given": "Jean-Pierre", "ORCID": "https://orcid.org/0000-0000-0000-0007",
         "affiliation": [{"name": ""}, "not an affiliation object",
                         {"name": "Synthetic University, Moncton, NB, Canada"},
                         {"name": "Synthetic Institute, Lyon, France"}]},
        {"given": "Nobody"},  # neither family nor organisation name: skipped, the next authors still read
        {"family": "Roy", "ORCID": "0000-0000-0000-0008"},  # family name only, ORCID without its URL
        {"name": "Synthetic  Housing Consortium", "affiliation": [{"name": "Synthetic Office, Paris, France"}]},
    ],
}


def test_first_takes_the_first_non_blank_text():
    assert _first(["  ", "Second"]) == "Second"  # a blank string is not a value
    assert _first([None, 3, "Third"]) == "Third"
    assert _first(["", "  "]) is None and _first([]) is None
    assert _first("Plain") == "Plain"
    assert _first("   ") is None and _first(5) is None and _first(None) is None


@pytest.mark.parametrize("item, year", [
    ({"issued": {"date-parts": [[2016, 3]]}, "created": {"date-parts": [[2020]]}}, 2016),
    ({"published": {"date-parts": [[2015]]}, "published-print": {"date-parts": [[2014]]}}, 2015),
    ({"published-print": {"date-parts": [[2014]]}, "published-online": {"date-parts": [[2013]]}}, 2014),
    ({"published-online": {"date-parts": [[2013]]}, "created": {"date-parts": [[2012]]}}, 2013),
    ({"created": {"date-parts": [["2012", 5]]}}, 2012),
    # Crossref writes an unknown issue date as [[null]]: the next key is used
    ({"issued": {"date-parts": [[None]]}, "created": {"date-parts": [[2011]]}}, 2011),
    ({"issued": {}, "created": {"date-parts": [[2010]]}}, 2010),  # no date-parts at all
    ({"issued": {"date-parts": []}, "created": {"date-parts": [[2009]]}}, 2009),  # empty date-parts
    ({"issued": {"date-parts": [[]]}, "created": {"date-parts": [[2008]]}}, 2008),  # empty first part
    ({"issued": "2019", "created": {"date-parts": [[2007]]}}, 2007),  # a date that is not an object is skipped
    ({"issued": {"date-parts": ["2019"]}}, None),  # date-parts must be a list of lists
    ({}, None),
])
def test_year_keys_in_order_of_preference(item, year):
    assert _year(item) == year


def test_item_record_every_field():
    rec, rows = item_record(WORK, 3, 12)
    assert rec == {
        "record": 3, "line": 12, "doi": "10.5555/synth.cr.2016.001",
        "title": "Synthetic  Crossref work on housing co-operatives",  # _first does not collapse spaces
        "year": 2016, "source_title": "Synthetic Review of Co-operation", "doc_type": "journal-article",
        "language": "fr", "cited_by": 7, "abstract": "A synthetic abstract.",  # JATS tags and line break removed
        "author_keywords": None, "index_keywords": "Economics; Sociology",
    }
    assert rows == [
        {"record": 3, "position": 1, "author": "Lavoie, J.-P.", "author_full": "Lavoie, Jean-Pierre",
         "author_id": "0000-0000-0000-0007", "affiliation": "Synthetic University, Moncton, NB, Canada",
         "country": "Canada", "countries": "Canada; France"},
        {"record": 3, "position": 2, "author": "Roy", "author_full": "Roy", "author_id": "0000-0000-0000-0008",
         "affiliation": None, "country": None, "countries": None},
        {"record": 3, "position": 3, "author": "Synthetic Housing Consortium",
         "author_full": "Synthetic Housing Consortium", "author_id": None,
         "affiliation": "Synthetic Office, Paris, France", "country": "France", "countries": "France"},
    ]


def test_item_without_subjects_or_authors():
    rec, rows = item_record({"title": ["Synthetic bare work"], "subject": []}, 1, None)
    assert rec["index_keywords"] is None and rec["doi"] is None and rec["year"] is None and rows == []
    rec, rows = item_record({"title": ["Synthetic bare work"], "subject": ["", "  "]}, 1, None)
    assert rec["index_keywords"] is None


def test_affiliation_name_that_is_not_text_is_no_affiliation():
    """A malformed affiliation (its name a list, not a string) gives no affiliation and no country."""
    affiliation = [{"name": ["Synthetic Institute, Seoul, South Korea"]}]
    item = {"title": ["Synthetic work"], "author": [{"family": "Kim", "given": "Sun", "affiliation": affiliation}]}
    _, rows = item_record(item, 1, None)
    assert [(r["author"], r["affiliation"], r["country"], r["countries"]) for r in rows] == [
        ("Kim, S.", None, None, None)]


def _write(tmp_path: Path, obj: object, name: str = "works.json") -> tuple[Path, str]:
    path = tmp_path / name
    text = obj if isinstance(obj, str) else json.dumps(obj)
    path.write_text(text, encoding="utf-8")
    return path, text


def test_api_list_layout(tmp_path):
    """``{"message": {"items": [...]}}``: items without a line; the second item (a string) is rejected."""
    path, text = _write(tmp_path, {"message-type": "work-list", "message": {"items": [WORK, "junk"]}})
    r = read_crossref_json(path, text, "utf-8")
    assert (r.format, r.encoding, r.note, r.started) == ("crossref_json", "utf-8", "", 2)
    assert r.records["title"].tolist() == ["Synthetic Crossref work on housing co-operatives"]  # spaces collapsed
    assert r.records["line"].isna().all()
    assert r.rejections[["record", "code"]].values.tolist() == [[2, "not_json_object"]]


def test_single_work_in_message_is_on_line_1(tmp_path):
    path, text = _write(tmp_path, {"status": "ok", "message-type": "work", "message": WORK})
    r = read_crossref_json(path, text, "utf-8", "decoded as cp1252")
    assert r.records[["record", "line", "doi"]].values.tolist() == [[1, 1, "10.5555/synth.cr.2016.001"]]
    assert (r.encoding, r.note) == ("utf-8", "decoded as cp1252")


def test_bare_work_with_a_doi_is_on_line_1(tmp_path):
    path, text = _write(tmp_path, WORK)
    r = read_crossref_json(path, text, "utf-8")
    assert r.records[["record", "line", "year"]].values.tolist() == [[1, 1, 2016]]
    assert r.authorships["author"].tolist() == ["Lavoie, J.-P.", "Roy", "Synthetic Housing Consortium"]


def test_bare_list_of_works(tmp_path):
    second = {"DOI": "10.5555/synth.cr.2017.002", "title": ["Second synthetic work"]}
    path, text = _write(tmp_path, [WORK, second])
    r = read_crossref_json(path, text, "utf-8")
    assert r.records["doi"].tolist() == ["10.5555/synth.cr.2016.001", "10.5555/synth.cr.2017.002"]
    assert r.records["record"].tolist() == [1, 2] and r.started == 2


def test_json_lines_keep_their_line_numbers(tmp_path):
    lines = [json.dumps({"DOI": "10.5555/synth.cr.1", "title": ["First synthetic line"]}), "",
             json.dumps({"DOI": "10.5555/synth.cr.3", "title": ["Third synthetic line"]}), '{"DOI": "cut']
    path, text = _write(tmp_path, "\n".join(lines) + "\n", "works.jsonl")
    r = read_crossref_json(path, text, "utf-8")
    assert r.records[["record", "line", "doi"]].values.tolist() == [[1, 1, "10.5555/synth.cr.1"],
                                                                   [2, 3, "10.5555/synth.cr.3"]]
    assert r.rejections[["record", "line", "code"]].values.tolist() == [[3, 4, "invalid_json_line"]]
    assert r.started == 3


def test_json_that_is_no_crossref_layout_is_refused_with_its_line(tmp_path):
    path, text = _write(tmp_path, {"status": "ok", "items": []})  # no "message", no "DOI"
    with pytest.raises(InputFormatError) as err:
        read_crossref_json(path, text, "utf-8")
    assert (err.value.message, err.value.path, err.value.line) == (
        "JSON is not a Crossref work or works list", str(path), 1)
    assert err.value.one_line() == "works.json:1: JSON is not a Crossref work or works list"


def test_invalid_json_names_the_file(tmp_path):
    path, text = _write(tmp_path, '{"message": {"items": [', "cut.json")
    with pytest.raises(InputFormatError) as err:
        read_crossref_json(path, text, "utf-8")
    assert err.value.path == str(path) and err.value.one_line().startswith("cut.json:1: invalid JSON")


def test_read_file_end_to_end(tmp_path):
    path, _ = _write(tmp_path, {"message-type": "work-list", "message": {"items": [WORK]}})
    r = read_file(path)
    assert (r.format, r.read, len(r.records)) == ("crossref_json", 1, 1)
    assert r.authorships["countries"].fillna("-").tolist() == ["Canada; France", "-", "France"]
