"""A flat record of one initiative, and its translation to and from linked data.

Spreadsheet rows, questionnaire answers and crosswalked records are all read into
:class:`InitiativeRecord` first and turned into RDF by one function,
:func:`records_to_graph`, so every way in produces the same description for the same
facts. :func:`graph_to_records` goes back (for writing a store to a spreadsheet).

IRIs are stable: an initiative is ``BASE + slug`` (the slug from its id, or from its
title when no id is given), an actor ``BASE + "actor/" + slug(name)``, an engagement
``<initiative>/engagement/<stage code>``. Re-importing an edited record therefore
replaces the description instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from cdkg.model.choices import (
    ChoiceList,
    actor_type_choices,
    country_code,
    country_iri,
    scheme_choices,
)
from cdkg.model.namespaces import CDKG, PREFIXES, SDG
from cdkg.model.sdg import sdg_iri

#: Used when no ``--base-iri`` is given. Registries should pass their own.
DEFAULT_BASE_IRI = "https://w3id.org/cdkg/id/"


@dataclass(frozen=True)
class ConceptField:
    """A field whose values are concepts of one scheme."""

    key: str  # record/answers key, e.g. "population_groups"
    scheme: str  # concept scheme name, e.g. "population-group"
    prop: URIRef
    multiple: bool = True

    @property
    def choices(self) -> ChoiceList:
        return scheme_choices(self.scheme)


CONCEPT_FIELDS: tuple[ConceptField, ...] = (
    ConceptField("objectives", "objective", CDKG.objective),
    ConceptField("practices", "practice", CDKG.practice),
    ConceptField("collection_methods", "collection-method", CDKG.collectionMethod),
    ConceptField("population_groups", "population-group", CDKG.populationGroup),
    ConceptField("integration_status", "integration-status", CDKG.integrationStatus, False),
)


def stages() -> ChoiceList:
    return scheme_choices("stage")


def levels() -> ChoiceList:
    """The participation ladder (Table 1), written by its numbers 1–5."""
    return replace(scheme_choices("participation-level"), by_notation=True)


@dataclass
class ActorEntry:
    """An actor named in a record; ``types`` is empty when its kind is not stated."""

    name: str
    types: tuple[URIRef, ...] = ()


@dataclass
class InitiativeRecord:
    """What a person says about one initiative, in plain fields."""

    title: str
    key: str = ""  # id/slug, or a full IRI; empty: slug of the title
    description: str | None = None
    website: str | None = None
    initiators: list[ActorEntry] = field(default_factory=list)
    collaborators: list[ActorEntry] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-3
    sdgs: list[str] = field(default_factory=list)  # "5", "5.2", "C050201"
    concepts: dict[str, list[URIRef]] = field(default_factory=dict)  # ConceptField.key -> IRIs
    levels: dict[URIRef, URIRef] = field(default_factory=dict)  # stage -> participation level
    #: Stages whose level the person does not know (the questionnaire's "don't know"):
    #: nothing is written for them, and unknown is never read as "no part".
    unknown_levels: list[URIRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: list[tuple[URIRef, Node]] = field(default_factory=list)  # other facts (crosswalks)


# --------------------------------------------------------------------------- IRIs


def slugify(text: str) -> str:
    """A lower-case ASCII slug; text without Latin letters gets a short stable hash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return slug[:80].rstrip("-")


def is_absolute_iri(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", text)) and (
        "://" in text or text.lower().startswith("urn:")
    )


def is_web_address(text: str) -> bool:
    """An ``http(s)://`` address that is an absolute IRI (what a website field takes)."""
    return text.startswith(("http://", "https://")) and is_absolute_iri(text)


def initiative_iri(record: InitiativeRecord, base: str) -> URIRef:
    key = record.key.strip()
    if key and is_absolute_iri(key):
        return URIRef(key)
    return URIRef(base + slugify(key or record.title))


def actor_iri(name: str, base: str) -> URIRef:
    return URIRef(f"{base}actor/{slugify(name)}")


