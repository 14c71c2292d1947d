"""Every label exists in French and English; report code only asks for keys that exist."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.report import labels

CATALOGUES = sorted((paths.ROOT / "src" / "analysis" / "labels").glob("*.yaml"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_every_label_has_french_and_english(path):
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    incomplete = [k for k, v in entries.items() if not isinstance(v, dict) or not v.get("fr") or not v.get("en")]
    assert not incomplete, f"{path.name}: labels without both fr and en: {incomplete}"
    for key, value in entries.items():
        fields_fr = set(re.findall(r"{(\w+)", value["fr"]))
        fields_en = set(re.findall(r"{(\w+)", value["en"]))
        assert fields_fr == fields_en, f"{path.name}:{key}: fields differ between fr and en"


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
