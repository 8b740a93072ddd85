"""Personal contact data of individuals is withheld unless consent to publication is recorded."""

from __future__ import annotations

import re

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SH, Literal, URIRef
from rdflib.namespace import FOAF

from cdkg.model.namespaces import CDKGSH, DPV
from cdkg.render.privacy import (
    CONTACT_PROPERTIES,
    PERSON_CLASSES,
    VCARD,
    redact,
    redact_quads,
    redacted,
    withheld,
)
from cdkg.validate.reference import shapes_graph
from cdkg.validate.run import run

PREFIXES = """
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix pd: <https://w3id.org/dpv/pd#> .
@prefix ex: <https://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
EX = rdflib.Namespace("https://example.org/")
PERSON = (
    PREFIXES
    + """
ex:i a cdkg:Initiative ; dct:title "Water watch" ; cdkg:initiatedBy ex:cso ; dct:creator ex:amina .
ex:cso a cdkg:CivilSocietyOrganisation ; foaf:name "Water Watch" ;
    foaf:mbox <mailto:info@waterwatch.example> ; schema:telephone "+254 20 000 000" .
ex:amina a foaf:Person ; foaf:name "Amina Otieno" ;
    foaf:mbox <mailto:amina@example.org> ; foaf:phone <tel:+254700000001> ;
    schema:email "amina.otieno@example.org" ; schema:telephone "+254 700 000 002" ;
    vcard:hasEmail [ a vcard:Email ; vcard:value <mailto:amina.work@example.org> ] ;
    vcard:hasTelephone [ vcard:value <tel:+254700000003> ] .
"""
)
SECRETS = (
    "amina@example.org",
    "+254700000001",
    "amina.otieno@example.org",
    "+254 700 000 002",
    "amina.work@example.org",
    "+254700000003",
)


def parse(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def consent(extra: str = "", *, status: str = "dpv:ConsentGiven", kind: str = "dpv:Consent") -> str:
    return f"""
ex:consent a {kind} ; dpv:hasDataSubject ex:amina ; dpv:hasConsentStatus {status} ;
    dpv:hasProcessing dpv:MakeAvailable {extra} .
"""


def text_of(graph: rdflib.Graph) -> str:
    return graph.serialize(format="nt") + graph.serialize(format="json-ld")


def test_every_contact_property_of_a_person_is_withheld_and_the_name_kept():
    graph = parse(PERSON)
    report = redact(graph)
    out = text_of(graph)
    for secret in SECRETS:
        assert secret not in out
    assert (EX.amina, FOAF.name, Literal("Amina Otieno")) in graph
    assert report.people == {EX.amina}
    assert report.removed >= 8  # six links plus the descriptions of the two vCard nodes


def test_organisation_contact_points_are_kept():
    graph = parse(PERSON)
    redact(graph)
    assert (EX.cso, FOAF.mbox, URIRef("mailto:info@waterwatch.example")) in graph
    assert "+254 20 000 000" in text_of(graph)


def test_recorded_consent_to_publication_keeps_the_contact_data():
    graph = parse(PERSON + consent())
    report = redact(graph)
    assert report.removed == 0
    assert report.consented == {EX.amina}
    out = text_of(graph)
    assert all(secret in out for secret in SECRETS)


def test_consent_for_some_categories_keeps_only_those():
    graph = parse(PERSON + consent("; dpv:hasPersonalData pd:EmailAddress"))
    redact(graph)
    out = text_of(graph)
    assert "amina@example.org" in out and "amina.work@example.org" in out
    assert "+254700000001" not in out and "+254 700 000 002" not in out


def test_withdrawn_implied_or_unscoped_consent_does_not_count():
    cases = [
        consent(status="dpv:ConsentWithdrawn"),
        consent(status="dpv:ConsentRequested"),
        consent(kind="dpv:ImpliedConsent"),
        """ex:consent a dpv:Consent ; dpv:hasDataSubject ex:amina ;
             dpv:hasConsentStatus dpv:ConsentGiven .""",  # no publication processing
        consent().replace("ex:amina", "ex:somebody-else"),
    ]
    for case in cases:
        graph = parse(PERSON + case)
        redact(graph)
        assert not any(secret in text_of(graph) for secret in SECRETS), case


def test_other_person_classes_and_declared_subclasses_count_as_individuals():
    graph = parse(
        PREFIXES
        + """
