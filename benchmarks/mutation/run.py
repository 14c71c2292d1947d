"""Mutation testing of the analysis modules with mutmut 3, one module at a time (issue 21).

Each module listed in ``benchmarks/mutation/modules.toml`` is mutated alone and tested only with the test files
mapped to it there; mutmut then runs, for each mutant, only those of the mapped tests that call the mutated function.
A module's run happens in its own scratch folder ``benchmarks/mutation/work/<module>/`` (git-ignored): a
``setup.cfg`` with mutmut's settings, links to ``src/`` and ``tests/``, and mutmut's ``mutants/`` copy. The project's
data are found through ``VIGIE_ROOT`` (the project root), so the tests read the same files as ``make test``.

Results: ``benchmarks/mutation/results/<module>.json`` (every mutant's status, the survivors' diffs) and the
summary ``benchmarks/results/mutation.md``, rebuilt from every module's JSON, the equivalent mutants of
``benchmarks/mutation/equivalent.toml`` and the scores before the tests of issue 21 (``baseline.json``).

    make mutation MODULE=vigie/emerging          # one module (a prefix such as vigie/readers runs each of its files)
    make mutation                                # every module of modules.toml, one after the other
    .venv/bin/python benchmarks/mutation/run.py --report   # only rebuild mutation.md from the saved results

Score = killed / (total - equivalent); timeouts count as killed (the mutant changed what the tests observe), a mutant
that no mapped test reaches ("no tests") counts as not killed. Not run by CI: a full run takes hours.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analysis.core.stats import wilson_interval

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODULES_FILE = HERE / "modules.toml"
EQUIVALENT_FILE = HERE / "equivalent.toml"
BASELINE_FILE = HERE / "baseline.json"
RESULTS_DIR = HERE / "results"
HOLDOUT_DIR = RESULTS_DIR / "holdout"
WORK_DIR = HERE / "work"
REPORT = ROOT / "benchmarks" / "results" / "mutation.md"
MUTMUT = Path(sys.executable).parent / "mutmut"
GOAL = 0.80

# mutmut's exit codes (mutmut.stats.status_by_exit_code) folded into the four outcomes this report counts.
KILLED_CODES = {1, 3}
TIMEOUT_CODES = {36, -24, 24, 152, 255, -11, -9}
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}


@dataclass
class Module:
    name: str  # e.g. "vigie/emerging"
    path: str  # e.g. "src/analysis/vigie/emerging.py"
    tests: list[str]
    note: str = ""

    @property
    def slug(self) -> str:
        return self.name.replace("/", "__")

    @property
    def dotted(self) -> str:
        return "analysis." + self.name.replace("/", ".")


def load_modules() -> dict[str, Module]:
    data = tomllib.loads(MODULES_FILE.read_text(encoding="utf-8"))
    modules = {}
    for name, spec in data["modules"].items():
        path = spec.get("path", f"src/analysis/{name}.py")
        modules[name] = Module(name=name, path=path, tests=list(spec["tests"]), note=spec.get("note", ""))
    return modules


def load_equivalents() -> list[dict]:
    if not EQUIVALENT_FILE.exists():
        return []
    data = tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8"))
    entries = data.get("equivalent", [])
    for entry in entries:
        missing = {"module", "function", "original", "mutant", "reason"} - set(entry)
        if missing:
            sys.exit(f"{EQUIVALENT_FILE.name}: an entry lacks {sorted(missing)}: {entry}")
    return entries


def select(modules: dict[str, Module], wanted: list[str]) -> list[Module]:
    if not wanted:
        return list(modules.values())
    chosen = []
    for name in wanted:
        name = name.strip("/").removeprefix("src/analysis/").removesuffix(".py")
        hits = [m for key, m in modules.items() if key == name or key.startswith(name + "/")]
        if not hits:
            sys.exit(f"unknown module {name!r}: the modules are listed in {MODULES_FILE.relative_to(ROOT)}")
        chosen += [m for m in hits if m not in chosen]
    return chosen


# --------------------------------------------------------------------------------------------------------------
# running mutmut


def prepare(module: Module, src_root: Path) -> Path:
    """A fresh scratch folder for one module: mutmut's settings, links to the sources and the tests."""
    work = WORK_DIR / module.slug
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / "src").symlink_to(src_root / "src")
    (work / "tests").symlink_to(src_root / "tests")
    # scripts of benchmarks/ that tests load by path (tests/test_dedupe.py loads benchmarks/dedupe_eval.py): a real
    # folder of links to the top-level scripts only, so that mutmut's copy never reaches benchmarks/mutation/work/
    (work / "benchmarks").mkdir()
    for script in sorted((src_root / "benchmarks").glob("*.py")):
        (work / "benchmarks" / script.name).symlink_to(script)
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")  # pytest's settings (no [tool.mutmut] in it)
    # a test file missing from the tree (a snapshot taken before it was written, for --baseline) is left out
    module.tests = [t for t in module.tests if (src_root / t).exists()]
    tests = "\n".join(f"    {t}" for t in module.tests)
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = src\n"
        f"only_mutate = {module.path}\n"
        f"pytest_add_cli_args_test_selection =\n{tests}\n"
        "use_git_change_detection = false\n"
        "also_copy =\n    benchmarks\n",
        encoding="utf-8",
    )
    return work


