"""The bank as a database: Parquet layout, DuckDB views, main information in SQL equal to the pandas path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import processed, vigie
from analysis.core import paths
from analysis.core.errors import InputFormatError, ParameterError
from analysis.vigie import store

FIX = Path(__file__).parent / "fixtures" / "bank"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The two small fixtures (Scopus CSV + WoS: 5 works after 2 merges) as a bank and its database."""
    bank = vigie.build_bank([FIX / "scopus_small.csv", FIX / "wos_small.txt"])
    folder = vigie.save_bank(bank, tmp_path_factory.mktemp("small") / "bank")
    with vigie.open_bank(folder) as db:
        yield bank, folder, db


def test_sql_main_information_hand_values(small):
    _, _, db = small
    info = db.main_information_dict()
    # the values test_bibliometrics.py computes by hand for the same two files
    expected = {
        "documents": 5, "sources": 4, "year_min": 2019, "year_max": 2022, "annual_growth_rate_pct": 25.99,
        "mean_citations_per_doc": 5.75, "authors": 6, "author_appearances": 7, "coauthors_per_doc": 1.4,
        "single_authored_docs": 3, "authors_of_single_authored_docs": 3, "international_coauthorships_pct": 20.0,
        "duplicates_removed": 2, "duplicates_by_doi": 1, "duplicates_by_title": 1, "records_rejected": 0,
        "records_read": 7, "author_keywords": 9, "index_keywords": 4, "files": 2,
    }
    for key, value in expected.items():
        assert info[key] == value, key
    assert info["document_types"] == {"article": 4, "review": 1}
    table = db.main_information()
    assert table.loc[0, "label"] == "Timespan" and table.loc[0, "value"] == "2019:2022"


def test_sql_international_share_missing_without_country_coverage(tmp_path):
    bank = vigie.build_bank([FIX / "small.ris"])
    with vigie.open_bank(vigie.save_bank(bank, tmp_path / "ris")) as db:
        info = db.main_information_dict()
    # the two-author RIS record has no affiliation: no country for its authors → not a false 0 %
    assert info["country_coverage_pct"] == 0.0 and info["international_coauthorships_pct"] is None


def test_views_answer_queries(small):
    bank, _, db = small
    per_year = db.sql("select year, count(*) as n from works group by year order by year")
    assert per_year["year"].tolist() == [2019, 2020, 2021, 2022]
    # the 5 works: one a year, two in 2022 (hence the growth rate of 25.99 % = 2 ** (1 / 3) - 1)
    assert per_year["n"].tolist() == [1, 1, 1, 2]
    joined = db.sql("select count(*) as n from authorships a join works w using (work_id)")
    assert int(joined.loc[0, "n"]) == 7  # every authorship belongs to a work
    ledger = db.sql("select file, read, kept, merged, rejected from ledger order by file")
    assert (ledger["read"] == ledger["kept"] + ledger["merged"] + ledger["rejected"]).all()
    assert int(ledger["read"].sum()) == 7
    assert int(db.sql("select count(*) as n from duplicates").loc[0, "n"]) == 2
    assert sorted(db.sql("select distinct kind from keywords")["kind"]) == ["author", "index"]
    # the same rows as the pandas tables
    assert sorted(db.sql("select work_id from works")["work_id"]) == sorted(bank.works["work_id"])
    assert db.relation("select count(*) from keywords").fetchall() == [(len(bank.work_keywords),)]
    assert db.con is not None


