"""No input subverts a report: text from the data or the parameters is never read as math, Markdown or a formula.

Probes from issue 16: a ``$`` in a title ("cost $5 to $10") and an undefined TeX command in a figure; Markdown
links and remote images in a parameter value (``region_focus``); a title ``=HYPERLINK(…)`` reaching a CSV export.
"""

from __future__ import annotations

import pandas as pd
from nbconvert.filters.markdown import markdown2html_mistune

from analysis.report import display
from analysis.report.figures import style as plots

MONEY = "cost $5 to $10"
TEX = r"$\undefinedcmd{x}$"
FOCUS = "[x](javascript:alert(1)) ![](http://example.invalid/pixel.png) voir http://example.invalid"
FORMULA = '=HYPERLINK("http://example.invalid", "clic")'


def test_dollar_signs_are_drawn_as_written_and_never_fail():
    fig, ax = plots.new_figure(MONEY, TEX, "n")
    ax.barh([MONEY, TEX], [1, 2])
    png = display.figure_png(fig)  # an undefined TeX command would raise here if the text were parsed as math
    assert png[:4] == b"\x89PNG"
    drawn = [tick.get_text() for tick in ax.get_yticklabels()]
    assert drawn == [MONEY, TEX] and ax.get_title(loc="left") == MONEY
    renderer = fig.canvas.get_renderer()
    # drawn as plain text: a mathtext "cost 5to10" would be narrower than the 14 characters written out
    plain, = (t for t in ax.get_yticklabels() if t.get_text() == MONEY)
    assert not plain._get_layout(renderer)[1][0][0].startswith("cost 5")  # the line keeps its "$"
    assert "$" in plain._get_layout(renderer)[1][0][0]


def test_markdown_in_a_parameter_is_text(monkeypatch):
    out = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: out.append(data))
    display.show_text(f"**Région** : {FOCUS} <img src=x onerror=alert(1)>")
    page = markdown2html_mistune(out[0]["text/markdown"])
    assert "<a " not in page and "<img" not in page and "javascript:" not in page.split("[x](")[0]
    assert "<strong>Région</strong>" in page  # the catalogue's own formatting still works
    assert "[x](javascript:alert(1))" in page and "![](http://example.invalid/pixel.png)" in page  # shown as written
    assert "&lt;img src=x" in page


def test_formulas_are_neutralised_in_csv_exports_and_numbers_stay_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_REPORT_DIR", str(tmp_path))
    df = pd.DataFrame({"title": [FORMULA, "+33 1", "-x", "@SUM(A1)", "\tcell", "\rcell", "Ordinaire"],
                       "margin": [-0.25, 1.5, -3.0, 0.0, 2.0, 3.0, 4.0], "=header": range(7)})
    display.export_csv(df, "probe")
    text = (tmp_path / "donnees" / "probe.csv").read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    assert lines[0] == "title;margin;'=header"
    assert lines[1] == "'=HYPERLINK(\"\"http://example.invalid\"\", \"\"clic\"\");-0,25;0" \
        or lines[1] == "\"'=HYPERLINK(\"\"http://example.invalid\"\", \"\"clic\"\")\";-0,25;0"
    assert lines[2].startswith("'+33 1;1,5;") and lines[3].startswith("'-x;-3,0;") and lines[4].startswith("'@SUM")
    assert lines[5].startswith("\"'\tcell\"") or lines[5].startswith("'\tcell")
    assert "Ordinaire;4,0;6" in text
    # negative numbers are numbers: "-0,25" and "-3,0" are not prefixed
    assert ";-0,25;" in lines[1] and ";-3,0;" in lines[3]


def test_html_in_data_stays_escaped():
    html = display.table_html(pd.DataFrame({"nom": ["<script>alert(1)</script>"]}))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
