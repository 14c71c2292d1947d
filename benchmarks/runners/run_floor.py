"""Floor: a bare ``pandas.read_csv(engine="pyarrow")`` of the same file (``--engine c``: pandas' C parser)."""

from __future__ import annotations

import sys

from _common import main

ENGINE = "pyarrow"
if "--engine" in sys.argv:  # consumed here so the common parser does not see it
    i = sys.argv.index("--engine")
    ENGINE = sys.argv[i + 1]
    del sys.argv[i : i + 2]


def setup() -> str:
    global pd
    import pandas as pd
    import pyarrow

    return f"pandas {pd.__version__}, pyarrow {pyarrow.__version__}"


def run_once(path: str) -> dict:
    df = pd.read_csv(path, engine=ENGINE)
    return {"records_in": len(df), "records_out": len(df)}


if __name__ == "__main__":
    sys.exit(main(f"floor: pandas.read_csv(engine={ENGINE!r})", setup, run_once))
