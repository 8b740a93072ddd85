"""Load descriptions into a registry store, and remove them.

A batch is all-or-nothing: every source is read, parsed, converted and classified
before anything is written; any problem raises :class:`~cdkg.errors.InputError` naming
the file and line, and the store is left as it was. The write itself is one atomic
:class:`~cdkg.store.Change` (see :mod:`cdkg.store.layout` for the graphs it touches).
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import RDF, XSD
from rdflib.namespace import DCTERMS, OWL, PROV
from tqdm import tqdm

from cdkg.classify.facts import StoreFacts
from cdkg.classify.result import InitiativeResult
from cdkg.classify.stored import explain_classified, explanation_triples
from cdkg.classify.verdicts import classify
from cdkg.errors import InputError, Problem
from cdkg.load.batch import classification, read_batch
from cdkg.model import ontology
from cdkg.model.resources import data_files
from cdkg.rdf.memory import gc_paused
from cdkg.rdf.read import Source, iter_parsed, read_sources
from cdkg.rdf.terms import TermConverter, graph_quads, to_ox
from cdkg.store import Change, Prewrite, Store
from cdkg.store.layout import (
    ACTIVITY_PREFIX,
    REGISTRY_GRAPH,
    VOCAB_GRAPH,
    VOID,
    inferred_graph,
    is_iri,
    source_graph,
)
from cdkg.validate.fast.pipeline import compiled, fast_outcome
from cdkg.validate.reference import without_claims

#: Batches with at least this many files show a progress bar (on a terminal).
PROGRESS_THRESHOLD = 20

T = TypeVar("T")


@dataclass(frozen=True)
class LoadedSource:
    name: str
    graph: str
    triples: int
    inferred: int
    replaced: bool


@dataclass(frozen=True)
class BatchValidation:
    """What validating the loaded batch found: its descriptions validated together, on
    their own (as they are classified), not with what the store held before.

    Counted are the focus nodes with at least one result of each severity.
    """

    violations: int
    warnings: int
    infos: int
    #: Why the counts are incomplete (shapes the fast engine leaves to the reference
    #: engine are not validated during a load), or None.
    incomplete: str | None = None

    @property
    def conforms(self) -> bool | None:
        """No violation; None when the validation is incomplete and found none."""
        if self.violations:
            return False
        return None if self.incomplete else True

    @classmethod
    def of(
        cls, severities: Iterable[tuple[str, object]], incomplete: str | None = None
    ) -> BatchValidation:
        """From (severity IRI, focus node) of every result."""
        nodes: dict[str, set[object]] = {}
        for severity, focus in severities:
            nodes.setdefault(severity.rsplit("#", 1)[-1], set()).add(focus)
        return cls(
            violations=len(nodes.get("Violation", ())),
            warnings=len(nodes.get("Warning", ())),
            infos=len(nodes.get("Info", ())),
            incomplete=incomplete,
        )

    def summary(self) -> str:
        """One line for the person loading, e.g. ``does not conform: 12 nodes with violations``."""
        counts = [
            f"{n:,} node(s) with {label}"
            for n, label in ((self.violations, "violations"), (self.warnings, "warnings"),
                             (self.infos, "infos"))
            if n
        ]  # fmt: skip
        if self.incomplete:
            verdict = f"not fully validated ({self.incomplete})"
        else:
            verdict = "conforms" if self.violations == 0 else "does not conform"
        return verdict + (": " + ", ".join(counts) if counts else "")


@dataclass
class LoadReport:
    store: str
    sources: list[LoadedSource] = field(default_factory=list)
    vocabulary_loaded: bool = False
    seconds: float = 0.0
    #: The batch's validation (computed with its classification), or None.
    validation: BatchValidation | None = None

    @property
    def triples(self) -> int:
        return sum(s.triples for s in self.sources)

    @property
    def inferred(self) -> int:
        return sum(s.inferred for s in self.sources)


@dataclass
class _Parsed:
    source: Source
    graph_iri: str
    graph: rdflib.Graph


class Disposal:
    """Large objects freed on a thread of their own, while the caller's Oxigraph work
    goes on.

    Freeing an in-memory store of millions of triples takes a second or two, and holds
    Python's lock all along, so it only overlaps with work that does not need the lock:
    Oxigraph's parsing, queries and updates. :meth:`drop` takes the objects and
    :meth:`start` sets them free: call it just before such work. :meth:`join` waits
    until they are.
    """

    def __init__(self) -> None:
        self._pending: list[threading.Event] = []
        self._threads: list[threading.Thread] = []

    def drop(self, held: list[object]) -> None:
        """Take what ``held`` holds, to free it at the next :meth:`start` (the caller
        keeps no other reference to it)."""
        go = threading.Event()

        def free() -> None:
            go.wait()
            held.clear()

        thread = threading.Thread(target=free, name="cdkg-free", daemon=True)
        thread.start()
        self._pending.append(go)
        self._threads.append(thread)

    def start(self) -> None:
        for go in self._pending:
            go.set()
        self._pending.clear()

    def join(self) -> None:
        self.start()
        for thread in self._threads:
            thread.join()
        self._threads.clear()


def _progress(items: Sequence[T], label: str, enabled: bool | None) -> Iterable[T]:
    if enabled is None:
        enabled = len(items) >= PROGRESS_THRESHOLD and sys.stderr.isatty()
    if not enabled:
        return items
    bar: Iterable[T] = tqdm(items, desc=label, unit="file", file=sys.stderr, leave=False)
    return bar


def _graph_for(source: Source, explicit: str | None, count: int) -> str:
    if explicit is not None:
        if count != 1:
            raise InputError.single(
                explicit, "--graph names the graph of one source", hint="load one file at a time"
            )
        if not is_iri(explicit):
            raise InputError.single(
                explicit, "not an absolute IRI", hint="e.g. --graph urn:example:my-description"
            )
        return explicit
    if source.path is None:
        raise InputError.single(
            source.name,
            "a description read from standard input needs a graph name",
            hint="pass --graph IRI (re-loading with the same IRI replaces it)",
        )
    return source_graph(source.path)


def parse_batch(
    paths: Sequence[str],
    *,
    input_format: str | None = None,
    graph: str | None = None,
    progress: bool | None = None,
    sources: Sequence[Source] | None = None,
) -> list[_Parsed]:
    """Read and parse every source (``paths``, or ``sources`` already read, e.g. a request
    body); raise one :class:`InputError` listing every problem."""
    if sources is None:
        sources = read_sources(paths, input_format)
    parsed: dict[str, _Parsed] = {}
    for source, ds in iter_parsed(_progress(sources, "parsing", progress)):
        iri = _graph_for(source, graph, len(sources))
        flat = rdflib.Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            flat.add((s, p, o))
        # what a description claims about its own classification is recomputed, not kept
        parsed.setdefault(iri, _Parsed(source, iri, without_claims(flat)))
    return list(parsed.values())


# ------------------------------------------------------------------ classification


def classify_and_validate(
    graphs: dict[str, rdflib.Graph], *, engine: str = "reference"
) -> tuple[dict[str, rdflib.Graph], BatchValidation, dict[str, list[InitiativeResult]]]:
    """What the classifier infers, split by the source graph describing each initiative,
    what validating the sources together found, and each initiative's classification
    (reasons, missing facts, findings) under the first source describing it, to be stored
    with :func:`cdkg.classify.stored.explanation_triples`.

    The changed sources are classified together (so a batch may describe actors in one
    file and initiatives in another); each inferred triple goes to the inferred graph
    of every source that describes its subject.
    """
    out: dict[str, rdflib.Graph] = {iri: rdflib.Graph() for iri in graphs}
    merged = rdflib.Graph()
    for g in graphs.values():
        for triple in g:
            merged.add(triple)
    report = classify(merged, engine=engine)
    validation = BatchValidation.of((r.severity, r.focus_term) for r in report.validation.results)
    inferred = report.inferred_graph()
    subjects = set(inferred.subjects())
    owners: dict[rdflib.term.Node, list[str]] = {}
    for iri, g in graphs.items():
        for s in set(g.subjects()) & subjects:
            owners.setdefault(s, []).append(iri)
    for s, p, o in inferred:
        for iri in owners.get(s, ()):
            out[iri].add((s, p, o))
    explained: dict[str, list[InitiativeResult]] = {iri: [] for iri in graphs}
    for result in report.initiatives:  # the words go to one source's inferred graph
        described = sorted(owners.get(result.node, ()))
        if described:
            explained[described[0]].append(result)
    return out, validation, explained


# ------------------------------------------------------------------ registry records


def known_sources(store: Store) -> dict[str, str]:
    """Source graph IRI → the name it was loaded from, from the registry records."""
    rows = store.query(
        f"SELECT ?g ?name WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ ?g <{DCTERMS.source}> ?name }} }}"
    ).rows
    return {r["g"]["value"]: r["name"]["value"] for r in rows}


def vocabulary_version() -> str:
    """A digest of the shipped ontology files (changes with every release that edits them)."""
    digest = hashlib.sha256()
    for entry in data_files("ontology", ".ttl", recursive=True):
        digest.update(entry.name.encode())
        digest.update(entry.read_bytes())
    return "sha256:" + digest.hexdigest()


def _stored_vocabulary_version(store: Store) -> str | None:
    pattern = f"<{VOCAB_GRAPH}> <{OWL.versionInfo}> ?v"
    sparql = f"SELECT ?v WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ {pattern} }} }}"
    rows = store.query(sparql).rows
    return rows[0]["v"]["value"] if rows else None


def _quad(s: str, p: rdflib.URIRef, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(str(p)), o, ox.NamedNode(REGISTRY_GRAPH))


def _now() -> ox.Literal:
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return ox.Literal(stamp, datatype=ox.NamedNode(str(XSD.dateTime)))


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer)))


def _activity(kind: rdflib.URIRef, graphs: Iterable[str], when: ox.Literal) -> Iterator[ox.Quad]:
    activity = f"{ACTIVITY_PREFIX}{uuid.uuid4()}"
    yield _quad(activity, RDF.type, ox.NamedNode(str(PROV.Activity)))
    yield _quad(activity, PROV.endedAtTime, when)
    for g in graphs:
        yield _quad(activity, kind, ox.NamedNode(g))


def _vocabulary_change(store: Store, change: Change) -> bool:
    """Add (or refresh) the shipped vocabularies to ``change``; True if they were added."""
    version = vocabulary_version()
    if _stored_vocabulary_version(store) == version:
        return False
    change.drop_graphs.append(VOCAB_GRAPH)
    change.delete_about.append((REGISTRY_GRAPH, VOCAB_GRAPH))
    change.insert.extend(graph_quads(ontology.ontology_graph(), VOCAB_GRAPH))
    change.insert.append(_quad(VOCAB_GRAPH, OWL.versionInfo, ox.Literal(version)))
    return True


# ------------------------------------------------------------------ load and remove


def _record(
    change: Change,
    item: tuple[str, str],
    counts: tuple[int, int],
    known: dict[str, str],
    when: ox.Literal,
) -> LoadedSource:
    """Replace the source graph ``item`` = (name, graph IRI) and record it in the registry."""
    name, g = item
    i = inferred_graph(g)
    change.drop_graphs += [g, i]
    if g in known:
        change.delete_about += [(REGISTRY_GRAPH, g), (REGISTRY_GRAPH, i)]
    change.insert += [
        _quad(g, RDF.type, ox.NamedNode(str(PROV.Entity))),
        _quad(g, DCTERMS.source, ox.Literal(name)),
        _quad(g, DCTERMS.modified, when),
        _quad(g, VOID.triples, _count(counts[0])),
        _quad(i, PROV.wasDerivedFrom, ox.NamedNode(g)),
        _quad(i, VOID.triples, _count(counts[1])),
    ]
    return LoadedSource(name, g, counts[0], counts[1], g in known)


def load(
    store: Store,
    paths: Sequence[str],
    *,
    input_format: str | None = None,
    graph: str | None = None,
    progress: bool | None = None,
    engine: str = "reference",
    sources: Sequence[Source] | None = None,
) -> LoadReport:
    """Load ``paths`` (or ``sources`` already read) into ``store``: one named graph per
    source, replacing earlier loads; ``engine`` classifies what is loaded."""
    started = time.perf_counter()
    when = _now()
    disposal = Disposal()
    try:
        if engine == "fast":
            if sources is None:
                sources = read_sources(paths, input_format)
            # millions of terms and rows come and go, freed by reference counting; the
            # cyclic collector would walk them all again and again (2.6 CPU-s at 100,000
            # initiatives), and collects what cycles there are once the batch is done
            with gc_paused():
                change, report = _fast_change(
                    store, sources, when, graph=graph, progress=progress, disposal=disposal
                )
        else:
            change, report = _reference_change(
                store, paths, input_format, when, graph=graph, progress=progress, sources=sources
            )
        try:
            change.insert += _activity(PROV.generated, [s.graph for s in report.sources], when)
            report.vocabulary_loaded = _vocabulary_change(store, change)
            change.meanwhile = disposal.start  # the batch is freed while the store writes
            store.apply(change)
        except BaseException:
            if change.prewritten is not None:
                change.prewritten.abort()
            raise
    finally:
        disposal.join()
    report.seconds = time.perf_counter() - started
    return report


def _triple(t: tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]) -> ox.Triple:
    return ox.Triple(to_ox(t[0]), to_ox(t[1]), to_ox(t[2]))  # type: ignore[arg-type]


def _reference_change(
    store: Store,
    paths: Sequence[str],
    input_format: str | None,
    when: ox.Literal,
    *,
    graph: str | None,
    progress: bool | None,
    sources: Sequence[Source] | None,
) -> tuple[Change, LoadReport]:
    """rdflib parsing and the reference engine's classification, as one change."""
    batch = parse_batch(
        paths, input_format=input_format, graph=graph, progress=progress, sources=sources
    )
    inferred, validation, explained = classify_and_validate(
        {p.graph_iri: p.graph for p in batch}, engine="reference"
    )
    known = known_sources(store)
    change = Change()
    report = LoadReport(store.name, validation=validation)
    problems: list[Problem] = []
    for item in _progress(batch, "converting", progress):
        g, i = item.graph_iri, inferred_graph(item.graph_iri)
        converter = TermConverter()
        try:
            quads = list(converter.quads(item.graph, g))
            written = list(converter.quads(inferred[g], i))
            target = ox.NamedNode(i)
            for result in explained[g]:
                subject = converter.term(result.node)
                written += (
                    ox.Quad(s, p, o, target)  # type: ignore[arg-type]
                    for s, p, o in explanation_triples(subject, result, converter.term)  # type: ignore[arg-type]
                )
            quads += written
        except ValueError as exc:
            problems.append(Problem(item.source.name, f"cannot be stored: {exc}"))
            continue
        change.insert += quads
        counts = (len(item.graph), len(set(written)))
        report.sources.append(_record(change, (item.source.name, g), counts, known, when))
    if problems:
        raise InputError(problems)
    return change, report


