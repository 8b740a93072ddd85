"""The options every registry command shares: which store, which endpoint, which header."""

from __future__ import annotations

import argparse
import os
from typing import Any

import rdflib

from cdkg.errors import InputError
from cdkg.store import EmbeddedStore, EndpointStore, Store, default_store_dir, open_store
from cdkg.store.contents import stored_descriptions
from cdkg.validate.fast.remote import run_on_endpoint
from cdkg.validate.reference import EngineRun, run_engine

ENV_AUTH = "CDKG_AUTH_HEADER"


def add_store_options(parser: Any, *, writes: bool = False) -> None:
    group = parser.add_argument_group("store")
    group.add_argument(
        "--store",
        metavar="DIR",
        help=f"embedded store directory (default: $CDKG_STORE, else {default_store_dir()})",
    )
    group.add_argument("--endpoint", metavar="URL", help="SPARQL 1.1 query endpoint instead")
    if writes:
        group.add_argument(
            "--update-endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint for writes"
        )
    group.add_argument(
        "--auth-header",
        metavar="'NAME: VALUE'",
        help=f"header sent to the endpoint (default: ${ENV_AUTH})",
    )
    group.add_argument("--timeout", type=float, metavar="S", help="endpoint request timeout (s)")


def store_from_args(args: argparse.Namespace, *, create: bool = False) -> Store:
    return open_store(
        args.store,
        args.endpoint,
        getattr(args, "update_endpoint", None),
        header=args.auth_header or os.environ.get(ENV_AUTH),
        timeout=args.timeout,
        create=create,
    )


def add_stored_input(parser: Any) -> None:
    """``--store``/``--endpoint`` for commands that otherwise read PATHs (validate, classify)."""
    group = parser.add_argument_group("stored descriptions (instead of PATH)")
    group.add_argument("--store", metavar="DIR", help="use what is loaded in this store")
    group.add_argument("--endpoint", metavar="URL", help="use what this SPARQL endpoint holds")
    group.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="its SPARQL 1.1 Update endpoint: with --engine fast the shapes run on the server "
        "(scratch graphs, dropped afterwards) instead of over a downloaded copy",
    )
    group.add_argument("--auth-header", metavar="'NAME: VALUE'", help=f"default: ${ENV_AUTH}")
    group.add_argument("--timeout", type=float, metavar="S", help="endpoint request timeout (s)")


def endpoint_run(args: argparse.Namespace, *, need_graph: bool) -> EngineRun | None:
    """``--endpoint --engine fast``: the engine run on the server (None: read the input)."""
    if not (args.endpoint and args.engine == "fast"):
        return None
    if args.paths:
        raise InputError.single(args.paths[0], "give PATHs or --store/--endpoint, not both")
    with store_from_args(args) as store:
        assert isinstance(store, EndpointStore)
        return run_on_endpoint(store, need_graph=need_graph)


def input_run(args: argparse.Namespace, *, with_graph: bool = True) -> EngineRun:
    """The chosen engine's run over the PATHs or the stored descriptions.

    ``--store DIR --engine fast`` evaluates the store's content where it is, without
    reading it into rdflib first (:func:`cdkg.validate.stored.run_stored`); ``with_graph=False``
    says the caller needs the results only (not the graphs, which text output and the
    classification read).
    """
    if args.store and not args.endpoint and not args.paths and args.engine == "fast":
        from cdkg.validate.stored import run_stored

        with store_from_args(args) as store:
            assert isinstance(store, EmbeddedStore)
            return run_stored(store, with_graph=with_graph)
    remote = endpoint_run(args, need_graph=with_graph)
    if remote is not None:
        return remote
    return run_engine(input_graph(args), args.engine)


def input_graph(args: argparse.Namespace) -> rdflib.Graph:
    """The PATHs read and merged, or the descriptions loaded in ``--store``/``--endpoint``."""
    if args.store or args.endpoint:
        if args.paths:
            raise InputError.single(args.paths[0], "give PATHs or --store/--endpoint, not both")
        with store_from_args(args) as store:
            return stored_descriptions(store)
    if not args.paths:
        raise InputError.single(
            args.command or "cdkg", "nothing to read", hint="give PATH... or --store DIR"
        )
    from cdkg.commands._common import read_input

    return read_input(args.paths, args.input_format)
