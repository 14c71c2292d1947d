"""Ingest benchmark (issue 5): time "ingest + main-information summary" for this project and its Python peers.

Every tool runs in its own subprocess (``benchmarks/runners/run_<tool>.py --file F --repeat N --out J``)
on the same files: the shared Scopus export (3,658 records), a 30x copy with distinct identifiers (DOI, EID
and title suffix changed per copy, so deduplication must keep them apart) and a 30x copy of identical records
(deduplication must collapse it back to about 3,658). Both copies are generated at run time in a temporary
directory and deleted afterwards; they are never committed. Wall time is timed in process around the call
(median of the repeats, imports excluded); peak memory is the child's ``ru_maxrss`` from ``os.wait4``.
A bare ``pandas.read_csv(engine="pyarrow")`` is the floor. Peers run from their own venvs
(``benchmarks/setup_peers.sh``); one that is missing, fails or exceeds ``--timeout`` is recorded as such.

Usage: ``.venv/bin/python benchmarks/bench_ingest.py`` (``--help`` for options). Writes
``benchmarks/results/ingest.md`` and ``benchmarks/results/ingest.json``. Never run from the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNNERS = HERE / "runners"
PEERS_VENV = HERE / ".peers-venv"
RESULTS = HERE / "results"
DEFAULT_SOURCE = Path("corpora") / "scopus_ai_2025.csv"  # inside the shared mirror
COPIES = 30
SEED = 20251125

# Reference only, not re-run here: bibliometrix 5.4.1 (R) measured on this machine by the author.
BIBLIOMETRIX_REFERENCE = (
    "bibliometrix 5.4.1 (R): convert2df + biblioAnalysis took 23 s on the 3,658-record file "
    "and 232 s at 10x (measured on this machine, reported in issue 5; not re-run here)."
)

GOALS_TEXT = [
    "under 0.5 s for the 3,658-record file (including deduplication)",
    "at least 5x faster than the fastest Python peer",
    "within 10x of the bare parse (pandas.read_csv, engine='pyarrow')",
    "under 10 s and 2 GB peak at about 110,000 records",
    "issue 20: within 3x of the bare parse at 1x",
    "issue 20: under 30 s and 4 GB peak at 300x distinct copies (1,097,400 records)",
    "issue 20: linear: time per record at 300x within 1.5x of that at 30x",
]


@dataclass(frozen=True)
class Tool:
    """One timed program: its runner script, the venv python running it, extra runner arguments."""

    key: str
    label: str
    runner: str
    venv: str | None = None  # None: this project's .venv (the interpreter running this script)
    extra: tuple[str, ...] = ()
    peer: bool = False
    cases: tuple[str, ...] = ("1x", "30x-distinct", "30x-identical")  # peers: not the 100x/300x files

    def python(self) -> Path | None:
        if self.venv is None:
            return Path(sys.executable)
        exe = PEERS_VENV / self.venv / "bin" / "python"
        return exe if exe.exists() else None


CASES = ("1x", "30x-distinct", "30x-identical", "100x-distinct", "300x-distinct")
#: copies of the source in each generated file (issue 20 added 100x and 300x: 365,800 and 1,097,400 records)
COPIES_OF = {"30x-distinct": COPIES, "30x-identical": COPIES, "100x-distinct": 100, "300x-distinct": 300}
HUGE = ("100x-distinct", "300x-distinct")
#: files a case is split into: a reader refuses a file over 2 GB (MAX_INPUT_BYTES), and a real export of a million
#: records comes in several files anyway (Scopus exports at most 20,000 records at a time)
PARTS_OF = {"300x-distinct": 2}

TOOLS: tuple[Tool, ...] = (
    Tool("vigie", "vigie (this project)", "run_ours.py", cases=CASES),
    Tool("vigie-bank", "vigie build_bank only, for information", "run_ours.py", extra=("--bank-only",),
         cases=CASES),
    Tool("floor", "floor: read_csv(pyarrow)", "run_floor.py", cases=CASES),
    Tool("floor-c", "read_csv(C engine), for information", "run_floor.py", extra=("--engine", "c")),
    Tool("litstudy", "litstudy", "run_litstudy.py", venv="litstudy", peer=True),
    Tool(
        "litstudy-unique",
        "litstudy + unique()",
        "run_litstudy.py",
        venv="litstudy",
        extra=("--unique",),
        peer=True,
        cases=("1x",),
    ),
    Tool("pybibx", "pybibx", "run_pybibx.py", venv="pybibx", peer=True),
    Tool("biblium", "biblium", "run_biblium.py", venv="biblium", peer=True),
)


@dataclass
class Run:
    """The outcome of one runner subprocess."""

    tool: str
    label: str
    case: str
    records_in: int
    status: str = "ok"
    times_s: list[float] = field(default_factory=list)
    median_s: float | None = None
    min_s: float | None = None
    median_cpu_s: float | None = None
    peak_mb: float | None = None
    records_out: int | None = None
    version: str = ""
    import_s: float | None = None
    wall_process_s: float | None = None


# ---------------------------------------------------------------------------------------------- input files


def read_scopus_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a Scopus CSV export, read with the csv module (no pandas, no tool bias)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def replica_tag(copy: int) -> str:
    """A 40-character tag per copy, different in almost every position from the others' tags.

    A short "copy 07" suffix would leave titles of two copies >95 % similar, and a fuzzy title matcher would
    (rightly) merge the DOI-less ones; a long random tag keeps them apart as distinct works should be.
    """
    rng = random.Random(SEED + copy)
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(40))


def write_replicas(src: Path, dst: Path, copies: int, distinct: bool, first: int = 0, width: int | None = None) -> int:
    """Write ``copies`` copies of ``src``'s records to ``dst``; return the record count.

    ``distinct``: copy k >= 1 gets DOI + ".bench<k>", EID "2-s2.0-9<kk><number>" and
    title + " [replica k <tag>]", so every copy is a different work to a deduplicator. Otherwise the
    records are repeated unchanged. ``first``: number of the first copy (a file in several parts: the second part
    goes on where the first stopped); ``width``: digits of the copy number (default: those of the last copy).
    Synthetic benchmark input made from the shared file at run time, written to a temporary directory only.
    """
    header, rows = read_scopus_rows(src)
    i_doi, i_eid, i_title = header.index("DOI"), header.index("EID"), header.index("Title")
    if width is None:  # the same width for every copy: no two EIDs of different copies collide
        width = max(2, len(str(first + copies - 1)))
    n = 0
    with dst.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for k in range(first, first + copies):
            tag = replica_tag(k)
            for row in rows:
                if distinct and k > 0:
                    row = list(row)
                    if row[i_doi]:
                        row[i_doi] = f"{row[i_doi]}.bench{k:0{width}d}"
                    prefix, _, number = row[i_eid].rpartition("-")
                    row[i_eid] = f"{prefix}-9{k:0{width}d}{number}"
                    row[i_title] = f"{row[i_title]} [replica {k:0{width}d} {tag}]"
                writer.writerow(row)
                n += 1
    return n


def write_case(source: Path, workdir: Path, case: str) -> tuple[Path, int]:
    """The generated file(s) of a case (several joined by ``os.pathsep`` when split in parts) and their records."""
    copies, parts = COPIES_OF[case], PARTS_OF.get(case, 1)
    width = max(2, len(str(copies - 1)))
    per_part = -(-copies // parts)
    files, n = [], 0
    for part in range(parts):
        first = part * per_part
        count = min(per_part, copies - first)
        suffix = f"_part{part + 1}" if parts > 1 else ""
        path = workdir / f"scopus_{case.replace('-', '_')}{suffix}.csv"
        n += write_replicas(source, path, count, distinct=case.endswith("distinct"), first=first, width=width)
        files.append(str(path))
    return Path(os.pathsep.join(files)), n


# ---------------------------------------------------------------------------------------------- running


def run_tool(
    tool: Tool, case: str, path: Path, records_in: int, repeat: int, timeout: float, workdir: Path, src: Path
) -> Run:
    """Run one runner subprocess, read its JSON, and its peak RSS from ``os.wait4``."""
    run = Run(tool.key, tool.label, case, records_in)
    python = tool.python()
    if python is None:
        run.status = f"not installed (bash benchmarks/setup_peers.sh {tool.venv})"
        return run
    out_json = workdir / f"{tool.key}-{case}.json"
    log = workdir / f"{tool.key}-{case}.log"
    cmd = [
        str(python),
        str(RUNNERS / tool.runner),
        "--file",
        str(path),
        "--repeat",
        str(repeat),
        "--out",
        str(out_json),
        *tool.extra,
    ]
    env = dict(
        os.environ,
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        MPLBACKEND="Agg",
        TOKENIZERS_PARALLELISM="false",
        PYTHONHASHSEED="0",
    )
    if tool.venv is None:
        env["PYTHONPATH"] = str(src)
    timed_out = threading.Event()
    t0 = time.perf_counter()
    with log.open("w") as log_fh:
        proc = subprocess.Popen(
            cmd, cwd=workdir, env=env, stdout=log_fh, stderr=subprocess.STDOUT, start_new_session=True
        )

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    run.wall_process_s = time.perf_counter() - t0
    run.peak_mb = usage.ru_maxrss / 1024.0
    if timed_out.is_set():
        run.status = f"timeout (> {timeout:.0f} s for {repeat} run(s))"
        return run
    if not out_json.exists():
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        run.status = f"crashed (exit {proc.returncode}): {tail[0][:200]}"
        return run
    data = json.loads(out_json.read_text())
    run.status = data.get("status", "ok")
    run.times_s = data.get("times_s", [])
    run.median_s = data.get("median_s")
    run.min_s = data.get("min_s")
    run.median_cpu_s = data.get("median_cpu_s")
    run.records_out = data.get("records_out")
    run.version = data.get("version", "")
    run.import_s = data.get("import_s")
    return run


# ---------------------------------------------------------------------------------------------- report


def machine_info() -> dict:
    """CPU count and model, memory, OS and Python versions, git commit: enough to compare runs, no secret."""
    info = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        info["git_commit"] = commit
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def _num(v: float | None, fmt: str = "{:.3f}") -> str:
    return "" if v is None else fmt.format(v)


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return ""
    r = a / b
    return f"{r:.2f}x" if r < 1 else f"{r:.1f}x"


def markdown_table(runs: list[Run]) -> str:
    """Tool, file, records, median wall s, peak MB, ratio vs ours, ratio vs floor (same file)."""
    by = {(r.tool, r.case): r for r in runs}
    lines = [
        "| tool | file | records in | records out | median wall s | min s | first call s | median CPU s "
        "| runs "
        "| peak MB | vs ours | vs floor | status |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in CASES:
        ours = by.get(("vigie", case))
        floor = by.get(("floor", case))
        for tool in TOOLS:
            r = by.get((tool.key, case))
            if r is None:
                continue
            out = "" if r.records_out is None else f"{r.records_out:,}"
            lines.append(
                f"| {r.label} | {case} | {r.records_in:,} | {out} "
                f"| {_num(r.median_s)} | {_num(r.min_s)} | {_num(r.times_s[0] if r.times_s else None)} "
                f"| {_num(r.median_cpu_s)} | {len(r.times_s)} "
                f"| {_num(r.peak_mb, '{:.0f}')} "
                f"| {_ratio(r.median_s, ours.median_s if ours else None)} "
                f"| {_ratio(r.median_s, floor.median_s if floor else None)} | {r.status} |"
            )
    return "\n".join(lines)


def check_goals(runs: list[Run], n_source: int) -> list[tuple[str, bool | None, str]]:
    """Each goal of issue 5 with met / missed / not measured and the numbers behind it."""
    by = {(r.tool, r.case): r for r in runs}
    ours1, floor1 = by.get(("vigie", "1x")), by.get(("floor", "1x"))
    ours30, ours_dup = by.get(("vigie", "30x-distinct")), by.get(("vigie", "30x-identical"))
    goals: list[tuple[str, bool | None, str]] = []

    def ok(r: Run | None) -> bool:
        return r is not None and r.status == "ok" and r.median_s is not None

    if ok(ours1):
        first = f"; first call in a fresh process {ours1.times_s[0]:.3f} s" if ours1.times_s else ""
        goals.append((GOALS_TEXT[0], ours1.median_s < 0.5, f"median {ours1.median_s:.3f} s{first}"))
    else:
        goals.append((GOALS_TEXT[0], None, "ours not measured"))
    peers1 = [by[(t.key, "1x")] for t in TOOLS if t.peer and ok(by.get((t.key, "1x")))]
    if ok(ours1) and peers1:
        fastest = min(peers1, key=lambda r: r.median_s)
        speedup = fastest.median_s / ours1.median_s
        detail = (
            f"{speedup:.1f}x faster than {fastest.label} ({fastest.median_s:.3f} s)"
            if speedup >= 1
            else f"{fastest.label} ({fastest.median_s:.3f} s) is {1 / speedup:.2f}x faster than ours"
        )
        goals.append((GOALS_TEXT[1], speedup >= 5, detail))
    else:
        goals.append((GOALS_TEXT[1], None, "no peer measured"))
    if ok(ours1) and ok(floor1):
        ratio = ours1.median_s / floor1.median_s
        goals.append((GOALS_TEXT[2], ratio <= 10, f"{ratio:.1f}x the floor ({floor1.median_s:.3f} s) at 1x"))
    else:
        goals.append((GOALS_TEXT[2], None, "not measured"))
    if ok(ours30):
        met = ours30.median_s < 10 and (ours30.peak_mb or 0) < 2048
        goals.append(
            (
                GOALS_TEXT[3],
                met,
                f"{ours30.median_s:.2f} s, {ours30.peak_mb:.0f} MB peak at {ours30.records_in:,} records",
            )
        )
    else:
        goals.append((GOALS_TEXT[3], None, "not measured"))
    if ok(ours1) and ok(floor1):
        ratio = ours1.median_s / floor1.median_s
        goals.append((GOALS_TEXT[4], ratio <= 3, f"{ratio:.1f}x the floor ({floor1.median_s:.3f} s) at 1x"))
    ours300 = by.get(("vigie", "300x-distinct"))
    if ok(ours300):
        met = ours300.median_s < 30 and (ours300.peak_mb or 0) < 4096
        goals.append((GOALS_TEXT[5], met, f"{ours300.median_s:.1f} s, {ours300.peak_mb:.0f} MB peak at "
                                          f"{ours300.records_in:,} records"))
        if ok(ours30):
            per30 = ours30.median_s / ours30.records_in
            per300 = ours300.median_s / ours300.records_in
            goals.append((GOALS_TEXT[6], per300 <= 1.5 * per30,
                          f"{per300 * 1e6:.1f} µs per record at 300x, {per30 * 1e6:.1f} at 30x "
                          f"({per300 / per30:.2f}x)"))
    else:
        goals.append((GOALS_TEXT[5], None, "not measured"))
    for case in HUGE:
        big = by.get(("vigie", case))
        if ok(big) and ok(ours1) and big.records_out is not None:
            expect = COPIES_OF[case] * (ours1.records_out or 0)
            goals.append((f"{case} copies stay distinct ({COPIES_OF[case]} x the 1x works)",
                          big.records_out == expect, f"{big.records_out:,} works, expected {expect:,}"))
    if ok(ours30) and ok(ours1) and ours30.records_out is not None:
        expect = COPIES * (ours1.records_out or 0)
        goals.append(
            (
                "30x distinct copies stay distinct (30 x the 1x works)",
                ours30.records_out == expect,
                f"{ours30.records_out:,} works, expected {expect:,}",
            )
        )
    if ok(ours_dup) and ok(ours1) and ours_dup.records_out is not None:
        goals.append(
            (
                "30 identical copies dedupe back to the 1x works",
                ours_dup.records_out == ours1.records_out,
                f"{ours_dup.records_out:,} works from {ours_dup.records_in:,} records "
                f"(1x: {ours1.records_out:,} works from {n_source:,} records); "
                f"{ours_dup.median_s:.2f} s, {ours_dup.peak_mb:.0f} MB peak",
            )
        )
    return goals


def render(runs: list[Run], goals, info: dict, args: argparse.Namespace, n_source: int) -> str:
    """The Markdown written to results/ingest.md and printed."""
    mark = {True: "met", False: "**missed**", None: "not measured"}
    versions = sorted({f"{r.label}: {r.version}" for r in runs if r.version})
    out = [
        "# Ingest benchmark (issues 5 and 20)",
        "",
        "Ingest + main-information summary, same files for every tool, each tool in its own process; "
        "median of the in-process timings after the first call (imports excluded; the first call pays lazy "
        "imports and caches: it is shown apart, and counted in the median only when a tool ran fewer than 3 "
        "calls), peak = the process's maximum resident memory (imports included). The ratios use the "
        "medians; a load average well above 0 means other work shared "
        "the machine during the run (see Machine), which inflates every timing.",
        "",
        f"Files: `{Path(args.source).name}` ({n_source:,} records, `1x`); `30x-distinct`: 30 copies with "
        "distinct DOI, EID and title suffix; `30x-identical`: 30 identical copies (must collapse to the 1x "
        "works); `100x-distinct` and `300x-distinct` likewise with 100 and 300 copies (ours and the floor "
        "only). Copies are generated at run time and never kept.",
        "",
        markdown_table(runs),
        "",
        "## Goals",
        "",
    ]
    out += [f"- {text}: {mark[met]} ({detail})" for text, met, detail in goals]
    out += ["", "## Reference", "", f"- {BIBLIOMETRIX_REFERENCE}", "", "## Machine", ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    out += ["", "## Versions", ""] + [f"- {v}" for v in versions]
    out += [
        "",
        f"Repeats: ours and floor {args.repeat} at 1x, {args.repeat_big} at 30x, "
        f"{getattr(args, 'repeat_huge', 1)} at 100x/300x; peers {args.peer_repeat} at "
        f"1x, {args.peer_repeat_big} at 30x; timeout {args.timeout:.0f} s per process.",
        "",
    ]
    return "\n".join(out)


SETTINGS = ("source", "repeat", "repeat_big", "repeat_huge", "peer_repeat", "peer_repeat_big", "timeout", "src")


def rerender(json_path: Path, out_dir: Path) -> int:
    """Rebuild ingest.md from a saved ingest.json (after a change to the report's wording, say)."""
    data = json.loads(json_path.read_text(encoding="utf-8"))
    runs = [Run(**{k: v for k, v in r.items() if k in Run.__dataclass_fields__}) for r in data["runs"]]
    settings = {
        "source": data["source"],
        "repeat": 5,
        "repeat_big": 3,
        "repeat_huge": 1,
        "peer_repeat": 3,
        "peer_repeat_big": 1,
        "timeout": 600.0,
        "src": None,
        **data.get("settings", {}),
    }
    args = argparse.Namespace(**settings)
    text = render(runs, check_goals(runs, data["records"]), data["machine"], args, data["records"])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ingest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", default=None, help="Scopus CSV (default: <mirror>/corpora/scopus_ai_2025.csv)"
    )
    parser.add_argument("--tools", default=",".join(t.key for t in TOOLS), help="comma-separated tool keys")
    parser.add_argument(
        "--cases", default=",".join(CASES), help="comma-separated: " + ",".join(CASES)
    )
    parser.add_argument("--repeat", type=int, default=9, help="repeats for ours and the floor at 1x")
    parser.add_argument("--repeat-big", type=int, default=3, help="repeats for ours and the floor at 30x")
    parser.add_argument("--repeat-huge", type=int, default=2, help="repeats for ours and the floor at 100x/300x")
    parser.add_argument("--peer-repeat", type=int, default=3, help="repeats for each peer at 1x")
    parser.add_argument("--peer-repeat-big", type=int, default=1, help="repeats for each peer at 30x")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per runner process")
    parser.add_argument("--out-dir", default=str(RESULTS), help="where ingest.md and ingest.json go")
    parser.add_argument(
        "--src",
        default=None,
        help="the analysis package's src folder to time (default: this checkout's src/); e.g. a "
        "`git archive HEAD src` snapshot, so edits in progress do not leak into a long run",
    )
    parser.add_argument(
        "--from-json",
        default=None,
        help="re-render ingest.md from an ingest.json of an earlier run (no timing)",
    )
    args = parser.parse_args(argv)
    if args.from_json:
        return rerender(Path(args.from_json), Path(args.out_dir))

    if args.source is None:
        sys.path.insert(0, str(ROOT / "src"))
        from analysis.core.paths import default_mirror  # the shared mirror, wherever this checkout sits

        mirror = default_mirror()
        if mirror is None:
            print("bench_ingest: no shared mirror (set VIGIE_DATA_MIRROR or pass --source)", file=sys.stderr)
            return 2
        args.source = str(mirror / DEFAULT_SOURCE)
    source = Path(args.source)
    if not source.exists():
        print(f"bench_ingest: source file not found: {source}", file=sys.stderr)
        return 2
    src = Path(args.src).resolve() if args.src else ROOT / "src"
    if not (src / "analysis" / "__init__.py").exists():
        print(f"bench_ingest: no analysis package under {src}", file=sys.stderr)
        return 2
    wanted_tools = set(args.tools.split(","))
    wanted_cases = [c for c in CASES if c in set(args.cases.split(","))]
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    runs: list[Run] = []
    info = machine_info()  # before the runs: the commit being timed
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as tmp:
        workdir = Path(tmp)
        _, rows = read_scopus_rows(source)
        n_source = len(rows)
        del rows
        for case in wanted_cases:
            if case == "1x":
                path, n = source, n_source
            else:  # generated just before its runs and deleted after them: one big file at a time on the disk
                path, n = write_case(source, workdir, case)
            for tool in TOOLS:
                if tool.key not in wanted_tools or case not in tool.cases:
                    continue
                big = case != "1x"
                repeat = (
                    (args.peer_repeat_big if big else args.peer_repeat)
                    if tool.peer
                    else args.repeat_huge if case in HUGE else (args.repeat_big if big else args.repeat)
                )
                print(f"[bench] {tool.label:38s} {case:14s} x{repeat} ...", end=" ", flush=True)
                run = run_tool(tool, case, path, n, repeat, args.timeout, workdir, src)
                print(
                    f"{_num(run.median_s)} s, {_num(run.peak_mb, '{:.0f}')} MB, "
                    f"{run.records_out} out, {run.status}",
                    flush=True,
                )
                runs.append(run)
            if path != source:
                for part in str(path).split(os.pathsep):
                    Path(part).unlink(missing_ok=True)

    if args.src:
        info["analysis_source"] = "snapshot given by --src (see git_commit)"
    else:
        dirty = (
            subprocess.run(
                ["git", "status", "--porcelain", "--", "src/analysis"],
                cwd=ROOT,
                check=False,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()
        )
        info["analysis_source"] = (
            f"working tree, {len(dirty)} file(s) under src/analysis differ from git_commit"
            if dirty
            else "working tree = git_commit"
        )
    info["load_average_1min_before_after"] = f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
    goals = check_goals(runs, n_source)
    text = render(runs, goals, info, args, n_source)
    print()
    print(text)
    (out_dir / "ingest.md").write_text(text, encoding="utf-8")
    payload = {
        "machine": info,
        "source": source.name,
        "records": n_source,
        "copies": COPIES,
        "settings": {
            **{k: getattr(args, k) for k in SETTINGS},
            "source": source.name,
            "src": "snapshot (--src)" if args.src else "working tree",
        },
        "runs": [r.__dict__ for r in runs],
        "goals": [{"goal": g, "met": m, "detail": d} for g, m, d in goals],
    }
    (out_dir / "ingest.json").write_text(
        json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
