"""OpenAlex readers (works JSON and the web interface's CSV): every record field, every authorship column, the
fallbacks between fields, the abstract rebuilt from its inverted index, and the errors (issue 21: values the
mutants could change unnoticed).

Every work here is synthetic: dicts and texts written in the test (invented people, titles and OpenAlex ids,
DOIs with the 10.5555 test prefix); the expected values are read off them by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers.openalex import read_openalex_csv, read_openalex_json, rebuild_abstract, work_record

P = Path("synthetic_works.json")


def _rows(df, columns):
    return df[columns].astype(object).where(df[columns].notna(), None).values.tolist()


# ---------------------------------------------------------------- the abstract
def test_rebuild_abstract_orders_by_position_and_skips_what_is_not_a_position():
    index = {"zero": [0], "not a list": "x", "negative": [-1], "decimal": [1.5], "two": [2], "again": [4, 3]}
    assert rebuild_abstract(index) == "zero two again again"  # positions 0, 2, 3, 4; gaps closed


@pytest.mark.parametrize("index", [None, {}, [["a", [0]]], {"only negative": [-2]}, {"w": "0"}])
def test_rebuild_abstract_without_a_usable_word_is_missing(index):
    assert rebuild_abstract(index) is None


# ---------------------------------------------------------------- one work object
FULL_WORK = {
    "id": "https://openalex.org/W42", "doi": "https://doi.org/10.5555/OA.1", "title": "A synthetic work",
    "display_name": "Another name", "publication_year": 2019, "publication_date": "2018-05-01", "type": "article",
    "language": "fr", "cited_by_count": 7,
    "primary_location": {"source": {"display_name": "Synthetic Journal"}},
    "host_venue": {"display_name": "Old synthetic venue"},
    "abstract_inverted_index": {"b": [1], "a": [0, 2]},
    "keywords": [{"display_name": "Coops"}, "not a dict", {"display_name": None}, {"display_name": "Food"}],
    "concepts": [{"display_name": "A concept"}],
    "authorships": [
        "not a dict",
        {"author": {"display_name": "Marie Tremblay", "id": "https://openalex.org/A1"},
         "raw_affiliation_strings": ["Univ Synthet, Paris, France"],
         "institutions": [{"display_name": "Synthetic Inst", "country_code": "IT"}], "countries": ["fr", " ", "ca"]},
        {"author": {"display_name": "  "}},  # a blank name: no authorship
        {"author": {"display_name": 5}, "raw_author_name": "Not used"},  # a name that is no text: no authorship
        {"raw_author_name": "Kim Lee", "raw_affiliation_strings": [5],
         "institutions": [{"display_name": "Synthetic Inst, Seoul", "country_code": "KR"}, "x",
                          {"display_name": "Other", "country_code": "ZZ"}, {"display_name": "No code"}]},
        {"author": {"display_name": "Sun Kim", "id": 12345}, "raw_affiliation_strings": ["Synthetic Lab, Lyon, France"],
         "countries": []},  # an id that is no text: none
        {"author": {"display_name": "Paul Roy"}, "raw_affiliation_strings": ["Synthetic Lab, Rome, Italy"],
         "countries": "DE"},  # not a list: ignored, the country comes from the affiliation
        {"author": {"display_name": "Ana Silva", "id": None}, "countries": ["XY"]},
        {"author": {"display_name": "Bo Li"}, "institutions": [{"display_name": 7}]},  # a name that is no text
    ],
}


def test_every_field_of_a_full_work():
    rec, _ = work_record(FULL_WORK, 3, 11)
    assert rec == {
        "record": 3, "line": 11, "doi": "https://doi.org/10.5555/OA.1", "title": "A synthetic work", "year": 2019,
        "source_title": "Synthetic Journal", "doc_type": "article", "language": "fr", "cited_by": 7,
        "abstract": "a b a", "author_keywords": None, "index_keywords": "Coops; Food", "database_id": "openalex:W42",
    }


def test_every_authorship_of_a_full_work():
    _, rows = work_record(FULL_WORK, 3, 11)
    assert [[r[c] for c in ("record", "position", "author", "author_full", "author_id", "affiliation", "country",
                            "countries")] for r in rows] == [
        [3, 1, "Tremblay, M.", "Marie Tremblay", "A1", "Univ Synthet, Paris, France", "France", "France; Canada"],
        [3, 2, "Lee, K.", "Kim Lee", None, "Synthetic Inst, Seoul", "South Korea", "South Korea; ZZ"],
        [3, 3, "Kim, S.", "Sun Kim", None, "Synthetic Lab, Lyon, France", "France", "France"],
        [3, 4, "Roy, P.", "Paul Roy", None, "Synthetic Lab, Rome, Italy", "Italy", "Italy"],
        [3, 5, "Silva, A.", "Ana Silva", None, None, "XY", "XY"],
        [3, 6, "Li, B.", "Bo Li", None, None, None, None],
    ]


def test_fallback_fields_of_an_older_work():
    work = {"id": "https://openalex.org/A9", "doi": 12, "title": 5, "display_name": "Fallback display name",
            "publication_date": "2017-03-02", "type": 3, "language": ["fr"],
            "primary_location": {"source": None}, "host_venue": {"display_name": "Old synthetic venue"},
            "keywords": [], "concepts": [{"display_name": "Concept A"}, {"display_name": "Concept B"}]}
    rec, rows = work_record(work, 1, None)
    assert rec == {
        "record": 1, "line": None, "doi": None, "title": "Fallback display name", "year": 2017,
        "source_title": "Old synthetic venue", "doc_type": None, "language": None, "cited_by": None,
        "abstract": None, "author_keywords": None, "index_keywords": "Concept A; Concept B", "database_id": None,
    }
    assert rows == []


def test_values_of_the_wrong_type_are_missing():
    work = {"title": None, "display_name": 7, "keywords": 5,
            "primary_location": {"source": {"display_name": 5}}, "authorships": None}
    rec, rows = work_record(work, 2, 4)
    assert (rec["title"], rec["source_title"], rec["index_keywords"], rows) == (None, None, None, [])
    rec, _ = work_record({"title": "T", "keywords": "not a list"}, 1, 1)
    assert rec["index_keywords"] is None


def test_a_work_that_is_not_an_object_is_refused():
    with pytest.raises(ValueError, match="work is not a JSON object"):
        work_record(["W1"], 1, 1)  # type: ignore[arg-type]


# ---------------------------------------------------------------- JSON documents
def test_api_page_list_and_single_work():
    one = {"id": "https://openalex.org/W1", "title": "First synthetic work", "publication_year": 2020}
    page = read_openalex_json(P, json.dumps({"meta": {}, "results": [one, 5]}), "utf-8", "a note")
    assert (page.format, page.encoding, page.note, page.started) == ("openalex_json", "utf-8", "a note", 2)
    assert _rows(page.records, ["record", "line", "title", "database_id"]) == [
        [1, None, "First synthetic work", "openalex:W1"]]
    assert _rows(page.rejections, ["record", "line", "code", "reason"]) == [
        [2, None, "not_json_object", "not a JSON object"]]
    listed = read_openalex_json(P, json.dumps([one, one]), "utf-8")
    assert listed.records["record"].tolist() == [1, 2] and (listed.started, listed.note) == (2, "")
    single = read_openalex_json(P, json.dumps(one), "utf-8")
    assert _rows(single.records, ["record", "line"]) == [[1, 1]]
    empty = read_openalex_json(P, json.dumps({"results": None}), "utf-8")
    assert (len(empty.records), empty.started) == (0, 0)


def test_json_lines_keep_their_line_numbers():
    one = json.dumps({"id": "https://openalex.org/W1", "title": "First synthetic work"})
    two = json.dumps({"id": "https://openalex.org/W2", "title": "Second synthetic work"})
    r = read_openalex_json(P, one + "\n\n" + two + "\n[1]\n", "utf-8")
    assert _rows(r.records, ["record", "line", "title"]) == [[1, 1, "First synthetic work"],
                                                            [2, 3, "Second synthetic work"]]
    assert _rows(r.rejections, ["record", "line", "code"]) == [[3, 4, "not_json_object"]]


def test_invalid_json_names_the_file():
    with pytest.raises(InputFormatError, match=r"invalid JSON") as err:
        read_openalex_json(P, '{"results": [1, 2', "utf-8")
    assert err.value.path == str(P)


def test_json_that_is_no_work_is_an_error():
    with pytest.raises(InputFormatError, match="JSON is not an OpenAlex work, list or API page") as err:
        read_openalex_json(P, "5", "utf-8")
    assert (err.value.line, err.value.path) == (1, str(P))


# ---------------------------------------------------------------- the web interface's CSV
CSV_HEADER = ("Work ID;Title;Year;Source;Type;Language;Cited By Count;Keywords;Authors;Author IDs;"
              "authorships.countries;authorships.raw_affiliation_strings;Abstract;DOI")


def test_csv_with_semicolons_every_field_and_authorship():
    text = "\ufeff" + "\n".join([
        CSV_HEADER,
        "https://openalex.org/W7;First CSV title;2018;Synthetic Source;article;en;3;Coops| Food| ;"
        "Marie Tremblay|Kim Lee;https://openalex.org/A1|A2;CA|kr, US;"
        "Univ Laval, Quebec, Canada|Synthetic Inst, Seoul, South Korea;An abstract.;10.5555/CSV.1",
        "",
        "   ",
        "https://openalex.org/W8;Second CSV title; ;;;;;;|Ana Silva;x|y;|BR;Lab A, Rome, Italy|;;",
        "https://openalex.org/W9;Third CSV title;2020;;;;;;A One|B Two;A1;;Lab A, Lyon, France|Lab B, Oslo, Norway;;",
        "https://openalex.org/W10;Fourth CSV title;;;;;;;Solo Author;;;;;",
        "https://openalex.org/W11;Fifth CSV title;;;;;;;Ana Roy;;xy, CA;;;",  # a code the table does not name
    ]) + "\n"
    r = read_openalex_csv(Path("works.csv"), text, "utf-8", "")
    assert (r.format, len(r.rejections), r.note) == ("openalex_csv", 0, "")
    assert _rows(r.records, ["record", "line", "doi", "title", "year", "source_title", "doc_type", "language",
                             "cited_by", "abstract", "author_keywords", "index_keywords", "database_id"]) == [
        [1, 2, "10.5555/csv.1", "First CSV title", 2018, "Synthetic Source", "article", "en", 3, "An abstract.",
         None, "Coops; Food", "openalex:W7"],
        [2, 5, None, "Second CSV title", None, None, None, None, None, None, None, None, "openalex:W8"],
        [3, 6, None, "Third CSV title", 2020, None, None, None, None, None, None, None, "openalex:W9"],
        [4, 7, None, "Fourth CSV title", None, None, None, None, None, None, None, None, "openalex:W10"],
        [5, 8, None, "Fifth CSV title", None, None, None, None, None, None, None, None, "openalex:W11"],
    ]
    assert _rows(r.authorships, ["record", "position", "author", "author_full", "author_id", "affiliation",
                                 "country", "countries"]) == [
        [1, 1, "Tremblay, M.", "Marie Tremblay", "A1", "Univ Laval, Quebec, Canada", "Canada", "Canada"],
        [1, 2, "Lee, K.", "Kim Lee", "A2", "Synthetic Inst, Seoul, South Korea", "South Korea",
         "South Korea; United States"],
        [2, 1, "Silva, A.", "Ana Silva", "y", None, "Brazil", "Brazil"],  # the blank first name takes no position
        # ids and countries do not list every author: not used; affiliations do
        [3, 1, "One, A.", "A One", None, "Lab A, Lyon, France", "France", "France"],
        [3, 2, "Two, B.", "B Two", None, "Lab B, Oslo, Norway", "Norway", "Norway"],
        [4, 1, "Author, S.", "Solo Author", None, None, None, None],  # no id, country nor affiliation given
        [5, 1, "Roy, A.", "Ana Roy", None, None, "XY", "XY; Canada"],  # an unknown code is kept as written
    ]


def test_csv_first_alias_wins_and_title_in_the_first_column():
    text = "display_name,title,publication_year\nName column,Title column,2001\n"
    r = read_openalex_csv(Path("works.csv"), text, "utf-8", "")
    assert r.records[["title", "year"]].values.tolist() == [["Title column", 2001]]
    text = "display_name,cited_by_count\nOnly a display name,4\n"
    r = read_openalex_csv(Path("works.csv"), text, "utf-8", "")
    assert r.records[["title", "cited_by"]].values.tolist() == [["Only a display name", 4]]


def test_csv_broken_row_repeated_header_and_note():
    text = "title,publication_year\nKept,2001\ntitle, publication_year \nToo,many,fields\n\nAlso kept,2002\n"
    r = read_openalex_csv(Path("works.csv"), text, "utf-8", "decoded as cp1252")
    assert _rows(r.records, ["record", "line", "title"]) == [[1, 2, "Kept"], [3, 6, "Also kept"]]
    assert _rows(r.rejections, ["record", "line", "code", "reason"]) == [
        [2, 4, "broken_row", "3 fields instead of 2 (truncated or broken row)"]]
    assert r.note == "decoded as cp1252; 1 repeated header row(s) skipped (exports joined into one file)"
    alone = read_openalex_csv(Path("works.csv"), "title\nA\ntitle\nB\ntitle\nC\n", "utf-8", "")
    assert alone.note == "2 repeated header row(s) skipped (exports joined into one file)"


def test_csv_delimiter_from_the_header_line_only_and_a_repeated_column():
    r = read_openalex_csv(Path("works.csv"), "title;abstract\nA;x, y, z\n", "utf-8")
    assert (r.note, r.records[["title", "abstract"]].values.tolist()) == ("", [["A", "x, y, z"]])
    r = read_openalex_csv(Path("works.csv"), "title,title,publication_year\nFirst,Second,2001\n", "utf-8", "")
    assert r.records["title"].tolist() == ["First"]  # the first of two columns with the same name


def test_csv_line_breaks_inside_quotes_are_kept_as_written_and_a_lone_cr_ends_a_row():
    r = read_openalex_csv(Path("works.csv"), 'title,abstract\r\n"First","two\r\nlines"\r\n', "utf-8", "")
    assert r.records["abstract"].tolist() == ["two\r\nlines"]
    r = read_openalex_csv(Path("works.csv"), "title,publication_year\rA,2001\rB,2002\r", "utf-8", "")
    assert r.records[["record", "line", "title", "year"]].values.tolist() == [[1, 2, "A", 2001], [2, 3, "B", 2002]]


def test_csv_line_of_a_record_after_a_quoted_line_break():
    text = 'title,abstract\n"First","two\nlines"\nSecond,x\n'
    r = read_openalex_csv(Path("works.csv"), text, "utf-8", "")
    assert _rows(r.records, ["record", "line", "abstract"]) == [[1, 2, "two\nlines"], [2, 4, "x"]]


def test_csv_errors_name_the_column_or_the_line():
    with pytest.raises(InputFormatError, match=r"required OpenAlex column 'title' \(or 'display_name'\) is missing") \
            as err:
        read_openalex_csv(Path("works.csv"), "doi,publication_year\n10.5555/x,2001\n", "utf-8", "")
    assert (err.value.line, err.value.field, err.value.path) == (1, "title", "works.csv")
    with pytest.raises(InputFormatError, match=r"OpenAlex CSV cannot be split into rows \(.*\); check quotes") as err:
        read_openalex_csv(Path("works.csv"), 'title,doi\nGood,x\n"Bad"quote,y\n', "utf-8", "")
    assert (err.value.line, err.value.path) == (3, "works.csv")
    with pytest.raises(InputFormatError, match="OpenAlex CSV cannot be split into rows") as err:
        read_openalex_csv(Path("works.csv"), 'title,"bad"x\nA,B\n', "utf-8", "")
    assert err.value.line == 1  # the header itself
