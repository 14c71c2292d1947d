"""Format detection from content (analysis.vigie.readers.detect): each signature alone, the thresholds of the CSV
header columns (n-1, n, n+1), the delimiter vote of a header, the 20,000-character and 2,000-character windows, and
the errors with their file and line (issue 21: decisions the mutants could change unnoticed).

Every text here is synthetic, written in the test (a first line, a few tags or JSON keys); the expected format is the
rule of detect_format applied by hand.
"""

from __future__ import annotations

import json

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers import detect_format

UNKNOWN = ("format not recognised (expected a Scopus CSV/BibTeX, WoS, OpenAlex, Crossref, RIS or BibTeX export); "
           "give --format to force one")
NEITHER_JSON = "JSON file that is neither OpenAlex works nor Crossref works"


def _unknown(text: str) -> None:
    with pytest.raises(InputFormatError, match="format not recognised"):
        detect_format(text, "x.txt")


# ---------------------------------------------------------------- start of the text
def test_bom_and_leading_blank_lines_are_skipped():
    assert detect_format("\ufeffTY  - JOUR\nTI  - A\nER  - \n") == "ris"
    assert detect_format("\n\n  \nTY  - JOUR\nTI  - A\nER  - \n") == "ris"
    _unknown("XTY  - JOUR\nTI  - A\nER  - \n")  # a tag not at the start of the line


def test_the_first_20000_characters_are_read():
    pad = "\n".join(["just notes"] * 2000)  # 21,999 characters of lines that match no format
    at = 19998 - 1  # "@a{" written so that "@a" ends the 20,000-character window and "{" is the next character
    text = pad[:at] + "\n@a{k,\n title = {T}\n}\n"
    assert text[19998:20001] == "@a{"
    _unknown(text)
    text = pad[: at - 1] + "\n@a{k,\n title = {T}\n}\n"  # one character earlier: "{" is the 20,000th character
    assert detect_format(text) == "bibtex"


def test_empty_text_error_names_the_file_or_nothing():
    with pytest.raises(InputFormatError) as err:
        detect_format("\ufeff  \n\t", "x.csv")
    assert (err.value.message, err.value.path, err.value.line) == ("empty file", "x.csv", None)
    with pytest.raises(InputFormatError) as err:
        detect_format("")
    assert (err.value.message, err.value.path) == ("empty file", None)


def test_unknown_format_error_names_the_file_and_line_1():
    with pytest.raises(InputFormatError) as err:
        detect_format("just some words\n", "notes.txt")
    assert (err.value.message, err.value.path, err.value.line) == (UNKNOWN, "notes.txt", 1)
    assert str(err.value) == f"notes.txt:1: {UNKNOWN}"
    with pytest.raises(InputFormatError) as err:
        detect_format("just some words\n")
    assert err.value.path is None and str(err.value) == f"line 1: {UNKNOWN}"


# ---------------------------------------------------------------- Web of Science
def test_wos_plain_text_by_its_first_line_alone():
    # an export header with no record (no "PT J" line): the first line decides
    assert detect_format("FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n") == "wos_txt"
    assert detect_format("FN \nVR 1.0\nEF\n") == "wos_txt"  # "FN " with nothing after it
    assert detect_format("PT X\nAU Roy, P\nER\n") == "wos_txt"  # any one-letter publication type on line 1


def test_wos_plain_text_by_a_later_pt_line_within_2000_characters():
    assert detect_format("Synthetic export notes\nPT J\nAU Roy, P\nER\n") == "wos_txt"
    lines = "\n".join(["x" * 9] * 199)  # 1,989 characters
    text = "Synthetic export notes\n" + lines[: 1997 - 24] + "\nPT J\nER\n"
    assert text.index("PT J") == 1997  # "PT " inside the 2,000-character window, "J" just outside
    _unknown(text)
    text = "Synthetic export notes\n" + lines[: 1996 - 24] + "\nPT J\nER\n"
    assert text.index("PT J") == 1996  # "PT J" ends on the 2,000th character
    assert detect_format(text) == "wos_txt"


