"""The stock path: rdflib + owlrl RDFS + pySHACL (SHACL-AF), whole-graph or partitioned.

Both variants run the same stock tools with the same settings over the same ontology and
shapes: every data triple and the whole ontology (``cdkg.model.ontology.ontology_graph``) in
one rdflib graph, ``pyshacl.validate(inference="rdfs", advanced=True)`` with the merged
``shapes/*.ttl`` — none of cdkg's own shortcuts (no query cache, no pre-closed ontology).

* :func:`whole_graph` validates the whole registry as one graph. pySHACL evaluates each
  SPARQL constraint and rule once per focus node over the whole graph, so its cost grows
  with (focus nodes x graph): 816 s at 1,000 initiatives, more than 900 s at 10,000.
* :func:`partitioned` validates *partitions* of the registry — each a batch of
  initiatives with everything they reach — in worker processes, and merges the
  results as a set.

Why a partition gives the whole graph's verdicts (for cdkg's shapes)
--------------------------------------------------------------------
A partition is the *forward closure* of its roots: every data triple whose subject can be
reached from a root by following triples from subject to object (actors, their classes,
engagements, datasets, and whatever those point at), plus every *schema* triple of the data
(:data:`SCHEMA`: class and property declarations such as a locally declared actor
subclass), plus the whole ontology. Roots are the initiatives (subjects typed
``cdkg:Initiative`` or of ``cdkg:initiatedBy``), then every subject no initiative reaches,
so each data triple is in some partition.

1. *Every focus node of the whole graph is a focus node in some partition*: cdkg's
   shapes target ``cdkg:Initiative``, ``cdkg:Engagement`` and person classes, and the
   subjects or objects of ``cdkg:initiatedBy``, ``cdkg:collaborator``,
   ``cdkg:hasEngagement``, ``prov:generated``. The triple that makes a node a target is
   in the partition of a root that reaches its subject (every triple is in some partition).
2. *What a focus node's verdict reads is in every partition that holds it*: each
   constraint and rule of ``shapes/*.ttl`` reads only forward paths from ``$this``
   (``$this p ?v``, ``?v q ?w``, ``rdf:type/rdfs:subClassOf*``, ``cdkg:stage/skos:broader*``,
   ``cdkg:participationLevel/cdkg:rank``) plus class axioms read backwards
   (``^owl:equivalentClass``), which are schema triples or ontology triples, present in
   every partition. A partition holds a node's forward closure entirely, so every
   constraint sees the same triples. Rule conclusions about a node are computed from
   its forward closure, so they are the same too, and so are the constraints that read
   them. Counting constraints (``sh:minCount``/``sh:maxCount``) count forward values.
3. *RDFS inference adds the same triples to a node's closure*, with one exception that is
   checked rather than assumed: subclass, subproperty and domain entailments follow from
   a node's own (forward) triples and schema; a *range* entailment follows from an
   incoming triple ``?w p X``, which a partition may lack. :func:`check_ranges` verifies,
   for every node of every partition, that the classes entailed for it by incoming
   triples are the same in the partition as in the whole graph (with the classes its own
   triples entail); a partition for which that fails raises :class:`UnsoundPartition`
   instead of giving a possibly different verdict. In cdkg's ontology every range of a
   property that links resources is a class that no shape tests by exclusion
   (``cdkg:Actor``, ``cdkg:Engagement``, concept schemes), and the check has never fired
   on generated registries.

Partitions overlap (a popular actor is in many), so a result about a shared node is found
several times; the merged set counts it once.

The same argument makes a *sample* sound (:func:`sampled`): the partitions of a seeded
random sample of initiatives give, for every node they hold, the verdicts the whole graph
gives it, so the fast engine's results about those nodes (and the classifications of those
initiatives) must equal the sample's. The benchmark uses it where the full stock run would
take hours, and says so. ``tests/test_bench_stock.py`` checks that
both variants give the same results and classifications on generated registries, and the
benchmark compares them again at its ``--whole-stock-sizes``.
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, URIRef
from rdflib.term import Node

from cdkg.model.namespaces import CDKG, VERDICT

Triple = tuple[Node, Node, Node]
#: One classification: (initiative, type or None, is citizen data or None, verdict), the
#: type and citizen data None where Contract 3 (revision 2) leaves the verdict to be assessed.
Classified = tuple[str, str | None, bool | None, str]
#: One verdict set: results as (focus node, source shape, severity) and classifications.
Verdicts = tuple[set[tuple[str, str, str]], set[Classified]]

#: Data triples copied into every partition: class and property axioms.
SCHEMA = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
    }
)
#: Initiatives per partition: pySHACL's cost per initiative grows with the graph, so small
#: batches are faster; each batch also pays for the ontology's RDFS closure.
DEFAULT_BATCH = 25


class UnsoundPartition(RuntimeError):
    """A partition would see fewer RDFS range entailments for a node than the whole graph."""


# ----------------------------------------------------------------------------- the graph


def read_registry(files: Iterable[Path]) -> rdflib.Graph:
    """Every file parsed (Turtle, N-Triples) into one rdflib graph, as the stock path does."""
    graph = rdflib.Graph()
    for f in files:
        graph.parse(f, format="nt" if f.suffix == ".nt" else "turtle")
    return graph


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    from cdkg.model.resources import data_files

    shapes = rdflib.Graph()
    for entry in data_files("shapes", ".ttl"):
        shapes.parse(data=entry.read_bytes(), format="turtle")
    return shapes


@lru_cache(maxsize=1)
def _ontology() -> rdflib.Graph:
    from cdkg.model.ontology import ontology_graph

    return ontology_graph()


def validate_graph(graph: rdflib.Graph) -> Verdicts:
    """The stock tools over ``graph`` (modified in place: ontology added, then inferences)."""
    import pyshacl

    from cdkg.validate.report import ValidationReport

    graph += _ontology()
    _conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=_shapes(),
        inference="rdfs",
        advanced=True,
        inplace=True,
        allow_infos=True,
        allow_warnings=True,
    )
    assert isinstance(results, rdflib.Graph)
    report = ValidationReport.from_results_graph(results, graph)
    found = {(r.focus_node, r.source_shape, r.severity) for r in report.results}
    return found, classifications(graph)


def classifications(graph: rdflib.Graph) -> set[Classified]:
    """Every initiative's inferred verdict, type and citizen data (as the fast engine's)."""
    found: set[Classified] = set()
    nodes = {
        s
        for p in (CDKG.verdict, CDKG.initiativeType, CDKG.isCitizenData)
        for s in graph.subjects(p, None)
    }
    for s in nodes:
        kind = graph.value(s, CDKG.initiativeType)
        citizen = graph.value(s, CDKG.isCitizenData)
        verdict = graph.value(s, CDKG.verdict)
        found.add(
            (
                str(s),
                None if kind is None else str(kind),
                None if citizen is None else citizen == rdflib.Literal(True),
                "" if verdict is None else str(verdict).removeprefix(str(VERDICT)),
            )
        )
    return found


def whole_graph(graph: rdflib.Graph) -> Verdicts:
    """The stock path over the whole registry at once."""
    return validate_graph(graph)


# ------------------------------------------------------------------------- partitioning


@dataclass
class Index:
    """The data graph indexed for closures and the range check."""

    out: dict[Node, list[Triple]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    schema: list[Triple] = field(default_factory=list)

    @classmethod
    def of(cls, graph: rdflib.Graph) -> Index:
        index = cls()
        for s, p, o in graph:
            if p in SCHEMA:
                index.schema.append((s, p, o))
            index.out[s].append((s, p, o))
            if isinstance(o, URIRef | BNode):
                index.incoming[o].add(p)
        return index


def initiatives(graph: rdflib.Graph) -> list[Node]:
    """The registry's initiatives, sorted: typed ``cdkg:Initiative`` or initiating subjects."""
    found = set(graph.subjects(RDF.type, CDKG.Initiative))
    found.update(graph.subjects(CDKG.initiatedBy, None))
    return sorted(found, key=str)


