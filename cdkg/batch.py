"""A load batch held in memory, for ``cdkg load --engine fast``.

Each source's triples go to its own named graph of one Oxigraph store (what is written
to the registry); a second store holds the merged batch plus the ontology and
vocabularies in its default graph: the working copy the fast engine classifies, built
once. Two stores, not one, because Oxigraph's in-memory store finds a pattern's
triples among those of every graph: with the sources' graphs beside it, each query of
the engine would read every triple twice. Turtle, N-Triples, N-Quads and TriG are read
by Oxigraph's parser; JSON-LD, YAML-LD and RDF/XML by the same readers as every other
command (:func:`cdkg.rdfio.iter_parsed`), so a batch may mix them. Blank nodes get
fresh, store-unique identifiers per source, as :class:`~cdkg.store.terms.TermConverter`
gives them.

What a description claims about its own classification is dropped, as
:func:`cdkg.validate.without_claims` drops it for rdflib graphs: cdkg computes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
import rdflib

from cdkg.errors import InputError, Problem
from cdkg.fast.backend import OxigraphBackend, Term, to_ox
from cdkg.fast.engine import TermTriple
from cdkg.namespaces import CDKG
from cdkg.ontology import ontology_graph
from cdkg.rdfio import Limits, Source, iter_parsed
from cdkg.store import Payload, SourceText
from cdkg.store.layout import INFERRED_PREFIX
from cdkg.store.terms import TermConverter, to_rdflib
from cdkg.validate import CLASSIFICATION_PATTERNS

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Formats Oxigraph's parser reads for the batch (the others go through rdflib).
OXIGRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
#: A scratch graph of the batch store (never written to a registry).
_SCRATCH = "urn:cdkg:batch:inferred"
#: Formats whose documents name graphs from outside (a registry picks the graph).
_TEXT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
_MARK = ox.NamedNode(_SCRATCH)
#: A scratch graph naming each subject of the classification triples once.
_SUBJECTS = "urn:cdkg:batch:subjects"
#: Copy each scratch triple to the inferred graph of every source graph describing its
#: subject (:func:`cdkg.store.layout.inferred_graph` names it).
_SPLIT_INFERRED = f"""
INSERT {{ GRAPH ?inferred {{ ?s ?p ?o }} }}
WHERE {{
  {{ SELECT DISTINCT ?s ?g WHERE {{
      GRAPH <{_SUBJECTS}> {{ ?s ?x0 ?y0 }}
      GRAPH ?g {{ ?s ?x ?y }}
      FILTER (?g != <{_SCRATCH}> && ?g != <{_SUBJECTS}>)
  }} }}
  GRAPH <{_SCRATCH}> {{ ?s ?p ?o }}
  BIND (IRI(CONCAT("{INFERRED_PREFIX}", SUBSTR(SHA256(STR(?g)), 1, 32))) AS ?inferred)
}}"""
_HAS_BLANK = "ASK { GRAPH <GRAPH_IRI> { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) } }"


def _claim_patterns(*, named: bool = True) -> str:
    """A SPARQL update deleting the classification triples cdkg computes, in every named
    graph (``named``) or in the default graph."""
    out = []
    for _s, p, o in CLASSIFICATION_PATTERNS:
        triple = f"?s <{p}> {f'<{o}>' if o is not None else '?o'}"
        out.append(f"DELETE WHERE {{ {f'GRAPH ?g {{ {triple} }}' if named else triple} }}")
    return " ;\n".join(out)


def _claiming_graphs() -> str:
    union = " UNION ".join(
        f"{{ ?s <{p}> {f'<{o}>' if o is not None else '?o'} }}"
        for _s, p, o in CLASSIFICATION_PATTERNS
    )
    return f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {union} }} }}"


_CLAIMING_GRAPHS = _claiming_graphs()


@lru_cache(maxsize=1)
def _ontology_quads() -> tuple[ox.Quad, ...]:
    return tuple(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in ontology_graph()
    )


def _plain_text(source: Source) -> bool:
    """Turtle or N-Triples with nothing that could make a blank node (``_:``, ``[``,
    ``(``): parsing it again gives the same triples."""
    if source.format not in _TEXT_FORMATS:
        return False
    data = source.data
    return not (b"_:" in data or b"[" in data or b"(" in data)


@dataclass
class Batch:
    """The parsed batch: per-source named graphs and, once merged, the working copy."""

    store: ox.Store = field(default_factory=ox.Store)
    #: The working copy (default graph): see :meth:`merge`.
    work: ox.Store = field(default_factory=ox.Store)
    #: (source, graph IRI) in the order given; a graph named twice keeps the first source.
    sources: list[tuple[Source, str]] = field(default_factory=list)
    #: Graphs whose content is no longer their source's text (claims were dropped).
    rewritten: set[str] = field(default_factory=set)
    #: Graphs whose source text is already parsed into :attr:`work`.
    in_work: set[str] = field(default_factory=set)
    #: Triples in each source's graph (claims dropped), counted once.
    triples: dict[str, int] = field(default_factory=dict)

    @property
    def graphs(self) -> list[str]:
        return [g for _s, g in self.sources]

    # ---------------------------------------------------------------- reading

    def add(self, source: Source, graph: str) -> Problem | None:
        """Parse ``source`` into the named graph ``graph``; a problem, or None if it is fine."""
        if not source.data.strip():
            return Problem(source.name, "the file is empty", hint="give a file with RDF data")
        target = ox.NamedNode(graph)
        if any(g == graph for _s, g in self.sources):
            target = ox.NamedNode(_SCRATCH)  # parsed for its errors only
        fmt = OXIGRAPH_FORMATS.get(source.format)
        try:
            if fmt is None:
                self._add_with_rdflib(source, target)
            else:
                self._add_with_oxigraph(source, fmt, target)
        except InputError as exc:
            return exc.problems[0]
        finally:
            if target.value == _SCRATCH:
                self.store.remove_graph(target)
        if target.value != _SCRATCH:
            self.sources.append((source, graph))
        return None

    def _add_with_oxigraph(self, source: Source, fmt: ox.RdfFormat, target: ox.NamedNode) -> None:
        base = _base(source)
        try:
            if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
                # every named graph of a dataset document is part of the source
                quads = ox.parse(source.data, format=fmt, base_iri=base, rename_blank_nodes=True)
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
            else:
                self.store.load(source.data, format=fmt, base_iri=base, to_graph=target)
        except SyntaxError as exc:
            raise InputError.single(
                source.name,
                f"not valid {source.format}: {getattr(exc, 'msg', None) or exc}",
                line=getattr(exc, "lineno", None),
                column=getattr(exc, "offset", None),
            ) from None

    def _add_with_rdflib(self, source: Source, target: ox.NamedNode) -> None:
        for _source, ds in iter_parsed([source]):
            converter = TermConverter()
            try:
                quads = list(
                    converter.quads(
                        ((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))),
                        target.value,
                    )
                )
            except ValueError as exc:
                raise InputError.single(source.name, f"cannot be stored: {exc}") from None
            self.store.extend(quads)

    def rdflib_graph(self, graph: str) -> rdflib.Graph:
        """The named graph ``graph`` as an rdflib graph."""
        out = rdflib.Graph()
        for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return out

    def drop_claims(self) -> None:
        """Remove the classification triples the sources assert about themselves."""
        rows = self.store.query(_CLAIMING_GRAPHS)
        assert isinstance(rows, ox.QuerySolutions)
        self.rewritten |= {r["g"].value for r in rows}
        if self.rewritten:
            self.store.update(_claim_patterns())
            self.triples.update(self.counts(self.rewritten))

    def as_read(self) -> list[tuple[Source, str]]:
        """The sources whose graph is exactly what parsing their text again gives: Turtle
        or N-Triples, no blank nodes (a parser names them afresh each time), no claims
        dropped. Their text can be written to a registry as it is."""
        out = []
        for source, g in self.sources:
            if source.format not in _TEXT_FORMATS or g in self.rewritten:
                continue
            if not _plain_text(source) and self.store.query(_HAS_BLANK.replace("GRAPH_IRI", g)):
                continue
            out.append((source, g))
        return out

    def counts(self, graphs: Iterable[str] | None = None) -> dict[str, int]:
        """Triples per named graph: of every graph that has some, or of ``graphs`` only
        (0 for an empty one; each found through the store's graph index, not by reading
        every triple of the batch)."""
        out: dict[str, int] = {}
        if graphs is None:
            query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        else:
            out = dict.fromkeys(graphs, 0)
            if not out:
                return out
            named = " ".join(f"<{g}>" for g in out)
            query = (
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {named} }} "
                "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
        rows = self.store.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        out.update((r["g"].value, int(r["n"].value)) for r in rows)
        return out

    def check_limits(self, limits: Limits) -> list[Problem]:
        counts = self.counts()
        self.triples = {g: counts.get(g, 0) for g in self.graphs}
        return [
            Problem(
                source.name,
                f"holds {counts[g]} triples, more than the limit of {limits.max_triples}",
                hint="split it, or raise the limit with CDKG_MAX_TRIPLES",
            )
            for source, g in self.sources
            if counts.get(g, 0) > limits.max_triples
        ]

    # ---------------------------------------------------------------- classifying

    def parse_into_work(self, items: Sequence[tuple[Source, str]]) -> None:
        """Parse the plain Turtle and N-Triples texts of ``items`` into the working copy
        (meant to run on a thread beside :meth:`add`: Oxigraph's parser releases the
        GIL). A text that does not parse stops it: :meth:`add` reports the error."""
        seen: set[str] = set()
        for source, graph in items:
            if graph in seen or not _plain_text(source):
                continue
            seen.add(graph)
            fmt = _TEXT_FORMATS[source.format]
            try:
                # lenient: add() parses the same text strictly, and reports its errors
                self.work.load(source.data, format=fmt, base_iri=_base(source), lenient=True)
            except SyntaxError:
                return
            self.in_work.add(graph)

    def merge(self) -> None:
        """Complete the working copy: every source's triples and the ontology, in the
        default graph of :attr:`work`.

        The sources already parsed into it (:meth:`parse_into_work`) lose their claims
        there as in their graphs; the others are copied from their graphs.
        """
        if self.rewritten & self.in_work:
            self.work.update(_claim_patterns(named=False))
        for g in self.graphs:
            if g not in self.in_work:
                quads = self.store.quads_for_pattern(None, None, None, ox.NamedNode(g))
                self.work.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        self.in_work = set(self.graphs)
        self.work.extend(_ontology_quads())

    def backend(self) -> OxigraphBackend:
        """The fast engine's view of the merged batch (scratch triples go to the default
        graph, which is cleared before anything is written)."""
        return OxigraphBackend(self.work, throwaway=True)

    def take_work(self) -> ox.Store:
        """The working copy, handed over (e.g. to be freed); the batch keeps an empty one."""
        work, self.work, self.in_work = self.work, ox.Store(), set()
        return work

    def add_inferred(
        self, kept: Sequence[TermTriple], *, meanwhile: Callable[[], None] | None = None
    ) -> None:
        """Add the classification triples ``kept`` (see :func:`classification`) to the
        inferred graph of each source that describes their subject (a subject several
        sources describe goes to each of them), as :func:`cdkg.load.classify_and_validate`
        splits them. One SPARQL update in the batch store does it; ``meanwhile`` is
        called just before it starts."""
        scratch, subjects = ox.NamedNode(_SCRATCH), ox.NamedNode(_SUBJECTS)
        self.store.extend(ox.Quad(s, p, o, scratch) for s, p, o in kept)  # type: ignore[arg-type]
        marks = {s for s, _p, _o in kept}
        self.store.extend(ox.Quad(s, _MARK, _MARK, subjects) for s in marks)  # type: ignore[arg-type]
        if meanwhile is not None:
            meanwhile()
        self.store.update(_SPLIT_INFERRED)
        self.store.remove_graph(scratch)
        self.store.remove_graph(subjects)

    def source_texts(self, as_read: list[tuple[Source, str]]) -> list[SourceText]:
        """The sources in ``as_read`` (see :meth:`as_read`) as texts for a registry."""
        return [
            SourceText(source.data, _TEXT_FORMATS[source.format], _base(source), g)
            for source, g in as_read
        ]

    def payload(self, graphs: tuple[str, ...], as_read: list[tuple[Source, str]]) -> Payload:
        """What a registry gets, writing ``graphs``: the sources in ``as_read`` as their
        text, every other named graph of the batch as N-Quads. The batch store is emptied
        of what the payload holds, and the working copy is let go."""
        self.take_work()
        for _source, g in as_read:
            self.store.remove_graph(ox.NamedNode(g))
        data = self.store.dump(format=ox.RdfFormat.N_QUADS)
        assert data is not None
        return Payload(data, graphs, tuple(self.source_texts(as_read)))


def _base(source: Source) -> str:
    return source.path.resolve().as_uri() if source.path else "urn:cdkg:stdin"


@lru_cache(maxsize=1)
def _wanted() -> dict[Term, Term | None]:
    """:data:`CLASSIFICATION_PATTERNS` as predicate → object (None: any), Oxigraph terms."""
    return {to_ox(p): None if o is None else to_ox(o) for _s, p, o in CLASSIFICATION_PATTERNS}


def classification(triples: Iterable[TermTriple]) -> list[TermTriple]:
    """The triples among ``triples`` (Oxigraph terms) that match
    :data:`CLASSIFICATION_PATTERNS` and are about classified initiatives."""
    wanted = _wanted()
    matching = {
        (s, p, o) for s, p, o in triples if p in wanted and (wanted[p] is None or o == wanted[p])
    }
    initiative_type = to_ox(CDKG.initiativeType)
    initiatives = {s for s, p, _o in matching if p == initiative_type}
    return [t for t in matching if t[0] in initiatives]


def read_batch(
    items: Sequence[tuple[Source, str]],
    limits: Limits | None = None,
    *,
    working_copy: bool = False,
    progress: Callable[[Sequence[tuple[Source, str]]], Iterable[tuple[Source, str]]] | None = None,
) -> Batch:
    """Parse every source into a :class:`Batch`; one :class:`InputError` lists every problem.

    With ``working_copy``, the plain texts are parsed into the working copy at the same
    time, on a second thread (see :meth:`Batch.parse_into_work`). ``progress`` wraps the
    items the main parse walks through (e.g. in a progress bar).
    """
    batch = Batch()
    helper = None
    if working_copy:
        helper = threading.Thread(
            target=batch.parse_into_work, args=(items,), name="cdkg-working-copy", daemon=True
        )
        helper.start()
    try:
        walk = progress(items) if progress is not None else items
        problems = [p for source, graph in walk if (p := batch.add(source, graph)) is not None]
        problems += batch.check_limits(limits or Limits.from_env())
    finally:
        if helper is not None:
            helper.join()
    if problems:
        raise InputError(problems)
    batch.drop_claims()
    return batch