def test_wos_tab_delimited_by_either_signature():
    assert detect_format("PT\tAU\tSO\nJ\tRoy, P\tSynthetic Journal\n") == "wos_tab"  # PT, AU: no TI column
    assert detect_format("PT\tAF\tTI\tSO\nJ\tRoy, Pascale\tA title\tA journal\n") == "wos_tab"  # PT, TI; AU not 2nd
    _unknown("PT\tAF\tSO\nJ\tRoy, Pascale\tA journal\n")  # neither
    _unknown("UT\tTI\tSO\nWOS:1\tA title\tA journal\n")  # TI but the first column is not PT
    # a "TI" column after the first line does not count
    _unknown("PT\tAF\tSO\nJ\tRoy, Pascale\tA journal\nPT\tAF\tTI\tSO\n")


# ---------------------------------------------------------------- BibTeX: Scopus or not
@pytest.mark.parametrize("text", [
    "@ARTICLE{a,\n  title = {A},\n  source = {Scopus}\n}\n",
    "@ARTICLE{a,\n  title = {A},\n  SOURCE={Scopus}\n}\n",
    "@ARTICLE{a,\n  title = {A},\n  url = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-1}\n}\n",
    "Scopus\nEXPORT DATE: 01 January 2025\n\n@ARTICLE{a,\n  title = {A}\n}\n",
])
def test_scopus_bibtex_by_each_signature_alone(text):
    assert detect_format(text) == "scopus_bib"


def test_bibtex_without_scopus_signature():
    assert detect_format("@article{a,\n  title = {A},\n  url = {https://www.scopus.com/results}\n}\n") == "bibtex"
    assert detect_format("Exported from Scopus\n@article{a,\n  title = {A}\n}\n") == "bibtex"


# ---------------------------------------------------------------- CSV headers
@pytest.mark.parametrize("header, fmt", [
    ("Authors,Title,EID,Link", "scopus_csv"),  # 3 Scopus columns and Title
    ("id,Title,Authors,EID,Link", "scopus_csv"),  # 3 Scopus columns and Title win over the OpenAlex columns
    ("id,Title,Authors,EID", "openalex_csv"),  # 2 Scopus columns only: id + Authors are 2 OpenAlex columns
    ("id,Authors,EID,Link", "openalex_csv"),  # no Title: OpenAlex is tried before the Scopus fallback
    ("Authors,EID,Link", "scopus_csv"),  # 3 Scopus columns without Title: the reader names the missing column
    ("Authors,EID", None),  # 2 Scopus columns
    ("Title,Year,DOI", None),  # Title alone is no Scopus signature
    ("id,display_name", "openalex_csv"),  # exactly 2 OpenAlex columns, one of them id
    ("Work ID,Work Title", "openalex_csv"),  # the web interface's "Work ID"
    ("id,Name", None),  # id with no second OpenAlex column
    ("display_name,publication_year", None),  # 2 OpenAlex columns but no id
    ("Title,Authors,EID,LinkX", None),  # a column only starting like a known one does not count
])
def test_csv_header_thresholds(header, fmt):
    text = header + "\nv1,v2\n"
    if fmt is None:
        _unknown(text)
    else:
        assert detect_format(text) == fmt


