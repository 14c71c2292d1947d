"""This project: ``build_bank([file])`` (parse + normalise + deduplicate) then ``main_information(bank)``."""

from __future__ import annotations

import os
import sys

from _common import main

BANK_ONLY = "--bank-only" in sys.argv  # time build_bank alone (the split between ingest and summary)
if BANK_ONLY:
    sys.argv.remove("--bank-only")


def setup() -> str:
    global build_bank, main_information
    import analysis

    try:  # the package in wings (this checkout) ...
        from analysis.vigie.bank import build_bank
        from analysis.vigie.bibliometrics import main_information
    except ImportError:  # ... or an older flat snapshot given by bench_ingest.py --src
        from analysis.bank import build_bank
        from analysis.bibliometrics import main_information

    return f"analysis {getattr(analysis, '__version__', '0.1.0')}"


def run_once(path: str) -> dict:
    bank = build_bank(path.split(os.pathsep))  # a case split in parts: every part in one bank
    if BANK_ONLY:
        return {"records_out": len(bank.works)}
    info = main_information(bank)
    return {"records_out": len(bank.works), "summary_rows": len(info)}


if __name__ == "__main__":
    sys.exit(main("vigie" + (" build_bank only" if BANK_ONLY else ""), setup, run_once))
