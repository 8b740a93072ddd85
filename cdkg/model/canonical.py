"""One canonical Turtle form for the committed data files (CONVENTIONS 3).

A committed ``.ttl`` file is canonical when it equals :func:`canonical_turtle` of its
own triples: rdflib's ``longturtle`` serialisation with canonical blank-node labels and
the fixed prefix table :data:`cdkg.model.namespaces.PREFIXES` plus the file's own prefixes
for other namespaces (only the prefixes a file uses are written), without trailing
blanks. Comments are not kept, so documentation goes into annotations.

Check or fix from the command line::

    python -m cdkg.model.canonical ontology shapes          # exit 1 and list what differs
    python -m cdkg.model.canonical --fix ontology shapes    # rewrite the files in place
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import rdflib

from cdkg.model.namespaces import PREFIXES

#: The command that rewrites every committed Turtle file into canonical form.
FIX_COMMAND = "python -m cdkg.model.canonical --fix ontology shapes"


def canonical_turtle(graph: rdflib.Graph) -> str:
    """``graph`` serialised in the canonical Turtle form."""
    clean = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in sorted(PREFIXES.items()):
        clean.bind(prefix, iri, override=True, replace=True)
    taken_prefixes = set(PREFIXES)
    taken_iris = set(PREFIXES.values())
    for prefix, ns in sorted(graph.namespaces()):
        if prefix and prefix not in taken_prefixes and str(ns) not in taken_iris:
            clean.bind(prefix, ns)
            taken_prefixes.add(prefix)
            taken_iris.add(str(ns))
    for triple in graph:
        clean.add(triple)
    text = clean.serialize(format="longturtle", canon=True)
    # longturtle leaves trailing blanks on some lines; editors strip them, so do we.
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def canonical_text(path: Path) -> str:
    """The canonical form of the Turtle file at ``path``."""
    graph = rdflib.Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    return canonical_turtle(graph)


def turtle_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``.ttl`` file named by ``paths`` (directories are walked), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*.ttl") if p.is_file())
        elif path.suffix == ".ttl":
            found.add(path)
    return sorted(found)


def non_canonical(paths: Iterable[Path]) -> list[Path]:
    """The Turtle files under ``paths`` that differ from their canonical form."""
    return [p for p in turtle_files(paths) if p.read_text(encoding="utf-8") != canonical_text(p)]


def fix(paths: Iterable[Path]) -> list[Path]:
    """Rewrite non-canonical files in place; return the files rewritten."""
    changed = non_canonical(paths)
    for path in changed:
        path.write_text(canonical_text(path), encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cdkg.model.canonical",
        description="Check (or --fix) that Turtle files are in cdkg's canonical form.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="files or directories")
    parser.add_argument("--fix", action="store_true", help="rewrite files in place")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for p in missing:
            print(f"{p}: no such file or directory", file=sys.stderr)
        return 2
    if args.fix:
        for path in fix(args.paths):
            print(f"rewrote {path}")
        return 0
    bad = non_canonical(args.paths)
    for path in bad:
        print(f"{path}: not in canonical Turtle form (run: {FIX_COMMAND})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
