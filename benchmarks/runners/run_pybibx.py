"""pybibx: ``pbx_probe(file_bib=..., db="scopus")`` (reads the CSV, drops duplicates), then ``eda_bib()``."""

from __future__ import annotations

import sys

from _common import main


def setup() -> str:
    global pbx_probe
    import importlib.metadata

    from pybibx.base import pbx_probe

    return f"pybibx {importlib.metadata.version('pybibx')}"


def run_once(path: str) -> dict:
    bib = pbx_probe(file_bib=path, db="scopus", del_duplicated=True)
    report = bib.eda_bib()
    return {"records_out": int(bib.data.shape[0]), "summary_rows": len(report)}


if __name__ == "__main__":
    sys.exit(main("pybibx", setup, run_once))
