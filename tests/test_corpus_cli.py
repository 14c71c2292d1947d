"""``python -m analysis corpus-summary``: JSON numbers, French table, one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.core.paths import default_mirror

FIX = Path(__file__).parent / "fixtures" / "bank"
REQUIRED = ["documents", "sources", "authors", "year_min", "year_max", "annual_growth_rate_pct",
            "mean_citations_per_doc", "coauthors_per_doc", "single_authored_docs", "duplicates_removed",
            "records_rejected"]


def test_json_summary(capsys):
    rc = main(["corpus-summary", str(FIX / "scopus_small.csv"), str(FIX / "wos_small.txt"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    for key in REQUIRED:
        assert key in out
    assert (out["documents"], out["authors"], out["duplicates_removed"]) == (5, 6, 2)
    assert out["annual_growth_rate_pct"] == 25.99 and out["mean_citations_per_doc"] == 5.75
    assert out["ledger"][1] == {"file": "wos_small.txt", "format": "wos_txt", "encoding": "utf-8-sig", "read": 3,
                                "kept": 1, "merged": 2, "rejected": 0, "note": "", "repaired": 0}


def test_french_table(capsys):
    rc = main(["corpus-summary", str(FIX / "scopus_small.csv"), str(FIX / "wos_small.txt")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Résumé du corpus" in out and "Doublons fusionnés" in out
    assert "26,0\u00a0%" in out  # growth rate: decimal comma, no-break space (analysis.fmt)
    assert "5,75" in out and "2019–2022" in out


def test_format_option_and_rejections_listed(tmp_path, capsys):
    text = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "cut.dat").write_text(text[: text.rindex("TC 1")], encoding="utf-8")
    rc = main(["corpus-summary", str(tmp_path / "cut.dat"), "--format", "wos_txt", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["records_rejected"] == 1
    assert out["rejections"][0]["line"] == 39 and out["rejections"][0]["file"] == "cut.dat"


def test_parquet_option(tmp_path, capsys):
    rc = main(["corpus-summary", str(FIX / "small.ris"), "--parquet", str(tmp_path / "out")])
    capsys.readouterr()
    assert rc == 0 and (tmp_path / "out" / "works.parquet").exists()


@pytest.mark.parametrize("make", ["missing", "empty", "other"])
def test_errors_one_line_exit_2(tmp_path, capsys, make):
    path = tmp_path / "input.csv"
    if make == "empty":
        path.write_text("", encoding="utf-8")
    elif make == "other":
        path.write_text("colonne_a,colonne_b\n1,2\n", encoding="utf-8")
    rc = main(["corpus-summary", str(path), "--json"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("error: input.csv")


def test_module_entry_point_subprocess():
    proc = subprocess.run([sys.executable, "-m", "analysis", "corpus-summary", str(FIX / "small.ris"), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["documents"] == 2


def test_real_scopus_bib_summary(capsys):
    mirror = default_mirror()
    path = mirror / "corpora" / "scopus_social_entrepreneurship.bib" if mirror else None
    if path is None or not path.exists():
        pytest.skip("real corpus not available (no data mirror)")
    assert main(["corpus-summary", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["records_read"] == 2000 and out["records_rejected"] == 0  # the comma key is repaired
    assert out["documents"] + out["duplicates_removed"] + out["records_rejected"] == 2000
    assert out["mean_citations_per_doc"] is None  # this export has no citation counts
    assert (out["year_min"], out["year_max"]) == (1988, 2022)
