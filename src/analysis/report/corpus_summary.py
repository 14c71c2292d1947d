"""``python -m analysis corpus-summary PATH [PATH ...] [--format F] [--json]``: build the bank, print its summary.

JSON (``--json``) gives the bibliometrix-comparable numbers and the ledger; without it a French table.
Bad input ends with one line on stderr and exit status 2 (the dispatcher prints VigieError messages).
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis.core.errors import ParameterError
from analysis.report import fmt
from analysis.vigie.bank import build_bank, write_parquet
from analysis.vigie.bibliometrics import main_information_dict
from analysis.vigie.readers.detect import FORMATS

_FR_ROWS = [
    ("documents", "Documents", "int"),
    ("sources", "Sources (revues, livres, etc.)", "int"),
    ("authors", "Auteurs (noms distincts)", "int"),
    ("author_appearances", "Apparitions d'auteurs", "int"),
    ("timespan", "Période", "text"),
    ("annual_growth_rate_pct", "Taux de croissance annuel", "pct"),
    ("mean_citations_per_doc", "Citations moyennes par document", "num2"),
    ("coauthors_per_doc", "Coauteurs par document", "num2"),
    ("single_authored_docs", "Documents à auteur unique", "int"),
    ("international_coauthorships_pct", "Cosignatures internationales", "pct"),
    ("author_keywords", "Mots-clés d'auteur distincts", "int"),
    ("index_keywords", "Mots-clés indexés distincts", "int"),
    ("records_read", "Notices lues", "int"),
    ("duplicates_removed", "Doublons fusionnés", "int"),
    ("records_rejected", "Notices rejetées", "int"),
]


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of the corpus-summary command."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="fichiers d'export (Scopus, WoS, OpenAlex, …)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default=None,
                        help="forcer le format de tous les fichiers (sinon détecté par le contenu)")
    parser.add_argument("--json", action="store_true", help="sortie JSON (machine)")
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="écrire aussi les tables de la banque en Parquet dans DIR")


def summary(paths: list[str], fmt_name: str | None = None) -> tuple[dict, object]:
    """(summary dict with ledger and rejections, bank) for the given files."""
    formats = {p: fmt_name for p in paths} if fmt_name else None
    bank = build_bank(paths, formats)
    info = main_information_dict(bank)
    info["ledger"] = [
        {k: (int(v) if k in ("read", "kept", "merged", "rejected") else str(v)) for k, v in row.items()}
        for row in bank.ledger.to_dict("records")
    ]
    info["rejections"] = [
        {"file": str(r["file"]), "record": int(r["record"]) if r["record"] is not None and r["record"] == r["record"]
         else None, "line": None if r["line"] is None or r["line"] != r["line"] else int(r["line"]),
         "reason": str(r["reason"])}
        for r in bank.rejections.astype(object).where(bank.rejections.notna(), None).to_dict("records")
    ]
    return info, bank


def _fr_value(info: dict, key: str, kind: str) -> str:
    if key == "timespan":
        if info["year_min"] is None:
            return "—"
        return f"{fmt.year(info['year_min'])}–{fmt.year(info['year_max'])}"
    value = info.get(key)
    if value is None:
        return "—"
    if kind == "int":
        return fmt.integer(value)
    if kind == "pct":
        return fmt.percent(value, 1)
    return fmt.number(value, 2)


def render_text(info: dict) -> str:
    """Readable French table of the summary and the ledger."""
    width = max(len(label) for _, label, _ in _FR_ROWS)
    lines = ["Résumé du corpus", ""]
    for key, label, kind in _FR_ROWS:
        lines.append(f"  {label:<{width}}  {_fr_value(info, key, kind):>12}")
    lines += ["", "Registre des fichiers (lues = conservées + fusionnées + rejetées)"]
    for row in info["ledger"]:
        note = f" — {row['note']}" if row.get("note") else ""
        lines.append(
            f"  {row['file']} [{row['format']}, {row['encoding']}] : lues {fmt.integer(row['read'])}, "
            f"conservées {fmt.integer(row['kept'])}, fusionnées {fmt.integer(row['merged'])}, "
            f"rejetées {fmt.integer(row['rejected'])}{note}")
    if info["rejections"]:
        lines += ["", "Notices rejetées"]
        for r in info["rejections"]:
            where = f"{r['file']}, notice {r['record']}" + (f", ligne {r['line']}" if r["line"] else "")
            lines.append(f"  {where} : {r['reason']}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Build the bank from the paths and print the summary (JSON or French table)."""
    if not args.paths:
        raise ParameterError("at least one PATH is required")
    info, bank = summary(list(args.paths), args.fmt)
    if args.parquet:
        write_parquet(bank, args.parquet)  # type: ignore[arg-type]
    out = json.dumps(info, ensure_ascii=False, indent=2) + "\n" if args.json else render_text(info)
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head`: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
