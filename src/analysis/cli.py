"""Command line: ``python -m analysis <command>``. Each command lives in the module that owns its concern.

A command module exposes ``configure(parser)`` and ``run(args) -> int``; only the module of the command being run
is imported. Errors of the project's own types, and the operating system's errors (disk full, permission denied,
read-only folder), are printed to stderr as one line and exit with status 2 — never a traceback for bad input.
Messages and help texts are in English.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from analysis.core.atomic import storage_error
from analysis.core.errors import VigieError

COMMANDS: dict[str, tuple[str, str]] = {
    "corpus-summary": ("analysis.report.corpus_summary",
                       "Main information of a bibliographic corpus (Scopus, WoS, OpenAlex, RIS, BibTeX…)"),
    "data": ("analysis.core.external", "External datasets: copy them from the mirror, check their hashes"),
    "diagnostic": ("analysis.report.diagnostic", "Viability diagnostic of one enterprise from its filled workbook"),
    "manifest": ("analysis.core.manifest", "Check or update data/raw/MANIFEST.csv"),
    "params": ("analysis.core.params_cell",
               "Notebooks' parameters cells: generate them from params/<notebook>/_schema.yaml (sync) or check them"),
    "process": ("analysis.processed", "Build the publication bank of every vigie parameter set into data/processed/"),
    "render": ("analysis.report.render", "Run the notebooks (papermill) and publish the HTML reports"),
    "watch": ("analysis.vigie.watch.cli", "The living watch: query OpenAlex with the strategy, write an edition"),
}


def _command_of(argv: list[str]) -> str | None:
    """The command named in ``argv`` (its first word that is not an option), if it is one of :data:`COMMANDS`."""
    words = [a for a in argv if not a.startswith("-")]
    return words[0] if words and words[0] in COMMANDS else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``python -m analysis``; the arguments of ``command`` (only) are configured by its module."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name != command:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not (exc.name and module_name.startswith(exc.name)):
                raise  # a dependency of the command is missing: let the error say which
            continue
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (2 for the project's errors, 130 when interrupted)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if not hasattr(args, "_run"):
        print(f"error: command {args.command!r} is not available in this version", file=sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except VigieError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, permission denied, read-only folder: one line naming the path, what to do
        print(f"error: {storage_error(exc).one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP during a render: 128 + the signal's number
        return 128 + getattr(exc, "signum", signal.SIGINT)


if __name__ == "__main__":
    sys.exit(main())
