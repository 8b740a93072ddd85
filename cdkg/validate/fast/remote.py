"""The fast engine on a SPARQL 1.1 endpoint: a registry is validated where it lives.

:class:`EndpointBackend` runs the engine's queries on the server (SPARQL 1.1 Protocol,
JSON results) and writes what the engine derives with SPARQL 1.1 Update. One *work
graph* per run, ``urn:cdkg:fast:work:<uuid>``, holds everything the queries read:

1. the descriptions, copied on the server from every source graph (not the inferred,
   vocabulary or registry-record graphs, and without the classification triples a
   description claims for itself — cdkg recomputes those) by one ``INSERT … WHERE``,
   so no description leaves the server;
2. the shipped ontology and vocabularies (``INSERT DATA``), as the embedded engines use;
   their blank nodes (OWL class expressions) are written as skolem IRIs
   (``urn:cdkg:fast:bnode:…``) and read back as the same blank nodes;
3. the RDFS entailments and rule conclusions the engine adds (``INSERT DATA`` in chunks).

Queries name the work graph as their default graph (the protocol's
``default-graph-uri``). A graph is a set of triples, so an actor described in several
sources counts once — a union of the source graphs (``FROM`` each, or a server's union
default graph) repeats such triples and would skew every count. The work graph is
dropped afterwards, also on error or Ctrl-C.

The run needs an Update endpoint, and descriptions without blank nodes (SPARQL Update
cannot name a blank node the server already holds, so what the engine derives about
one could not be written). Otherwise
:func:`run_on_endpoint` says why and returns None: the caller validates a downloaded
copy instead.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from types import TracebackType

import pyoxigraph as ox
import rdflib
from rdflib import RDF

from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.terms import binding_to_ox, to_ox
from cdkg.store.contents import stored_descriptions
from cdkg.store.endpoint import EndpointStore
from cdkg.store.layout import INFERRED_PREFIX, REGISTRY_GRAPH, VOCAB_GRAPH
from cdkg.validate.fast.backend import Row, Term
from cdkg.validate.fast.pipeline import note, run_fast_on
from cdkg.validate.reference import EngineRun, without_claims

WORK_PREFIX = "urn:cdkg:fast:work:"
#: Skolem IRIs of the ontology's blank nodes in the work graph.
SKOLEM = "urn:cdkg:fast:bnode:"
#: Triples per ``INSERT DATA`` request.
CHUNK = 5000

_SOURCE_GRAPHS = (
    f"isIRI(?g) && ?g NOT IN (<{VOCAB_GRAPH}>, <{REGISTRY_GRAPH}>)"
    f' && !STRSTARTS(STR(?g), "{INFERRED_PREFIX}") && !STRSTARTS(STR(?g), "urn:cdkg:fast:")'
)
_NOT_CLAIMED = (
    f"!sameTerm(?p, <{CDKG.verdict}>)"
    f" && !sameTerm(?p, <{CDKG.initiativeType}>) && !sameTerm(?p, <{CDKG.isCitizenData}>)"
    f" && !(sameTerm(?p, <{RDF.type}>) && sameTerm(?o, <{CDKG.CitizenDataInitiative}>))"
)


class CannotRunRemotely(Exception):
    """The endpoint cannot host this run (the reason says why); download instead."""


class EndpointBackend:
    """The fast engine's :class:`~cdkg.validate.fast.backend.Backend` on a SPARQL 1.1 server.

    Use it as a context manager: entering builds the work graph, leaving drops it.
    ``select`` may be called from several threads at once (each request is its own
    HTTP connection; nothing else is shared but a counter).
    """

    def __init__(self, store: EndpointStore, *, chunk: int = CHUNK) -> None:
        self.store = store
        self.chunk = chunk
        self.graph = f"{WORK_PREFIX}{uuid.uuid4().hex}"
        self._lock = threading.Lock()
        self._skolemised: set[str] = set()
        self.queries = 0

    # ------------------------------------------------------------ the work graph

    def __enter__(self) -> EndpointBackend:
        try:
            self.open()
        except BaseException:
            self.close(quiet=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # after a failure the server may be gone: the first error is the one to report
        self.close(quiet=exc is not None)

    def open(self) -> None:
        """Copy the descriptions and the ontology into the work graph (on the server)."""
        if self.store.update_url is None:
            raise CannotRunRemotely(
                "the fast engine writes scratch graphs and this endpoint was given without "
                "--update-endpoint"
            )
        self.store.query("ASK {}")  # an unreachable server is an error, not a fallback
        try:
            self.store.update(
                f"INSERT {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}\n"
                f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({_SOURCE_GRAPHS}) "
                f"FILTER ({_NOT_CLAIMED}) }}"
            )
        except Exception as exc:
            message = getattr(exc, "message", str(exc))
            raise CannotRunRemotely(
                f"the update endpoint {self.store.update_url} refused to write a scratch "
                f"graph ({message})"
            ) from None
        blank = self.store.query(
            f"ASK {{ GRAPH <{self.graph}> {{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }} }}"
        )
        if blank.boolean:
            raise CannotRunRemotely(
                "the descriptions use blank nodes, which SPARQL Update cannot refer to"
            )
        ontology = list(ontology_graph())
        self._skolemised = {str(n) for t in ontology for n in t if isinstance(n, rdflib.BNode)}
        self._insert_all(ontology)

    def close(self, *, quiet: bool = False) -> None:
        """Drop the work graph (``quiet``: ignore a failure, e.g. a server that is gone)."""
        if self.store.update_url is None:
            return
        try:
            self.store.update(f"DROP SILENT GRAPH <{self.graph}>")
        except Exception as exc:
            if not quiet:
                message = getattr(exc, "message", str(exc))
                note(
                    f"could not remove the scratch graph <{self.graph}> from "
                    f"{self.store.name} ({message}): run DROP GRAPH <{self.graph}> there"
                )

    def _insert_all(self, triples: Sequence[tuple[rdflib.term.Node, ...]]) -> None:
        """The ontology, its blank nodes as skolem IRIs (read back as blank nodes)."""
        for start in range(0, len(triples), self.chunk):
            part = triples[start : start + self.chunk]
            lines = (" ".join(self._out(to_ox(t)) for t in triple) for triple in part)
            self._insert_text(" .\n".join(lines))

    def _insert_text(self, body: str) -> None:
        self.store.update(f"INSERT DATA {{ GRAPH <{self.graph}> {{\n{body} .\n}} }}")

    # ------------------------------------------------------------ Backend

    def select(self, query: str) -> list[Row]:
        with self._lock:
            self.queries += 1
        results = self.store.query(query, default_graph=self.graph)
        bnodes: dict[str, ox.BlankNode] = {}
        out: list[Row] = []
        for binding in results.rows:
            out.append(
                {name: self._in(binding_to_ox(value, bnodes)) for name, value in binding.items()}
            )
        return out

    def _in(self, t: Term) -> Term:
        """A skolem IRI of the uploaded ontology back as the blank node it stands for."""
        if isinstance(t, ox.NamedNode) and t.value.startswith(SKOLEM):
            return ox.BlankNode(t.value[len(SKOLEM) :])
        return t

    def _out(self, t: Term | ox.Triple) -> str:
        """``t`` in SPARQL; a blank node must be one of the ontology's (skolemised)."""
        if isinstance(t, ox.BlankNode):
            if t.value not in self._skolemised:
                raise CannotRunRemotely(
                    f"the engine derived a triple about a blank node of the data ({t}), "
                    "which SPARQL Update cannot refer to"
                )
            return f"<{SKOLEM}{t.value}>"
        return str(t)

    def insert(self, triples: Sequence[ox.Triple], graph: str) -> None:
        # every scratch graph of the engine is the work graph (its queries read them all)
        lines = [
            f"{self._out(t.subject)} {self._out(t.predicate)} {self._out(t.object)}"
            for t in triples
        ]
        for start in range(0, len(lines), self.chunk):
            self._insert_text(" .\n".join(lines[start : start + self.chunk]))

    def drop(self, graph: str) -> None:
        """Nothing to do: scratch triples live in the work graph, dropped by :meth:`close`."""


