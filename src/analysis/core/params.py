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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.core import external, paths
from analysis.core.errors import ParameterError
from analysis.core.yamlfile import read_yaml

SCHEMA_FILE = "_schema.yaml"
DEFAULT_SET = "default"
TYPES = ("str", "int", "float", "bool", "path", "source", "list", "dict")
SCHEMA_KEYS = frozenset({"type", "default", "help", "help_fr", "min", "max", "choices", "null", None,
                         "must_exist", "items", "min_items", "values", "keys"})


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


def _check_scalar(name: str, value: Any, spec: dict[str, Any], kind: str) -> Any:
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
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"expected true or false, got {value!r}", field=name)
    elif kind in ("path", "source"):
        if not isinstance(value, str) or not value:
            raise ParameterError(f"expected a file path, got {value!r}", field=name)
        if kind == "source" and value.startswith("external:"):
            dataset = value.split(":", 1)[1]
            if dataset not in external.dataset_names():
                known = ", ".join(sorted(external.dataset_names()))
                raise ParameterError(f"unknown external dataset {dataset!r} (known: {known})", field=name)
        elif spec.get("must_exist", True) and not resolve(value).exists():
            raise ParameterError(f"file not found: {value}", field=name)
    else:
        raise ParameterError(f"schema error: unknown type {kind!r}", field=name)
    if "choices" in spec and value not in spec["choices"]:
        raise ParameterError(f"{value!r} is not one of {spec['choices']}", field=name)
    if "min" in spec and isinstance(value, (int, float)) and value < spec["min"]:
        raise ParameterError(f"{value!r} is below the minimum {spec['min']}", field=name)
    if "max" in spec and isinstance(value, (int, float)) and value > spec["max"]:
        raise ParameterError(f"{value!r} is above the maximum {spec['max']}", field=name)
    return value


def _check(name: str, value: Any, spec: dict[str, Any]) -> Any:
    if value is None or value == "" and spec.get("type") != "str":
        if spec.get("null", spec.get(None, False)):  # `null: true` in YAML parses as the key None
            return None
        raise ParameterError("a value is required", field=name)
    kind = spec.get("type", "str")
    if kind == "list":
        if not isinstance(value, list):
            raise ParameterError(f"expected a list, got {value!r}", field=name)
        if "min_items" in spec and len(value) < spec["min_items"]:
            raise ParameterError(f"at least {spec['min_items']} item(s) needed", field=name)
        item_spec = {k: v for k, v in spec.items() if k not in ("type", "items", "min_items")}
        item_spec["type"] = spec.get("items", "str")
        return [_check(f"{name}[{i}]", item, item_spec) for i, item in enumerate(value)]
    if kind == "dict":
        if not isinstance(value, dict):
            raise ParameterError(f"expected a mapping, got {value!r}", field=name)
        if "keys" in spec:
            unknown = sorted(set(value) - set(spec["keys"]))
            if unknown:
                raise ParameterError(f"unknown key(s) {unknown}; allowed: {spec['keys']}", field=name)
        item_spec = {k: v for k, v in spec.items() if k not in ("type", "values", "keys")}
        item_spec["type"] = spec.get("values", "str")
        return {k: _check(f"{name}.{k}", v, item_spec) for k, v in value.items()}
    return _check_scalar(name, value, spec, kind)


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
        names the schema file).
    """
    schema = load_schema(stem, params_dir)
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise ParameterError(f"unknown parameter(s) for {stem}: {', '.join(unknown)}", field=unknown[0])
    filled = fill_defaults(schema, values)
    checked: dict[str, Any] = {}
    for name, spec in schema.items():
        try:
            checked[name] = _check(name, filled[name], spec)
        except ParameterError as exc:
            if name in values:
                raise
            raise ParameterError(f"bad default: {exc.message}", path=paths.relative(schema_path(stem, params_dir)),
                                 field=exc.field) from None
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
