"""A registry read once, for publishing: every triple grouped by subject, in memory.

``cdkg publish`` used to ask the store a handful of queries per page (the description,
names, types, referrers), which is tens of thousands of queries at registry scale. The
snapshot reads all quads in one pass instead (Oxigraph terms, interned so that repeated
IRIs are stored once) and answers the same questions from dictionaries:

* :meth:`Snapshot.describe` — what :meth:`cdkg.render.data.RegistryView.describe` returns:
  the resource's triples, those of the blank nodes, engagements and ``#`` sub-resources
  it owns, and of the blank nodes those own;
* :meth:`Snapshot.name`, :meth:`Snapshot.types`, :meth:`Snapshot.referrers` — over the
  union of all graphs, as the live pages see it;
* :attr:`Snapshot.data_subjects` — the subjects of source and inferred graphs (the
  resources the site publishes).

Personal contact data are withheld as they are everywhere else (:mod:`cdkg.render.privacy`):
see :mod:`cdkg.publish.redaction`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS

from cdkg.model.namespaces import CDKG
from cdkg.publish.jsonld import Term, Triple
from cdkg.rdf.terms import to_rdflib
from cdkg.render.data import Summary
from cdkg.render.privacy import Redaction
from cdkg.store import Store
from cdkg.store.layout import REGISTRY_GRAPH, VOCAB_GRAPH

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Properties whose objects belong to a resource's own description (cdkg.render.data.OWNED).
OWNED = frozenset({ox.NamedNode(str(CDKG.hasEngagement))})
#: The name properties of the pages (cdkg.render.data), in that order.
NAME_PROPERTIES = tuple(
    ox.NamedNode(p)
    for p in (
        "http://purl.org/dc/terms/title",
        "http://xmlns.com/foaf/0.1/name",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    )
)
REFERRER_LIMIT = 200

PO = tuple[Term, Term]


@dataclass
class Snapshot:
    #: subject -> its (predicate, object) pairs, over the union of all graphs.
    out: dict[Term, list[PO]] = field(default_factory=dict)
    #: IRI subjects of the source and inferred graphs.
    data_subjects: set[ox.NamedNode] = field(default_factory=set)
    #: object IRI -> (subject IRI, predicate) of the statements pointing at it.
    incoming: dict[ox.NamedNode, set[tuple[ox.NamedNode, ox.NamedNode]]] = field(
        default_factory=dict
    )
    #: Quads read (before de-duplication across graphs) and triples withheld.
    quads: int = 0
    redaction: Redaction = field(default_factory=Redaction)
    #: The withheld triples, as stored.
    withheld: set[Triple] = field(default_factory=set)

    # ------------------------------------------------------------------ reading

    @classmethod
    def read(
        cls,
        store: Store,
        redact: Callable[[dict[Term, set[PO]]], tuple[Redaction, set[Triple]]],
        published: Callable[[str], bool],
    ) -> Snapshot:
        """Read every quad of ``store`` once; ``redact`` says what to withhold and
        ``published`` which IRIs get a page (only those keep their referrers)."""
        interned: dict[Term, Term] = {}
        out: dict[Term, set[PO]] = {}
        data_subjects: set[ox.NamedNode] = set()
        reserved = (ox.NamedNode(VOCAB_GRAPH), ox.NamedNode(REGISTRY_GRAPH))
        n = 0
        for quad in store.quads():
            n += 1
            s = interned.setdefault(quad.subject, quad.subject)  # type: ignore[arg-type]
            p = interned.setdefault(quad.predicate, quad.predicate)
            o = interned.setdefault(quad.object, quad.object)  # type: ignore[arg-type]
            pairs = out.get(s)
            if pairs is None:
                pairs = out[s] = set()
            pairs.add((p, o))
            if isinstance(s, ox.NamedNode) and quad.graph_name not in reserved:
                data_subjects.add(s)
        del interned
        redaction, withheld = redact(out)
        for s, p, o in withheld:
            pairs = out.get(s)
            if pairs is not None:
                pairs.discard((p, o))
        snap = cls(quads=n, redaction=redaction, withheld=withheld, data_subjects=data_subjects)
        wanted: dict[ox.NamedNode, bool] = {}
        for s, pairs in out.items():
            snap.out[s] = list(pairs)
            if not isinstance(s, ox.NamedNode):
                continue
            for p, o in pairs:
                if isinstance(o, ox.NamedNode):
                    keep = wanted.get(o)
                    if keep is None:
                        keep = wanted[o] = published(o.value)
                    if keep:
                        snap.incoming.setdefault(o, set()).add((s, p))  # type: ignore[arg-type]
        return snap

    # ------------------------------------------------------------------ one resource

    def describe(self, iri: str) -> list[Triple]:
        """The triples of ``iri``'s page (cdkg.render.data.RegistryView.describe)."""
        node = ox.NamedNode(iri)
        own = self.out.get(node, [])
        triples: set[Triple] = {(node, p, o) for p, o in own}
        hash_prefix = iri + "#"
        for q, s in own:
            blank = isinstance(s, ox.BlankNode)
            hashed = isinstance(s, ox.NamedNode) and s.value.startswith(hash_prefix)
            if blank or q in OWNED or hashed:
                triples.update((s, p, o) for p, o in self.out.get(s, ()))
            if blank or q in OWNED:
                for _q2, s2 in self.out.get(s, ()):
                    if isinstance(s2, ox.BlankNode):
                        triples.update((s2, p, o) for p, o in self.out.get(s2, ()))
        return sorted(triples, key=_triple_key)

    def objects(self, s: Term, p: ox.NamedNode) -> Iterator[Term]:
        for q, o in self.out.get(s, ()):
            if q == p:
                yield o

    def name(self, iri: str) -> str | None:
        """The name the registry gives ``iri`` (title, foaf:name, label, prefLabel)."""
        values = [
            o
            for p, o in self.out.get(ox.NamedNode(iri), ())
            if p in NAME_PROPERTIES and isinstance(o, ox.Literal)
        ]
        return english(values)

    def names(self, iris: Iterable[str]) -> dict[str, str]:
        found = {}
        for iri in iris:
            name = self.name(iri)
            if name:
                found[iri] = name
        return found

    def types(self, iris: Iterable[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for iri in iris:
            found = {o.value for o in self.objects(ox.NamedNode(iri), RDF_TYPE)}
            if found:
                out[iri] = found
        return out

    def referrers(self, iri: str, limit: int = REFERRER_LIMIT) -> list[tuple[str, str]]:
        """``(subject, property)`` of statements pointing at ``iri``, sorted, at most ``limit``."""
        pairs = self.incoming.get(ox.NamedNode(iri), set())
        return sorted((s.value, p.value) for s, p in pairs)[:limit]

    def data_quads(self) -> int:
        return sum(len(v) for v in self.out.values())


def english(values: list[ox.Literal]) -> str | None:
    """cdkg.render.words.english for Oxigraph literals."""
    for wanted in ("en", None):
        for v in values:
            lang = v.language or None
            if lang == wanted or (wanted and (lang or "").startswith("en")):
                return v.value
    return values[0].value if values else None


def _triple_key(t: Triple) -> tuple[int, str, str, int, str]:
    s, p, o = t
    return (
        isinstance(s, ox.BlankNode),
        s.value,
        p.value,
        isinstance(o, ox.Literal),
        o.value,
    )


def summaries_of(snap: Snapshot) -> list[Summary]:
    """Every initiative as the index lists it (cdkg.render.data.RegistryView.summaries)."""
    initiative = ox.NamedNode(str(CDKG.Initiative))
    keys = {
        ox.NamedNode(str(DCTERMS.title)): "title",
        ox.NamedNode(str(CDKG.initiativeType)): "type",
        ox.NamedNode(str(CDKG.verdict)): "verdict",
        ox.NamedNode(str(CDKG.addressesSdg)): "sdg",
        ox.NamedNode(str(DCTERMS.spatial)): "country",
        ox.NamedNode(str(CDKG.integrationStatus)): "status",
    }
    found: list[Summary] = []
    for s, pairs in snap.out.items():
        if not isinstance(s, ox.NamedNode) or (RDF_TYPE, initiative) not in pairs:
            continue
        summary = Summary(s.value)
        titles: list[ox.Literal] = []
        for p, o in pairs:
            key = keys.get(p)  # type: ignore[arg-type]
            if key is None:
                continue
            if key == "title":
                if isinstance(o, ox.Literal):
                    titles.append(o)
            elif key == "type":
                summary.initiative_type = o.value
            elif key == "verdict":
                summary.verdict = o.value
            elif key == "sdg":
                summary.sdgs.add(o.value)
            elif key == "country":
                summary.countries.add(o.value)
            else:
                summary.statuses.add(o.value)
        summary.titles = [to_rdflib(t) for t in titles]
        summary.title = english(titles)
        found.append(summary)
    return sorted(found, key=lambda s: ((s.title or s.iri).casefold(), s.iri))
