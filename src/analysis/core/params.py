"""Report parameters: read ``params/<stem>/<set>.yaml`` and validate it against ``params/<stem>/_schema.yaml``.

The schema is the one place where each parameter's default lives. A parameter set lists only what differs from
the defaults (``default.yaml`` may be ``{}``); :func:`validate` fills the rest from the schema. Validation happens
before any analysis runs (in ``make reports`` and again in the notebook's first cell), so a bad parameter stops the
report with one line naming it. A schema entry looks like::

    year_min:
      type: int
      min: 1900
      max: 2100
      "null": true
      default: null
      help: "first publication year kept (null = no lower bound)"
      help_fr: "première année de publication retenue (None : aucune borne)"

Keys of an entry (:data:`SCHEMA_KEYS`):

``type``
    ``str`` (the default type), ``int``, ``float``, ``bool``, ``path`` (must exist unless ``must_exist: false``),
    ``source`` (a path or ``external:<name>``; a missing external dataset is allowed: the report says it is
    missing), ``list`` (items of type ``items``, at least ``min_items``), ``dict`` (values of type ``values``,
    keys among ``keys``).
``default``
    The value used when a parameter set does not give one; every entry should have one (``python -m analysis
    params check`` reports those that do not, and the notebook's ``parameters`` cell is generated from them).
``help`` / ``help_fr``
    What the parameter means, in English (documentation) and, optionally, in French: the comment written beside
    the parameter in the notebook's ``parameters`` cell is ``help_fr`` when present, else ``help``.
``min``, ``max``, ``choices``
    Bounds and allowed values (for a list or a dict: of each item).
``"null"``
    ``true`` allows an empty value (``null`` / ``None``); unquoted ``null: true`` is read as the key ``None``.
``must_exist``
    ``false`` lets a ``path`` or ``source`` name a file that does not exist (yet).
``suffixes``
    The endings a ``path`` or ``source`` file name may have (``[.yaml, .yml]``), case-insensitive.
``validator``
    Dotted name of a function of the project that reads the file and raises the project's errors when its content
    does not have the expected shape (``analysis.vigie.load_themes``); it runs when the file exists, before any
    kernel starts. Any error it raises becomes one line naming the parameter.
``sum_above``
    For a ``list`` or ``dict`` of numbers: their sum must be greater than this (``0``: weights that are not all zero).
``not_before`` / ``after``
    The name of another parameter this one may not be smaller than (``not_before``: ``year_max`` and ``year_min``)
    or must be greater than (``after``: ``growth_end`` and ``growth_start``), when both are set.

Every ``path`` or ``source`` must be a file (not a folder) and lie inside the project, ``data/private/`` or
``data/external/``; one outside needs ``allow_outside: true`` in the parameter set (a reserved name, never passed to
the notebook) or ``VIGIE_ALLOW_OUTSIDE=1`` (see :mod:`analysis.core.inputs`). Floats must be finite.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.core import external, inputs, paths
from analysis.core.errors import ParameterError, VigieError
from analysis.core.yamlfile import read_yaml

SCHEMA_FILE = "_schema.yaml"
DEFAULT_SET = "default"
TYPES = ("str", "int", "float", "bool", "path", "source", "list", "dict")
SCHEMA_KEYS = frozenset({"type", "default", "help", "help_fr", "min", "max", "choices", "null", None,
                         "must_exist", "items", "min_items", "values", "keys", "suffixes", "validator", "sum_above",
                         "not_before", "after"})
VALIDATOR_PACKAGE = "analysis."  # a schema's validator must be a function of the project
ALLOW_OUTSIDE = inputs.ALLOW_OUTSIDE_KEY  # reserved name in a parameter set: inputs outside the project allowed


def schema_path(stem: str, params_dir: Path | None = None) -> Path:
    """The schema file of a notebook: ``<params_dir>/<stem>/_schema.yaml``."""
    return Path(params_dir or paths.PARAMS) / stem / SCHEMA_FILE


def load_schema(stem: str, params_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """The parameter schema of notebook ``stem``, in file order.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb`` (``vigie_innovation``).
    params_dir : Path, optional
        Folder holding ``<stem>/_schema.yaml`` (default ``params/``).

    Returns
    -------
    dict
        Parameter name → its entry (``type``, ``default``, ``help``…).

    Raises
    ------
    ParameterError
        The schema is missing, is not valid YAML, or an entry has an unknown key or type (naming the file and the
        parameter).
    """
    path = schema_path(stem, params_dir)
    if not path.exists():
        raise ParameterError(f"no parameter schema for notebook {stem!r}", path=paths.relative(path))
    schema = read_yaml(path, "parameter schema", ParameterError) or {}
    if not isinstance(schema, dict):
        raise ParameterError("a parameter schema must be a mapping of name: entry", path=paths.relative(path))
    for name, spec in schema.items():
        if not isinstance(spec, dict):
            raise ParameterError("a schema entry must be a mapping (type, default, help…)",
                                 path=paths.relative(path), field=str(name))
        unknown = sorted(str(k) for k in set(spec) - SCHEMA_KEYS)
        if unknown:
            raise ParameterError(f"unknown schema key(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(sorted(str(k) for k in SCHEMA_KEYS if k is not None))}",
                                 path=paths.relative(path), field=str(name))
        if spec.get("type", "str") not in TYPES:
            raise ParameterError(f"unknown type {spec.get('type')!r}; known: {', '.join(TYPES)}",
                                 path=paths.relative(path), field=str(name))
        validator = spec.get("validator")
        if validator is not None and (not isinstance(validator, str) or not validator.startswith(VALIDATOR_PACKAGE)):
            raise ParameterError(f"a validator must be the dotted name of a function of the project "
                                 f"({VALIDATOR_PACKAGE}…), got {validator!r}", path=paths.relative(path),
                                 field=str(name))
        for key in ("not_before", "after"):
            if key in spec and spec[key] not in schema:
                raise ParameterError(f"{key} names no parameter of this schema: {spec[key]!r}",
                                     path=paths.relative(path), field=str(name))
    return schema


def missing_defaults(schema: dict[str, dict[str, Any]]) -> list[str]:
    """The parameters of ``schema`` that have no ``default`` (empty when every entry has one)."""
    return [name for name, spec in schema.items() if "default" not in spec]


def defaults(stem: str, params_dir: Path | None = None) -> dict[str, Any]:
    """Every parameter's default from the schema, in schema order.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb``.
    params_dir : Path, optional
        Folder holding ``<stem>/_schema.yaml`` (default ``params/``).

    Returns
    -------
    dict
        Parameter name → default value, as written in the schema.

    Raises
    ------
    ParameterError
        An entry has no ``default`` (naming the schema and the parameter), or the schema cannot be read.
    """
    schema = load_schema(stem, params_dir)
    missing = missing_defaults(schema)
    if missing:
        raise ParameterError(f"no default for {', '.join(missing)}: every schema entry needs one",
                             path=paths.relative(schema_path(stem, params_dir)), field=missing[0])
    return {name: spec["default"] for name, spec in schema.items()}


def allows_outside(param_file: str | Path) -> bool:
    """Whether a parameter file says ``allow_outside: true`` (input files outside the project are allowed)."""
    return load_param_file(param_file).get(ALLOW_OUTSIDE) is True


def load_param_file(path: str | Path) -> dict[str, Any]:
    """Read a parameter YAML file as written (no defaults filled); a missing file or a syntax error names it.

    An empty file (or one holding only comments, or ``{}``) gives an empty mapping.
    """
    data = read_yaml(path, "parameter file", ParameterError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError("a parameter file must be a mapping of name: value", path=paths.relative(path))
    return data


def resolve(path: str | Path) -> Path:
    """A parameter path: absolute as given, else relative to the project root (whatever the working folder)."""
    p = Path(path)
    return p if p.is_absolute() else paths.ROOT / p


@dataclass(frozen=True)
class _Context:
    """What a value's check needs beyond its schema entry."""

    allow_outside: bool = False


