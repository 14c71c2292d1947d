"""Figures of the reports: the shared style (:mod:`~analysis.report.figures.style`: ``new_figure``,
``french_axis``, the palette) and one module per report domain, whose every ``plot_*`` takes the data and ``lang``
and builds its title and axis labels from the label catalogues.

Modules are imported on first access (``figures.style``), so that ``import analysis.report`` does not load
matplotlib.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

__all__ = sorted(p.stem for p in Path(__file__).parent.glob("*.py") if not p.stem.startswith("_"))


def __getattr__(name: str) -> ModuleType:
    """Import a figure module on first access (``figures.style``, ``figures.<domain>``)."""
    if name in __all__:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
