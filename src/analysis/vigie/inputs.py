"""Where a user's input files are: paths relative to the current folder or to the project root, and
``external:<name>`` datasets of ``data/external.yml``.

A researcher in JupyterLab works from ``notebooks/``; the parameter files and docstrings name paths from the project
root (``data/raw/vigie/themes.yaml``). Both work: a relative path is looked up in the current folder first, then in
the project root.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analysis.core import inputs
from analysis.core.inputs import EXTERNAL_PREFIX


def resolve_path(path: str | Path) -> Path:
    """The file a user means by ``path``.

    Parameters
    ----------
    path : str or Path
        An absolute path; a path relative to the current folder or to the project root (tried in that order);
        or ``"external:<name>"``, a dataset of ``data/external.yml`` (its local copy after ``make data``).

    Returns
    -------
    Path
        The absolute path. When the file exists nowhere, the path under the project root (so that the error
        raised by the reader names the path as given).

    Raises
    ------
    ParameterError
        When ``path`` is not text or a path, or names an unknown external dataset.
    """
    return inputs.resolve_input(path)


def entry_name(entry: str | Path) -> str:
    """How a report names an input: the dataset name of ``external:<name>``, else the file name.

    Parameters
    ----------
    entry : str or Path

    Returns
    -------
    str
    """
    return inputs.entry_name(entry)


def find_inputs(entries: Iterable[str | Path]) -> tuple[list[str | Path], list[str | Path]]:
    """Split input entries into those whose file exists and those missing, each in the given order.

    Parameters
    ----------
    entries : iterable of str or Path
        Paths (see :func:`resolve_path`) or ``external:<name>`` datasets.

    Returns
    -------
    found, missing : list
        The entries as given (not resolved), split by whether :func:`resolve_path` finds a file.
    """
    if isinstance(entries, (str, Path)):
        entries = [entries]
    found, missing = [], []
    for entry in entries:
        (found if resolve_path(entry).is_file() else missing).append(entry)
    return found, missing


__all__ = ["resolve_path", "find_inputs", "entry_name", "EXTERNAL_PREFIX"]