NO_SUCH_MUTANT = "no_such_mutant_list_only"


def mutant_keys(module: Module, work: Path) -> list[str]:
    """Every mutant mutmut generated for the module (its ``.meta`` file), in mutmut's natural order."""
    meta = json.loads((work / "mutants" / (module.path + ".meta")).read_text(encoding="utf-8"))
    return sorted(meta["exit_code_by_key"], key=natural)


def choose_sample(keys: list[str], size: int, module: Module, seed: int) -> list[str]:
    """A simple random sample of ``size`` mutants, the same for the same module, mutants and seed.

    Seeded by the module's name and ``seed`` (string seeds are hashed by ``random`` with SHA-512, independent of
    PYTHONHASHSEED), so two runs on the same code test the same mutants and their scores can be compared."""
    rng = random.Random(f"{seed}:{module.name}")
    return sorted(rng.sample(keys, size), key=natural)


def run_mutmut(module: Module, work: Path, jobs: int, sample: int = 0, seed: int = 21,
               only: list[str] | None = None, exclude: set[str] | None = None) -> tuple[float, dict]:
    """Run mutmut on one module; with ``sample`` > 0, on a seeded random sample of that many of its mutants.

    Returns the wall-clock seconds and the sampling facts (``sample``: mutants tested, ``None`` for all; ``seed``;
    ``names``: the mutants run, empty for all). Sampling first lets mutmut generate the mutants and map tests to
    functions with a filter that matches no mutant (mutmut then stops, by design, on "nothing matches"), then runs
    the chosen names only. With ``only`` (mutmut's full mutant names), runs those mutants alone; with ``exclude``,
    the sample is drawn from the other mutants (a hold-out sample: mutants no test was written against)."""
    env = dict(os.environ, VIGIE_ROOT=str(ROOT), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    log = work / "mutmut.log"
    start = time.perf_counter()
    names: list[str] = []
    facts: dict = {"sample": None, "seed": None}
    with log.open("w", encoding="utf-8") as out:
        if only:
            names = list(only)
        elif sample:
            subprocess.run([str(MUTMUT), "run", "--max-children", str(jobs), NO_SUCH_MUTANT], cwd=work, env=env,
                           stdout=out, stderr=subprocess.STDOUT)
            keys = [k for k in mutant_keys(module, work) if k not in (exclude or set())]
            if exclude is not None or len(keys) > sample:
                sample = min(sample, len(keys))
                names = choose_sample(keys, sample, module, seed)
                facts = {"sample": sample, "seed": seed}
        proc = subprocess.run([str(MUTMUT), "run", "--max-children", str(jobs), *names], cwd=work, env=env,
                              stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"mutmut failed on {module.name} (exit {proc.returncode}); log: {log}\n{tail}")
    facts["names"] = set(names)
    return seconds, facts


# --------------------------------------------------------------------------------------------------------------
# reading mutmut's results


def outcome(code: int | None) -> str:
    if code in KILLED_CODES:
        return "killed"
    if code in TIMEOUT_CODES:
        return "timeout"
    if code in SURVIVED_CODES:
        return "survived"
    if code in NO_TESTS_CODES:
        return "no tests"
    return "not checked" if code is None else f"suspicious ({code})"


def function_lines(source: str) -> dict[str, int]:
    """First line of every function and method of a module, keyed as mutmut names them (x_f, xǁClassǁm)."""
    lines = {}
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines[f"x_{node.name}"] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines[f"xǁ{node.name}ǁ{item.name}"] = item.lineno
    return lines


def read_diff(work: Path, key: str, path: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # mutmut is imported only when results are read

    cwd = Path.cwd()
    os.chdir(work)
    try:
        return get_diff_for_mutant(key, path=path)  # the path given: mutmut would otherwise search every file
    finally:
        os.chdir(cwd)


def describe(diff: str, def_line: int, source_lines: list[str]) -> tuple[int, list[str], list[str]]:
    """Source line of the first changed line, the removed lines and the added lines of a mutant's diff."""
    removed, added, first = [], [], None
    position = 0
    for line in diff.splitlines():
        match = re.match(r"@@ -(\d+)", line)
        if match:
            position = int(match.group(1))
            continue
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
            if first is None:
                first = position
            position += 1
        elif line.startswith("+"):
            added.append(line[1:].strip())
        else:
            position += 1
    guess = def_line + (first or 1) - 1
    if removed:
        # the copy mutmut diffs starts at the def line; check against the file, and look nearby if off
        for delta in range(0, 40):
            for candidate in (guess + delta, guess - delta):
                if 1 <= candidate <= len(source_lines) and source_lines[candidate - 1].strip() == removed[0]:
                    return candidate, removed, added
    return guess, removed, added


def collect(module: Module, work: Path, seconds: float, src_root: Path, facts: dict | None = None) -> dict:
    meta = json.loads((work / "mutants" / (module.path + ".meta")).read_text(encoding="utf-8"))
    source = (src_root / module.path).read_text(encoding="utf-8")
    source_lines = source.splitlines()
    starts = function_lines(source)
    chosen = (facts or {}).get("names") or None
    mutants = {}
    for key, code in sorted(meta["exit_code_by_key"].items(), key=lambda kv: natural(kv[0])):
        if chosen is not None and key not in chosen:
            continue
        name = key.rsplit(".", 1)[-1]
        status = outcome(code)
        entry = {"status": status}
        function = name.split("__mutmut_")[0]
        entry["function"] = function.removeprefix("x_").replace("xǁ", "").replace("ǁ", ".")
        if status not in ("killed", "timeout"):
            diff = read_diff(work, key, module.path)
            line, removed, added = describe(diff, starts.get(function, 1), source_lines)
            entry.update(line=line, original=removed, mutant=added)
        mutants[name] = entry
    return {
        "module": module.name,
        "path": module.path,
        "tests": module.tests,
        "seconds": round(seconds, 1),
        "mutmut": mutmut_version(),
        "source_sha256": hashlib.sha256((src_root / module.path).read_bytes()).hexdigest(),
        "population": len(meta["exit_code_by_key"]),  # every mutant generated, tested or not
        "sample": (facts or {}).get("sample"),
        "seed": (facts or {}).get("seed"),
        "mutants": mutants,
    }


def natural(key: str) -> tuple:
    head, _, number = key.rpartition("_")
    return (head, int(number)) if number.isdigit() else (key, 0)


def mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


# --------------------------------------------------------------------------------------------------------------
# equivalents and scores


def equivalent_reason(module: str, entry: dict, equivalents: list[dict]) -> str | None:
    if entry["status"] in ("killed", "timeout") or "original" not in entry:
        return None
    original = " ".join(entry["original"])
    mutant = " ".join(entry["mutant"])
    for eq in equivalents:
        if eq["module"] == module and eq["function"] == entry["function"] and eq["original"] == original \
                and eq["mutant"] == mutant:
            return eq["reason"]
    return None


def score(result: dict, equivalents: list[dict]) -> dict:
    counts = {"total": 0, "killed": 0, "timeout": 0, "survived": 0, "no tests": 0, "other": 0, "equivalent": 0}
    for entry in result["mutants"].values():
        counts["total"] += 1
        reason = equivalent_reason(result["module"], entry, equivalents)
        if reason is not None:
            counts["equivalent"] += 1
        elif entry["status"] in ("killed", "timeout", "survived", "no tests"):
            counts[entry["status"]] += 1
        else:
            counts["other"] += 1
    denominator = counts["total"] - counts["equivalent"]
    caught = counts["killed"] + counts["timeout"]
    counts["score"] = caught / denominator if denominator else float("nan")
    return counts


# --------------------------------------------------------------------------------------------------------------
# the report


def holdout_score(module: str, holdouts: dict[str, dict], equivalents: list[dict]) -> str:
    """Killed / tested of the hold-out sample, with its Wilson 95 % interval; "—" when none was run."""
    result = holdouts.get(module)
    if result is None:
        return "—"
    c = score(result, equivalents)
    caught, tested = c["killed"] + c["timeout"], c["total"] - c["equivalent"]
    low, high = wilson_interval(caught, tested)
    return f"{caught} / {tested} = {pct(c['score'])} [{100 * low:.1f}–{100 * high:.1f}]"


def load_results(folder: Path | None = None) -> dict[str, dict]:
    results = {}
    for path in sorted((folder or RESULTS_DIR).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        results[data["module"]] = data
    return results


def baseline_score(module: str, baseline: dict, result: dict | None, equivalents: list[dict]) -> str:
    before = baseline.get("modules", {}).get(module)
    if before is None:
        return "—"
    killed = before["total"] - len(before["not_killed"])
    equivalent = 0
    if "equivalent" in before:  # counted on the run the baseline came from (the code may have changed since)
        equivalent = before["equivalent"]
    elif result is not None:  # the same equivalents excluded before and after (mutant names match on unchanged code)
        not_killed = set(before["not_killed"])
        for name, entry in result["mutants"].items():
            if name in not_killed and equivalent_reason(module, entry, equivalents) is not None:
                equivalent += 1
    denominator = before["total"] - equivalent
    return f"{killed} / {denominator} = {100 * killed / denominator:.1f} %" if denominator else "—"


def before_commits(baseline: dict) -> str:
    """The commit(s) the 'before' scores were measured on, as inline code."""
    by_commit: dict[str, list[str]] = {}
    for name, entry in sorted(baseline.get("modules", {}).items()):
        by_commit.setdefault(entry.get("commit", baseline.get("commit", "?")), []).append(name)
    return "; ".join(f"`{c}` for {', '.join(names)}" for c, names in by_commit.items()) or "`?`"


def pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def write_report(modules: dict[str, Module]) -> None:
    results = load_results()
    holdouts = load_results(HOLDOUT_DIR)
    equivalents = load_equivalents()
    baseline = json.loads(BASELINE_FILE.read_text(encoding="utf-8")) if BASELINE_FILE.exists() else {}
    lines = [
        "# Mutation testing of the analysis modules (issue 21)",
        "",
        "Run one module: `make mutation MODULE=vigie/emerging` (a prefix such as `MODULE=vigie/readers` runs each of",
        "its files); every module: `make mutation`; rebuild this page from the saved results:",
        "`.venv/bin/python benchmarks/mutation/run.py --report`. Not run by CI. How it works, the module → tests map",
        "and the equivalent mutants: `benchmarks/mutation/README.md`,",
        "`benchmarks/mutation/modules.toml`, `benchmarks/mutation/equivalent.toml`.",
        "",
        f"Tool: mutmut {mutmut_version()} (every mutation operator it has: comparison and arithmetic operators, "
        "constants ± 1, strings, `True`/`False`, `and`/`or`, `in`/`not in`, arguments dropped or set to `None`, "
        "assignments set to `None`, `break`/`continue`, both arms of `x if c else y`). Each mutant runs only the "
        "mapped tests that call its function. **Score = killed / (total − equivalent)**; a timeout counts as "
        "killed; a mutant no mapped test reaches counts as not killed. Goal: at least 80 % on every module.",
        "",
        "Modules marked *sample* were run on a seeded simple random sample of their mutants "
        "(`make mutation MODULE=… MUTATION_SAMPLE=300`; the same mutants for the same code and seed), because "
        "every mutant of every module takes hours on this 2-core machine; their score is an estimate, shown with "
        "its Wilson 95 % interval. The other modules were run on every mutant. Tests written against a sample's "
        "survivors make that sample's score an optimistic estimate of the module's, so a sampled module also has a "
        "*hold-out* score: mutants drawn (seed + 1) from those outside the sample, that no test was written for "
        "(`run.py <module> --holdout 100`; `results/holdout/`).",
        "",
        "## Score per module",
        "",
        "| module | tests | mutants | equivalent | killed | timeout | survived | no tests | score | before | hold-out "
        "| goal | time |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    total_seconds = 0.0
    for name, module in modules.items():
        result = results.get(name)
        if result is None:
            lines.append(f"| {name} | {', '.join(Path(t).name for t in module.tests)} | not run yet | | | | | | | "
                         f"{baseline_score(name, baseline, None, equivalents)} | | | |")
            continue
        c = score(result, equivalents)
        total_seconds += result["seconds"]
        met = "met" if c["score"] >= GOAL else "**not met**"
        mutants = f"{c['total']}"
        shown = f"**{pct(c['score'])}**"
        if result.get("sample"):
            mutants = f"{c['total']} of {result['population']} (sample)"
            low, high = wilson_interval(c["killed"] + c["timeout"], c["total"] - c["equivalent"])
            shown += f" [{100 * low:.1f}–{100 * high:.1f}]"
        lines.append(
            f"| {name} | {', '.join(Path(t).name for t in result['tests'])} | {mutants} | {c['equivalent']} | "
            f"{c['killed']} | {c['timeout']} | {c['survived']} | {c['no tests']} | {shown} | "
            f"{baseline_score(name, baseline, result, equivalents)} | {holdout_score(name, holdouts, equivalents)} | "
            f"{met} | {result['seconds'] / 60:.1f} min "
            f"({result.get('jobs', 1)}) |"
        )
    lines += [
        "",
        f"Time of the modules' last runs added up: {total_seconds / 60:.0f} min (wall clock on the 2-core machine "
        "shared with other jobs; the number of mutmut workers in parentheses). *Before* = the same mutants against "
        "the tests as they were before any test was written for that module's survivors, with the equivalent "
        f"mutants of that run left out; measured at {before_commits(baseline)}. Where the module's code changed "
        "since (issue 14's rules, a bug fixed by this work), the before and after runs are of different code.",
        "",
    ]
    for name in modules:
        result = results.get(name)
        if result is None:
            continue
        survivors, equivalent = [], []
        for mutant_name, entry in result["mutants"].items():
            if entry["status"] in ("killed", "timeout"):
                continue
            reason = equivalent_reason(name, entry, equivalents)
            row = (entry.get("line", "?"), entry["function"], mutation_text(entry), entry["status"], reason,
                   mutant_name)
            (equivalent if reason is not None else survivors).append(row)
        lines += [f"## {name}", "", f"`{result['path']}` — tests: {', '.join(result['tests'])}.", ""]
        if modules[name].note:
            lines += [modules[name].note, ""]
        if equivalent:
            lines += [f"Equivalent mutants ({len(equivalent)}):", "", "| line | function | mutation | why equivalent |",
                      "|---:|---|---|---|"]
            lines += [f"| {ln} | `{fn}` | {mut} | {reason} |" for ln, fn, mut, _st, reason, _n in sorted(equivalent,
                                                                                                       key=sort_key)]
            lines.append("")
        if survivors:
            lines += [f"Not killed ({len(survivors)}):", "", "| line | function | mutation | status |",
                      "|---:|---|---|---|"]
            lines += [f"| {ln} | `{fn}` | {mut} | {st} |" for ln, fn, mut, st, _r, _n in sorted(survivors,
                                                                                              key=sort_key)]
            lines.append("")
        if not equivalent and not survivors:
            lines += ["Every mutant killed.", ""]
        held = holdouts.get(name)
        if held is not None:
            rows = [(e.get("line", "?"), e["function"], mutation_text(e), e["status"], None, n)
                    for n, e in held["mutants"].items() if e["status"] not in ("killed", "timeout")
                    and equivalent_reason(name, e, equivalents) is None]
            lines += [f"Hold-out sample ({len(held['mutants'])} mutants outside the sample, seed {held['seed']}): "
                      + (f"not killed ({len(rows)}):" if rows else "every non-equivalent mutant killed."), ""]
            if rows:
                lines += ["| line | function | mutation | status |", "|---:|---|---|---|"]
                lines += [f"| {ln} | `{fn}` | {mut} | {st} |" for ln, fn, mut, st, _r, _n in sorted(rows, key=sort_key)]
                lines.append("")
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def sort_key(row: tuple) -> tuple:
    line = row[0] if isinstance(row[0], int) else 0
    return (line, row[5])


def mutation_text(entry: dict) -> str:
    def code(lines: list[str]) -> str:
        text = " ⏎ ".join(lines) if lines else "(nothing)"
        text = text.replace("|", "\\|")
        if len(text) > 160:
            text = text[:157] + "…"
        return f"`{text}`"

    return f"{code(entry.get('original', []))} → {code(entry.get('mutant', []))}"


# --------------------------------------------------------------------------------------------------------------


def git_commit(root: Path) -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip() or "?"


def save_baseline(result: dict, commit: str) -> None:
    baseline = json.loads(BASELINE_FILE.read_text(encoding="utf-8")) if BASELINE_FILE.exists() else {}
    mutants = result["mutants"]
    equivalents = load_equivalents()
    baseline.setdefault("modules", {})[result["module"]] = {
        "commit": commit,
        "total": len(mutants),
        "not_killed": [name for name, entry in mutants.items() if entry["status"] not in ("killed", "timeout")],
        "equivalent": sum(equivalent_reason(result["module"], entry, equivalents) is not None
                          for entry in mutants.values()),
    }
    BASELINE_FILE.write_text(json.dumps(baseline, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                             encoding="utf-8")


def survivors_of(module: Module, src_root: Path) -> dict:
    """The last saved result of a module, checked to be a run of the same source (same mutants, same names).

    Re-running only the survivors is sound when tests were only added: a mutant killed by the old tests is still
    killed. If the module's source changed, mutmut's mutant numbers and mutations no longer match the saved ones."""
    path = RESULTS_DIR / f"{module.slug}.json"
    if not path.exists():
        sys.exit(f"--survivors: no saved result for {module.name} ({path}); run the module first")
    previous = json.loads(path.read_text(encoding="utf-8"))
    digest = hashlib.sha256((src_root / module.path).read_bytes()).hexdigest()
    if previous.get("source_sha256") != digest:
        sys.exit(f"--survivors: {module.path} changed since the saved run of {module.name}; run the module again "
                 "(with the same --sample and --seed) instead")
    return previous


def merge_rerun(previous: dict, rerun: dict, seconds: float) -> dict:
    """The previous result with the re-run mutants' new statuses; time added; the tests of the re-run."""
    merged = dict(previous)
    merged["mutants"] = dict(previous["mutants"])
    for name, entry in rerun["mutants"].items():
        if name in merged["mutants"]:
            merged["mutants"][name] = entry
    merged["seconds"] = round(previous["seconds"] + seconds, 1)
    merged["tests"] = rerun["tests"]
    merged["rerun_survivors"] = previous.get("rerun_survivors", 0) + 1
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules of modules.toml (e.g. vigie/emerging); all when none")
    parser.add_argument("--jobs", type=int, default=1, help="mutmut workers (default 1: the machine is shared)")
    parser.add_argument("--report", action="store_true", help="only rebuild benchmarks/results/mutation.md")
    parser.add_argument("--baseline", action="store_true",
                        help="record the run as the 'before' scores (baseline.json) instead of the current results")
    parser.add_argument("--src-root", type=Path, default=ROOT,
                        help="folder whose src/ and tests/ are used (e.g. a `git archive` snapshot); data from ROOT")
    parser.add_argument("--commit", default=None, help="commit recorded with --baseline (default: HEAD of the tree)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder of each module")
    parser.add_argument("--sample", type=int, default=0,
                        help="test a seeded random sample of this many mutants per module (default 0: all)")
    parser.add_argument("--seed", type=int, default=21, help="seed of the sample (default 21)")
    parser.add_argument("--holdout", type=int, default=0,
                        help="after tests were written against a sample: test this many other mutants, drawn with "
                             "seed+1 from those outside the saved result, to check the score on mutants no test was "
                             "written for (results/holdout/<module>.json)")
    parser.add_argument("--survivors", action="store_true",
                        help="run again only the mutants the last run (results/<module>.json) did not kill, after "
                             "tests were added; refused if the module's source changed since that run")
    args = parser.parse_args(argv)
    if args.sample < 0:
        parser.error(f"--sample must be 0 (every mutant) or a positive count, not {args.sample}")

    modules = load_modules()
    if not args.report:
        src_root = args.src_root.resolve()
        chosen = select(modules, args.modules)
        print(f"mutation testing of {len(chosen)} module(s) with mutmut {mutmut_version()}, {args.jobs} worker(s) "
              f"on {platform.node()}")
        for module in chosen:
            previous = survivors_of(module, src_root) if args.survivors else None
            work = prepare(module, src_root)
            print(f"  {module.name}: {len(module.tests)} test file(s) …", end="", flush=True)
            if args.holdout:
                saved = survivors_of(module, src_root)
                seconds, facts = run_mutmut(module, work, args.jobs, args.holdout, args.seed + 1,
                                            exclude={f"{module.dotted}.{n}" for n in saved["mutants"]})
                result = collect(module, work, seconds, src_root, facts)
                result["jobs"] = args.jobs
                HOLDOUT_DIR.mkdir(parents=True, exist_ok=True)
                (HOLDOUT_DIR / f"{module.slug}.json").write_text(
                    json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                c = score(result, load_equivalents())
                print(f" hold-out {c['total']} mutants, score {pct(c['score'])} ({seconds / 60:.1f} min)")
                if not args.keep:
                    shutil.rmtree(work)
                continue
            if previous is not None:
                only = [f"{module.dotted}.{name}" for name, entry in previous["mutants"].items()
                        if entry["status"] not in ("killed", "timeout")]
                if not only:
                    print(" every mutant of the last run already killed")
                    shutil.rmtree(work)
                    continue
                seconds, facts = run_mutmut(module, work, args.jobs, only=only)
                result = merge_rerun(previous, collect(module, work, seconds, src_root, facts), seconds)
            else:
                seconds, facts = run_mutmut(module, work, args.jobs, args.sample, args.seed)
                result = collect(module, work, seconds, src_root, facts)
            result["jobs"] = args.jobs
            if args.baseline:
                save_baseline(result, args.commit or git_commit(src_root))
                if args.keep:  # the survivors' diffs, to read while writing tests (scratch, not committed)
                    (work / "baseline_result.json").write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                                               encoding="utf-8")
            else:
                RESULTS_DIR.mkdir(exist_ok=True)
                (RESULTS_DIR / f"{module.slug}.json").write_text(
                    json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            c = score(result, load_equivalents())
            print(f" {c['total']} mutants, {c['killed'] + c['timeout']} killed, {c['equivalent']} equivalent, "
                  f"score {pct(c['score'])} ({seconds / 60:.1f} min)")
            if not args.keep:
                shutil.rmtree(work)
    write_report(modules)
    print(f"written {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
