"""biblium: ``BiblioStats(f_name=..., db="scopus")`` (loads the Scopus CSV) then ``get_main_info()``."""

from __future__ import annotations

import sys

from _common import main


def setup() -> str:
    global BiblioStats
    import importlib.metadata

    from biblium.bibstats import BiblioStats

    return f"biblium {importlib.metadata.version('biblium')}"


def run_once(path: str) -> dict:
    bs = BiblioStats(f_name=path, db="scopus", res_folder=None)
    bs.get_main_info()
    return {"records_out": int(bs.n), "summary_rows": len(getattr(bs, "main_info_list", []))}


if __name__ == "__main__":
    sys.exit(main("biblium", setup, run_once))
