"""Rendering pipeline (analysis.report.render) on the synthetic demo notebook of tests/fixtures/render."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from _render_demo import FIXTURE, rendered

from analysis.report import render


@pytest.fixture(scope="module")
def demo():
    return rendered()


def _html(demo, stem_set: str) -> str:
    stem, set_name = stem_set.split("/")
    return (demo.reports / stem / set_name / f"{stem}-{set_name}.html").read_text(encoding="utf-8")


def test_successful_reports_are_published(demo):
    assert demo.results["demo/default"].ok
    folder = demo.reports / "demo" / "default"
    assert sorted(p.name for p in folder.iterdir()) == [
        "demo-default.html", "donnees", "provenance.json", "rapport.json"]
    meta = json.loads((folder / "rapport.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Rapport de démonstration (essai)"  # parameters from the set, not the notebook
    assert meta["csv"] == ["donnees/cooperatives.csv"]
    assert meta["lang"] == "fr" and meta["set"] == "default"
    csv = (folder / "donnees" / "cooperatives.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "\ufeffEntreprise;Membres;Chiffre d'affaires;Part" and len(csv) == 1 + 11  # French Excel
    assert not (demo.reports / render.TMP_DIR).exists()


def test_no_code_in_the_report(demo):
    page = _html(demo, "demo/default")
    for marker in ("jp-InputPrompt", "In&nbsp;[", "Out[", "jp-OutputPrompt", "jp-CodeMirrorEditor", "highlight"):
        assert marker not in page
    # the only input areas left are the Markdown cells' rendered text
    assert page.count("jp-InputArea ") == 1  # the demo has one Markdown cell
    # the notebook's source never leaks (e.g. the seeded generator call)
    assert "default_rng" not in page and "show_table" not in page


def test_data_markup_is_shown_as_text(demo):
    page = _html(demo, "demo/default")
    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page
    # escaped in the table cell and in the Markdown paragraph
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;") == 2
    assert len(re.findall(r"<script\b", page)) == 1  # only the inline table sorter


def test_page_frame_language_title_and_toc(demo):
    page = _html(demo, "demo/default")
    assert '<html lang="fr-CA">' in page
    assert "<title>Rapport de démonstration (essai)</title>" in page
    toc = re.search(r'<nav [^>]*class="vigie-toc"[^>]*>.*?</nav>', page, re.S).group(0)
    entries = re.findall(r'href="#([^"]+)"><span class="vigie-num">([0-9.]+)</span> ([^<]+)</a>', toc)
    assert entries == [("tableau-des-cooperatives", "1", "Tableau des coopératives"), ("notes", "1.1", "Notes"),
                       ("figure-des-membres", "2", "Figure des membres"), ("provenance", "3", "Provenance")]
    # a Markdown heading cell is numbered and listed like the headings that code displays
    assert '<h2 id="figure-des-membres"><span class="vigie-num">2</span>Figure des membres</h2>' in page
    assert page.count("<h1>") == 1  # the title lives in the header only
    assert "Jeu de paramètres" in page and "Table des matières" in page


def test_labelled_markdown_heading_is_translated():
    nb = nbformat.read(FIXTURE / "notebooks" / "demo.ipynb", as_version=4)  # not executed: no heading from code
    render.localize_markdown(nb, "en")
    info = render.clean_notebook(nb)
    assert [(e["id"], e["number"], e["text"]) for e in info["toc"]] == [("members-figure", "1", "Members figure")]
    (cell,) = [c for c in nb.cells if c.cell_type == "markdown"]
    assert cell.source == '<h2 id="members-figure"><span class="vigie-num">1</span>Members figure</h2>'


def test_english_page_frame_without_kernel():
    import datetime as dt

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("secret_code = 1")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": '<h1>Title</h1><h2 id="s">Section</h2>', "text/plain": "Title"})]
    info = render.clean_notebook(nb)
    page = render.to_html(nb, stem="demo", set_name="en", lang="en", info=info, data_version="abc",
                          day=dt.date(2026, 11, 25))
    assert '<html lang="en-CA">' in page and "<title>Title — en</title>" in page
    assert "Contents" in page and "Parameter set" in page and "November 25, 2026" in page
    assert '<h2 id="s"><span class="vigie-num">1</span>Section</h2>' in page and "secret_code" not in page


def test_figure_alt_text_and_self_contained(demo):
    page = _html(demo, "demo/default")
    imgs = re.findall(r"<img [^>]*>", page)
    assert len(imgs) == 1 and 'src="data:image/png;base64,' in imgs[0]
    alts = re.findall(r'alt="([^"]*)"', imgs[0])
    assert len(alts) == 1 and alts[0].startswith("Diagramme à barres : 11 coopératives, de ")
    # nothing fetched from the network: no external script, stylesheet or image
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)
    assert "table class=\"vigie-table sortable\"" in page and "@media print" in page


def test_stray_outputs_are_stripped(demo):
    page = _html(demo, "demo/default")
    assert "stray warning" not in page and "UserWarning" not in page
    assert "'notebook': 'demo'" not in page  # the repr of show_provenance's return value
    assert any("bare value" in line for line in demo.log)


def test_bad_parameter_stops_the_report_with_one_line(demo):
    res = demo.results["demo/bad"]
    assert not res.ok and "\n" not in res.message
    assert "bad.yaml" in res.message and "[n_rows]" in res.message and "1000" in res.message
    folder = demo.reports / "demo" / "bad"
    assert not list(folder.glob("*.html")) and not (folder / "rapport.json").exists()
    assert (folder / render.FAILED_FILE).exists()


def test_bad_parameter_is_refused_before_any_kernel_starts(demo, monkeypatch, tmp_path):
    from analysis.report.render import kernel

    monkeypatch.setattr(kernel, "execute", lambda *args, **kwargs: pytest.fail("a kernel was started"))
    job = next(j for j in render.find_jobs(demo.notebooks, demo.params, tmp_path / "reports") if j.name == "demo/bad")
    res = render.render_job(job)
    assert not res.ok and "[n_rows]" in res.message


def test_raising_notebook_fails_and_leaves_no_report(demo):
    res = demo.results["boom/default"]
    assert not res.ok
    assert res.message == "ValueError: panne volontaire de test"
    folder = demo.reports / "boom" / "default"
    assert not list(folder.glob("*.html")) and not (folder / "donnees").exists()
    assert "boom/default: ValueError" in (folder / render.FAILED_FILE).read_text(encoding="utf-8")
    assert any(line.startswith("✗ boom/default FAILED") for line in demo.log)
    assert any(line.startswith("1/3 succeeded") for line in demo.log)


def test_index_lists_reports_and_failures(demo):
    page = (demo.reports / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr-CA">' in page
    assert 'href="demo/default/demo-default.html">Rapport de démonstration (essai)</a>' in page
    assert 'href="demo/default/donnees/cooperatives.csv"' in page
    # the failure note: the English one-line error inside a French sentence from the catalogue
    assert "Échec du rendu : boom/default: ValueError: panne volontaire de test</p>" in page
    assert "Échec du rendu : demo/bad: bad.yaml: [n_rows] 1000 is above the maximum 100</p>" in page
    assert page.count("échec") == 2
    rows = render.collect_reports(demo.reports)
    assert [(r["notebook"], r["set"], r["ok"]) for r in rows] == [
        ("boom", "default", False), ("demo", "default", True), ("demo", "bad", False)]


def test_index_page_escapes_values_and_says_when_it_is_empty():
    import datetime as dt

    empty = render.index_html([], "abc", dt.date(2026, 8, 1))
    assert "<p>Aucun rapport n&#39;a encore été produit. Lancez « make reports ».</p>" in empty
    assert "Produit le 1er août 2026" in empty and '<html lang="fr-CA">' in empty
    row = {"notebook": "demo", "set": "default", "folder": "demo/default", "ok": True, "title": "<script>x</script>",
           "subtitle": None, "html": "demo-default.html", "csv": ["donnees/a.csv"], "pdf": "demo-default.pdf",
           "data_version": "v1", "date": "2026-11-25"}
    page = render.index_html([row], "abc", dt.date(2026, 11, 25))
    assert '<a href="demo/default/demo-default.html">&lt;script&gt;x&lt;/script&gt;</a>' in page
    assert "<script" not in page and 'class="subtitle"' not in page
    assert '<a href="demo/default/demo-default.pdf">PDF</a>' in page and "<dd>25 novembre 2026</dd>" in page
    assert ('<summary>Données (CSV) · 1</summary><ul class="csv"><li><a href="demo/default/donnees/a.csv">a.csv</a>'
            in page)


def test_cli_bad_parameter_exit_status_and_message(demo, tmp_path, capsys):
    from analysis import cli

    status = cli.main(["render", "--notebooks", str(demo.notebooks), "--params", str(demo.params),
                       "--reports", str(tmp_path), "--only", "demo", "--set", "bad"])
    assert status == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: demo/bad: ") and "[n_rows]" in errors[0]
    assert [p.name for p in tmp_path.rglob("*.html")] == ["index.html"]


def test_unknown_notebook_is_a_parameter_error(demo):
    with pytest.raises(render.ParameterError, match="no notebook nothing.ipynb"):
        render.find_jobs(demo.notebooks, demo.params, demo.reports, only="nothing")


def test_clean_notebook_numbers_headings_and_keeps_ids_unique():
    out = lambda html: nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "x"})  # noqa: E731
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [
        out('<h1>Titre &amp; cie</h1><p class="vigie-subtitle">Sous-titre</p>'),
        out('<h3 id="avant">Avant</h3>'), out('<h2 id="a">Été</h2>'), out('<h3 id="a">Détail</h3>'),
        out("<h2>Sans id</h2>"), nbformat.v4.new_output("stream", name="stderr", text="bruit"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "{'a': 1}"}, execution_count=1),
    ]
    info = render.clean_notebook(nb)
    assert info["title"] == "Titre & cie" and info["subtitle"] == "Sous-titre"
    assert [(e["number"], e["id"], [c["id"] for c in e["children"]]) for e in info["toc"]] == [
        ("1", "avant", []), ("1", "a", ["a-2"]), ("2", "sans-id", [])]
    assert len(nb.cells[0].outputs) == 4  # title, stderr and bare repr removed
    assert nb.cells[0].outputs[2].data["text/html"] == '<h3 id="a-2"><span class="vigie-num">1.1</span>Détail</h3>'


def test_parameters_cell_and_run_metadata():
    nb = nbformat.read(FIXTURE / "notebooks" / "demo.ipynb", as_version=4)
    assert render.parameters_cell_values(nb) == {"title_suffix": "démo", "n_rows": 12, "lang": "fr"}
    nb.metadata["papermill"] = {"start_time": "x", "duration": 1.0}
    nb.cells[0].metadata["papermill"] = {"duration": 1.0}
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "x"}
    render.strip_run_metadata(nb)
    assert "papermill" not in nb.metadata
    assert nb.cells[0].metadata == {"tags": ["parameters"]}


def test_french_date():
    import datetime as dt

    assert render.french_date(dt.date(2026, 11, 25)) == "25 novembre 2026"
    assert render.french_date(dt.date(2026, 8, 1)) == "1er août 2026"
    assert render.french_date(dt.date(2026, 8, 1), "en") == "August 1, 2026"


def test_in_place_reexecutes_with_defaults_and_strips_run_metadata(tmp_path):
    notebooks, params = tmp_path / "notebooks", tmp_path / "params"
    notebooks.mkdir()
    shutil.copy(FIXTURE / "notebooks" / "demo.ipynb", notebooks)
    shutil.copytree(FIXTURE / "params", params)
    log: list[str] = []
    results = render.render_in_place(notebooks, params, jobs=1, echo=log.append)
    assert [(r.name, r.ok) for r in results] == [("demo/default", True)], log
    nb = nbformat.read(notebooks / "demo.ipynb", as_version=4)
    assert "papermill" not in nb.metadata
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in nb.cells)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert len(nb.cells) == 7
    assert all(c.outputs or i == 0 for i, c in enumerate(nb.cells) if c.cell_type == "code")
    shown = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "Coopérative synthétique 11" in shown  # 12 rows: the notebook's own defaults
    # a default.yaml that disagrees with the parameters cell is refused before running
    (params / "demo" / "default.yaml").write_text("n_rows: 5\n", encoding="utf-8")
    res = render.render_in_place(notebooks, params, jobs=1, echo=log.append)[0]
    assert not res.ok and "[n_rows]" in res.message and "parameters cell differs" in res.message
    # so is a schema whose default moved away from the cell (one place for defaults: sync the cell)
    (params / "demo" / "default.yaml").write_text("{}\n", encoding="utf-8")
    schema = params / "demo" / "_schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace("default: 12", "default: 13"), encoding="utf-8")
    res = render.render_in_place(notebooks, params, jobs=1, echo=log.append)[0]
    assert not res.ok and "[n_rows]" in res.message and "params sync demo" in res.message


def test_manual_heading_numbers_are_not_doubled():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": '<h2 id="x">2. Production scientifique</h2>', "text/plain": "x"})]
    info = render.clean_notebook(nb)
    assert info["toc"][0]["text"] == "Production scientifique"
    assert nb.cells[0].outputs[0].data["text/html"].endswith(
        '<span class="vigie-num">1</span>Production scientifique</h2>')


def test_stale_report_folders_are_pruned(tmp_path):
    for stem_set, marker in (("old/default", render.META_FILE), ("demo/gone", render.FAILED_FILE),
                             ("demo/default", render.META_FILE), ("mine/notes", "keep.txt")):
        (tmp_path / stem_set).mkdir(parents=True)
        (tmp_path / stem_set / marker).write_text("{}", encoding="utf-8")
    job = render.Job("demo", "default", Path("demo.ipynb"), Path("default.yaml"), tmp_path, tmp_path)
    assert render.prune_stale(tmp_path, [job]) == ["demo/gone", "old/default"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*")) == ["demo/default", "mine/notes"]