def closure(roots: Iterable[Node], index: Index) -> set[Node]:
    """Every subject reachable from ``roots`` by following triples forward."""
    seen: set[Node] = set()
    todo = [r for r in roots]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _s, _p, o in index.out.get(node, ()):
            if o not in seen and o in index.out:
                todo.append(o)
    return seen


def batches(graph: rdflib.Graph, size: int) -> list[list[Node]]:
    """Roots in batches of ``size``: the initiatives, then subjects no initiative reaches."""
    roots = initiatives(graph)
    index = Index.of(graph)
    covered = closure(roots, index)
    rest = sorted((s for s in index.out if s not in covered), key=str)
    groups = [roots[i : i + size] for i in range(0, len(roots), size)]
    groups += [rest[i : i + size] for i in range(0, len(rest), size)]
    return groups


def partition(roots: Sequence[Node], index: Index) -> list[Triple]:
    """The forward closure of ``roots`` plus the data's schema triples."""
    triples = {t for node in closure(roots, index) for t in index.out[node]}
    triples.update(index.schema)
    return list(triples)


# ------------------------------------------------------------------------ the range check


class _Schema:
    """Range, domain and superclass lookups over the ontology and the data's schema."""

    def __init__(self, schema: Iterable[Triple]) -> None:
        graph = rdflib.Graph()
        for t in _ontology().triples((None, None, None)):
            if t[1] in SCHEMA:
                graph.add(t)
        for t in schema:
            graph.add(t)
        self.graph = graph
        self._ranges: dict[Node, frozenset[Node]] = {}
        self._supers: dict[frozenset[Node], frozenset[Node]] = {}

    def ranges(self, predicate: Node) -> frozenset[Node]:
        if predicate not in self._ranges:
            props = set(self.graph.transitive_objects(predicate, RDFS.subPropertyOf))
            self._ranges[predicate] = frozenset(
                r for p in props for r in self.graph.objects(p, RDFS.range)
            )
        return self._ranges[predicate]

    def supers(self, classes: frozenset[Node]) -> frozenset[Node]:
        if classes not in self._supers:
            self._supers[classes] = frozenset(
                c
                for k in classes
                for c in self.graph.transitive_objects(k, RDFS.subClassOf)
                if c is not None
            )
        return self._supers[classes]


