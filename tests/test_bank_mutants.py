"""Bank rules the mutants of issue 21 could break unnoticed: the ledger's counts by kind (two DOI duplicates and one
title duplicate, a rejection with its reason), merged authorships filled from the other copy, the duplicates table,
Bank.filter at its year edges, languages and parameter errors (asserted by message), validate's messages, the
methods' defaults and arguments, the inputs and the Parquet reader of older banks.

Synthetic exports written to tmp_path by the tests (invented titles, people, institutions; DOIs with the 10.5555
test prefix).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import vigie
from analysis.core.errors import DataIntegrityError, InputFormatError, ParameterError, SchemaError
from analysis.vigie import bank as bk

# Four RIS records, the third without a title (rejected). X and Y carry DOIs, Z none.
RIS = """\
TY  - JOUR
AU  - Tremblay, Marie
AU  - Gagnon, Élise
TI  - Synthetic worker cooperatives in the regions of Quebec
T2  - Synthetic Review of Cooperation
PY  - 2020
DO  - 10.5555/mut.x
LA  - French
KW  - worker cooperatives
ER  -

TY  - JOUR
AU  - Roy, Pascale
TI  - Synthetic food hubs and short supply chains
T2  - Synthetic Food Journal
PY  - 2021
DO  - 10.5555/mut.y
LA  - English
ER  -

TY  - JOUR
AU  - Nobody, Ned
PY  - 2021
ER  -