def _run_validator(name: str, value: str, file: Path, dotted: str) -> None:
    """Read ``file`` with the schema's validator; any error becomes one line naming the parameter."""
    module_name, _, function = dotted.rpartition(".")
    try:
        reader = getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError):
        raise ParameterError(f"schema error: no validator {dotted}", field=name) from None
    try:
        reader(file)
    except VigieError as exc:
        raise ParameterError(f"{value} is not a valid file for this parameter: {exc.one_line()}", field=name) from None
    except Exception as exc:  # noqa: BLE001 - any failure to read the file is a bad parameter, said in one line
        top = _yaml_top(file)
        if top is not None and top != "mapping":
            raise ParameterError(f"{value} holds a {top} at its top level where {dotted} expects a mapping "
                                 "(name: value…)", field=name) from None
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise ParameterError(f"{value} does not have the shape {dotted} expects "
                             f"({type(exc).__name__}{': ' + detail if detail else ''})", field=name) from None


def _yaml_top(file: Path) -> str | None:
    """What a YAML file holds at its top level (``mapping``, ``list``, ``text``…), or None for another kind of file."""
    if file.suffix.lower() not in (".yaml", ".yml"):
        return None
    try:
        data = read_yaml(file, "file")
    except VigieError:
        return None
    names = {dict: "mapping", list: "list", str: "text", type(None): "nothing"}
    return names.get(type(data), type(data).__name__)


