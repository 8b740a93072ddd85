"""Arguments and input reading shared by ``cdkg validate`` and ``cdkg classify``."""

from __future__ import annotations

import argparse
import logging

import rdflib

from cdkg.rdfio import load_graph

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


def read_input(paths: list[str], input_format: str | None) -> rdflib.Graph:
    """All the inputs merged into one graph; bad input raises :class:`cdkg.errors.InputError`."""
    # rdflib logs a traceback for every ill-typed literal (e.g. "2021-13-45"^^xsd:date);
    # the shapes report those as violations, so the log line is noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    return load_graph(paths, input_format)
