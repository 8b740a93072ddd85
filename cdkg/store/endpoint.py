"""The remote backend: any SPARQL 1.1 Protocol query endpoint plus an Update endpoint.

Plain HTTP (``urllib``), so nothing beyond the standard library sits between cdkg and
the server: queries are POSTed as ``application/x-www-form-urlencoded`` and answered
in SPARQL 1.1 Query Results JSON; writes are one SPARQL 1.1 Update request per change
(servers apply one request atomically). An optional header (e.g. ``Authorization:
Bearer ...``) is sent with every request.

The server's default graph must be the union of its named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``unionDefaultGraph``; GraphDB: the default).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox

from cdkg import __version__
from cdkg.rdf.terms import binding_to_ox
from cdkg.store.base import Change, Results, Store, StoreError

DEFAULT_TIMEOUT = 60.0
RESULTS_JSON = "application/sparql-results+json"


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` → ``("Name", "value")``; a bare value is sent as ``Authorization``."""
    name, sep, value = text.partition(":")
    if sep and name.strip() and " " not in name.strip():
        return name.strip(), value.strip()
    return "Authorization", text.strip()


class EndpointStore(Store):
    """A registry held by a SPARQL 1.1 server."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        header: str | None = None,
        timeout: float | None = None,
        name: str | None = None,
    ) -> None:
        for url in (query_url, update_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(url, "not an http(s) URL", hint="give the endpoint's full URL")
        self.query_url = query_url
        self.update_url = update_url
        self.name = name or query_url
        self.timeout = timeout or DEFAULT_TIMEOUT
        self._headers = {"User-Agent": f"cdkg/{__version__}"}
        if header:
            key, value = parse_header(header)
            self._headers[key] = value

    # ---------------------------------------------------------------- HTTP

    def _post(
        self, url: str, body: bytes, content_type: str, accept: str | None, timeout: float
    ) -> bytes:
        headers = dict(self._headers, **{"Content-Type": content_type})
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            first = detail[0][:300] if detail else exc.reason
            raise StoreError(self.name, f"the server answered HTTP {exc.code}: {first}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise StoreError(self.name, f"no answer within {timeout:g} s (timed out)") from None
            raise StoreError(
                self.name, f"cannot reach the endpoint: {reason}", hint="is the server running?"
            ) from None
        except TimeoutError:
            raise StoreError(self.name, f"no answer within {timeout:g} s (timed out)") from None
        except OSError as exc:
            raise StoreError(self.name, f"the connection failed: {exc}") from None

    # ---------------------------------------------------------------- reading

    def query(
        self, sparql: str, *, timeout: float | None = None, default_graph: str | None = None
    ) -> Results:
        """Run ``sparql``; ``default_graph`` sets the dataset (protocol ``default-graph-uri``)."""
        params = {"query": sparql}
        if default_graph is not None:
            params["default-graph-uri"] = default_graph
        body = urllib.parse.urlencode(params).encode("utf-8")
        data = self._post(
            self.query_url,
            body,
            "application/x-www-form-urlencoded",
            f"{RESULTS_JSON}, application/json;q=0.9",
            timeout or self.timeout,
        )
        try:
            return Results.from_json(json.loads(data))
        except (ValueError, KeyError, AttributeError):
            raise StoreError(self.name, "the answer is not SPARQL 1.1 Query Results JSON") from None

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph:
            sparql = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        else:
            sparql = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        bnodes: dict[str, ox.BlankNode] = {}
        for row in self.query(sparql).rows:
            g = ox.NamedNode(graph) if graph else binding_to_ox(row["g"], bnodes)
            s, p, o = (binding_to_ox(row[k], bnodes) for k in ("s", "p", "o"))
            assert isinstance(p, ox.NamedNode)
            assert isinstance(s, (ox.NamedNode, ox.BlankNode))
            assert isinstance(g, (ox.NamedNode, ox.BlankNode))
            yield ox.Quad(s, p, o, g)

    def has_graph(self, graph: str) -> bool:
        answer = self.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return bool(answer.boolean)

    # ---------------------------------------------------------------- writing

    def update(self, sparql: str) -> None:
        if self.update_url is None:
            raise StoreError(
                self.name,
                "this endpoint is read-only here",
                hint="pass --update-endpoint URL to write to it",
            )
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._post(self.update_url, body, "application/x-www-form-urlencoded", None, self.timeout)

    def apply(self, change: Change) -> None:
        if self.update_url is None:
            raise StoreError(
                self.name,
                "this endpoint is read-only here",
                hint="pass --update-endpoint URL to write to it",
            )
        body = urllib.parse.urlencode({"update": change.update_text()}).encode("utf-8")
        change.started()
        self._post(self.update_url, body, "application/x-www-form-urlencoded", None, self.timeout)
