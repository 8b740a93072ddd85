"""The classification a registry store holds for its initiatives, in words for a table.

``cdkg export --format xlsx|csv`` writes it in read-only columns beside the editable
ones: the verdict, the initiative type and, for a verdict still to be assessed, the facts
that would decide it. Verdict and type are read from the store's inferred graphs (what
the classifier inferred when the descriptions were loaded), not worked out again; the
missing facts are worded from the stored description by the same code as ``cdkg
classify`` (:func:`cdkg.classify.reasons.reasons_for`), so both say the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from cdkg.classify.reasons import reasons_for
from cdkg.model.labels import Labels
from cdkg.model.namespaces import CDKG, VERDICT
from cdkg.model.vocab import concepts
from cdkg.store.base import Store
from cdkg.validate.reference import expand

__all__ = ["StoredVerdict", "stored_verdicts"]

_TO_BE_ASSESSED: URIRef = VERDICT["to-be-assessed"]
#: How far from an initiative the facts its missing facts depend on lie: its initiators,
#: collaborators, engagements and assessments (one link), and their types, names and
#: engaged actors (two links).
_HOPS = 2


@dataclass(frozen=True)
class StoredVerdict:
    """One initiative's stored classification, as a table shows it."""

    #: The verdict's label (``Citizen data``, ``Not citizen data``, ``To be assessed``).
    verdict: str
    #: The initiative type's label and number (``Civic action (type 1)``), or empty
    #: where the classification gives none.
    initiative_type: str
    #: The facts that would decide a to-be-assessed verdict, one sentence each.
    missing: tuple[str, ...] = ()


def stored_verdicts(store: Store, descriptions: Graph) -> dict[str, StoredVerdict]:
    """The stored classification of every classified initiative, by IRI.

    ``descriptions`` is what the store's source graphs hold
    (:func:`cdkg.store.contents.stored_descriptions`), from which the missing facts of
    the to-be-assessed initiatives are worded. An initiative stored with two verdicts or
    types (described differently in two sources) shows them all, joined by ``; ``.
    """
    rows = store.query(
        f"SELECT DISTINCT ?initiative ?verdict ?type WHERE {{ "
        f"?initiative <{CDKG.verdict}> ?verdict "
        f"OPTIONAL {{ ?initiative <{CDKG.initiativeType}> ?type }} }}"
    ).rows
    verdicts: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for row in rows:
        if row["initiative"]["type"] != "uri":
            continue
        iri = row["initiative"]["value"]
        verdicts.setdefault(iri, set()).add(row["verdict"]["value"])
        if "type" in row:
            types.setdefault(iri, set()).add(row["type"]["value"])
    verdict_words = {c.iri: c.label for c in concepts("verdict")}
    type_words = {c.iri: (c.label, c.notation) for c in concepts("initiative-type")}
    type_numbers = {c.iri: int(c.notation) for c in concepts("initiative-type")}
    open_cases = sorted(i for i, v in verdicts.items() if str(_TO_BE_ASSESSED) in v)
    missing = _missing_facts(descriptions, open_cases, types, type_numbers)
    out = {}
    for iri, found in verdicts.items():
        named = sorted(verdict_words.get(v, v) for v in found)
        kinds = [type_words.get(t, (t, "")) for t in sorted(types.get(iri, ()))]
        out[iri] = StoredVerdict(
            verdict="; ".join(named),
            initiative_type="; ".join(
                f"{label} (type {number})" if number else label for label, number in kinds
            ),
            missing=missing.get(iri, ()),
        )
    return out


def _missing_facts(
    descriptions: Graph,
    initiatives: list[str],
    types: dict[str, set[str]],
    type_numbers: dict[str, int],
) -> dict[str, tuple[str, ...]]:
    """The missing-fact sentences of each to-be-assessed initiative, worked out over its
    neighbourhood in ``descriptions`` with the ontology (not the whole registry)."""
    if not initiatives:
        return {}
    near = Graph()
    for triple in _neighbourhood(descriptions, (URIRef(i) for i in initiatives)):
        near.add(triple)
    # merged with the ontology and closed under RDFS, as the classification reads it
    graph = expand(near)
    labels = Labels(graph)
    out = {}
    for iri in initiatives:
        kinds = sorted(types.get(iri, ()))
        type_iri = URIRef(kinds[0]) if len(kinds) == 1 else None
        number = type_numbers.get(kinds[0]) if type_iri is not None else None
        _reasons, missing = reasons_for(
            graph, labels, URIRef(iri), type_iri, number, _TO_BE_ASSESSED
        )
        out[iri] = tuple(m.message for m in missing)
    return out


def _neighbourhood(graph: Graph, starts: Iterable[Node]) -> Iterable[tuple[Node, Node, Node]]:
    """Every triple of ``graph`` about a node at most :data:`_HOPS` links from a start."""
    seen: set[Node] = set()
    frontier = list(starts)
    for hop in range(_HOPS + 1):
        following: list[Node] = []
        for node in frontier:
            if node in seen:
                continue
            seen.add(node)
            for triple in graph.triples((node, None, None)):
                yield triple
                if hop < _HOPS and isinstance(triple[2], URIRef | BNode):
                    following.append(triple[2])
        frontier = following
