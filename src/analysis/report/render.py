"""``make reports``: run every notebook with every parameter set (papermill) and publish code-free HTML reports.

For each ``notebooks/<stem>.ipynb`` and each ``params/<stem>/<set>.yaml`` the parameters are validated first (a bad
value stops that report with one line, before any kernel starts), the notebook runs in a temporary folder with
``VIGIE_REPORT_DIR`` pointing there (CSV exports land beside the report), nbconvert turns it into one self-contained
HTML page (template ``templates/vigie``: no code, numbered sections, table of contents, sortable tables, print
style), and only a complete report is moved into ``reports/<stem>/<set>/``. ``reports/index.html`` lists them all.
``--in-place`` re-runs each notebook with its own defaults and writes it back with outputs (``make notebooks``);
``--pdf`` also prints each report to PDF with headless Chromium (``make pdf``).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import contextlib
import datetime as _dt
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.core.errors import ParameterError, VigieError

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "vigie"
TEMPLATE_VERSION = 2  # bump when the page frame changes: reports of an older frame are re-rendered, not tested
KERNEL = "python3"
CELL_TIMEOUT = 900  # seconds per cell; a report notebook should run in well under a minute
META_FILE = "rapport.json"
FAILED_FILE = "ECHEC.txt"
TMP_DIR = ".tmp"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")


# --------------------------------------------------------------------------------------------------- jobs


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
        return f"{self.stem}/{self.set_name}"


def find_jobs(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
              reports_dir: Path = paths.REPORTS, only: str | None = None,
              set_name: str | None = None) -> list[Job]:
    """Every (notebook, parameter file) pair, sorted; ``only`` keeps one notebook stem, ``set_name`` one set."""
    from analysis.core.params import SCHEMA_FILE

    notebooks = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if only is not None:
        notebooks = [nb for nb in notebooks if nb.stem == only]
        if not notebooks:
            raise ParameterError(f"no notebook {only}.ipynb in {paths.relative(notebooks_dir)}", field="--only")
    jobs = []
    for nb in notebooks:
        folder = Path(params_dir) / nb.stem
        sets = sorted(p for p in folder.glob("*.yaml") if p.name != SCHEMA_FILE)
        if set_name is not None:
            sets = [p for p in sets if p.stem == set_name]
        jobs.extend(Job(nb.stem, p.stem, nb.resolve(), p.resolve(), Path(params_dir).resolve(),
                        Path(reports_dir).resolve()) for p in sets)
    return jobs


def validate_params(stem: str, param_file: Path, params_dir: Path = paths.PARAMS) -> dict[str, Any]:
    """Validate one parameter file against ``<params_dir>/<stem>/_schema.yaml``; raise ParameterError."""
    from analysis.core import params

    return params.validate_file(stem, param_file, params_dir)


# --------------------------------------------------------------------------------------------------- notebook


def parameters_cell_values(nb) -> dict[str, Any]:
    """The literal values assigned in the cell tagged ``parameters`` (``name = value  # comment``)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            values: dict[str, Any] = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and node.value is not None:
                            try:
                                values[target.id] = ast.literal_eval(node.value)
                            except ValueError:
                                values[target.id] = ast.unparse(node.value)
            return values
    raise ParameterError("the notebook has no cell tagged 'parameters'")


def execute(notebook: Path, output: Path, parameters: dict[str, Any] | None, cwd: Path,
            report_dir: Path | None) -> Any:
    """Run ``notebook`` with papermill into ``output`` (kernel python3, working folder ``cwd``); return the node.

    ``parameters=None`` injects nothing: the notebook's own ``parameters`` cell is used.
    """
    import papermill as pm

    saved = {k: os.environ.get(k) for k in ("VIGIE_REPORT_DIR", "MPLBACKEND", "PYTHONHASHSEED")}
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
    log = open(log_path, "ab")  # noqa: SIM115
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
    """The last meaningful line of a notebook error (``ValueError: …``), without ANSI colours."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__


_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S | re.I)
_ID = re.compile(r'\sid\s*=\s*"([^"]*)"', re.I)
_TAGS = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment)).strip()


# a Markdown heading line of a report notebook: "## Section" or "### Subsection" (h1 is the title, from code)
_MD_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_MANUAL_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\S)")
_TABLE = re.compile(r'<table class="vigie-table[^"]*">.*?</table>', re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)([^>]*)>(.*?)</\1>", re.S)
_UNITS = {"k": 1e3, "M": 1e6, "G": 1e9}
_NUMBER_TEXT = re.compile(
    r"^(?P<sign>[−\-+]?)(?P<cur>[$£]?)(?P<num>\d{1,3}(?:[\u202f\u00a0 ,]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:[\u00a0 ]?(?P<unit>[kMGB])?(?P<suffix>%|\$(?: US)?|£|\s?US)?)?$")


def numeric_value(text: str) -> float | None:
    """The number a formatted cell shows (``1 234,5 $`` → 1234.5, ``139,9 M$`` → 1.399e8), else ``None``."""
    text = html.unescape(text).strip()
    match = _NUMBER_TEXT.match(text)
    if not match:
        return None
    body = match.group("num").replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if "," in body and "." not in body and not re.fullmatch(r"\d{1,3}(,\d{3})+", body):
        body = body.replace(",", ".")  # French decimal comma
    body = body.replace(",", "")  # English thousands
    try:
        value = float(body)
    except ValueError:
        return None
    unit = match.group("unit")
    value *= _UNITS.get(unit or "", 1e9 if unit == "B" else 1)
    return -value if match.group("sign") in ("−", "-") else value


def align_numeric_text_columns(table: str) -> str:
    """Right-align (and make sortable by value) table columns whose cells are all formatted numbers or ``—``.

    Notebooks sometimes pass numbers already formatted as text; readers still expect them aligned on the right.
    """
    rows = _ROW.findall(table)
    if len(rows) < 2:
        return table
    body = [_CELL.findall(r) for r in rows[1:]]
    width = len(_CELL.findall(rows[0]))
    numeric_cols = set()
    for col in range(width):
        texts = [cells[col][2] for cells in body if len(cells) == width]
        if not texts or any('class="num"' in cells[col][1] for cells in body if len(cells) == width):
            continue
        values = [numeric_value(t) for t in texts if _plain(t) not in ("—", "")]
        if values and all(v is not None for v in values):
            numeric_cols.add(col)
    if not numeric_cols:
        return table

    def fix_row(row_html: str, header: bool) -> str:
        index = -1

        def fix_cell(m: re.Match) -> str:
            nonlocal index
            index += 1
            tag, attrs, inner = m.groups()
            if index not in numeric_cols:
                return m.group(0)
            extra = ' class="num"'
            if not header:
                value = numeric_value(inner)
                extra += f' data-sort="{"" if value is None else repr(value)}"'
            return f"<{tag}{attrs}{extra}>{inner}</{tag}>"

        return _CELL.sub(fix_cell, row_html)

    out, first = [], True

    def fix(m: re.Match) -> str:
        nonlocal first
        fixed = "<tr>" + fix_row(m.group(1), first) + "</tr>"
        first = False
        return fixed

    out.append(_ROW.sub(fix, table))
    return "".join(out)


def localize_markdown(nb, lang: str) -> None:
    """Put each labelled Markdown cell in ``lang``, in place.

    A report notebook's Markdown cells are written in French and carry the metadata
    ``{"analysis": {"label": "<catalogue>.<key>"}}`` naming the label catalogue entry they come from
    (``tests/test_notebooks.py`` checks that the French text and the entry agree). For another language the cell
    takes the entry's text; a heading keeps its ``##`` marks.
    """
    from analysis.report.labels import t

    for cell in nb.cells:
        key = cell.get("metadata", {}).get("analysis", {}).get("label")
        if cell.cell_type != "markdown" or not key:
            continue
        text = t(key, lang)
        heading = re.match(r"^(#{1,6})[ \t]+", cell.source)
        cell.source = f"{heading.group(1)} {text}" if heading else text


def markdown_label_mismatches(nb) -> list[str]:
    """Labelled Markdown cells whose text differs from their catalogue's French entry (empty when all agree)."""
    from analysis.report.labels import t

    problems = []
    for cell in nb.cells:
        key = cell.get("metadata", {}).get("analysis", {}).get("label")
        if cell.cell_type != "markdown" or not key:
            continue
        text = re.sub(r"^#{1,6}[ \t]+", "", cell.source.strip())
        if text != t(key, "fr").strip():
            problems.append(f"{key}: the cell says {text!r}, the catalogue {t(key, 'fr')!r}")
    return problems


def clean_notebook(nb) -> dict[str, Any]:
    """Prepare an executed notebook for readers, in place; return title, subtitle, toc and notes.

    Removes stderr streams (warnings, logs) and error outputs, takes the title (``h1``) and subtitle out of the body
    (the page header shows them), numbers every ``h2``/``h3`` and gives it a unique id for the table of contents.
    """
    from analysis.report.display import slug

    title = subtitle = None
    toc: list[dict[str, Any]] = []
    seen: set[str] = set()
    notes: list[str] = []
    section = subsection = 0

    def number_heading(match: re.Match) -> str:
        nonlocal section, subsection
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        inner = _MANUAL_NUMBER.sub("", inner, count=1)  # "2. Production" → "Production": numbers are added here
        text = _plain(inner)
        found = _ID.search(attrs)
        base = found.group(1) if found and found.group(1) else slug(text)
        hid, k = base, 2
        while hid in seen:
            hid, k = f"{base}-{k}", k + 1
        seen.add(hid)
        if level == 2:
            section, subsection = section + 1, 0
            number = f"{section}"
            toc.append({"id": hid, "number": number, "text": text, "children": []})
        else:
            subsection += 1
            number = f"{section}.{subsection}" if section else f"{subsection}"
            entry = {"id": hid, "number": number, "text": text}
            if toc:
                toc[-1]["children"].append(entry)
            else:
                toc.append({**entry, "children": []})
        return f'<h{level} id="{html.escape(hid)}"><span class="vigie-num">{number}</span>{inner}</h{level}>'

    position = 0  # 1-based position of the cell in the notebook as written (papermill's injected cell skipped)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        position += 1
        index = position
        if cell.cell_type == "markdown":
            cell.source = _MD_HEADING.sub(
                lambda m: number_heading(_HEADING.match(
                    f"<h{len(m.group(1))}>{html.escape(m.group(2).strip(), quote=False)}</h{len(m.group(1))}>")),
                cell.source,
            )
            continue
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                continue
            if kind == "stream":
                if out.get("name") == "stderr":
                    continue
                notes.append(f"cell {index}: printed text (use display.show_* instead of print)")
            data = out.get("data", {})
            if kind == "execute_result" and set(data) <= {"text/plain"}:
                notes.append(f"cell {index}: a bare value's repr was left out (end the cell with a display call or ';')")
                continue
            if "text/html" in data:
                body = data["text/html"]
                body = "".join(body) if isinstance(body, list) else body
                if title is None and "<h1" in body:
                    m = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
                    title = _plain(m.group(1)) if m else None
                    s = re.search(r'<p class="vigie-subtitle">(.*?)</p>', body, re.S)
                    subtitle = _plain(s.group(1)) if s else None
                    body = re.sub(r"<h1[^>]*>.*?</h1>", "", body, count=1, flags=re.S)
                    body = re.sub(r'<p class="vigie-subtitle">.*?</p>', "", body, count=1, flags=re.S)
                    if not body.strip():
                        continue
                body = _TABLE.sub(lambda m: align_numeric_text_columns(m.group(0)), body)
                data["text/html"] = _HEADING.sub(number_heading, body)
            kept.append(out)
        cell.outputs = kept
    # papermill's injected-parameters cell has no output and a random cell id: drop it (the provenance lists the values)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    return {"title": title, "subtitle": subtitle, "toc": toc, "notes": notes}


def _asset(name: str) -> str:
    return (TEMPLATES / TEMPLATE / name).read_text(encoding="utf-8")


def french_date(day: _dt.date, lang: str = "fr") -> str:
    """``2026-11-25`` → ``25 novembre 2026`` (fr) / ``November 25, 2026`` (en)."""
    if lang == "fr":
        return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS_FR[day.month - 1]} {day.year}"
    return day.strftime("%B %-d, %Y")


