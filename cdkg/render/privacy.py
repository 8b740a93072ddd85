"""Personal contact data of individuals is withheld from everything cdkg publishes.

Principle 9 of the Copenhagen Framework (¶31) says information that identifies individuals
is never made public. A description may still name a person (a coordinator, a contact),
so before a registry is published or served, the contact details of *individuals* are
removed unless that person's consent to publication is recorded.

Individuals
    Nodes typed ``foaf:Person``, ``schema:Person`` (``https://`` and ``http://``),
    ``vcard:Individual`` or ``prov:Person`` — or a class the data declares
    ``rdfs:subClassOf`` one of them. Organisations keep their contact points.

Contact data
    The properties in :data:`CONTACT_PROPERTIES` (e-mail, telephone, fax, postal address,
    instant-messaging identities in FOAF, schema.org and vCard). When the value is a node
    rather than a literal (``vcard:hasEmail [ vcard:value <mailto:…> ]``, a
    ``schema:contactPoint``), the node's own description is removed with it, so the
    address does not survive as an orphan.

Consent to publication (DPV)
    A person's contact data are kept only when the data hold a consent record::

        ex:consent-1 a dpv:Consent ;                 # or dpv:InformedConsent,
            dpv:hasDataSubject ex:coordinator ;       #    dpv:ExpressedConsent,
            dpv:hasConsentStatus dpv:ConsentGiven ;   #    dpv:ExplicitlyExpressedConsent
            dpv:hasProcessing dpv:MakeAvailable .     # or dpv:Disclose, dpv:Disseminate

    The status must be ``dpv:ConsentGiven`` or ``dpv:RenewedConsentGiven`` (a withdrawn,
    refused, expired or requested consent does not count), and the processing consented
    to must be publication (``dpv:MakeAvailable`` — DPV: "to transform or publish data to
    be used" — or ``dpv:Disclose`` / ``dpv:Disseminate``). If the record also names the
    personal data it covers (``dpv:hasPersonalData``), only those are kept: ``pd:Contact``
    (or ``dpv:PersonalData``) covers everything, ``pd:EmailAddress`` e-mail,
    ``pd:TelephoneNumber`` telephone and fax, ``pd:PhysicalAddress`` postal address.
    ``pd:`` is ``https://w3id.org/dpv/pd#``; the older ``https://w3id.org/dpv/dpv-pd#``
    and plain ``dpv:`` spellings are accepted too. Implied consent never counts.

The functions work on an rdflib graph (a ``Dataset`` or ``ConjunctiveGraph`` is redacted
across all its named graphs: who is a person and who consented is decided over the
union, so a consent recorded in one document covers the person wherever they appear)
or on an iterable of quads.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, PROV
from rdflib.term import Node

from cdkg.errors import InputError
from cdkg.model.namespaces import DPV
from cdkg.rdf.closure import closure
from cdkg.rdf.terms import to_rdflib
from cdkg.store.base import Change, Store

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA_HTTPS = Namespace("https://schema.org/")
SCHEMA_HTTP = Namespace("http://schema.org/")
PD_NAMESPACES = (
    Namespace("https://w3id.org/dpv/pd#"),
    Namespace("https://w3id.org/dpv/dpv-pd#"),
    DPV,
)

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node | None]

#: Classes whose instances are individuals (people).
PERSON_CLASSES: frozenset[URIRef] = frozenset(
    {FOAF.Person, SCHEMA_HTTPS.Person, SCHEMA_HTTP.Person, VCARD.Individual, PROV.Person}
)

EMAIL, TELEPHONE, ADDRESS, MESSAGING = "email", "telephone", "address", "messaging"
#: A contact point holds every kind at once; only consent to all contact data covers it.
CONTACT_POINT = "contact point"

#: Contact properties of individuals, each with the kind of contact data it carries.
CONTACT_PROPERTIES: dict[Node, str] = {
    FOAF.mbox: EMAIL,
    FOAF.mbox_sha1sum: EMAIL,
    FOAF.phone: TELEPHONE,
    FOAF.skypeID: MESSAGING,
    FOAF.jabberID: MESSAGING,
    FOAF.icqChatID: MESSAGING,
    FOAF.msnChatID: MESSAGING,
    FOAF.aimChatID: MESSAGING,
    FOAF.yahooChatID: MESSAGING,
    VCARD.hasEmail: EMAIL,
    VCARD.email: EMAIL,
    VCARD.hasTelephone: TELEPHONE,
    VCARD.tel: TELEPHONE,
    VCARD.fax: TELEPHONE,
    VCARD.hasAddress: ADDRESS,
    VCARD.adr: ADDRESS,
    VCARD["street-address"]: ADDRESS,
    VCARD.hasInstantMessage: MESSAGING,
    VCARD.hasKey: MESSAGING,
    **{ns.email: EMAIL for ns in (SCHEMA_HTTPS, SCHEMA_HTTP)},
    **{ns.telephone: TELEPHONE for ns in (SCHEMA_HTTPS, SCHEMA_HTTP)},
    **{ns.faxNumber: TELEPHONE for ns in (SCHEMA_HTTPS, SCHEMA_HTTP)},
    **{ns.address: ADDRESS for ns in (SCHEMA_HTTPS, SCHEMA_HTTP)},
    **{ns.contactPoint: CONTACT_POINT for ns in (SCHEMA_HTTPS, SCHEMA_HTTP)},
}

CONSENT_TYPES: frozenset[URIRef] = frozenset(
    {DPV.Consent, DPV.InformedConsent, DPV.ExpressedConsent, DPV.ExplicitlyExpressedConsent}
)
CONSENT_GIVEN: frozenset[URIRef] = frozenset({DPV.ConsentGiven, DPV.RenewedConsentGiven})
PUBLICATION: frozenset[URIRef] = frozenset({DPV.MakeAvailable, DPV.Disclose, DPV.Disseminate})

_ALL_KINDS = frozenset({EMAIL, TELEPHONE, ADDRESS, MESSAGING})
_KINDS_BY_CATEGORY: dict[Node, frozenset[str]] = {DPV.PersonalData: _ALL_KINDS}
for _ns in PD_NAMESPACES:
    _KINDS_BY_CATEGORY.update(
        {
            _ns.Contact: _ALL_KINDS,
            _ns.EmailAddress: frozenset({EMAIL}),
            _ns.EmailAddressPersonal: frozenset({EMAIL}),
            _ns.EmailAddressWork: frozenset({EMAIL}),
            _ns.TelephoneNumber: frozenset({TELEPHONE}),
            _ns.PhysicalAddress: frozenset({ADDRESS}),
        }
    )


@dataclass(frozen=True)
class Redaction:
    """What was withheld: the triples, and whose they were."""

    triples: frozenset[Triple] = field(default_factory=frozenset)
    people: frozenset[Node] = field(default_factory=frozenset)
    consented: frozenset[Node] = field(default_factory=frozenset)

    @property
    def removed(self) -> int:
        return len(self.triples)


def withheld(triples: Iterable[Triple]) -> Redaction:
    """Which of ``triples`` are personal contact data that must not be published."""
    data = list(triples)
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    types: dict[Node, set[Node]] = defaultdict(set)
    subclass: dict[Node, set[Node]] = defaultdict(set)
    for t in data:
        s, p, o = t
        by_subject[s].append(t)
        if p == RDF.type:
            types[s].add(o)
        elif p == RDFS.subClassOf:
            subclass[o].add(s)

    person_classes = closure(PERSON_CLASSES, subclass)
    people = {s for s, ts in types.items() if ts & person_classes}
    allowed = _consents(by_subject, types, people)

    removed: set[Triple] = set()
    withheld_people: set[Node] = set()
    for person in people:
        kinds = allowed.get(person, frozenset())
        for t in by_subject.get(person, ()):
            kind = CONTACT_PROPERTIES.get(t[1])
            if kind is None:
                continue
            if kind in kinds or (kind == CONTACT_POINT and kinds == _ALL_KINDS):
                continue
            removed.add(t)
            withheld_people.add(person)
            removed.update(_description(t[2], by_subject, people))
    return Redaction(frozenset(removed), frozenset(withheld_people), frozenset(allowed))


def _consents(
    by_subject: dict[Node, list[Triple]], types: dict[Node, set[Node]], people: set[Node]
) -> dict[Node, frozenset[str]]:
    """For each consenting person, the kinds of contact data they agreed to publish."""
    allowed: dict[Node, frozenset[str]] = {}
    for record, record_types in types.items():
        if not record_types & CONSENT_TYPES:
            continue
        values: dict[Node, set[Node]] = defaultdict(set)
        for _s, p, o in by_subject.get(record, ()):
            values[p].add(o)
        if not values[DPV.hasConsentStatus] & CONSENT_GIVEN:
            continue
        if not values[DPV.hasProcessing] & PUBLICATION:
            continue
        categories = values[DPV.hasPersonalData]
        if categories:
            kinds = frozenset().union(*(_KINDS_BY_CATEGORY.get(c, frozenset()) for c in categories))
        else:
            kinds = _ALL_KINDS
        for subject in values[DPV.hasDataSubject] & people:
            allowed[subject] = allowed.get(subject, frozenset()) | kinds
    return {p: k for p, k in allowed.items() if k}


def _description(
    node: Node, by_subject: dict[Node, list[Triple]], people: set[Node]
) -> set[Triple]:
    """The triples describing a contact value node (through blank nodes), never a person."""
    found: set[Triple] = set()
    if isinstance(node, Literal) or node in people:
        return found
    queue, seen = deque([node]), {node}
    while queue:
        for t in by_subject.get(queue.popleft(), ()):
            found.add(t)
            o = t[2]
            if isinstance(o, BNode) and o not in seen and o not in people:
                seen.add(o)
                queue.append(o)
    return found


def redact_quads(quads: Iterable[Quad]) -> tuple[list[Quad], Redaction]:
    """``quads`` without personal contact data, and what was withheld."""
    data = list(quads)
    redaction = withheld((s, p, o) for s, p, o, _g in data)
    kept = [q for q in data if (q[0], q[1], q[2]) not in redaction.triples]
    return kept, redaction


def redact(graph: rdflib.Graph) -> Redaction:
    """Remove personal contact data from ``graph`` in place (all named graphs of a dataset)."""
    if isinstance(graph, rdflib.ConjunctiveGraph | rdflib.Dataset):
        quads = list(graph.quads((None, None, None, None)))
        redaction = withheld((s, p, o) for s, p, o, _g in quads)
        for s, p, o, g in quads:
            if (s, p, o) in redaction.triples:
                graph.remove((s, p, o, g))
        return redaction
    redaction = withheld(graph)
    for t in redaction.triples:
        graph.remove(t)
    return redaction


def redacted(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``graph`` (a plain graph: the union of its triples) without contact data."""
    triples = (
        [(s, p, o) for s, p, o, _g in graph.quads((None, None, None, None))]
        if isinstance(graph, rdflib.ConjunctiveGraph | rdflib.Dataset)
        else list(graph)
    )
    redaction = withheld(triples)
    out = rdflib.Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for t in triples:
        if t not in redaction.triples:
            out.add(t)
    return out


