"""Locate the data files that ship with the package.

``ontology/``, ``shapes/`` and ``queries/`` live at the top of the repository (they
are the edit source) and are copied into the wheel as ``cdkg/_data/<kind>/``.
Installed from a wheel, they are read with :mod:`importlib.resources`; in a source
checkout (editable install or ``PYTHONPATH=.``) the top-level folders are used.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

Kind = Literal["ontology", "shapes", "queries"]


def data_dir(kind: Kind) -> Traversable:
    """The folder holding the shipped data files of ``kind``."""
    packaged = files("cdkg") / "_data" / kind
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(f"cdkg data folder {kind!r} is missing from this installation")


def data_files(kind: Kind, suffix: str, *, recursive: bool = False) -> list[Traversable]:
    """All files of ``kind`` whose name ends with ``suffix``, sorted by name."""
    found: list[Traversable] = []

    def walk(folder: Traversable) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                if recursive:
                    walk(entry)
            elif entry.name.endswith(suffix):
                found.append(entry)

    walk(data_dir(kind))
    return sorted(found, key=lambda t: str(t))
