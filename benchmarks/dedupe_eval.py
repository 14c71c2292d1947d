"""Precision and recall of the publication bank's deduplication on the labelled evaluation set (issue 14).

The set lives in ``tests/fixtures/dedupe_eval/`` (see its README): ``scenarios.csv`` names the files read together
into one bank (the shared corpora by their ``external:`` dataset name, the synthetic hard cases by file name), and
``pairs.csv`` lists record pairs, each labelled ``duplicate`` (one work) or ``distinct`` (two works), by file and id
(``eid:``, ``ut:``, ``doi:`` or ``record:``). A pair is predicted a duplicate when both records end in one work.

Usage::

    .venv/bin/python benchmarks/dedupe_eval.py                      # print the tables
    .venv/bin/python benchmarks/dedupe_eval.py --write              # also write benchmarks/results/dedupe_eval.md
    .venv/bin/python benchmarks/dedupe_eval.py --compare-src /path/to/older/src --write

``--compare-src`` also runs the banks with another copy of the package (e.g. the code before issue 14) and shows
its figures beside; the record ids are always resolved with the current readers (record numbers do not change).
Scenarios whose files are missing (no ``make data``) are skipped and said so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL_DIR = ROOT / "tests" / "fixtures" / "dedupe_eval"
RESULTS = HERE / "results" / "dedupe_eval.md"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from analysis.vigie.bank import bank_inputs, build_bank  # noqa: E402 - after the path above
from analysis.vigie.readers import read_file  # noqa: E402


@dataclass
class Pair:
    """One labelled pair of the evaluation set."""

    scenario: str
    case: str
    a: str
    b: str
    label: str
    note: str


def load_pairs(folder: Path = EVAL_DIR) -> list[Pair]:
    """The labelled pairs (``pairs.csv``)."""
    with open(folder / "pairs.csv", encoding="utf-8", newline="") as f:
        return [Pair(**row) for row in csv.DictReader(f)]


def load_scenarios(folder: Path = EVAL_DIR) -> dict[str, list[str]]:
    """Scenario → its files, ``external:<name>`` or a file of the evaluation folder (``scenarios.csv``)."""
    with open(folder / "scenarios.csv", encoding="utf-8", newline="") as f:
        return {row["scenario"]: [x.strip() for x in row["files"].split(";")] for row in csv.DictReader(f)}


def scenario_paths(files: list[str], folder: Path = EVAL_DIR) -> list[str] | None:
    """The files of a scenario as :func:`analysis.vigie.build_bank` takes them; None when one is missing."""
    out = [f if f.startswith("external:") else str(folder / f) for f in files]
    found = [p for _, p, _ in bank_inputs(out)]
    return out if all(p.is_file() for p in found) else None


def record_numbers(paths: list[str]) -> dict[tuple[str, str], int]:
    """(file name, id) → record number, for the ids the pairs use: ``eid:`` (Scopus), ``ut:`` (Web of Science),
    ``doi:`` and ``record:``."""
    out: dict[tuple[str, str], int] = {}
    for name, path, fmt in bank_inputs(paths):
        records = read_file(path, fmt).records
        for number, doi, db_id in zip(records["record"], records["doi"], records["database_id"]):
            out[(name, f"record:{int(number)}")] = int(number)
            if isinstance(doi, str):
                out.setdefault((name, f"doi:{doi}"), int(number))
            if isinstance(db_id, str):
                base, _, ident = db_id.partition(":")
                key = f"eid:{ident}" if base == "scopus" else f"ut:WOS:{ident}" if base == "wos" else db_id
                out[(name, key)] = int(number)
    return out


def works_of(paths: list[str], src: str | None = None) -> dict[str, str]:
    """``file#record`` → work id of the bank built from ``paths`` (with the package at ``src`` when given, in a
    separate process)."""
    if src is None:
        bank = build_bank(paths)
        return {origin: wid for wid, origins in zip(bank.works["work_id"], bank.works["origins"])
                for origin in str(origins).split("; ")}
    resolved = [str(p) for _, p, _ in bank_inputs(paths)]
    code = ("import json, sys; from analysis.vigie.bank import build_bank; b = build_bank(json.loads(sys.argv[1])); "
            "print(json.dumps({o: w for w, os_ in zip(b.works['work_id'], b.works['origins']) "
            "for o in str(os_).split('; ')}))")
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run([sys.executable, "-c", code, json.dumps(resolved)], capture_output=True, text=True,
                          env=env, check=True, cwd=str(ROOT))
    return json.loads(done.stdout)


def evaluate(src: str | None = None, folder: Path = EVAL_DIR) -> tuple[list[dict], list[str]]:
    """Every pair with its prediction (``same_work``), and the scenarios skipped for lack of their files.

    Parameters
    ----------
    src : str, optional
        Another copy of the package's ``src`` folder to build the banks with.
    folder : Path
        The evaluation set's folder.

    Returns
    -------
    (list of dict, list of str)
    """
    pairs = load_pairs(folder)
    rows, skipped = [], []
    for scenario, files in load_scenarios(folder).items():
        paths = scenario_paths(files, folder)
        mine = [p for p in pairs if p.scenario == scenario]
        if paths is None:
            skipped.append(scenario)
            continue
        numbers = record_numbers(paths)
        work = works_of(paths, src)
        for p in mine:
            ends = []
            for ref in (p.a, p.b):
                name, _, ident = ref.partition("|")
                ends.append(work[f"{name}#{numbers[(name, ident)]}"])
            rows.append({**p.__dict__, "same_work": ends[0] == ends[1]})
    return rows, skipped


def scores(rows: list[dict]) -> dict[str, float | int]:
    """Pairs, true/false positives and negatives, precision and recall (a positive: predicted one work)."""
    tp = sum(r["same_work"] and r["label"] == "duplicate" for r in rows)
    fp = sum(r["same_work"] and r["label"] == "distinct" for r in rows)
    fn = sum(not r["same_work"] and r["label"] == "duplicate" for r in rows)
    tn = sum(not r["same_work"] and r["label"] == "distinct" for r in rows)
    return {"pairs": len(rows), "duplicates": tp + fn, "distinct": fp + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan")}


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f} %"


def markdown(rows: list[dict], skipped: list[str], before: list[dict] | None = None) -> str:
    """The report: scores by case type and overall (and the older code's beside), then every pair got wrong."""
    cases = sorted({r["case"] for r in rows})
    head = "| case | pairs | duplicates | distinct | TP | FP | FN | TN | precision | recall |"
    lines = ["# Deduplication: precision and recall on the labelled evaluation set (issue 14)", "",
             "Set: `tests/fixtures/dedupe_eval/` (pairs by file and id; the shared corpora are read from "
             "`data/external`, never copied; the hard cases are synthetic records that say so). A pair is "
             "*predicted a duplicate* when both records end in one work of the bank built from its scenario's "
             "files. Precision = TP / (TP + FP): of the pairs merged, how many are one work. Recall = TP / (TP + FN): "
             "of the duplicates, how many are merged. Produced by `benchmarks/dedupe_eval.py --write`.", "",
             "## Current code", "", head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for case in [*cases, "all"]:
        s = scores(rows if case == "all" else [r for r in rows if r["case"] == case])
        name = "**all**" if case == "all" else case
        lines.append(f"| {name} | {s['pairs']} | {s['duplicates']} | {s['distinct']} | {s['tp']} | {s['fp']} | "
                     f"{s['fn']} | {s['tn']} | {_pct(s['precision'])} | {_pct(s['recall'])} |")
    if before is not None:
        lines += ["", "## Before issue 14 (same set, `--compare-src`)", "", head,
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for case in [*cases, "all"]:
            s = scores(before if case == "all" else [r for r in before if r["case"] == case])
            name = "**all**" if case == "all" else case
            lines.append(f"| {name} | {s['pairs']} | {s['duplicates']} | {s['distinct']} | {s['tp']} | {s['fp']} | "
                         f"{s['fn']} | {s['tn']} | {_pct(s['precision'])} | {_pct(s['recall'])} |")
    wrong = [r for r in rows if r["same_work"] != (r["label"] == "duplicate")]
    lines += ["", "## Pairs the current code gets wrong", ""]
    lines += [f"- `{r['a']}` / `{r['b']}` ({r['case']}, labelled {r['label']}): {r['note']}" for r in wrong] or [
        "None."]
    if before is not None:
        wrong_before = [r for r in before if r["same_work"] != (r["label"] == "duplicate")]
        lines += ["", "## Pairs the code before issue 14 got wrong", ""]
        lines += [f"- `{r['a']}` / `{r['b']}` ({r['case']}, labelled {r['label']}): {r['note']}"
                  for r in wrong_before] or ["None."]
    if skipped:
        lines += ["", f"Skipped (files missing, run `make data`): {', '.join(skipped)}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--compare-src", default=None, help="another copy of the package's src folder")
    args = parser.parse_args(argv)
    rows, skipped = evaluate()
    before = evaluate(args.compare_src)[0] if args.compare_src else None
    text = markdown(rows, skipped, before)
    sys.stdout.write(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
