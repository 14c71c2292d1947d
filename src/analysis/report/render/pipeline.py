"""One report from start to finish: validate its parameters, run the notebook, clean it, build the page, publish it;
or (``make notebooks``) re-run a committed notebook with its own defaults and write it back with its outputs.

Each function returns a :class:`~analysis.report.render.jobs.Result` and never raises for a failing notebook: the
failure becomes one English line (published as ``ECHEC.txt`` for a report).
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from analysis.core import atomic, inputs, params, paths
from analysis.core.errors import ParameterError, StorageError, VigieError
from analysis.core.params_cell import parameters_cell_values, same_value
from analysis.report import provenance
from analysis.report.render import kernel
from analysis.report.render.clean import clean_notebook, localize_markdown
from analysis.report.render.index import missing_data_notes
from analysis.report.render.jobs import Job, Result, validate_params
from analysis.report.render.page import TEMPLATE_VERSION, to_html
from analysis.report.render.publish import TMP_DIR, publish_failure, publish_report, report_file, scratch_dir

_ABSENT = object()


def _fail(job: Job, message: str, started: float, work: Path | None, executed: Path | None) -> Result:
    """Publish the failure note (when the disk allows it: else the set's folder stays as it was) and clean up."""
    try:
        publish_failure(job, message, executed)
    except VigieError as exc:
        message += f" (the failure note could not be written either: {exc.one_line()})"
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return Result(job.stem, job.set_name, False, time.perf_counter() - started, message)


def render_job(job: Job, day: str | None = None) -> Result:
    """Produce one report: validate, execute, clean, convert, then move it into ``reports/<stem>/<set>/``.

    Parameters
    ----------
    job : Job
        The notebook and parameter set.
    day : str, optional
        ISO date the page says it was produced (default: today, or ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    Result
        ``ok`` with the published page, or the one-line error (the set's folder then holds only ``ECHEC.txt``).
    """
    started = time.perf_counter()
    try:
        values = validate_params(job.stem, job.param_file, job.params_dir)
    except VigieError as exc:
        return _fail(job, exc.one_line(), started, None, None)
    try:
        with atomic.storage_errors(job.reports_dir / TMP_DIR):
            work = Path(tempfile.mkdtemp(prefix=f"{job.stem}-{job.set_name}-", dir=scratch_dir(job.reports_dir)))
            out_dir = work / "report"
            out_dir.mkdir()
    except VigieError as exc:
        return _fail(job, exc.one_line(), started, None, None)
    executed = work / f"{job.stem}-{job.set_name}.ipynb"
    env = {inputs.ALLOW_OUTSIDE_ENV: "1"} if params.allows_outside(job.param_file) else {}
    try:
        nb = kernel.execute(job.notebook, executed, values, job.notebook.parent, out_dir, env=env)
    except Exception as exc:  # noqa: BLE001 - any notebook failure becomes one line
        return _fail(job, kernel.error_line(exc), started, work, executed)
    lang = str(values.get("lang", "fr"))
    try:
        nb = nbformat.from_dict(nb) if not hasattr(nb, "cells") else nb
        localize_markdown(nb, lang)
        info = clean_notebook(nb)
        prov_file = out_dir / "provenance.json"
        prov = json.loads(prov_file.read_text(encoding="utf-8")) if prov_file.exists() else {}
        data_version = prov.get("data_version") or provenance.data_version()
        today = _dt.date.fromisoformat(day) if day else provenance.run_time().date()
        page = to_html(nb, stem=job.stem, set_name=job.set_name, lang=lang, info=info,
                       data_version=data_version, day=today)
        html_name = report_file(job.stem, job.set_name)
        atomic.write(out_dir / html_name, page)
        seconds = time.perf_counter() - started
        csvs = sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "donnees").glob("*.csv"))
        meta = {
            "notebook": job.stem, "set": job.set_name, "title": info["title"] or job.stem,
            "subtitle": info["subtitle"], "lang": lang, "html": html_name, "csv": csvs,
            "data_version": data_version, "date": today.isoformat(),
            "commit": prov.get("commit"), "template": TEMPLATE_VERSION, "missing": missing_data_notes(nb),
        }
        target = publish_report(job, out_dir, meta)
    except (StorageError, OSError) as exc:  # disk full, read-only: one line naming the path and what to do
        return _fail(job, kernel.error_line(exc), started, work, executed)
    except Exception as exc:  # noqa: BLE001 - a conversion failure becomes one line too
        return _fail(job, f"HTML conversion failed: {kernel.error_line(exc)}", started, work, executed)
    shutil.rmtree(work, ignore_errors=True)
    return Result(job.stem, job.set_name, True, seconds, "", (target / html_name).as_posix(), info["notes"])


def check_defaults_cell(job: Job) -> None:
    """Refuse to re-run a notebook whose ``parameters`` cell differs from its default set (schema defaults +
    ``default.yaml``).

    Raises
    ------
    ParameterError
        Naming the parameters that differ.
    """
    validate_params(job.stem, job.param_file, job.params_dir)
    cell = parameters_cell_values(nbformat.read(job.notebook, as_version=4))
    schema = params.load_schema(job.stem, job.params_dir)
    expected = params.fill_defaults(schema, params.load_param_file(job.param_file))
    diff = sorted(k for k in set(cell) | set(expected)
                  if not same_value(cell.get(k, _ABSENT), expected.get(k, _ABSENT)))
    if diff:
        raise ParameterError(
            f"the parameters cell differs from {paths.relative(job.param_file)} and the schema's defaults for: "
            f"{', '.join(diff)} (run `python -m analysis params sync {job.stem}`)", field=diff[0])


def in_place_job(job: Job) -> Result:
    """Re-run ``notebooks/<stem>.ipynb`` with its own ``parameters`` cell and write it back with outputs.

    Returns
    -------
    Result
        ``ok`` with the notebook's path, or the one-line error (the notebook is then left as it was).
    """
    started = time.perf_counter()
    try:
        check_defaults_cell(job)
    except VigieError as exc:
        return Result(job.stem, job.set_name, False, time.perf_counter() - started, exc.one_line())
    with tempfile.TemporaryDirectory(prefix=f"{job.stem}-inplace-") as tmp:
        executed = Path(tmp) / job.notebook.name
        try:
            nb = kernel.execute(job.notebook, executed, None, job.notebook.parent, None)
        except Exception as exc:  # noqa: BLE001 - any notebook failure becomes one line
            return Result(job.stem, job.set_name, False, time.perf_counter() - started, kernel.error_line(exc))
        nb = nbformat.from_dict(nb) if not hasattr(nb, "cells") else nb
        kernel.strip_run_metadata(nb)
        nbformat.validate(nb)
        try:
            atomic.write(job.notebook, lambda tmp: nbformat.write(nb, tmp))
        except VigieError as exc:
            return Result(job.stem, job.set_name, False, time.perf_counter() - started, exc.one_line())
    return Result(job.stem, job.set_name, True, time.perf_counter() - started, "", paths.relative(job.notebook))
