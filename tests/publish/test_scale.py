"""``cdkg publish`` at registry scale: what the fast path must keep exactly.

The pages are written from a snapshot of the registry by (up to) two processes, with
their own JSON-LD writer, the stored classification and reasons gathered in bulk, and
a redaction decided from a subset of the triples. Each shortcut is checked here
against the general way of doing the same thing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from cdkg.classify.verdicts import classify
from cdkg.publish.redaction import withheld_in
from cdkg.publish.site import publish
from cdkg.publish.source import ReadOnlyStore
from cdkg.rdf.read import load_graph
from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.render.privacy import withheld
from cdkg.validate.fast.working_copy import bulk_load
from tests.support.webfixtures import BASE, example_store

GENERATED_BASE = "https://registry.example.org/"


def _folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A generated registry bulk-loaded WITHOUT classification, published by two
    processes from a read-only store: (data folder, store, site)."""
    from cdkg.sources.synthetic import generate

    folder = tmp_path_factory.mktemp("scale")
    data = folder / "data"
    generate(40, out=data, seed=5, chunk_size=15)
    store_dir = folder / "store"
    store = ox.Store(str(store_dir))
    bulk_load(store, sorted(data.rglob("*.ttl")))
    store.flush()
    del store
    before = _folder_state(store_dir)
    with ReadOnlyStore(store_dir) as source:
        publish(source, folder / "site", GENERATED_BASE, workers=2, progress=False)
    assert _folder_state(store_dir) == before, "publishing wrote into the registry"
    return data, store_dir, folder / "site"


def test_unclassified_registry_pages_carry_verdicts_and_classify_reasons(
    generated: tuple[Path, Path, Path],
) -> None:
    data, _store, site = generated
    result = classify(load_graph([str(data)]), engine="fast")
    assert len(result.initiatives) == 40
    for item in result.initiatives:
        stem = site / item.iri[len(GENERATED_BASE) :]
        page = html.unescape(Path(f"{stem}.html").read_text(encoding="utf-8"))
        words = {
            "citizen-data": "Citizen data",
            "not-citizen-data": "Not citizen data",
            "to-be-assessed": "To be assessed",
        }[item.verdict]
        assert f"<strong>{words}</strong>" in page, item.iri
        listed = re.search(r'<ol class="reasons">(.*?)</ol>', page, re.S)
        assert listed, item.iri
        assert re.findall(r"<li>(.*?)</li>", listed.group(1)) == item.reasons
        checklist = re.search(r'<ul class="checklist missing">(.*?)</ul>', page, re.S)
        missing = re.findall(r"</span> (.*?)</li>", checklist.group(1)) if checklist else []
        assert missing == [m.message for m in item.missing], item.iri
        nt = rdflib.Graph().parse(f"{stem}.nt", format="nt")
        kind = nt.value(
            rdflib.URIRef(item.iri), rdflib.URIRef("https://w3id.org/cdkg/ontology#initiativeType")
        )
        assert (str(kind) if kind is not None else None) == item.initiative_type
        verdict = nt.value(
            rdflib.URIRef(item.iri), rdflib.URIRef("https://w3id.org/cdkg/ontology#verdict")
        )
        assert verdict == item.verdict_iri, item.iri
    assert {i.verdict for i in result.initiatives} == {
        "citizen-data",
        "not-citizen-data",
        "to-be-assessed",
    }


@pytest.mark.parametrize("which", ["examples", "generated"])
def test_every_jsonld_file_says_what_its_ntriples_say(
    which: str, generated: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if which == "generated":
        site = generated[2]
    else:
        folder = tmp_path_factory.mktemp("examples-site")
        with ReadOnlyStore(example_store(folder)) as source:
            publish(source, folder / "site", BASE, progress=False)
        site = folder / "site"
    checked = 0
    for nt in site.rglob("*.nt"):
        expected = rdflib.Graph().parse(nt, format="nt")
        doc = nt.with_suffix(".jsonld")
        got = rdflib.Graph().parse(doc, format="json-ld")
        assert isomorphic(got, expected), doc
        if nt.parent == site and nt.stem in ("ontology", "shapes"):
            continue  # documentation pages, written as before
        page = nt.with_suffix(".html").read_text(encoding="utf-8")
        embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert embedded, nt
        text = embedded.group(1).replace("<\\/", "</")
        assert isomorphic(rdflib.Graph().parse(data=text, format="json-ld"), expected), nt
        turtle = rdflib.Graph().parse(nt.with_suffix(".ttl"), format="turtle")
        assert isomorphic(turtle, expected), nt
        checked += 1
    assert checked > 100


def test_redaction_from_the_subset_equals_the_redaction_of_everything() -> None:
    people = """
@prefix ex: <https://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix pd: <https://w3id.org/dpv/pd#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Volunteer rdfs:subClassOf ex:Helper . ex:Helper rdfs:subClassOf foaf:Person .
ex:ann a ex:Volunteer ; foaf:name "Ann" ; foaf:mbox <mailto:ann@example.org> ;
    vcard:hasAddress [ vcard:street-address "1 Road" ; vcard:locality [ ex:p "x" ] ] .
ex:bo a schema:Person ; schema:email "bo@example.org" ; schema:telephone "123" .
ex:c a dpv:Consent ; dpv:hasDataSubject ex:bo ; dpv:hasConsentStatus dpv:ConsentGiven ;
    dpv:hasProcessing dpv:MakeAvailable ; dpv:hasPersonalData pd:EmailAddress .
ex:org a foaf:Organization ; foaf:mbox <mailto:office@example.org> .
ex:cy a foaf:Person ; schema:contactPoint ex:desk . ex:desk schema:telephone "9" ; ex:of ex:ann .
ex:n ex:count "01"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""
    graph = rdflib.Graph().parse(data=people, format="turtle")
    expected = withheld(graph)
    out: dict = {}
    stored = ox.Store()
    for s, p, o in graph:
        stored.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode("urn:g")))  # type: ignore[arg-type]
    for q in stored:
        out.setdefault(q.subject, set()).add((q.predicate, q.object))
    redaction, found = withheld_in(out)
    assert redaction.triples == expected.triples and len(expected.triples) >= 6
    assert redaction.people == expected.people
    assert {(to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in found} == set(
        expected.triples
    )
