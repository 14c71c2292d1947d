"""Every report notebook: a `parameters` cell equal to params/<stem>/default.yaml, a schema, a provenance section."""

from __future__ import annotations

import ast

import nbformat
import pytest

from analysis.core import params, paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def _parameters_cell(nb) -> dict:
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    values = {}
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, "the parameters cell only assigns values"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_equals_default_yaml(notebook):
    nb = nbformat.read(notebook, as_version=4)
    cell = _parameters_cell(nb)
    default = params.load_param_file(paths.PARAMS / notebook.stem / "default.yaml")
    assert cell == default
    params.validate(notebook.stem, default)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_parameter_set_is_valid(notebook):
    sets = params.parameter_sets(notebook.stem)
    assert sets, f"no parameter file in params/{notebook.stem}/"
    for path in sets:
        params.validate_file(notebook.stem, path)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_with_outputs_and_provenance(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "commit the notebook executed (make notebooks)"
    assert any("show_provenance" in c.source for c in code), "every report ends with its provenance"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, "the committed notebook has an error output"
    streams = [o for c in code for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not streams, "stray stderr output (warnings) in the committed notebook"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_labelled_markdown_cells_match_their_catalogue(notebook):
    from analysis.report.render import markdown_label_mismatches

    nb = nbformat.read(notebook, as_version=4)
    assert markdown_label_mismatches(nb) == []
