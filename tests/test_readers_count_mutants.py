"""The independent count of records started (analysis.vigie.readers.count): blank and one-byte rows, repeated headers
with a byte-order mark, a carriage return or a trailing space, quotes across the 32 MB pieces, BibTeX pseudo-entries,
Web of Science tab-delimited headers and JSON Lines (issue 21: counts the mutants could change unnoticed).

Every text here is synthetic, written in the test; the expected counts are counted by hand from it (the comments say
which rows are records).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.vigie.readers import count, read_file

BOM = b"\xef\xbb\xbf"
FIX = Path(__file__).parent / "fixtures" / "bank"


# ---------------------------------------------------------------- CSV rows
def test_csv_rows_of_nothing():
    assert count.csv_rows(b"") == (0, 0)
    assert count.csv_rows(BOM) == (0, 0)
    assert count.csv_rows(b"\n  \r\n\t\n") == (0, 0)  # blank rows only: no header, no record


def test_csv_rows_header_only():
    assert count.csv_rows(b"A,B\r\n") == (0, 0)


def test_one_byte_rows_are_rows():
    assert count.csv_rows(b"A\n1\n2\n") == (2, 0)  # a one-column export: header "A", records "1" and "2"


def test_blank_rows_of_any_length_are_not_records():
    """Before issue 21 only rows of at most 64 bytes were looked at: a line of 65 spaces was counted as a record,
    and read_file refused the export ("records would be lost")."""
    data = b"A,B\r\nx,y\r\n" + b" " * 64 + b"\r\n" + b" " * 200 + b"\r\n\t \x0b\x0c\r\nz,w\r\n"
    assert count.csv_rows(data) == (2, 0)
    assert count.csv_rows(b"A,B\n x,y\n\tz,w\n") == (2, 0)  # rows starting with a space are still records


def test_a_long_blank_line_in_a_scopus_export_is_not_a_lost_record(tmp_path):
    path = tmp_path / "padded.csv"
    path.write_bytes((FIX / "scopus_small.csv").read_bytes() + b" " * 120 + b"\r\n")
    r = read_file(path)
    assert (r.read, len(r.records), len(r.rejections)) == (4, 4, 0)


def test_repeated_header_right_after_the_header():
    assert count.csv_rows(b"A,B\nA,B\nx,y\n") == (1, 1)


def test_repeated_header_with_a_bom_and_crlf_after_a_header_without():
    # `cat` of two CRLF exports with a BOM: the second header carries BOM + CR (4 bytes longer than the header)
    one = BOM + b"A,B\r\nx,y\r\n"
    assert count.csv_rows(one + one) == (2, 1)
    # LF exports: the second header carries only the BOM (3 bytes longer)
    one = BOM + b"A,B\nx,y\n"
    assert count.csv_rows(one + one) == (2, 1)


def test_repeated_header_keeps_its_trailing_space_and_its_x():
    # the header is compared with its trailing spaces and letters (only a carriage return is dropped)
    assert count.csv_rows(b"A,B \nx,y\nA,B \nz,w\n") == (2, 1)
    assert count.csv_rows(b"A,B \nx,y\nA,B\nz,w\n") == (3, 0)  # without the space it is a record
    assert count.csv_rows(b"ID,X\r\n1,2\r\nID,X\r\n3,4\r\n") == (2, 1)
    assert count.csv_rows(b"ID,X\r\n1,2\r\nID,\r\n3,4\r\n") == (3, 0)


def test_a_quote_in_the_first_byte():
    # header '"A\nB",C' spans two lines (the line break is inside quotes); one record
    data = b'"A\nB",C\n"x","y"\n'
    assert count.csv_rows(data) == (1, 0)
    assert count._row_ends(np.frombuffer(data, dtype=np.uint8)).tolist() == [7, 15]  # the breaks after C and "y"


def test_quotes_across_the_32_mb_pieces():
    """A quoted value that opens before the first 32 MB piece ends and holds a line break after it: the parity of the
    quotes carries over to the next piece, and the breaks found there keep their absolute positions. Synthetic
    padding; rows: the header, one record with the long quoted value, then two short records."""
    head = b'A,B\nx,"'
    pad = b"y" * (count._CHUNK - len(head) - 10)
    data = head + pad + b"0123456789\nstill inside\n" + b'end"\np,q\nr,s\n'
    assert len(data) > count._CHUNK and data.index(b"\nstill") >= count._CHUNK
    ends = count._row_ends(np.frombuffer(data, dtype=np.uint8))
    assert ends.tolist() == [3, len(data) - 9, len(data) - 5, len(data) - 1]
    assert count.csv_rows(data) == (3, 0)


def test_closed_quotes_before_the_32_mb_pieces_end():
    """The first piece holds an even number of quotes (a closed quoted value): the line breaks of the next piece are
    row ends. Synthetic padding; rows: the header, one long record, one short record."""
    head = b'A,B\n"x",'
    data = head + b"y" * (count._CHUNK - len(head) + 5) + b"\np,q\n"
    assert data.index(b"\np,q") > count._CHUNK
    assert count.csv_rows(data) == (2, 0)


def test_row_ends_of_nothing_is_an_empty_integer_array():
    ends = count._row_ends(np.zeros(0, dtype=np.uint8))
    assert ends.dtype == np.int64 and ends.shape == (0,)


# ---------------------------------------------------------------- BibTeX
def test_bibtex_pseudo_entries_are_not_entries():
    text = ("@comment{exported by a synthetic tool}\n@STRING{j = {Synthetic Journal}}\n@Preamble{x}\n"
            "@article{a,\n  title = {A}\n}\n@Comment{again}\n@book{b,\n  title = {B}\n}\n")
    assert count.bibtex_starts(text) == [3, 7]


def test_bibtex_entry_on_the_first_line_after_a_bom():
    assert count.bibtex_starts("\ufeff@article{a,\n  title = {A}\n}\n") == [0]
    assert count.bibtex_starts("X@article{a,\n  title = {A}\n}\n") == []  # "@" not at the start of a line


# ---------------------------------------------------------------- Web of Science tab-delimited
def test_tab_rows_drop_boms_blank_lines_and_repeated_headers():
    text = ("\ufeffPT\tAU\tTI\t\r\n"  # header with a BOM, a trailing tab and a carriage return
            "J\tRoy, P\tSynthetic one\t\r\n"
            "\r\n \t\r\n\ufeff\n"  # blank lines, one holding only a BOM
            "PT\tAU\tTI\n"  # the header again (a second export joined): not a record
            "J\tLee, K\tSynthetic two\t\n")
    assert count.tab_rows(text) == 2


def test_tab_rows_of_nothing():
    assert count.tab_rows("") == 0 and count.tab_rows("\n \t\n") == 0
    assert count.tab_rows("PT\tAU\tTI\n") == 0


def test_tab_rows_any_other_non_blank_line_is_a_record():
    assert count.tab_rows("PT\tAU\nX\n") == 1  # a one-letter (broken) row is still a row started
    assert count.tab_rows("PT\tAU\nXPT\tAU\n") == 1  # a row that only ends like the header is not the header
    assert count.tab_rows("PT\tAU\nPT\tAUX\n") == 1  # nor a row that only starts like it


# ---------------------------------------------------------------- JSON Lines and the dispatch
def test_json_lines_counts_non_blank_lines():
    text = '{"id": "W1", "title": "a b"}\n\n  \n{"id": "W2", "title": "c d"}\n{"broken\n'
    assert count.json_lines(text) == 3


@pytest.mark.parametrize("fmt, text, started", [
    ("bibtex", "@article{a,\n}\n@book{b,\n}\n", 2),
    ("scopus_bib", "Scopus\n@ARTICLE{a,\n}\n", 1),
    ("ris", "TY  - JOUR\nER  - \nTY  - BOOK\nER  - \n", 2),
    ("wos_txt", "FN x\nVR 1.0\nPT J\nER\nPT B\nER\nEF\n", 2),
    ("wos_tab", "PT\tAU\nJ\tRoy\n", 1),
    ("scopus_csv", "A,B\nx,y\nz,w\n", 2),
    ("openalex_csv", "id,title\nW1,t\n", 1),
    ("openalex_json", '{"results": [{"id": "W1"}]}', None),
    ("crossref_json", "@article{a,\n}\n", None),  # the JSON readers count their items themselves
    ("csl_json", "@article{a,\n}\n", None),
])
def test_records_started_by_format(fmt, text, started):
    assert count.records_started(fmt, text) == started
