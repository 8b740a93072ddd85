"""Every other path: a resource of the registry (an initiative, an actor, a concept…) or
the ontology and shapes documents, as HTML or RDF by content negotiation (``Accept``, a
file extension or ``?_mediatype=``). Its route matches any path, so it is included last.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from rdflib import RDF, URIRef

from cdkg.classify.facts import graph_facts
from cdkg.classify.result import InitiativeResult
from cdkg.classify.stored import stored_result
from cdkg.model.namespaces import CDKG
from cdkg.render import docs, pages
from cdkg.render.negotiation import charset, choose_representation, split_extension
from cdkg.render.serialize import serialize
from cdkg.serve import openapi as oa
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.routes.common import html, namer_for, not_found

router = APIRouter()


def document(context: ServeContext, kind: str, ext: str | None, request: Request) -> Response:
    """The ontology (``kind`` "ontology") or the shapes, as a page or as RDF."""
    rep = choose_representation(
        request.headers.get("accept"), ext, request.query_params.get("_mediatype")
    )
    if rep is None:
        return PlainTextResponse("no acceptable representation", status_code=406)
    if rep.extension == "html":
        page = docs.ontology_html if kind == "ontology" else docs.shapes_html
        return html(page(context.linker))
    graph = docs.ontology_document() if kind == "ontology" else docs.shapes_document()
    return Response(
        serialize(graph, rep.rdflib_format),
        media_type=charset(rep.media_type),
        headers={"Vary": "Accept"},
    )


def classification_of(iri: str, graph: rdflib.Graph) -> InitiativeResult | None:
    """The classification the registry holds for the initiative ``iri``, as ``cdkg load``
    stored it (verdict, type, reasons, missing facts, findings) in the description
    ``graph`` of its page: read, never computed again. None if it holds none."""
    return stored_result(graph_facts(graph), ox.NamedNode(iri))


def is_initiative(graph: rdflib.Graph, iri: str) -> bool:
    """Whether ``graph`` says ``iri`` is an initiative (typed, or given a verdict or an
    initiative type)."""
    node = URIRef(iri)
    return (
        (node, RDF.type, CDKG.Initiative) in graph
        or (node, CDKG.verdict, None) in graph
        or (node, CDKG.initiativeType, None) in graph
    )


@router.get("/{path:path}", summary="A resource of the registry", openapi_extra=oa.RESOURCE)
def resource(path: str, request: Request, context: Context) -> Response:
    stem, ext = split_extension(path)
    if stem in ("ontology", "shapes"):
        return document(context, stem, ext, request)
    rep = choose_representation(
        request.headers.get("accept"), ext, request.query_params.get("_mediatype")
    )
    if rep is None:
        return PlainTextResponse(
            "no acceptable representation: ask for text/html, text/turtle, "
            "application/ld+json or application/n-triples",
            status_code=406,
        )
    view, linker = context.view, context.linker
    graph = None
    iri = ""
    for candidate in context.layout.iris_for(stem):
        described = view.describe(candidate)
        if len(described):
            graph, iri = described, candidate
            break
    if graph is None:
        if rep.extension == "html":
            return not_found(context, "/" + path)
        return PlainTextResponse(f"no resource at /{path}", status_code=404)
    headers = {"Vary": "Accept", "Content-Location": linker.page(stem, ext=rep.extension)}
    if rep.extension != "html":
        return Response(
            serialize(graph, rep.rdflib_format),
            media_type=charset(rep.media_type),
            headers=headers,
        )
    mentioned = {str(o) for o in graph.objects() if isinstance(o, URIRef)}
    mentioned |= {str(p) for p in graph.predicates()}
    referrers = view.referrers(iri)
    mentioned |= {s for s, _ in referrers} | {iri}
    page = pages.ResourcePage(
        iri=iri,
        path=stem,
        graph=graph,
        namer=namer_for(context, sorted(mentioned)),
        linker=linker,
        types=view.types(sorted(mentioned)),
        referrers=[(s, p) for s, p in referrers if s != iri],
        classification=(classification_of(iri, graph) if is_initiative(graph, iri) else None),
    )
    return HTMLResponse(pages.resource_html(page), headers=headers)