def _check_file(name: str, value: str, spec: dict[str, Any], kind: str, ctx: _Context) -> None:
    """A ``path`` or ``source`` value: a known dataset, or a file (not a folder) of the expected kind, inside the
    project unless allowed, whose content the schema's validator accepts."""
    if kind == "source" and value.startswith(inputs.EXTERNAL_PREFIX):
        dataset = value[len(inputs.EXTERNAL_PREFIX):]
        if dataset not in external.dataset_names():
            known = ", ".join(sorted(external.dataset_names()))
            raise ParameterError(f"unknown external dataset {dataset!r} (known: {known})", field=name)
        return
    file = inputs.resolve_input(value, name)
    if not ctx.allow_outside and inputs.outside_project(file):
        raise inputs.refuse_outside(value, file, name)
    if file.is_dir():
        raise ParameterError(f"{value} is a folder: a file is expected here", field=name)
    suffixes = [str(x).lower() for x in spec.get("suffixes") or ()]
    if suffixes and not file.name.lower().endswith(tuple(suffixes)):
        raise ParameterError(f"{value}: expected a file ending in {' or '.join(suffixes)}", field=name)
    if not file.exists():
        if spec.get("must_exist", True):
            raise ParameterError(f"file not found: {value}", field=name)
        return
    if spec.get("validator"):
        _run_validator(name, value, file, spec["validator"])


def _check_scalar(name: str, value: Any, spec: dict[str, Any], kind: str, ctx: _Context = _Context()) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise ParameterError(f"expected text, got {value!r}", field=name)
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"expected a whole number, got {value!r}", field=name)
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"expected a number, got {value!r}", field=name)
        value = float(value)
        if not math.isfinite(value):
            raise ParameterError(f"expected a finite number, got {value!r}", field=name)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"expected true or false, got {value!r}", field=name)
    elif kind in ("path", "source"):
        if not isinstance(value, str) or not value:
            raise ParameterError(f"expected a file path, got {value!r}", field=name)
        _check_file(name, value, spec, kind, ctx)
    else:
        raise ParameterError(f"schema error: unknown type {kind!r}", field=name)
    if "choices" in spec and value not in spec["choices"]:
        raise ParameterError(f"{value!r} is not one of {spec['choices']}", field=name)
    if "min" in spec and isinstance(value, (int, float)) and value < spec["min"]:
        raise ParameterError(f"{value!r} is below the minimum {spec['min']}", field=name)
    if "max" in spec and isinstance(value, (int, float)) and value > spec["max"]:
        raise ParameterError(f"{value!r} is above the maximum {spec['max']}", field=name)
    return value


def _check_sum(name: str, numbers: list[Any], spec: dict[str, Any]) -> None:
    if "sum_above" not in spec:
        return
    total = sum(x for x in numbers if isinstance(x, (int, float)) and not isinstance(x, bool))
    if not total > spec["sum_above"]:
        raise ParameterError(f"the values must sum to more than {spec['sum_above']} (they sum to {total:g})",
                             field=name)


def _check(name: str, value: Any, spec: dict[str, Any], ctx: _Context = _Context()) -> Any:
    if value is None or value == "" and spec.get("type") != "str":
        if spec.get("null", spec.get(None, False)):  # `null: true` in YAML parses as the key None
            return None
        raise ParameterError("a value is required", field=name)
    kind = spec.get("type", "str")
    container_keys = ("type", "items", "min_items", "values", "keys", "sum_above", "not_before", "after")
    if kind == "list":
        if not isinstance(value, list):
            raise ParameterError(f"expected a list, got {value!r}", field=name)
        if "min_items" in spec and len(value) < spec["min_items"]:
            raise ParameterError(f"at least {spec['min_items']} item(s) needed", field=name)
        item_spec = {k: v for k, v in spec.items() if k not in container_keys}
        item_spec["type"] = spec.get("items", "str")
        checked = [_check(f"{name}[{i}]", item, item_spec, ctx) for i, item in enumerate(value)]
        _check_sum(name, checked, spec)
        return checked
    if kind == "dict":
        if not isinstance(value, dict):
            raise ParameterError(f"expected a mapping, got {value!r}", field=name)
        if "keys" in spec:
            unknown = sorted(set(value) - set(spec["keys"]), key=str)
            if unknown:
                raise ParameterError(f"unknown key(s) {unknown}; allowed: {spec['keys']}", field=name)
        item_spec = {k: v for k, v in spec.items() if k not in container_keys}
        item_spec["type"] = spec.get("values", "str")
        checked = {k: _check(f"{name}.{k}", v, item_spec, ctx) for k, v in value.items()}
        _check_sum(name, list(checked.values()), spec)
        return checked
    return _check_scalar(name, value, spec, kind, ctx)


