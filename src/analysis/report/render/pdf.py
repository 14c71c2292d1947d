"""Each published report printed to PDF by headless Chromium (Debian package ``chromium``; the print CSS applies)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import VigieError
from analysis.report.render.jobs import Result

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    """The Chromium executable, or ``None`` when none is installed."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def print_pdf(html_file: Path, pdf_file: Path, timeout: int = 120) -> None:
    """Print one report to PDF with headless Chromium.

    Raises
    ------
    VigieError
        Chromium is missing, or printing failed (with Chromium's last line).
    """
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
    """Print one published report (``reports/<stem>/<set>/<page>.html``) to PDF beside it."""
    started = time.perf_counter()
    html_path = Path(html_file)
    stem, set_name = html_path.parent.parent.name, html_path.parent.name
    try:
        print_pdf(html_path, html_path.with_suffix(".pdf"))
    except (VigieError, subprocess.SubprocessError, OSError) as exc:
        msg = exc.one_line() if isinstance(exc, VigieError) else str(exc)
        return Result(stem, set_name, False, time.perf_counter() - started, msg)
    return Result(stem, set_name, True, time.perf_counter() - started, "", html_path.with_suffix(".pdf").as_posix())
