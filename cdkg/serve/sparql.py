"""The SPARQL 1.1 Protocol endpoint behind ``/sparql`` (read-only).

Queries run against the registry's store (the union of its named graphs): an embedded
Oxigraph store directly, a remote endpoint through HTTP. Results are written here in
the format the client negotiates — SPARQL 1.1 Query Results JSON, XML, CSV or TSV for
SELECT and ASK, Turtle, JSON-LD, N-Triples or RDF/XML for CONSTRUCT and DESCRIBE — with
a time limit and a cap on the number of results (``X-SPARQL-Truncated: true`` and
``X-SPARQL-Result-Cap`` say when the cap cut the answer short).
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import pyoxigraph as ox

from cdkg.rdf.sparql_check import Unchecked, query_effects
from cdkg.rdf.sparql_lexer import tokens
from cdkg.render.negotiation import negotiate
from cdkg.serve.answers import Job, Refused
from cdkg.serve.query_process import QueryProcesses
from cdkg.serve.results import (
    CSV,
    GRAPH_ALIASES,
    GRAPH_TYPES,
    RESULT_ALIASES,
    RESULT_TYPES,
    RESULTS_JSON,
    RESULTS_XML,
    TSV,
    Answer,
    ProtocolError,
    write_boolean,
    write_graph,
    write_results,
)
from cdkg.store import EmbeddedStore, EndpointStore, Store, StoreError

_UPDATE = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _strip(query: str) -> str:
    """The query without comments, each string as ``""`` and each IRI as ``<>`` (enough
    to find its form)."""
    out: list[str] = []
    for t in tokens(query):
        if t.kind == "code":
            out.append(query[t.start : t.end])
        elif t.kind == "string":
            out.append('""')
        elif t.kind == "iri":
            out.append("<>")
    return "".join(out)


_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _code_only(query: str) -> str:
    """The query's code: comments dropped, each string and IRI a single space (read as
    the SPARQL grammar reads it, so a quote inside a comment cannot hide a keyword)."""
    out: list[str] = []
    for t in tokens(query):
        if t.kind == "code":
            out.append(query[t.start : t.end])
        elif t.kind != "comment":
            out.append(" ")
    return "".join(out)


def uses_service(query: str) -> bool:
    """Whether ``query`` has a SERVICE clause (federation: the server would fetch).

    The query is read twice, and a SERVICE in either reading counts: as written (Oxigraph
    reads a ``\\uXXXX`` escape only inside a string, so ``"\\u0022"`` is one string), and
    with such escapes decoded first, as SPARQL 1.1 (§19.2) lets a parser do before
    parsing (so ``\\u0053ERVICE`` is the keyword)."""
    decoded = _CODEPOINT.sub(lambda m: chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF)), query)
    return any(_SERVICE.search(_code_only(text)) for text in {query, decoded})


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (``UPDATE`` for an update)."""
    text = _strip(query)
    body = re.sub(r"^\s*((PREFIX\s+\S*\s*<>|BASE\s*<>)\s*)*", "", text, flags=re.IGNORECASE)
    if _UPDATE.match(body):
        return "UPDATE"
    found = _FORM.search(body)
    if not found:
        raise ProtocolError(400, "not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return found.group(1).upper()


def choose_type(form: str, accept: str | None, format_param: str | None) -> str:
    """The media type of the answer: a ``format``/``output`` parameter, else ``Accept``."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if format_param:
        key = format_param.strip().lower()
        if graph:
            chosen = GRAPH_ALIASES.get(key, key)
            if chosen in GRAPH_TYPES:
                return chosen
        else:
            chosen = RESULT_ALIASES.get(key, key)
            if chosen in (RESULTS_JSON, RESULTS_XML, CSV, TSV):
                return chosen
        raise ProtocolError(406, f"the {form} answer cannot be given as {format_param!r}")
    offers = [*GRAPH_TYPES, "application/json", "text/plain", "application/xml"]
    if not graph:
        offers = list(RESULT_TYPES)
    found = negotiate(accept, offers)
    if found is None:
        kinds = ", ".join(list(GRAPH_TYPES) if graph else [RESULTS_JSON, RESULTS_XML, CSV, TSV])
        raise ProtocolError(406, f"cannot answer a {form} query in any accepted format ({kinds})")
    if graph:
        return GRAPH_ALIASES.get(found, found)
    return RESULT_ALIASES.get(found, found)


# --------------------------------------------------------------------------- terms


class SparqlService:
    """Runs protocol requests against one store, with a time limit and a result cap."""

    def __init__(
        self,
        store: Store,
        *,
        timeout: float = 10.0,
        max_results: int = 10_000,
        workers: int = 4,
        memory: int | None = 2 << 30,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_results = max_results
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        #: Queries over an embedded store run in worker processes that can be stopped.
        self.processes: QueryProcesses | None = (
            QueryProcesses(store.path, workers=workers, memory=memory)
            if isinstance(store, EmbeddedStore)
            else None
        )

    @property
    def pool(self) -> ThreadPoolExecutor:
        """The worker threads (started again after :meth:`close`, e.g. by a new lifespan)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sparql")
        return self._pool

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if self.processes is not None:
            self.processes.close()

    def store_changed(self) -> None:
        """The store was written: queries from now on read the new content."""
        if self.processes is not None:
            self.processes.restart()

    def run(self, query: str, accept: str | None, format_param: str | None = None) -> Answer:
        form = query_form(query)
        if form == "UPDATE":
            raise ProtocolError(
                403,
                "this endpoint is read-only: SPARQL Update is refused "
                "(change the registry with 'cdkg load' and 'cdkg remove')",
            )
        unchecked = None
        try:
            services = query_effects(query).services
        except Unchecked as exc:
            # a query the parser cannot read runs only in a process without network
            if self.processes is None:
                raise ProtocolError(400, f"the query cannot be checked: {exc}") from None
            unchecked, services = str(exc), []
        if services or uses_service(query):
            raise ProtocolError(
                403,
                "SERVICE is refused: this endpoint never contacts other services "
                "(query each registry yourself, e.g. with 'cdkg query --registry')",
            )
        media_type = choose_type(form, accept, format_param)
        if self.processes is not None:
            answer = self._in_process(query, form, media_type, unchecked)
        else:
            answer = self._in_thread(query, form, media_type)
        answer.headers["X-SPARQL-Result-Cap"] = str(self.max_results)
        if answer.truncated:
            answer.headers["X-SPARQL-Truncated"] = "true"
        return answer

    def _late(self) -> ProtocolError:
        return ProtocolError(503, f"the query took longer than the limit of {self.timeout:g} s")

    def _in_process(self, query: str, form: str, media_type: str, unchecked: str | None) -> Answer:
        assert self.processes is not None
        job = Job(query, form, media_type, self.max_results, self.timeout, unchecked)
        try:
            answer: Answer = self.processes.run(job, lambda: Refused(503, self._late().message))
        except Refused as exc:
            raise ProtocolError(exc.status, exc.message, exc.headers) from None
        return answer

    def _in_thread(self, query: str, form: str, media_type: str) -> Answer:
        deadline = time.monotonic() + self.timeout
        future = self.pool.submit(self._execute, query, form, media_type, deadline)
        try:
            answer = future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise self._late() from None
        return answer

    def _execute(self, query: str, form: str, media_type: str, deadline: float) -> Answer:
        # an embedded store's queries run in worker processes (_in_process)
        if isinstance(self.store, EndpointStore):
            return self._remote(self.store, query, form, media_type, deadline)
        raise ProtocolError(501, f"the store {self.store.name} cannot answer raw queries")

    def _capped(self, items: Iterator[Any], deadline: float) -> tuple[list[Any], bool]:
        out: list[Any] = []
        late = False
        for item in items:
            if len(out) >= self.max_results:
                return out, True
            if time.monotonic() > deadline:
                late = True
                break
            out.append(item)
        if late:
            out.clear()
            raise ProtocolError(503, f"the query took longer than the limit of {self.timeout:g} s")
        return out, False

    def _remote(
        self, store: EndpointStore, query: str, form: str, media_type: str, deadline: float
    ) -> Answer:
        remaining = max(0.1, deadline - time.monotonic())
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = _post(store, query, "application/n-triples", remaining)
            try:
                parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                triples, cut = self._capped((q.triple for q in parsed), deadline)
            except SyntaxError as exc:
                raise ProtocolError(502, f"the store's answer is not N-Triples: {exc}") from None
            return Answer(write_graph(media_type, triples), media_type, cut)
        try:
            results = store.query(query, timeout=remaining)
        except StoreError as exc:
            raise ProtocolError(400 if "HTTP 400" in exc.message else 502, exc.message) from None
        if results.boolean is not None:
            return Answer(write_boolean(media_type, results.boolean), media_type)
        rows, cut = self._capped(iter(results.rows), deadline)
        return Answer(write_results(media_type, results.variables, rows), media_type, cut)


def _post(store: EndpointStore, query: str, accept: str, timeout: float) -> bytes:
    headers = dict(getattr(store, "_headers", {}))
    headers.update({"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(store.query_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        status = 400 if exc.code == 400 else 502
        raise ProtocolError(status, detail[0][:300] if detail else str(exc.reason)) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ProtocolError(502, f"the store's endpoint did not answer: {exc}") from None


DESCRIPTION = (
    "Read-only SPARQL 1.1 endpoint of a cdkg citizen-data registry. The default graph is "
    "the union of the registry's graphs (descriptions, inferred classification, vocabularies)."
)


def service_description(endpoint_url: str) -> bytes:
    """The SPARQL 1.1 Service Description of this endpoint, as Turtle."""
    formats = "\n".join(
        f"    sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;"
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "JSON-LD",
            "N-Triples",
            "RDF_XML",
        )
    )
    text = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dct: <http://purl.org/dc/terms/> .

<{endpoint_url}> a sd:Service ;
    sd:endpoint <{endpoint_url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
{formats}
    sd:feature sd:UnionDefaultGraph ;
    dct:description "{DESCRIPTION}" ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    return text.encode("utf-8")
