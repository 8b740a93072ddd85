"""The fast engine over an Oxigraph store holding a whole registry.

:func:`bulk_load` reads files straight into named graphs with Oxigraph's parser (one
graph per file, named by its ``file:`` URI as the registry does, plus the ontology and
vocabularies); :func:`classify_store` validates and classifies everything in the store
in place and records the inferred classification in its own graph, so queries see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cdkg.model.namespaces import CDKG, VERDICT
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.terms import to_ox
from cdkg.validate.fast.backend import OxigraphBackend
from cdkg.validate.fast.engine import Outcome, default_workers
from cdkg.validate.fast.pipeline import evaluate

VOCABULARY_GRAPH = "urn:cdkg:graph:vocabularies"
_INITIATIVE_TYPE = ox.NamedNode(str(CDKG.initiativeType))
_IS_CITIZEN_DATA = ox.NamedNode(str(CDKG.isCitizenData))
_VERDICT = ox.NamedNode(str(CDKG.verdict))
INFERRED_GRAPH = "urn:cdkg:inferred:registry"
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Classification:
    """One initiative's classification (DESIGN Contract 3 revision 2)."""

    iri: str
    #: The initiative type's IRI, or None where Contract 3 gives none.
    initiative_type: str | None
    #: True, False, or None while the verdict is to be assessed.
    is_citizen_data: bool | None
    #: ``citizen-data``, ``not-citizen-data`` or ``to-be-assessed`` (the concept of the
    #: verdict scheme, by its local name).
    verdict: str


def bulk_load(store: ox.Store, files: Sequence[Path]) -> int:
    """Load ``files`` (one named graph each) and the ontology; the number of files."""
    quads = [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(VOCABULARY_GRAPH))  # type: ignore[arg-type]
        for s, p, o in ontology_graph()
    ]
    store.bulk_extend(quads)
    for f in files:
        fmt = _FORMATS.get(f.suffix.lower())
        if fmt is None:
            raise ValueError(f"{f}: unknown RDF format")
        graph = ox.NamedNode(f.resolve().as_uri())
        store.bulk_load(path=str(f), format=fmt, to_graph=graph, base_iri=graph.value)
    return len(files)


def working_copy(store: ox.Store) -> ox.Store:
    """The store's data graphs merged into the default graph of an in-memory store.

    A registry keeps one named graph per source, so an actor described in many sources
    is stated many times; Oxigraph's union default graph repeats such triples, which
    multiplies every join. The merged copy is a set of triples, as RDF merge requires
    (inferred and registry-record graphs are left out). Graphs are read on two threads
    (reading decodes every term, and Oxigraph does it without the GIL) while this one
    adds what they read.

    Blank nodes keep their identifiers, so results about them name the stored nodes:
    Oxigraph's loader would rename them, so a graph holding any is copied term by term.
    """
    graphs = [
        g
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode)
        and not g.value.startswith("urn:cdkg:inferred:")
        and g.value != "urn:cdkg:graph:registry"
    ]
    memory = ox.Store()

    def read(g: ox.NamedNode) -> bytes:
        return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b""

    with ThreadPoolExecutor(default_workers(), thread_name_prefix="cdkg-copy") as pool:
        for text in pool.map(read, graphs):
            if b"_:" in text:
                triples = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
                memory.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
            else:
                memory.load(text, format=ox.RdfFormat.N_TRIPLES)
    return memory


def classify_store(store: ox.Store) -> tuple[Outcome, list[Classification]]:
    """Validate and classify the store's content; write the inferred triples to it."""
    if store.contains_named_graph(ox.NamedNode(INFERRED_GRAPH)):
        store.remove_graph(ox.NamedNode(INFERRED_GRAPH))
    backend = OxigraphBackend(working_copy(store), throwaway=True)
    outcome = evaluate(backend, read_entailments_only=True)
    target = ox.NamedNode(INFERRED_GRAPH)
    store.bulk_extend(ox.Quad(s, p, o, target) for s, p, o in outcome.inferred_terms)  # type: ignore[arg-type]
    types: dict[str, str] = {}
    citizen_data: dict[str, bool] = {}
    verdicts: dict[str, str] = {}
    for s, p, o in outcome.inferred_terms:
        if p == _INITIATIVE_TYPE:
            types[s.value] = o.value
        elif p == _IS_CITIZEN_DATA:
            citizen_data[s.value] = isinstance(o, ox.Literal) and o.value in ("true", "1")
        elif p == _VERDICT:
            verdicts[s.value] = o.value.removeprefix(str(VERDICT))
    # every initiative gets a verdict (none would show as ""), the type and citizen data
    # only where decided
    found = [
        Classification(i, types.get(i), citizen_data.get(i), verdicts.get(i, ""))
        for i in sorted(verdicts.keys() | types.keys() | citizen_data.keys())
    ]
    return outcome, found
