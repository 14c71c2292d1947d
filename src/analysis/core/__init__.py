"""The project's base layer, imported by every wing and importing none of them.

========== =====================================================================================================
errors     the project's error types (``ParameterError``, ``InputFormatError``, ``SchemaError``…), one line each
checks     argument checks of public functions (``require_frame``, ``require_type``, ``require_positive``)
paths      every path of the project, from its root (whatever the working folder)
params     report parameters: schemas (the one place for defaults), parameter sets, validation
params_cell  a notebook's ``parameters`` cell generated from / checked against its schema (``params sync|check``)
yamlfile   reading the project's YAML files with clear errors
external   the external datasets' registry (``data/external.yml``) and ``make data``
inputs     where a user's input file is (``external:<name>``, current folder, project root), whether it may be
           read (inside the project unless allowed), and how a report names it (never an absolute path)
atomic     every write: temporary name, fsync, atomic rename; folder swaps and their recovery; locks; one-line
           storage errors (disk full, permission denied)
manifest   ``data/raw/MANIFEST.csv``: the raw files' hashes
text       the one accent-folding function, matching keys, Arrow text helpers
tables     validated reading of the project's raw CSV tables
========== =====================================================================================================
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["errors", "checks", "paths", "params", "params_cell", "yamlfile", "external", "inputs", "atomic", "manifest",
           "text", "tables"]


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first access (``analysis.core.params``)."""
    if name in __all__:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
