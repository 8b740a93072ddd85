"""Where the fast engine's SPARQL runs: an Oxigraph store (embedded) or a SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import pyoxigraph as ox
import rdflib

from cdkg.rdf.terms import OxTerm, to_ox

Term = OxTerm
Row = dict[str, Term]


class Backend(Protocol):
    """The few operations the fast engine needs from a store."""

    def select(self, query: str) -> list[Row]:
        """Run a SELECT whose default graph is the data + ontology + scratch graphs."""

    def insert(self, triples: Sequence[ox.Triple], graph: str) -> None:
        """Add ``triples`` to the scratch graph ``graph`` (seen by later queries)."""

    def drop(self, graph: str) -> None:
        """Remove the scratch graph ``graph``."""


class OxigraphBackend:
    """An Oxigraph store (in memory or on disk).

    ``default_graphs`` lists the graphs that make up the data (None: all graphs, as a
    union); scratch graphs written by the engine are added to it automatically.
    With ``throwaway=True`` the store is a working copy whose default graph holds the
    data: queries read the default graph and scratch triples are written into it.
    """

    def __init__(
        self,
        store: ox.Store,
        default_graphs: Sequence[str] | None = None,
        *,
        throwaway: bool = False,
    ) -> None:
        self.store = store
        self.throwaway = throwaway
        self.graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            None if default_graphs is None else [ox.NamedNode(g) for g in default_graphs]
        )
        self.queries = 0

    def select(self, query: str) -> list[Row]:
        self.queries += 1
        if self.throwaway:
            solutions = self.store.query(query)
        elif self.graphs is None:
            solutions = self.store.query(query, use_default_graph_as_union=True)
        else:
            solutions = self.store.query(query, default_graph=self.graphs)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        out: list[Row] = []
        for sol in solutions:
            row: Row = {}
            for i, name in enumerate(names):
                value = sol[i]
                if value is not None:
                    row[name] = value
            out.append(row)
        return out

    def insert(self, triples: Sequence[ox.Triple], graph: str) -> None:
        if self.throwaway:
            self.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
            return
        g = ox.NamedNode(graph)
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
        if self.graphs is not None and g not in self.graphs:
            self.graphs.append(g)

    def insert_where(self, template: str, where: str, graph: str, prologue: str = "") -> bool:
        """``INSERT { template } WHERE { where }`` into the scratch graph ``graph``, inside
        the store (no solution passes through Python); ``where`` reads what :meth:`select`
        reads. False (nothing written) where an update cannot read that: a union default
        graph over a store whose default graph holds triples, or with a blank-node graph.
        """
        if self.throwaway:
            self.store.update(f"{prologue}INSERT {{ {template} }} WHERE {{ {where} }}")
            return True
        graphs = self.graphs
        if graphs is None:
            if next(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None):
                return False
            graphs = list(self.store.named_graphs())
        if not graphs or not all(isinstance(g, ox.NamedNode) for g in graphs):
            return False
        using = "".join(f"USING {g} " for g in graphs)
        g = ox.NamedNode(graph)
        self.store.update(
            f"{prologue}INSERT {{ GRAPH {g} {{ {template} }} }} {using}WHERE {{ {where} }}"
        )
        if self.graphs is not None and g not in self.graphs:
            self.graphs.append(g)
        return True

    def insert_apart(self, template: str, where: str, graph: str) -> bool:
        """``INSERT { GRAPH graph { template } } WHERE { where }``: ``where`` reads what
        :meth:`select` reads, and the triples go to the named graph ``graph``, which
        :meth:`select` reads only where a query names it (``GRAPH``). False (nothing
        written) where every graph is read as data (a union default graph)."""
        g = ox.NamedNode(graph)
        if self.throwaway:
            using = ""
        elif not self.graphs or not all(isinstance(d, ox.NamedNode) for d in self.graphs):
            return False
        else:
            using = "".join(f"USING {d} " for d in self.graphs)
        self.store.update(f"INSERT {{ GRAPH {g} {{ {template} }} }} {using}WHERE {{ {where} }}")
        return True

    def remove_apart(self, graph: str) -> None:
        """Remove the graph :meth:`insert_apart` wrote (in a working copy too)."""
        g = ox.NamedNode(graph)
        if self.store.contains_named_graph(g):
            self.store.remove_graph(g)

    def delete_where(self, pattern: str, graph: str) -> None:
        """``DELETE WHERE { pattern }`` in the scratch graph ``graph`` (in a working copy,
        where :meth:`drop` leaves everything, too)."""
        if self.throwaway:
            self.store.update(f"DELETE WHERE {{ {pattern} }}")
        else:
            self.store.update(f"DELETE WHERE {{ GRAPH {ox.NamedNode(graph)} {{ {pattern} }} }}")

    def drop(self, graph: str) -> None:
        if self.throwaway:
            return
        g = ox.NamedNode(graph)
        if self.store.contains_named_graph(g):
            self.store.remove_graph(g)
        if self.graphs is not None and g in self.graphs:
            self.graphs.remove(g)


# --------------------------------------------------------------------------- graphs


def store_from_graphs(graphs: Iterable[tuple[str, rdflib.Graph]]) -> ox.Store:
    """An in-memory Oxigraph store holding each rdflib graph as a named graph."""
    store = ox.Store()
    for name, graph in graphs:
        g = ox.NamedNode(name)
        store.extend(
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)  # type: ignore[arg-type]
            for s, p, o in graph
        )
    return store
