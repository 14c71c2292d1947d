"""The reports to produce: one job per (notebook, parameter set), and what happened to it.

``notebooks/<stem>.ipynb`` × ``params/<stem>/<set>.yaml`` (every YAML file beside ``_schema.yaml``). A job's
parameters are validated before any kernel starts (:func:`validate_params`), so a bad value stops that report with
one line naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.core import params, paths
from analysis.core.errors import ParameterError


@dataclass(frozen=True)
class Job:
    """One report to produce: a notebook run with one parameter file."""

    stem: str
    set_name: str
    notebook: Path
    param_file: Path
    params_dir: Path
    reports_dir: Path

    @property
    def name(self) -> str:
        """``<stem>/<set>``, as printed and as the report's folder under ``reports/``."""
        return f"{self.stem}/{self.set_name}"


@dataclass
class Result:
    """What happened to one job (``html`` is the published report, ``None`` on failure)."""

    stem: str
    set_name: str
    ok: bool
    seconds: float
    message: str = ""
    html: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``<stem>/<set>``."""
        return f"{self.stem}/{self.set_name}"


def find_jobs(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
              reports_dir: Path = paths.REPORTS, only: str | None = None,
              set_name: str | None = None) -> list[Job]:
    """Every (notebook, parameter file) pair, sorted.

    Parameters
    ----------
    notebooks_dir, params_dir, reports_dir : Path
        Folders of the notebooks, of the parameter sets and of the published reports.
    only : str, optional
        Keep one notebook (name without ``.ipynb``).
    set_name : str, optional
        Keep one parameter set (file name without ``.yaml``).

    Returns
    -------
    list of Job
        Sorted by notebook, then parameter set.

    Raises
    ------
    ParameterError
        ``only`` names no notebook of ``notebooks_dir``.
    """
    notebooks = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if only is not None:
        notebooks = [nb for nb in notebooks if nb.stem == only]
        if not notebooks:
            raise ParameterError(f"no notebook {only}.ipynb in {paths.relative(notebooks_dir)}", field="--only")
    jobs = []
    for nb in notebooks:
        sets = params.parameter_sets(nb.stem, Path(params_dir))
        if set_name is not None:
            sets = [p for p in sets if p.stem == set_name]
        jobs.extend(Job(nb.stem, p.stem, nb.resolve(), p.resolve(), Path(params_dir).resolve(),
                        Path(reports_dir).resolve()) for p in sets)
    return jobs


def validate_params(stem: str, param_file: Path, params_dir: Path = paths.PARAMS) -> dict[str, Any]:
    """Validate one parameter file against ``<params_dir>/<stem>/_schema.yaml``, defaults filled from the schema.

    Raises
    ------
    ParameterError
        Naming the file and the parameter.
    """
    return params.validate_file(stem, param_file, params_dir)
