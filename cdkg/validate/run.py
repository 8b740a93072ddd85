"""Validation, as the library runs it: which engine, over what, and where.

:func:`run` validates (and so classifies: a run holds the inferred classification) an
rdflib graph or what a store holds, with the reference engine
(:mod:`cdkg.validate.reference`) or the fast one (:mod:`cdkg.validate.fast`):

* a graph: the chosen engine over it;
* an embedded store, fast engine: the store's source graphs and vocabularies are merged
  into the default graph of an in-memory working copy
  (:func:`cdkg.validate.fast.working_copy.working_copy`) and evaluated there. Nothing
  goes through rdflib except what a report shows for people: the text report and the
  classification need the data as an rdflib graph (labels, owners, reasons); a JSON or
  Turtle validation report does not;
* a SPARQL endpoint, fast engine: the engine runs on the server
  (:mod:`cdkg.validate.fast.remote`), or over a downloaded copy where the server cannot
  host the run (a note says why);
* otherwise the stored descriptions are read into an rdflib graph and validated as one.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Final

import rdflib

from cdkg.errors import InputError
from cdkg.store import EmbeddedStore, EndpointStore, Store
from cdkg.store.contents import stored_descriptions
from cdkg.validate.fast.backend import OxigraphBackend
from cdkg.validate.fast.pipeline import run_fast, run_fast_on
from cdkg.validate.fast.remote import run_on_endpoint
from cdkg.validate.fast.working_copy import working_copy
from cdkg.validate.reference import EngineRun, run_reference

#: Engines accepted by ``--engine``.
ENGINES: Final = ("reference", "fast")


def run(
    target: rdflib.Graph | Store,
    engine: str = "reference",
    *,
    with_graph: bool = True,
    close_store: bool = False,
) -> EngineRun:
    """The ``engine``'s run over ``target``: an rdflib graph, or the descriptions loaded
    in a store (what was loaded, not what was inferred from it).

    ``with_graph=False`` says the caller needs the results only (a JSON or Turtle
    validation report): a run that can do without the graphs (the fast engine in a
    store) then leaves the run's data and expanded graphs empty. ``close_store=True``
    closes a store ``target`` as soon as the run no longer reads it: when the
    descriptions are validated as an rdflib graph, once they are read (an embedded
    store's lock is then free while the engine runs). An unknown engine is an
    :class:`InputError`.
    """
    if engine not in ENGINES:
        if close_store and isinstance(target, Store):
            target.close()
        raise InputError.single(
            f"--engine {engine}", "unknown engine", hint="use one of: " + ", ".join(ENGINES)
        )
    if isinstance(target, rdflib.Graph):
        return run_fast(target) if engine == "fast" else run_reference(target)
    try:
        if engine == "fast":
            in_place = _run_in_store(target, with_graph=with_graph)
            if in_place is not None:
                return in_place
        data = stored_descriptions(target)
    finally:
        if close_store:
            target.close()
    return run(data, engine)


def _run_in_store(store: Store, *, with_graph: bool) -> EngineRun | None:
    """The fast engine where ``store`` keeps its content; None: validate a downloaded copy."""
    if isinstance(store, EmbeddedStore):
        return run_fast_on(
            lambda: nullcontext(OxigraphBackend(working_copy(store.oxigraph), throwaway=True)),
            lambda: stored_descriptions(store),
            with_graph=with_graph,
            # a report without the graphs needs the results only, not every entailed triple
            read_entailments_only=not with_graph,
        )
    if isinstance(store, EndpointStore):
        return run_on_endpoint(store, with_graph=with_graph)
    return None