@pytest.mark.parametrize("header, fmt", [
    ("Authors;Title;EID;Link", "scopus_csv"),  # French Excel: semicolons
    ("Authors\tTitle\tEID\tLink", "scopus_csv"),  # tabs
    # commas inside quoted names do not vote: 4 semicolons outside quotes against 0 commas
    ('Authors;Title;EID;Link;"Notes (a, b, c, d, e, f)"', "scopus_csv"),
    ("Authors,Title,EID,Link,Notes; comments", "scopus_csv"),  # 4 commas beat 1 semicolon
    ("Authors,Title,EID,Link,Cited by;a;b;c;d", "scopus_csv"),  # 4 commas, 4 semicolons: a tie reads commas
    ("Authors\tTitle\tEID\tLink\tCited by,a,b,c,d", None),  # 4 tabs, 4 commas: a tie reads commas
    ("Authors\tTitle\tEID\tLink\tCited by,a,b,c", "scopus_csv"),  # 4 tabs beat 3 commas
    ("Authors,Title,EID,Link,Cited\tby", "scopus_csv"),  # 1 tab loses to 4 commas
    ("Authors;Title;EID;Link;Cited\tby", "scopus_csv"),  # 1 tab loses to 4 semicolons
    ("Authors,Title,EID,Link\t\t\t\t", None),  # 4 trailing tabs beat 3 commas: one column, not Scopus
])
def test_csv_header_delimiter_vote(header, fmt):
    text = header + "\r\nv1\r\n"
    if fmt is None:
        _unknown(text)
    else:
        assert detect_format(text) == fmt


# ---------------------------------------------------------------- JSON
@pytest.mark.parametrize("obj", [
    {"id": "https://openalex.org/W123", "display_name": "A synthetic work"},
    {"id": "W1", "abstract_inverted_index": {"synthetic": [0]}},
    {"id": "W1", "publication_year": 2020},
    {"results": []},  # an OpenAlex page with no work on it
])
def test_openalex_json_by_each_signature_alone(obj):
    assert detect_format(json.dumps(obj)) == "openalex_json"


@pytest.mark.parametrize("obj", [
    {"DOI": "10.5555/synth.1", "is-referenced-by-count": 3, "title": ["A"]},
    [{"DOI": "10.5555/synth.1", "title": ["A"], "container-title": ["J"]}],
    {"message": {"DOI": "10.5555/synth.1", "title": ["A"]}},
])
def test_crossref_json_by_each_signature_alone(obj):
    assert detect_format(json.dumps(obj)) == "crossref_json"


def test_crossref_message_type_alone_in_a_response_cut_at_20000_characters():
    """A works list over 20,000 characters: only the first 20,000 are read, so the JSON cannot be parsed; its items
    have no citation count and no container title (posted content): "message-type" alone says Crossref."""
    items = [{"DOI": f"10.5555/synth.{i}", "type": "posted-content", "title": [f"Synthetic preprint {i}"]}
             for i in range(400)]
    text = json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": items}})
    assert len(text) > 20000
    assert detect_format(text) == "crossref_json"


def test_crossref_only_field_is_never_csl():
    obj = {"DOI": "10.5555/synth.1", "type": "journal-article", "title": "A string title", "is-referenced-by-count": 2}
    assert detect_format(json.dumps(obj)) == "crossref_json"


@pytest.mark.parametrize("obj", [
    [{"type": "book", "title": "A", "DOI": "10.5555/synth.1"}],  # DOI as the third signature
    [{"type": "book", "title": "A", "issued": {"date-parts": [[2020]]}}],
    [{"type": "book", "title": "A", "author": [{"family": "Roy"}]}],
])
def test_csl_json_needs_a_text_title_a_type_and_one_item_field(obj):
    assert detect_format(json.dumps(obj)) == "csl_json"


@pytest.mark.parametrize("obj", [
    [{"DOI": "10.5555/synth.1", "title": ["A"], "type": "book"}],  # title is a list: not CSL, and no Crossref key
    [{"title": "A", "DOI": "10.5555/synth.1"}],  # no type
    [{"type": "book", "DOI": "10.5555/synth.1"}],  # no title
    [{"type": "book", "title": "A", "note": "x"}],  # no item field
    {"status": "ok", "items": []},
])
def test_json_that_is_neither_names_the_file(obj):
    with pytest.raises(InputFormatError) as err:
        detect_format(json.dumps(obj), "works.json")
    assert (err.value.message, err.value.path, err.value.line) == (NEITHER_JSON, "works.json", 1)
    with pytest.raises(InputFormatError) as err:
        detect_format(json.dumps(obj))
    assert err.value.path is None and str(err.value) == f"line 1: {NEITHER_JSON}"
