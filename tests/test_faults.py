"""Faults and hostile parameters (issue 18): concurrent runs, kills, full disks, read-only folders, bad parameters,
paths outside the project. Each case is acted out and its outcome asserted.

Reports come from the small demo fixture (tests/fixtures/render, synthetic data), never the real notebooks. Disk
full and read-only folders are injected at the system-call wrappers of :mod:`analysis.core.atomic` when the tests run
as root (chmod does not stop root from writing); otherwise a real ``chmod`` is used. Datasets of ``make data`` are
synthetic bytes made by seeded code in a temporary project.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from _render_demo import FIXTURE

from analysis import cli
from analysis.core import atomic, external, inputs, params, paths
from analysis.core.errors import ParameterError, StorageError
from analysis.report import ecosystem as eco_report
from analysis.report import provenance, render
from analysis.report.render import kernel

ROOT_USER = os.geteuid() == 0
PYTHON = sys.executable


# ---- helpers -----------------------------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    """True when ``pid`` runs (a zombie waiting for its parent to reap it counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(condition, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _deny_writes_under(monkeypatch, folder: Path, code: int = errno.EACCES) -> None:
    """Act out a read-only (EACCES) or full (ENOSPC) ``folder`` at atomic's system-call wrappers."""
    folder = Path(folder).resolve()
    message = os.strerror(code)

    def inside(path) -> bool:
        p = Path(path).resolve()
        return p == folder or folder in p.parents

    real_mkdir, real_open = atomic._mkdir, atomic._open_new

    def mkdir(path: Path) -> None:
        if inside(path) and not Path(path).is_dir():
            raise OSError(code, message, str(path))
        real_mkdir(path)

    def open_new(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_EXCL) -> int:
        if inside(path) and not Path(path).exists():  # an existing file still opens (the lock file)
            raise OSError(code, message, str(path))
        return real_open(path, flags)

    monkeypatch.setattr(atomic, "_mkdir", mkdir)
    monkeypatch.setattr(atomic, "_open_new", open_new)


def _read_only(request, monkeypatch, folder: Path) -> None:
    """``folder`` made read-only: chmod when that stops us, else (root) the injected ``PermissionError``."""
    if ROOT_USER:
        _deny_writes_under(monkeypatch, folder, errno.EACCES)
        return
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    request.addfinalizer(lambda: folder.chmod(mode))


def _synthetic_datasets(project: Path, mirror: Path, n: int = 2, size: int = 200_000) -> list[dict]:
    """Registry entries of ``n`` synthetic datasets (seeded random bytes) written into ``mirror``."""
    rng = random.Random(18)
    entries = []
    for i in range(n):
        data = bytes(rng.getrandbits(8) for _ in range(size))
        rel = f"synthetic/test_{i}.bin"
        (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
        (mirror / rel).write_bytes(data)
        entries.append({"name": f"test_{i}", "what": "synthetic bytes (test)", "kind": "table", "licence": "test",
                        "attribution": "test", "origin": {"type": "mirror-only"},
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": size, "mirror_path": rel})
    (project / "data").mkdir(parents=True, exist_ok=True)
    (project / "data" / "external.yml").write_text(yaml.safe_dump({"datasets": entries}), encoding="utf-8")
    return entries


MINIMAL = 'from IPython.display import HTML, display\ndisplay(HTML("<h1>Démo</h1><h2>Section</h2><p>ok</p>"))\n'


def _demo_project(root: Path, pause: float = 0.0, sets: tuple[str, ...] = ("default",),
                  minimal: bool = False) -> tuple[Path, Path, Path]:
    """The demo fixture in ``root`` (one notebook ``demo``), with a pause cell when ``pause``; ``minimal`` keeps only
    its parameters cell and one display (a kernel that starts fast); return its folders."""
    notebooks, params_dir, reports = root / "notebooks", root / "params", root / "reports"
    shutil.copytree(FIXTURE / "notebooks", notebooks)
    shutil.copytree(FIXTURE / "params", params_dir)
    (params_dir / "demo" / "en.yaml").unlink()
    for name in sets:
        (params_dir / "demo" / f"{name}.yaml").write_text("{}\n", encoding="utf-8")
    nb = nbformat.read(notebooks / "demo.ipynb", as_version=4)
    if minimal:
        nb.cells = [nb.cells[0], nbformat.v4.new_code_cell(MINIMAL, id="minimal")]
    if pause:
        nb.cells.insert(1, nbformat.v4.new_code_cell(f"import time\ntime.sleep({pause})\n", id="pause"))
    nbformat.write(nb, notebooks / "demo.ipynb")
    return notebooks, params_dir, reports


def _plant_report(reports: Path, stem: str = "demo", set_name: str = "default", title: str = "Ancien rapport") -> Path:
    """A complete published report (as an earlier run left it), to check that faults never lose it."""
    folder = reports / stem / set_name
    folder.mkdir(parents=True)
    html = f"{stem}-{set_name}.html"
    (folder / html).write_text(f"<html>{title}</html>", encoding="utf-8")
    (folder / render.META_FILE).write_text(json.dumps({
        "notebook": stem, "set": set_name, "title": title, "subtitle": None, "lang": "fr", "html": html, "csv": [],
        "data_version": "v0", "date": "2026-01-01", "commit": None, "template": "0"}), encoding="utf-8")
    return folder


def _fake_execute(*_args, **_kwargs):
    """A notebook run without a kernel: one executed cell showing a title and a section."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<h1>Démo</h1><h2>Section</h2><p>ok</p>", "text/plain": "Démo"})]
    return nb


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(extra)
    return env


# ---- make data ---------------------------------------------------------------------------------------------------

SLOW_COPY = """
import shutil, sys, time
def slow_copy(src, dst, *, follow_symlinks=True):
    data = open(src, 'rb').read()
    with open(dst, 'wb') as fh:
        fh.write(data[: len(data) // 2]); fh.flush(); time.sleep(1.0); fh.write(data[len(data) // 2:])
    return dst
shutil.copyfile = slow_copy
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_two_make_data_at_once_never_share_a_partial_file(tmp_path):
    project, mirror = tmp_path / "project", tmp_path / "mirror"
    entries = _synthetic_datasets(project, mirror)
    cmd = [PYTHON, "-c", SLOW_COPY, "data", "--mirror", str(mirror), "--no-download"]
    env = _env(VIGIE_ROOT=str(project))
    runs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "FileNotFoundError" not in err
    for entry in entries:
        copy = project / "data" / "external" / entry["mirror_path"]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == entry["sha256"]
        said = sorted(next(line for line in out.splitlines() if entry["name"] in line).split("]")[0].strip("[ ")
                      for out, _err in outputs)
        assert said == ["copied", "present"], said  # one copied it, the other waited and found it there
    left = [p.name for p in (project / "data" / "external").rglob("*") if p.is_file() and ".part" in p.name]
    assert left == []


def test_read_only_external_folder_with_one_dataset_missing(tmp_path, monkeypatch, capsys, request):
    mirror, ext = tmp_path / "mirror", tmp_path / "external"
    entries = _synthetic_datasets(tmp_path / "project", mirror)
    monkeypatch.setattr(paths, "EXTERNAL", ext)
    monkeypatch.setattr(external, "registry", lambda path=None: {e["name"]: external.Dataset(**e) for e in entries})
    present = ext / entries[0]["mirror_path"]
    present.parent.mkdir(parents=True)
    shutil.copyfile(mirror / entries[0]["mirror_path"], present)
    _read_only(request, monkeypatch, ext)
    status = cli.main(["data", "--mirror", str(mirror), "--no-download"])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"[ present ] {entries[0]['name']}" in out  # what is there is checked, read-only or not
    (line,) = [ln for ln in out.splitlines() if entries[1]["name"] in ln]
    assert line.startswith(f"  [error]   {entries[1]['name']}: ") and "permission denied" in line
    assert "test_1.bin" in line and "writable" in line
    assert err.strip().splitlines() == [f"error: make data: 1 dataset(s) could not be written into "
                                        f"{paths.relative(ext)}/ (see the lines above)"]
    assert "Traceback" not in out + err


def test_a_killed_make_data_leaves_nothing_the_next_one_keeps(tmp_path, monkeypatch):
    mirror, ext = tmp_path / "mirror", tmp_path / "external"
    (entry,) = _synthetic_datasets(tmp_path / "project", mirror, n=1, size=1000)
    monkeypatch.setattr(paths, "EXTERNAL", ext)
    ds = external.Dataset(**entry)
    partial = ext / "synthetic" / ".test_0.bin.4242.0badc0de.part"  # a copy cut short by kill -9
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")
    assert external.fetch(ds, mirror, allow_download=False) == "copied"
    assert sorted(p.name for p in partial.parent.iterdir()) == ["test_0.bin"]


# ---- disk full, read-only reports/ -------------------------------------------------------------------------------


def test_disk_full_while_writing_a_report_keeps_the_index(tmp_path, monkeypatch):
    notebooks, params_dir, reports = _demo_project(tmp_path)
    _plant_report(reports, set_name="other")
    monkeypatch.setattr(kernel, "execute", _fake_execute)
    real_open = atomic._open_new

    def full_for_the_page(path, flags=os.O_WRONLY | os.O_CREAT | os.O_EXCL):
        if Path(path).name.startswith(".demo-default.html."):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, flags)

    monkeypatch.setattr(atomic, "_open_new", full_for_the_page)
    log: list[str] = []
    results = render.render_all(notebooks, params_dir, reports, only="demo", set_name="default", jobs=1,
                                echo=log.append)
    (res,) = results
    assert not res.ok and "\n" not in res.message
    assert res.message.startswith("demo-default.html: no space left on the device — free some space")
    assert (reports / "demo" / "default" / render.FAILED_FILE).exists()  # the failure note could be written
    assert not (reports / render.TMP_DIR).exists()  # nothing left behind
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "Ancien rapport" in page and "no space left on the device" in page


def test_disk_full_everywhere_is_one_line_per_failure_and_the_old_report_stays(tmp_path, monkeypatch, capsys):
    notebooks, params_dir, reports = _demo_project(tmp_path)
    old = _plant_report(reports)
    (reports / "index.html").write_text("<html>index d'avant</html>", encoding="utf-8")
    monkeypatch.setattr(kernel, "execute", _fake_execute)
    reports.joinpath(render.LOCK_FILE).touch()  # the lock file is there from an earlier run
    _deny_writes_under(monkeypatch, reports, errno.ENOSPC)
    status = cli.main(["render", "--notebooks", str(notebooks), "--params", str(params_dir), "--reports",
                       str(reports), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert status == 1
    errors = err.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors), err
    assert errors[0].startswith("error: demo/default: .tmp: no space left on the device — free some space")
    assert "the failure note could not be written either" in errors[0]
    assert errors[1].startswith("error: reports/index.html: index.html: no space left on the device")
    assert "Traceback" not in out + err
    assert (old / "demo-default.html").read_text(encoding="utf-8") == "<html>Ancien rapport</html>"
    assert (reports / "index.html").read_text(encoding="utf-8") == "<html>index d'avant</html>"
    assert not (reports / render.TMP_DIR).exists()


def test_read_only_reports_folder_is_one_line_and_status_2(tmp_path, monkeypatch, capsys, request):
    notebooks, params_dir, reports = _demo_project(tmp_path)
    reports.mkdir()
    _read_only(request, monkeypatch, reports)
    monkeypatch.setattr(kernel, "execute", lambda *a, **k: pytest.fail("a kernel was started"))
    status = cli.main(["render", "--notebooks", str(notebooks), "--params", str(params_dir), "--reports",
                       str(reports)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert err[0].startswith("error: ") and "permission denied" in err[0] and "writable" in err[0]


def test_bank_cache_in_a_read_only_folder_names_it(tmp_path, monkeypatch, request):
    from analysis.vigie import cache as bank_cache

    _read_only(request, monkeypatch, tmp_path)
    with pytest.raises(StorageError) as err:
        bank_cache.store(tmp_path / "banks", "k" * 64, {"files": []}, lambda folder: None)
    assert "permission denied" in err.value.one_line() and "\n" not in err.value.one_line()


# ---- interrupted swaps, debris --------------------------------------------------------------------------------


class _Killed(BaseException):
    """Stands for SIGKILL between two renames: nothing after it runs."""


def test_a_swap_cut_between_its_two_renames_is_undone_at_the_next_start(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    target = _plant_report(reports)
    new = tmp_path / "new"
    new.mkdir()
    (new / "x.html").write_text("nouveau", encoding="utf-8")
    real_rename, calls = Path.rename, []

    def rename(self, dest):
        calls.append(self)
        if len(calls) == 2:  # the old folder has moved away, the new one not yet in
            raise _Killed
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(_Killed):
        render.publish.replace_dir(target, new, reports / render.TMP_DIR)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not target.exists()  # what the issue saw: the report gone, its old copy in .tmp/old-*
    # also: a swap left by the previous version (no journal), and a work folder and a failure note of a dead run
    legacy = _plant_report(reports, set_name="legacy")
    legacy.rename(reports / render.TMP_DIR / "old-0123456789abcdef")
    (reports / render.TMP_DIR / "demo-default-abc" / "report").mkdir(parents=True)
    (reports / render.TMP_DIR / "echec-xyz").mkdir()
    (reports / render.TMP_DIR / "echec-xyz" / render.FAILED_FILE).write_text("demo/x: boom\n", encoding="utf-8")
    restored = render.recover_reports(reports)
    assert sorted(restored) == ["restored " + str(reports / "demo" / s) for s in ("default", "legacy")]
    assert (target / "demo-default.html").read_text(encoding="utf-8") == "<html>Ancien rapport</html>"
    assert (legacy / "demo-legacy.html").exists()
    assert not (reports / render.TMP_DIR).exists()


def test_write_never_leaves_a_partial_target(tmp_path):
    target = tmp_path / "a.txt"
    atomic.write(target, "ancien")

    def half(tmp: Path) -> None:
        tmp.write_text("moi", encoding="utf-8")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        atomic.write(target, half)
    with pytest.raises(ValueError):
        atomic.write(target, "neuf", check=lambda tmp: (_ for _ in ()).throw(ValueError("bad hash")))
    assert target.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# ---- kills: the renderer and its workers -----------------------------------------------------------------------


def _render_process(tmp_path: Path, pause: float, sets: tuple[str, ...], jobs: int = 2) -> tuple:
    notebooks, params_dir, reports = _demo_project(tmp_path, pause=pause, sets=sets, minimal=True)
    cmd = [PYTHON, "-m", "analysis", "render", "--notebooks", str(notebooks), "--params", str(params_dir),
           "--reports", str(reports), "--jobs", str(jobs)]
    return cmd, reports


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_renderer_leaves_no_worker_and_every_published_report(tmp_path, signum):
    cmd, reports = _render_process(tmp_path, pause=60, sets=("default", "second"))
    _plant_report(reports)
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    try:
        def kernels_running() -> bool:
            seen.update(render.batch.descendant_pids(proc.pid))
            return sum("ipykernel" in _cmdline(pid) for pid in seen if _alive(pid)) >= 2

        assert _wait_for(kernels_running, timeout=60), "the two kernels never started"
        os.kill(proc.pid, signum)
        _out, err = proc.communicate(timeout=30)
        assert _wait_for(lambda: not any(_alive(pid) for pid in seen), timeout=15), \
            [(pid, _cmdline(pid)) for pid in seen if _alive(pid)]
        assert "Traceback" not in err
        if signum == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM
        # the old report is whole; the index lists what is on disk, .tmp is emptied (at once after SIGTERM; by the
        # next run's start after SIGKILL)
        if signum == signal.SIGKILL:
            render.recover_reports(reports)
            render.write_index(reports)
        assert (reports / "demo" / "default" / "demo-default.html").read_text(encoding="utf-8") == \
            "<html>Ancien rapport</html>"
        assert not (reports / render.TMP_DIR).exists()
        rows = render.collect_reports(reports)
        assert [(r["set"], r["ok"]) for r in rows] == [("default", True)]
        assert "Ancien rapport" in (reports / "index.html").read_text(encoding="utf-8")
    finally:  # never leave a process behind, whatever the outcome
        for pid in [proc.pid, *seen]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# ---- two `make reports` at once --------------------------------------------------------------------------------


def test_two_renders_at_once_in_the_same_tree_both_succeed(tmp_path):
    cmd, reports = _render_process(tmp_path, pause=0, sets=("default",), jobs=1)
    runs = [subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    time.sleep(0.3)
    runs.append(subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in outputs]
    assert any("waiting for another run (pid " in out for out, _err in outputs)  # one waited for the other
    folder = reports / "demo" / "default"
    assert sorted(p.name for p in folder.iterdir()) == ["demo-default.html", "rapport.json"]
    assert "<title>Démo</title>" in (folder / "demo-default.html").read_text(encoding="utf-8")
    assert [(r["set"], r["ok"]) for r in render.collect_reports(reports)] == [("default", True)]
    assert not (reports / render.TMP_DIR).exists()


def test_a_render_that_may_not_wait_refuses_cleanly(tmp_path, capsys):
    notebooks, params_dir, reports = _demo_project(tmp_path)
    holder = subprocess.Popen([PYTHON, "-c", (
        "import sys, time; from analysis.core import atomic\n"
        f"with atomic.lock({str(reports / render.LOCK_FILE)!r}):\n"
        "    print('held', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        status = cli.main(["render", "--notebooks", str(notebooks), "--params", str(params_dir), "--reports",
                           str(reports), "--wait", "0"])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 2 and len(err) == 1
        assert err[0] == (f"error: .lock: another run (pid {holder.pid}) is using reports/: wait for it to finish, "
                          "then run again")
        assert not (reports / "demo").exists()
    finally:
        holder.kill()
        holder.wait()


# ---- bad parameters: one line naming the parameter, before any kernel starts ----------------------------------

def _vigie_set(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "params" / "vigie_innovation"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.PARAMS / "vigie_innovation" / "_schema.yaml", folder)
    path = folder / "probe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "field", "words"), [
    ("seed: 4294967296\n", "seed", "4294967296 is above the maximum 4294967295"),
    ("weights: {alignment: 0, momentum: 0, practice: 0, capacity: 0}\n", "weights",
     "the values must sum to more than 0 (they sum to 0)"),
    ("weights: {alignment: .nan}\n", "weights.alignment", "expected a finite number"),
    ("themes: data/raw/vigie\n", "themes", "data/raw/vigie is a folder: a file is expected here"),
    ("institutions: data/raw/vigie/practices.csv\n", "institutions", "expected a file ending in .yaml or .yml"),
    ("institutions: data/raw/vigie/themes.yaml\n", "institutions",
     "data/raw/vigie/themes.yaml is not a valid file for this parameter: data/raw/vigie/themes.yaml: "
     "[institutions] no institution defined"),
    ("year_min: 2015\nyear_max: 2010\n", "year_max", "2010 is before year_min (2015)"),
    ("corpus: [../../../../../etc/shadow]\n", "corpus[0]", "shadow is outside the project folder: copy the file under "
     "data/private/, or allow it explicitly with `allow_outside: true` in the parameter set"),
])
def test_each_hostile_parameter_is_one_line_before_any_kernel(tmp_path, monkeypatch, text, field, words):
    param_file = _vigie_set(tmp_path, text)
    with pytest.raises(ParameterError) as err:
        params.validate_file("vigie_innovation", param_file, tmp_path / "params")
    line = err.value.one_line()
    assert "\n" not in line and line.startswith(f"probe.yaml: [{field}] ") and words in line, line
    monkeypatch.setattr(kernel, "execute", lambda *a, **k: pytest.fail("a kernel was started"))
    job = render.Job("vigie_innovation", "probe", paths.NOTEBOOKS / "vigie_innovation.ipynb", param_file,
                     tmp_path / "params", tmp_path / "reports")
    res = render.render_job(job)
    assert not res.ok and res.message == line


def test_a_themes_file_of_the_wrong_shape_names_the_parameter(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PRIVATE", tmp_path)  # the file sits in data/private/ (here: a temporary folder)
    (tmp_path / "themes_list.yaml").write_text("- solidarity\n- housing\n", encoding="utf-8")
    (tmp_path / "no_ids.yaml").write_text("themes:\n  - label: {fr: x}\n", encoding="utf-8")
    for name, words in (("themes_list.yaml", "holds a list at its top level where analysis.vigie.load_themes "
                                             "expects a mapping"),
                        ("no_ids.yaml", "[themes.id] theme #1 has no id")):
        with pytest.raises(ParameterError) as err:
            params.validate("vigie_innovation", {"themes": str(tmp_path / name)})
        assert err.value.field == "themes" and words in err.value.message, err.value.one_line()


@pytest.mark.parametrize(("stem", "values", "field", "words"), [
    ("ecosysteme", {"growth_start": 2019, "growth_end": 2019}, "growth_end", "2019 must be after growth_start"),
    ("ecosysteme", {"indicators": "data/raw/ecosystem"}, "indicators", "is a folder"),
    ("ecosysteme", {"contracts": ["data/raw/ecosystem/README.md"]}, "contracts[0]", "expected a file ending in"),
    ("viabilite_alimentaire", {"synthetic_seed": 2**32}, "synthetic_seed", "above the maximum 4294967295"),
    ("viabilite_alimentaire", {"statements": "data/raw/food_cases"}, "statements", "is a folder"),
])
def test_other_reports_bounds_and_shapes(stem, values, field, words):
    with pytest.raises(ParameterError) as err:
        params.validate(stem, values)
    assert err.value.field == field and words in err.value.message, err.value.one_line()


def test_the_shipped_parameter_sets_still_pass():
    for stem in ("vigie_innovation", "viabilite_alimentaire", "ecosysteme"):
        for param_file in params.parameter_sets(stem):
            params.validate_file(stem, param_file)


# ---- paths outside the project ---------------------------------------------------------------------------------


def test_outside_inputs_need_an_explicit_permission(tmp_path, monkeypatch):
    secret = tmp_path / "secret.bib"
    shutil.copy(Path(__file__).parent / "fixtures" / "bank" / "small.ris", secret)
    monkeypatch.delenv(inputs.ALLOW_OUTSIDE_ENV, raising=False)
    with pytest.raises(ParameterError) as err:
        params.validate("vigie_innovation", {"corpus": [str(secret)]})
    assert err.value.field == "corpus[0]" and "allow_outside: true" in err.value.message
    assert str(tmp_path) not in err.value.one_line()  # the line is published (failure note, index): no folder
    checked = params.validate("vigie_innovation", {"corpus": [str(secret)], "allow_outside": True})
    assert checked["corpus"] == [str(secret)] and "allow_outside" not in checked  # not a notebook parameter
    monkeypatch.setenv(inputs.ALLOW_OUTSIDE_ENV, "1")
    assert params.validate("vigie_innovation", {"corpus": [str(secret)]})["corpus"] == [str(secret)]
    with pytest.raises(ParameterError, match=r"\[allow_outside\] expected true or false"):
        params.validate("vigie_innovation", {"allow_outside": "yes"})


def test_a_link_in_data_private_to_a_file_outside_is_outside(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "data" / "private").mkdir(parents=True)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a\n", encoding="utf-8")
    (project / "data" / "private" / "link.csv").symlink_to(outside)
    (project / "data" / "private" / "mine.csv").write_text("a\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", project)
    monkeypatch.setattr(paths, "PRIVATE", project / "data" / "private")
    assert inputs.outside_project(project / "data" / "private" / "link.csv")
    assert not inputs.outside_project(project / "data" / "private" / "mine.csv")


def test_provenance_names_an_outside_file_by_name_and_hash_only(tmp_path, monkeypatch):
    secret = tmp_path / "private_dir" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    info = provenance.collect("demo", {"corpus": [str(secret), "data/raw/vigie/seed_references.bib"],
                                       "themes": "../../../etc/x.yaml", "region": "mauricie"},
                              inputs=[secret, paths.RAW / "vigie" / "themes.yaml"], datasets=[])
    text = json.dumps(info)
    assert str(tmp_path) not in text and "/etc" not in text
    files = {f["file"]: f for f in info["inputs"]}
    assert files["secret.csv"]["sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert files["secret.csv"]["outside_project"] is True  # said in provenance.json
    assert "outside_project" not in files["data/raw/vigie/themes.yaml"]
    assert info["parameters"] == {"corpus": ["secret.csv", "data/raw/vigie/seed_references.bib"],
                                  "themes": "x.yaml", "region": "mauricie"}


def test_the_bank_cache_key_holds_no_folder(tmp_path):
    from analysis import vigie

    data = tmp_path / "exports"
    data.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "bank" / "small.ris", data / "small.ris")
    vigie.build_bank([data / "small.ris"], cache=tmp_path / "banks")
    (key_file,) = (tmp_path / "banks").glob("*/key.json")
    text = key_file.read_text(encoding="utf-8")
    assert str(tmp_path) not in text and '"name": "small.ris"' in text


@pytest.mark.parametrize("values, field, year", [({"growth_end": 2020}, "growth_end", 2020),
                                                 ({"growth_start": 2012}, "growth_start", 2012)])
def test_a_growth_year_without_figures_names_the_report_parameter(values, field, year):
    # The seeds give the movement's revenue and jobs for 2011 and 2019 only: another year is refused before any
    # computation, naming the report's parameter (not the library's argument) and the years that would work.
    p = params.validate("ecosysteme", values)
    with pytest.raises(ParameterError) as info:
        eco_report.compute(p)
    assert info.value.field == field
    assert info.value.message == (f"no figure for both coop_mutual_revenue and coop_mutual_jobs in {year}; "
                                  "years with both: 2011, 2019")