# --------------------------------------------------------------------------- registry views


@contextmanager
def redacted_copy(store: Store) -> Iterator[tuple[Store, Redaction]]:
    """A temporary copy of ``store`` without personal contact data, and what was withheld.

    ``cdkg publish`` and ``cdkg serve`` work on this copy, so no page, dump or SPARQL
    answer can contain a withheld triple, whatever the query: the triples are simply not
    there. The copy is an embedded store in a temporary folder, removed afterwards.
    """
    from cdkg.store import EmbeddedStore

    folder = Path(tempfile.mkdtemp(prefix="cdkg-published-"))
    try:
        copy = EmbeddedStore(folder / "store")
        try:
            redaction = refresh_copy(store, copy)
            yield copy, redaction
        finally:
            copy.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def refresh_copy(store: Store, copy: Store) -> Redaction:
    """Make ``copy`` hold ``store`` without personal contact data, in one atomic write
    (``cdkg serve`` calls it again after every write it accepts)."""
    quads = list(store.quads())
    try:
        triples = [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads
        ]
    except ValueError as exc:  # an RDF 1.2 triple term
        raise InputError.single(store.name, str(exc)) from None
    redaction = withheld(triples)
    kept = [q for q, t in zip(quads, triples, strict=True) if t not in redaction.triples]
    present = sorted(
        {q.graph_name.value for q in copy.quads() if isinstance(q.graph_name, ox.NamedNode)}
    )
    copy.apply(Change(drop_graphs=present, insert=kept))
    return redaction
