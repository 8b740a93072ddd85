"""Validate and classify what an embedded registry store holds, with the fast engine.

The store's source graphs and vocabularies are merged into the default graph of an
in-memory working copy (:func:`cdkg.validate.fast.working_copy.working_copy`) and evaluated there.
Nothing goes through rdflib except what a report shows for people: the text report and
the classification need the data as an rdflib graph (labels, owners, reasons); a JSON
or Turtle validation report does not.
"""

from __future__ import annotations

import rdflib

from cdkg.store import EmbeddedStore
from cdkg.store.contents import stored_descriptions
from cdkg.validate.fast.backend import OxigraphBackend
from cdkg.validate.fast.pipeline import compiled, evaluate, expanded_graph, fast_report, run_fast
from cdkg.validate.fast.working_copy import working_copy
from cdkg.validate.reference import EngineRun


def run_stored(store: EmbeddedStore, *, with_graph: bool = True) -> EngineRun:
    """The fast engine over everything loaded in ``store`` (what was loaded, not what was
    inferred from it), as :func:`cdkg.validate.reference.run_engine` gives it for files.

    ``with_graph=False`` leaves the run's data and expanded graphs empty unless a shape
    falls back to the reference engine (which needs them): enough for a report's results.
    """
    compiler = compiled()
    if compiler.rule_problems:
        out = run_fast(stored_descriptions(store))  # notes why, runs the reference engine
        assert isinstance(out, EngineRun)
        return out
    backend = OxigraphBackend(working_copy(store.oxigraph), throwaway=True)
    # a report without the graphs needs the results only, not every entailed triple
    outcome = evaluate(backend, compiler, read_entailments_only=not with_graph)
    data = rdflib.Graph()
    expanded = rdflib.Graph()
    if with_graph or outcome.fallback:
        data = stored_descriptions(store)
        expanded = expanded_graph(data, outcome)
    return EngineRun(data, expanded, fast_report(outcome, expanded))
