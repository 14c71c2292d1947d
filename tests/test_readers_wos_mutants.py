"""Web of Science readers (plain text and tab-delimited): every field of a record, every authorship column, the
line grammar (continuations, tags outside records, unclosed records) and the error messages (issue 21: values the
mutants could change unnoticed).

Every export here is synthetic: small texts written in the test (invented people, titles and accession numbers,
DOIs with the 10.5555 test prefix); the expected values are read off those texts by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers.wos import read_wos_tab, read_wos_txt, wos_database_id

P = Path("synthetic_savedrecs.txt")


def _txt(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _rows(df, columns):
    return df[columns].astype(object).where(df[columns].notna(), None).values.tolist()


# ---------------------------------------------------------------- plain text: one full record
FULL = _txt(
    "FN Clarivate Analytics Web of Science",
    "VR 1.0",
    "PT J",
    "AU Roy, P",
    "   Lee, K",
    "AF Roy, Pascale",
    "   Lee, Kim",
    "TI A synthetic title",
    "   on two lines",
    "SO SYNTHETIC",
    "   JOURNAL",
    "LA English",
    "DT Article; Early Access",
    "DE coops; social",
    "   economy; ;",
    "ID HOUSING; TENURE",
    "AB Abstract first line",
    "   second line",
    "C1 [Roy, Pascale; Lee, Kim] Univ Synthet, Paris, France.",
    "   [Roy, Pascale] UQAM, Montreal, PQ H2X 3Y7, Canada.",
    "CR SYNTHETIC REF ONE",
    "   SYNTHETIC REF TWO",
    "\tSYNTHETIC REF THREE",
    "OI Roy, Pascale/0000-0000-0000-0011 ; Nobody; Lee, Kim/0000-0000-0000-0012",
    "TC 12",
    "PY 2021",
    "EA NOV 2020",
    "DI 10.5555/SYNTH.W.1",
    "UT WOS:000000000000001",
    "ER",
    "",
    "EF",
)


def test_every_record_field_of_a_full_record():
    r = read_wos_txt(P, FULL, "utf-8", "a decoding note")
    assert (r.format, r.encoding, r.note, len(r.rejections)) == ("wos_txt", "utf-8", "a decoding note", 0)
    rec = r.records.iloc[0]
    assert (rec["record"], rec["line"]) == (1, 3)  # "PT J" is line 3
    assert rec["title"] == "A synthetic title on two lines"  # single-value continuation joined by a space
    assert rec["source_title"] == "SYNTHETIC JOURNAL"
    assert rec["doc_type"] == "Article; Early Access" and rec["language"] == "English"
    assert rec["author_keywords"] == "coops; social economy"  # blanks between the trailing ";" dropped
    assert rec["index_keywords"] == "HOUSING; TENURE"
    assert rec["abstract"] == "Abstract first line second line"
    assert (rec["year"], rec["cited_by"]) == (2021, 12)  # PY wins over EA
    assert rec["doi"] == "10.5555/synth.w.1"
    assert rec["database_id"] == "wos:000000000000001"


def test_every_authorship_column_of_a_full_record():
    a = read_wos_txt(P, FULL, "utf-8").authorships
    assert _rows(a, ["record", "position", "author", "author_full", "author_id"]) == [
        [1, 1, "Roy, P.", "Roy, Pascale", "0000-0000-0000-0011"],
        [1, 2, "Lee, K.", "Lee, Kim", "0000-0000-0000-0012"],
    ]
    # Roy has two addresses: the first is the affiliation, both countries listed; Lee only the first
    assert _rows(a, ["affiliation", "country", "countries"]) == [
        ["Univ Synthet, Paris, France", "France", "France; Canada"],
        ["Univ Synthet, Paris, France", "France", "France"],
    ]


def test_early_access_year_when_there_is_no_publication_year():
    text = FULL.replace("PY 2021\n", "")
    assert read_wos_txt(P, text, "utf-8").records["year"].tolist() == [2020]  # "EA NOV 2020"


# ---------------------------------------------------------------- plain text: the line grammar
def test_bom_on_the_first_line_and_a_type_less_pt_line():
    text = "\ufeff" + _txt("FN Clarivate", "PT", "TI Only a title", "ER  ", "EF")
    r = read_wos_txt(P, text, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[1, 2, "Only a title"]] and r.note == ""
    assert r.authorships.empty


def test_record_numbers_lines_and_unclosed_records():
    text = _txt(
        "FN Clarivate",
        "ER",  # an ER outside any record is ignored
        "PT J",
        "TI First synthetic title",
        "PT J",  # a new PT before ER: the first record was cut short
        "TI Second synthetic title",
        "",
        "ER",
        "PT B",
        "TI Third synthetic title, never closed",
    )
    r = read_wos_txt(P, text, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[2, 5, "Second synthetic title"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [1, 3, "unclosed_wos_record", "record not closed by ER (truncated file or missing line)"],
        [3, 9, "unclosed_wos_record", "record not closed by ER (truncated file or missing line)"],
    ]


def test_continuations_tab_and_unindented_and_of_unused_fields():
    text = _txt(
        "PT J",
        "AU Roy, P",
        "\tLee, K",  # a tab-indented continuation of a multi-value field: a second author
        "TI A title",
        "continued without indent",  # an unindented line continues the current field
        "NR 3",  # a tag not used: its value and continuation lines are skipped
        "   SYNTHETIC CONTINUATION",
        "stray unindented text of an unused field",
        "\tTAB CONTINUATION OF AN UNUSED FIELD",
        "SO A JOURNAL",
        "ER",
    )
    r = read_wos_txt(P, text, "utf-8")
    rec = r.records.iloc[0]
    assert (rec["title"], rec["source_title"]) == ("A title continued without indent", "A JOURNAL")
    assert r.authorships["author"].tolist() == ["Roy, P.", "Lee, K."]


def test_a_tag_outside_a_record_is_an_error_naming_the_line():
    with pytest.raises(InputFormatError, match=r"field 'TI' outside a record \(expected PT … ER\)") as err:
        read_wos_txt(P, _txt("FN Clarivate", "VR 1.0", "TI A title with no PT"), "utf-8")
    assert err.value.line == 3 and err.value.path == str(P)


def test_a_line_that_is_no_tag_outside_a_record_is_an_error_naming_the_line():
    with pytest.raises(InputFormatError,
                       match=r"not a Web of Science plain-text line \(expected a two-letter tag\)") as err:
        read_wos_txt(P, _txt("FN Clarivate", "PT J", "TI T", "ER", "hello there"), "utf-8")
    assert (err.value.line, err.value.path) == (5, str(P))


def test_a_second_bom_and_a_first_line_of_two_letters_are_named_not_skipped():
    joined = _txt("FN Clarivate", "PT J", "TI T", "ER", "EF") + "\ufeff" + _txt("FN Clarivate", "PT J", "TI U", "ER")
    with pytest.raises(InputFormatError, match="not a Web of Science plain-text line") as err:
        read_wos_txt(P, joined, "utf-8")  # two exports joined byte for byte: the second BOM's line is named
    assert err.value.line == 6
    with pytest.raises(InputFormatError, match="field 'XX' outside a record") as err:
        read_wos_txt(P, _txt("XX", "PT J", "TI T", "ER"), "utf-8")
    assert err.value.line == 1


def test_a_file_without_pt_is_not_a_wos_export():
    with pytest.raises(InputFormatError, match=r"no record found \(no line starting with 'PT '\)") as err:
        read_wos_txt(P, _txt("FN Clarivate", "VR 1.0", "EF"), "utf-8")
    assert (err.value.line, err.value.path) == (1, str(P))


# ---------------------------------------------------------------- plain text: authorships
def test_full_names_only_and_fewer_full_names_than_short_names():
    only_af = _txt("PT J", "AF Roy, Pascale", "   Lee, Kim", "TI T", "ER")
    a = read_wos_txt(P, only_af, "utf-8").authorships
    assert _rows(a, ["author", "author_full"]) == [["Roy, P.", "Roy, Pascale"], ["Lee, K.", "Lee, Kim"]]
    short = _txt("PT J", "AU Roy, P", "   Lee, K", "AF Roy, Pascale", "TI T", "ER")
    a = read_wos_txt(P, short, "utf-8").authorships
    # AF does not match AU one to one: full names are not used, each author keeps the short name
    assert _rows(a, ["author", "author_full"]) == [["Roy, P.", "Roy, P"], ["Lee, K.", "Lee, K"]]


def test_bracketed_addresses_match_short_or_full_names_and_repeat_once():
    text = _txt(
        "PT J",
        "AU Roy, P",
        "   Kim, S",
        "   Lee, K",
        "AF Roy, Pascale",
        "   Kim, Sun",
        "   Lee, Kim",
        "TI T",
        "C1 [Roy, P; Lee, Kim] Synthetic Inst, Seoul, South Korea.",  # Roy by the short name, Lee by the full
        "   [Roy, Pascale] Synthetic Inst, Seoul, South Korea.",  # the same address again for Roy: kept once
        "   [Roy, Pascale] Univ Synthet, Lyon, France.",
        "   [Kim, S] Lab K, Oslo, Norway.",  # Kim by the short name only
        "ER",
    )
    a = read_wos_txt(P, text, "utf-8").authorships
    assert _rows(a, ["author", "affiliation", "country", "countries"]) == [
        ["Roy, P.", "Synthetic Inst, Seoul, South Korea", "South Korea", "South Korea; France"],
        ["Kim, S.", "Lab K, Oslo, Norway", "Norway", "Norway"],
        ["Lee, K.", "Synthetic Inst, Seoul, South Korea", "South Korea", "South Korea"],
    ]


def test_an_address_without_names_belongs_to_a_lone_author_only():
    lone = _txt("PT J", "AU Roy, P", "AF Roy, Pascale", "TI T",
                "C1 Univ Synthet, Paris, France.", "   Second Synthet, Rome, Italy.", "ER")
    a = read_wos_txt(P, lone, "utf-8").authorships
    assert _rows(a, ["affiliation", "country", "countries"]) == [["Univ Synthet, Paris, France", "France", "France"]]
    two = _txt("PT J", "AU Roy, P", "   Lee, K", "TI T", "C1 Univ Synthet, Paris, France.", "ER")
    a = read_wos_txt(P, two, "utf-8").authorships
    assert a["affiliation"].isna().tolist() == [True, True]  # whose address it is cannot be told


def test_orcid_by_full_name_and_by_short_name():
    text = _txt("PT J", "AU Roy, P", "   Lee, K", "TI T",
                "OI Lee,", "   K/0000-0000-0000-0022;Roy, Q/0000-0000-0000-0099", "ER")  # wrapped inside a name
    # no AF: the ORCID is found by the short name; "Roy, Q" is nobody here
    a = read_wos_txt(P, text, "utf-8").authorships
    assert a["author_id"].isna().tolist() == [True, False]
    assert a["author_id"].tolist()[1] == "0000-0000-0000-0022"


def test_repeated_tags_are_joined_and_a_continuation_right_after_pt_is_kept_apart():
    text = _txt(
        "PT J",
        "   a continuation of the document type",
        "AU Roy, P",
        "TI First part",
        "ERRATUM TEXT continuing the title",  # starts with "ER" but is no ER line
        "TI second part",  # a second TI line: joined to the first
        "OI Roy, P/0000-0000-0000-0031;",  # a list ending in ";" (as WoS wraps it) on a second OI line: read on
        "OI Lee, K/0000-0000-0000-0032",
        "AU Lee, K",
        "ER",
    )
    r = read_wos_txt(P, text, "utf-8")
    assert r.records["title"].tolist() == ["First part ERRATUM TEXT continuing the title second part"]
    assert _rows(r.authorships, ["author", "author_id"]) == [["Roy, P.", "0000-0000-0000-0031"],
                                                             ["Lee, K.", "0000-0000-0000-0032"]]


def test_short_names_are_the_authors_when_full_names_say_more():
    text = _txt("PT J", "AU Tremblay, M", "AF Tremblay, Marie-Eve", "TI T", "ER")
    a = read_wos_txt(P, text, "utf-8").authorships
    assert _rows(a, ["author", "author_full"]) == [["Tremblay, M.", "Tremblay, Marie-Eve"]]


def test_windows_line_ends_and_a_value_ending_in_x():
    text = "\ufeffPT\r\nTI A TITLE ENDING IN X\r\nAU Roy, P\r\nER\r\n"
    r = read_wos_txt(P, text, "utf-8")
    assert r.records[["record", "line", "title"]].values.tolist() == [[1, 1, "A TITLE ENDING IN X"]]


# ---------------------------------------------------------------- accession numbers
@pytest.mark.parametrize("accession, expected", [
    ("WOS:000852249500001", "wos:000852249500001"),
    ("  MEDLINE: 31234567 ", "medline:31234567"),
    ("000852249500001", "wos:000852249500001"),  # no base: Web of Science's own
    ("12:34", "wos:12:34"),  # a base that is not letters is not a database
    ("WOS:0001:2", "wos:0001:2"),  # the base ends at the first colon
    ("", None), ("   ", None), (None, None),
])
def test_wos_database_id(accession, expected):
    assert wos_database_id(accession) == expected


# ---------------------------------------------------------------- tab-delimited
TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tLA\tDT\tDE\tID\tAB\tC1\tTC\tPY\tEA\tDI\tUT"


def _tab(*rows: str) -> str:
    return "\ufeff" + TAB_HEADER + "\n" + "\n".join(rows) + "\n"


def test_tab_every_field_trailing_tab_blank_rows_and_lines():
    first = "\t".join(["J", "Roy, P; Lee, K", "Roy, Pascale; Lee, Kim", '"A" synthetic tab title', "SYNTH J",
                       "French", "Review", "coops;  economy", "HOUSING", "An abstract.",
                       "[Roy, Pascale] Univ Synthet, Paris, France; [Lee, Kim] UQAM, Montreal, PQ H2X 3Y7, Canada; ",
                       "4", "", "OCT 2019", "10.5555/TAB.1", "WOS:000000000000002"]) + "\t"
    second = "\t".join(["J", "Kim, S", "", "Second tab title", "", "", "", "", "", "",
                        "Synthetic Inst, Box X; ", "", "2022", "", "", ""])  # no quoting in WoS tab files
    r = read_wos_tab(P, _tab(first, "", "\t\t", second), "utf-8", "")
    assert (r.format, len(r.rejections), r.note) == ("wos_tab", 0, "")
    assert _rows(r.records, ["record", "line", "title", "source_title", "language", "doc_type", "author_keywords",
                             "index_keywords", "abstract", "cited_by", "year", "doi", "database_id"]) == [
        [1, 2, '"A" synthetic tab title', "SYNTH J", "French", "Review", "coops; economy", "HOUSING", "An abstract.",
         4, 2019, "10.5555/tab.1", "wos:000000000000002"],
        [2, 5, "Second tab title", None, None, None, None, None, None, None, 2022, None, None],
    ]
    assert _rows(r.authorships, ["record", "position", "author", "author_full", "affiliation", "country"]) == [
        [1, 1, "Roy, P.", "Roy, Pascale", "Univ Synthet, Paris, France", "France"],
        [1, 2, "Lee, K.", "Lee, Kim", "UQAM, Montreal, PQ H2X 3Y7, Canada", "Canada"],
        [2, 1, "Kim, S.", "Kim, S", "Synthetic Inst, Box X", "Box X"],
    ]


def test_tab_broken_row_and_repeated_header():
    ok = "\t".join(["J", "Roy, P", "", "Kept title"] + [""] * 12)
    # 17 fields for 16 columns, the last not empty (a trailing empty field alone is tolerated)
    broken = "\t".join(["J", "Lee, K", "", "Broken title"] + [""] * 12 + ["extra"])
    r = read_wos_tab(P, _tab(ok, TAB_HEADER, broken, "\ufeff" + TAB_HEADER, ok), "utf-8", "decoded as UTF-16")
    assert r.records[["record", "line", "title"]].values.tolist() == [[1, 2, "Kept title"], [3, 6, "Kept title"]]
    assert r.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [2, 4, "broken_row", "17 fields instead of 16 (truncated or broken row)"]]
    assert r.note == "decoded as UTF-16; 2 repeated header row(s) skipped (exports joined into one file)"
    alone = read_wos_tab(P, _tab(ok, TAB_HEADER, ok), "utf-8")
    assert alone.note == "1 repeated header row(s) skipped (exports joined into one file)"


def test_tab_header_without_title_and_empty_text_are_errors():
    with pytest.raises(InputFormatError) as err:
        read_wos_tab(P, "PT\tAU\tSO\nJ\tRoy, P\tX\n", "utf-8", "")
    assert err.value.message == "required WoS column 'TI' is missing from the header"
    assert (err.value.line, err.value.field, err.value.path) == (1, "TI", str(P))
    with pytest.raises(InputFormatError) as err:
        read_wos_tab(P, "", "utf-8", "")
    assert (err.value.message, err.value.path) == ("empty file", str(P))
