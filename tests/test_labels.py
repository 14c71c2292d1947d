"""Every label exists in French and English; report code only asks for keys that exist."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.report import labels

LABELS = paths.ROOT / "src" / "analysis" / "report" / "labels"
CATALOGUES = sorted(LABELS.glob("*.yaml"))
# The report layer's own modules translate through the catalogues only (fmt formats numbers and dates per language).
ONE_TRANSLATION_PATH = ["display.py", "notebook.py", "provenance.py", "render", "labels", "figures/style.py",
                        "figures/__init__.py", "__init__.py"]


def test_the_catalogues_are_found():
    assert {"common", "render"} <= {p.stem for p in CATALOGUES}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_every_label_has_french_and_english(path):
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    incomplete = [k for k, v in entries.items() if not isinstance(v, dict) or not v.get("fr") or not v.get("en")]
    assert not incomplete, f"{path.name}: labels without both fr and en: {incomplete}"
    for key, value in entries.items():
        fields_fr = set(re.findall(r"{(\w+)", value["fr"]))
        fields_en = set(re.findall(r"{(\w+)", value["en"]))
        assert fields_fr == fields_en, f"{path.name}:{key}: fields differ between fr and en"


def test_no_inline_language_branch_in_the_report_layer():
    report = paths.ROOT / "src" / "analysis" / "report"
    files = [p for name in ONE_TRANSLATION_PATH for p in ([report / name] if name.endswith(".py")
                                                          else sorted((report / name).rglob("*.py")))]
    assert len(files) >= 15
    branches = [f"{p.relative_to(report)}:{i}" for p in files
                for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                if re.search(r"""lang\s*[!=]=\s*["'](fr|en)["']""", line)]
    assert branches == [], "words in one language or the other come from the label catalogues"


def test_translation_and_fallback():
    assert labels.t("common.source", "fr") == "Source"
    assert "food" in labels.t("common.missing_dataset", "fr", name="food")
    with pytest.raises(ParameterError):
        labels.t("common.source", "de")


def test_keys_used_in_code_exist():
    used = set()
    for path in list((paths.ROOT / "src").rglob("*.py")) + list(paths.NOTEBOOKS.glob("*.ipynb")):
        used |= set(re.findall(r"""\bT\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    missing = []
    for key in sorted(used):
        try:
            labels.t(key, "fr")
        except (KeyError, IndexError):
            missing.append(key)
        except Exception:  # noqa: BLE001 - a label needing format fields exists
            pass
    assert not missing, f"labels used but not defined: {missing}"


def test_words_agree_with_their_count():
    # French takes the singular for 0 and 1 (CLDR), English for 1 only; counts may come formatted (« 2 000 »).
    fr = [labels.t("vigie.brief_emerging_a", n=n, level="5 %", names="X") for n in (0, 1, 2, "2\u00a0000")]
    assert [s.split(" au seuil")[0] for s in fr] == ["0 thème émergent", "1 thème émergent", "2 thèmes émergents",
                                                      "2\u00a0000 thèmes émergents"]
    en = [labels.t("vigie.brief_emerging_a", "en", n=n, level="5%", names="X") for n in (0, 1, 3)]
    assert [s.split(" emerging")[0] for s in en] == ["0 themes", "1 theme", "3 themes"]
    assert labels.t("vigie.brief_cells_robust", names="Alimentation", n_names=1).startswith("Alimentation reste dans")
    assert labels.t("vigie.brief_cells_robust", names="A; B", n_names=2).startswith("A; B restent dans")
    with pytest.raises(KeyError, match="n_names"):
        labels.t("vigie.brief_cells_robust", names="A")
    with pytest.raises(ValueError, match="not a number"):
        labels.t("vigie.brief_emerging_a", n="plusieurs", level="5 %", names="X")


def test_no_report_text_writes_a_plural_in_parentheses():
    # « 1 thème(s) émergent(s) » reads as a draft; words agree through {n|singular|plural}. The table counter is
    # written by the page's script, which has no plural rule (one exception, listed).
    allowed = {("common", "table_rows_shown")}
    found = []
    for path in CATALOGUES:
        for key, entry in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if (path.stem, key) in allowed:
                continue
            found += [f"{path.stem}.{key} ({lang})" for lang, text in entry.items()
                      if re.search(r"\w\((s|nt|es|e|ies)\)", str(text))]
    assert found == []
