"""The package's layers (docs/architecture.md): core ← vigie / food / ecosystem ← report, cli above all.

Every module under src/analysis is parsed (ast) and every import it makes is collected, at module level and inside
functions alike (``if TYPE_CHECKING:`` blocks aside: they never run). The rules then read as set operations.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from analysis.core import paths

SRC = paths.ROOT / "src"
PACKAGE = SRC / "analysis"
DOMAINS = ("vigie", "food", "ecosystem")
PRESENTATION = ("matplotlib", "seaborn", "analysis.report")


@cache
def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the package (``analysis.vigie`` for its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def imported_names(module: str, source: str | None = None) -> set[str]:
    """Every module ``module`` imports (``from a.b import c`` gives ``a.b.c`` when that is a module, else
    ``a.b``); relative imports resolved against the package."""
    path = modules().get(module)
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    is_package = path is not None and path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    skipped = _type_checking_nodes(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                names.add(candidate if candidate in modules() else target)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@cache
def graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (itself aside)."""
    return {m: {n for n in imported_names(m) if n in modules() and n != m} for m in modules()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def violations(wing: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    """Modules of ``analysis.<wing>`` that import something under one of ``forbidden`` (module → names)."""
    out = {}
    for module in modules():
        if _within(module, f"analysis.{wing}"):
            bad = sorted(n for n in imported_names(module) if any(_within(n, f) for f in forbidden))
            if bad:
                out[module] = bad
    return out


# ------------------------------------------------------------------------------------------ the walker itself


def test_the_walker_sees_every_kind_of_import():
    source = (
        "import matplotlib.pyplot as plt\n"
        "from analysis.core import paths, errors\n"
        "from . import bank\n"
        "from .readers import common\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from analysis.report import display\n"
        "def f():\n"
        "    import seaborn\n"
        "    from analysis.food.survival import kaplan_meier\n"
    )
    names = imported_names("analysis.vigie.themes", source)
    assert names == {"matplotlib.pyplot", "analysis.core.paths", "analysis.core.errors", "analysis.vigie.bank",
                     "analysis.vigie.readers.common", "typing", "seaborn", "analysis.food.survival"}


def test_cycle_finder_on_a_hand_made_graph():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": {"g"}, "g": {"f"}}
    assert cycles(edges) == [["a", "b", "c"], ["f", "g"]]


def test_every_wing_is_found():
    found = set(modules())
    for wing in ("core", *DOMAINS, "report"):
        assert f"analysis.{wing}" in found
    assert {"analysis.cli", "analysis.core.params", "analysis.report.render.pipeline"} <= found


# ------------------------------------------------------------------------------------------ the rules


def test_core_imports_no_wing():
    bad = violations("core", ("analysis.vigie", "analysis.food", "analysis.ecosystem", "analysis.report",
                              "analysis.cli", "analysis.processed", "matplotlib", "seaborn"))
    assert bad == {}, f"core must import only core (and libraries): {bad}"


@pytest.mark.parametrize("wing", DOMAINS)
def test_domain_wings_import_no_presentation(wing):
    bad = violations(wing, PRESENTATION)
    assert bad == {}, f"{wing} must not import matplotlib, seaborn or analysis.report: {bad}"


@pytest.mark.parametrize("wing", DOMAINS)
def test_domain_wings_do_not_name_the_presentation_modules(wing):
    # not even in a docstring or a lazy import string: a domain knows nothing of who draws or writes its tables
    named = sorted(f"{path.relative_to(SRC)}:{i}" for path in (PACKAGE / wing).rglob("*.py")
                   for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                   if any(name in line for name in PRESENTATION))
    assert named == [], f"{wing} names matplotlib, seaborn or analysis.report: {named}"


@pytest.mark.parametrize("wing", DOMAINS)
def test_domain_wings_import_no_other_domain_wing(wing):
    others = tuple(f"analysis.{other}" for other in DOMAINS if other != wing)
    bad = violations(wing, others)
    assert bad == {}, f"{wing} must not import another domain wing (move what they share to core): {bad}"


def test_nothing_imports_the_command_line():
    importers = sorted(m for m, names in graph().items() if "analysis.cli" in names and m != "analysis.__main__")
    assert importers == [], "analysis.cli sits above every wing: nothing but analysis.__main__ imports it"


def test_no_import_cycle():
    assert cycles(graph()) == [], "import cycles between modules of the package"


# ------------------------------------------------------------------------------------------ the front door


def test_front_door():
    import analysis
    from analysis import core, ecosystem, food, report, vigie

    assert analysis.__all__ == ["core", "vigie", "food", "ecosystem", "report"]
    assert [m.__name__ for m in (core, vigie, food, ecosystem, report)] == [f"analysis.{n}" for n in analysis.__all__]
    assert analysis.report is report and "report" in dir(analysis)
    with pytest.raises(AttributeError):
        analysis.nothing  # noqa: B018
    for name in report.__all__:
        assert getattr(report, name) is not None, name
    assert report.start is report.notebook.start and report.render.render_all is not None


def test_import_analysis_is_light():
    """``import analysis`` loads no wing and no heavy library; the report layer does not load matplotlib or
    papermill until a figure or a render needs them."""
    code = ("import sys, analysis, analysis.report; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'analysis.vigie') "
            "if m in sys.modules))")
    light = subprocess.run([sys.executable, "-c", code.replace(", analysis.report", "")], capture_output=True,
                           text=True, check=True).stdout.strip()
    assert light == "[]"
    report = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert report == "['pandas']"
