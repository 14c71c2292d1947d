"""A notebook's ``parameters`` cell, generated from (and checked against) ``params/<stem>/_schema.yaml``.

The schema is the one place for each parameter's default. ``python -m analysis params sync [<stem>]`` rewrites the
cell tagged ``parameters`` of ``notebooks/<stem>.ipynb``: each parameter with its default, in schema order, with the
schema's ``help_fr`` (else ``help``) as its comment. ``python -m analysis params check [<stem>]`` exits 1 when a
cell and its schema disagree (names, order, values or comments), when a schema entry has no default, or when
``default.yaml`` sets a value other than the schema's default.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import nbformat

from analysis.core import atomic, params, paths
from analysis.core.errors import ParameterError

WIDTH = 120  # the project's line length (ruff)
INDENT = "    "
TAG = "parameters"


# ------------------------------------------------------------------------------------------ writing the cell


def literal(value: Any) -> str:
    """``value`` as Python source: strings in double quotes, ``None``/``True``/``False``, lists and dicts inline.

    Raises
    ------
    ParameterError
        The value is not plain data (text, number, boolean, null, list or mapping of those).
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Python string literal
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise ParameterError(f"a default must be plain data (text, number, list, mapping), got {type(value).__name__}")


def _items(value: list | dict) -> list[str]:
    if isinstance(value, dict):
        return [f"{literal(k)}: {literal(v)}" for k, v in value.items()]
    return [literal(v) for v in value]


def assignment(name: str, value: Any) -> list[str]:
    """``name = value`` on one line, or over several (items packed within :data:`WIDTH`) when it is too long."""
    line = f"{name} = {literal(value)}"
    if len(line) <= WIDTH or not isinstance(value, (list, dict)) or not value:
        return [line]
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    lines, current = [f"{name} = {opening}"], ""
    for item in _items(value):
        candidate = f"{current} {item}," if current else f"{INDENT}{item},"
        if current and len(candidate) > WIDTH:
            lines.append(current)
            candidate = f"{INDENT}{item},"
        current = candidate
    lines.append(current)
    lines.append(closing)
    return lines


def comment_of(spec: dict[str, Any]) -> str:
    """The comment of a parameter in the cell: the schema's ``help_fr`` when present, else ``help`` (one line)."""
    text = spec.get("help_fr") or spec.get("help") or ""
    return " ".join(str(text).split())


