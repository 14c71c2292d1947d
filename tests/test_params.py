"""Parameter files and their schema (analysis.params): every bad value stops with one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.core import params, paths
from analysis.core.errors import ParameterError

SCHEMA = {
    "year_min": {"type": "int", "min": 1900, "max": 2100},
    "share": {"type": "float", "min": 0, "max": 1},
    "lang": {"type": "str", "choices": ["fr", "en"], "default": "fr"},
    "strict": {"type": "bool"},
    "label": {"type": "str", "null": True},
    "corpus": {"type": "list", "items": "source", "min_items": 1},
    "weights": {"type": "dict", "values": "float", "min": 0, "keys": ["alignment", "momentum"]},
    "out": {"type": "path", "must_exist": False},
}
GOOD = {
    "year_min": 2000, "share": 1, "strict": True, "label": None, "corpus": ["pyproject.toml"],
    "weights": {"alignment": 2, "momentum": 0.5}, "out": "reports/nothing-yet.csv",
}


@pytest.fixture()
def schema_dir(tmp_path, monkeypatch):
    """A params folder with one hand-written schema ``demo`` (paths.PARAMS points there for the test)."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "_schema.yaml").write_text(yaml.safe_dump(SCHEMA, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS", tmp_path)
    return tmp_path


def test_valid_values_are_normalized(schema_dir):
    checked = params.validate("demo", GOOD)
    assert checked["share"] == 1.0 and isinstance(checked["share"], float)
    assert checked["weights"] == {"alignment": 2.0, "momentum": 0.5}
    assert checked["lang"] == "fr"  # schema default
    assert checked["label"] is None
    assert list(checked) == list(SCHEMA)  # schema order


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"year_min": "2000"}, "year_min", "expected a whole number"),
    ({"year_min": True}, "year_min", "expected a whole number"),
    ({"year_min": 1800}, "year_min", "below the minimum 1900"),
    ({"share": 1.5}, "share", "above the maximum 1"),
    ({"lang": "de"}, "lang", "is not one of ['fr', 'en']"),
    ({"strict": "yes"}, "strict", "expected true or false"),
    ({"corpus": []}, "corpus", "at least 1 item"),
    ({"corpus": "pyproject.toml"}, "corpus", "expected a list"),
    ({"corpus": ["no/such/file.csv"]}, "corpus[0]", "file not found: no/such/file.csv"),
    ({"corpus": ["external:nope"]}, "corpus[0]", "unknown external dataset 'nope'"),
    ({"weights": {"alignment": 1, "other": 2}}, "weights", "unknown key(s) ['other']"),
    ({"weights": {"alignment": -1}}, "weights.alignment", "below the minimum 0"),
    ({"year_min": None}, "year_min", "a value is required"),
])
def test_each_bad_value_names_its_parameter(schema_dir, change, field, words):
    with pytest.raises(ParameterError) as err:
        params.validate("demo", {**GOOD, **change})
    assert err.value.field == field and words in err.value.message
    assert "\n" not in err.value.one_line() and err.value.one_line().startswith(f"[{field}] ")


def test_unknown_and_missing_parameters(schema_dir):
    with pytest.raises(ParameterError, match=r"\[colour\] unknown parameter\(s\) for demo: colour"):
        params.validate("demo", {**GOOD, "colour": "red"})
    incomplete = {k: v for k, v in GOOD.items() if k != "strict"}
    with pytest.raises(ParameterError, match=r"\[strict\] missing parameter"):
        params.validate("demo", incomplete)
    with pytest.raises(ParameterError, match="no parameter schema for notebook 'ghost'"):
        params.validate("ghost", {})


def test_known_external_dataset_is_accepted_even_if_absent(schema_dir):
    from analysis.core import external

    name = sorted(external.dataset_names())[0]
    assert params.validate("demo", {**GOOD, "corpus": [f"external:{name}"]})["corpus"] == [f"external:{name}"]


