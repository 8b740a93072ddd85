"""The classification a registry store holds for its initiatives, in words for a table.

``cdkg export --format xlsx|csv`` writes it in read-only columns beside the editable
ones: the verdict, the initiative type and, for a verdict still to be assessed, the facts
that would decide it. Verdict and type are read from the store's inferred graphs (what
the classifier inferred when the descriptions were loaded), not worked out again. The
missing facts are worded by the code that words them for ``cdkg classify``
(:func:`cdkg.classify.reasons.explain`), from the initiators of each open case: DESIGN
Contract 3 tells rows 7, 8 and 9 apart by who initiates, and an open case records no
engagement of citizens that would change what decides it (one that did would have
decided the verdict). So the store's descriptions are not classified again: one small
query per open case reads its initiators as the classification reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cdkg.classify.reasons import actors, explain
from cdkg.model.labels import Labels
from cdkg.model.namespaces import CDKG, VERDICT
from cdkg.model.ontology import ontology_graph
from cdkg.model.vocab import concepts
from cdkg.store.base import Store

__all__ = ["StoredVerdict", "stored_verdicts"]

_TO_BE_ASSESSED: URIRef = VERDICT["to-be-assessed"]


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
    """The missing-fact sentences of each to-be-assessed initiative, from its initiators
    in ``descriptions`` and the ontology (not the whole registry)."""
    if not initiatives:
        return {}
    graph = _initiators_graph(descriptions, [URIRef(i) for i in initiatives])
    labels = Labels(graph)
    out = {}
    for iri in initiatives:
        kinds = sorted(types.get(iri, ()))
        type_iri = URIRef(kinds[0]) if len(kinds) == 1 else None
        number = type_numbers.get(kinds[0]) if type_iri is not None else None
        initiators = actors(graph, URIRef(iri), CDKG.initiatedBy)
        _reasons, missing = explain(
            labels, type_iri, number, initiators, [], list, verdict=_TO_BE_ASSESSED
        )
        out[iri] = tuple(m.message for m in missing)
    return out


def _initiators_graph(descriptions: Graph, initiatives: list[URIRef]) -> Graph:
    """The ontology, the class axioms the descriptions state (an aligned external class),
    and each initiative's initiators with everything stated about them.

    Every initiator is also typed ``cdkg:Actor``, the range of ``cdkg:initiatedBy``, as
    the classification's RDFS entailment types it: an initiator of no known actor class is
    then named "an actor", as ``cdkg classify`` names it.
    """
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    for axiom in (RDFS.subClassOf, OWL.equivalentClass):
        for triple in descriptions.triples((None, axiom, None)):
            graph.add(triple)
    for initiative in initiatives:
        for initiator in descriptions.objects(initiative, CDKG.initiatedBy):
            graph.add((initiative, CDKG.initiatedBy, initiator))
            graph.add((initiator, RDF.type, CDKG.Actor))
            for triple in descriptions.triples((initiator, None, None)):
                graph.add(triple)
    return graph