def cell_source(schema: dict[str, dict[str, Any]]) -> str:
    """The source of the ``parameters`` cell for ``schema``: every parameter with its default, in schema order.

    A comment that fits beside its assignment within :data:`WIDTH` columns goes there; a longer one goes above it,
    wrapped.

    Parameters
    ----------
    schema : dict
        A parameter schema (:func:`analysis.core.params.load_schema`); every entry must have a ``default``.

    Returns
    -------
    str
        Python source, one parameter after the other, ending without a newline.

    Raises
    ------
    ParameterError
        An entry has no ``default`` (naming it).
    """
    missing = params.missing_defaults(schema)
    if missing:
        raise ParameterError(f"no default for {', '.join(missing)}: every schema entry needs one", field=missing[0])
    lines: list[str] = []
    for name, spec in schema.items():
        code = assignment(name, spec["default"])
        comment = comment_of(spec)
        if comment and len(code) == 1 and len(f"{code[0]}  # {comment}") <= WIDTH:
            lines.append(f"{code[0]}  # {comment}")
            continue
        if comment:
            lines += textwrap.wrap(comment, WIDTH, initial_indent="# ", subsequent_indent="# ",
                                   break_long_words=False, break_on_hyphens=False)
        lines += code
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ reading the cell


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The code cell tagged ``parameters``; :class:`ParameterError` when there is none or more than one."""
    cells = [c for c in nb.cells if c.cell_type == "code" and TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        found = "no cell" if not cells else f"{len(cells)} cells"
        raise ParameterError(f"the notebook has {found} tagged 'parameters' (exactly one is needed)")
    return cells[0]


def cell_values(source: str) -> dict[str, Any]:
    """The values assigned in a ``parameters`` cell (``name = literal  # comment``), in order.

    Raises
    ------
    ParameterError
        A statement is not the assignment of a literal to one name.
    """
    values: dict[str, Any] = {}
    try:
        body = ast.parse(source).body
    except SyntaxError as exc:
        raise ParameterError(f"the parameters cell is not valid Python: {exc.msg}", line=exc.lineno) from None
    for node in body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or value is None:
            raise ParameterError("the parameters cell may only assign values to names", line=node.lineno)
        try:
            values[targets[0].id] = ast.literal_eval(value)
        except ValueError:
            raise ParameterError("the parameters cell may only assign literal values", line=node.lineno,
                                 field=targets[0].id) from None
    return values


def parameters_cell_values(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The literal values assigned in the notebook's cell tagged ``parameters``."""
    return cell_values(parameters_cell(nb).source)


def same_value(a: Any, b: Any) -> bool:
    """Equal as parameter values: ``1 == 1.0``, but ``True`` is not ``1`` and list order matters."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def value_differences(cell: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """What differs between a cell's values and the expected ones (names, order, values), one sentence each."""
    problems = [f"{name}: in the cell but not in the schema" for name in cell if name not in expected]
    problems += [f"{name}: in the schema but not in the cell" for name in expected if name not in cell]
    problems += [f"{name}: the cell says {literal(cell[name])}, the schema's default is {literal(expected[name])}"
                 for name in expected if name in cell and not same_value(cell[name], expected[name])]
    if not problems and list(cell) != list(expected):
        problems.append(f"the cell's order differs from the schema's ({', '.join(expected)})")
    return problems


# ------------------------------------------------------------------------------------------ check and sync


def notebook_path(stem: str, notebooks_dir: Path | None = None) -> Path:
    """``<notebooks_dir>/<stem>.ipynb``, or :class:`ParameterError` when there is no such notebook."""
    path = Path(notebooks_dir or paths.NOTEBOOKS) / f"{stem}.ipynb"
    if not path.exists():
        raise ParameterError(f"no notebook {stem}.ipynb in {paths.relative(path.parent)}", field="notebook")
    return path


def check(stem: str, notebooks_dir: Path | None = None, params_dir: Path | None = None) -> list[str]:
    """Every disagreement between a notebook's ``parameters`` cell, its schema and its ``default.yaml``.

    Parameters
    ----------
    stem : str
        Notebook name without ``.ipynb``.
    notebooks_dir, params_dir : Path, optional
        Folders of the notebooks and of the parameter sets (default ``notebooks/`` and ``params/``).

    Returns
    -------
    list of str
        One sentence per problem, empty when the cell is exactly the one :func:`sync` would write.
    """
    schema = params.load_schema(stem, params_dir)
    nb = nbformat.read(notebook_path(stem, notebooks_dir), as_version=4)
    try:
        source = parameters_cell(nb).source
        values = cell_values(source)
    except ParameterError as exc:
        return [exc.one_line()]
    problems = [f"{name}: no default in {params.SCHEMA_FILE}" for name in params.missing_defaults(schema)]
    expected = {name: spec["default"] for name, spec in schema.items() if "default" in spec}
    problems += value_differences({k: v for k, v in values.items() if k in expected or k not in schema}, expected)
    default_file = Path(params_dir or paths.PARAMS) / stem / f"{params.DEFAULT_SET}.yaml"
    if default_file.exists():
        declared = params.load_param_file(default_file)
        problems += [f"{default_file.name} sets {name} to {literal(value)}, the schema's default is "
                     f"{literal(expected[name])} (one place for each default: the schema)"
                     for name, value in declared.items() if name in expected and not same_value(value, expected[name])]
    if not problems and source.strip() != cell_source(schema):
        problems.append("the cell's comments or layout differ from the schema's (run `python -m analysis params "
                        f"sync {stem}`)")
    return problems


def sync(stem: str, notebooks_dir: Path | None = None, params_dir: Path | None = None) -> bool:
    """Rewrite the notebook's ``parameters`` cell from its schema; return whether the file changed.

    Only the cell's source changes (the notebook's outputs, ids and metadata stay as they are), so a notebook
    already in sync is left untouched.

    Raises
    ------
    ParameterError
        No schema, a schema entry without default, or no cell tagged ``parameters``.
    """
    schema = params.load_schema(stem, params_dir)
    try:
        source = cell_source(schema)
    except ParameterError as exc:
        raise ParameterError(exc.message, path=paths.relative(params.schema_path(stem, params_dir)),
                             field=exc.field) from None
    path = notebook_path(stem, notebooks_dir)
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    if cell.source == source:
        return False
    cell.source = source
    atomic.write(path, lambda tmp: nbformat.write(nb, tmp))
    return True


def notebook_stems(notebooks_dir: Path | None = None) -> list[str]:
    """Every notebook of ``notebooks_dir`` (names without ``.ipynb``), sorted."""
    return sorted(p.stem for p in Path(notebooks_dir or paths.NOTEBOOKS).glob("*.ipynb"))


# ------------------------------------------------------------------------------------------ command line


def configure(parser: argparse.ArgumentParser) -> None:
    """CLI: ``python -m analysis params {sync,check} [NOTEBOOK ...]``."""
    parser.add_argument("action", choices=("sync", "check"),
                        help="sync: rewrite each parameters cell from its schema; check: exit 1 when they disagree")
    parser.add_argument("stems", nargs="*", metavar="NOTEBOOK", help="notebook names without .ipynb (default: all)")
    parser.add_argument("--notebooks", type=Path, default=None, help="notebooks folder (default notebooks/)")
    parser.add_argument("--params", type=Path, default=None, help="parameter sets folder (default params/)")


def run(args: argparse.Namespace) -> int:
    """Sync or check the parameters cells, one notebook after the other (a failing one does not stop the rest);
    print one line per notebook, problems on stderr; exit 1 when any notebook failed."""
    stems = args.stems or notebook_stems(args.notebooks)
    failed = 0
    for stem in stems:
        try:
            if args.action == "sync":
                changed = sync(stem, args.notebooks, args.params)
                print(f"{stem}: parameters cell {'rewritten from' if changed else 'already equal to'} its schema")
                continue
            problems = check(stem, args.notebooks, args.params)
        except ParameterError as exc:
            problems = [f"error: {exc.one_line()}"]
        for problem in problems:
            print(f"{stem}: {problem}", file=sys.stderr)
        if problems:
            failed += 1
        else:
            print(f"{stem}: parameters cell equals its schema")
    return 1 if failed else 0
