"""Every report notebook: a `parameters` cell equal to its schema's defaults, valid parameter sets, a provenance
section, Markdown cells equal to their catalogue entries."""

from __future__ import annotations

import nbformat
import pytest

from analysis.core import params, params_cell, paths
from analysis.report import render

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


# Schemas whose entries do not all have a default yet (their owners add them); strict: the test must start failing
# (XPASS) the day the default is there, so that the marker goes.
MISSING_DEFAULTS: dict[str, str] = {}
SYNC = "the parameters cells predate `python -m analysis params sync`: run it after merging, then remove this marker"


def _with_marks(reasons: dict[str, str]) -> list:
    return [pytest.param(nb, id=nb.stem, marks=pytest.mark.xfail(strict=True, reason=reasons[nb.stem]))
            if nb.stem in reasons else pytest.param(nb, id=nb.stem) for nb in NOTEBOOKS]


@pytest.mark.parametrize("notebook", _with_marks(MISSING_DEFAULTS))
def test_parameters_cell_equals_the_schema_defaults(notebook):
    """One place for each default: the notebook's parameters cell holds exactly the schema's defaults, and the
    default report (default.yaml completed by the schema) runs with the same values as the committed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    cell = params_cell.parameters_cell_values(nb)
    schema = params.load_schema(notebook.stem)
    assert params.missing_defaults(schema) == []
    assert params_cell.value_differences(cell, params.defaults(notebook.stem)) == []
    assert params.load_set(notebook.stem, "default") == params.validate(notebook.stem, cell)


@pytest.mark.parametrize("notebook", _with_marks({}))
def test_parameters_cell_is_generated_from_the_schema(notebook):
    """The cell is exactly what `python -m analysis params sync` writes (names, order, values and comments)."""
    assert params_cell.check(notebook.stem) == []


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
    nb = nbformat.read(notebook, as_version=4)
    assert render.markdown_label_mismatches(nb) == []
