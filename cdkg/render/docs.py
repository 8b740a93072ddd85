"""The published ontology and shapes, stamped with the release, and their documentation.

The edit sources carry no version: ``owl:versionIRI`` (``…/ontology/<version>``) and
``owl:versionInfo`` are added here from the package version, at publication time.
"""

from __future__ import annotations

from typing import Any

import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SH, SKOS

from cdkg import __version__
from cdkg.model.namespaces import PREFIXES
from cdkg.model.ontology import ontology_graph
from cdkg.model.resources import data_files
from cdkg.render.pages import Namer, alternates, render, site_context
from cdkg.render.paths import ONTOLOGY_IRI, SHAPES_IRI, Linker
from cdkg.render.words import english, local_name


def _stamp(graph: rdflib.Graph, version: str) -> rdflib.Graph:
    for onto in list(graph.subjects(RDF.type, OWL.Ontology)):
        if isinstance(onto, URIRef):
            graph.set((onto, OWL.versionIRI, URIRef(f"{onto}/{version}")))
            graph.set((onto, OWL.versionInfo, Literal(version)))
    return graph


def _bound(graph: rdflib.Graph) -> rdflib.Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def ontology_document(version: str = __version__) -> rdflib.Graph:
    """The ontology and its vocabularies, with ``owl:versionIRI``/``owl:versionInfo``."""
    graph = _bound(rdflib.Graph())
    graph += ontology_graph()
    return _stamp(graph, version)


def shapes_document(version: str = __version__) -> rdflib.Graph:
    """Every shipped shapes file (qc shapes excluded), stamped like the ontology."""
    graph = _bound(rdflib.Graph())
    for entry in data_files("shapes", ".ttl"):
        graph.parse(data=entry.read_bytes(), format="turtle")
    return _stamp(graph, version)


def _terms(
    graph: rdflib.Graph, subjects: list[Any], namer: Namer, anchor_base: str
) -> list[dict[str, Any]]:
    out = []
    for s in sorted(set(subjects), key=lambda n: namer(n).casefold()):
        if not isinstance(s, URIRef):
            continue
        text = str(s)
        definition = english(
            [
                v
                for p in (SKOS.definition, RDFS.comment, SH.message)
                for v in graph.objects(s, p)
                if isinstance(v, Literal)
            ]
        )
        curie = text
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns):
                curie = f"{prefix}:{text[len(ns) :]}"
                break
        anchor = text[len(anchor_base) + 1 :] if text.startswith(anchor_base + "#") else None
        out.append(
            {
                "label": namer(s),
                "curie": curie,
                "definition": definition,
                "anchor": anchor or local_name(text),
                "notes": None,
            }
        )
    return out


def ontology_html(linker: Linker) -> str:
    graph = ontology_graph()
    namer = Namer()
    groups = [
        ("Classes", list(graph.subjects(RDF.type, OWL.Class))),
        (
            "Properties",
            list(graph.subjects(RDF.type, OWL.ObjectProperty))
            + list(graph.subjects(RDF.type, OWL.DatatypeProperty)),
        ),
        ("Concept schemes", list(graph.subjects(RDF.type, SKOS.ConceptScheme))),
    ]
    groups_ctx = [
        {
            "title": t,
            "terms": _terms(
                graph,
                [s for s in subs if str(s).startswith(ONTOLOGY_IRI) or t == "Concept schemes"],
                namer,
                ONTOLOGY_IRI,
            ),
        }
        for t, subs in groups
    ]
    return render(
        "docs.html",
        site=site_context(linker),
        section="ontology",
        title="The cdkg ontology",
        intro=(
            "Classes, properties and concept schemes that describe citizen-data initiatives "
            "as the Copenhagen Framework on Citizen Data (2024) understands them."
        ),
        version=__version__,
        groups=groups_ctx,
        alternates=alternates(linker, "ontology"),
    )


def shapes_html(linker: Linker) -> str:
    graph = shapes_document()
    namer = Namer()
    node_shapes = [s for s in graph.subjects(RDF.type, SH.NodeShape)]
    prop_shapes = [s for s in graph.subjects(RDF.type, SH.PropertyShape)]
    return render(
        "docs.html",
        site=site_context(linker),
        section="ontology",
        title="The cdkg shapes",
        intro=(
            "SHACL shapes whose validation is the Framework's definition and taxonomy: "
            "structural checks, vocabulary checks, classification rules and findings."
        ),
        version=__version__,
        groups=[
            {"title": "Node shapes", "terms": _terms(graph, node_shapes, namer, SHAPES_IRI)},
            {"title": "Property shapes", "terms": _terms(graph, prop_shapes, namer, SHAPES_IRI)},
        ],
        alternates=alternates(linker, "shapes"),
    )
