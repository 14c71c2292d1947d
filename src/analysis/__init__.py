"""Cleaning, indicator and report functions for Québec's social economy (the Vigie research repository).

The front door::

    from analysis import vigie, food, ecosystem, report

========== =====================================================================================================
core       errors, argument checks, paths, parameters, YAML, external datasets, manifest, text folding
vigie      publication exports → a bank; bibliometrics, themes, emerging themes, networks, directory, priorities
food       the TIESS cases, audit, ratios, dashboard, food hubs, Co-operatives UK, survival
ecosystem  territory, public procurement, the digital programme, indicators
report     formatting, tables, figures, labels (fr/en), the notebooks' first cells, rendering, provenance
========== =====================================================================================================

Dependencies point one way: ``core`` ← ``vigie`` / ``food`` / ``ecosystem`` ← ``report`` (``docs/architecture.md``).
The wings are imported on first use, so ``import analysis`` stays light (no pandas, no matplotlib).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"
__all__ = ["core", "vigie", "food", "ecosystem", "report"]


def __getattr__(name: str) -> ModuleType:
    """Import a wing on first access (``analysis.vigie``), so that ``import analysis`` pulls in nothing heavy."""
    if name in __all__:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
