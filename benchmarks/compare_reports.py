"""Compare two rendered report folders by what readers see, not by markup.

    .venv/bin/python benchmarks/compare_reports.py /work/baseline/reports reports

For every page (each report and ``index.html``): the visible text block by block (styles and scripts dropped,
entities decoded, whitespace collapsed; the run date, the commit and the "uncommitted changes" note masked), the
``class``/``data-sort`` of table cells (alignment and sort order) and every link; the PNG figures and the CSV exports
byte for byte. Prints each difference and exits 1 when there is one. Not run by CI (it needs a reference folder).
"""

from __future__ import annotations

import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "li", "tr", "td", "th", "caption", "dt", "dd", "summary", "figure",
         "article", "header", "footer", "section", "table", "ul", "ol", "br", "title", "nav", "main", "details"}
VOLATILE = re.compile(r"\b[0-9a-f]{40}\b|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC|\b\d{1,2}(er)? \w+ 20\d\d\b|"
                      r"\b\w+ \d{1,2}, 20\d\d\b|modifications locales non enregistrées|uncommitted local changes")
PNG = re.compile(r'data:image/png;base64,([^"]+)')


class _Page(HTMLParser):
    """Visible text by block, plus (tag, class or href, data-sort) of table cells and links, and image alts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.blocks: list[list[str]] = [[]]
        self.attributes: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("style", "script"):
            self.hidden += 1
        if tag in BLOCK:
            self.blocks.append([])
        if tag == "img":
            self.blocks[-1].append(f"[image: {found.get('alt')}]")
        if tag in ("td", "th") and "class" in found:
            self.attributes.append((tag, found.get("class"), found.get("data-sort")))
        if tag == "a" and "href" in found:
            self.attributes.append(("a", found["href"], None))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1
        if tag in BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.blocks[-1].append(data)


def read_page(path: Path) -> tuple[list[str], list[tuple[str, str | None, str | None]], list[str]]:
    """(text blocks with volatile parts masked, cell and link attributes, PNG figures) of one page."""
    source = path.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(source)
    blocks = [VOLATILE.sub("<run>", " ".join("".join(b).split())) for b in parser.blocks]
    return [b for b in blocks if b], parser.attributes, PNG.findall(source)


def compare(reference: Path, rendered: Path, out=sys.stdout) -> int:
    """Print the differences between two report folders; return how many there are."""
    differences = 0
    pages = sorted(reference.glob("*/*/*.html")) + [reference / "index.html"]
    for page in pages:
        rel = page.relative_to(reference)
        other = rendered / rel
        if not other.exists():
            print(f"{rel}: missing", file=out)
            differences += 1
            continue
        (text_a, attrs_a, png_a), (text_b, attrs_b, png_b) = read_page(page), read_page(other)
        lines = [d for d in difflib.unified_diff(text_a, text_b, lineterm="", n=0)
                 if d[:1] in "+-" and d[:3] not in ("+++", "---")]
        attrs = [(a, b) for a, b in zip(attrs_a, attrs_b) if a != b]
        attrs += [("(missing)", b) for b in attrs_b[len(attrs_a):]] + [(a, "(missing)") for a in attrs_a[len(attrs_b):]]
        figures = "same figures" if png_a == png_b else f"{sum(a != b for a, b in zip(png_a, png_b))} figure(s) differ"
        print(f"{rel}: {len(text_a)} text blocks, {len(lines)} text line(s) differ, {len(attrs)} cell/link "
              f"attribute(s) differ, {figures}", file=out)
        for line in lines[:30]:
            print(f"    {line[:200]}", file=out)
        for before, after in attrs[:10]:
            print(f"    {before} -> {after}", file=out)
        differences += len(lines) + len(attrs) + (png_a != png_b)
    for csv in sorted(reference.glob("*/*/donnees/*.csv")):
        other = rendered / csv.relative_to(reference)
        if not other.exists() or other.read_bytes() != csv.read_bytes():
            print(f"{csv.relative_to(reference)}: CSV differs", file=out)
            differences += 1
    extra = sorted(p.relative_to(rendered) for p in rendered.glob("*/*/donnees/*.csv")
                   if not (reference / p.relative_to(rendered)).exists())
    for rel in extra:
        print(f"{rel}: CSV not in the reference", file=out)
    return differences + len(extra)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    found = compare(Path(argv[0]), Path(argv[1]))
    print(f"{found} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
