"""``python -m analysis render``: every report (``make reports``), the committed notebooks re-run in place
(``--in-place``, ``make notebooks``), and PDFs (``--pdf``, ``make pdf``)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from analysis.core import paths
from analysis.core.atomic import storage_error
from analysis.core.errors import VigieError
from analysis.report.render.batch import render_all, render_in_place


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``python -m analysis render``."""
    parser.add_argument("--only", metavar="STEM", help="one notebook only (name without .ipynb)")
    parser.add_argument("--set", dest="set_name", metavar="NAME", help="one parameter set only (name without .yaml)")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="reports rendered at the same time (default: number of cores)")
    parser.add_argument("--in-place", action="store_true",
                        help="re-run each notebook with its default parameters and save it with its outputs")
    parser.add_argument("--pdf", action="store_true", help="also print each report to PDF (headless Chromium)")
    parser.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="how long to wait for another render using the same reports folder "
                             "(default: as long as it takes; 0: refuse at once)")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="notebooks folder")
    parser.add_argument("--params", type=Path, default=paths.PARAMS, help="parameter sets folder")
    parser.add_argument("--reports", type=Path, default=paths.REPORTS, help="reports folder")


def run(args: argparse.Namespace) -> int:
    """Render (or re-run in place); print one ``error:`` line per failure on stderr; exit 1 if any failed."""
    def echo(line: str) -> None:
        print(line, flush=True)

    if args.in_place:
        results = render_in_place(args.notebooks, args.params, args.only, args.jobs, echo)
    else:
        results = render_all(args.notebooks, args.params, args.reports, args.only, args.set_name, args.jobs,
                             args.pdf, echo, wait=getattr(args, "wait", None))
    failed = [r for r in results if not r.ok]
    for res in failed:
        print(f"error: {res.name}: {res.message}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.report.render``: the same as ``python -m analysis render``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.report.render", description=__doc__.splitlines()[0])
    configure(parser)
    try:
        return run(parser.parse_args(argv))
    except VigieError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {storage_error(exc).one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return 128 + getattr(exc, "signum", signal.SIGINT)
