"""The live registry: the site's pages, content negotiation, ``/sparql``, ``/validate``
and the "Check an initiative" form, as one FastAPI application.

``create_app(store, base_iri)`` builds it; ``cdkg serve`` runs it with uvicorn.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from rdflib import URIRef
from starlette.datastructures import UploadFile

from cdkg import __version__
from cdkg.errors import InputError
from cdkg.render import pages
from cdkg.render.data import RegistryView
from cdkg.render.negotiation import (
    HTML,
    JSONLD,
    TURTLE,
    charset,
    choose_representation,
    negotiate,
    split_extension,
)
from cdkg.render.paths import Layout, Linker
from cdkg.render.serialize import serialize
from cdkg.render.words import local_name
from cdkg.serve import openapi as oa
from cdkg.serve.limits import BodyLimit
from cdkg.serve.sparql import ProtocolError, SparqlService, service_description
from cdkg.serve.update import Writer, graph_document
from cdkg.store import Store, StoreError

DEFAULT_BASE = "https://w3id.org/cdkg/"
#: Largest request body read by /validate, /check and /sparql.
MAX_BODY = 5_000_000


class _Cache:
    """A small LRU of classification results, keyed by the digest of what was classified."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        return None

    def put(self, key: str, value: Any) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def create_app(
    store: Store,
    base_iri: str = DEFAULT_BASE,
    *,
    query_timeout: float = 10.0,
    max_results: int = 10_000,
    max_body: int = MAX_BODY,
    update_token: str | None = None,
    write_store: Store | None = None,
    after_write: Callable[[], None] | None = None,
) -> FastAPI:
    """The web application over ``store``; resources are ``base_iri`` + path.

    Read-only unless ``update_token`` is given: then SPARQL Update and the Graph Store
    Protocol (``/graph-store``) write to ``write_store`` (default: ``store``) for clients
    that send ``Authorization: Bearer <token>``; ``after_write`` runs after each write
    (``cdkg serve`` refreshes its served copy there). Request bodies over ``max_body``
    bytes get 413.
    """
    layout = Layout(base_iri)
    linker = Linker(layout, static=False)
    view = RegistryView(store, layout, timeout=query_timeout)
    sparql = SparqlService(store, timeout=query_timeout, max_results=max_results)
    cache = _Cache()
    writer = Writer(write_store or store, update_token, after_write)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        sparql.close()

    app = FastAPI(
        lifespan=lifespan,
        title="cdkg registry",
        version=__version__,
        description="A citizen-data registry: pages with content negotiation, a SPARQL 1.1 "
        "endpoint, validation and classification of descriptions, and (with an update "
        "token) the SPARQL 1.1 Graph Store HTTP Protocol.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.add_middleware(BodyLimit, limit=max_body)
    app.state.store = store
    app.state.view = view

    def html(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return html(
            pages.message_html(
                linker,
                "Not found",
                [f"This registry holds nothing at {what}."],
                [{"href": linker.page(""), "text": "All initiatives"}],
            ),
            404,
        )

    def summaries() -> list[Any]:
        return view.summaries()

    def namer_for(iris: list[str]) -> pages.Namer:
        return pages.Namer(view.names(iris))

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        rows = summaries()
        namer = namer_for([])
        return html(pages.index_html(rows, linker, namer))

    @app.get("/browse/{facet}/{slug}", response_class=HTMLResponse)
    def browse(facet: str, slug: str) -> HTMLResponse:
        rows = summaries()
        if facet not in dict(pages.FACETS):
            return not_found(f"/browse/{facet}/{slug}")
        value = pages.resolve_facet(rows, facet, slug)
        if value is None:
            return not_found(f"/browse/{facet}/{slug}")
        return html(pages.index_html(rows, linker, namer_for([]), facet=facet, value=value))

    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard() -> HTMLResponse:
        return html(pages.dashboard_html(summaries(), linker, namer_for([])))

    @app.get("/static/style.css")
    def css() -> Response:
        text = (pages.environment().loader.get_source(pages.environment(), "style.css"))[0]  # type: ignore[union-attr]
        return Response(text, media_type="text/css; charset=utf-8")

    @app.get("/dumps/index", response_class=HTMLResponse)
    def downloads() -> HTMLResponse:
        return html(
            pages.message_html(
                linker,
                "Downloads",
                [
                    "The ontology and the shapes are below. The whole registry can be "
                    "queried at the SPARQL endpoint; full dumps (N-Quads, Turtle, JSON-LD) "
                    "come with the published site ('cdkg publish').",
                ],
                [
                    {"href": "/ontology.ttl", "text": "Ontology and vocabularies (Turtle)"},
                    {"href": "/shapes.ttl", "text": "SHACL shapes (Turtle)"},
                    {"href": "/sparql", "text": "SPARQL endpoint", "note": "service description"},
                ],
                section="downloads",
            )
        )

    # ------------------------------------------------------------------ check and validate

    def classify_bytes(data: bytes, name: str, fmt: str | None) -> Any:
        from cdkg.serve.check import check

        return check(data, name, fmt)

    def check_page(**context: Any) -> str:
        from cdkg.serve.check import FORM_FORMATS

        context.setdefault("format", "auto")
        return pages.render(
            "check.html",
            site=pages.site_context(linker),
            section="check",
            title="Check an initiative",
            action="/check",
            formats=FORM_FORMATS,
            **context,
        )

    def report_context(report: Any) -> dict[str, Any]:
        namer = pages.Namer()
        verdicts = [
            pages.verdict_from(r, linker, namer, f"r{i}", with_title=True)
            for i, r in enumerate(report.initiatives)
        ]
        problems = [
            {
                "severity": r.severity_name,
                "message": r.message,
                "focus": r.focus_node,
                "path": local_name(r.result_path) if r.result_path else None,
            }
            for r in report.validation.results
            if r.severity_name == "Violation"
        ]
        n = len(verdicts)
        cd = sum(1 for v in verdicts if v.is_citizen_data)
        if n == 0:
            summary = "no initiative found in the description"
        elif n == 1:
            summary = "citizen data" if cd else "not citizen data"
        else:
            summary = f"{n} initiatives, {cd} of them citizen data"
        if problems:
            summary += f"; {len(problems)} problem{'s' if len(problems) > 1 else ''} to fix"
        return {"summary": summary, "verdicts": verdicts, "problems": problems}

    @app.get("/check", response_class=HTMLResponse)
    def check_form() -> HTMLResponse:
        return html(check_page())

    @app.post("/check", response_class=HTMLResponse, openapi_extra=oa.CHECK)
    async def check_submit(request: Request) -> HTMLResponse:
        form = await request.form(max_part_size=max_body)
        text = form.get("text")
        upload = form.get("file")
        fmt = str(form.get("format") or "auto")
        name, data = "pasted text", b""
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            data = await upload.read()
        elif isinstance(text, str):
            data = text.encode("utf-8")
        shown = text if isinstance(text, str) else ""
        try:
            report = classify_bytes(data, name, fmt)
        except InputError as exc:
            return html(
                check_page(error=[str(p) for p in exc.problems], text=shown, format=fmt), 400
            )
        return html(check_page(report=report_context(report), text=shown, format=fmt))

    def assess_page(status: int = 200, **context: Any) -> HTMLResponse:
        from cdkg.serve.questionnaire import form_context

        context.setdefault("form", {})
        return html(
            pages.render(
                "assess.html",
                site=pages.site_context(linker),
                section="assess",
                title="Is it citizen data? A questionnaire",
                **form_context(),
                **context,
            ),
            status,
        )

    @app.get("/assess", response_class=HTMLResponse)
    def assess_form() -> HTMLResponse:
        return assess_page()

    @app.post("/assess", response_class=HTMLResponse, openapi_extra=oa.ASSESS)
    async def assess_submit(request: Request) -> HTMLResponse:
        from cdkg.serve.questionnaire import answers_from_form
        from cdkg.sources.questionnaire import answers_to_record, assess

        form = await request.form(max_part_size=max_body)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            record = answers_to_record(answers_from_form(fields), "form")
        except InputError as exc:
            return assess_page(400, error=[p.message for p in exc.problems], form=fields)
        assessment = assess(record)
        verdict = pages.verdict_from(
            assessment.verdict, linker, pages.Namer(), "r0", with_title=True
        )
        result = {
            "summary": "citizen data" if assessment.verdict.is_citizen_data else "not citizen data",
            "verdict": verdict,
            "turtle": assessment.graph.serialize(format="turtle"),
        }
        return assess_page(result=result, form=fields)

    @app.post("/validate", summary="Validate and classify a description", openapi_extra=oa.VALIDATE)
    async def validate_api(request: Request) -> Response:
        from cdkg.serve.check import Outcome

        content_type = request.headers.get("content-type", "")
        data = await request.body()
        name = request.query_params.get("name", "request body")
        fmt = request.query_params.get("format") or content_type or None
        if content_type.startswith("multipart/form-data"):
            return await check_submit(request)
        wanted = negotiate(
            request.headers.get("accept"), ["application/json", TURTLE, HTML, JSONLD]
        )
        try:
            report = classify_bytes(data, name, fmt)
        except InputError as exc:
            problems = [str(p) for p in exc.problems]
            if wanted == HTML:
                return html(check_page(error=problems), 400)
            status = 415 if "unknown format" in " ".join(problems) else 400
            return JSONResponse({"error": problems}, status_code=status)
        outcome = Outcome(report)
        if wanted == TURTLE:
            return Response(outcome.to_turtle(), media_type=charset(TURTLE))
        if wanted == HTML:
            return html(check_page(report=report_context(report)))
        return JSONResponse(outcome.to_json())

    # ------------------------------------------------------------------ SPARQL

    def sparql_answer(query: str | None, request: Request) -> Response:
        params = request.query_params
        fmt = params.get("format") or params.get("output")
        if query is None:
            return Response(
                service_description(str(request.url_for("sparql_get"))),
                media_type=charset(TURTLE),
            )
        try:
            answer = sparql.run(query, request.headers.get("accept"), fmt)
        except ProtocolError as exc:
            return PlainTextResponse(exc.message, status_code=exc.status)
        except StoreError as exc:
            return PlainTextResponse(exc.message, status_code=502)
        return Response(answer.body, media_type=charset(answer.media_type), headers=answer.headers)

    def refuse_update() -> Response:
        return PlainTextResponse(
            "SPARQL Update is accepted only by POST (application/sparql-update or a form "
            "field 'update='), with the update token; otherwise this endpoint is read-only",
            status_code=403,
        )

    def problem(exc: ProtocolError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return PlainTextResponse(exc.message, status_code=exc.status, headers=headers)

    def run_update(text: str, request: Request) -> Response:
        try:
            writer.authorise(request.headers.get("authorization"))
            writer.update(text)
        except ProtocolError as exc:
            return problem(exc)
        return Response(status_code=204)

    @app.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query", openapi_extra=oa.SPARQL_GET)
    def sparql_get(request: Request) -> Response:
        if "update" in request.query_params:
            return refuse_update()
        return sparql_answer(request.query_params.get("query"), request)

    @app.post("/sparql", summary="SPARQL 1.1 query or update", openapi_extra=oa.SPARQL_POST)
    async def sparql_post(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            body = await request.body()
            return run_update(body.decode("utf-8", "replace"), request)
        if content_type == "application/sparql-query":
            body = await request.body()
            if len(body) > max_body:
                return PlainTextResponse("the query is too long", status_code=413)
            return sparql_answer(body.decode("utf-8", "replace"), request)
        if content_type == "application/x-www-form-urlencoded":
            form = await request.form()
            update = form.get("update")
            if update is not None:
                return run_update(update if isinstance(update, str) else "", request)
            query = form.get("query")
            if not isinstance(query, str):
                return PlainTextResponse("no 'query' parameter in the request", status_code=400)
            return sparql_answer(query, request)
        return PlainTextResponse(
            "POST a query as application/sparql-query or application/x-www-form-urlencoded",
            status_code=415,
        )

    # ------------------------------------------------------------------ Graph Store Protocol

    def graph_target(request: Request, *, writing: bool) -> str:
        writer.authorise(request.headers.get("authorization"))
        params = request.query_params
        return writer.graph_name(params.get("graph"), "default" in params, writing=writing)

    @app.get(
        "/graph-store",
        summary="Read a named graph (needs the update token)",
        openapi_extra=oa.GRAPH_READ,
    )
    def gsp_get(request: Request) -> Response:
        try:
            graph = graph_target(request, writing=False)
        except ProtocolError as exc:
            return problem(exc)
        media = negotiate(
            request.headers.get("accept"),
            ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
        )
        if media is None:
            return PlainTextResponse("no acceptable representation", status_code=406)
        content = writer.read(graph)
        if not len(content):
            return PlainTextResponse(f"no graph {graph} in this registry", status_code=404)
        return Response(graph_document(content, media), media_type=charset(media))

    async def gsp_write(request: Request, merge: bool) -> Response:
        try:
            graph = graph_target(request, writing=True)
            body = await request.body()
            created = writer.put(graph, body, request.headers.get("content-type", ""), merge=merge)
        except ProtocolError as exc:
            return problem(exc)
        return Response(status_code=201 if created else 204)

    @app.put(
        "/graph-store",
        summary="Replace a named graph (needs the update token)",
        openapi_extra=oa.GRAPH_WRITE,
    )
    async def gsp_put(request: Request) -> Response:
        return await gsp_write(request, merge=False)

    @app.post(
        "/graph-store",
        summary="Add to a named graph (needs the update token)",
        openapi_extra=oa.GRAPH_WRITE,
    )
    async def gsp_post(request: Request) -> Response:
        return await gsp_write(request, merge=True)

    @app.delete(
        "/graph-store",
        summary="Delete a named graph (needs the update token)",
        openapi_extra=oa.GRAPH_READ,
    )
    def gsp_delete(request: Request) -> Response:
        try:
            writer.delete(graph_target(request, writing=True))
        except ProtocolError as exc:
            return problem(exc)
        return Response(status_code=204)

    # ------------------------------------------------------------------ documentation

    def docs(kind: str, ext: str | None, request: Request) -> Response:
        from cdkg.render import docs as docs_module

        rep = choose_representation(
            request.headers.get("accept"), ext, request.query_params.get("_mediatype")
        )
        if rep is None:
            return PlainTextResponse("no acceptable representation", status_code=406)
        if rep.extension == "html":
            page = docs_module.ontology_html if kind == "ontology" else docs_module.shapes_html
            return html(page(linker))
        graph = (
            docs_module.ontology_document() if kind == "ontology" else docs_module.shapes_document()
        )
        return Response(
            serialize(graph, rep.rdflib_format),
            media_type=charset(rep.media_type),
            headers={"Vary": "Accept"},
        )

    # ------------------------------------------------------------------ resources

    def classification_of(iri: str, graph: Any) -> Any:
        try:
            from cdkg.classify.verdicts import classify
        except ModuleNotFoundError:  # pragma: no cover - the classifier ships with cdkg
            return None
        context = view.context(iri, graph)
        key = hashlib.sha256(
            "\n".join(sorted(line for line in context.serialize(format="nt").splitlines())).encode(
                "utf-8"
            )
        ).hexdigest()
        found = cache.get(key)
        if found is None:
            report = classify(context)
            found = next((r for r in report.initiatives if r.iri == iri), False)
            cache.put(key, found)
        return found or None

    @app.get("/{path:path}", summary="A resource of the registry", openapi_extra=oa.RESOURCE)
    def resource(path: str, request: Request) -> Response:
        stem, ext = split_extension(path)
        if stem in ("ontology", "shapes"):
            return docs(stem, ext, request)
        rep = choose_representation(
            request.headers.get("accept"), ext, request.query_params.get("_mediatype")
        )
        if rep is None:
            return PlainTextResponse(
                "no acceptable representation: ask for text/html, text/turtle, "
                "application/ld+json or application/n-triples",
                status_code=406,
            )
        graph = None
        iri = ""
        for candidate in layout.iris_for(stem):
            described = view.describe(candidate)
            if len(described):
                graph, iri = described, candidate
                break
        if graph is None:
            if rep.extension == "html":
                return not_found("/" + path)
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
            namer=namer_for(sorted(mentioned)),
            linker=linker,
            types=view.types(sorted(mentioned)),
            referrers=[(s, p) for s, p in referrers if s != iri],
            classification=classification_of(iri, graph) if _is_initiative(graph, iri) else None,
        )
        return HTMLResponse(pages.resource_html(page), headers=headers)

    return app


def _is_initiative(graph: Any, iri: str) -> bool:
    from rdflib import RDF, URIRef

    from cdkg.model.namespaces import CDKG

    node = URIRef(iri)
    return (node, RDF.type, CDKG.Initiative) in graph or (node, CDKG.initiativeType, None) in graph


def dumps_json(data: Any) -> str:
    return json.dumps(data, indent=2)
