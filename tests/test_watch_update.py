"""``watch update`` against a local server that speaks the OpenAlex works API (tests/_watch_server.py): cursor
paging, 429 with Retry-After, 500, truncated pages, dropped connections, the budget guard, resumption from the page
cache, and a kill mid-way. Works are synthetic (seeded code); no network is used.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from _watch_server import FakeOpenAlex, Fault, State, make_state

from analysis.cli import main
from analysis.core import paths
from analysis.core.errors import DataIntegrityError, ParameterError
from analysis.vigie.watch.editions import list_editions, load_edition, verify_edition
from analysis.vigie.watch.openalex import (
    HttpResponse,
    OpenAlexClient,
    OpenAlexError,
    RequestBudget,
    WatchStopped,
    parse_retry_after,
)
from analysis.vigie.watch.update import run_update

SMALL = Path(__file__).parent / "fixtures" / "watch" / "strategy_small.yaml"
# core: 12 works (W…001-012), food: 23 works (W…101-123), digital: 7 works (W…201-207); pages of 5
CONFIG = {"routes": [["(innovation", 12, 1, "innovation"], ["(alimentation", 23, 101, "food"],
                     ["(numérique", 7, 201, "digital"]], "seed": 7, "abstract_words": 30}
ALL_IDS = {f"W{9_000_000_000 + n}" for n in [*range(1, 13), *range(101, 124), *range(201, 208)]}
DAY = dt.date(2026, 3, 2)


def _run(url: str, tmp: Path, name: str, **kw):
    kw.setdefault("today", lambda: DAY)
    return run_update(SMALL, cache=tmp / f"cache-{name}", editions=tmp / f"editions-{name}", base_url=url,
                      sleep=lambda s: None, exports_root=tmp / "no-exports", stream=None, chunk_size=10, **kw)


def _table_hashes(path: Path) -> dict[str, str]:
    files = json.loads((path / "manifest.json").read_text(encoding="utf-8"))["content"]["files"]
    return {k: v["sha256"] for k, v in files.items()}


def _list_requests(state: State) -> list[tuple[str, str]]:
    return [(p.get("search", "")[-20:], p.get("cursor", "")) for path, p in state.log if path == "/works"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run without faults: the edition every other run must reproduce."""
    tmp = tmp_path_factory.mktemp("reference")
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        result = _run(url, tmp, "ref")
        # the same server (same base URL) serves the other tests: keep it running for the module
    return {"result": result, "state": state, "tmp": tmp}


def test_cursor_paging_gets_every_work_once(reference):
    r = reference["result"]
    assert r.status == "edition" and r.edition_id == "2026-03-02"
    e = load_edition(r.edition_path)
    records = e.records()
    assert set(records["openalex_id"]) == ALL_IDS and records["openalex_id"].is_unique
    assert len(e.bank.works) == 42 and int(e.bank.ledger["read"].sum()) == 42
    # 42 works in chunks of 10 lines: 5 JSON Lines files
    assert sorted(records["file"].unique()) == [f"works-000{i}.jsonl.gz" for i in range(1, 6)]
    q = e.queries.set_index("query_id")
    # pages: ceil(n / 5) pages of results + the final empty page (null cursor)
    assert q.loc["core", ["count_reported", "pages", "works_received", "works_first_seen"]].tolist() == [12, 4, 12, 12]
    assert q.loc["food", ["count_reported", "pages", "works_received", "works_first_seen"]].tolist() == [23, 6, 23, 23]
    assert q.loc["digital", ["pages", "works_received"]].tolist() == [3, 7]
    assert r.requests == 4 + 6 + 3
    assert set(e.work_ids["openalex_id"]) == ALL_IDS and e.work_ids["work_id"].is_unique
    hits = e.hits()
    assert len(hits) == 42 and hits.groupby("query_id")["rank"].max().to_dict() == {"core": 12, "digital": 7,
                                                                                    "food": 23}


