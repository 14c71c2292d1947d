"""Where the food wing's loaders find their files.

A loader called with no path reads its dataset where ``make data`` (or the repository, for ``data/raw``) put it,
looked up in the data registry (``data/external.yml``) rather than hard-coded. A relative path is tried from the
current folder first, then from the project root, so ``data/private/x.csv`` works from ``notebooks/`` too; the
form ``external:<name>`` names a registry dataset.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core import inputs, paths
from analysis.core.errors import MissingDatasetError


def input_path(path: Path | str | None, argument: str = "path", dataset: str | None = None,
               default: Path | None = None) -> Path:
    """The file a loader should read.

    Parameters
    ----------
    path : path, str or None
        What the user gave: ``None`` (the default file), ``"external:<name>"`` (a registry dataset), an absolute
        path, or a path relative to the current folder or, failing that, to the project root.
    argument : str
        The loader's argument name, for error messages.
    dataset : str, optional
        Registry name of the default file (``food_hub_survey``, ``coops_uk_organisations``, …).
    default : Path, optional
        Default file when it is not a registry dataset (the case book's tables under ``data/raw``).

    Returns
    -------
    Path
        The path to read (it may not exist: the loader says so).

    Raises
    ------
    ParameterError
        ``path`` is not a path, or names an unknown registry dataset.
    """
    return inputs.resolve_input(path, argument, default=default, dataset=dataset)


def require_input(path: Path, what: str) -> Path:
    """``path`` if it exists, else :class:`MissingDatasetError` naming the dataset and how to get it."""
    if not path.exists():
        raise MissingDatasetError(f"{what} not found: run `make data`, or pass the file's path",
                                  path=paths.relative(path))
    return path