def _fast_change(
    store: Store,
    sources: Sequence[Source],
    when: ox.Literal,
    *,
    graph: str | None,
    progress: bool | None,
    disposal: Disposal,
) -> tuple[Change, LoadReport]:
    """Oxigraph parsing and the fast engine's classification, as one change.

    The batch is parsed into memory (see :mod:`cdkg.load.batch`) and classified there.
    Meanwhile a store that can (:meth:`~cdkg.store.Store.prewrite`) writes the sources
    kept as their text; the rest follows with the store's bulk loader.
    """
    items = [(s, _graph_for(s, graph, len(sources))) for s in sources]
    rules_compile = not compiled().rule_problems
    batch = read_batch(
        items,
        # the engine's working copy is parsed beside the sources only when it can run
        working_copy=rules_compile,
        progress=lambda walk: _progress(walk, "parsing", progress),
    )
    as_read: list[tuple[Source, str]] = []
    ahead: Prewrite | None = None
    try:
        known = known_sources(store)
        if rules_compile:
            as_read = batch.as_read()
            if _only_adds(store, batch.graphs, known):
                # the disk writes the texts while the engine classifies
                ahead = store.prewrite(batch.source_texts(as_read))
            batch.merge()
        open_work = batch.backend  # the engine runs over the merged working copy
        outcome = fast_outcome(
            lambda: nullcontext(open_work()),
            read_entailments_only=True,
            instead="the reference engine classifies",
        )
        if outcome is None:
            found, validation, explained_by_graph = classify_and_validate(
                {g: batch.rdflib_graph(g) for g in batch.graphs}
            )
            for g in batch.graphs:
                target = ox.NamedNode(inferred_graph(g))
                triples = [_triple(t) for t in found[g]]
                triples += [
                    ox.Triple(s, p, o)  # type: ignore[arg-type]
                    for result in explained_by_graph[g]
                    for s, p, o in explanation_triples(to_ox(result.node), result)  # type: ignore[arg-type]
                ]
                batch.store.extend(
                    ox.Quad(t.subject, t.predicate, t.object, target) for t in triples
                )
        else:
            kept = classification([*outcome.entailed_terms, *outcome.inferred_terms])
            # the reasons, missing facts and findings, worded once and stored
            explained = {
                str(node): explanation_triples(node, result)  # type: ignore[arg-type]
                for node, result in explain_classified(
                    StoreFacts(batch.work), kept, outcome.results
                ).items()
            }
            validation = BatchValidation.of(
                ((str(shape.severity), row["this"]) for shape, _check, row in outcome.found),
                incomplete=(
                    f"{len(outcome.fallback)} shape(s) need the reference engine"
                    if outcome.fallback
                    else None
                ),
            )
            # the working copy is freed while the inferred graphs are filled
            held: list[object] = [outcome, batch.take_work()]
            del outcome
            disposal.drop(held)
            batch.add_inferred(kept, meanwhile=disposal.start, explained=explained)
        change = Change(prewritten=ahead)
        report = LoadReport(store.name, validation=validation)
        counts = {**batch.triples, **batch.counts(inferred_graph(g) for g in batch.graphs)}
        for source, g in batch.sources:
            numbers = (counts.get(g, 0), counts.get(inferred_graph(g), 0))
            report.sources.append(_record(change, (source.name, g), numbers, known, when))
        graphs = tuple(g for s in report.sources for g in (s.graph, inferred_graph(s.graph)))
        change.payload = batch.payload(graphs, as_read)
    except BaseException:
        batch.finish_parsing()
        if ahead is not None:
            ahead.abort()
        raise
    held = [batch]
    del batch
    disposal.drop(held)
    return change, report


