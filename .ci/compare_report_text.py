"""Compare the text of rendered reports with a baseline: headings, paragraphs, notes, tables, figures and CSV exports.

Usage::

    .venv/bin/python .ci/compare_report_text.py /work/baseline/reports reports viabilite_alimentaire

For every parameter set of the notebook present in both folders, the report's ``<main>`` is flattened into lines in
document order (``H``: heading text without its number, ``P``: paragraph or list item, ``N``: note, ``T``: table
caption, ``R``: table row with each cell's text and its ``data-sort`` value, ``F``: figure alternative text and the
sha256 of its PNG, ``S``: source line) up to the provenance section (dates and commits differ by design); the
``donnees/*.csv`` files are compared byte for byte, and ``provenance.json`` on its inputs, datasets and
parameters. Differences are printed as a unified diff; the exit status is 1
when anything but headings differs (``--strict-headings`` counts headings too, ``--ignore-figures`` leaves PNG bytes
out). ``--intended OLD NEW`` (repeatable) declares an intended wording change: OLD is replaced by NEW in the
baseline's text and CSV files before comparing, and the lines it touched are counted.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import hashlib
import json
import sys
from pathlib import Path

from bs4 import BeautifulSoup

BLOCKS = ("h2", "h3", "h4", "p", "li", "table", "img", "div")


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def flatten(html_text: str, figures: bool = True) -> list[str]:
    """The report body as comparable lines, in document order, stopping at the provenance section."""
    soup = BeautifulSoup(html_text, "html.parser")
    main = soup.find("main") or soup
    lines: list[str] = []
    for node in main.find_all(BLOCKS):
        if node.find_parent("table") is not None:
            continue
        if node.name in ("h2", "h3", "h4"):
            for num in node.find_all("span", class_="vigie-num"):
                num.extract()
            text = _text(node)
            if node.name == "h2" and text.lower() == "provenance":
                break
            lines.append(f"H{node.name[1]} {text}")
        elif node.name == "table":
            caption = node.find("caption")
            lines.append(f"T {_text(caption) if caption else ''}")
            for row in node.find_all("tr"):
                cells = [f"{_text(c)}" + (f"⟨{c['data-sort']}⟩" if c.has_attr("data-sort") else "")
                         for c in row.find_all(("td", "th"))]
                lines.append("R " + " | ".join(cells))
        elif node.name == "img":
            src = node.get("src", "")
            digest = ""
            if figures and src.startswith("data:image/png;base64,"):
                digest = hashlib.sha256(base64.b64decode(src.split(",", 1)[1])).hexdigest()[:16]
            lines.append(f"F {node.get('alt', '')} {digest}".rstrip())
        elif node.name == "div" and "vigie-note" in (node.get("class") or []):
            lines.append(f"N {_text(node)}")
        elif node.name in ("p", "li"):
            if node.find_parent("li") is not None and node.name == "p":
                continue
            if node.find_parent("div", class_="vigie-note") is not None:
                continue
            classes = node.get("class") or []
            text = _text(node)
            if not text:
                continue
            lines.append(("S " if "vigie-figure-source" in classes or "vigie-table-foot" in classes else "P ") + text)
    return lines


def _intend(text: str, intended: list[tuple[str, str]]) -> str:
    for old, new in intended:
        text = text.replace(old, new)
    return text


def compare_set(base: Path, new: Path, figures: bool,
                intended: list[tuple[str, str]] = ()) -> tuple[list[str], list[str], int]:
    """(diff lines of the body, problems with the CSV exports and provenance, lines changed on purpose)."""
    html_base = next(base.glob("*.html"))
    html_new = next(new.glob("*.html"))
    raw = flatten(html_base.read_text(encoding="utf-8"), figures)
    a = [_intend(line, list(intended)) for line in raw]
    on_purpose = sum(x != y for x, y in zip(raw, a))
    b = flatten(html_new.read_text(encoding="utf-8"), figures)
    diff = list(difflib.unified_diff(a, b, str(html_base), str(html_new), lineterm="", n=1))
    problems = []
    csv_a = {p.name: p for p in (base / "donnees").glob("*.csv")}
    csv_b = {p.name: p for p in (new / "donnees").glob("*.csv")}
    prov_a, prov_b = base / "provenance.json", new / "provenance.json"
    if prov_a.exists() and prov_b.exists():
        a_info, b_info = json.loads(prov_a.read_text(encoding="utf-8")), json.loads(prov_b.read_text(encoding="utf-8"))
        for key in ("inputs", "datasets", "parameters"):
            if a_info.get(key) != b_info.get(key):
                problems.append(f"provenance.json differs in {key!r}")
    for name in sorted(set(csv_a) | set(csv_b)):
        if name not in csv_b:
            problems.append(f"CSV missing in the new report: {name}")
        elif name not in csv_a:
            problems.append(f"CSV new (not in the baseline): {name}")
        elif _intend(csv_a[name].read_text(encoding="utf-8"), list(intended)).encode("utf-8") != \
                csv_b[name].read_bytes():
            problems.append(f"CSV differs: {name}")
    return diff, problems, on_purpose


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path, help="baseline reports folder (e.g. /work/baseline/reports)")
    parser.add_argument("new", type=Path, help="new reports folder (e.g. reports)")
    parser.add_argument("stem", help="notebook name (e.g. viabilite_alimentaire)")
    parser.add_argument("--strict-headings", action="store_true", help="count heading changes as differences")
    parser.add_argument("--ignore-figures", action="store_true", help="do not compare the PNG bytes of figures")
    parser.add_argument("--intended", nargs=2, action="append", default=[], metavar=("OLD", "NEW"),
                        help="an intended wording change: OLD in the baseline reads NEW in the new report")
    args = parser.parse_args(argv)
    failed = False
    sets = sorted(p.name for p in (args.baseline / args.stem).iterdir() if p.is_dir())
    for name in sets:
        new = args.new / args.stem / name
        if not new.is_dir():
            print(f"[{name}] not rendered in {args.new}")
            failed = True
            continue
        diff, problems, on_purpose = compare_set(args.baseline / args.stem / name, new, not args.ignore_figures,
                                                 [tuple(pair) for pair in args.intended])
        changed = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        substantive = [d for d in changed if args.strict_headings or not d[1:].startswith("H")]
        lines = len(flatten((new / next(new.glob('*.html')).name).read_text(encoding="utf-8")))
        print(f"[{name}] {lines} lines compared; {len(changed)} changed lines "
              f"({len(changed) - len(substantive)} headings only); {len(problems)} CSV/provenance problems; "
              f"{on_purpose} lines changed on purpose (--intended)")
        for line in diff:
            print("   ", line)
        for problem in problems:
            print("    " + problem)
        failed |= bool(substantive or problems)
    print("IDENTICAL (outside headings)" if not failed else "DIFFERENT")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
