"""BibTeX / biblatex reader: LaTeX escapes, name lists and name parts, every record field under each producer's
field names, affiliations (Web of Science lines, Scopus lists), the repairs (key with commas, stray or missing
brace) and their ledger note (issue 21: values the mutants could change unnoticed).

Entries are synthetic texts written in the test (invented people, titles and ids, DOIs with the 10.5555 test
prefix), except the last test, which reads the real 103-record Web of Science export of the mirror in its BibTeX and
plain-text forms and checks that the two readers agree.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import bibtexparser
import pytest

from analysis.core.errors import InputFormatError
from analysis.core.paths import default_mirror
from analysis.vigie.readers import read_file
from analysis.vigie.readers.bibtex import (
    _settle,
    bib_name,
    bibtex_doc_type,
    delatex,
    read_bibtex,
    read_scopus_bib,
    scopus_eid,
    split_names,
)

P = Path("synthetic.bib")


def _rows(df, columns):
    return df[columns].astype(object).where(df[columns].notna(), None).values.tolist()


# ---------------------------------------------------------------- LaTeX to Unicode
@pytest.mark.parametrize("latex, text", [
    (r"L'{\'e}conomie au {Q}u{\'e}bec", "L'économie au Québec"),
    (r"\c{c}a \"{o} \'\i \^{\i} \v s \~n \=a \.z \u{g} \H{o} \k{a} \r{a} \`a", "ça ö í î š ñ ā ż ğ ő ą å à"),
    (r"\& \% \$ \# \_ \textquotesingle \textendash \textemdash \textquotedbl", "& % $ # _ ' – — \""),
    (r"\ss{} \o \O \ae \oe \l \L \i \aa \AA", "ß ø Ø æ œ ł Ł ı å Å"),
    (r"x\oe{}y \ss{}z", "xœy ßz"),  # the longer escape first: "\oe" is not "\o" + "e"
    ("{B}races  and\n  spaces ", "Braces and spaces"),
])
def test_delatex(latex, text):
    assert delatex(latex) == text


def test_delatex_composes_accents_into_one_character():
    assert delatex(r"\'e") == "\u00e9" and delatex(None) is None


# ---------------------------------------------------------------- names
@pytest.mark.parametrize("value, names", [
    ("A and B", ["A", "B"]),
    ("{Barnes and Noble} and C", ["{Barnes and Noble}", "C"]),  # no split inside braces
    ("A AND B\nand  C and ", ["A", "B", "C"]),  # any case, line breaks as spaces, empty names dropped
    ("Band of {A} and B", ["Band of {A}", "B"]),
])
def test_split_names(value, names):
    assert split_names(value) == names


@pytest.mark.parametrize("raw, pair", [
    ("{Chantier synthétique}", ("Chantier synthétique", "Chantier synthétique")),  # corporate: as written
    ("{Smith}, John", ("Smith, J.", "Smith, John")),
    ("family=Québec, given=Institut, prefix=de la statistique synthétique du, useprefix=false",
     ("de la statistique synthétique du Québec, I.", "de la statistique synthétique du Québec, Institut")),
    ("family=Synthetic Council", ("Synthetic Council", "Synthetic Council")),
    ("given=Ana, family=Silva", ("Silva, A.", "Silva, Ana")),
    (r"R{\'e}mi Roy", ("Roy, R.", "Rémi Roy")),
    ("family=Roy, given=A=B", ("Roy, A.", "Roy, A=B")),  # a part's value runs to the next part
    ("  Roy, P  ", ("Roy, P.", "Roy, P")),
])
def test_bib_name(raw, pair):
    assert bib_name(raw) == pair


def test_bib_name_with_a_given_name_only():
    assert bib_name("given=Ana")[0] == "Ana"


# ---------------------------------------------------------------- types and ids
@pytest.mark.parametrize("entry, field, expected", [
    (" ARTICLE ", None, "Article"), (" FooBar ", None, "foobar"), ("misc", " PhDThesis ", "Thesis"),
    ("article", " Conference Paper ", "Conference Paper"), ("article", "", "Article"),
])
def test_bibtex_doc_type(entry, field, expected):
    assert bibtex_doc_type(entry, field) == expected


@pytest.mark.parametrize("text, expected", [
    ("https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001&partnerID=40", "scopus:2-s2.0-85000000001"),
    (" 2-s2.0-123 ", "scopus:2-s2.0-123"), ("2-s2.0-abc", None), ("see 2-s2.0-123", None), ("", None), (None, None),
])
def test_scopus_eid(text, expected):
    assert scopus_eid(text) == expected


# ---------------------------------------------------------------- records: Web of Science BibTeX
WOS_ENTRY = r"""@article{ WOS:000000000000009,
Author = {Roy, Pascale and Lee, Kim and {Synthetic Council}},
Title = {A {S}ynthetic {\'E}tude},
Journal = {SYNTHETIC JOURNAL},
Booktitle = {NOT THE JOURNAL},
Type = {Article; Early Access},
Language = {English},
Affiliation = {Roy, Pascale (Corresponding Author), Univ Synthet, Paris, France.
   Roy, Pascale, Univ Synthet, Paris, France.
   Roy, Pascale, UQAM, Montreal, PQ H2X 3Y7, Canada.
   Lee, Kim, Synthetic Inst, Seoul, South Korea.},
EarlyAccessDate = {SEP 2022},
Keywords = {coops, housing;social economy; },
Keywords-Plus = {HOUSING; TENURE},
Times-Cited = {4},
Note = {Cited by: 99},
Unique-ID = {WOS:000000000000009},
}
"""


def test_web_of_science_entry_every_field():
    r = read_bibtex(P, WOS_ENTRY, "utf-8")
    assert (r.format, r.encoding, r.started, r.note, len(r.rejections)) == ("bibtex", "utf-8", 1, "", 0)
    assert _rows(r.records, ["record", "line", "title", "year", "source_title", "doc_type", "language", "cited_by",
                             "author_keywords", "index_keywords", "database_id"]) == [
        [1, 1, "A Synthetic Étude", 2022, "SYNTHETIC JOURNAL", "Article; Early Access", "English", 4,
         "coops, housing; social economy", "HOUSING; TENURE", "wos:000000000000009"]]


def test_web_of_science_entry_affiliations_per_author():
    a = read_bibtex(P, WOS_ENTRY, "utf-8").authorships
    # each author's lines "Last, First, Address." (the corresponding-author line left out); the corporate author
    # keeps its name as written and has no line
    assert _rows(a, ["position", "author", "author_full", "affiliation", "country", "countries"]) == [
        [1, "Roy, P.", "Roy, Pascale", "Univ Synthet, Paris, France", "France", "France; Canada"],
        [2, "Lee, K.", "Lee, Kim", "Synthetic Inst, Seoul, South Korea", "South Korea", "South Korea"],
        [3, "Synthetic Council", "Synthetic Council", None, None, None],
    ]


# ---------------------------------------------------------------- records: Scopus BibTeX
SCOPUS_ENTRY = r"""@ARTICLE{Synth2023a,
author = {Ouellet, Sophie and Martin, Luc},
title = {Synthetic evidence},
year = {2023},
journal = {Synthetic Journal},
affiliations = {Synthetic University, Rimouski, QC, Canada; Univ Synthet, Paris, France; },
author_keywords = {resilience; cooperatives},
keywords = {Cooperative; Resilience},
document_type = {Conference Paper},
abstract = {{\'E}tude synth{\'e}tique.},
doi = {10.5555/SYNTH.B.1},
note = {cited by 8},
url = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001&partnerID=40},
eid = {2-s2.0-85000000002},
}
"""


def test_scopus_entry_every_field_and_ambiguous_addresses():
    r = read_scopus_bib(P, SCOPUS_ENTRY, "utf-8", "a note")
    assert (r.format, r.note) == ("scopus_bib", "a note")
    assert _rows(r.records, ["title", "year", "source_title", "doc_type", "cited_by", "abstract", "doi",
                             "author_keywords", "index_keywords", "database_id"]) == [
        ["Synthetic evidence", 2023, "Synthetic Journal", "Conference Paper", 8, "Étude synthétique.",
         "10.5555/synth.b.1", "resilience; cooperatives", "Cooperative; Resilience", "scopus:2-s2.0-85000000002"]]
    # two addresses for two authors and nothing says whose: each keeps both, and no country
    both = "Synthetic University, Rimouski, QC, Canada; Univ Synthet, Paris, France"
    assert _rows(r.authorships, ["author", "author_full", "affiliation", "country", "countries"]) == [
        ["Ouellet, S.", "Ouellet, Sophie", both, None, None], ["Martin, L.", "Martin, Luc", both, None, None]]


def test_one_address_belongs_to_every_author_and_one_author_keeps_every_address():
    text = ("@article{a,\n  title = {T one},\n  author = {Roy, Pascale and Lee, Kim},\n"
            "  affiliation = {Univ Synthet, Paris, France}\n}\n\n"
            "@article{b,\n  title = {T two},\n  author = {Kim, Sun},\n"
            "  affiliations = {Lab A, Lyon, France; Lab B, Oslo, Norway}\n}\n\n"
            "@article{c,\n  title = {T three},\n  affiliation = {Lab C, Rome, Italy}\n}\n")
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.authorships, ["record", "author", "affiliation", "country", "countries"]) == [
        [1, "Roy, P.", "Univ Synthet, Paris, France", "France", "France"],
        [1, "Lee, K.", "Univ Synthet, Paris, France", "France", "France"],
        [2, "Kim, S.", "Lab A, Lyon, France; Lab B, Oslo, Norway", None, None],  # several addresses: no country
    ]
    assert r.records["record"].tolist() == [1, 2, 3]


def test_biblatex_and_older_field_names():
    text = ("@inproceedings{a,\n  title = {Proceedings paper},\n  date = {2019-05-01},\n"
            "  booktitle = {Synthetic Proceedings},\n  series = {Not the book},\n  langid = {french},\n"
            "  keywords = {économie sociale, coopératives},\n  citations = {6},\n"
            "  note = {Cited by: 9},\n  unique-id = {12345},\n  url = {https://example.org/eid=2-s2.0-77}\n}\n\n"
            "@book{b,\n  title = {A book},\n  year = {2018},\n  series = {Synthetic Series},\n"
            "  journaltitle = {Synthetic Journal Title},\n  note = {no count here}\n}\n\n"
            "@misc{c,\n  title = {A page},\n  series = {Synthetic Series},\n  cited-by = {2},\n"
            "  keywords-plus = {NOT; USED}\n}\n")
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.records, ["year", "source_title", "doc_type", "language", "cited_by", "author_keywords",
                             "index_keywords", "database_id"]) == [
        [2019, "Synthetic Proceedings", "Conference paper", "french", 6, "économie sociale; coopératives", None,
         "scopus:2-s2.0-77"],
        [2018, "Synthetic Journal Title", "Book", None, None, None, None, None],
        [None, "Synthetic Series", "Document", None, 2, None, "NOT; USED", None],
    ]


def test_a_blank_title_is_no_title():
    r = read_bibtex(P, "@article{a,\n  title = {  },\n  year = {2020}\n}\n", "utf-8")
    assert _rows(r.rejections, ["record", "line", "code"]) == [[1, 1, "no_title"]] and r.records.empty


# ---------------------------------------------------------------- the ledger: repairs and rejections
def test_duplicate_keys_are_both_read():
    text = ("@article{same,\n  title = {First synthetic},\n  year = {2020}\n}\n\n"
            "@article{same,\n  title = {Second synthetic},\n  year = {2021}\n}\n")
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.records, ["record", "line", "title"]) == [[1, 1, "First synthetic"], [2, 6, "Second synthetic"]]
    assert (r.note, len(r.rejections), r.started) == ("", 0, 2)


def test_a_macro_defined_twice_is_no_record(tmp_path):
    """Two exports joined, each defining the same @string macro: before, the second definition was counted as a
    rejected record and read_file refused the file (1 record started, 2 accounted for). Now it is no record."""
    text = ("@string{jn = {Synthetic Journal}}\n@string{jn = {Synthetic Journal}}\n"
            "@article{b,\n  title = {T},\n  journal = jn\n}\n")
    (tmp_path / "macros.bib").write_text(text, encoding="utf-8")
    r = read_file(tmp_path / "macros.bib")
    assert (r.read, len(r.records), len(r.rejections)) == (1, 1, 0)
    assert _rows(r.records, ["record", "line", "title", "source_title"]) == [[1, 3, "T", "Synthetic Journal"]]


def test_missing_final_brace_is_repaired_and_noted_after_the_decoding_note():
    text = ("@article{a,\n  title = {First synthetic},\n  year = {2020}\n\n"
            "@article{b,\n  title = {Second synthetic},\n  year = {2021}\n}\n")
    r = read_bibtex(P, text, "utf-8", "decoded as cp1252")
    assert _rows(r.records, ["record", "line", "title", "year"]) == [[1, 1, "First synthetic", 2020],
                                                                    [2, 5, "Second synthetic", 2021]]
    assert r.note == "decoded as cp1252; 1 entry(ies) with a stray or missing brace repaired"


def test_two_repairs_are_counted_and_named_in_order():
    text = ("@article{Key,With,Commas,\n  title = {First synthetic},\n  year = {2020}\n}\n\n"
            "@article{b,\n  title = {Second synthetic}},\n  year = {2021}\n}\n\n"
            "@article{c,\n  title = {Third synthetic}},\n  year = {2022}\n}\n")
    r = read_bibtex(P, text, "utf-8", "n0")
    assert r.records["year"].tolist() == [2020, 2021, 2022]
    assert r.note == ("n0; 2 entry(ies) with a stray or missing brace repaired; "
                      "1 entry key(s) with commas repaired")


def test_key_with_commas_ends_at_the_next_entry():
    text = "@article{A,B,\n  title = {T},\n  year = {2020}\n}\n@article{c,\n  title = {U}\n}\n"
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.records, ["record", "line", "title", "year"]) == [[1, 1, "T", 2020], [2, 5, "U", None]]
    assert r.note == "1 entry key(s) with commas repaired"


def test_a_braced_web_of_science_id():
    text = "@article{a,\n title = {T},\n unique-id = {{WOS:12345X}}\n}\n"
    assert read_bibtex(P, text, "utf-8").records["database_id"].tolist() == ["wos:12345X"]


def test_no_repair_when_braces_stay_open_at_the_end():
    """The brace count ends two deep (two "{" inside a quoted value): where the entry ends is unknown, so the stray
    brace is not repaired and the entry is rejected, even though a parser might read it."""
    text = '@article{a,\n title = {T}},\n note = "x {{ y",\n year = {2020}\n}\n'
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.rejections, ["record", "line", "code"]) == [[1, 1, "bibtex_stray_brace"]] and r.records.empty


def test_an_escaped_brace_is_not_the_stray_one():
    text = "@article{b,\n  title = {Cost \\} of braces}},\n  year = {2021}\n}\n"
    r = read_bibtex(P, text, "utf-8")
    assert (len(r.records), len(r.rejections), r.records["year"].tolist()) == (1, 0, [2021])
    assert r.records["title"].iloc[0].startswith("Cost ") and r.records["title"].iloc[0].endswith(" of braces")


def test_a_value_never_closed_is_a_syntax_error_with_its_first_line():
    text = ("@article{b, title = {Open {never closed,\n  year = {2021}\n\n"
            "@article{c,\n  title = {C},\n  year = {2022}\n}\n")
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.records, ["record", "line", "title"]) == [[2, 4, "C"]]
    head = "@article{b, title = {Open {never closed,"  # the whole first line, spaces and all
    assert _rows(r.rejections, ["record", "line", "code", "reason", "detail"]) == [
        [1, 1, "bibtex_syntax_error", f"BibTeX syntax error in entry starting '{head}'", json.dumps({"entry": head})]]


def test_an_entry_start_the_parser_has_no_block_for_is_unread():
    """The last resort of _settle: no block at a counted start, nothing to repair."""
    assert _settle(None, "@article{x, nope}", False, "@article{x, nope}\n", 0) == (
        None, ("bibtex_unread_entry", {}), "")


def test_a_parser_failure_is_an_error_naming_the_file(monkeypatch):
    def broken(text):
        raise RuntimeError("synthetic parser failure")

    monkeypatch.setattr(bibtexparser, "parse_string", broken)
    with pytest.raises(InputFormatError) as err:
        read_bibtex(P, WOS_ENTRY, "utf-8")
    assert (err.value.message, err.value.path) == ("BibTeX cannot be parsed (synthetic parser failure)", str(P))


def test_no_entry_is_an_error_and_the_parser_logger_is_left_as_it_was():
    logger = logging.getLogger("bibtexparser")
    before = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with pytest.raises(InputFormatError, match=r"no BibTeX entry found \(expected lines like '@article\{key,'\)") \
                as err:
            read_bibtex(P, "% only a comment\n", "utf-8")
        assert err.value.line == 1
        read_bibtex(P, WOS_ENTRY, "utf-8")
        assert logger.level == logging.WARNING
    finally:
        logger.setLevel(before)


def test_a_stray_brace_in_the_first_entry_after_a_bom():
    r = read_bibtex(P, "\ufeff@article{a,\n title = {T}},\n year = {2020}\n}\n", "utf-8")
    assert _rows(r.records, ["record", "line", "title", "year"]) == [[1, 1, "T", 2020]]
    assert r.note == "1 entry(ies) with a stray or missing brace repaired"


def test_a_stray_brace_that_would_lose_a_field_is_rejected_as_such():
    text = ("@article{stray2021,\n  title = {Synthetic cooperatives} and their members}},\n  note = {x = {y}\n"
            "  author = {Roy, Pascale and Lee, Kim},\n  year = {2021}\n}\n")
    r = read_bibtex(P, text, "utf-8")
    assert _rows(r.rejections, ["record", "line", "code", "reason", "detail"]) == [
        [1, 1, "bibtex_stray_brace",
         "a stray '}' ends the entry early and the fields after it could not be recovered", None]]


def test_key_with_commas_but_no_title_is_not_repaired():
    r = read_bibtex(P, "@article{A,B,\n year = {2020}\n}\n", "utf-8")
    assert _rows(r.rejections, ["record", "line", "code", "reason"]) == [
        [1, 1, "bibtex_syntax_error", "BibTeX syntax error in entry starting '@article{A,B'"]]
    assert r.note == ""


def test_syntax_error_names_the_first_80_characters():
    key = "k" * 100
    r = read_bibtex(P, "@article{" + key + ",\n  title = {Open {never closed,\n  year = {2021}\n", "utf-8")
    head = ("@article{" + key)[:80]
    assert r.rejections["detail"].tolist() == ['{"entry": "' + head + '"}']


def test_an_entry_not_at_a_line_start_is_still_read():
    """bibtexparser reads an entry the independent count does not start (text before "@" on its line): kept, so
    that the ledger check of read_file names the difference."""
    r = read_bibtex(P, "junk @article{a,\n title = {T}\n}\n", "utf-8")
    assert (r.records["title"].tolist(), r.started) == (["T"], 0)
    # such an entry cut by a stray brace is repaired from its own line only: rejected
    for text in ("junk @article{a,\n title = {T}},\n year = {2020}\n}\n",
                 "junk @article{a, title = {T}},\n year = {2020}\n}\n"):
        r = read_bibtex(P, text, "utf-8")
        assert _rows(r.rejections, ["record", "line", "code"]) == [[1, 1, "bibtex_stray_brace"]] and r.records.empty


def test_an_address_line_without_a_space_after_the_name():
    text = ("@article{a,\n title = {T},\n author = {Roy, Pascale and Lee, Kim},\n"
            " affiliation = {Roy, Pascale,Univ Synthet, Paris, France.\n   Lee, Kim, Lab, Oslo, Norway.}\n}\n")
    a = read_bibtex(P, text, "utf-8").authorships
    assert a["affiliation"].tolist() == ["Univ Synthet, Paris, France", "Lab, Oslo, Norway"]


def test_parser_warnings_are_ledger_rejections_not_log_records(caplog):
    with caplog.at_level(logging.DEBUG):
        r = read_bibtex(P, "@article{a,\n title {T}\n}\n", "utf-8")
    assert r.rejections["code"].tolist() == ["bibtex_syntax_error"]
    assert [rec for rec in caplog.records if rec.name.startswith("bibtexparser")] == []


# ---------------------------------------------------------------- real export: BibTeX agrees with plain text
def test_real_wos_bibtex_agrees_with_the_plain_text_export():
    """The same 103 Web of Science records exported as BibTeX and as plain text (mirror): the BibTeX reader and the
    independent plain-text reader give the same full author names, sources, types, languages, keywords and
    accession ids, record by record."""
    mirror = default_mirror()
    folder = (mirror / "corpora" / "pluriverse_wos_same_records") if mirror else None
    if folder is None or not folder.exists():
        pytest.skip("pluriverse_wos_same_records not available (no data mirror)")
    bib, txt = read_file(folder / "savedrecs.bib"), read_file(folder / "savedrecs.txt")
    columns = ["record", "source_title", "doc_type", "language", "author_keywords", "index_keywords", "database_id"]
    assert _rows(bib.records, columns) == _rows(txt.records, columns)
    columns = ["record", "position", "author_full"]
    assert len(bib.authorships) == 189 and _rows(bib.authorships, columns) == _rows(txt.authorships, columns)
    # record 1 (read off the file): Kotze's three addresses after the corresponding-author lines, Adelman's one
    first = bib.authorships[bib.authorships["record"] == 1]
    assert _rows(first, ["author", "affiliation"]) == [
        ["Kotze, L.J.", "North West Univ, Fac Law, 11 Hoffman St, ZA-2521 Potchefstroom, South Africa"],
        ["Adelman, S.", "Univ Warwick, Sch Law, Coventry CV4 7AL, W Midlands, England"]]
    assert first["countries"].tolist()[0].split("; ")[0] == "South Africa"
    assert first["countries"].tolist()[0].count("; ") == 2