def engagement_iri(initiative: URIRef, stage: URIRef) -> URIRef:
    return URIRef(f"{initiative}/engagement/{slugify(str(stage).rstrip('/').split('/')[-1])}")


def check_base_iri(base: str) -> str | None:
    """A problem with ``base`` as an IRI prefix, or None when it is usable."""
    if not is_absolute_iri(base):
        return f"--base-iri {base!r} is not an absolute IRI (e.g. https://example.org/initiative/)"
    if not base.endswith(("/", "#", ":")):
        return f"--base-iri {base!r} must end with '/', '#' or ':' so slugs can follow it"
    return None


# --------------------------------------------------------------------------- record -> graph


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def records_to_graph(records: Iterable[InitiativeRecord], base: str = DEFAULT_BASE_IRI) -> Graph:
    """The linked-data description of ``records`` (DESIGN Contract 2 terms only)."""
    graph = new_graph()
    for record in records:
        add_record(graph, record, base)
    return graph


def _add_actor(graph: Graph, actor: ActorEntry, base: str) -> URIRef:
    iri = actor_iri(actor.name, base)
    graph.add((iri, FOAF.name, Literal(actor.name)))
    for cls in actor.types:
        graph.add((iri, RDF.type, cls))
    return iri


def add_record(graph: Graph, record: InitiativeRecord, base: str) -> URIRef:
    init = initiative_iri(record, base)
    graph.add((init, RDF.type, CDKG.Initiative))
    graph.add((init, DCTERMS.title, Literal(record.title)))
    if record.description:
        graph.add((init, DCTERMS.description, Literal(record.description)))
    if record.website:
        graph.add((init, DCAT.landingPage, URIRef(record.website)))
    for actor in record.initiators:
        graph.add((init, CDKG.initiatedBy, _add_actor(graph, actor, base)))
    for actor in record.collaborators:
        graph.add((init, CDKG.collaborator, _add_actor(graph, actor, base)))
    for code in record.countries:
        country = country_iri(code)
        if country is not None:
            graph.add((init, DCTERMS.spatial, country))
    for code in record.sdgs:
        graph.add((init, CDKG.addressesSdg, URIRef(sdg_iri(code))))
    for cfield in CONCEPT_FIELDS:
        for concept in record.concepts.get(cfield.key, []):
            graph.add((init, cfield.prop, concept))
    for stage, level in record.levels.items():
        engagement = engagement_iri(init, stage)
        graph.add((init, CDKG.hasEngagement, engagement))
        graph.add((engagement, RDF.type, CDKG.Engagement))
        graph.add((engagement, CDKG.stage, stage))
        graph.add((engagement, CDKG.participationLevel, level))
    for note in record.notes:
        graph.add((init, SKOS.note, Literal(note)))
    for prop, value in record.extra:
        graph.add((init, prop, value))
    return init


# --------------------------------------------------------------------------- graph -> record


def _literal(graph: Graph, subject: Node, *props: URIRef) -> str | None:
    for prop in props:
        for value in sorted(graph.objects(subject, prop), key=str):
            if isinstance(value, Literal):
                return str(value)
    return None


def _actor_entry(graph: Graph, actor: Node) -> ActorEntry:
    name = _literal(graph, actor, FOAF.name, RDFS.label, SKOS.prefLabel, DCTERMS.title)
    known = actor_type_choices()
    types = tuple(
        sorted(
            (t for t in graph.objects(actor, RDF.type) if known.by_iri(t) is not None),
            key=str,
        )
    )
    return ActorEntry(name or str(actor).rstrip("/").split("/")[-1], types)  # type: ignore[arg-type]


def sdg_code(iri: Node) -> str:
    text = str(iri)
    return text[len(str(SDG)) :] if text.startswith(str(SDG)) else text


def record_key(iri: URIRef, base: str | None) -> str:
    text = str(iri)
    if base and text.startswith(base) and text[len(base) :] == slugify(text[len(base) :]):
        return text[len(base) :]
    return text


