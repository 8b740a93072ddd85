"""OpenAPI descriptions of the routes that read their request themselves.

The routes of :mod:`cdkg.serve.routes` take the raw request (RDF bodies, SPARQL, forms), so
FastAPI cannot infer their parameters; these fragments (``openapi_extra``) say what they
accept, for ``/openapi.json`` and for API clients and fuzzers built from it.
"""

from __future__ import annotations

from typing import Any

_TEXT = {"schema": {"type": "string"}}


def _query(name: str, description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


def _body(*types: str, form: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {t: _TEXT for t in types}
    if form is not None:
        content["application/x-www-form-urlencoded"] = {
            "schema": {"type": "object", "properties": form}
        }
    return {"requestBody": {"required": False, "content": content}}


RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
_STRING = {"type": "string"}

SPARQL_GET = {
    "parameters": [
        _query("query", "a SPARQL 1.1 query (none: the service description)"),
        _query("format", "result format (json, xml, csv, tsv, turtle, …) instead of Accept"),
        _query("output", "same as format"),
        _query("update", "refused: updates are POSTed"),
    ]
}
SPARQL_POST = {
    "parameters": [_query("format", "result format instead of Accept")],
    **_body(
        "application/sparql-query",
        "application/sparql-update",
        form={"query": _STRING, "update": _STRING},
    ),
}
VALIDATE = {
    "parameters": [
        _query("name", "the name of the document in messages"),
        _query("format", "input format (turtle, json-ld, …) instead of Content-Type"),
    ],
    **_body(*RDF_TYPES, "application/yaml"),
}
CHECK = _body(form={"text": _STRING, "format": _STRING})
ASSESS = {
    "requestBody": {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": _STRING}
            }
        },
    }
}
SETTLE_READ = {
    "parameters": [_query("initiative", "the IRI of the initiative to settle", required=True)]
}
SETTLE = {
    "requestBody": {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "initiative": _STRING,
                        "token": _STRING,
                        "outcome": _STRING,
                        "assessed_by": _STRING,
                        "reason": _STRING,
                    },
                    "additionalProperties": _STRING,
                }
            }
        },
    }
}
_GRAPH = [
    _query("graph", "the IRI of the named graph"),
    {
        "name": "default",
        "in": "query",
        "required": False,
        "description": "the default graph (refused: it is the union of all graphs)",
        "schema": {"type": "string"},
        "allowEmptyValue": True,
    },
]
GRAPH_READ = {"parameters": _GRAPH}
GRAPH_WRITE = {"parameters": _GRAPH, **_body(*RDF_TYPES)}
RESOURCE = {"parameters": [_query("_mediatype", "representation instead of Accept")]}