def to_html(nb, *, stem: str, set_name: str, lang: str, info: dict[str, Any], data_version: str,
            day: _dt.date) -> str:
    """Convert a cleaned, executed notebook to the report page (no code, no prompts, everything inline)."""
    import nbconvert
    from nbconvert import HTMLExporter

    from analysis.report.labels import t

    exporter = HTMLExporter(
        template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, exclude_raw=True,
    )
    lang = lang if lang in ("fr", "en") else "fr"
    vigie = {
        "html_lang": "fr-CA" if lang == "fr" else "en-CA",
        "title": info.get("title") or stem,
        "subtitle": info.get("subtitle"),
        "set_name": set_name,
        "toc": info.get("toc", []),
        "meta": [
            (t("render.parameter_set", lang), set_name),
            (t("render.data_version", lang), data_version),
            (t("render.produced_on", lang), french_date(day, lang)),
        ],
        "labels": {k: t(f"render.{k}", lang) for k in ("toc", "skip", "back_to_top", "no_alt", "project")},
        "footer": t("render.footer", lang, notebook=f"notebooks/{stem}.ipynb", set=set_name),
        "css": _asset("vigie.css"),
        "js": _asset("vigie.js"),
        "nbconvert_version": nbconvert.__version__,
    }
    body, _ = exporter.from_notebook_node(nb, resources={"vigie": vigie})
    return body


