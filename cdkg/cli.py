"""The ``cdkg`` command line.

The CLI is thin: each sub-command lives in its own module under :mod:`cdkg.commands`
(with ``register(subparsers)`` and a ``run(args) -> int``), calls a typed library
function and renders the result. This module only wires them up and turns user
errors into one line per problem on stderr with exit code 2 (DESIGN Contract 4):

* 0 — success, data conforms
* 1 — data does not conform
* 2 — bad input or usage (missing file, unknown format, unparseable input, bad option)
* 70 — an internal error (a bug: please report it; ``--debug`` shows the traceback)
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import cast

from cdkg import __version__, commands
from cdkg.errors import EXIT_BAD_INPUT, InputError

EXIT_INTERNAL = 70

#: Order in which commands are listed in ``cdkg --help``; others follow alphabetically.
COMMAND_ORDER = [
    "validate",
    "classify",
    "load",
    "remove",
    "status",
    "query",
    "export",
    "publish",
    "serve",
    "import",
    "template",
    "assess",
    "vocab",
    "bench",
    "demo",
]


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a hint on usage errors (its default already is 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"cdkg: error: {message} (see '{self.prog} --help')\n")


def _command_modules() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    rank = {n: i for i, n in enumerate(COMMAND_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n.rstrip("_"), len(rank)), n))


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
    for name in _command_modules():
        module = importlib.import_module(f"cdkg.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    func = cast(Callable[[argparse.Namespace], int], args.func)
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
            f"cdkg: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in cdkg; re-run with --debug and report the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