def test_faults_are_retried_and_change_nothing(reference, tmp_path):
    state = make_state(CONFIG)
    state.faults = [Fault("429", "(alimentation", 10, retry_after="3"), Fault("500", "(alimentation", 15, times=2),
                    Fault("truncate", "(numérique", 5), Fault("drop", "(innovation", 0)]
    with FakeOpenAlex(state) as url:
        r = _run(url, tmp_path, "faults")
    assert r.status == "edition"
    assert r.requests == 13 + 5  # one extra request per fault served
    assert r.waits == [0.0, 3.0, 0.0, 0.0, 0.0]  # drop, 429, 500 ×2, truncated: backoff 0, Retry-After honoured
    e = load_edition(r.edition_path)
    assert set(e.records()["openalex_id"]) == ALL_IDS and e.records()["openalex_id"].is_unique
    assert _table_hashes(r.edition_path) == _table_hashes(reference["result"].edition_path)


def test_budget_guard_stops_cleanly_and_a_rerun_resumes_without_asking_twice(reference, tmp_path):
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        first = _run(url, tmp_path, "budget", budget=6)
        assert first.status == "stopped" and first.requests == 6
        assert "daily request budget of 6 reached for 2026-03-02" in first.message
        assert "1 of 3 queries complete" in first.message
        assert "query 'food': stopped at page 2 of about 5 (10 of 23 works)" in first.message
        assert "query 'digital': not started" in first.message
        assert not list_editions(tmp_path / "editions-budget").shape[0]
        same_day = _run(url, tmp_path, "budget", budget=6)
        assert same_day.status == "stopped" and same_day.requests == 0  # the day's budget is spent
        nxt = _run(url, tmp_path, "budget", budget=7, today=lambda: DAY + dt.timedelta(days=1))
        assert nxt.status == "edition" and nxt.requests == 13 - 6
    asked = _list_requests(state)
    assert len(asked) == 13 and len(set(asked)) == 13  # no page asked twice
    assert _table_hashes(nxt.edition_path) == _table_hashes(reference["result"].edition_path)


def test_retry_after_beyond_max_wait_stops_cleanly(tmp_path):
    state = make_state(CONFIG)
    state.faults = [Fault("429", "(alimentation", 5, retry_after="7200")]
    with FakeOpenAlex(state) as url:
        r = _run(url, tmp_path, "ra", max_wait=600)
    assert r.status == "stopped" and "asks to wait 7200 s" in r.message


def test_persistent_429_stops_cleanly_and_persistent_500_names_query_and_page(tmp_path):
    state = make_state(CONFIG)
    state.faults = [Fault("429", "(numérique", 0, times=10, retry_after="0")]
    with FakeOpenAlex(state) as url:
        r = _run(url, tmp_path, "429")
        assert r.status == "stopped" and "still answers 429" in r.message
        state.faults = [Fault("500", "(alimentation", 10, times=10)]
        with pytest.raises(OpenAlexError, match=r"query 'food' page 3 failed after 5 attempts: HTTP 500"):
            _run(url, tmp_path, "500")
        state.faults = [Fault("truncate", "(alimentation", 0, times=10)]
        with pytest.raises(OpenAlexError, match=r"query 'food' page 1 failed .*invalid JSON"):
            _run(url, tmp_path, "trunc")


def test_a_bad_request_is_an_error_not_a_retry(tmp_path):
    calls = []

    def transport(url, timeout):
        calls.append(url)
        return HttpResponse(400, {}, b'{"error": "Invalid filter"}', url)

    client = OpenAlexClient("http://x", RequestBudget(10), api_key="K3Y", transport=transport, backoff=0)
    with pytest.raises(OpenAlexError, match=r"HTTP 400 to query 'q' page 1 .*Invalid filter") as err:
        client.get("works", {"search": "a"}, "query 'q' page 1")
    assert len(calls) == 1 and "K3Y" not in str(err.value)


def test_api_key_is_sent_and_never_stored(tmp_path):
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        r = _run(url, tmp_path, "key", api_key="SECRET-KEY-123", keep_cache=True)
    assert all(p.get("api_key") == "SECRET-KEY-123" for _, p in state.log)
    for folder in (tmp_path / "cache-key", r.edition_path):
        for f in folder.rglob("*"):
            if f.is_file() and not f.name.endswith(".gz"):
                assert b"SECRET-KEY-123" not in f.read_bytes(), f


