"""``python -m analysis watch <update|list|changes|strategy>``: the living watch from the command line.

``watch update`` exits 0 when it wrote an edition, 3 when it stopped cleanly before the end (daily budget reached
or OpenAlex rate limit: rerun to resume), 2 on an error (a bad strategy or export, an OpenAlex error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.vigie.watch.changes import changes
from analysis.vigie.watch.editions import list_editions
from analysis.vigie.watch.strategy import load_strategy, query_request
from analysis.vigie.watch.update import ENV_BUDGET, ENV_CACHE, ENV_KEY, ENV_URL, run_update

EXIT_STOPPED = 3


def configure(parser: argparse.ArgumentParser) -> None:
    """Sub-commands of ``watch``."""
    sub = parser.add_subparsers(dest="watch_command", required=True)
    up = sub.add_parser("update", help="run the strategy against OpenAlex and write a new edition",
                        description=f"Run the watch strategy against OpenAlex (key from {ENV_KEY}, base URL from "
                                    f"{ENV_URL}) and write a new edition. Exit 0: edition written; 3: stopped "
                                    "cleanly (budget or rate limit), rerun to resume; 2: error.")
    up.add_argument("--strategy", type=Path, default=None, help="strategy YAML (default data/raw/vigie/strategy.yaml)")
    up.add_argument("--cache", type=Path, default=None,
                    help=f"page cache folder (default {ENV_CACHE} or data/processed/watch_cache)")
    up.add_argument("--editions", type=Path, default=None,
                    help="editions folder (default VIGIE_EDITIONS_DIR or data/processed/editions)")
    up.add_argument("--budget", type=int, default=None,
                    help=f"requests allowed per UTC day (default {ENV_BUDGET} or the strategy's)")
    up.add_argument("--edition", default=None, help="id of the new edition (default the UTC date)")
    up.add_argument("--exports-root", type=Path, default=None,
                    help="folder the strategy's export folders are relative to (default the project root)")
    up.add_argument("--keep-cache", action="store_true", help="keep cached pages after writing the edition")
    up.add_argument("--no-upstream-check", action="store_true",
                    help="do not ask OpenAlex about the previous edition's ids that no longer come back")
    up.add_argument("--backoff", type=float, default=None, help="first retry wait in seconds (default: strategy's)")
    up.add_argument("--snapshot-date", default=None,
                    help="date of the OpenAlex snapshot manifest, when VIGIE_OPENALEX_URL is a mirror built from one")
    up.add_argument("--quiet", action="store_true", help="no progress lines")

    ls = sub.add_parser("list", help="list the editions")
    ls.add_argument("--editions", type=Path, default=None, help="editions folder")

    ch = sub.add_parser("changes", help="what changed between two editions (counts; tables with --out)")
    ch.add_argument("previous", help="previous edition (id or folder)")
    ch.add_argument("current", help="current edition (id or folder)")
    ch.add_argument("--editions", type=Path, default=None, help="editions folder")
    ch.add_argument("--top", type=int, default=20, help="rows of the citation table")
    ch.add_argument("--out", type=Path, default=None, help="write each table as <out>/<name>.csv")

    st = sub.add_parser("strategy", help="check the strategy and print its queries")
    st.add_argument("--strategy", type=Path, default=None, help="strategy YAML")


def run(args: argparse.Namespace) -> int:
    """Run a ``watch`` sub-command."""
    if args.watch_command == "update":
        result = run_update(args.strategy, cache=args.cache, editions=args.editions, budget=args.budget,
                            edition_id=args.edition, exports_root=args.exports_root, keep_cache=args.keep_cache,
                            check_upstream=not args.no_upstream_check, backoff=args.backoff,
                            snapshot_date=args.snapshot_date,
                            stream=None if args.quiet else sys.stderr)
        if args.quiet:
            print(result.message, file=sys.stderr)
        if result.status == "edition":
            print(result.edition_id)
            return 0
        return EXIT_STOPPED
    if args.watch_command == "list":
        table = list_editions(args.editions)
        if table.empty:
            print("no edition yet (run `python -m analysis watch update`)")
            return 0
        print(table.drop(columns=["path"]).assign(strategy_hash=table["strategy_hash"].str[:12],
                                                  content_hash=table["content_hash"].str[:12]).to_string(index=False))
        return 0
    if args.watch_command == "changes":
        tables = changes(args.previous, args.current, folder=args.editions, top_n=args.top)
        print(tables["summary"].to_string(index=False))
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            for name, df in tables.items():
                df.to_csv(args.out / f"{name}.csv", index=False)
            print(f"tables written to {args.out}")
        return 0
    strategy = load_strategy(args.strategy)
    print(f"{strategy.path}: strategy_hash {strategy.hash}")
    for q in strategy.queries:
        print(f"- {q.id} (theme {q.theme or '-'}): {query_request(strategy, q)}")
    return 0
