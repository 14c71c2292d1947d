"""Where a user's input file is, whether it may be read, and how a report names it.

One resolution for every wing (``analysis.vigie.resolve_path``, the food and ecosystem loaders' ``input_path``) and
for the parameter checks: ``external:<name>`` is a dataset of ``data/external.yml`` (its copy in
``data/external/``); an absolute path is taken as given; a relative path is looked up in the current folder first
(a researcher in JupyterLab works from ``notebooks/``), then in the project root.

Report parameters may name files inside the project (``data/private/`` included, even when it is a link to an
encrypted volume) and the external datasets' folder. A file anywhere else needs an explicit permission:
``allow_outside: true`` in the parameter set, or ``VIGIE_ALLOW_OUTSIDE=1``. What a report publishes about an input
never holds an absolute path: :func:`public_path` gives the path relative to the project, or the file's name alone
(provenance then flags the file as outside the project).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from analysis.core import external, paths
from analysis.core.errors import ParameterError

EXTERNAL_PREFIX = "external:"
ALLOW_OUTSIDE_ENV = "VIGIE_ALLOW_OUTSIDE"
ALLOW_OUTSIDE_KEY = "allow_outside"


def resolve_input(path: str | os.PathLike | None, argument: str = "path", *, default: Path | None = None,
                  dataset: str | None = None) -> Path:
    """The file a user means by ``path``.

    Parameters
    ----------
    path : str, Path or None
        ``"external:<name>"`` (a dataset of ``data/external.yml``), an absolute path, or a path relative to the
        current folder or, failing that, to the project root. ``None`` gives the default file.
    argument : str
        The argument or parameter name, for error messages.
    default : Path, optional
        The file meant by ``None``.
    dataset : str, optional
        The registry dataset meant by ``None`` (when ``default`` is not given).

    Returns
    -------
    Path
        The path to read, absolute. When the file exists nowhere, the path under the project root (so that the
        reader's error names the path as given). It may not exist: the caller says so.

    Raises
    ------
    ParameterError
        ``path`` is neither text nor a path, is empty, names an unknown external dataset, or is ``None`` with no
        default.
    """
    if path is None:
        if default is not None:
            return Path(default)
        if dataset is not None:
            return external.get(dataset).local_path
        raise ParameterError("a file path is required", field=argument)
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)) or os.fspath(path) == "":
        raise ParameterError(f"expected a file path, got {path!r}", field=argument)
    text = os.fspath(path)
    if isinstance(text, str) and text.startswith(EXTERNAL_PREFIX):
        name = text[len(EXTERNAL_PREFIX):]
        if name not in external.dataset_names():
            known = ", ".join(sorted(external.dataset_names()))
            raise ParameterError(f"unknown external dataset {name!r} (known: {known})", field=argument)
        return external.get(name).local_path
    p = Path(text).expanduser()
    if p.is_absolute():
        return p
    here = Path.cwd() / p
    if here.exists():
        return here.resolve()
    return paths.ROOT / p


def allowed_roots() -> list[Path]:
    """The folders report inputs may come from without permission: the project, ``data/private/`` and the
    external datasets' folder (each as it really is, links followed)."""
    roots = []
    for folder in (paths.ROOT, paths.PRIVATE, paths.EXTERNAL):
        resolved = Path(folder).resolve()
        if resolved not in roots:
            roots.append(resolved)
    return roots


def outside_project(path: str | Path) -> bool:
    """True when ``path`` (links followed) lies outside the project, ``data/private/`` and ``data/external/``."""
    real = Path(path).expanduser().resolve()
    return not any(real == root or root in real.parents for root in allowed_roots())


def outside_allowed(values: dict[str, Any] | None = None) -> bool:
    """Whether inputs outside the project are allowed: ``allow_outside: true`` in ``values`` or
    ``VIGIE_ALLOW_OUTSIDE=1`` in the environment."""
    if values is not None and values.get(ALLOW_OUTSIDE_KEY) is True:
        return True
    return os.environ.get(ALLOW_OUTSIDE_ENV, "").strip().lower() in ("1", "true", "yes")


def refuse_outside(value: str, resolved: Path, field: str) -> ParameterError:
    """The error for an input outside the project that was not allowed (naming the file, never its folder: the
    line is published in the failure note and the index)."""
    return ParameterError(
        f"{resolved.name} is outside the project folder: copy the file under data/private/, or allow it explicitly "
        f"with `{ALLOW_OUTSIDE_KEY}: true` in the parameter set (or {ALLOW_OUTSIDE_ENV}=1)", field=field)


def public_path(path: str | Path) -> str:
    """How a report names an input file: relative to the project root (``data/private/x.csv``), relative to the
    external datasets' folder (``data/external/...``), else its name alone — never an absolute path."""
    p = Path(path)
    real = p.expanduser().resolve() if (p.is_absolute() or ".." in p.parts or str(p).startswith("~")) else None
    if real is None:
        return p.as_posix()
    for root, shown in ((paths.ROOT.resolve(), ""), (Path(paths.EXTERNAL).resolve(), "data/external/")):
        try:
            return shown + real.relative_to(root).as_posix()
        except ValueError:
            continue
    return real.name


def public_value(value: Any) -> Any:
    """``value`` with every text that names a file outside the project (absolute, ``~``, or climbing with ``..``)
    replaced by :func:`public_path` — for the parameters a report publishes. Other values are returned as given."""
    if isinstance(value, dict):
        return {k: public_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(public_value(v) for v in value)
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str) and value and not value.startswith(EXTERNAL_PREFIX) and "\n" not in value:
        p = Path(value)
        if p.is_absolute() or value.startswith("~") or ".." in p.parts:
            return public_path(p)
    return value


def entry_name(entry: str | Path) -> str:
    """How a report names an input entry: the dataset name of ``external:<name>``, else the file name."""
    text = str(entry)
    if text.startswith(EXTERNAL_PREFIX):
        return text[len(EXTERNAL_PREFIX):]
    return text.replace("\\", "/").rsplit("/", 1)[-1]


__all__ = ["resolve_input", "allowed_roots", "outside_project", "outside_allowed", "refuse_outside", "public_path",
           "public_value", "entry_name", "EXTERNAL_PREFIX", "ALLOW_OUTSIDE_ENV",
           "ALLOW_OUTSIDE_KEY"]
