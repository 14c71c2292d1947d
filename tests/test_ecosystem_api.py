"""The ecosystem wing's public API: what a researcher types, no-argument loaders, misuse, layering, thin notebook."""

from __future__ import annotations

import ast
import inspect
import shutil

import nbformat
import pandas as pd
import pytest

from analysis import ecosystem
from analysis.core import external, params, paths
from analysis.core.errors import ParameterError
from analysis.core.text import fold_lower

WING = paths.ROOT / "src" / "analysis" / "ecosystem"
NOTEBOOK = paths.NOTEBOOKS / "ecosysteme.ipynb"
FUNCTIONS = [name for name in ecosystem.__all__ if inspect.isfunction(getattr(ecosystem, name))]


def test_all_names_exist_and_the_examples_run():
    assert len(ecosystem.__all__) == len(set(ecosystem.__all__))
    for name in ecosystem.__all__:
        assert hasattr(ecosystem, name), name
    assert ecosystem.grant(25_000) == 20_000.0                       # 80 % of 25 000 $ reaches the ceiling
    assert ecosystem.grant(10_000) == 8_000.0


@pytest.mark.parametrize("name", FUNCTIONS)
def test_numpydoc_docstring(name):
    doc = inspect.getdoc(getattr(ecosystem, name)) or ""
    sections = [line.strip() for line in doc.splitlines()]
    if inspect.signature(getattr(ecosystem, name)).parameters:
        assert "Parameters" in sections, f"{name}: no Parameters section"
    assert "Returns" in sections, f"{name}: no Returns section"
    if name not in ("normalize_name", "municipality_key"):           # these two never raise
        assert "Raises" in sections, f"{name}: no Raises section"


def test_no_function_of_the_wing_takes_lang():
    for module in (ecosystem.indicators, ecosystem.territory, ecosystem.review, ecosystem.procurement,
                   ecosystem.digital):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                assert "lang" not in inspect.signature(fn).parameters, f"{module.__name__}.{name} takes lang"


