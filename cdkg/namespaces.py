"""Namespaces of DESIGN Contract 1 and the vocabularies cdkg reuses."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

CDKG = Namespace("https://w3id.org/cdkg/ontology#")
CDKGSH = Namespace("https://w3id.org/cdkg/shapes#")
VOCAB_BASE = "https://w3id.org/cdkg/vocab/"
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
GSBPM_PHASE = Namespace("http://id.unece.org/activities/phase/")
GSBPM_SUBPROCESS = Namespace("http://id.unece.org/activities/subProcess/")
COOS = Namespace("http://id.unece.org/def/coos#")
DPV = Namespace("https://w3id.org/dpv#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
ORG = Namespace("http://www.w3.org/ns/org#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
VANN = Namespace("http://purl.org/vocab/vann/")
SCHEMA = Namespace("https://schema.org/")


def scheme(name: str) -> Namespace:
    """The namespace of one concept scheme, e.g. ``scheme("participation-level")["4"]``."""
    return Namespace(f"{VOCAB_BASE}{name}/")


PARTICIPATION_LEVEL = scheme("participation-level")
STAGE = scheme("stage")
INITIATIVE_TYPE = scheme("initiative-type")
PRINCIPLE = scheme("principle")
OBJECTIVE = scheme("objective")
ENABLER = scheme("enabler")
INTEGRATION_STATUS = scheme("integration-status")
PRACTICE = scheme("practice")
COLLECTION_METHOD = scheme("collection-method")
POPULATION_GROUP = scheme("population-group")

#: Prefixes bound when cdkg serialises RDF.
PREFIXES: dict[str, str] = {
    "cdkg": str(CDKG),
    "cdkgsh": str(CDKGSH),
    "level": str(PARTICIPATION_LEVEL),
    "stage": str(STAGE),
    "itype": str(INITIATIVE_TYPE),
    "principle": str(PRINCIPLE),
    "objective": str(OBJECTIVE),
    "enabler": str(ENABLER),
    "integration": str(INTEGRATION_STATUS),
    "practice": str(PRACTICE),
    "method": str(COLLECTION_METHOD),
    "population": str(POPULATION_GROUP),
    "phase": str(GSBPM_PHASE),
    "subprocess": str(GSBPM_SUBPROCESS),
    "coos": str(COOS),
    "sdg": str(SDG),
    "sdgo": str(SDGO),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "dpv": str(DPV),
    "odrl": str(ODRL),
    "org": str(ORG),
    "dqv": str(DQV),
    "vann": str(VANN),
    "schema": str(SCHEMA),
}
