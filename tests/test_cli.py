"""``python -m analysis``: English help, one module imported per command, one-line errors with exit status 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from analysis import cli

FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœ]|\b(les|des|une|du|carnet|rapport|jeu)\b", re.I)


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_listed_with_an_english_help(capsys):
    text = _help(["--help"], capsys)
    for name, (_module, help_text) in cli.COMMANDS.items():
        assert name in text
        assert not FRENCH.search(help_text), help_text
    assert set(cli.COMMANDS) >= {"data", "manifest", "params", "render"}


@pytest.mark.parametrize("command", ["render", "params", "data", "manifest"])
def test_command_options_speak_english(command, capsys):
    text = _help([command, "--help"], capsys)
    assert not FRENCH.search(text), text


def test_only_the_command_being_run_is_imported():
    code = ("import sys; from analysis import cli; cli.build_parser('manifest'); "
            "print(sorted(m for m in ('analysis.report.render', 'analysis.vigie', 'matplotlib', 'papermill') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_project_errors_are_one_line_with_status_2(capsys, tmp_path):
    assert cli.main(["render", "--only", "nothing", "--notebooks", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: [--only] no notebook nothing.ipynb")


def test_python_dash_m_analysis(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "analysis", "render", "--only", "nothing", "--notebooks",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: [--only] no notebook nothing.ipynb in {tmp_path.name}"
