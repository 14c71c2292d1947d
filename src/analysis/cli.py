"""Command line: ``python -m analysis <command>``. Each command lives in the module that owns its concern.

A command module exposes ``configure(parser)`` and ``run(args) -> int``. Errors of the project's own types are
printed to stderr as one line and exit with status 2 — never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis.core.errors import VigieError

COMMANDS: dict[str, tuple[str, str]] = {
    "corpus-summary": ("analysis.report.corpus_summary", "Résumé d'un corpus bibliographique (Scopus, WoS, OpenAlex, RIS, BibTeX…)"),
    "data": ("analysis.core.external", "Jeux de données externes : copier depuis le miroir, vérifier les empreintes"),
    "diagnostic": ("analysis.report.diagnostic", "Diagnostic de viabilité d'une entreprise (son classeur rempli)"),
    "manifest": ("analysis.core.manifest", "Vérifier ou mettre à jour data/raw/MANIFEST.csv"),
    "process": ("analysis.processed", "Construire data/processed/ à partir de data/raw/"),
    "render": ("analysis.report.render", "Exécuter les carnets (papermill) et produire les rapports HTML"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "_run"):
        print(f"error: command {args.command!r} is not available in this version", file=sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except VigieError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