def check_ranges(triples: Sequence[Triple], index: Index, schema: _Schema) -> None:
    """Raise :class:`UnsoundPartition` if a node's range entailments differ from the whole.

    For every node that is the object of a triple in the partition, the classes entailed
    by the ranges of *all* its incoming predicates in the whole graph must already be
    entailed (as superclasses) by its types in the partition and the ranges of the
    incoming predicates the partition holds.
    """
    local: dict[Node, set[Node]] = defaultdict(set)
    types: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o in triples:
        if isinstance(o, URIRef | BNode):
            local[o].add(p)
        if p == RDF.type:
            types[s].add(o)
    for node, preds in local.items():
        whole = index.incoming.get(node, set())
        if whole <= preds:
            continue
        have = frozenset(types[node]).union(*(schema.ranges(p) for p in preds))
        need = frozenset().union(*(schema.ranges(p) for p in whole))
        missing = schema.supers(need) - schema.supers(have)
        if missing:
            raise UnsoundPartition(
                f"{node}: the whole graph entails rdf:type {sorted(map(str, missing))} for it "
                "from triples outside its partition; validate this registry whole"
            )


# ----------------------------------------------------------------------- partitioned run


def _work(triples: list[Triple]) -> Verdicts:
    graph = rdflib.Graph()
    for t in triples:
        graph.add(t)
    return validate_graph(graph)


def _parts(graph: rdflib.Graph, groups: list[list[Node]]) -> Iterator[list[Triple]]:
    index = Index.of(graph)
    schema = _Schema(index.schema)
    for roots in groups:
        triples = partition(roots, index)
        check_ranges(triples, index, schema)
        yield triples


def partitioned(
    graph: rdflib.Graph,
    *,
    batch: int = DEFAULT_BATCH,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Verdicts, dict[str, Any]]:
    """The stock path over partitions of ``graph`` in ``workers`` processes, merged as sets.

    ``progress(done, total)`` is called as partitions finish (a run takes hours at 10,000).
    """
    results: set[tuple[str, str, str]] = set()
    classes: set[Classified] = set()
    groups = batches(graph, batch)
    parts = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for found, classified in pool.map(_work, _parts(graph, groups)):
            results |= found
            classes |= classified
            parts += 1
            if progress is not None:
                progress(parts, len(groups))
    return (results, classes), {"partitions": parts, "batch": batch, "workers": workers}


def sample_groups(graph: rdflib.Graph, k: int, seed: int, batch: int) -> list[list[Node]]:
    """A seeded random sample of ``k`` initiatives, sorted, in batches of ``batch``."""
    chosen = random.Random(seed).sample(initiatives(graph), k)
    chosen.sort(key=str)
    return [chosen[i : i + batch] for i in range(0, len(chosen), batch)]


def partition_nodes(triples: Iterable[Triple]) -> set[Node]:
    """Every IRI or blank node that is the subject or object of one of ``triples``."""
    return {t for s, _p, o in triples for t in (s, o) if isinstance(t, URIRef | BNode)}


def sampled(
    graph: rdflib.Graph,
    k: int,
    *,
    seed: int = 0,
    batch: int = DEFAULT_BATCH,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Verdicts, set[Node], dict[str, Any]]:
    """The partitioned stock path over the partitions of a sample of ``k`` initiatives.

    Returns the merged verdicts, the nodes of the sampled partitions' data triples (the
    nodes whose verdicts the sample decides; the ontology's are not among them), and the
    timings: ``setup_seconds`` (indexing and cutting the partitions, which a full run pays
    once) and ``validate_seconds`` (the stock tools over the partitions, which a full run
    pays for every initiative).
    """
    started = time.perf_counter()
    groups = sample_groups(graph, k, seed, batch)
    index = Index.of(graph)
    schema = _Schema(index.schema)
    parts: list[list[Triple]] = []
    nodes: set[Node] = set()
    for roots in groups:
        triples = partition(roots, index)
        check_ranges(triples, index, schema)
        nodes |= partition_nodes(triples)
        parts.append(triples)
    setup = time.perf_counter() - started
    started = time.perf_counter()
    results: set[tuple[str, str, str]] = set()
    classes: set[Classified] = set()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for done, (found, classified) in enumerate(pool.map(_work, parts), start=1):
            results |= found
            classes |= classified
            if progress is not None:
                progress(done, len(parts))
    info = {
        "partitions": len(parts),
        "batch": batch,
        "workers": workers,
        "sample": k,
        "seed": seed,
        "setup_seconds": round(setup, 2),
        "validate_seconds": round(time.perf_counter() - started, 2),
    }
    return (results, classes), nodes, info


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)
