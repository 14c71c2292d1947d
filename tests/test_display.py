"""What notebooks show (analysis.display): escaped, French-formatted, deterministic HTML and figures."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

from analysis.report import display
from analysis.report.figures import style as plots

NB, TH = "\u00a0", "\u202f"


@pytest.fixture()
def published(monkeypatch):
    """Capture what display functions publish (instead of sending it to a Jupyter front end)."""
    out: list[tuple[dict, dict]] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: out.append((data, metadata or {})))
    return out


def test_slug():
    assert display.slug("Éléments clés : 2024 !") == "elements-cles-2024"
    assert display.slug("Coopératives & OBNL") == "cooperatives-obnl"
    assert display.slug("«»") == "section"


def test_heading_text_and_note_escape_markup(published):
    display.show_heading("Résultats <i>bruts</i>", 3)
    display.show_text("**Gras** et <script>x</script> & cie")
    display.show_note("Lancez `make data` <b>maintenant</b>", kind="missing")
    heading, text, note = (d for d, _ in published)
    assert heading["text/html"] == '<h3 id="resultats-i-bruts-i">Résultats &lt;i&gt;bruts&lt;/i&gt;</h3>'
    assert text["text/markdown"] == "**Gras** et &lt;script>x&lt;/script> &amp; cie"
    assert text["text/plain"] == "**Gras** et <script>x</script> & cie"
    assert note["text/html"] == ('<div class="vigie-note vigie-note-missing" role="note">Lancez <code>make data</code> '
                                 "&lt;b&gt;maintenant&lt;/b&gt;</div>")


def test_format_cell_defaults_and_kinds():
    assert display.format_cell(None, None, "fr") == "—"
    assert display.format_cell(True, None, "fr") == "oui" and display.format_cell(False, None, "en") == "no"
    assert display.format_cell(3658, None, "fr") == f"3{TH}658"
    assert display.format_cell(np.int64(3658), None, "en") == "3,658"
    assert display.format_cell(1234.56, None, "fr") == f"1{TH}234,6"
    assert display.format_cell(2_345_678.9, None, "fr") == f"2{TH}345{TH}679"
    assert display.format_cell(0.125, "share", "fr") == f"12,5{NB}%"
    assert display.format_cell(1.5e6, "money_short", "fr") == f"1,5{NB}M$"
    assert display.format_cell(2019, "year", "fr") == "2019"
    assert display.format_cell(1234, "usd", "en") == "$1,234 US"
    assert display.format_cell(7, lambda v: f"n={v}", "fr") == "n=7"
    with pytest.raises(KeyError, match="unknown cell format 'euro'"):
        display.format_cell(1, "euro", "fr")


def test_table_html_escapes_formats_and_marks_numbers():
    df = pd.DataFrame({"Nom <x>": ["<b>A</b>", "B & C"], "Membres": [1200, None], "Part": [0.5, 0.25]})
    html = display.table_html(df, formats={"Part": "share"}, caption="Tableau <1>", lang="fr")
    assert html == (
        '<div class="vigie-table-wrap"><table class="vigie-table"><caption>Tableau &lt;1&gt;</caption><thead><tr>'
        '<th scope="col">Nom &lt;x&gt;</th><th scope="col" class="num">Membres</th>'
        '<th scope="col" class="num">Part</th></tr></thead><tbody>'
        f'<tr><td>&lt;b&gt;A&lt;/b&gt;</td><td class="num" data-sort="1200.0">1{TH}200</td>'
        f'<td class="num" data-sort="0.5">50,0{NB}%</td></tr>'
        f'<tr><td>B &amp; C</td><td class="num" data-sort="">—</td><td class="num" data-sort="0.25">25,0{NB}%</td></tr>'
        "</tbody></table></div>"
    )  # a count stored as float (1200.0, beside a missing value) shows as a count: 1 200, never 1 200,0
    assert display.table_html(df, formats={"Part": "share"}, caption="Tableau <1>") == html  # deterministic


def test_long_tables_are_sortable_and_truncated():
    df = pd.DataFrame({"n": range(12)})
    html = display.table_html(df, max_rows=10, lang="fr")
    assert html.startswith('<div class="vigie-table-wrap"><table class="vigie-table sortable">')
    assert html.count("<tr>") == 1 + 10
    assert html.endswith('<p class="vigie-more">… et 2 autres lignes (voir le fichier CSV).</p>')
    assert "… and 2 more rows" in display.table_html(df, max_rows=10, lang="en")


def test_export_csv_only_while_rendering(tmp_path, monkeypatch):
    df = pd.DataFrame({"a": [1, 2], "b": ["é", "x,y"]})
    monkeypatch.delenv("VIGIE_REPORT_DIR", raising=False)
    assert display.export_csv(df, "t") == "donnees/t.csv" and not list(tmp_path.iterdir())
    monkeypatch.setenv("VIGIE_REPORT_DIR", str(tmp_path))
    assert display.export_csv(df, "t") == "donnees/t.csv"
    # French Excel: byte-order mark, ";" between cells (so "x,y" needs no quotes)
    assert (tmp_path / "donnees" / "t.csv").read_bytes() == "\ufeffa;b\n1;é\n2;x,y\n".encode()
    display.export_csv(df, "t", lang="en")
    assert (tmp_path / "donnees" / "t.csv").read_text(encoding="utf-8-sig") == 'a,b\n1,é\n2,"x,y"\n'


def test_show_table_with_source_and_export(published, tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_REPORT_DIR", str(tmp_path))
    display.show_table(pd.DataFrame({"x": [1]}), caption="C", export="tab", source="REQ <2024>", lang="fr")
    data, _ = published[0]
    assert data["text/html"].endswith(
        '<p class="vigie-table-foot"><span class="vigie-source">Source&nbsp;: REQ &lt;2024&gt;</span> · '
        '<a class="vigie-csv" href="donnees/tab.csv">Télécharger les données (CSV)</a></p>')
    assert data["text/plain"].startswith("C\n")
    assert (tmp_path / "donnees" / "tab.csv").exists()


def test_show_table_columns_pick_order_rename_and_format_by_data_name(published):
    df = pd.DataFrame({"n_works": [3, 12], "label": ["Habitat", "Travail"], "share": [0.2, 0.8], "hidden": [1, 2]})
    display.show_table(df, columns={"label": "Thème", "n_works": "Documents", "share": "Part"},
                       formats={"share": "share"}, lang="fr")
    page = published[0][0]["text/html"]
    assert '<th scope="col">Thème</th><th scope="col" class="num">Documents</th>' in page
    assert "hidden" not in page and "Part" in page
    assert ">20,0 %<" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_labelled_names_missing_columns():
    with pytest.raises(KeyError, match="columns not in the table: nope"):
        display.labelled(pd.DataFrame({"a": [1]}), {"a": "A", "nope": "N"})


def _figure():
    fig, ax = plots.new_figure("Membres par année", "Année", "Membres (nombre)")
    ax.bar([2020, 2021, 2022], [1200, 1500, 900])
    plots.french_axis(ax, "y", "number")
    plots.french_axis(ax, "x", "year")
    return fig


def test_figure_png_is_deterministic():
    first, second = display.figure_png(_figure()), display.figure_png(_figure())
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == second


def test_show_figure_alt_text_and_source(published):
    display.show_figure(_figure(), alt="Barres : 1 200, 1 500 et 900 membres.", source="Seed <x>", lang="fr")
    (img, meta), (src, _) = published
    # the smallest text (10 pt tick labels) at 192 dpi: 10 × 192 / 72 = 26.7 px in the image
    assert meta == {"image/png": {"alt": "Barres : 1 200, 1 500 et 900 membres.", "min_text_px": 26.7}}
    assert img["text/plain"] == "[Membres par année] Barres : 1 200, 1 500 et 900 membres."
    assert base64.b64decode(img["image/png"])[:4] == b"\x89PNG"
    assert src["text/html"] == '<p class="vigie-figure-source">Source&nbsp;: Seed &lt;x&gt;</p>'


def test_new_figure_needs_title_and_axis_labels():
    with pytest.raises(ValueError, match="title and both axis labels"):
        plots.new_figure("Titre", "", "y")


def test_french_axis_tick_labels():
    fig, ax = plots.new_figure("t", "x", "y")
    plots.french_axis(ax, "y", "money")
    plots.french_axis(ax, "x", "share", decimals=0)
    assert ax.yaxis.get_major_formatter()(2_500_000, 0) == f"2,5{NB}M$"
    assert ax.xaxis.get_major_formatter()(0.25, 0) == f"25{NB}%"
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_numeric_value_of_formatted_cells():
    assert display.numeric_value(f"1{TH}234,5{NB}$") == 1234.5
    assert display.numeric_value(f"139,9{NB}M$") == 139.9e6 and display.numeric_value(f"47,8{NB}G$") == 47.8e9
    assert display.numeric_value(f"2,09{NB}%") == 2.09 and display.numeric_value("−3") == -3
    assert display.numeric_value("$1,234.5") == 1234.5 and display.numeric_value("$1.5M") == 1.5e6
    for text in ("Coopérative 01", "1988:2022", "1, 2", "—", "abc"):
        assert display.numeric_value(text) is None


def test_numbers_given_as_text_are_right_aligned_and_sortable():
    """A column of numbers already formatted as text is marked numeric where the table is made."""
    df = pd.DataFrame({"Indicateur": ["Entreprises", "CA", "x"], "Valeur": ["234", f"139,9{NB}M$", "—"]})
    out = display.table_html(df, lang="fr")
    assert '<th scope="col" class="num">Valeur</th>' in out and '<th scope="col">Indicateur</th>' in out
    assert '<td class="num" data-sort="234.0">234</td>' in out
    assert f'<td class="num" data-sort="139900000.0">139,9{NB}M$</td>' in out
    assert '<td class="num" data-sort="">—</td>' in out and "<td>Entreprises</td>" in out
    # one cell that is not a number keeps the column as text; so does a column of missing values only
    mixed = display.table_html(pd.DataFrame({"v": ["12", "douze"], "w": ["—", "—"]}))
    assert "num" not in mixed


def test_words_a_table_adds_come_from_the_catalogue(published):
    assert display.format_cell(True, None, "en") == "yes" and display.format_cell(False, None, "fr") == "non"
    display.show_table(pd.DataFrame({"x": [1]}), source="REQ", export="t", lang="en")
    html = published[0][0]["text/html"]
    assert '<span class="vigie-source">Source: REQ</span>' in html and ">Download the data (CSV)</a>" in html


def test_provenance_outside_git_says_so_in_the_report_language(published, monkeypatch):
    from analysis.report import provenance

    monkeypatch.setattr(provenance, "git_commit", lambda: (provenance.UNKNOWN_COMMIT, False))
    monkeypatch.delenv("VIGIE_REPORT_DIR", raising=False)
    provenance.show_provenance("demo", {"n": 1}, inputs=[], datasets=[], lang="en")
    general = published[2][0]["text/html"]
    assert "<td>Code version (git commit)</td><td>unknown (outside a git repository)</td>" in general
