"""Writing to a served registry: SPARQL Update and the SPARQL 1.1 Graph Store HTTP Protocol.

Both are off unless ``cdkg serve --update-token TOKEN`` (or ``CDKG_UPDATE_TOKEN``) is
given; then every write needs ``Authorization: Bearer TOKEN`` (compared in constant time).
``LOAD`` and ``SERVICE`` stay refused, token or not: the server never fetches anything.

A Graph Store ``PUT`` or ``POST`` goes through :func:`cdkg.load.loader.load`, so the document is
read with the same safe readers and limits as ``cdkg load``, stored in its named graph and
its classification recomputed, in one atomic write. ``DELETE`` is :func:`cdkg.load.loader.remove`.
A SPARQL Update runs as one transaction of the store but does not recompute the inferred
classification: re-load the changed descriptions with ``cdkg load`` (or ``PUT`` them here).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from typing import TypeVar

import rdflib

from cdkg.errors import InputError
from cdkg.rdf.read import Source, iter_parsed
from cdkg.rdf.sparql_check import Unchecked, update_effects
from cdkg.rdf.terms import to_rdflib
from cdkg.serve.check import MEDIA_TYPES
from cdkg.serve.results import ProtocolError
from cdkg.serve.sparql import uses_service
from cdkg.store import Store, StoreError
from cdkg.store.layout import ACTIVITY_PREFIX, INFERRED_PREFIX, RESERVED_GRAPHS, is_iri

T = TypeVar("T")
#: Graphs an update may name without naming one graph.
_UNNAMED = {
    "DEFAULT": "the default graph (the union of the registry's graphs)",
    "ALL": "every graph",
    "NAMED": "every named graph",
}
READ_ONLY = (
    "this endpoint is read-only: writes are refused (change the registry with "
    "'cdkg load' and 'cdkg remove', or start 'cdkg serve' with --update-token)"
)


class Writer:
    """Authorised, serialised writes to ``store``; ``after`` runs after each write."""

    def __init__(
        self, store: Store, token: str | None, after: Callable[[], None] | None = None
    ) -> None:
        self.store = store
        self.token = token or None
        self.after = after
        self._lock = threading.Lock()

    def authorise(self, header: str | None) -> None:
        """Raise :class:`ProtocolError` 403 (no token configured) or 401 (wrong token)."""
        if self.token is None:
            raise ProtocolError(403, READ_ONLY)
        scheme, _, given = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), self.token.encode("utf-8")
        ):
            raise ProtocolError(401, "writes need 'Authorization: Bearer <update token>'")

    def _done(self) -> None:
        if self.after is not None:
            self.after()

    def write(self, action: Callable[[Store], T]) -> T:
        """Run ``action`` on the store as one serialised write (after the token is
        checked); a store failure is ``502``, an :class:`InputError` goes to the caller
        (nothing written)."""
        with self._lock:
            try:
                out = action(self.store)
            except StoreError as exc:
                raise ProtocolError(502, exc.message) from None
            self._done()
        return out

    # ------------------------------------------------------------------ SPARQL Update

    def update(self, text: str) -> None:
        """Run the SPARQL Update ``text`` after checking, from its parse tree, that it
        fetches nothing (no LOAD), calls no service, and writes only named source graphs
        (not the registry's own graphs, not the default graph, not a graph a variable
        names)."""
        try:
            effects = update_effects(text)
        except Unchecked as exc:
            if exc.kind == "syntax":
                raise ProtocolError(400, f"not valid SPARQL Update: {exc}") from None
            raise ProtocolError(400, f"the update cannot be checked: {exc}") from None
        if effects.loads:
            raise ProtocolError(403, "LOAD is refused: this endpoint never fetches documents")
        if effects.services or uses_service(text):
            raise ProtocolError(403, "SERVICE is refused: this endpoint never contacts services")
        for graph in effects.written:
            if graph in _UNNAMED or graph.startswith("?"):
                what = _UNNAMED.get(graph, f"a graph named by {graph}")
                raise ProtocolError(
                    403,
                    f"the update writes {what}: name each graph it writes "
                    "(GRAPH <IRI> or WITH <IRI>), one of the registry's source graphs",
                )
            if graph in RESERVED_GRAPHS or graph.startswith((INFERRED_PREFIX, ACTIVITY_PREFIX)):
                raise ProtocolError(
                    403, f"the graph {graph} is kept by the registry itself and cannot be written"
                )
        with self._lock:
            try:
                self.store.update(text)
            except SyntaxError as exc:
                raise ProtocolError(400, f"not valid SPARQL Update: {exc}") from None
            except StoreError as exc:
                status = 400 if "HTTP 400" in exc.message else 502
                raise ProtocolError(status, exc.message) from None
            self._done()

    # ------------------------------------------------------------------ Graph Store

    def graph_name(self, graph: str | None, default: bool, *, writing: bool) -> str:
        if default:
            raise ProtocolError(
                400,
                "the default graph is the union of the registry's graphs and cannot be "
                "read or written alone: name a graph with ?graph=IRI",
            )
        if not graph:
            raise ProtocolError(400, "name the graph with ?graph=IRI")
        if not is_iri(graph) or any(c in graph for c in '<>"{}|^`\\ \n\t'):
            raise ProtocolError(400, f"?graph={graph!r} is not an absolute IRI")
        if writing and (
            graph in RESERVED_GRAPHS or graph.startswith((INFERRED_PREFIX, ACTIVITY_PREFIX))
        ):
            raise ProtocolError(
                403, f"the graph {graph} is kept by the registry itself and cannot be written"
            )
        return graph

    def read(self, graph: str) -> rdflib.Graph:
        out = rdflib.Graph()
        for q in self.store.quads(graph):
            try:
                out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
            except ValueError as exc:  # an RDF 1.2 triple term
                raise InputError.single(graph, str(exc)) from None
        return out

    def put(self, graph: str, body: bytes, content_type: str, *, merge: bool) -> bool:
        """Store ``body`` as ``graph`` (merged with what is there when ``merge``);
        whether the graph is new."""
        from cdkg.load.loader import load

        media = content_type.split(";")[0].strip().lower()
        fmt = MEDIA_TYPES.get(media)
        if fmt is None:
            raise ProtocolError(
                415,
                f"cannot read {media or 'a body without Content-Type'} (send Turtle, "
                "N-Triples, JSON-LD, YAML-LD or RDF/XML)",
            )
        source = Source(f"request body for {graph}", fmt, body)
        with self._lock:
            try:
                created = not self.store.has_graph(graph)
                if merge and not created:
                    source = self._merged(source, graph)
                load(self.store, [], graph=graph, sources=[source], progress=False)
            except StoreError as exc:
                raise ProtocolError(502, exc.message) from None
            except InputError as exc:
                raise ProtocolError(400, "; ".join(str(p) for p in exc.problems)) from None
            self._done()
        return created

    def _merged(self, source: Source, graph: str) -> Source:
        merged = rdflib.Graph()
        for _src, ds in iter_parsed([source]):
            for s, p, o, _g in ds.quads((None, None, None, None)):
                merged.add((s, p, o))
        merged += self.read(graph)
        data = merged.serialize(format="nt", encoding="utf-8")
        return Source(source.name, "nt", data)

    def delete(self, graph: str) -> None:
        from cdkg.load.loader import remove

        with self._lock:
            if not self.store.has_graph(graph):
                raise ProtocolError(404, f"no graph {graph} in this registry")
            try:
                remove(self.store, [graph])
            except StoreError as exc:
                raise ProtocolError(502, exc.message) from None
            except InputError:
                # a graph not loaded as a source: drop it as it is
                from cdkg.store import Change

                self.store.apply(Change(drop_graphs=[graph]))
            self._done()


def graph_document(graph: rdflib.Graph, media_type: str) -> bytes:
    formats = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }
    return graph.serialize(format=formats[media_type], encoding="utf-8")
