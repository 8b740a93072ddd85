"""The options that say which store a command uses: which store, which endpoint, which header.

They are declared once (:func:`_add_store_group`) and introduced in two ways: for the
registry commands (:func:`add_store_options`) and for the commands that read PATHs
unless told to use a store (:func:`add_stored_input`).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from cdkg.store import Store, default_store_dir, open_store

ENV_AUTH = "CDKG_AUTH_HEADER"


@dataclass(frozen=True)
class _StoreHelp:
    """The title of the store options in a command's ``--help``, and each option's help."""

    title: str
    store: str
    endpoint: str
    #: None: the command has no ``--update-endpoint``.
    update_endpoint: str | None
    auth_header: str


def _add_store_group(parser: Any, texts: _StoreHelp) -> None:
    group = parser.add_argument_group(texts.title)
    group.add_argument("--store", metavar="DIR", help=texts.store)
    group.add_argument("--endpoint", metavar="URL", help=texts.endpoint)
    if texts.update_endpoint is not None:
        group.add_argument("--update-endpoint", metavar="URL", help=texts.update_endpoint)
    group.add_argument("--auth-header", metavar="'NAME: VALUE'", help=texts.auth_header)
    group.add_argument("--timeout", type=float, metavar="S", help="endpoint request timeout (s)")


def add_store_options(parser: Any, *, writes: bool = False) -> None:
    """The store a registry command reads (and, with ``writes``, writes)."""
    _add_store_group(
        parser,
        _StoreHelp(
            title="store",
            store=f"embedded store directory (default: $CDKG_STORE, else {default_store_dir()})",
            endpoint="SPARQL 1.1 query endpoint instead",
            update_endpoint="SPARQL 1.1 Update endpoint for writes" if writes else None,
            auth_header=f"header sent to the endpoint (default: ${ENV_AUTH})",
        ),
    )


def add_stored_input(parser: Any) -> None:
    """``--store``/``--endpoint`` for commands that otherwise read PATHs (validate, classify)."""
    _add_store_group(
        parser,
        _StoreHelp(
            title="stored descriptions (instead of PATH)",
            store="use what is loaded in this store",
            endpoint="use what this SPARQL endpoint holds",
            update_endpoint="its SPARQL 1.1 Update endpoint: with --engine fast the shapes run "
            "on the server (scratch graphs, dropped afterwards) instead of over a downloaded "
            "copy",
            auth_header=f"default: ${ENV_AUTH}",
        ),
    )


def store_from_args(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store the options name (see :func:`cdkg.store.open_store`)."""
    return open_store(
        args.store,
        args.endpoint,
        getattr(args, "update_endpoint", None),
        header=args.auth_header or os.environ.get(ENV_AUTH),
        timeout=args.timeout,
        create=create,
    )
