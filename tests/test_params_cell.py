"""The parameters cell generated from the schema (analysis.core.params_cell): `params sync` and `params check`.

Run on temporary copies of the demo fixture (tests/fixtures/render, synthetic), never on the real notebooks.
"""

from __future__ import annotations

import ast
import shutil

import nbformat
import pytest
from _render_demo import FIXTURE

from analysis import cli
from analysis.core import params, params_cell
from analysis.core.errors import ParameterError


@pytest.fixture()
def project(tmp_path):
    """A copy of the demo fixture: (notebooks, params)."""
    notebooks, params_dir = tmp_path / "notebooks", tmp_path / "params"
    shutil.copytree(FIXTURE / "notebooks", notebooks)
    shutil.copytree(FIXTURE / "params", params_dir)
    return notebooks, params_dir


def _set_cell(notebooks, source: str) -> None:
    path = notebooks / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    params_cell.parameters_cell(nb).source = source
    nbformat.write(nb, path)


def test_literals_are_python_source():
    assert params_cell.literal("Montréal \"centre\"") == '"Montréal \\"centre\\""'
    assert params_cell.literal(None) == "None" and params_cell.literal(True) == "True"
    assert params_cell.literal([5, 10.5, "external:x"]) == '[5, 10.5, "external:x"]'
    assert params_cell.literal({"alignment": 0.3, "n": None}) == '{"alignment": 0.3, "n": None}'
    for value in ("a\nb", "l'été", [1, [2, {"k": False}]]):
        assert ast.literal_eval(params_cell.literal(value)) == value
    with pytest.raises(ParameterError, match="plain data"):
        params_cell.literal({1, 2})


def test_long_values_are_wrapped_within_the_line_length():
    thresholds = {f"indicator_number_{i:02d}_min": i * 1000.5 for i in range(14)}
    lines = params_cell.assignment("thresholds", thresholds)
    # an item takes 33 to 35 columns: three fit in a line of 120 after the indent, so 14 items take 5 lines
    assert lines[0] == "thresholds = {" and lines[-1] == "}" and len(lines) == 2 + 5
    assert lines[1] == ('    "indicator_number_00_min": 0.0, "indicator_number_01_min": 1000.5, '
                        '"indicator_number_02_min": 2001.0,')
    assert lines[5] == '    "indicator_number_12_min": 12006.0, "indicator_number_13_min": 13006.5,'
    assert all(len(line) <= params_cell.WIDTH for line in lines)
    assert ast.literal_eval("\n".join(lines).split(" = ", 1)[1]) == thresholds
    assert params_cell.assignment("n", 3) == ["n = 3"]


def test_cell_source_uses_french_help_and_puts_long_comments_above():
    schema = {
        "corpus": {"type": "list", "default": ["a.csv"], "help": "files " * 30},
        "top_n": {"type": "int", "default": 15, "help": "rows of the top lists", "help_fr": "lignes des palmarès"},
        "lang": {"type": "str", "default": "fr"},
    }
    source = params_cell.cell_source(schema)
    lines = source.splitlines()
    assert lines[:2] == ["# " + ("files " * 19).strip(), "# " + ("files " * 11).strip()]
    assert lines[2:] == ['corpus = ["a.csv"]', "top_n = 15  # lignes des palmarès", 'lang = "fr"']
    assert params_cell.cell_values(source) == {"corpus": ["a.csv"], "top_n": 15, "lang": "fr"}
    del schema["lang"]["default"]
    with pytest.raises(ParameterError, match=r"\[lang\] no default for lang"):
        params_cell.cell_source(schema)


def test_cell_values_refuse_code():
    assert params_cell.cell_values('x = 1  # one\ny: int = 2\n') == {"x": 1, "y": 2}
    with pytest.raises(ParameterError) as err:
        params_cell.cell_values("x = 1\nprint(x)\n")
    assert err.value.line == 2 and "only assign values" in err.value.message
    with pytest.raises(ParameterError, match=r"\[y\] the parameters cell may only assign literal values"):
        params_cell.cell_values("y = len('abc')\n")


def test_the_fixture_cell_is_in_sync():
    notebooks, params_dir = FIXTURE / "notebooks", FIXTURE / "params"
    assert params_cell.check("demo", notebooks, params_dir) == []
    nb = nbformat.read(notebooks / "demo.ipynb", as_version=4)
    assert params_cell.parameters_cell_values(nb) == params.defaults("demo", params_dir)