def test_the_wing_neither_draws_nor_imports_the_report_layer():
    for path in sorted(WING.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("matplotlib", "seaborn", "analysis.report")), f"{path.name}: {name}"
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        assert not [f.name for f in functions if f.name.startswith("plot_")], path.name
        nested_imports = [n for f in functions for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not nested_imports, f"{path.name}: function-level import"


# ---- loaders with no argument (after `make data`)

LOADERS = {
    "load_indicators": None, "load_initiatives": None, "load_labelled_names": None, "load_match_review": None,
    "load_register": "req_mauricie", "load_pole_directory": "pole_mauricie_directory",
    "load_pole_members": "pole_mauricie_members",
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_loader_works_with_no_argument(name):
    dataset = LOADERS[name]
    if dataset is not None and not external.is_available(dataset):
        pytest.skip(f"external dataset {dataset} absent from data/external/ (run `make data`)")
    table = getattr(ecosystem, name)()
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    assert (paths.ROOT / table.attrs["path"]).exists()


def test_read_contracts_with_no_argument_gives_empty_tables():
    contracts, rejected = ecosystem.read_contracts()
    assert contracts.empty and rejected.empty
    assert list(rejected.columns) == ["file", "line", "reason", "value"]


def test_relative_paths_from_another_folder_and_from_the_current_one(tmp_path, monkeypatch):
    monkeypatch.chdir(paths.NOTEBOOKS)
    from_root = ecosystem.load_indicators("data/raw/ecosystem/indicators.csv")   # the path its docstring names
    assert ecosystem.get_indicator(from_root, "se_jobs", "monteregie_est") == 3226
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "ind.csv"
    shutil.copy(paths.RAW / "ecosystem" / "indicators.csv", mine)
    local = ecosystem.load_indicators("ind.csv")                                   # found in the current folder
    assert local.attrs["path"] == str(mine.resolve()) and len(local) == len(from_root)


# ---- misuse gives one line naming the argument


@pytest.fixture(scope="module")
def ind():
    return ecosystem.load_indicators()


def test_wrong_table(ind):
    with pytest.raises(ParameterError) as e:
        ecosystem.region_shares(ind[["indicator", "value"]], "monteregie_est")
    assert e.value.field == "indicators" and "missing scope, year" in e.value.message
    with pytest.raises(ParameterError) as e:
        ecosystem.counts_by_form(ind)
    assert e.value.field == "register" and "load_register" in e.value.message
    with pytest.raises(ParameterError) as e:
        ecosystem.survival_comparison("data/raw/ecosystem/indicators.csv")
    assert e.value.field == "indicators" and "got a str" in e.value.message


def test_unknown_region_code(ind):
    with pytest.raises(ParameterError) as e:
        ecosystem.region_shares(ind, "atlantis")
    assert e.value.field == "region" and "atlantis" in e.value.message and "monteregie_est" in e.value.message
    with pytest.raises(ParameterError) as e:
        ecosystem.region_ratios(ind, "monteregie_est", reference="canada")
    assert e.value.field == "reference"


@pytest.mark.parametrize("call, field", [
    (lambda: ecosystem.grant(-1), "cost"),
    (lambda: ecosystem.grant(1_000, share=1.5), "share"),
    (lambda: ecosystem.grant(1_000, ceiling=-5), "ceiling"),
    (lambda: ecosystem.grant_table([5_000, -2_000]), "costs[1]"),
    (lambda: ecosystem.grant_table(5_000), "costs"),
    (lambda: ecosystem.programme_reach(ecosystem.load_indicators(), reached=-3), "reached"),
    (lambda: ecosystem.read_contracts("data/private/seao.json"), "files"),
    (lambda: ecosystem.read_contracts([3]), "files[0]"),
    (lambda: ecosystem.indicator_growth(ecosystem.load_indicators(), "coop_mutual_jobs", 2019, 2011), "end"),
    (lambda: ecosystem.get_indicator(ecosystem.load_indicators(), "no_such_indicator"), "indicator"),
    (lambda: ecosystem.load_indicators(42), "path"),
])
def test_bad_arguments_name_the_argument(call, field):
    with pytest.raises(ParameterError) as e:
        call()
    assert e.value.field == field


def test_bad_grouping_and_threshold():
    contracts = pd.DataFrame({"supplier_name": ["Coop X"], "supplier_neq": [None], "amount": [10.0]})
    with pytest.raises(ParameterError) as e:
        ecosystem.collective_shares(contracts, by="sector")
    assert e.value.field == "by"
    reg = pd.DataFrame({"neq": ["1100000001"], "name": ["Coop X"], "legal_form": ["COP"], "municipality_key": [None]})
    with pytest.raises(ParameterError) as e:
        ecosystem.match_directory(reg, pd.DataFrame({"name": ["Coop X"]}), threshold=120)
    assert e.value.field == "threshold"


# ---- one folding function


def test_names_are_folded_with_the_project_function():
    assert fold_lower("Coopérative d’Habitation Œuvre") == "cooperative d'habitation oeuvre"
    assert fold_lower(None) is None
    assert ecosystem.normalize_name("Le Chœur du Roy") == "choeur roy"            # œ → oe, as everywhere else
    assert ecosystem.municipality_key("Ste-Anne-de-la-Pérade (Québec)") == "sainte-anne-de-la-perade"
    assert ecosystem.classify_name("Centre d’action bénévole X") == (True, "nonprofit")


# ---- the notebook is a thin report


def _notebook():
    if not NOTEBOOK.exists():
        pytest.skip("no ecosystem notebook")
    return nbformat.read(NOTEBOOK, as_version=4)


def test_parameters_cell_is_the_schema_defaults_in_order():
    nb = _notebook()
    cell = nb.cells[0]
    assert "parameters" in cell.metadata.get("tags", [])
    assigned = [(node.targets[0].id, ast.literal_eval(node.value)) for node in ast.parse(cell.source).body]
    schema = params.load_schema("ecosysteme")
    assert [name for name, _ in assigned] == list(schema)
    assert dict(assigned) == {name: spec["default"] for name, spec in schema.items()}


def test_code_cells_are_short_calls():
    nb = _notebook()
    code = [c for c in nb.cells[1:] if c.cell_type == "code"]
    assert "NBVAL_IGNORE_OUTPUT" in code[-1].source and "show_provenance" in code[-1].source
    for cell in code[1:]:                                   # every cell after the setup cell
        tree = ast.parse(cell.source)
        control = [n for n in ast.walk(tree) if isinstance(n, (ast.If, ast.For, ast.While, ast.FunctionDef,
                                                                ast.Lambda, ast.Try, ast.IfExp))]
        assert not control, f"control flow in a cell: {cell.source}"
        assert len([line for line in cell.source.splitlines() if line.strip()]) <= 4, cell.source
        numbers = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, (int, float))
                   and not isinstance(n.value, bool)]
        assert not numbers, f"a constant in a cell: {numbers}"


def test_every_heading_is_a_labelled_markdown_cell():
    nb = _notebook()
    headings = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("#")]
    assert len(headings) == 14
    assert headings[0].metadata["analysis"]["label"] == "common.brief_title"      # « En bref » comes first
    assert nb.cells.index(headings[0]) == 2                                         # right after the setup cell
    for cell in headings[1:]:
        assert cell.metadata["analysis"]["label"].startswith("ecosysteme.")
    assert not any("show_heading" in c.source for c in nb.cells if c.cell_type == "code")
