"""SPARQL answers written in the format a client negotiated: SPARQL 1.1 Query Results
JSON, XML, CSV or TSV for SELECT and ASK; Turtle, JSON-LD, N-Triples or RDF/XML for
CONSTRUCT and DESCRIBE."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from cdkg.model.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
#: SELECT/ASK result formats in the server's order; aliases map onto them.
RESULT_TYPES = (RESULTS_JSON, RESULTS_XML, CSV, TSV, "application/json", "application/xml")
RESULT_ALIASES = {
    "application/json": RESULTS_JSON,
    "application/xml": RESULTS_XML,
    "text/xml": RESULTS_XML,
    "json": RESULTS_JSON,
    "xml": RESULTS_XML,
    "csv": CSV,
    "tsv": TSV,
}
#: CONSTRUCT/DESCRIBE formats (media type → Oxigraph format).
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "application/json": "application/ld+json",
    "json": "application/ld+json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "text/plain": "application/n-triples",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
}


class ProtocolError(Exception):
    """A request the endpoint refuses, with its HTTP status (and headers to send, such as
    ``Retry-After``)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def _nt(binding: dict[str, str]) -> str:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = json.dumps(value, ensure_ascii=False)
    if "xml:lang" in binding:
        return f"{text}@{binding['xml:lang']}"
    if "datatype" in binding and binding["datatype"] != XSD_STRING:
        return f"{text}^^<{binding['datatype']}>"
    return text


# --------------------------------------------------------------------------- writers


def write_results(
    media_type: str, variables: list[str], rows: list[dict[str, dict[str, str]]] | None
) -> bytes:
    """SELECT rows (or, with ``rows=None``, nothing: used for ASK elsewhere) as bytes."""
    rows = rows or []
    if media_type == RESULTS_JSON:
        doc = {"head": {"vars": variables}, "results": {"bindings": rows}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if media_type == RESULTS_XML:
        out = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>",
            "<results>",
        ]
        for row in rows:
            out.append("<result>")
            for var, b in row.items():
                out.append(f"<binding name={quoteattr(var)}>{_xml_term(b)}</binding>")
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if media_type == CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_value(row.get(v)) for v in variables])
        return buf.getvalue().encode("utf-8")
    if media_type == TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        for row in rows:
            lines.append("\t".join(_nt(row[v]) if v in row else "" for v in variables))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ProtocolError(406, f"unsupported results format {media_type}")


def write_boolean(media_type: str, value: bool) -> bytes:
    if media_type == RESULTS_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media_type == RESULTS_XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if media_type == CSV:
        return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode()
    return f"?_askResult\n{'true' if value else 'false'}\n".encode()


def _xml_term(b: dict[str, str]) -> str:
    if b["type"] == "uri":
        return f"<uri>{escape(b['value'])}</uri>"
    if b["type"] == "bnode":
        return f"<bnode>{escape(b['value'])}</bnode>"
    attrs = ""
    if "xml:lang" in b:
        attrs = f" xml:lang={quoteattr(b['xml:lang'])}"
    elif "datatype" in b:
        attrs = f" datatype={quoteattr(b['datatype'])}"
    return f"<literal{attrs}>{escape(b['value'])}</literal>"


def _csv_value(b: dict[str, str] | None) -> str:
    if b is None:
        return ""
    return f"_:{b['value']}" if b["type"] == "bnode" else b["value"]


def write_graph(media_type: str, triples: Iterable[ox.Triple]) -> bytes:
    buf = io.BytesIO()
    ox.serialize(triples, buf, GRAPH_TYPES[media_type], prefixes=PREFIXES)
    return buf.getvalue()


# --------------------------------------------------------------------------- service
