"""A synthetic publication bank for the deliverables tests (made here: invented titles, people and DOIs).

It carries the probes a hostile export could hold: ``<script>`` and ``</script>`` in a title, a spreadsheet formula,
LaTeX specials, a line break followed by RIS tags, an author and a source starting with ``+`` and ``-``.
"""

from __future__ import annotations

import pandas as pd

from analysis.vigie import catalogue as cat

PROBE = "<script>window.__pwned = 1</script> </script><b>bold</b>"
FORMULA = '=HYPERLINK("http://evil.example","x")'
LATEX = r"Costs {100%} & $5 #1 a_b ~c ^d \e"
BREAK = "First line\r\nER  - \nTY  - JOUR"
HEADERS = {c: c.upper() for c in cat.CSV_COLUMNS}
THEMES = {"food": "Alimentation", "digital": "Numérique"}


def synthetic_tables():
    """Four invented works (synthetic; no real publication)."""
    works = pd.DataFrame({
        "work_id": ["W00001", "W00002", "W00003", "W00004"],
        "title": [PROBE, FORMULA, LATEX, BREAK],
        "year": pd.array([2021, 2019, None, 2015], dtype="Int64"),
        "doi": ["10.1234/ab{c}", None, "10.1234/x y#z", "10.5555/ok"],
        "source_title": ["Journal <i>of</i> Tests", "-Minus Review", None, "Book of Things"],
        "doc_type": ["Article", "Conference Paper", "Book Chapter", "Book"],
        "language": ["English", "French", None, "English"],
        "cited_by": pd.array([3, None, 0, 12], dtype="Int64"),
        "author_keywords": ["food; co-op", None, "@risk", None],
        "origins": ["a.csv#1; b.txt#7", "a.csv#2", "b.txt#3", "a.csv#4"],
    })
    authorships = pd.DataFrame({
        "work_id": ["W00001", "W00001", "W00002", "W00003", "W00004"],
        "position": [1, 2, 1, 1, 1],
        "author": ["Tremblay, A.", "Smith and Sons", "+Plus, B.", "Côté, É.", "Roy, C."],
    })
    work_themes = pd.DataFrame({"work_id": ["W00001", "W00001", "W00003"], "theme": ["food", "digital", "food"]})
    return works, authorships, work_themes