def test_retry_after_forms():
    assert parse_retry_after("3") == 3.0
    now = dt.datetime(2026, 3, 2, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert parse_retry_after("Mon, 02 Mar 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_budget_counts_across_runs_per_utc_day(tmp_path):
    usage = tmp_path / "usage.json"
    day = [DAY]
    b = RequestBudget(2, usage, lambda: day[0])
    b.spend("a")
    assert RequestBudget(2, usage, lambda: day[0]).used_today == 1
    b.spend("b")
    with pytest.raises(WatchStopped, match="budget of 2 reached"):
        b.spend("c")
    day[0] = DAY + dt.timedelta(days=1)
    b.spend("d")
    assert json.loads(usage.read_text()) == {"2026-03-03": 1}
    with pytest.raises(ParameterError):
        RequestBudget(0)


def test_editions_are_never_overwritten_and_altered_files_are_caught(reference, tmp_path):
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        a = _run(url, tmp_path, "ids")
        b = _run(url, tmp_path, "ids")
        assert (a.edition_id, b.edition_id) == ("2026-03-02", "2026-03-02-2")
        with pytest.raises(ParameterError, match="already exists"):
            _run(url, tmp_path, "ids", edition_id="2026-03-02")
    listed = list_editions(tmp_path / "editions-ids")
    assert listed["edition_id"].tolist() == ["2026-03-02", "2026-03-02-2"]
    assert listed["n_works"].tolist() == [42, 42] and listed["content_hash"].nunique() == 2  # b follows a
    assert load_edition("2026-03-02-2", tmp_path / "editions-ids").manifest["previous_edition"] == "2026-03-02"
    target = a.edition_path / "bank" / "works.parquet"
    assert not os.access(target, os.W_OK) or os.geteuid() == 0  # read-only (root ignores the mode)
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"x")
    with pytest.raises(DataIntegrityError, match="works.parquet"):
        verify_edition(a.edition_path)


def test_exports_enter_the_bank_with_the_openalex_records(tmp_path):
    root = tmp_path / "root"
    lib = root / "exports" / "group_library"
    lib.mkdir(parents=True)
    (lib / "zotero.json").write_bytes((Path(__file__).parent / "fixtures" / "watch" /
                                       "zotero_library.json").read_bytes())
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        r = run_update(SMALL, cache=tmp_path / "c", editions=tmp_path / "e", base_url=url, sleep=lambda s: None,
                       exports_root=root, stream=None, today=lambda: DAY)
    e = load_edition(r.edition_path)
    led = e.bank.ledger.set_index("file")
    assert (led.loc["zotero.json", "format"], led.loc["zotero.json", "read"], led.loc["zotero.json", "rejected"]) == (
        "csl_json", 5, 1)
    assert len(e.bank.works) == 42 + 4
    assert e.manifest["content"]["exports"][0]["file"] == "zotero.json"
    (lib / "wrong.ris").write_text("TY  - JOUR\nTI  - Synthetic\nER  - \n", encoding="utf-8")
    (lib / "wrong.ris").rename(lib / "x.csv")
    (lib / "x.csv").write_text("Authors,Title,Year,Source title,Cited by,EID\n", encoding="utf-8")
    with FakeOpenAlex(make_state(CONFIG)) as url:
        with pytest.raises(Exception, match="detected as scopus_csv, but the strategy's export folder"):
            run_update(SMALL, cache=tmp_path / "c2", editions=tmp_path / "e2", base_url=url, sleep=lambda s: None,
                       exports_root=root, stream=None, today=lambda: DAY)


def test_killed_mid_way_then_rerun_gives_the_same_edition(reference, tmp_path):
    """A subprocess runs `python -m analysis watch update`; it is killed (SIGKILL) after a few pages, then rerun:
    the edition's tables are byte-identical to an uninterrupted run's."""
    state = make_state(CONFIG)
    state.delay = 0.15  # slow pages so the kill lands mid-way
    cache, editions = tmp_path / "cache", tmp_path / "editions"
    env = {**os.environ, "VIGIE_OPENALEX_URL": "", "PYTHONUNBUFFERED": "1"}
    with FakeOpenAlex(state) as url:
        env["VIGIE_OPENALEX_URL"] = url
        cmd = [sys.executable, "-m", "analysis", "watch", "update", "--strategy", str(SMALL), "--cache", str(cache),
               "--editions", str(editions), "--exports-root", str(tmp_path / "none"), "--quiet"]
        proc = subprocess.Popen(cmd, env=env, cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline and len(list(cache.glob("queries/*/page-*.json"))) < 5:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        cached = len(list(cache.glob("queries/*/page-*.json")))
        assert 5 <= cached < 13, "the kill should land mid-way"
        assert not list_editions(editions).shape[0]
        state.delay = 0.0
        rerun = run_update(SMALL, cache=cache, editions=editions, base_url=url, stream=None, sleep=lambda s: None,
                           exports_root=tmp_path / "none")
        assert rerun.status == "edition"
        asked = _list_requests(state)
        assert len(set(asked)) == 13 and len(asked) <= 13 + 1  # at most the page in flight at the kill is asked again
        # the same update, uninterrupted, in this process (same server, default chunk size as the command line)
        clean = run_update(SMALL, cache=tmp_path / "c2", editions=tmp_path / "e2", base_url=url, stream=None,
                           sleep=lambda s: None, exports_root=tmp_path / "none")
    edition = rerun.edition_path
    assert _table_hashes(edition) == _table_hashes(clean.edition_path)
    m_clean = json.loads((clean.edition_path / "manifest.json").read_text())
    m_new = json.loads((edition / "manifest.json").read_text())
    assert m_new["content_hash"] == m_clean["content_hash"]
    assert {k for k in m_new if m_new[k] != m_clean[k]} <= {"dates"}  # same edition id (same day), other dates


def test_cli_update_list_and_stop_exit_codes(tmp_path, capsys):
    state = make_state(CONFIG)
    with FakeOpenAlex(state) as url:
        os.environ["VIGIE_OPENALEX_URL"] = url
        try:
            args = ["watch", "update", "--strategy", str(SMALL), "--cache", str(tmp_path / "c"), "--editions",
                    str(tmp_path / "e"), "--exports-root", str(tmp_path), "--backoff", "0", "--quiet"]
            assert main([*args, "--budget", "3"]) == 3
            assert "Update stopped" in capsys.readouterr().err
            assert main([*args, "--budget", "100"]) == 0
        finally:
            del os.environ["VIGIE_OPENALEX_URL"]
    assert main(["watch", "list", "--editions", str(tmp_path / "e")]) == 0
    out = capsys.readouterr().out
    assert "edition_id" in out and "42" in out
    assert main(["watch", "strategy", "--strategy", str(SMALL)]) == 0
    assert main(["watch", "changes", "x", "y", "--editions", str(tmp_path / "e")]) == 2


def test_progress_lines_show_pages_works_and_eta():
    import io

    from analysis.vigie.watch.openalex import Progress

    t = [0.0]
    out = io.StringIO()
    p = Progress(out, interval=1.0, clock=lambda: t[0])
    p.start_query("food", 0)
    t[0] = 0.5
    p.page("food", 1, 200, 1000, 200, False)
    t[0] = 0.9
    p.page("food", 2, 400, 1000, 200, False)  # within the interval: silent
    t[0] = 2.0
    p.page("food", 4, 800, 1000, 200, False)
    t[0] = 2.5
    p.page("food", 6, 1000, 1000, 200, True)
    assert out.getvalue().splitlines() == [
        "[watch] food: page 1/5 · 200 works of 1,000 · 2.0 pages/s · ETA 0:00:02",
        "[watch] food: page 4/5 · 800 works of 1,000 · 2.0 pages/s · ETA 0:00:00",
        "[watch] food: page 6 · 1,000 works of 1,000 · 2.4 pages/s · done",
    ]


def test_edition_tables_are_readable_as_a_bank(reference):
    from analysis.vigie.watch.editions import load_edition_bank

    bank = load_edition_bank(reference["result"].edition_path)
    assert len(bank.works) == 42 and bank.works["work_id"].iloc[0] == "W00001"
    assert isinstance(bank.works, pd.DataFrame)


def test_nothing_found_is_a_clear_error_and_leaves_no_staging_folder(tmp_path):
    from analysis.core.errors import InputFormatError

    with FakeOpenAlex(State(routes=[])) as url:
        with pytest.raises(InputFormatError, match="no work received from OpenAlex and no export file"):
            _run(url, tmp_path, "empty")
    assert not list((tmp_path / "editions-empty").glob(".staging-*"))
    assert not list_editions(tmp_path / "editions-empty").shape[0]