# --------------------------------------------------------------------------------------------------- one report


def _report_file(stem: str, set_name: str) -> str:
    return f"{stem}-{set_name}.html"


def _replace_dir(target: Path, new: Path | None, scratch: Path) -> None:
    """Swap ``new`` into ``target`` (or just remove ``target`` when ``new`` is None) with renames, never half-way."""
    old = None
    if target.exists():
        old = scratch / f"old-{uuid.uuid4().hex}"
        target.rename(old)
    if new is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fail(job: Job, message: str, started: float, work: Path | None, executed: Path | None) -> Result:
    """Record a failure: the set's folder keeps only ``ECHEC.txt`` (and the failed notebook), never an old report."""
    scratch = job.reports_dir / TMP_DIR
    scratch.mkdir(parents=True, exist_ok=True)
    marker = Path(tempfile.mkdtemp(prefix="echec-", dir=scratch))
    (marker / FAILED_FILE).write_text(f"{job.name}: {message}\n", encoding="utf-8")
    if executed is not None and executed.exists():
        shutil.copy2(executed, marker / f"{job.stem}-{job.set_name}.echec.ipynb")
    _replace_dir(job.reports_dir / job.stem / job.set_name, marker, scratch)
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)
    return Result(job.stem, job.set_name, False, time.perf_counter() - started, message)


