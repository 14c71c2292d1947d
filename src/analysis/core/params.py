"""Report parameters: read ``params/<stem>/<set>.yaml`` and validate it against ``params/<stem>/_schema.yaml``.

Validation happens before any analysis runs (in ``make reports`` and again in the notebook's first cell), so a bad
parameter stops the report with one line naming it. A schema entry looks like::

    year_min: {type: int, min: 1900, max: 2100, help: "first publication year kept"}
    corpus: {type: list, items: source}        # each item: a path (relative to the project) or "external:<name>"
    lang: {type: str, choices: [fr, en]}
    weights: {type: dict, values: float, min: 0, keys: [alignment, momentum]}

Types: ``str``, ``int``, ``float``, ``bool``, ``path`` (must exist unless ``must_exist: false``), ``source``
(a path or ``external:<name>``; a missing external dataset is allowed: the report says it is missing), ``list``, ``dict``.
``"null": true`` (or unquoted ``null: true``) allows an empty value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.core.yamlfile import read_yaml

SCHEMA_FILE = "_schema.yaml"


def schema_path(stem: str, params_dir: Path | None = None) -> Path:
    return Path(params_dir or paths.PARAMS) / stem / SCHEMA_FILE


def load_schema(stem: str, params_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    path = schema_path(stem, params_dir)
    if not path.exists():
        raise ParameterError(f"no parameter schema for notebook {stem!r}", path=paths.relative(path))
    return read_yaml(path, "parameter schema", ParameterError) or {}


def load_param_file(path: str | Path) -> dict[str, Any]:
    """Read a parameter YAML file; a missing file or a syntax error names the file and line."""
    data = read_yaml(path, "parameter file", ParameterError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError("a parameter file must be a mapping of name: value", path=paths.relative(path))
    return data


def resolve(path: str | Path) -> Path:
    """A parameter path: absolute as given, else relative to the project root."""
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
            from analysis.core import external

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


def validate(stem: str, values: dict[str, Any], params_dir: Path | None = None) -> dict[str, Any]:
    """Check ``values`` against the notebook's schema; return them normalized, or raise :class:`ParameterError`."""
    schema = load_schema(stem, params_dir)
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise ParameterError(f"unknown parameter(s) for {stem}: {', '.join(unknown)}", field=unknown[0])
    checked: dict[str, Any] = {}
    for name, spec in schema.items():
        if name not in values:
            if "default" in spec:
                checked[name] = spec["default"]
                continue
            raise ParameterError("missing parameter", field=name)
        checked[name] = _check(name, values[name], spec)
    return checked


def validate_file(stem: str, param_file: str | Path, params_dir: Path | None = None) -> dict[str, Any]:
    """Load and validate one parameter file; errors name the file and the parameter."""
    values = load_param_file(param_file)
    try:
        return validate(stem, values, params_dir)
    except ParameterError as exc:
        raise ParameterError(exc.message, path=paths.relative(param_file), field=exc.field) from None


def parameter_sets(stem: str, params_dir: Path | None = None) -> list[Path]:
    """Every parameter file of a notebook (``params/<stem>/*.yaml`` except the schema), sorted."""
    folder = Path(params_dir or paths.PARAMS) / stem
    return sorted(p for p in folder.glob("*.yaml") if p.name != SCHEMA_FILE)