def graph_to_records(graph: Graph, base: str | None = DEFAULT_BASE_IRI) -> list[InitiativeRecord]:
    """One record per ``cdkg:Initiative`` in ``graph``, sorted by IRI."""
    records = []
    initiatives = sorted(
        {s for s in graph.subjects(RDF.type, CDKG.Initiative) if isinstance(s, URIRef)}, key=str
    )
    for init in initiatives:
        record = InitiativeRecord(
            title=_literal(graph, init, DCTERMS.title) or "",
            key=record_key(init, base),
            description=_literal(graph, init, DCTERMS.description),
        )
        pages = sorted(str(p) for p in graph.objects(init, DCAT.landingPage))
        record.website = pages[0] if pages else None
        record.initiators = sorted(
            (_actor_entry(graph, a) for a in graph.objects(init, CDKG.initiatedBy)),
            key=lambda a: a.name.casefold(),
        )
        record.collaborators = sorted(
            (_actor_entry(graph, a) for a in graph.objects(init, CDKG.collaborator)),
            key=lambda a: a.name.casefold(),
        )
        record.countries = sorted(
            c for c in (country_code(o) for o in graph.objects(init, DCTERMS.spatial)) if c
        )
        record.sdgs = sorted(sdg_code(o) for o in graph.objects(init, CDKG.addressesSdg))
        for cfield in CONCEPT_FIELDS:
            values = sorted(
                (o for o in graph.objects(init, cfield.prop) if isinstance(o, URIRef)), key=str
            )
            if values:
                record.concepts[cfield.key] = values
        for engagement in graph.objects(init, CDKG.hasEngagement):
            stage = graph.value(engagement, CDKG.stage)
            level = graph.value(engagement, CDKG.participationLevel)
            if isinstance(stage, URIRef) and isinstance(level, URIRef):
                record.levels[stage] = level
        record.notes = sorted(
            str(n) for p in (SKOS.note, RDFS.comment) for n in graph.objects(init, p)
        )
        records.append(record)
    return records


def xsd_date_or_datetime(text: str) -> Literal | None:
    """An ``xsd:dateTime`` (or ``xsd:date``) literal for an ISO 8601 string, or None."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text):
        return Literal(text, datatype=XSD.dateTime)
    return None


# --------------------------------------------------------------------------- output

#: Extensions a description may be written to, and their format names.
OUTPUT_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".yaml": "yaml-ld",
    ".yml": "yaml-ld",
}
CONTEXT_IRI = "https://w3id.org/cdkg/context.jsonld"


def output_format(path: str) -> str:
    """The format for an output file name, or :class:`InputError` listing the choices."""
    from pathlib import Path

    from cdkg.errors import InputError

    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError.single(
            path,
            "cannot tell the output format from the extension",
            hint="use one of " + " ".join(sorted(OUTPUT_FORMATS)),
        )
    return fmt


def serialize(graph: Graph, fmt: str) -> str:
    """``graph`` as Turtle, N-Triples, JSON-LD or YAML-LD (both with the cdkg context)."""
    import json

    import yaml

    from cdkg.rdf.read import local_context

    if fmt in ("json-ld", "yaml-ld"):
        text = graph.serialize(format="json-ld", context=local_context(), auto_compact=True)
        doc = json.loads(text)
        if isinstance(doc, dict):
            doc["@context"] = CONTEXT_IRI
            nodes = doc.get("@graph")
            if isinstance(nodes, list):  # a stable order, for diffs
                nodes.sort(key=lambda n: str(n.get("id", n.get("@id", ""))))
        if fmt == "json-ld":
            return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return graph.serialize(format=fmt)


def write_description(graph: Graph, path: str) -> None:
    """Write ``graph`` to ``path`` in the format its extension names (atomically)."""
    import os
    import tempfile
    from pathlib import Path

    text = serialize(graph, output_format(path))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