def _check_order(schema: dict[str, dict[str, Any]], checked: dict[str, Any]) -> None:
    """``not_before`` / ``after``: a parameter compared with the one it names (when both are set)."""
    for name, spec in schema.items():
        for key, bad, words in (("not_before", lambda a, b: a < b, "is before"),
                                ("after", lambda a, b: a <= b, "must be after")):
            other = spec.get(key)
            if other is None or checked.get(name) is None or checked.get(other) is None:
                continue
            if bad(checked[name], checked[other]):
                raise ParameterError(f"{checked[name]!r} {words} {other} ({checked[other]!r})", field=name)


def fill_defaults(schema: dict[str, dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` completed with the schema's defaults, in schema order (values of unknown names kept at the end).

    Raises
    ------
    ParameterError
        A parameter is neither given nor has a default in the schema.
    """
    filled: dict[str, Any] = {}
    for name, spec in schema.items():
        if name in values:
            filled[name] = values[name]
        elif "default" in spec:
            filled[name] = spec["default"]
        else:
            raise ParameterError("missing parameter (and no default in the schema)", field=name)
    filled.update({k: v for k, v in values.items() if k not in schema})
    return filled


def validate(stem: str, values: dict[str, Any], params_dir: Path | None = None) -> dict[str, Any]:
    """Check ``values`` against the notebook's schema, filling what they leave out from the schema's defaults.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb``.
    values : dict
        Parameter name → value (a parameter set as read from its YAML file, or the notebook's globals).
    params_dir : Path, optional
        Folder holding ``<stem>/_schema.yaml`` (default ``params/``).

    Returns
    -------
    dict
        Every parameter of the schema, in schema order, normalized (a ``float`` parameter given ``1`` is ``1.0``);
        defaults are checked and normalized like given values.

    Raises
    ------
    ParameterError
        An unknown name, a missing value without default, or a bad value (naming the parameter; a bad default
        names the schema file). ``allow_outside: true`` among ``values`` (when the schema does not declare it)
        allows input files outside the project; it is not returned.
    """
    schema = load_schema(stem, params_dir)
    values = dict(values)
    allow = values.get(ALLOW_OUTSIDE)
    if ALLOW_OUTSIDE not in schema and ALLOW_OUTSIDE in values:
        del values[ALLOW_OUTSIDE]  # a permission of the parameter set, not a parameter of the notebook
        if not isinstance(allow, bool):
            raise ParameterError(f"expected true or false, got {allow!r}", field=ALLOW_OUTSIDE)
    ctx = _Context(allow_outside=allow is True or inputs.outside_allowed())
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise ParameterError(f"unknown parameter(s) for {stem}: {', '.join(unknown)}", field=unknown[0])
    filled = fill_defaults(schema, values)
    checked: dict[str, Any] = {}
    for name, spec in schema.items():
        try:
            checked[name] = _check(name, filled[name], spec, ctx)
        except ParameterError as exc:
            if name in values:
                raise
            raise ParameterError(f"bad default: {exc.message}", path=paths.relative(schema_path(stem, params_dir)),
                                 field=exc.field) from None
    _check_order(schema, checked)
    return checked


def validate_file(stem: str, param_file: str | Path, params_dir: Path | None = None) -> dict[str, Any]:
    """Load and validate one parameter file (defaults filled from the schema); errors name the file and parameter."""
    values = load_param_file(param_file)
    try:
        return validate(stem, values, params_dir)
    except ParameterError as exc:
        raise ParameterError(exc.message, path=exc.path or paths.relative(param_file), field=exc.field) from None


def load_set(stem: str, set_name: str = DEFAULT_SET, params_dir: Path | None = None) -> dict[str, Any]:
    """The validated values of ``params/<stem>/<set_name>.yaml``, completed with the schema's defaults.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb``.
    set_name : str
        Parameter set (file name without ``.yaml``); ``default`` is the default report.
    params_dir : Path, optional
        Folder holding ``<stem>/`` (default ``params/``).

    Returns
    -------
    dict
        Every parameter of the schema, in schema order.

    Raises
    ------
    ParameterError
        The file is missing or a value is bad (naming the file and the parameter).
    """
    return validate_file(stem, Path(params_dir or paths.PARAMS) / stem / f"{set_name}.yaml", params_dir)


def parameter_sets(stem: str, params_dir: Path | None = None) -> list[Path]:
    """Every parameter file of a notebook (``params/<stem>/*.yaml`` except the schema), sorted."""
    folder = Path(params_dir or paths.PARAMS) / stem
    return sorted(p for p in folder.glob("*.yaml") if p.name != SCHEMA_FILE)
