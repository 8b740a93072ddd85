"""Arguments, input and output shared by ``cdkg validate`` and ``cdkg classify``.

The commands read their input (PATHs, or a store through :mod:`cdkg.commands._store_options`)
and hand it to :func:`cdkg.validate.run.run`, which chooses how the engine runs over it.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Callable
from typing import Any, Protocol

import rdflib

from cdkg.commands._store_options import add_stored_input, store_from_args
from cdkg.errors import InputError, printable
from cdkg.rdf.read import load_graph
from cdkg.validate.reference import EngineRun
from cdkg.validate.run import ENGINES, run

FORMATS = ("text", "json", "turtle")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="file, directory (recursive) or - for stdin (or --store/--endpoint instead)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--input-format",
        metavar="FMT",
        help="input format when the extension does not tell it "
        "(turtle, nt, nquads, trig, xml, json-ld, yaml-ld)",
    )


class Report(Protocol):
    """What both reports offer: Contract 4 JSON and Turtle."""

    def to_json(self) -> dict[str, Any]: ...

    def to_turtle(self) -> str: ...


def add_engine_and_store_arguments(parser: argparse.ArgumentParser, engine_help: str) -> None:
    """``--engine`` and the ``--store``/``--endpoint`` alternative to PATHs."""
    parser.add_argument("--engine", choices=ENGINES, default="reference", help=engine_help)
    add_stored_input(parser)


#: Characters that may reach a terminal raw from a JSON or Turtle text: C0 controls
#: other than line feed and tab, DEL, C1 controls and lone surrogates. In both syntaxes
#: they can only stand inside a string, where ``\\uXXXX`` means the same character.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _u_escaped(text: str) -> str:
    return _RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)


def print_report(report: Report, fmt: str, render_text: Callable[[Any], str]) -> None:
    """``report`` as JSON, Turtle or text for people.

    No control character from the data is written raw: text for people shows them as
    escapes (``\\x1b``); JSON and Turtle write them as ``\\u001B``, the same value."""
    if fmt == "json":
        print(_u_escaped(json.dumps(report.to_json(), indent=2, ensure_ascii=False)))
    elif fmt == "turtle":
        print(_u_escaped(report.to_turtle()), end="")
    else:
        print(printable(render_text(report)), end="")


def read_input(paths: list[str], input_format: str | None) -> rdflib.Graph:
    """All the inputs merged into one graph; bad input raises :class:`cdkg.errors.InputError`."""
    # rdflib logs a traceback for every ill-typed literal (e.g. "2021-13-45"^^xsd:date);
    # the shapes report those as violations, so the log line is noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    return load_graph(paths, input_format)


def input_run(args: argparse.Namespace, *, with_graph: bool = True) -> EngineRun:
    """The chosen engine's run over the PATHs or the descriptions ``--store``/``--endpoint``
    holds (:func:`cdkg.validate.run.run` decides where and how the engine runs).

    ``with_graph=False`` says the caller needs the results only (not the graphs, which
    text output and the classification read). A store is closed as soon as the run no
    longer reads it.
    """
    if args.store or args.endpoint:
        if args.paths:
            raise InputError.single(args.paths[0], "give PATHs or --store/--endpoint, not both")
        store = store_from_args(args)
        return run(store, args.engine, with_graph=with_graph, close_store=True)
    if not args.paths:
        raise InputError.single(
            args.command or "cdkg", "nothing to read", hint="give PATH... or --store DIR"
        )
    return run(read_input(args.paths, args.input_format), args.engine, with_graph=with_graph)