def render_job(job: Job, day: str | None = None) -> Result:
    """Produce one report: validate, execute, clean, convert, then move it into ``reports/<stem>/<set>/``."""
    import nbformat

    from analysis.report import provenance

    started = time.perf_counter()
    try:
        values = validate_params(job.stem, job.param_file, job.params_dir)
    except VigieError as exc:
        return _fail(job, exc.one_line(), started, None, None)
    scratch = job.reports_dir / TMP_DIR
    scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{job.stem}-{job.set_name}-", dir=scratch))
    out_dir = work / "report"
    out_dir.mkdir()
    executed = work / f"{job.stem}-{job.set_name}.ipynb"
    try:
        nb = execute(job.notebook, executed, values, job.notebook.parent, out_dir)
    except Exception as exc:  # noqa: BLE001 - any notebook failure becomes one line
        return _fail(job, error_line(exc), started, work, executed)
    try:
        nb = nbformat.from_dict(nb) if not hasattr(nb, "cells") else nb
        localize_markdown(nb, str(values.get("lang", "fr")))
        info = clean_notebook(nb)
        prov_file = out_dir / "provenance.json"
        prov = json.loads(prov_file.read_text(encoding="utf-8")) if prov_file.exists() else {}
        data_version = prov.get("data_version") or provenance.data_version()
        today = _dt.date.fromisoformat(day) if day else provenance.run_time().date()
        lang = str(values.get("lang", "fr"))
        page = to_html(nb, stem=job.stem, set_name=job.set_name, lang=lang, info=info,
                       data_version=data_version, day=today)
        html_name = _report_file(job.stem, job.set_name)
        (out_dir / html_name).write_text(page, encoding="utf-8")
        seconds = time.perf_counter() - started
        csvs = sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "donnees").glob("*.csv"))
        meta = {
            "notebook": job.stem, "set": job.set_name, "title": info["title"] or job.stem,
            "subtitle": info["subtitle"], "lang": lang, "html": html_name, "csv": csvs,
            "data_version": data_version, "date": today.isoformat(),
            "commit": prov.get("commit"), "template": TEMPLATE_VERSION,
        }
        (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        _replace_dir(job.reports_dir / job.stem / job.set_name, out_dir, scratch)
    except Exception as exc:  # noqa: BLE001
        return _fail(job, f"conversion HTML : {error_line(exc)}", started, work, executed)
    shutil.rmtree(work, ignore_errors=True)
    return Result(job.stem, job.set_name, True, seconds, "",
                  (job.reports_dir / job.stem / job.set_name / html_name).as_posix(), info["notes"])


# --------------------------------------------------------------------------------------------------- in place


def strip_run_metadata(nb) -> None:
    """Remove papermill's and nbclient's run-time metadata (times, durations, status) so diffs show real changes."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            cell.metadata.pop("tags")


def in_place_job(job: Job) -> Result:
    """Re-run ``notebooks/<stem>.ipynb`` with its own ``parameters`` cell and write it back with outputs."""
    import nbformat

    from analysis.core.params import load_param_file

    started = time.perf_counter()
    try:
        defaults = validate_params(job.stem, job.param_file, job.params_dir)
        source = nbformat.read(job.notebook, as_version=4)
        cell_values = parameters_cell_values(source)
        declared = load_param_file(job.param_file)
        diff = sorted(k for k in set(cell_values) | set(declared) if cell_values.get(k) != declared.get(k))
        if diff:
            raise ParameterError(
                f"the parameters cell differs from {paths.relative(job.param_file)} for: {', '.join(diff)}",
                field=diff[0])
    except VigieError as exc:
        return Result(job.stem, job.set_name, False, time.perf_counter() - started, exc.one_line())
    del defaults
    with tempfile.TemporaryDirectory(prefix=f"{job.stem}-inplace-") as tmp:
        executed = Path(tmp) / job.notebook.name
        try:
            nb = execute(job.notebook, executed, None, job.notebook.parent, None)
        except Exception as exc:  # noqa: BLE001
            return Result(job.stem, job.set_name, False, time.perf_counter() - started, error_line(exc))
        nb = nbformat.from_dict(nb) if not hasattr(nb, "cells") else nb
        strip_run_metadata(nb)
        nbformat.validate(nb)
        partial = job.notebook.with_suffix(".ipynb.tmp")
        nbformat.write(nb, partial)
        partial.replace(job.notebook)
    return Result(job.stem, job.set_name, True, time.perf_counter() - started, "", paths.relative(job.notebook))


# --------------------------------------------------------------------------------------------------- pdf


def chromium_path() -> str | None:
    """The Chromium executable (Debian package ``chromium``), or ``None``."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def print_pdf(html_file: Path, pdf_file: Path, timeout: int = 120) -> None:
    """Print one report to PDF with headless Chromium (print CSS applies); raise VigieError on failure."""
    exe = chromium_path()
    if exe is None:
        raise VigieError("Chromium is not installed (apt-get install chromium): cannot print PDF")
    with tempfile.TemporaryDirectory(prefix="vigie-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
               f"--print-to-pdf={pdf_file}", Path(html_file).resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not Path(pdf_file).exists() or Path(pdf_file).stat().st_size == 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise VigieError(f"PDF printing failed: {last}", path=paths.relative(html_file))


def pdf_job(html_file: str) -> Result:
    """Print one published report to PDF beside it."""
    started = time.perf_counter()
    html_path = Path(html_file)
    stem, set_name = html_path.parent.parent.name, html_path.parent.name
    try:
        print_pdf(html_path, html_path.with_suffix(".pdf"))
    except (VigieError, subprocess.SubprocessError, OSError) as exc:
        msg = exc.one_line() if isinstance(exc, VigieError) else str(exc)
        return Result(stem, set_name, False, time.perf_counter() - started, msg)
    return Result(stem, set_name, True, time.perf_counter() - started, "", html_path.with_suffix(".pdf").as_posix())


# --------------------------------------------------------------------------------------------------- index


def collect_reports(reports_dir: Path = paths.REPORTS) -> list[dict[str, Any]]:
    """Every published report (``rapport.json``) and every failed set (``ECHEC.txt``) under ``reports_dir``, sorted."""
    rows = []
    reports_dir = Path(reports_dir)
    for folder in sorted(p for p in reports_dir.glob("*/*") if p.is_dir() and not p.parts[-2].startswith(".")):
        meta_file, failed = folder / META_FILE, folder / FAILED_FILE
        rel = folder.relative_to(reports_dir).as_posix()
        if failed.exists():
            rows.append({"notebook": folder.parent.name, "set": folder.name, "folder": rel, "ok": False,
                         "message": failed.read_text(encoding="utf-8").strip()})
        elif meta_file.exists():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            meta.update({"folder": rel, "ok": True})
            meta["csv"] = [c for c in meta.get("csv", []) if (folder / c).exists()]
            pdf = Path(meta["html"]).with_suffix(".pdf").name
            meta["pdf"] = pdf if (folder / pdf).exists() else None
            rows.append(meta)
    rows.sort(key=lambda r: (r["notebook"], r["set"] != "default", r["set"]))
    return rows


def index_html(rows: list[dict[str, Any]], data_version: str, day: _dt.date) -> str:
    """The page listing every report (one card each): title, parameter set, data version, date, CSV files."""
    from analysis.report.labels import t

    e = html.escape
    cards = []
    for row in rows:
        folder = row["folder"]
        if row["ok"]:
            link = f'{folder}/{row["html"]}'
            try:
                date = french_date(_dt.date.fromisoformat(row.get("date", "")))
            except ValueError:
                date = row.get("date", "")
            facts = [(t("render.parameter_set"), e(row["set"])),
                     (t("render.data_version"), f'<code>{e(str(row.get("data_version", "")))}</code>'),
                     (t("render.produced_on"), e(date))]
            links = [f'<a class="open" href="{e(link)}">{t("render.open")}</a>']
            if row.get("pdf"):
                links.append(f'<a href="{e(folder + "/" + row["pdf"])}">PDF</a>')
            csv = row.get("csv", [])
            items = "".join(f'<li><a href="{e(folder + "/" + c)}">{e(Path(c).name)}</a></li>' for c in csv)
            data = (f'<details><summary>{t("render.data_files")} · {len(csv)}</summary>'
                    f'<ul class="csv">{items}</ul></details>' if csv else "")
            subtitle = f'<p class="subtitle">{e(row["subtitle"])}</p>' if row.get("subtitle") else ""
            cards.append(
                f'<article class="card"><h2><a href="{e(link)}">{e(row["title"])}</a></h2>{subtitle}'
                '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>"
                f'<p class="links">{" ".join(links)}<code>notebooks/{e(row["notebook"])}.ipynb</code></p>'
                f"{data}</article>"
            )
        else:
            cards.append(
                f'<article class="card failed"><h2><code>notebooks/{e(row["notebook"])}.ipynb</code> · '
                f'{e(row["set"])} <span class="bad">{t("render.failed")}</span></h2>'
                f'<p class="msg">{e(row["message"])}</p></article>'
            )
    body = "\n".join(cards) if cards else f'<p>{t("render.no_reports")}</p>'
    css = _asset("index.css")
    return (
        '<!DOCTYPE html>\n<html lang="fr-CA">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{t("render.index_title")}</title>\n<style>\n{css}</style>\n</head>\n<body>\n'
        f'<header><p class="kicker">{e(t("render.project"))}</p><h1>{t("render.index_title")}</h1>'
        f'<p>{e(t("render.index_intro"))}</p>'
        f'<p class="meta">{t("render.data_version")}&nbsp;: <code>{e(data_version)}</code> · '
        f'{t("render.produced_on")} {e(french_date(day))}</p></header>\n'
        f'<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def write_index(reports_dir: Path = paths.REPORTS, day: _dt.date | None = None) -> Path:
    """Write ``reports/index.html`` from what is in ``reports_dir``."""
    from analysis.report import provenance

    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    day = day or provenance.run_time().date()
    page = index_html(collect_reports(reports_dir), provenance.data_version(), day)
    target = reports_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


# --------------------------------------------------------------------------------------------------- driver


def _run_parallel(fn: Callable[..., Result], items: list[Any], jobs: int, echo: Callable[[str], None],
                  label: Callable[[Any], str]) -> list[Result]:
    results: list[Result] = []

    def report(res: Result) -> None:
        if res.ok:
            echo(f"✓ {res.name} terminé en {res.seconds:.1f} s")
        else:
            echo(f"✗ {res.name} ÉCHEC ({res.seconds:.1f} s) : {res.message}")
        for note in res.notes:
            echo(f"  ! {res.name}: {note}")
        results.append(res)

    if jobs <= 1 or len(items) <= 1:
        for item in items:
            echo(f"▶ {label(item)}")
            report(fn(item))
    else:
        # Fork after importing the heavy modules once: workers start at once instead of re-importing them.
        # The parent has no threads or kernels at this point (jobs run only in the workers).
        import nbconvert  # noqa: F401
        import nbformat  # noqa: F401
        import papermill  # noqa: F401

        from analysis.report import provenance  # noqa: F401

        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {}
            for item in items:
                echo(f"▶ {label(item)}")
                futures[pool.submit(fn, item)] = item
            for future in cf.as_completed(futures):
                report(future.result())
    order = {label(item): i for i, item in enumerate(items)}
    results.sort(key=lambda r: order.get(r.name, 0))
    return results


def render_all(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
               reports_dir: Path = paths.REPORTS, only: str | None = None, set_name: str | None = None,
               jobs: int | None = None, pdf: bool = False,
               echo: Callable[[str], None] = print) -> list[Result]:
    """Render every (notebook, parameter set) into ``reports_dir`` in parallel, then write the index."""
    started = time.perf_counter()
    todo = find_jobs(notebooks_dir, params_dir, reports_dir, only, set_name)
    if not todo:
        echo(f"aucun rapport à produire (carnets : {paths.relative(notebooks_dir)}, paramètres : "
             f"{paths.relative(params_dir)})")
    jobs = max(1, jobs or os.cpu_count() or 1)
    results = _run_parallel(render_job, todo, min(jobs, max(1, len(todo))), echo, lambda j: j.name)
    if only is None and set_name is None:
        for stale in prune_stale(reports_dir, todo):
            echo(f"- {stale} supprimé (plus de carnet ou de jeu de paramètres correspondant)")
    summary = f"{sum(r.ok for r in results)}/{len(results)} réussi(s)"
    if pdf:
        done = [r.html for r in results if r.ok and r.html]
        printed = _run_parallel(pdf_job, done, min(jobs, max(1, len(done))), echo,
                                lambda h: f"{Path(h).parent.parent.name}/{Path(h).parent.name}")
        summary += f", {sum(r.ok for r in printed)}/{len(printed)} PDF"
        results += printed
    with contextlib.suppress(OSError):  # empty unless another render is running at the same time
        (Path(reports_dir) / TMP_DIR).rmdir()
    index = write_index(reports_dir)
    echo(f"{summary} en {time.perf_counter() - started:.1f} s au total · index : {paths.relative(index)}")
    return results


def prune_stale(reports_dir: Path, jobs: list[Job]) -> list[str]:
    """Remove report folders whose notebook or parameter set no longer exists (only folders this module wrote)."""
    wanted = {(j.stem, j.set_name) for j in jobs}
    removed = []
    for folder in sorted(p for p in Path(reports_dir).glob("*/*") if p.is_dir()):
        stem, set_name = folder.parent.name, folder.name
        if stem.startswith(".") or stem == "screenshots" or (stem, set_name) in wanted:
            continue
        if (folder / META_FILE).exists() or (folder / FAILED_FILE).exists():
            shutil.rmtree(folder)
            removed.append(f"{stem}/{set_name}")
            if not any(folder.parent.iterdir()):
                folder.parent.rmdir()
    return removed


def render_in_place(notebooks_dir: Path = paths.NOTEBOOKS, params_dir: Path = paths.PARAMS,
                    only: str | None = None, jobs: int | None = None,
                    echo: Callable[[str], None] = print) -> list[Result]:
    """``make notebooks``: re-run each notebook with its default parameters and save it with outputs."""
    started = time.perf_counter()
    todo = find_jobs(notebooks_dir, params_dir, paths.REPORTS, only, "default")
    missing = sorted({nb.stem for nb in Path(notebooks_dir).glob("*.ipynb")} - {j.stem for j in todo})
    results = [Result(stem, "default", False, 0.0, f"no params/{stem}/default.yaml") for stem in missing
               if only in (None, stem)]
    for res in results:
        echo(f"✗ {res.name} ÉCHEC : {res.message}")
    jobs = max(1, jobs or os.cpu_count() or 1)
    results += _run_parallel(in_place_job, todo, min(jobs, max(1, len(todo))), echo, lambda j: j.name)
    echo(f"{sum(r.ok for r in results)}/{len(results)} carnet(s) réexécuté(s) en "
         f"{time.perf_counter() - started:.1f} s")
    return results


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", metavar="STEM", help="un seul carnet (nom sans .ipynb)")
    parser.add_argument("--set", dest="set_name", metavar="NOM", help="un seul jeu de paramètres (nom sans .yaml)")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="rapports en parallèle (défaut : nb de cœurs)")
    parser.add_argument("--in-place", action="store_true",
                        help="réexécuter chaque carnet avec ses paramètres par défaut et l'enregistrer avec ses sorties")
    parser.add_argument("--pdf", action="store_true", help="imprimer aussi chaque rapport en PDF (Chromium)")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="dossier des carnets")
    parser.add_argument("--params", type=Path, default=paths.PARAMS, help="dossier des paramètres")
    parser.add_argument("--reports", type=Path, default=paths.REPORTS, help="dossier des rapports")


def run(args: argparse.Namespace) -> int:
    def echo(line: str) -> None:
        print(line, flush=True)

    if args.in_place:
        results = render_in_place(args.notebooks, args.params, args.only, args.jobs, echo)
    else:
        results = render_all(args.notebooks, args.params, args.reports, args.only, args.set_name, args.jobs,
                             args.pdf, echo)
    failed = [r for r in results if not r.ok]
    for res in failed:
        print(f"error: {res.name}: {res.message}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.render", description=__doc__.splitlines()[0])
    configure(parser)
    try:
        return run(parser.parse_args(argv))
    except VigieError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["Job", "Result", "find_jobs", "validate_params", "render_job", "render_all", "render_in_place",
           "write_index", "collect_reports", "clean_notebook", "to_html", "print_pdf", "parameters_cell_values",
           "strip_run_metadata", "prune_stale", "numeric_value", "align_numeric_text_columns"]
