"""The JSON-LD context turns plain JSON or YAML into initiative descriptions."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from rdflib import Literal
from rdflib.namespace import DCTERMS, FOAF, RDF

from cdkg.model.namespaces import CDKG, PARTICIPATION_LEVEL, SDG, STAGE
from cdkg.model.resources import data_dir
from cdkg.rdf.read import graph_from_text, local_context

PLAIN = {
    "@context": "https://w3id.org/cdkg/context.jsonld",
    "id": "https://example.org/initiative/water-watch",
    "type": "Initiative",
    "title": "Water Watch",
    "initiatedBy": {
        "id": "https://example.org/actor/residents",
        "type": "CivilSocietyOrganisation",
        "name": "Residents' Association",
        "directlyEngagesCitizens": True,
    },
    "addressesSdg": ["6", "6.1", "C060101", "sdg:5.2"],
    "hasEngagement": [
        {"type": "Engagement", "stage": "design", "participationLevel": "5"},
        {"type": "Engagement", "stage": "collection", "participationLevel": "4"},
    ],
}


def test_context_file_is_json_ld_1_1() -> None:
    doc = json.loads(Path(str(data_dir("ontology") / "context.jsonld")).read_text("utf-8"))
    assert doc["@context"]["@version"] == 1.1
    assert local_context() == doc["@context"]


def test_plain_json_reads_as_an_initiative() -> None:
    g = graph_from_text(json.dumps(PLAIN), "json-ld", "plain.jsonld")
    init = rdflib.URIRef(PLAIN["id"])
    assert (init, RDF.type, CDKG.Initiative) in g
    assert (init, DCTERMS.title, Literal("Water Watch")) in g
    actor = rdflib.URIRef("https://example.org/actor/residents")
    assert (init, CDKG.initiatedBy, actor) in g
    assert (actor, RDF.type, CDKG.CivilSocietyOrganisation) in g
    assert (actor, FOAF.name, Literal("Residents' Association")) in g
    assert set(g.objects(init, CDKG.addressesSdg)) == {
        SDG["6"],
        SDG["6.1"],
        SDG["C060101"],
        SDG["5.2"],
    }
    engagements = set(g.objects(init, CDKG.hasEngagement))
    pairs = {(g.value(e, CDKG.stage), g.value(e, CDKG.participationLevel)) for e in engagements}
    assert pairs == {
        (STAGE.design, PARTICIPATION_LEVEL["5"]),
        (STAGE.collection, PARTICIPATION_LEVEL["4"]),
    }
    assert g.value(actor, CDKG.directlyEngagesCitizens) == Literal(True)


def test_yaml_reads_like_json() -> None:
    text = """
"@context": https://w3id.org/cdkg/context.jsonld
id: https://example.org/initiative/y
type: Initiative
title: Y
hasEngagement:
  stage: design-methodology
  participationLevel: "4"
"""
    g = graph_from_text(text, "yaml-ld", "plain.yaml")
    init = rdflib.URIRef("https://example.org/initiative/y")
    (engagement,) = g.objects(init, CDKG.hasEngagement)
    assert g.value(engagement, CDKG.stage) == STAGE["design-methodology"]
    assert g.value(engagement, CDKG.participationLevel) == PARTICIPATION_LEVEL["4"]
