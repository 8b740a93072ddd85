"""Validate and classify what an embedded registry store holds, with the fast engine.

The store's source graphs and vocabularies are merged into the default graph of an
in-memory working copy (:func:`working_copy`) and evaluated there; nothing goes through
rdflib except what a report shows for people: the text report and the classification
need the data as an rdflib graph (labels, owners, reasons), a JSON or Turtle validation
report does not.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from cdkg.fast.backend import OxigraphBackend
from cdkg.fast.run import compiled, evaluate, fast_report, run_fast
from cdkg.load import stored_descriptions
from cdkg.ontology import ontology_graph
from cdkg.store import EmbeddedStore
from cdkg.store.layout import INFERRED_PREFIX, REGISTRY_GRAPH
from cdkg.validate import EngineRun


def working_copy(store: ox.Store) -> ox.Store:
    """The store's source graphs and vocabularies merged (as a set of triples) into the
    default graph of an in-memory store; inferred graphs and load records left out.

    Blank nodes keep their identifiers, so results about them name the stored nodes:
    Oxigraph's loader would rename them, so a graph holding any is copied term by term.
    """
    memory = ox.Store()
    for g in store.named_graphs():
        if not isinstance(g, ox.NamedNode) or g.value.startswith(INFERRED_PREFIX):
            continue
        if g.value == REGISTRY_GRAPH:
            continue
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        assert data is not None
        if b"_:" in data:
            triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            memory.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        else:
            memory.load(data, format=ox.RdfFormat.N_TRIPLES)
    return memory


def run_stored(store: EmbeddedStore, *, with_graph: bool = True) -> EngineRun:
    """The fast engine over everything loaded in ``store`` (what was loaded, not what was
    inferred from it), as :func:`cdkg.validate.run_engine` gives it for files.

    ``with_graph=False`` leaves the run's data and expanded graphs empty unless a shape
    falls back to the reference engine (which needs them): enough for a report's results.
    """
    compiler = compiled()
    if compiler.rule_problems:
        out = run_fast(stored_descriptions(store))  # notes why, runs the reference engine
        assert isinstance(out, EngineRun)
        return out
    outcome = evaluate(OxigraphBackend(working_copy(store.oxigraph), throwaway=True), compiler)
    data = rdflib.Graph()
    expanded = rdflib.Graph()
    if with_graph or outcome.fallback:
        data = stored_descriptions(store)
        for source in (data, ontology_graph()):
            for prefix, ns in source.namespaces():
                expanded.bind(prefix, ns, override=False)
            for triple in source:
                expanded.add(triple)
        for triple in outcome.entailed:
            expanded.add(triple)
        for triple in outcome.inferred:
            expanded.add(triple)
    return EngineRun(data, expanded, fast_report(outcome, expanded))
