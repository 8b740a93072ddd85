"""The reflexive-transitive closure of a relation given as a mapping, breadth first.

Class and property hierarchies (``rdfs:subClassOf``, ``rdfs:subPropertyOf``) are read
into such mappings from rdflib triples (the privacy rules) and from pyoxigraph terms (the
published explanations); one walk serves both, whatever the node type.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def closure(start: Iterable[T], step: Mapping[T, Iterable[T]]) -> set[T]:
    """``start`` and every node reached from it by following ``step`` any number of
    times (``step[n]``: the nodes one step from ``n``; a node without an entry has none)."""
    found = set(start)
    queue = deque(found)
    while queue:
        for nxt in step.get(queue.popleft(), ()):
            if nxt not in found:
                found.add(nxt)
                queue.append(nxt)
    return found
