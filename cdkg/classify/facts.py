"""The facts the explanation of a verdict reads, wherever they are held.

:class:`cdkg.classify.explainer.Explainer` asks two questions of the data: what is said
about one subject (:meth:`Facts.pairs`) and which statements use some properties
(:meth:`Facts.using`). Three holders answer them:

* :class:`PairFacts` — a subject → pairs mapping already in memory (the publishing
  snapshot, :class:`cdkg.publish.snapshot.Snapshot`, or an rdflib graph converted by
  :func:`graph_facts`);
* :class:`StoreFacts` — an Oxigraph store, asked subject by subject (the working copy of
  a load batch, which is never copied into Python as a whole).

Terms are Oxigraph's (``pyoxigraph.NamedNode``, ``BlankNode``, ``Literal``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import pyoxigraph as ox
import rdflib

from cdkg.rdf.terms import to_ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
PO = tuple[Term, Term]
#: How many subjects :class:`StoreFacts` remembers.
_CACHED = 200_000


class Facts(Protocol):
    """What is said, read-only."""

    def pairs(self, subject: Term) -> Sequence[PO]:
        """The (predicate, object) pairs stated about ``subject``."""
        ...

    def using(self, predicates: frozenset[Term]) -> Iterator[tuple[Term, Term, Term]]:
        """Every statement whose predicate is one of ``predicates``."""
        ...


class PairFacts:
    """Facts held as a subject → (predicate, object) pairs mapping."""

    def __init__(self, out: Mapping[Term, Sequence[PO]]) -> None:
        self.out = out

    def pairs(self, subject: Term) -> Sequence[PO]:
        return self.out.get(subject, ())

    def using(self, predicates: frozenset[Term]) -> Iterator[tuple[Term, Term, Term]]:
        if not predicates:
            return
        for s, pairs in self.out.items():
            for p, o in pairs:
                if p in predicates:
                    yield s, p, o


class StoreFacts:
    """Facts of one graph of an Oxigraph store (by default its default graph), read
    subject by subject as they are asked for."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph | None = None):
        self.store = store
        self.graph = graph if graph is not None else ox.DefaultGraph()
        #: What was read about IRIs asked for more than once (actors, stages, levels,
        #: types are; an initiative is read once), bounded.
        self._cache: dict[Term, Sequence[PO]] = {}
        self._asked: set[Term] = set()

    def pairs(self, subject: Term) -> Sequence[PO]:
        if isinstance(subject, ox.Literal):
            return ()
        found = self._cache.get(subject)
        if found is not None:
            return found
        found = [
            (q.predicate, q.object)
            for q in self.store.quads_for_pattern(subject, None, None, self.graph)
            if not isinstance(q.object, ox.Triple)
        ]
        if subject in self._asked:
            if len(self._cache) < _CACHED:
                self._cache[subject] = found
        elif len(self._asked) < _CACHED:
            self._asked.add(subject)
        return found

    def incoming(self, obj: Term) -> list[Term]:
        """The subjects of the statements whose object is ``obj``."""
        return [
            q.subject
            for q in self.store.quads_for_pattern(None, None, obj, self.graph)
            if not isinstance(q.subject, ox.Triple)
        ]

    def using(self, predicates: frozenset[Term]) -> Iterator[tuple[Term, Term, Term]]:
        for p in predicates:
            if not isinstance(p, ox.NamedNode):
                continue
            for q in self.store.quads_for_pattern(None, p, None, self.graph):
                if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
                    continue
                yield q.subject, p, q.object


class GraphFacts(PairFacts):
    """An rdflib graph's triples as :class:`PairFacts` (see :func:`graph_facts`)."""

    def __init__(self, graph: Iterable[tuple[rdflib.term.Node, ...]]) -> None:
        self._terms: dict[rdflib.term.Node, Term] = {}
        out: dict[Term, set[PO]] = {}
        for s, p, o in graph:
            out.setdefault(self.term(s), set()).add((self.term(p), self.term(o)))
        super().__init__({s: sorted(pairs, key=_pair_key) for s, pairs in out.items()})

    def term(self, node: rdflib.term.Node) -> Term:
        """``node`` as these facts hold it: the same Oxigraph term (blank nodes keep their
        ids), or, for an IRI Oxigraph refuses (rdflib reads relative ones), a blank node
        standing for it."""
        found = self._terms.get(node)
        if found is None:
            try:
                found = to_ox(node)
            except ValueError:
                digest = hashlib.sha256(str(node).encode("utf-8")).hexdigest()
                found = ox.BlankNode("iri" + digest[:29])
            self._terms[node] = found
        return found


def graph_facts(graph: Iterable[tuple[rdflib.term.Node, ...]]) -> GraphFacts:
    """An rdflib graph's triples as facts (blank nodes keep their ids)."""
    return GraphFacts(graph)


def _pair_key(pair: PO) -> tuple[str, str]:
    return pair[0].value, pair[1].value
