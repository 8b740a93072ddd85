"""The store interface shared by the embedded and the remote backend.

A store holds an RDF dataset (named graphs). Everything above this layer (loading,
removal, status, export, queries) speaks only this interface, so a registry can move
from one machine's embedded store to a SPARQL 1.1 server without changing its use.

Query results are kept in the SPARQL 1.1 Query Results JSON shape
(``{"type": "uri"|"literal"|"bnode", "value": ..., "xml:lang"?: ..., "datatype"?: ...}``
per binding), which both backends produce natively and ``cdkg query --format json`` prints.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cdkg.errors import InputError, Problem

#: One RDF term as in SPARQL 1.1 Query Results JSON.
Binding = dict[str, str]
#: One solution: variable name → term (unbound variables are absent).
Row = dict[str, Binding]


class StoreError(InputError):
    """A store cannot be opened or reached, or refused a request (exit code 2)."""

    def __init__(self, store: str, message: str, hint: str | None = None) -> None:
        super().__init__([Problem(store, message, hint=hint)])
        self.store = store
        self.message = message


@dataclass
class Results:
    """The answer to a SELECT (``variables`` and ``rows``) or ASK query (``boolean``).

    Rows may share a binding (one dictionary for every row holding the same term):
    read them, do not change them in place."""

    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None

    @classmethod
    def from_json(cls, doc: Any) -> Results:
        """Read a SPARQL 1.1 Query Results JSON document."""
        if not isinstance(doc, dict) or "head" not in doc:
            raise ValueError("not a SPARQL 1.1 Query Results JSON document")
        if "boolean" in doc:
            return cls(boolean=bool(doc["boolean"]))
        variables = [str(v) for v in doc["head"].get("vars", [])]
        rows = [
            {str(k): {str(a): str(b) for a, b in v.items()} for k, v in row.items()}
            for row in doc.get("results", {}).get("bindings", [])
        ]
        return cls(variables, rows)

    def to_json(self) -> dict[str, Any]:
        """This answer as a SPARQL 1.1 Query Results JSON document."""
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": self.rows}}


@dataclass(frozen=True)
class SourceText:
    """A source document written as it was read, into one named graph (no blank nodes)."""

    data: str | bytes
    format: ox.RdfFormat
    base_iri: str
    graph: str


@dataclass(frozen=True)
class Payload:
    """Quads for a store's bulk loader: serialised as N-Quads (named graphs only), and
    source documents to be parsed straight into their graphs.

    Blank-node labels are scoped to the payload: a store may rename them, consistently.
    """

    nquads: bytes
    #: Every graph the payload writes to.
    graphs: tuple[str, ...]
    sources: tuple[SourceText, ...] = ()

    def quads(self) -> list[ox.Quad]:
        out = list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)) if self.nquads else []
        for src in self.sources:
            graph = ox.NamedNode(src.graph)
            triples = ox.parse(src.data, format=src.format, base_iri=src.base_iri)
            out += (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        return out


class Prewrite(ABC):
    """Source texts a store started writing into new graphs ahead of the change that
    will include them (see :meth:`Store.prewrite`)."""

    #: The graphs being written.
    graphs: frozenset[str]

    @abstractmethod
    def wait(self) -> None:
        """Wait until the texts are written (raises what writing them raised)."""

    @abstractmethod
    def abort(self) -> None:
        """Remove what was written: the change will not be applied."""


@dataclass
class Change:
    """One all-or-nothing write: drop graphs, delete what is said about some subjects in
    one graph, then insert quads (and a bulk :class:`Payload`). Backends apply it in a
    single transaction (or undo it)."""

    drop_graphs: list[str] = field(default_factory=list)
    #: (graph, subject) pairs: every triple ``subject ?p ?o`` in ``graph`` is deleted.
    delete_about: list[tuple[str, str]] = field(default_factory=list)
    insert: list[ox.Quad] = field(default_factory=list)
    payload: Payload | None = None
    #: Source texts of the payload the store is already writing (see :meth:`Store.prewrite`).
    prewritten: Prewrite | None = None
    #: Called once as the store starts its longest write (a store that has none calls
    #: it before writing): e.g. to free memory while the store works without Python.
    meanwhile: Callable[[], None] | None = None

    def started(self) -> None:
        """Call :attr:`meanwhile`, once."""
        hook, self.meanwhile = self.meanwhile, None
        if hook is not None:
            hook()

    def inserted(self) -> list[ox.Quad]:
        """Every quad the change inserts (``insert`` and the payload's)."""
        return self.insert + (self.payload.quads() if self.payload else [])

    def update_text(self) -> str:
        """The change as one SPARQL 1.1 Update request."""
        ops = [f"DROP SILENT GRAPH <{g}>" for g in self.drop_graphs]
        ops += [f"DELETE WHERE {{ GRAPH <{g}> {{ <{s}> ?p ?o }} }}" for g, s in self.delete_about]
        inserted = self.inserted()
        if inserted:
            ops.append("INSERT DATA {\n" + "\n".join(_graph_blocks(inserted)) + "\n}")
        return " ;\n".join(ops)


def _graph_blocks(quads: list[ox.Quad]) -> Iterator[str]:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise ValueError("cdkg writes named graphs only")
        by_graph.setdefault(q.graph_name.value, []).append(
            f"{q.subject} {q.predicate} {q.object} ."
        )
    for graph, lines in by_graph.items():
        yield f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}"


class Store(ABC):
    """A registry's dataset: embedded on disk or behind a SPARQL 1.1 endpoint."""

    #: How the store is named in messages and in federated results.
    name: str

    @abstractmethod
    def query(self, sparql: str, *, timeout: float | None = None) -> Results:
        """Run a SELECT or ASK query whose default graph is the union of all named graphs."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Apply ``change`` atomically: all of it or, on any error, none of it."""

    def prewrite(self, texts: Sequence[SourceText]) -> Prewrite | None:
        """Start writing ``texts`` into their graphs, which must not exist yet, while the
        caller works out the rest of a change; or None if this store does not.

        The change that follows names it in :attr:`Change.prewritten` and still carries
        the texts in its payload. Until that change is applied, the texts are not part
        of the registry: a failure, :meth:`Prewrite.abort` or a process cut off removes
        them.
        """
        return None

    def update(self, sparql: str) -> None:
        """Run one SPARQL 1.1 Update request atomically (a syntax error raises
        :class:`SyntaxError` or a :class:`StoreError` saying HTTP 400)."""
        raise StoreError(self.name, "this store cannot run SPARQL Update")

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad in the named graphs (or in ``graph`` only)."""

    @abstractmethod
    def has_graph(self, graph: str) -> bool:
        """Whether the named graph ``graph`` holds at least one triple."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (flush to disk, close connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
