"""Floor: a bare ``pandas.read_csv(engine="pyarrow")`` of the same file (``--engine c``: pandas' C parser)."""

from __future__ import annotations

import os
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
    frames = [pd.read_csv(part, engine=ENGINE) for part in path.split(os.pathsep)]  # every part held at once
    n = sum(len(df) for df in frames)
    return {"records_in": n, "records_out": n}


if __name__ == "__main__":
    sys.exit(main(f"floor: pandas.read_csv(engine={ENGINE!r})", setup, run_once))
