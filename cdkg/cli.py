"""The ``cdkg`` command line.

The CLI is thin: each sub-command lives in its own module under :mod:`cdkg.commands`
(with ``register(subparsers)`` and a ``run(args) -> int``), calls a typed library
function and renders the result. This module only wires them up (:data:`COMMANDS`, in
the order ``cdkg --help`` lists them) and turns user errors into one line per problem on
stderr with exit code 2 (DESIGN Contract 4):

* 0 — success, data conforms
* 1 — data does not conform
* 2 — bad input or usage (missing file, unknown format, unparseable input, bad option)
* 70 — an internal error (a bug: please report it; ``--debug`` shows the traceback)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol, cast

from cdkg import __version__
from cdkg.commands import (
    assess,
    bench,
    classify,
    demo,
    export,
    import_,
    load,
    publish,
    query,
    remove,
    serve,
    status,
    template,
    validate,
    vocab,
)
from cdkg.errors import EXIT_BAD_INPUT, MAX_MESSAGE, InputError, one_line, printable
from cdkg.validate.reference import use_query_cache

EXIT_INTERNAL = 70


class Command(Protocol):
    """A module of :mod:`cdkg.commands`: it adds its parser to ``cdkg``'s sub-parsers."""

    def register(self, sub: Any) -> None: ...


#: The sub-commands, in the order ``cdkg --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    validate,
    classify,
    load,
    remove,
    status,
    query,
    export,
    publish,
    serve,
    import_,
    template,
    assess,
    vocab,
    bench,
    demo,
)


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a hint on usage errors (its default already is 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"cdkg: error: {message} (see '{self.prog} --help')\n")


class _TerminalSafe:
    """Standard output on a terminal: what commands print reaches it with control
    characters as visible escapes (``\\x1b``), so text from the data (a title, a file
    name, a query answer) cannot move the cursor, retitle the window or hide lines."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cdkg",
        description=(
            "Citizen Data Knowledge Graph: validate, classify, store, query and publish "
            "descriptions of citizen-data initiatives (Copenhagen Framework on Citizen Data, 2024)."
        ),
        epilog="Exit codes: 0 ok/conforms, 1 does not conform, 2 bad input or usage.",
    )
    parser.add_argument("--version", action="version", version=f"cdkg {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # every rdflib SPARQL text parsed once per process, whichever command runs queries
    use_query_cache()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    func = cast(Callable[[argparse.Namespace], int], args.func)
    stdout = sys.stdout
    if stdout is not None and stdout.isatty():
        sys.stdout = cast(Any, _TerminalSafe(stdout))
    try:
        return _run(func, args)
    finally:
        if isinstance(sys.stdout, _TerminalSafe):
            sys.stdout = stdout


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``func(args)`` with user errors and internal errors turned into exit codes."""
    try:
        return func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"cdkg: error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("cdkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `cdkg export | head`); not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.debug or os.environ.get("CDKG_DEBUG"):
            raise
        print(
            f"cdkg: internal error: {type(exc).__name__}: {one_line(str(exc), MAX_MESSAGE)} "
            "(this is a bug in cdkg; re-run with --debug and report the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