def test_parameter_files(schema_dir):
    folder = schema_dir / "demo"
    (folder / "default.yaml").write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    (folder / "b-other.yaml").write_text(yaml.safe_dump({**GOOD, "year_min": 3000}), encoding="utf-8")
    (folder / "c-broken.yaml").write_text("year_min: 2000\nshare: [1,\n", encoding="utf-8")
    (folder / "d-list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    assert [p.name for p in params.parameter_sets("demo")] == [
        "b-other.yaml", "c-broken.yaml", "d-list.yaml", "default.yaml"]
    assert params.validate_file("demo", folder / "default.yaml")["year_min"] == 2000
    with pytest.raises(ParameterError) as err:
        params.validate_file("demo", folder / "b-other.yaml")
    assert err.value.one_line() == "b-other.yaml: [year_min] 3000 is above the maximum 2100"
    with pytest.raises(ParameterError) as err:
        params.load_param_file(folder / "c-broken.yaml")
    assert err.value.line == 3 and "invalid YAML" in err.value.message
    with pytest.raises(ParameterError, match="must be a mapping"):
        params.load_param_file(folder / "d-list.yaml")
    with pytest.raises(ParameterError, match="parameter file not found"):
        params.load_param_file(folder / "missing.yaml")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    assert params.load_param_file(folder / "empty.yaml") == {}


def test_project_parameter_folders_have_a_lang_choice():
    """Every real params/<stem>/_schema.yaml declares lang (fr|en); each set names only known parameters."""
    schemas = sorted(Path(paths.PARAMS).glob("*/_schema.yaml"))
    if not schemas:
        pytest.skip("no params/<stem>/_schema.yaml yet")
    for schema_file in schemas:
        schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
        assert schema["lang"]["choices"] == ["fr", "en"], schema_file
        for path in params.parameter_sets(schema_file.parent.name):
            assert set(params.load_param_file(path)) <= set(schema), path


def test_a_parameter_set_lists_only_what_differs_from_the_schema_defaults(tmp_path):
    """default.yaml may be {}: every value comes from the schema, normalized like a given value."""
    folder = tmp_path / "demo"
    folder.mkdir()
    schema = {"top_n": {"type": "int", "min": 5, "default": 15, "help": "rows"},
              "threshold": {"type": "float", "default": 90, "help": "score"},
              "lang": {"type": "str", "choices": ["fr", "en"], "default": "fr"}}
    (folder / "_schema.yaml").write_text(yaml.safe_dump(schema, sort_keys=False), encoding="utf-8")
    (folder / "default.yaml").write_text("# every default lives in _schema.yaml\n{}\n", encoding="utf-8")
    (folder / "english.yaml").write_text("lang: en\n", encoding="utf-8")
    assert params.load_param_file(folder / "default.yaml") == {}
    default = params.load_set("demo", "default", tmp_path)
    assert default == {"top_n": 15, "threshold": 90.0, "lang": "fr"} and isinstance(default["threshold"], float)
    assert params.load_set("demo", "english", tmp_path) == {"top_n": 15, "threshold": 90.0, "lang": "en"}
    assert params.defaults("demo", tmp_path) == {"top_n": 15, "threshold": 90, "lang": "fr"}
    # a bad default is caught like a bad value, naming the parameter
    schema["top_n"]["default"] = 3
    (folder / "_schema.yaml").write_text(yaml.safe_dump(schema, sort_keys=False), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        params.load_set("demo", "default", tmp_path)
    assert err.value.one_line() == "_schema.yaml: [top_n] bad default: 3 is below the minimum 5"


def test_schema_entries_are_checked(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "_schema.yaml").write_text("top_n: {type: int, defualt: 15}\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        params.load_schema("demo", tmp_path)
    assert err.value.field == "top_n" and "unknown schema key(s) defualt" in err.value.message
    (folder / "_schema.yaml").write_text("top_n: {type: integer, default: 15}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"\[top_n\] unknown type 'integer'"):
        params.load_schema("demo", tmp_path)
    (folder / "_schema.yaml").write_text("top_n: {type: int}\nlang: {type: str, default: fr}\n", encoding="utf-8")
    assert params.missing_defaults(params.load_schema("demo", tmp_path)) == ["top_n"]
    with pytest.raises(ParameterError) as err:
        params.defaults("demo", tmp_path)
    assert err.value.field == "top_n" and "every schema entry needs one" in err.value.message
