"""``make reports``: run every notebook with every parameter set (papermill) and publish code-free HTML reports.

For each ``notebooks/<stem>.ipynb`` and each ``params/<stem>/<set>.yaml`` the parameters are validated first (a bad
value stops that report with one line, before any kernel starts), the notebook runs in a temporary folder with
``VIGIE_REPORT_DIR`` pointing there (CSV exports land beside the report), nbconvert turns it into one self-contained
HTML page (template ``templates/vigie``: no code, numbered sections, table of contents, sortable tables, print
style), and only a complete report is moved into ``reports/<stem>/<set>/``. ``reports/index.html`` lists them all.
``--in-place`` re-runs each notebook with its own defaults and writes it back with outputs (``make notebooks``);
``--pdf`` also prints each report to PDF with headless Chromium (``make pdf``).

One module per step:

========== =====================================================================================================
jobs       the (notebook, parameter set) jobs, parameter validation, :class:`Job` and :class:`Result`
kernel     papermill run in a kernel, the one-line error of a failed run, run metadata stripped
clean      notebook cleaning: Markdown localisation, heading numbers, table of contents, stray outputs removed
page       nbconvert with the ``vigie`` template: the report page
publish    atomic swap into ``reports/`` (journaled, recovered after a kill), failure notes, stale report folders,
           the lock on ``reports/``
index      ``reports/index.html`` from the Jinja template ``templates/site/index.html.j2``
pdf        headless Chromium
pipeline   one report from start to finish (and one notebook re-run in place)
batch      every report in parallel workers (which die with the renderer), progress lines, the index
cli        ``configure``/``run`` for ``python -m analysis render``
========== =====================================================================================================
"""

from analysis.core.errors import ParameterError, VigieError
from analysis.core.params_cell import parameters_cell_values
from analysis.report.fmt import french_date
from analysis.report.render.batch import Interrupted, render_all, render_in_place, run_parallel
from analysis.report.render.clean import clean_notebook, localize_markdown, markdown_label_mismatches
from analysis.report.render.cli import configure, main, run
from analysis.report.render.index import collect_reports, index_html, write_index
from analysis.report.render.jobs import Job, Result, find_jobs, validate_params
from analysis.report.render.kernel import error_line, execute, strip_run_metadata
from analysis.report.render.page import TEMPLATE, TEMPLATE_VERSION, TEMPLATES, to_html
from analysis.report.render.pdf import chromium_path, print_pdf
from analysis.report.render.pipeline import in_place_job, render_job
from analysis.report.render.publish import (
    FAILED_FILE,
    LOCK_FILE,
    META_FILE,
    TMP_DIR,
    prune_stale,
    recover_reports,
    reports_lock,
)

__all__ = [
    "Job", "Result", "find_jobs", "validate_params", "render_job", "render_all", "render_in_place", "in_place_job",
    "run_parallel", "write_index", "collect_reports", "index_html", "clean_notebook", "localize_markdown",
    "markdown_label_mismatches", "to_html", "print_pdf", "chromium_path", "parameters_cell_values",
    "strip_run_metadata", "execute", "error_line", "prune_stale", "french_date", "configure", "run", "main",
    "META_FILE", "FAILED_FILE", "TMP_DIR", "LOCK_FILE", "TEMPLATE", "TEMPLATES", "TEMPLATE_VERSION",
    "recover_reports", "reports_lock", "Interrupted",
    "ParameterError", "VigieError",
]
