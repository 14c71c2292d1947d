"""RIS reader: every field of a record and its fallbacks (T1, JO/JF/JA, Y1/DA, N2, A1), the database ids, the
address of a lone author, record cutting (unclosed records, ER lines, lines before the first record) and the
rejections with their record and line (issue 21: values the mutants could change unnoticed).

Every record is synthetic, written in the test (invented titles, people, DOIs with the 10.5555 test prefix, and
accession numbers); expected values are read by hand from the RIS lines shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import analysis.vigie.readers.ris as ris
from analysis.core.errors import InputFormatError
from analysis.vigie.readers.ris import _database_id, _first, _record, read_ris

P = Path("/synthetic/export.ris")  # never opened: only named in messages
SCOPUS_URL = "https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001&partnerID=40"


# ---------------------------------------------------------------- values of one entry
def test_first_value_of_a_tag():
    assert _first(["First  value", "Second"]) == "First value"
    assert _first(["Only"]) == "Only" and _first([]) is None
    assert _first("Text") == "Text" and _first(5) is None and _first(None) is None


@pytest.mark.parametrize("entry, database_id", [
    ({"accession_number": "WOS:000852249500001"}, "wos:000852249500001"),
    ({"accession_number": "WOS:000852249500001", "urls": [SCOPUS_URL]}, "wos:000852249500001"),
    ({"accession_number": "12345", "urls": [5, "https://doi.org/10.5555/synth.1", SCOPUS_URL]},
     "scopus:2-s2.0-85000000001"),  # an accession number without a database prefix is not an id
    ({"urls": ["https://doi.org/10.5555/synth.1"]}, None),
    ({}, None),
])
def test_database_id(entry, database_id):
    assert _database_id(entry) == database_id


def test_record_every_field():
    entry = {"type_of_reference": "JOUR", "title": "Synthetic  title", "secondary_title": "Synthetic Journal",
             "year": "2018", "doi": "10.5555/synth.2018.1", "language": "French",
             "notes": ["A note", "Cited By: 8"], "abstract": "Synthetic abstract.", "keywords": ["a", "b"],
             "accession_number": "WOS:000000000000001", "authors": ["Roy, Pascale"],
             "author_address": "Synthetic College, Sherbrooke, QC, Canada"}
    rec, rows = _record(entry, 2, 14)
    assert rec == {"record": 2, "line": 14, "doi": "10.5555/synth.2018.1", "title": "Synthetic title", "year": 2018,
                   "source_title": "Synthetic Journal", "doc_type": "Article", "language": "French", "cited_by": 8,
                   "abstract": "Synthetic abstract.", "author_keywords": "a; b", "index_keywords": None,
                   "database_id": "wos:000000000000001"}
    assert [(r["record"], r["position"], r["author"], r["affiliation"], r["country"]) for r in rows] == [
        (2, 1, "Roy, P.", "Synthetic College, Sherbrooke, QC, Canada", "Canada")]


def test_record_without_optional_fields():
    rec, rows = _record({"type_of_reference": "ABST", "title": "Synthetic abstract record"}, 1, 1)
    assert (rec["cited_by"], rec["doc_type"], rec["source_title"], rec["year"], rec["abstract"]) == (
        None, "ABST", None, None, None)  # an unknown RIS type is kept as written
    assert rows == []
    rec, _ = _record({"title": "T", "notes": "Times Cited in Web of Science Core Collection: 5"}, 1, 1)
    assert rec["cited_by"] == 5 and rec["doc_type"] is None  # one note as a plain string


@pytest.mark.parametrize("entry, title, source", [
    ({"primary_title": "T1 title", "journal_name": "JO journal"}, "T1 title", "JO journal"),
    ({"title": "TI title", "primary_title": "T1 title", "alternate_title3": "JF journal"}, "TI title", "JF journal"),
    ({"title": "T", "alternate_title2": "JA journal"}, "T", "JA journal"),
    ({"title": "T", "secondary_title": "T2", "journal_name": "JO", "alternate_title3": "JF"}, "T", "T2"),
    ({"title": "T", "journal_name": "JO", "alternate_title3": "JF", "alternate_title2": "JA"}, "T", "JO"),
    ({"title": "T", "alternate_title3": "JF", "alternate_title2": "JA"}, "T", "JF"),
])
def test_title_and_source_fallbacks(entry, title, source):
    rec, _ = _record(entry, 1, 1)
    assert (rec["title"], rec["source_title"]) == (title, source)


@pytest.mark.parametrize("entry, year", [
    ({"publication_year": "2019///"}, 2019),
    ({"date": "2017/05/01"}, 2017),
    ({"custom6": "2016-03"}, 2016),
    ({"year": "2015", "publication_year": "2014", "date": "2013"}, 2015),
    ({"date": "2013", "custom6": "2012"}, 2013),
])
def test_year_fallbacks(entry, year):
    assert _record({"title": "T", **entry}, 1, 1)[0]["year"] == year


def test_abstract_fallback():
    assert _record({"title": "T", "notes_abstract": "N2 abstract"}, 1, 1)[0]["abstract"] == "N2 abstract"
    assert _record({"title": "T", "abstract": "AB", "notes_abstract": "N2"}, 1, 1)[0]["abstract"] == "AB"


def test_authors_a1_and_the_address_of_a_lone_author():
    _, rows = _record({"title": "T", "first_authors": ["Lee, Kim", 5]}, 3, 1)
    assert [(r["record"], r["author"]) for r in rows] == [(3, "Lee, K.")]
    address = "Synthetic Institute, Lyon, France"
    # two authors: the one address cannot be given to either
    _, rows = _record({"title": "T", "authors": ["Roy, Pascale", "Lee, Kim"], "author_address": address}, 1, 1)
    assert [r["affiliation"] for r in rows] == [None, None] and [r["country"] for r in rows] == [None, None]
    _, rows = _record({"title": "T", "authors": ["Roy, Pascale"], "author_address": [address, "Other"]}, 1, 1)
    assert [(r["affiliation"], r["country"]) for r in rows] == [(address, "France")]
    _, rows = _record({"title": "T", "authors": ["Roy, Pascale"]}, 1, 1)
    assert rows[0]["affiliation"] is None


# ---------------------------------------------------------------- cutting the file into records
def test_records_lines_numbers_and_ledger_fields():
    text = ("\ufeffTY  - JOUR\nTI  - First synthetic\nER  - \n\n"
            "TY  - BOOK\nTI  - Unclosed synthetic\n"  # no ER: a new TY closes nothing, the record is rejected
            "TY  - CHAP\nTI  - Third synthetic\n ER  -\n"  # an ER line with a leading space closes it
            "TY  - RPRT\nTI  - Fourth synthetic\nER  - end\n")  # anything after an ER tag
    r = read_ris(P, text, "utf-8")
    assert (r.format, r.encoding, r.note) == ("ris", "utf-8", "")
    assert r.records[["record", "line", "title", "doc_type"]].values.tolist() == [
        [1, 1, "First synthetic", "Article"], [3, 7, "Third synthetic", "Book chapter"],
        [4, 10, "Fourth synthetic", "Report"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [2, 5, "unclosed_ris_record", "record not closed by 'ER  -' (truncated file)"]]
    r = read_ris(P, text, "cp1252", "read as cp1252")
    assert (r.encoding, r.note) == ("cp1252", "read as cp1252")


def test_tag_lines_and_blank_lines_before_the_first_record_are_skipped():
    text = "\n\nDB  - Synthetic database\n\nTY  - JOUR\nTI  - Synthetic\nER  - \n"
    r = read_ris(P, text, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[1, 5, "Synthetic"]]


@pytest.mark.parametrize("text, line", [
    ("\n\nSynthetic export notes\nTY  - JOUR\nTI  - A\nER  - \n", 3),
    ("XTY  - JOUR\nTI  - A\nER  - \n", 1),  # a tag must start its line
])
def test_a_line_before_the_first_record_that_is_no_tag(text, line):
    with pytest.raises(InputFormatError) as err:
        read_ris(P, text, "utf-8")
    assert (err.value.message, err.value.path, err.value.line) == (
        "not a RIS line (expected 'TY  - ' to start a record)", str(P), line)


def test_no_record_at_all():
    with pytest.raises(InputFormatError) as err:
        read_ris(P, "DB  - Synthetic database\n\n", "utf-8")
    assert (err.value.message, err.value.path, err.value.line) == (
        "no RIS record found (no line starting with 'TY  - ')", str(P), 1)


# ---------------------------------------------------------------- what rispy refuses (simulated)
_TWO = "TY  - JOUR\nTI  - First synthetic\nER  - \nTY  - JOUR\nTI  - Second synthetic\nER  - \n"


def test_a_record_rispy_cannot_parse_is_rejected_and_the_next_read(monkeypatch):
    """rispy raises on some odd records (simulated here: it fails on the first record only)."""
    real = ris.rispy.loads

    def fragile(text, **kw):
        if "First" in text:
            raise ValueError("synthetic parser failure")
        return real(text, **kw)

    monkeypatch.setattr(ris.rispy, "loads", fragile)
    r = read_ris(P, _TWO, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[2, 4, "Second synthetic"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [1, 1, "ris_parse_error", "RIS record cannot be parsed (synthetic parser failure)"]]


@pytest.mark.parametrize("parsed", [[], [{"title": "x"}, {"title": "y"}]])
def test_a_record_parsed_into_zero_or_two_is_rejected_and_the_next_read(monkeypatch, parsed):
    real = ris.rispy.loads
    monkeypatch.setattr(ris.rispy, "loads", lambda text, **kw: parsed if "First" in text else real(text, **kw))
    r = read_ris(P, _TWO, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[2, 4, "Second synthetic"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [1, 1, "ris_not_one_record", "RIS record cannot be parsed"]]
