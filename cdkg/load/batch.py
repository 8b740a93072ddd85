"""A load batch held in memory, for ``cdkg load --engine fast``.

Each source's triples go to an Oxigraph store of their own (what is written to the
registry); another store holds the merged batch plus the ontology and vocabularies in
its default graph: the working copy the fast engine classifies, built once. The working
copy is separate because Oxigraph's in-memory store finds a pattern's triples among
those of every graph: with the sources' graphs beside it, each query of the engine
would read every triple twice. Each source has a store of its own, not a named graph of
one, because filling many small stores costs less than one big one (their indexes stay
small; about 6 CPU-s against 11 for 3 M triples) and the only questions asked of a
source are about that source. Turtle, N-Triples, N-Quads and TriG are read
by Oxigraph's parser; JSON-LD, YAML-LD and RDF/XML by the same readers as every other
command (:func:`cdkg.rdf.read.iter_parsed`), so a batch may mix them. Blank nodes get
fresh, store-unique identifiers per source, as :class:`~cdkg.rdf.terms.TermConverter`
gives them.

What a description claims about its own classification is dropped, as
:func:`cdkg.validate.reference.without_claims` drops it for rdflib graphs: cdkg computes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
import rdflib

from cdkg.errors import InputError, Problem
from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.read import Limits, Source, iter_parsed
from cdkg.rdf.terms import TermConverter, to_ox, to_rdflib
from cdkg.store import Payload, SourceText
from cdkg.store.layout import inferred_graph
from cdkg.validate.fast.backend import OxigraphBackend, Term
from cdkg.validate.fast.engine import TermTriple, default_workers
from cdkg.validate.reference import CLASSIFICATION_PATTERNS

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Formats Oxigraph's parser reads for the batch (the others go through rdflib).
OXIGRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
#: Formats whose documents name graphs from outside (a registry picks the graph).
_TEXT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
_HAS_BLANK = "ASK { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }"
#: Every subject of a source's store, once (read as TSV: one line per term).
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"


#: The classification triples cdkg computes, as SPARQL triple patterns.
_CLAIMS = [
    f"?s <{p}> {f'<{o}>' if o is not None else '?o'}" for _s, p, o in CLASSIFICATION_PATTERNS
]
#: Deletes them from the default graph.
_CLAIM_PATTERNS = " ;\n".join(f"DELETE WHERE {{ {t} }}" for t in _CLAIMS)
#: Does the default graph hold one?
_HAS_CLAIMS = "ASK { " + " UNION ".join(f"{{ {t} }}" for t in _CLAIMS) + " }"


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
    """The parsed batch: each source's store and, once merged, the working copy."""

    #: Each source's triples (claims dropped), in the default graph of a store of their
    #: own, by graph IRI; let go by :meth:`payload`.
    parsed: dict[str, ox.Store] = field(default_factory=dict)
    #: Named graphs written besides the sources' texts: the inferred graphs (see
    #: :meth:`add_inferred`) and, once :meth:`payload` is made, the sources not written
    #: as read.
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
    #: The thread parsing texts into :attr:`work` (see :func:`read_batch`), if any.
    parsing: threading.Thread | None = None

    @property
    def graphs(self) -> list[str]:
        return [g for _s, g in self.sources]

    # ---------------------------------------------------------------- reading

    def add(self, source: Source, graph: str) -> Problem | None:
        """Parse ``source`` as the graph ``graph``; a problem, or None if it is fine.

        A graph named a second time is parsed for its errors only."""
        if not source.data.strip():
            return Problem(source.name, "the file is empty", hint="give a file with RDF data")
        into = ox.Store()
        fmt = OXIGRAPH_FORMATS.get(source.format)
        try:
            if fmt is None:
                self._add_with_rdflib(source, into)
            else:
                self._add_with_oxigraph(source, fmt, into)
        except InputError as exc:
            return exc.problems[0]
        if graph not in self.parsed:
            self.parsed[graph] = into
            self.sources.append((source, graph))
        return None

    def _add_with_oxigraph(self, source: Source, fmt: ox.RdfFormat, into: ox.Store) -> None:
        base = _base(source)
        try:
            if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
                # every named graph of a dataset document is part of the source
                quads = ox.parse(source.data, format=fmt, base_iri=base, rename_blank_nodes=True)
                into.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
            else:
                into.load(source.data, format=fmt, base_iri=base)
        except SyntaxError as exc:
            raise InputError.single(
                source.name,
                f"not valid {source.format}: {getattr(exc, 'msg', None) or exc}",
                line=getattr(exc, "lineno", None),
                column=getattr(exc, "offset", None),
            ) from None

    def _add_with_rdflib(self, source: Source, into: ox.Store) -> None:
        for _source, ds in iter_parsed([source]):
            converter = TermConverter()
            try:
                quads = list(
                    converter.quads(
                        ((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))),
                        None,
                    )
                )
            except ValueError as exc:
                raise InputError.single(source.name, f"cannot be stored: {exc}") from None
            into.extend(quads)

    def rdflib_graph(self, graph: str) -> rdflib.Graph:
        """The source graph ``graph`` as an rdflib graph."""
        out = rdflib.Graph()
        for q in self.parsed[graph]:
            out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return out

    def drop_claims(self) -> None:
        """Remove the classification triples the sources assert about themselves."""
        for g, store in self.parsed.items():
            if store.query(_HAS_CLAIMS):
                store.update(_CLAIM_PATTERNS)
                self.rewritten.add(g)
                self.triples[g] = len(store)

    def as_read(self) -> list[tuple[Source, str]]:
        """The sources whose graph is exactly what parsing their text again gives: Turtle
        or N-Triples, no blank nodes (a parser names them afresh each time), no claims
        dropped. Their text can be written to a registry as it is."""
        out = []
        for source, g in self.sources:
            if source.format not in _TEXT_FORMATS or g in self.rewritten:
                continue
            if not _plain_text(source) and self.parsed[g].query(_HAS_BLANK):
                continue
            out.append((source, g))
        return out

    def counts(self, graphs: Iterable[str]) -> dict[str, int]:
        """Triples in each of the named graphs ``graphs`` of :attr:`store` (0 for an empty
        one; found through the store's graph index, not by reading every triple)."""
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
        self.triples = {g: len(store) for g, store in self.parsed.items()}
        return [
            Problem(
                source.name,
                f"holds {self.triples[g]} triples, more than the limit of {limits.max_triples}",
                hint="split it, or raise the limit with CDKG_MAX_TRIPLES",
            )
            for source, g in self.sources
            if self.triples[g] > limits.max_triples
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
        there as in their own stores; the others are copied from their stores.
        """
        self.finish_parsing()
        if self.rewritten & self.in_work:
            self.work.update(_CLAIM_PATTERNS)
        for g in self.graphs:
            if g not in self.in_work:
                self.work.extend(self.parsed[g])
        self.in_work = set(self.graphs)
        self.work.extend(_ontology_quads())

    def backend(self) -> OxigraphBackend:
        """The fast engine's view of the merged batch (scratch triples go to the default
        graph, which is cleared before anything is written)."""
        return OxigraphBackend(self.work, throwaway=True)

    def finish_parsing(self) -> None:
        """Wait for the thread parsing texts into the working copy, if one runs."""
        if self.parsing is not None:
            self.parsing.join()
            self.parsing = None

    def take_work(self) -> ox.Store:
        """The working copy, handed over (e.g. to be freed); the batch keeps an empty one."""
        self.finish_parsing()
        work, self.work, self.in_work = self.work, ox.Store(), set()
        return work

    def add_inferred(
        self,
        kept: Sequence[TermTriple],
        *,
        meanwhile: Callable[[], None] | None = None,
        explained: Mapping[str, Sequence[TermTriple]] | None = None,
    ) -> None:
        """Add the classification triples ``kept`` (see :func:`classification`) to the
        inferred graph of each source that describes their subject (a subject several
        sources describe goes to each of them), as :func:`cdkg.load.loader.classify_and_validate`
        splits them; ``explained`` (an initiative's stored reasons, by the initiative as
        N-Triples text) goes to the first of those sources only. ``meanwhile`` is called
        just before each source's subjects are read (in Oxigraph, without Python's lock)."""
        about: dict[str, list[TermTriple]] = {}
        for t in kept:
            about.setdefault(str(t[0]), []).append(t)
        if meanwhile is not None:
            meanwhile()
        # one query per source, two at a time (Oxigraph answers them without the GIL)
        with ThreadPoolExecutor(default_workers(), thread_name_prefix="cdkg-split") as pool:
            described = list(pool.map(lambda g: self._described(g, about.keys()), self.graphs))
        placed: set[str] = set()
        for g, subjects in zip(self.graphs, described, strict=True):
            target = ox.NamedNode(inferred_graph(g))
            self.store.extend(
                ox.Quad(s, p, o, target)  # type: ignore[arg-type]
                for subject in subjects
                for s, p, o in about[subject]
            )
            if explained:
                first = sorted(subjects.intersection(explained).difference(placed))
                placed.update(first)
                self.store.extend(
                    ox.Quad(s, p, o, target)  # type: ignore[arg-type]
                    for subject in first
                    for s, p, o in explained[subject]
                )

    def _described(self, graph: str, subjects: Iterable[str]) -> set[str]:
        """Which of ``subjects`` (terms as N-Triples text) the source graph ``graph`` has
        triples about: its subjects read as one TSV answer (a line per term)."""
        answer = self.parsed[graph].query(_SUBJECTS)
        assert isinstance(answer, ox.QuerySolutions)
        text = answer.serialize(format=ox.QueryResultsFormat.TSV)
        assert text is not None
        return set(text.decode("utf-8").split("\n")[1:]).intersection(subjects)

    def source_texts(self, as_read: list[tuple[Source, str]]) -> list[SourceText]:
        """The sources in ``as_read`` (see :meth:`as_read`) as texts for a registry."""
        return [
            SourceText(source.data, _TEXT_FORMATS[source.format], _base(source), g)
            for source, g in as_read
        ]

    def payload(self, graphs: tuple[str, ...], as_read: list[tuple[Source, str]]) -> Payload:
        """What a registry gets, writing ``graphs``: the sources in ``as_read`` as their
        text, every other graph of the batch as N-Quads. The sources' stores and the
        working copy are let go."""
        self.take_work()
        written = {g for _s, g in as_read}
        for g, store in self.parsed.items():
            if g not in written:
                target = ox.NamedNode(g)
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in store)
        self.parsed = {}
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
    verdict = to_ox(CDKG.verdict)  # every classified initiative gets exactly one
    initiatives = {s for s, p, _o in matching if p == verdict}
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
    time, on a second thread (see :meth:`Batch.parse_into_work`) that may still run when
    the batch is returned (:meth:`Batch.merge` waits for it): the sources' own stores,
    quicker to fill, are complete, so a registry can start writing them. ``progress``
    wraps the items the main parse walks through (e.g. in a progress bar).
    """
    batch = Batch()
    if working_copy:
        batch.parsing = threading.Thread(
            target=batch.parse_into_work, args=(items,), name="cdkg-working-copy", daemon=True
        )
        batch.parsing.start()
    try:
        walk = progress(items) if progress is not None else items
        problems = [p for source, graph in walk if (p := batch.add(source, graph)) is not None]
        problems += batch.check_limits(limits or Limits.from_env())
        if problems:
            raise InputError(problems)
        batch.drop_claims()
    except BaseException:
        batch.finish_parsing()
        raise
    return batch
