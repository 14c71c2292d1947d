"""What the ecosystem loaders share: where a file a user names is, and which row of a table is the first bad one."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import inputs, paths


def input_path(path: str | os.PathLike | None, default: Path, argument: str = "path") -> Path:
    """The file a loader reads: ``default`` when ``path`` is None; an absolute path as given; a relative one from the
    current folder when it exists there, else from the project root (so ``data/raw/...`` works from ``notebooks/``).

    Raises
    ------
    ParameterError
        ``path`` is neither None, a string nor a path.
    """
    return inputs.resolve_input(path, argument, default=default)


def first_true(mask: pd.Series | np.ndarray) -> int:
    """Position of the first True of a boolean mask (the caller has checked there is one)."""
    return int(np.flatnonzero(np.asarray(mask))[0])


def recorded_path(path: Path) -> str:
    """How a loader records the file it read in ``attrs["path"]``: relative to the project root when inside it (the
    same on every machine), else absolute. the report layer lists them for provenance."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(resolved)
