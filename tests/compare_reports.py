"""Compare two rendered reports by what a reader sees: table cells, paragraphs, notes, figures and CSV exports.

Not a pytest module (the baseline lives outside the repository). Run it after ``make reports``::

    .venv/bin/python tests/compare_reports.py reports/ecosysteme /work/baseline/reports/ecosysteme

Each ``<set>/`` folder of the first argument is compared with the same folder of the second: the text of every
table cell (with its ``data-sort`` value), caption and source line, every paragraph and list item, every note, every
figure (sha256 of the PNG and its text alternative), and the bytes of every ``donnees/*.csv``. Headings are listed
apart: their form (Markdown cell or display call) and intended wording may change, the rest may not. The markup
around the text is ignored. The provenance section (commit, hashes of the code) is left out. Exit status 1 on any
difference outside the headings.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import sys
from pathlib import Path

from bs4 import BeautifulSoup

BLOCKS = ["h2", "h3", "h4", "p", "li", "table", "img", "div"]


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def blocks(html_file: Path) -> tuple[list[str], list[str]]:
    """(headings, other blocks) of a report's body, each as one line of text, in document order."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    # the provenance section varies with the commit: cut the body where it begins
    headings, other = [], []
    for node in main.find_all(BLOCKS):
        if node.find_parent("table") is not None and node.name != "table":
            continue
        if node.name in ("h2", "h3", "h4"):
            num = node.find(class_="vigie-num")
            text = _text(node)
            if num is not None:
                text = text[len(_text(num)):].strip()
            if text in ("Provenance", "Provenance et reproductibilité", "Provenance and reproducibility"):
                break
            headings.append(f"{node.name}: {text}")
        elif node.name == "table":
            rows = []
            cap = node.find("caption")
            if cap is not None:
                rows.append(f"caption: {_text(cap)}")
            for tr in node.find_all("tr"):
                cells = []
                for cell in tr.find_all(["th", "td"]):
                    sort = cell.get("data-sort")
                    cells.append(_text(cell) + (f" [{sort}]" if sort is not None else ""))
                rows.append(" | ".join(cells))
            other.append("table:\n    " + "\n    ".join(rows))
        elif node.name == "img":
            src = node.get("src", "")
            digest = ""
            if src.startswith("data:image/png;base64,"):
                digest = hashlib.sha256(base64.b64decode(src.split(",", 1)[1])).hexdigest()[:16]
            other.append(f"figure {digest}: {node.get('alt', '')}")
        elif node.name == "div":
            classes = node.get("class") or []
            if "vigie-note" in classes:
                other.append(f"note {' '.join(c for c in classes if c.startswith('vigie-note-'))}: {_text(node)}")
        elif node.find_parent(["li"]) is None or node.name == "li":
            if node.find_parent("nav") is not None or node.find_parent("header") is not None:
                continue
            text = _text(node)
            if text:
                other.append(f"{node.name}: {text}")
    return headings, other


def compare_set(new: Path, old: Path) -> int:
    """Print the differences between one rendered parameter set and its baseline; return how many blocks differ."""
    new_html = next(new.glob("*.html"))
    old_html = next(old.glob("*.html"))
    new_h, new_b = blocks(new_html)
    old_h, old_b = blocks(old_html)
    problems = 0
    print(f"== {new.name}: {len(new_b)} blocks (baseline {len(old_b)}), {len(new_h)} headings (baseline {len(old_h)})")
    if new_h != old_h:
        print("   headings (allowed to change in form and intended wording):")
        for line in difflib.unified_diff(old_h, new_h, "baseline", "new", lineterm="", n=0):
            print("     " + line)
    if new_b != old_b:
        diff = list(difflib.unified_diff(old_b, new_b, "baseline", "new", lineterm="", n=0))
        problems += sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
        print("   DIFFERENCES in tables, text, notes or figures:")
        for line in diff:
            print("     " + line)
    new_csv = {p.name: p.read_bytes() for p in sorted((new / "donnees").glob("*.csv"))}
    old_csv = {p.name: p.read_bytes() for p in sorted((old / "donnees").glob("*.csv"))}
    for name in sorted(set(new_csv) | set(old_csv)):
        if new_csv.get(name) != old_csv.get(name):
            problems += 1
            print(f"   CSV differs or is missing: donnees/{name}")
    if not problems:
        print(f"   identical: {len(new_b)} blocks, {len(new_csv)} CSV files")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    new_root, old_root = Path(argv[0]), Path(argv[1])
    problems = 0
    for old in sorted(p for p in old_root.iterdir() if p.is_dir()):
        new = new_root / old.name
        if not new.is_dir():
            print(f"== {old.name}: missing in {new_root}")
            problems += 1
            continue
        problems += compare_set(new, old)
    print("same numbers, tables, text and figures" if not problems else f"{problems} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
