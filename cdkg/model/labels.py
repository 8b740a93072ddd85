"""Human-readable names for the IRIs in a report: people read labels, not IRIs."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS
from rdflib.term import BNode, Literal, Node, URIRef

from cdkg.model.namespaces import CDKG, SCHEMA

#: Properties that name a resource, most preferred first.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name, SCHEMA.name)


def _english(values: list[Literal]) -> Literal | None:
    for wanted in ("en", None):
        for value in values:
            if value.language == wanted:
                return value
    for value in values:
        if value.language and value.language.startswith("en"):
            return value
    return values[0] if values else None


def local_name(term: Node) -> str:
    """The last segment of an IRI (after ``#`` or ``/``)."""
    text = str(term).rstrip("/#")
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


class Labels:
    """Looks up labels in a graph (data + ontology + vocabularies), with a cache."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._cache: dict[Node, str] = {}

    def __call__(self, term: Node | None) -> str:
        if term is None:
            return ""
        if term in self._cache:
            return self._cache[term]
        label = self._find(term)
        self._cache[term] = label
        return label

    def _find(self, term: Node) -> str:
        if isinstance(term, Literal):
            return str(term)
        for prop in LABEL_PROPERTIES:
            values = [v for v in self.graph.objects(term, prop) if isinstance(v, Literal)]
            found = _english(values)
            if found is not None:
                return str(found)
        stage = self.graph.value(term, CDKG.stage)
        if stage is not None:
            return f"engagement at {self(stage).lower()}"
        if isinstance(term, BNode):
            return "(unnamed)"
        return local_name(term)

    def actor_kind(self, actor: Node) -> str:
        """The most specific cdkg actor class of ``actor`` as a lower-case phrase.

        Classes are reached from the stated types through ``rdfs:subClassOf`` and
        ``owl:equivalentClass`` (both ways), as the classification rules match them, so the
        phrase does not depend on which entailments an engine wrote; ``cdkg:Actor`` itself
        says nothing of the kind (every engaged or initiating actor is one by its range).
        """
        best: URIRef | None = None
        best_depth = -1
        for cls in self._classes(actor):
            if not str(cls).startswith(str(CDKG)) or cls == CDKG.Actor:
                continue
            ancestors = set(self.graph.transitive_objects(cls, RDFS.subClassOf))
            if CDKG.Actor not in ancestors:
                continue
            if len(ancestors) > best_depth:
                best, best_depth = cls, len(ancestors)
        return kind_phrase(self(best) if best is not None else None)

    def _classes(self, node: Node) -> set[URIRef]:
        """Every class ``node`` belongs to through subclass and equivalence links."""
        todo = [c for c in self.graph.objects(node, RDF.type) if isinstance(c, URIRef)]
        seen: set[URIRef] = set()
        while todo:
            cls = todo.pop()
            if cls in seen:
                continue
            seen.add(cls)
            for up in (
                *self.graph.objects(cls, RDFS.subClassOf),
                *self.graph.objects(cls, OWL.equivalentClass),
                *self.graph.subjects(OWL.equivalentClass, cls),
            ):
                if isinstance(up, URIRef):
                    todo.append(up)
        return seen

    def actor(self, actor: Node) -> str:
        """``a civil society organisation (Slum Dwellers Federation)``."""
        return f"{self.actor_kind(actor)} ({self(actor)})"


def kind_phrase(label: str | None) -> str:
    """A class label as the phrase naming one member of it: "a civil society
    organisation", "citizens" (a plural label takes no article); None: no known kind."""
    if label is None:
        return "an actor of unknown type"
    phrase = label
    if len(phrase) > 1 and phrase[0].isupper() and not phrase[1].isupper():
        phrase = phrase[0].lower() + phrase[1:]
    if phrase.endswith("s") and not phrase.endswith("ss"):
        return phrase
    article = "an" if phrase[:1].lower() in "aeiou" else "a"
    return f"{article} {phrase}"
