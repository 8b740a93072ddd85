"""``cdkg serve``: the registry live over HTTP (pages, content negotiation, SPARQL, checks)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="serve a registry over HTTP (pages, SPARQL, validation)",
        description="Serve the registry's pages with content negotiation (HTML, Turtle, "
        "JSON-LD, N-Triples), a read-only SPARQL 1.1 Protocol endpoint at /sparql, "
        "POST /validate and the 'Check an initiative' form at /check.",
    )
    p.add_argument(
        "--base-iri",
        metavar="BASE",
        default="https://w3id.org/cdkg/",
        help="IRI prefix of the served resources (default: %(default)s)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (%(default)s)")
    p.add_argument(
        "--query-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="time limit of one SPARQL query in seconds (%(default)s)",
    )
    p.add_argument(
        "--max-results",
        type=int,
        default=10_000,
        metavar="N",
        help="most results one SPARQL query returns (%(default)s)",
    )
    p.add_argument(
        "--update-token",
        metavar="TOKEN",
        default=os.environ.get("CDKG_UPDATE_TOKEN") or None,
        help="accept SPARQL Update and Graph Store Protocol writes from clients sending "
        "'Authorization: Bearer TOKEN' (default: $CDKG_UPDATE_TOKEN; without it the "
        "server is read-only)",
    )
    add_store_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from cdkg.serve.app import create_app

    if not 0 < args.port < 65536:
        raise InputError.single(f"--port {args.port}", "not a port number", hint="use 1-65535")
    if args.query_timeout <= 0 or args.max_results <= 0:
        raise InputError.single(
            "--query-timeout/--max-results", "must be positive", hint="e.g. 10 and 10000"
        )
    from cdkg.render.privacy import redacted_copy

    # Pages, dumps and /sparql answer from a copy without personal contact data
    # (cdkg.render.privacy; docs/security.md): no query can reach a withheld triple.
    with store_from_args(args) as source, redacted_copy(source) as (store, redaction):
        if redaction.removed:
            print(f"withheld {redaction.removed} personal contact triples (no recorded consent)")
        try:
            app = create_app(
                store,
                args.base_iri,
                query_timeout=args.query_timeout,
                max_results=args.max_results,
                update_token=args.update_token,
                write_store=source,
                after_write=lambda: _refresh(source, store),
            )
        except ValueError as exc:
            raise InputError.single(f"--base-iri {args.base_iri}", str(exc)) from None
        if args.update_token:
            print("writes accepted with the update token (SPARQL Update, /graph-store)")
        print(f"serving {store.name} at http://{args.host}:{args.port}/ (Ctrl-C stops)")
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _refresh(source: Any, served: Any) -> None:
    """After a write to the registry, serve its new content (still without contact data)."""
    from cdkg.render.privacy import refresh_copy

    refresh_copy(source, served)