ex:a a schema:Person ; schema:email "a@example.org" .
ex:b a vcard:Individual ; vcard:hasEmail <mailto:b@example.org> .
ex:c a <http://schema.org/Person> ; <http://schema.org/telephone> "+1 555 0100" .
ex:Volunteer rdfs:subClassOf ex:Member . ex:Member rdfs:subClassOf foaf:Person .
ex:d a ex:Volunteer ; foaf:mbox <mailto:d@example.org> .
ex:e a <http://www.w3.org/ns/prov#Person> ; foaf:phone <tel:+15550101> .
"""
    )
    report = redact(graph)
    assert report.people == {EX.a, EX.b, EX.c, EX.d, EX.e}
    out = text_of(graph)
    for secret in ("a@example.org", "b@example.org", "+1 555 0100", "d@example.org", "15550101"):
        assert secret not in out


def test_a_dataset_is_redacted_in_every_named_graph_and_consent_crosses_graphs():
    ds = rdflib.Dataset()
    ds.graph(URIRef("urn:g:1")).parse(data=PERSON, format="turtle")
    ds.graph(URIRef("urn:g:2")).parse(
        data=PREFIXES + "ex:amina foaf:mbox <mailto:amina@example.org> .", format="turtle"
    )
    redact(ds)
    assert not any(secret in ds.serialize(format="nquads") for secret in SECRETS)

    ds2 = rdflib.Dataset()
    ds2.graph(URIRef("urn:g:1")).parse(data=PERSON, format="turtle")
    ds2.graph(URIRef("urn:g:consents")).parse(data=PREFIXES + consent(), format="turtle")
    assert redact(ds2).removed == 0


def test_quads_interface_keeps_graph_names():
    ds = rdflib.Dataset()
    ds.graph(URIRef("urn:g:1")).parse(data=PERSON, format="turtle")
    quads = list(ds.quads((None, None, None, None)))
    kept, report = redact_quads(quads)
    assert len(kept) == len(quads) - report.removed
    assert {q[3] for q in kept} == {URIRef("urn:g:1")}
    assert all(not isinstance(q[2], Literal) or str(q[2]) not in SECRETS for q in kept)


def test_redacted_returns_a_copy_and_leaves_the_input_alone():
    graph = parse(PERSON)
    before = len(graph)
    copy = redacted(graph)
    assert len(graph) == before
    assert len(copy) == before - withheld(graph).removed


def test_the_shape_that_warns_about_contact_data_is_covered_by_redaction():
    """Everything cdkgsh:NoPublishedContactData flags is withheld from publication."""
    shapes = shapes_graph()
    flagged = _shape_properties()
    assert flagged, "the shape lists no properties"
    assert flagged <= set(CONTACT_PROPERTIES)
    targets = set(shapes.objects(CDKGSH.NoPublishedContactData, SH.targetClass))
    assert targets <= PERSON_CLASSES


def _contact_warnings(graph: rdflib.Graph, engine: str) -> set[tuple[str, str]]:
    report = run(graph, engine).report
    return {
        (r.focus_node, r.result_path or "")
        for r in report.results
        if r.source_shape == str(CDKGSH.NoPublishedContactData)
    }


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize(
    "record",
    [
        "",
        consent(),
        consent(kind="dpv:InformedConsent"),
        consent("; dpv:hasPersonalData pd:EmailAddress"),
        consent("; dpv:hasPersonalData pd:TelephoneNumber"),
        consent("; dpv:hasPersonalData pd:Contact"),
        consent(status="dpv:ConsentWithdrawn"),
        consent(kind="dpv:ImpliedConsent"),
        consent().replace("dpv:MakeAvailable", "dpv:Collect"),
    ],
    ids=[
        "no-consent",
        "consent",
        "informed-consent",
        "email-only",
        "telephone-only",
        "all-contact",
        "withdrawn",
        "implied",
        "collection-only",
    ],
)
def test_contact_data_warning_is_silenced_exactly_by_recorded_consent(
    record: str, engine: str
) -> None:
    """cdkgsh:NoPublishedContactData warns about a person's contact data exactly when
    publication withholds it: recorded consent to publication (of that kind of contact
    data) silences it, a withdrawn, implied or collection-only consent does not."""
    graph = parse(PERSON + record)
    warned = _contact_warnings(graph, engine)
    withheld_now = {(str(s), str(p)) for s, p, _o in withheld(graph).triples if s == EX.amina}
    listed = {str(p) for p in _shape_properties()}
    assert warned == {(s, p) for s, p in withheld_now if p in listed}
    if record == "" or "Withdrawn" in record or "Implied" in record or "Collect " in record:
        assert (str(EX.amina), str(FOAF.mbox)) in warned
        assert (str(EX.amina), str(FOAF.phone)) in warned
    elif "EmailAddress" in record:
        assert (str(EX.amina), str(FOAF.phone)) in warned
        assert (str(EX.amina), str(FOAF.mbox)) not in warned
    elif "TelephoneNumber" in record:
        assert (str(EX.amina), str(FOAF.mbox)) in warned
        assert (str(EX.amina), str(FOAF.phone)) not in warned
    else:
        assert warned == set()
    # the organisation's contact point is never a finding
    assert not {s for s, _p in warned} - {str(EX.amina)}


def _shape_properties() -> set[URIRef]:
    shapes = shapes_graph()
    query = str(shapes.value(CDKGSH.NoPublishedContactDataQuery, SH.select))
    listed = re.search(r"IN\s*\(([^)]*)\)", query)
    assert listed is not None
    declared = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    found = set()
    for name in listed.group(1).split(","):
        prefix, local = name.strip().split(":", 1)
        found.add(URIRef(declared[prefix] + local))
    return found


# ----------------------------------------------------------------- properties

_people = st.sampled_from([EX.p1, EX.p2, EX.org])
_props = st.sampled_from([*sorted(CONTACT_PROPERTIES)[:12], FOAF.name, RDFS.label])
_values = st.one_of(
    st.text(min_size=1, max_size=8).map(Literal),
    st.sampled_from([URIRef("mailto:x@example.org"), rdflib.BNode("v1"), EX.node]),
)
_triples = st.lists(st.tuples(_people, _props, _values), max_size=25)
_types = st.lists(
    st.tuples(_people, st.just(RDF.type), st.sampled_from([*PERSON_CLASSES, FOAF.Organization])),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(_triples, _types)
def test_redaction_removes_only_contact_data_of_people_and_is_idempotent(triples, types):
    graph = rdflib.Graph()
    for t in [*triples, *types]:
        graph.add(t)
    people = {s for s, _p, o in types if o in PERSON_CLASSES}
    before = set(graph)
    report = redact(graph)
    after = set(graph)
    assert after == before - report.triples
    for s, p, _o in before - after:
        # a contact property of a person, or the description of a removed contact value
        assert (s in people and p in CONTACT_PROPERTIES) or s not in people
    for s, p, o in after:
        assert not (s in people and p in CONTACT_PROPERTIES), (s, p, o)
    assert redact(graph).removed == 0


def test_vcard_namespace_is_the_w3c_one():
    assert str(VCARD) == "http://www.w3.org/2006/vcard/ns#"
    assert DPV.Consent == URIRef("https://w3id.org/dpv#Consent")