def test_check_names_each_disagreement(project):
    notebooks, params_dir = project
    _set_cell(notebooks, 'n_rows = 5\ntitle_suffix = "démo"\ncolour = "red"\n')
    assert params_cell.check("demo", notebooks, params_dir) == [
        "colour: in the cell but not in the schema",
        "lang: in the schema but not in the cell",
        "n_rows: the cell says 5, the schema's default is 12",
    ]
    _set_cell(notebooks, 'n_rows = 12\ntitle_suffix = "démo"\nlang = "fr"\n')
    assert params_cell.check("demo", notebooks, params_dir) == [
        "the cell's order differs from the schema's (title_suffix, n_rows, lang)"]
    _set_cell(notebooks, 'title_suffix = "démo"\nn_rows = 12\nlang = "fr"  # hand-written comment\n')
    assert params_cell.check("demo", notebooks, params_dir) == [
        "the cell's comments or layout differ from the schema's (run `python -m analysis params sync demo`)"]
    (params_dir / "demo" / "default.yaml").write_text("n_rows: 11\nlang: fr\n", encoding="utf-8")
    assert params_cell.check("demo", notebooks, params_dir) == [
        "default.yaml sets n_rows to 11, the schema's default is 12 (one place for each default: the schema)"]


def test_sync_rewrites_only_the_parameters_cell(project):
    notebooks, params_dir = project
    path = notebooks / "demo.ipynb"
    _set_cell(notebooks, "n_rows = 5\n")
    before = nbformat.read(path, as_version=4)
    assert params_cell.sync("demo", notebooks, params_dir) is True
    after = nbformat.read(path, as_version=4)
    assert params_cell.parameters_cell(after).source == (
        'title_suffix = "démo"  # texte ajouté au titre\n'
        "n_rows = 12  # lignes du tableau synthétique (plus de 10 : le tableau peut être trié)\n"
        'lang = "fr"  # langue du rapport : fr ou en')
    assert [c.source for c in after.cells[1:]] == [c.source for c in before.cells[1:]]
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in before.cells]
    assert params_cell.check("demo", notebooks, params_dir) == []
    written = path.read_bytes()
    assert params_cell.sync("demo", notebooks, params_dir) is False and path.read_bytes() == written


def test_sync_refuses_a_schema_without_default(project):
    notebooks, params_dir = project
    schema = params_dir / "demo" / "_schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace("  default: 12\n", ""), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        params_cell.sync("demo", notebooks, params_dir)
    assert err.value.one_line() == "_schema.yaml: [n_rows] no default for n_rows: every schema entry needs one"
    assert "n_rows: no default in _schema.yaml" in params_cell.check("demo", notebooks, params_dir)


def test_params_command(project, capsys):
    notebooks, params_dir = project
    where = ["--notebooks", str(notebooks), "--params", str(params_dir)]
    _set_cell(notebooks, 'title_suffix = "autre"\nn_rows = 12\nlang = "fr"\n')
    assert cli.main(["params", "check", *where]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "demo: title_suffix: the cell says \"autre\", the schema's default is \"démo\""]
    assert cli.main(["params", "sync", "demo", *where]) == 0
    assert capsys.readouterr().out == "demo: parameters cell rewritten from its schema\n"
    assert cli.main(["params", "check", "demo", *where]) == 0
    assert capsys.readouterr().out == "demo: parameters cell equals its schema\n"
    assert cli.main(["params", "check", "ghost", *where]) == 1
    assert capsys.readouterr().err == "ghost: error: _schema.yaml: no parameter schema for notebook 'ghost'\n"


def test_sync_goes_on_after_a_notebook_it_cannot_sync(project, capsys):
    notebooks, params_dir = project
    shutil.copy(notebooks / "demo.ipynb", notebooks / "a_first.ipynb")
    _set_cell(notebooks, "n_rows = 5\n")
    assert cli.main(["params", "sync", "--notebooks", str(notebooks), "--params", str(params_dir)]) == 1
    out, err = capsys.readouterr()
    assert err == "a_first: error: _schema.yaml: no parameter schema for notebook 'a_first'\n"
    assert out == "demo: parameters cell rewritten from its schema\n"
