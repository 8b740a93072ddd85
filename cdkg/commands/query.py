"""``cdkg query``: run a library query (or a .rq file) on one or more registries."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

from cdkg.commands._store_options import ENV_AUTH
from cdkg.errors import InputError
from cdkg.query.library import Opener, bind, find, library, parse_params, run_across
from cdkg.query.output import FORMATS, render
from cdkg.query.registries import Registry, default_config_path, read_config, select
from cdkg.store import default_store_dir

EXIT_PARTIAL = 1


def register(sub: Any) -> None:
    p = sub.add_parser(
        "query",
        help="run a library query on one or more registries",
        description="Run a named query from the library (see --list) or a .rq file. With "
        "several registries (--store/--endpoint given more than once, or --registry names "
        "from a registries file) the query runs on each in parallel and the results are "
        "merged with an extra variable 'registry'. A query ending in ORDER BY of "
        "variables (as the library's do) gives ONE answer in that order across all the "
        "registries, LIMIT/OFFSET applying to the merged answer. A registry that fails is "
        "reported on stderr and the others still answer (exit 0; --strict makes that exit 1).",
    )
    p.add_argument("query", nargs="?", metavar="NAME|FILE.rq")
    p.add_argument("--list", action="store_true", help="list the query library and exit")
    p.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter"
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--show", action="store_true", help="print the SPARQL (parameters bound)")
    p.add_argument("--store", action="append", default=[], metavar="DIR")
    p.add_argument("--endpoint", action="append", default=[], metavar="URL")
    p.add_argument("--registries", metavar="FILE", help="registries file (TOML)")
    p.add_argument("--registry", action="append", default=[], metavar="NAME")
    p.add_argument("--auth-header", metavar="'NAME: VALUE'", help=f"default: ${ENV_AUTH}")
    p.add_argument("--timeout", type=float, metavar="S", help="per-registry timeout (s)")
    p.add_argument("--strict", action="store_true", help="exit 1 if any registry fails")
    p.set_defaults(func=run)


def _registries(args: argparse.Namespace) -> list[Registry]:
    header = args.auth_header or os.environ.get(ENV_AUTH)
    chosen = [Registry(d, store=Path(d)) for d in args.store]
    chosen += [Registry(u, endpoint=u, header=header, timeout=args.timeout) for u in args.endpoint]
    if args.registries or args.registry:
        path = Path(args.registries) if args.registries else default_config_path()
        chosen += select(read_config(path), args.registry, str(path))
    if not chosen:
        chosen = [Registry(str(default_store_dir()), store=default_store_dir())]
    names = [r.name for r in chosen]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError.single(dupes[0], "the same registry is named twice")
    return chosen


def _opener(registry: Registry) -> Opener:
    return partial(registry.open, create=False)


def _list() -> int:
    for name, q in sorted(library().items()):
        params = " ".join(f"{p.name}={p.type}" + ("" if p.required else "?") for p in q.parameters)
        print(f"{name:<34} {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    if not args.query:
        raise InputError.single("cdkg query", "name a query or a .rq file", hint="see --list")
    named = find(args.query)
    sparql = bind(named.text, parse_params(named, args.param))
    if args.show:
        print(sparql)
        return 0
    registries = _registries(args)
    answer = run_across([(r.name, _opener(r)) for r in registries], sparql, timeout=args.timeout)
    for failure in answer.failures:
        print(f"cdkg: registry {failure.registry} failed: {failure.reason}", file=sys.stderr)
    if not answer.answered:
        raise InputError.single(named.name, "no registry answered")
    sys.stdout.write(render(answer.results, args.format))
    if answer.failures and args.strict:
        return EXIT_PARTIAL
    return 0
