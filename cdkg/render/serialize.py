"""Resource descriptions as Turtle, N-Triples and JSON-LD (compacted with the cdkg context).

JSON-LD carries the cdkg context inline, so it reads offline, without fetching anything.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import rdflib

from cdkg.model.namespaces import PREFIXES
from cdkg.rdf.read import local_context


@lru_cache(maxsize=1)
def _context() -> dict[str, Any]:
    return local_context()


def jsonld(graph: rdflib.Graph) -> str:
    """The graph as compact JSON-LD with the cdkg context inline."""
    text = graph.serialize(format="json-ld", context=_context(), auto_compact=True, indent=2)
    return text


def serialize(graph: rdflib.Graph, fmt: str) -> bytes:
    """``fmt`` is an rdflib format name: ``turtle``, ``nt`` or ``json-ld``."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    if fmt == "json-ld":
        return jsonld(graph).encode("utf-8")
    if fmt == "nt":
        return graph.serialize(format="nt", encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def script_safe(text: str) -> str:
    """JSON text safe inside ``<script>``: no ``</`` sequence can close the element."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