def test_layout_partitions_and_encodings(small):
    bank, folder, _ = small
    manifest = json.loads((folder / "bank.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "vigie-bank" and manifest["tables"]["works"]["rows"] == 5
    assert sorted(p.name for p in (folder / "works").iterdir()) == ["year=2019", "year=2020", "year=2021",
                                                                   "year=2022"]
    part = pq.ParquetFile(folder / "works" / "year=2022" / "part-0.parquet")
    assert part.metadata.num_rows == 2 and "year" not in part.schema_arrow.names  # the year is the folder
    assert pa.types.is_dictionary(part.schema_arrow.field("doc_type").type)
    assert pa.types.is_string(part.schema_arrow.field("abstract").type)  # large text: no dictionary
    encodings = {part.metadata.row_group(0).column(i).path_in_schema: part.metadata.row_group(0).column(i).encodings
                 for i in range(part.metadata.num_columns)}
    assert any("DICTIONARY" in e for e in encodings["doc_type"])
    assert not any("DICTIONARY" in e for e in encodings["abstract"])
    auth = pq.read_table(folder / "authorships" / "part-0.parquet")
    assert auth.num_rows == 7 and "author_key" in auth.column_names


def test_a_year_query_reads_only_its_partition(small):
    _, _, db = small
    plan = "\n".join(str(v) for row in db.con.sql(
        "explain analyze select title from works where year = 2022").fetchall() for v in row)
    assert "Scanning Files: 1/4" in plan, plan  # one year folder of four
    assert int(db.sql("select count(*) as n from works where year = 2022").loc[0, "n"]) == 2


def test_missing_year_is_its_own_partition(tmp_path):
    bank = vigie.build_bank([FIX / "small.ris"])
    undated = int(bank.works["year"].isna().sum())
    folder = vigie.save_bank(bank, tmp_path / "ris")
    with vigie.open_bank(folder) as db:
        assert int(db.sql("select count(*) as n from works where year is null").loc[0, "n"]) == undated
        assert int(db.sql("select count(*) as n from works").loc[0, "n"]) == len(bank.works)


def test_views_sql_works_from_the_folder(small, tmp_path):
    _, folder, _ = small
    con = duckdb.connect()
    here = os.getcwd()
    try:  # what `cd <folder> && duckdb -init views.sql` does
        os.chdir(folder)
        con.execute((folder / "views.sql").read_text(encoding="utf-8"))
        assert con.sql("select count(*) from works").fetchall() == [(5,)]
        assert con.sql("select count(*) from authorships").fetchall() == [(7,)]
    finally:
        os.chdir(here)
        con.close()


def test_save_replaces_a_bank_and_refuses_anything_else(small, tmp_path):
    bank, _, _ = small
    target = tmp_path / "bank"
    vigie.save_bank(bank, target)
    vigie.save_bank(bank.filter(year_min=2021), target)  # replaced in place
    with vigie.open_bank(target) as db:
        assert int(db.sql("select count(*) as n from works").loc[0, "n"]) == 3
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(ParameterError, match="not a bank folder"):
        vigie.save_bank(bank, other)
    assert (other / "keep.txt").read_text() == "mine"
    with pytest.raises(ParameterError, match="expected a Bank"):
        vigie.save_bank(bank.works, tmp_path / "x")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_open_errors_name_the_path(small, tmp_path):
    with pytest.raises(InputFormatError, match="no such bank folder") as missing:
        vigie.open_bank(tmp_path / "nowhere")
    assert "nowhere" in str(missing.value)
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(InputFormatError, match="not a bank folder") as not_bank:
        vigie.open_bank(plain)
    assert "plain" in str(not_bank.value)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bank.json").write_text('{"format": "something-else"}')
    with pytest.raises(InputFormatError, match="format 'vigie-bank'"):
        vigie.open_bank(bad)
    _, folder, _ = small
    broken = tmp_path / "broken"
    vigie.save_bank(small[0], broken)
    (broken / "authorships" / "part-0.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputFormatError, match="cannot be read") as damaged:
        vigie.open_bank(broken)
    assert "broken" in str(damaged.value)
    with vigie.open_bank(folder) as db, pytest.raises(ParameterError, match="DuckDB refused"):
        db.sql("select nope from works")


def test_spark_dialect_differs_only_by_the_split_functions():
    duck, spark = store.main_information_sql("duckdb"), store.main_information_sql("spark")
    assert "unnest(string_split(" in duck and "explode(split(" in spark
    assert duck.replace("unnest(string_split(", "explode(split(") == spark
    with pytest.raises(ParameterError, match="dialect"):
        store.main_information_sql("oracle")


def _shared(*names: str) -> list[Path]:
    files = [paths.EXTERNAL / "corpora" / n for n in names]
    if not all(f.exists() for f in files):
        pytest.skip("the shared corpora are not in data/external (run `make data`)")
    return files


@pytest.mark.parametrize("corpus", [
    ("scopus_ai_2025.csv", "wos_ai_2025.txt"),  # the shared_corpora parameter set: 3,735 works
    ("scopus_social_entrepreneurship.bib",),  # the default set's external BibTeX export
])
def test_sql_main_information_equals_pandas_on_shared_corpora(corpus, tmp_path):
    files = _shared(*corpus)
    if corpus == ("scopus_social_entrepreneurship.bib",):
        files = [paths.ROOT / "data" / "raw" / "vigie" / "seed_references.bib", *files]
    bank = vigie.build_bank(files)
    with vigie.open_bank(vigie.save_bank(bank, tmp_path / "bank")) as db:
        sql_info = db.main_information_dict()
        sql_table = db.main_information()
    pandas_info = vigie.main_information_dict(bank)
    assert sql_info.keys() == pandas_info.keys()
    for key, value in pandas_info.items():  # field by field, exact
        assert sql_info[key] == value, key
    assert sql_table.equals(bank.main_information())
    assert sql_info["documents"] == len(bank.works) and sql_info["authors"] > 0


def test_processed_banks_are_queryable(tmp_path):
    _shared("scopus_ai_2025.csv", "wos_ai_2025.txt")
    entries = processed.build_banks(tmp_path, log=lambda _line: None)
    shared = next(e for e in entries if e.set_name == "shared_corpora")
    folder = processed.bank_database("shared_corpora", out=tmp_path)
    assert folder == shared.folder / "db"
    with vigie.open_bank(shared.folder) as db:  # the cache entry's folder opens its db/ layout
        assert int(db.sql("select count(*) as n from works").loc[0, "n"]) == 3735 == shared.works
    with pytest.raises(ParameterError, match="no parameter set"):
        processed.bank_database("nope", out=tmp_path)


def test_duckdb_cli_views_file_is_plain_sql(small):
    _, folder, _ = small
    text = (folder / "views.sql").read_text(encoding="utf-8")
    assert "CREATE OR REPLACE VIEW works AS" in text and str(folder) not in text  # relative paths only
    # runs in a fresh Python process from the folder, as the CLI would
    code = ("import duckdb; c = duckdb.connect(); c.execute(open('views.sql').read()); "
            "print(c.sql('select count(*) from keywords').fetchall()[0][0])")
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) == 13  # 9 author + 4 index keyword rows of the 5 works


def test_empty_bank_round_trips_through_sql(tmp_path):
    empty = vigie.empty_bank()
    with vigie.open_bank(vigie.save_bank(empty, tmp_path / "empty")) as db:
        info = db.main_information_dict()
        assert info["documents"] == 0 and info["year_min"] is None and info["document_types"] == {}
        assert info == vigie.main_information_dict(empty)
        assert db.sql("select * from works").empty
