"""``python -m analysis corpus-summary PATH [PATH ...] [--format F] [--json]``: build the bank, print its summary.

JSON (``--json``) gives the bibliometrix-comparable numbers, the ledger, the rejections (with their codes), every
merge (``merges``: the kept and the merged file and record, the rule and the score) and every possible duplicate
kept apart (``related``: both records, the rule that kept them apart and the score); without it a French table whose
wording comes from ``labels/vigie.yaml`` (``summary_*`` entries).
Bad input ends with one line on stderr and exit status 2 (the dispatcher prints VigieError messages).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from analysis import vigie
from analysis.core.errors import ParameterError
from analysis.report import fmt
from analysis.report.labels import t
from analysis.report.vigie import rejection_text
from analysis.vigie.dedupe import RELATED_RULES
from analysis.vigie.readers.common import rejection_detail

# (key of the summary, how its value is written)
_ROWS = [
    ("documents", "int"),
    ("sources", "int"),
    ("authors", "int"),
    ("author_appearances", "int"),
    ("timespan", "text"),
    ("annual_growth_rate_pct", "pct"),
    ("mean_citations_per_doc", "num2"),
    ("coauthors_per_doc", "num2"),
    ("single_authored_docs", "int"),
    ("international_coauthorships_pct", "pct"),
    ("author_keywords", "int"),
    ("index_keywords", "int"),
    ("records_read", "int"),
    ("duplicates_removed", "int"),
    ("records_rejected", "int"),
]


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of the corpus-summary command.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    parser.add_argument("paths", nargs="+", metavar="PATH", help="fichiers d'export (Scopus, WoS, OpenAlex, …)")
    parser.add_argument("--format", dest="fmt", choices=vigie.FORMATS, default=None,
                        help="forcer le format de tous les fichiers (sinon détecté par le contenu)")
    parser.add_argument("--json", action="store_true", help="sortie JSON (machine)")
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="écrire aussi les tables de la banque en Parquet dans DIR")


def summary(paths: list[str], fmt_name: str | None = None) -> tuple[dict, vigie.Bank]:
    """(summary dict with ledger and rejections, bank) for the given files.

    Parameters
    ----------
    paths : list of str
    fmt_name : str, optional
        A format forced on every file.

    Returns
    -------
    (dict, Bank)
    """
    formats = {p: fmt_name for p in paths} if fmt_name else None
    bank = vigie.build_bank(paths, formats)
    info = vigie.main_information_dict(bank)
    info["ledger"] = [
        {k: (int(v) if k in ("read", "kept", "merged", "rejected", "repaired") else str(v)) for k, v in row.items()}
        for row in bank.ledger.to_dict("records")
    ]
    info["rejections"] = [
        {"file": str(r["file"]), "record": int(r["record"]) if r["record"] is not None and r["record"] == r["record"]
         else None, "line": None if r["line"] is None or r["line"] != r["line"] else int(r["line"]),
         "code": str(r["code"]), "reason": str(r["reason"]), "detail": rejection_detail(r["detail"])}
        for r in bank.rejections.astype(object).where(bank.rejections.notna(), None).to_dict("records")
    ]
    info["merges"] = [
        {"work_id": str(r["kept_work_id"]), "kept_file": _text(r["kept_file"]), "kept_record": _int(r["kept_record"]),
         "merged_file": _text(r["merged_file"]), "merged_record": _int(r["merged_record"]), "rule": str(r["rule"]),
         "score": _float(r["score"])}
        for r in _records(bank.duplicates)
    ]
    info["related"] = [
        {"work_id_a": str(r["work_id_a"]), "file_a": str(r["file_a"]), "record_a": _int(r["record_a"]),
         "work_id_b": str(r["work_id_b"]), "file_b": str(r["file_b"]), "record_b": _int(r["record_b"]),
         "rule": str(r["rule"]), "reason": RELATED_RULES.get(str(r["rule"]), ""), "score": _float(r["score"])}
        for r in _records(bank.related)
    ]
    return info, bank


def _records(table) -> list[dict]:
    """Rows of a bank table as dicts, missing values as None."""
    return table.astype(object).where(table.notna(), None).to_dict("records")


def _int(value: object) -> int | None:
    return None if value is None else int(value)


def _float(value: object) -> float | None:
    return None if value is None else float(value)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _value(info: dict, key: str, kind: str, lang: str) -> str:
    if key == "timespan":
        if info["year_min"] is None:
            return fmt.MISSING
        return f"{fmt.year(info['year_min'])}–{fmt.year(info['year_max'])}"
    value = info.get(key)
    if value is None:
        return fmt.MISSING
    if kind == "int":
        return fmt.integer(value, lang)
    if kind == "pct":
        return fmt.percent(value, 1, lang)
    return fmt.number(value, 2, lang)


def render_text(info: dict, lang: str = "fr") -> str:
    """Readable table of the summary, the ledger and the rejected records (French by default).

    Parameters
    ----------
    info : dict
        From :func:`summary`.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    labels = {key: t(f"vigie.summary_{key}", lang) for key, _ in _ROWS}
    width = max(len(label) for label in labels.values())
    lines = [t("vigie.summary_title", lang), ""]
    for key, kind in _ROWS:
        lines.append(f"  {labels[key]:<{width}}  {_value(info, key, kind, lang):>12}")
    lines += ["", t("vigie.summary_ledger_title", lang)]
    for row in info["ledger"]:
        note = f" — {row['note']}" if row.get("note") else ""
        lines.append("  " + t("vigie.summary_ledger_row", lang, file=row["file"], format=row["format"],
                              encoding=row["encoding"], read=fmt.integer(row["read"], lang),
                              kept=fmt.integer(row["kept"], lang), merged=fmt.integer(row["merged"], lang),
                              rejected=fmt.integer(row["rejected"], lang), note=note))
    if info["rejections"]:
        lines += ["", t("vigie.summary_rejections_title", lang)]
        for r in info["rejections"]:
            reason = rejection_text(r.get("code", ""), r.get("detail") or {}, r["reason"], lang)
            where = t("vigie.summary_rejection_where", lang, file=r["file"], record=r["record"])
            if r["line"]:
                where += t("vigie.summary_rejection_line", lang, line=r["line"])
            lines.append("  " + t("vigie.summary_rejection_row", lang, where=where, reason=reason))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Build the bank from the paths and print the summary (JSON or French table).

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    int
        Exit status.
    """
    if not args.paths:
        raise ParameterError("at least one PATH is required")
    info, bank = summary(list(args.paths), args.fmt)
    if args.parquet:
        vigie.write_parquet(bank, args.parquet)
    out = json.dumps(info, ensure_ascii=False, indent=2) + "\n" if args.json else render_text(info)
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