def work_graphs(store: EndpointStore) -> Iterator[str]:
    """Work graphs left on the server (by runs that were killed before cleaning up)."""
    rows = store.query(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} FILTER (STRSTARTS(STR(?g), "{WORK_PREFIX}")) }}'
    ).rows
    for row in rows:
        yield row["g"]["value"]


def run_on_endpoint(store: EndpointStore, *, with_graph: bool = True) -> EngineRun | None:
    """``--engine fast`` over what ``store`` holds, evaluated on the server.

    Returns the same :class:`~cdkg.validate.reference.EngineRun` as the fast engine over the
    downloaded descriptions, or None (after a ``cdkg: note:``) when the server cannot
    host the run. With ``with_graph=False`` (JSON or Turtle validation reports) the
    descriptions are not downloaded at all; otherwise they are read once, after the
    verdicts, for the labels and reasons of the report. Where the fast engine cannot
    compile the rules, the reference engine runs over the downloaded descriptions (see
    :func:`~cdkg.validate.fast.pipeline.run_fast_on`).
    """
    try:
        return run_fast_on(
            lambda: EndpointBackend(store),
            lambda: without_claims(stored_descriptions(store)),
            with_graph=with_graph,
        )
    except CannotRunRemotely as exc:
        note(f"{exc}; validating a downloaded copy of {store.name} instead")
        return None