def _only_adds(store: Store, graphs: Iterable[str], known: dict[str, str]) -> bool:
    """Whether loading ``graphs`` into ``store`` adds graphs and replaces nothing (the
    sources are new and the stored vocabularies are current)."""
    if any(g in known for g in graphs):
        return False
    return _stored_vocabulary_version(store) in (None, vocabulary_version())


def resolve_source(text: str, known: dict[str, str]) -> str | None:
    """The source graph ``text`` names: a graph IRI, a file path, or a name it was loaded as."""
    if text in known:
        return text
    if not is_iri(text):
        candidate = source_graph(Path(text))
        if candidate in known:
            return candidate
    named = [g for g, name in known.items() if name == text]
    return named[0] if len(named) == 1 else None


def remove(store: Store, sources: Sequence[str]) -> list[str]:
    """Delete the graphs of ``sources`` (paths, graph IRIs or loaded names), all or none."""
    known = known_sources(store)
    graphs: list[str] = []
    problems: list[Problem] = []
    for text in sources:
        g = resolve_source(text, known)
        if g is None:
            problems.append(
                Problem(
                    text,
                    f"no such source in the store {store.name}",
                    hint="'cdkg status --graphs' lists the loaded sources",
                )
            )
        elif g not in graphs:
            graphs.append(g)
    if problems:
        raise InputError(problems)
    change = Change()
    for g in graphs:
        i = inferred_graph(g)
        change.drop_graphs += [g, i]
        change.delete_about += [(REGISTRY_GRAPH, g), (REGISTRY_GRAPH, i)]
    change.insert += _activity(PROV.invalidated, graphs, _now())
    store.apply(change)
    return graphs