TY  - JOUR
AU  - Lee, Kim
AU  - Smith, John
TI  - Synthetic solidarity finance in rural regions
T2  - Synthetic Food Journal
PY  - 2022
LA  - English
ER  -
"""

SCOPUS_HEAD = ("Authors,Author full names,Author(s) ID,Title,Year,Source title,Cited by,DOI,Affiliations,"
               "Authors with affiliations,Abstract,Author Keywords,Index Keywords,Language of Original Document,"
               "Document Type,EID\n")
# Copies of X (its DOI in capitals) and Y (as a doi.org link), a DOI-less copy of Z (its title without a final "s",
# one year earlier, the second author's family name hyphenated), a new work W, and X's title under another DOI (an
# erratum: kept apart as a related pair).
SCOPUS = SCOPUS_HEAD + (
    'Tremblay M.; Gagnon É.,"Tremblay, Marie (901); Gagnon, Élise (902)",901; 902,'
    'Synthetic worker cooperatives in the regions of Quebec,2020,Synthetic Review of Cooperation,4,10.5555/MUT.X,'
    '"Synthetic College, Quebec, QC, Canada; Synthetic School, Paris, France",'
    '"Tremblay M., Synthetic College, Quebec, QC, Canada; Gagnon É., Synthetic School, Paris, France",'
    ',,,French,Article,2-s2.0-mut1\n'
    'Roy P.,"Roy, Pascale (903)",903,Synthetic food hubs and short supply chains,2021,Synthetic Food Journal,2,'
    'https://doi.org/10.5555/mut.y,"Synthetic Institute, Rimouski, QC, Canada",'
    '"Roy P., Synthetic Institute, Rimouski, QC, Canada",,,,English,Article,2-s2.0-mut2\n'
    'Lee K.; Smith-Jones J.,"Lee, Kim (904); Smith-Jones, John (905)",904; 905,'
    'Synthetic solidarity finance in rural region,2021,Synthetic Food Journal,0,,'
    '"Synthetic Institute, Seoul, South Korea",'
    '"Lee K., Synthetic Institute, Seoul, South Korea; Smith-Jones J., Synthetic Institute, Seoul, South Korea",'
    ',,,English,Article,2-s2.0-mut3\n'
    'Côté M.,"Côté, Marc (906)",906,Synthetic credit unions of the north shore,2019,Synthetic Review of Cooperation,'
    '1,10.5555/mut.w,"Synthetic College, Quebec, QC, Canada","Côté M., Synthetic College, Quebec, QC, Canada",'
    ',,,French,Article,2-s2.0-mut4\n'
    'Tremblay M.,"Tremblay, Marie (901)",901,Synthetic worker cooperatives in the regions of Quebec,2020,'
    'Synthetic Review of Cooperation,0,10.5555/mut.x2,"Synthetic College, Quebec, QC, Canada",'
    '"Tremblay M., Synthetic College, Quebec, QC, Canada",,,,English,Erratum,2-s2.0-mut5\n'
)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    (folder / "a.ris").write_text(RIS, encoding="utf-8")
    (folder / "b.csv").write_text(SCOPUS, encoding="utf-8")
    return folder / "a.ris", folder / "b.csv"


@pytest.fixture
def bank(files):
    # built in each test (a tenth of a second): a module-scoped bank would tie the build to the first test only, and
    # mutmut runs only the tests it saw call a mutated function
    return vigie.build_bank(list(files))


# ---- ledger, rejections, duplicates, merged authorships ----------------------------------------------------------

def test_ledger_counts_by_kind(bank):
    led = bank.ledger
    # a.ris: 4 records read, 3 kept, the untitled one rejected; b.csv: 5 read, 2 merged by DOI and 1 by title, 2 kept
    # (W and the erratum)
    assert led[["file", "format", "read", "kept", "merged", "rejected", "repaired"]].values.tolist() == [
        ["a.ris", "ris", 4, 3, 0, 1, 0], ["b.csv", "scopus_csv", 5, 2, 3, 0, 0]]
    assert repr(bank) == "<Bank: 5 works from 2 files, 7 authorships, 1 keyword rows, 3 merged, 1 rejected>"


def test_rejection_with_file_line_and_reason(bank):
    assert bank.rejections[["file", "record", "line", "code", "reason"]].values.tolist() == [
        ["a.ris", 3, 21, "no_title", "record has no title"]]


def test_duplicates_two_by_doi_one_by_title(bank):
    dup = bank.duplicates
    assert dup[["kept_work_id", "merged_file", "merged_record", "rule", "kept_file", "kept_record"]].values.tolist() \
        == [["W00001", "b.csv", 1, "doi", "a.ris", 1], ["W00002", "b.csv", 2, "doi", "a.ris", 2],
            ["W00003", "b.csv", 3, "title_year_author", "a.ris", 4]]
    assert dup["rule"].value_counts().to_dict() == {"doi": 2, "title_year_author": 1}
    # title ratio of "...rural regions" (45 characters folded) and "...rural region" (44): (1 - 1/89) x 100 = 98.876,
    # kept to one decimal; a DOI match scores 100
    assert dup["score"].tolist() == [100.0, 100.0, 98.9]
    # the erratum: same title as X, another DOI: a related pair, not a merge
    assert bank.related.astype(object).values.tolist() == [
        ["W00001", "a.ris", 1, "W00005", "b.csv", 5, "different_doi", 100.0]]
    assert list(bank.related.columns) == bk.RELATED_COLUMNS


def test_every_table_has_its_dtypes_even_empty(bank, files):
    one = vigie.build_bank([files[0]])  # no duplicate, no related pair: empty tables
    assert one.duplicates.empty and one.related.empty
    for b in (bank, one):
        for name in bk.Bank.TABLES:
            assert [str(t) for t in getattr(b, name).dtypes] == list(bk.DTYPES[name].values()), name


def test_forced_format_is_used(files):
    with pytest.raises(InputFormatError) as err:
        vigie.build_bank([files[0]], {"a.ris": "bibtex"})  # RIS text read as BibTeX: refused, not detected
    assert err.value.one_line() == "a.ris:1: no BibTeX entry found (expected lines like '@article{key,')"
    assert vigie.build_bank([files[0]], {"a.ris": "ris"}).ledger["format"].tolist() == ["ris"]


def test_works_in_input_order_with_their_origins(bank):
    w = bank.works
    assert w["work_id"].tolist() == ["W00001", "W00002", "W00003", "W00004", "W00005"]
    assert w["origins"].tolist() == ["a.ris#1; b.csv#1", "a.ris#2; b.csv#2", "a.ris#4; b.csv#3", "b.csv#4", "b.csv#5"]
    assert w["n_authors"].tolist() == [2, 1, 2, 1, 1]
    assert w["year"].tolist() == [2020, 2021, 2022, 2019, 2020]  # the kept record's year (2022, not 2021)
    assert w["cited_by"].tolist() == [4, 2, 0, 1, 0]  # RIS gives none: the maximum is the Scopus count
    for column, dtype in bk.DTYPES["works"].items():
        assert str(w[column].dtype) == dtype or (dtype == "string" and isinstance(w[column].dtype, pd.StringDtype))


def test_merged_authorships_take_ids_affiliations_and_countries_from_the_other_copy(bank):
    a = bank.authorships
    # the RIS copy is kept (first file); its authors have no id and no address (RIS gives one address only to a
    # record with one author): ids, addresses and countries come from the Scopus copy, position by position, where
    # the family name agrees (Smith and Smith-Jones do not: nothing is filled)
    assert a[["work_id", "position", "author", "author_full", "author_id", "affiliation", "country",
              "countries"]].astype(object).where(a.notna(), None).values.tolist() == [
        ["W00001", 1, "Tremblay, M.", "Tremblay, Marie", "901", "Synthetic College, Quebec, QC, Canada", "Canada",
         "Canada"],
        ["W00001", 2, "Gagnon, É.", "Gagnon, Élise", "902", "Synthetic School, Paris, France", "France", "France"],
        ["W00002", 1, "Roy, P.", "Roy, Pascale", "903", "Synthetic Institute, Rimouski, QC, Canada", "Canada",
         "Canada"],
        ["W00003", 1, "Lee, K.", "Lee, Kim", "904", "Synthetic Institute, Seoul, South Korea", "South Korea",
         "South Korea"],
        ["W00003", 2, "Smith, J.", "Smith, John", None, None, None, None],
        ["W00004", 1, "Côté, M.", "Côté, Marc", "906", "Synthetic College, Quebec, QC, Canada", "Canada", "Canada"],
        ["W00005", 1, "Tremblay, M.", "Tremblay, Marie", "901", "Synthetic College, Quebec, QC, Canada", "Canada",
         "Canada"],
    ]


# ---- Bank.filter ---------------------------------------------------------------------------------------------------

def _selection_bank() -> bk.Bank:
    """Seven synthetic works: years 2009–2014 and one unknown, languages in varied case, one unknown, one in two."""
    works = bk._empty("works")
    ids = [f"W0000{i}" for i in range(1, 8)]
    works = pd.DataFrame({c: pd.Series([None] * 7, dtype=works[c].dtype) for c in works.columns})
    works["work_id"] = pd.array(ids, dtype="string")
    works["title"] = pd.array([f"Synthetic title {i}" for i in range(1, 8)], dtype="string")
    works["year"] = pd.array([2010, 2011, 2012, None, 2013, 2014, 2009], dtype="Int64")
    works["language"] = pd.array(["English", "French", "English; French", "ENGLISH", None, "Spanish", "Spanish"],
                                 dtype="string")
    authorships = pd.DataFrame({"work_id": pd.array(["W00001", "W00002", "W00005", "W00005"], dtype="string"),
                                "position": pd.array([1, 1, 1, 2], dtype="Int64")})
    keywords = pd.DataFrame({"work_id": pd.array(["W00003", "W00006"], dtype="string"),
                             "keyword": pd.array(["a", "b"], dtype="string")})
    return dataclasses.replace(bk.empty_bank(), works=works, authorships=authorships, work_keywords=keywords)


@pytest.mark.parametrize("kwargs, kept, counts", [
    # bounds inclusive; the unknown year is out once a bound is set; W00007 (2009, Spanish) counts as out of years
    # only; "english" matches "English; French" and "ENGLISH"; the unknown language is kept and counted
    ({"year_min": 2010, "year_max": 2013, "languages": ["english"]}, [1, 3, 5], (3, 1, 1)),
    ({"languages": "French"}, [2, 3, 5], (0, 4, 1)),        # one language as a string; no bound: W00004 stays
    ({"languages": ["french", " spanish "]}, [2, 3, 5], (0, 4, 1)),  # a language is not trimmed: " spanish " no
    ({"languages": ["Spanish", "french"]}, [2, 3, 5, 6, 7], (0, 2, 1)),
    ({"year_min": 2012}, [3, 5, 6], (4, 0, 0)),
    ({"year_max": 2010}, [1, 7], (5, 0, 0)),
    ({"year_min": np.int64(2013), "year_max": np.int64(2013)}, [5], (6, 0, 0)),
    ({}, [1, 2, 3, 4, 5, 6, 7], (0, 0, 0)),
    ({"languages": []}, [1, 2, 3, 4, 5, 6, 7], (0, 0, 0)),  # empty: every language, nothing counted as unknown
])
def test_filter_window_by_hand(kwargs, kept, counts):
    b = _selection_bank()
    sel = b.filter(**kwargs)
    ids = [f"W0000{i}" for i in kept]
    assert sel.works["work_id"].tolist() == ids and sel.works.index.tolist() == list(range(len(ids)))
    out_of_years, other_language, unknown = counts
    assert sel.window == {"before": 7, "kept": len(ids), "out_of_years": out_of_years,
                          "other_language": other_language, "unknown_language_kept": unknown}
    assert sel.authorships["work_id"].tolist() == [w for w in ["W00001", "W00002", "W00005", "W00005"] if w in ids]
    assert sel.authorships.index.tolist() == list(range(len(sel.authorships)))
    assert sel.work_keywords["work_id"].tolist() == [w for w in ["W00003", "W00006"] if w in ids]
    assert sel.work_keywords.index.tolist() == list(range(len(sel.work_keywords)))
    assert sel.ledger is b.ledger and b.window is None and len(b.works) == 7


def test_filter_bank_returns_the_counts_apart():
    sel, counts = bk.filter_bank(_selection_bank(), 2011, 2012)
    assert sel.window is None and sel.works["work_id"].tolist() == ["W00002", "W00003"]
    assert counts == {"before": 7, "kept": 2, "out_of_years": 5, "other_language": 0, "unknown_language_kept": 0}


@pytest.mark.parametrize("kwargs, message", [
    ({"year_min": True}, "[year_min] expected a whole number or None, got True"),
    ({"year_max": 2012.0}, "[year_max] expected a whole number or None, got 2012.0"),
    ({"year_min": 2010, "year_max": "2012"}, "[year_max] expected a whole number or None, got '2012'"),
    ({"year_max": False}, "[year_max] expected a whole number or None, got False"),
])
def test_filter_parameter_errors(kwargs, message):
    with pytest.raises(ParameterError) as err:
        _selection_bank().filter(**kwargs)
    assert err.value.one_line() == message


def test_filter_bank_needs_a_bank():
    b = _selection_bank()
    with pytest.raises(ParameterError) as err:
        bk.filter_bank(b.works, 2010)
    assert err.value.one_line().startswith("[bank] expected a Bank (from vigie.build_bank), got a DataFrame")


# ---- validate, repr ------------------------------------------------------------------------------------------------

def test_repr_counts_files_in_the_singular_and_an_empty_bank(files):
    assert repr(vigie.empty_bank()) == "<Bank: 0 works from 0 files, 0 authorships, 0 keyword rows, 0 merged, " \
                                       "0 rejected>"
    one = vigie.build_bank([files[0]])
    assert repr(one) == "<Bank: 3 works from 1 file, 5 authorships, 1 keyword rows, 0 merged, 1 rejected>"


def test_validate_messages(bank):
    unbalanced = dataclasses.replace(bank, ledger=bank.ledger.assign(read=pd.array([5, 4], dtype="Int64")))
    with pytest.raises(DataIntegrityError) as err:
        unbalanced.validate()
    assert err.value.message == "ledger does not balance: read 5 != kept 3 + merged 0 + rejected 1"
    assert err.value.path == "a.ris"
    second = dataclasses.replace(bank, ledger=bank.ledger.assign(merged=pd.array([0, 2], dtype="Int64")))
    with pytest.raises(DataIntegrityError) as err:
        second.validate()
    assert err.value.message == "ledger does not balance: read 5 != kept 2 + merged 2 + rejected 0"
    assert err.value.path == "b.csv"
    # a ledger that balances but keeps more records than there are works
    more = dataclasses.replace(bank, ledger=bank.ledger.assign(kept=pd.array([3, 3], dtype="Int64"),
                                                             merged=pd.array([0, 2], dtype="Int64")))
    with pytest.raises(DataIntegrityError) as err:
        more.validate()
    assert err.value.message == "ledger keeps 6 records but works has 5 rows"
    bad_id = dataclasses.replace(bank, works=bank.works.assign(work_id=pd.array(["W1", "W00002", "W00003",
                                                                                 "W00004", "W00005"], dtype="string")))
    with pytest.raises(SchemaError) as err:
        bad_id.validate()
    assert err.value.message == ("table 'works' breaks its schema: Column 'work_id' failed element-wise validator "
                                 "number 0: str_matches('^W\\d{5,}$') failure cases: W1")
    no_string = dataclasses.replace(bank, authorships=bank.authorships.astype({"author": object}))
    with pytest.raises(SchemaError) as err:
        no_string.validate()
    assert err.value.message.startswith("table 'authorships' breaks its schema: ")
    assert "must have the pandas 'string' dtype" in err.value.message


def test_validate_related_by_hand(bank):
    wrong_rule = bank.related.copy()
    wrong_rule.loc[0] = ["W00001", "a.ris", 1, "W00002", "a.ris", 2, "bogus", 90.0]
    with pytest.raises(SchemaError) as err:
        dataclasses.replace(bank, related=wrong_rule).validate()
    assert err.value.message == ("table 'related' breaks its schema: columns ['work_id_a', 'file_a', 'record_a', "
                                 "'work_id_b', 'file_b', 'record_b', 'rule', 'score'], rules ['bogus'] unknown")
    known = wrong_rule.assign(rule="years_differ")
    dataclasses.replace(bank, related=known).validate()  # a known rule passes
    every = pd.concat([known] * 7, ignore_index=True).assign(rule=list(vigie.dedupe.RELATED_RULES))
    dataclasses.replace(bank, related=every).validate()  # and so do all seven together
    with pytest.raises(SchemaError) as err:
        dataclasses.replace(bank, related=bank.related.drop(columns="score")).validate()
    assert err.value.message.startswith("table 'related' breaks its schema: columns ['work_id_a', 'file_a', "
                                        "'record_a', 'work_id_b', 'file_b', 'record_b', 'rule'], rules [] unknown")


@pytest.mark.parametrize("change", ["order", "negative", "float", "missing_count", "object_text", "missing_text"])
def test_validate_checks_the_ledger(bank, change):
    led = bank.ledger.copy()
    if change == "order":
        led = led[list(reversed(bk.LEDGER_COLUMNS))]
    elif change == "negative":
        led["repaired"] = pd.array([0, -1], dtype="Int64")
    elif change == "float":
        led["repaired"] = led["repaired"].astype(float)
    elif change == "missing_count":
        led["repaired"] = pd.array([0, None], dtype="Int64")
    elif change == "object_text":
        led["note"] = led["note"].astype(object)
    else:
        led["note"] = pd.array(["", None], dtype="string")
    assert not bk._ledger_looks_right(led)
    with pytest.raises(SchemaError) as err:
        dataclasses.replace(bank, ledger=led).validate()
    assert err.value.message.startswith("table 'ledger' breaks its schema: ")


def test_ledger_looks_right_on_a_good_ledger(bank):
    assert bk._ledger_looks_right(bank.ledger)
    assert bk._ledger_looks_right(bk.empty_bank().ledger)


# ---- inputs --------------------------------------------------------------------------------------------------------

def test_bank_inputs_names_and_forced_formats(files, tmp_path):
    ris, csv = files
    (tmp_path / "other").mkdir()
    copy = tmp_path / "other" / "a.ris"
    copy.write_text(RIS, encoding="utf-8")
    got = bk.bank_inputs((ris, str(csv), copy), {"a.ris": "ris", str(csv): "", str(copy): "bibtex"})
    # the first key that names a file wins: its entry as given, then its resolved path, then its name; an empty
    # format is no format
    assert got == [("a.ris", ris, "ris"), ("b.csv", csv, None), ("other/a.ris", copy, "bibtex")]
    assert bk.bank_inputs(str(ris)) == [("a.ris", ris, None)]
    assert bk.bank_inputs([ris], {ris.name: "ris", str(ris): "scopus_csv"}) == [("a.ris", ris, "scopus_csv")]


@pytest.mark.parametrize("paths, formats, message", [
    ({"a.ris"}, None, "[paths] expected a list or tuple, got a set (a list of export files)"),
    (["a.ris"], ["ris"], "[formats] expected a dict, got a list (a mapping file → format)"),
    ([3], None, "[paths] expected a str or Path, got a int (each item is a file path)"),
])
def test_bank_inputs_parameter_errors(paths, formats, message):
    with pytest.raises(ParameterError) as err:
        bk.bank_inputs(paths, formats)
    assert err.value.one_line() == message


def test_no_input_file_message():
    with pytest.raises(InputFormatError) as err:
        bk.bank_inputs([])
    assert err.value.one_line() == "no input file given"
    with pytest.raises(InputFormatError):
        bk.bank_inputs(())


def test_cache_key_and_cached_build(files, tmp_path):
    key = bk.cache_key(list(files))
    assert len(key) == 64 and set(key) <= set("0123456789abcdef")
    assert bk.cache_key(list(files)) == key
    assert bk.cache_key(list(files), {"a.ris": "ris"}) != key  # a forced format is part of the key
    assert bk.cache_key([files[0]]) != key
    first = vigie.build_bank(list(files), cache=tmp_path / "banks")
    assert (tmp_path / "banks" / key / "works.parquet").is_file()
    again = vigie.build_bank(list(files), cache=tmp_path / "banks")
    for name in bk.Bank.TABLES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name), check_dtype=False)
    # a hit reads the stored tables: a title changed in the store comes back
    stored = pd.read_parquet(tmp_path / "banks" / key / "works.parquet")
    stored.loc[0, "title"] = "Synthetic title changed in the cache"
    stored.to_parquet(tmp_path / "banks" / key / "works.parquet", index=False)
    hit = vigie.build_bank(list(files), cache=tmp_path / "banks")
    assert hit.works.loc[0, "title"] == "Synthetic title changed in the cache"
    # a damaged entry is built again and replaced
    (tmp_path / "banks" / key / "works.parquet").unlink()
    rebuilt = vigie.build_bank(list(files), cache=tmp_path / "banks")
    assert len(rebuilt.works) == 5 and (tmp_path / "banks" / key / "works.parquet").is_file()
    # without cache nothing is written
    vigie.build_bank([files[0]], cache=False)
    vigie.build_bank([files[0]], cache=None)
    assert [p.name for p in (tmp_path / "banks").iterdir() if not p.name.startswith(".")] == [key]


# ---- Parquet: banks written by earlier versions ----------------------------------------------------------------------

def test_read_parquet_fills_what_older_banks_lack(bank, tmp_path):
    folder = tmp_path / "old"
    bk.write_parquet(bank, folder)
    (folder / "related.parquet").unlink()
    pd.read_parquet(folder / "authorships.parquet").drop(columns="countries").to_parquet(
        folder / "authorships.parquet", index=False)
    pd.read_parquet(folder / "ledger.parquet").drop(columns="repaired").to_parquet(folder / "ledger.parquet",
                                                                                     index=False)
    pd.read_parquet(folder / "duplicates.parquet").drop(columns=["kept_file", "kept_record"]).to_parquet(
        folder / "duplicates.parquet", index=False)
    old = bk.read_parquet(folder)
    assert old.related.empty and list(old.related.columns) == bk.RELATED_COLUMNS
    assert old.authorships["countries"].tolist() == old.authorships["country"].tolist()
    assert old.ledger["repaired"].tolist() == [0, 0] and str(old.ledger["repaired"].dtype) == "Int64"
    assert old.duplicates["kept_file"].isna().all() and old.duplicates["kept_record"].isna().all()
    assert str(old.duplicates["kept_record"].dtype) == "Int64" and str(old.duplicates["kept_file"].dtype) == "string"
    assert str(old.authorships["countries"].dtype) == "string"
    assert list(old.duplicates.columns) == bk.DUPLICATE_COLUMNS
    (folder / "works.parquet").unlink()
    with pytest.raises(InputFormatError) as err:
        bk.read_parquet(folder)
    assert err.value.message == "bank table works.parquet is missing"


def test_write_parquet_needs_a_bank(tmp_path):
    with pytest.raises(ParameterError) as err:
        bk.write_parquet(pd.DataFrame(), tmp_path)
    assert err.value.one_line() == ("[bank] expected a Bank, got a DataFrame with no columns (build it with "
                                    "vigie.build_bank())")


# ---- the methods: defaults and arguments passed on ---------------------------------------------------------------

TOPICS = ["digital", "energy", "food", "housing", "health", "climate"]
ALIASES = "province_patterns: [qc]\ninstitutions:\n  - {name: Alpha, aliases: [Alpha Univ]}\n"


@pytest.fixture(scope="module")
def big() -> bk.Bank:
    """60 synthetic works (made here): 12 sources, 61 authors in a chain of co-authorships plus one author on the
    first six works, 50 author keywords, six topics in the titles, years 2000–2009."""
    n = 60
    works = pd.DataFrame({
        "work_id": [f"W{i + 1:05d}" for i in range(n)], "doi": [None] * n,
        "title": [f"Synthetic {TOPICS[i % 6]} study {i}" for i in range(n)],
        "year": [2000 + i % 10 for i in range(n)],
        "source_title": [f"Synthetic Journal {i % 12:02d}" for i in range(n)],
        "doc_type": ["Article"] * n, "language": ["English"] * n, "cited_by": [i % 7 for i in range(n)],
        "abstract": [None] * n, "author_keywords": [f"kw{i % 50:02d}; kw{(i + 1) % 50:02d}" for i in range(n)],
        "index_keywords": [f"ix{i % 3}" for i in range(n)], "origins": [f"x.ris#{i + 1}" for i in range(n)],
        "n_authors": [3 if i < 6 else 2 for i in range(n)],
    })
    works = works.astype(bk.DTYPES["works"])
    rows = []
    for i in range(n):
        rows.append((works["work_id"][i], 1, f"Au{i:02d}, A.", "Alpha Univ, Montreal, QC", ["Canada", "France",
                                                                                            "Japan"][i % 3]))
        rows.append((works["work_id"][i], 2, f"Au{i + 1:02d}, A.", None, "Canada"))
        if i < 6:
            rows.append((works["work_id"][i], 3, "Hub, H.", "Alpha Univ, Montreal, QC", "Canada"))
    a = pd.DataFrame(rows, columns=["work_id", "position", "author", "affiliation", "country"])
    authorships = pd.DataFrame({"work_id": a["work_id"], "position": a["position"], "author": a["author"],
                                "author_full": None, "author_id": None, "affiliation": a["affiliation"],
                                "country": a["country"], "countries": a["country"]}).astype(bk.DTYPES["authorships"])
    return dataclasses.replace(bk.empty_bank(), works=works, authorships=authorships,
                               work_keywords=bk.compute_keywords(works))


def test_method_defaults_cut_the_tables(big):
    assert len(big.sources()) == 10 and len(big.sources(None)) == 12 and len(big.sources(3)) == 3
    assert len(big.authors()) == 10 and len(big.authors(None)) == 62 and len(big.authors(4)) == 4
    assert big.authors(1)["author"].tolist() == ["Hub, H."]  # six works
    assert len(big.keywords()) == 20 and len(big.keywords(None)) == 53 and len(big.keywords(5)) == 5
    assert set(big.keywords(None, kind="index")["keyword"]) == {"ix0", "ix1", "ix2"}
    assert len(big.countries()) == 3 and big.countries(1)["country"].tolist() == ["Canada"]
    assert big.coauthor_network().graph.number_of_nodes() == 45
    assert big.coauthor_network(top_n=5).graph.number_of_nodes() == 5
    assert big.keyword_network().graph.number_of_nodes() == 45
    assert big.keyword_network(top_n=6).graph.number_of_nodes() == 6
    assert big.keyword_network(kind="index").items == "index_keywords"


def test_methods_pass_their_arguments_on(big):
    from analysis.vigie import networks

    pd.testing.assert_frame_equal(big.citations(2030), vigie.citations_per_year(big.works, 2030))
    assert big.citations(2030)["citable_years"].tolist() != big.citations()["citable_years"].tolist()
    for seed in (42, 7):
        net = networks.coauthor_network(big.authorships, 45, seed)
        got = big.coauthor_network(seed=seed) if seed != 42 else big.coauthor_network()
        pd.testing.assert_frame_equal(got.communities, net.communities)
        assert got.seed == seed
        kw = networks.keyword_network(big.work_keywords, 45, None, seed)
        got = big.keyword_network(seed=seed) if seed != 42 else big.keyword_network()
        pd.testing.assert_frame_equal(got.communities, kw.communities)
        assert got.seed == seed
    table, fit = big.lotka()
    ref_table, ref_fit = vigie.compute_lotka(big.authorships)
    pd.testing.assert_frame_equal(table, ref_table)
    assert fit == ref_fit
    pd.testing.assert_frame_equal(big.bradford(), vigie.compute_bradford(big.works))
    pd.testing.assert_frame_equal(big.production(), vigie.documents_per_year(big.works))
    assert big.growth() == vigie.production_summary(big.works)
    pd.testing.assert_frame_equal(big.main_information(), vigie.main_information(big))


def test_theme_methods_default_to_the_project_dictionary(big):
    project = vigie.load_themes()
    wt = vigie.compute_work_themes(big.works, project)
    assert set(wt["theme"]) >= {"digital", "energy", "food", "housing"}
    pd.testing.assert_frame_equal(big.work_themes(), wt)
    pd.testing.assert_frame_equal(big.themes(), vigie.compute_theme_shares(big.works, wt, project))
    years = vigie.compute_theme_year_counts(big.works, wt, project)
    pd.testing.assert_frame_equal(big.theme_years(), years)
    pd.testing.assert_frame_equal(big.emerging_themes(), vigie.compute_emerging_themes(years, 0.05))
    pd.testing.assert_frame_equal(big.emerging_themes(level=0.5), vigie.compute_emerging_themes(years, 0.5))


def test_directory_method_arguments(big, tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(ALIASES, encoding="utf-8")
    inst = vigie.load_institutions(path)
    project = vigie.load_themes()
    wt = vigie.compute_work_themes(big.works, project)
    d = big.directory(institutions=inst)
    pd.testing.assert_frame_equal(d, vigie.compute_directory(big.authorships, big.works, wt, inst, max_themes=3))
    hub = d.set_index("author").loc["Hub, H."]
    # Hub's six works: one per topic, ties by theme id: three themes by default
    assert (hub["institution"], hub["themes"]) == ("Alpha", "digital; energy; food")
    assert big.directory(institutions=inst, max_themes=1).set_index("author").loc["Hub, H.", "themes"] == "digital"
    own = big.directory(project, inst)
    pd.testing.assert_frame_equal(own, d)
    toy = vigie.load_themes(str(pd.io.common.Path(__file__).parent / "fixtures" / "vigie" / "themes_toy.yaml"))
    assert big.directory(toy, inst).set_index("author").loc["Hub, H.", "themes"] == "digital; food"
    # the project's institutions by default: no "Alpha" in them
    assert "Alpha" not in set(big.directory()["institution"])


# ---- helpers of the build, called directly -----------------------------------------------------------------------

def test_table_schema_checks_string_dtype_by_hand():
    import pandera.pandas as pa

    schema = bk._table("toy", {"name": bk._text(pa.Check.str_startswith("S")), "note": bk._text(nullable=True),
                               "n": pa.Column("Int64")})
    good = pd.DataFrame({"name": pd.array(["Sa"], dtype="string"), "note": pd.array([None], dtype="string"),
                         "n": pd.array([1], dtype="Int64")})
    schema.validate(good)
    errors = (pa.errors.SchemaError, pa.errors.SchemaErrors)
    assert schema.name == "toy" and schema.strict and schema.ordered
    assert [c.name for c in schema.checks] == ["string dtype of name, note"]
    with pytest.raises(errors, match="columns name, note must have the pandas 'string' dtype"):
        schema.validate(good.astype({"note": object}))
    with pytest.raises(errors):
        schema.validate(good.assign(name=pd.array(["Ta"], dtype="string")))  # the column's own check
    with pytest.raises(errors):
        schema.validate(good.assign(name=pd.array([None], dtype="string")))  # not nullable
    with pytest.raises(errors):
        schema.validate(good[["note", "name", "n"]])  # ordered
    with pytest.raises(errors):
        schema.validate(good.assign(extra=1))  # strict
    unique = bk._table("u", {"k": bk._text(unique=True)})
    with pytest.raises(errors):
        unique.validate(pd.DataFrame({"k": pd.array(["a", "a"], dtype="string")}))
    assert bk._text().metadata == {"dtype": "string"}


def test_rows_of_records_by_hand():
    have = pd.Series([1, 2, 5])
    # 5 is at row 2, 3 absent, 1 at row 0, 9 past the end, a missing number absent
    assert bk._rows_of_records(have, pd.Series([5, 3, 1, 9, None], dtype="Int64")).tolist() == [2, -1, 0, -1, -1]
    assert bk._rows_of_records(pd.Series([3, 1, 2]), pd.Series([1, 2, 3, 4])).tolist() == [1, 2, 0, -1]  # unsorted
    assert bk._rows_of_records(pd.Series([], dtype="Int64"), pd.Series([1, 2])).tolist() == [-1, -1]
    assert bk._rows_of_records(pd.Series([7]), pd.Series([7, 6, 8])).tolist() == [0, -1, -1]
    # a missing record number is never found
    assert bk._rows_of_records(pd.Series([1, None, 3], dtype="Int64"), pd.Series([3, 1])).tolist() == [2, 0]


def test_work_ids_widen_past_99999():
    assert bk._work_ids(3).to_pylist() == ["W00001", "W00002", "W00003"]
    ids = bk._work_ids(100000)
    assert (ids[0].as_py(), ids[99999].as_py()) == ("W000001", "W100000")
    assert bk._work_ids(99999)[99998].as_py() == "W99999"


def test_compute_keywords_by_hand():
    works = pd.DataFrame({"work_id": ["W1", "W2", "W3"],
                          "author_keywords": ["Food; food ; ---;  ", "energy; Food", None],
                          "index_keywords": ["FOOD; Energy", None, "Food"]})
    kw = bk.compute_keywords(works)
    # per work and kind the first spelling of a key, trimmed; "---" and a blank have no key; kinds apart
    assert kw.values.tolist() == [
        ["W1", "Food", "food", "author"], ["W2", "energy", "energy", "author"], ["W2", "Food", "food", "author"],
        ["W1", "FOOD", "food", "index"], ["W1", "Energy", "energy", "index"], ["W3", "Food", "food", "index"]]
    assert list(kw.columns) == bk.KEYWORD_COLUMNS


def test_empty_tables_have_their_dtypes():
    related = bk._empty("related")
    assert [str(t) for t in related.dtypes] == ["string", "string", "Int64", "string", "string", "Int64", "string",
                                                "Float64"]
    b = vigie.empty_bank()
    assert str(b.ledger["read"].dtype) == "Int64" and str(b.duplicates["score"].dtype) == "Float64"
    assert str(b.rejections["line"].dtype) == "Int64" and str(b.works["title"].dtype) == "string"


def test_last_work_without_authors_and_a_file_of_rejected_records(tmp_path):
    (tmp_path / "c.ris").write_text("TY  - JOUR\nAU  - Roy, Ann\nTI  - Synthetic first title\nPY  - 2020\nER  -\n\n"
                                    "TY  - JOUR\nTI  - Synthetic anonymous report\nPY  - 2021\nER  -\n",
                                    encoding="utf-8")
    (tmp_path / "d.ris").write_text("TY  - JOUR\nAU  - Lee, Bo\nPY  - 2021\nER  -\n", encoding="utf-8")
    b = vigie.build_bank([tmp_path / "c.ris", tmp_path / "d.ris"])
    assert b.works["n_authors"].tolist() == [1, 0]
    assert b.authorships[["work_id", "author"]].values.tolist() == [["W00001", "Roy, A."]]  # Lee's record: rejected
    assert b.ledger[["file", "read", "kept", "merged", "rejected"]].values.tolist() == [["c.ris", 2, 2, 0, 0],
                                                                                        ["d.ris", 1, 0, 0, 1]]
    only = vigie.build_bank([tmp_path / "d.ris"])
    assert len(only.works) == 0 and len(only.authorships) == 0 and only.rejections["code"].tolist() == ["no_title"]


def test_cache_true_uses_the_project_root_and_a_missing_file_is_named(files, tmp_path, monkeypatch):
    monkeypatch.setattr(bk.bank_cache, "default_root", lambda: tmp_path / "root")
    vigie.build_bank([files[0]], cache=True)
    assert [p.name for p in (tmp_path / "root").iterdir()] == [bk.cache_key([files[0]])]
    with pytest.raises(InputFormatError) as err:
        vigie.build_bank([files[0], tmp_path / "gone.csv"], cache=tmp_path / "banks")
    assert err.value.one_line() == "gone.csv: file not found"


def test_filter_without_a_language_column():
    b = _selection_bank()
    sel = dataclasses.replace(b, works=b.works.drop(columns="language")).filter(year_min=2013)
    assert sel.works["work_id"].tolist() == ["W00005", "W00006"]
    assert sel.window["unknown_language_kept"] == 0 and sel.window["other_language"] == 0


def test_write_parquet_makes_folders_and_overwrites(bank, tmp_path):
    written = bk.write_parquet(bank, tmp_path / "a" / "b")
    assert written == {name: tmp_path / "a" / "b" / f"{name}.parquet" for name in bk.Bank.TABLES}
    bk.write_parquet(bank, tmp_path / "a" / "b")  # a second time into the same folder
    back = bk.read_parquet(tmp_path / "a" / "b")
    pd.testing.assert_frame_equal(back.works, bank.works, check_dtype=False)
    assert back.works.index.tolist() == list(range(5)) and list(back.works.columns) == bk.WORK_COLUMNS
