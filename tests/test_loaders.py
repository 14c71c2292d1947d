"""Every public loader of every domain wing works with no argument after `make data`, from any working folder.

The loaders are found by name (``load_*`` in each wing's ``__all__``), so a new loader is covered the day it is
exported. The only exception takes a confidential file the project never ships (financial statements).
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from analysis import ecosystem, food, vigie
from analysis.core import external

NEEDS_A_FILE = {"load_financial_statements"}  # the enterprise's own statements: there is no default to load


def _loaders():
    for wing in (vigie, food, ecosystem):
        for name in wing.__all__:
            if name.startswith("load_") and name not in NEEDS_A_FILE:
                yield pytest.param(getattr(wing, name), id=f"{wing.__name__.rsplit('.', 1)[-1]}.{name}")


def test_every_wing_exports_loaders():
    names = [p.id for p in _loaders()]
    assert len(names) >= 15, names


@pytest.mark.parametrize("loader", list(_loaders()))
def test_loader_works_with_no_argument_from_another_folder(loader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may depend on the working folder
    required = [p for p in inspect.signature(loader).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert required == [], f"{loader.__name__} needs {[p.name for p in required]}"
    absent = [name for name in external.dataset_names() if not external.is_available(name)]
    try:
        loaded = loader()
    except Exception as exc:  # a loader of an external dataset may only fail because `make data` was not run
        if absent and "make data" in str(exc):
            pytest.skip(f"external dataset absent: {exc}")
        raise
    assert loaded is not None
    if isinstance(loaded, pd.DataFrame):
        assert len(loaded) > 0, f"{loader.__name__}() returned an empty table"
