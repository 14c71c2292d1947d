"""Running a notebook in a Jupyter kernel (papermill), and the one line that says why a run failed."""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path
from typing import Any

from analysis.core.atomic import storage_error
from analysis.core.errors import StorageError

KERNEL = "python3"
CELL_TIMEOUT = 900  # seconds per cell; a report notebook should run in well under a minute
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:']+)(?:: '([^']*)')?")
_STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)


def execute(notebook: Path, output: Path, parameters: dict[str, Any] | None, cwd: Path,
            report_dir: Path | None, env: dict[str, str] | None = None) -> Any:
    """Run ``notebook`` with papermill into ``output``; return the executed notebook node.

    Parameters
    ----------
    notebook, output : Path
        The notebook to run and where papermill writes the executed copy.
    parameters : dict or None
        Values injected after the ``parameters`` cell; ``None`` injects nothing (the cell's own values are used).
    cwd : Path
        Working folder of the kernel.
    report_dir : Path or None
        Exported as ``VIGIE_REPORT_DIR`` (CSV exports and ``provenance.json`` land there); ``None`` unsets it.
    env : dict, optional
        More environment variables for the kernel (``VIGIE_ALLOW_OUTSIDE``), unset again afterwards.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    papermill.PapermillExecutionError
        A cell raised (see :func:`error_line`).
    """
    import papermill as pm  # heavy (nbclient, jupyter_client): imported only when a notebook runs

    env = dict(env or {})
    saved = {k: os.environ.get(k) for k in ("VIGIE_REPORT_DIR", "MPLBACKEND", "PYTHONHASHSEED", *env)}
    os.environ.update(env)
    if report_dir is None:
        os.environ.pop("VIGIE_REPORT_DIR", None)
    else:
        os.environ["VIGIE_REPORT_DIR"] = str(report_dir)
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYTHONHASHSEED"] = "0"
    # The kernel's own stderr (ZMQ notices, shutdown messages) goes to a log beside the run, not to the console.
    log_path = Path(output).with_suffix(".kernel.log")
    stderr_fd = os.dup(2)
    sys.stderr.flush()
    log = open(log_path, "ab")  # noqa: SIM115 - closed in the finally clause, after stderr is restored
    os.dup2(log.fileno(), 2)
    try:
        return pm.execute_notebook(
            str(notebook), str(output), parameters=parameters or None, kernel_name=KERNEL, cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT,
        )
    finally:
        sys.stderr.flush()
        os.dup2(stderr_fd, 2)
        os.close(stderr_fd)
        log.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def error_line(exc: BaseException) -> str:
    """The last meaningful line of a notebook error (``ValueError: …``), without ANSI colours.

    The project's own errors give their one line; a full disk or a folder that cannot be written (in this process
    or inside the notebook) gives the line of :func:`analysis.core.atomic.storage_error`: the path and what to do.
    """
    if isinstance(exc, StorageError):
        return exc.one_line()
    if isinstance(exc, OSError):
        return storage_error(exc).one_line()
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename and evalue:
        found = _OS_ERROR.search(_ANSI.sub("", str(evalue)))
        if found and int(found.group(1)) in _STORAGE_ERRNOS:
            return storage_error(OSError(int(found.group(1)), found.group(2), found.group(3))).one_line()
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    text = _ANSI.sub("", text).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__


def strip_run_metadata(nb) -> None:
    """Remove papermill's and nbclient's run-time metadata (times, durations, status) so diffs show real changes."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            cell.metadata.pop("tags")
