"""JSON-LD with the cdkg context: compact any graph into the short, plain form.

``ontology/context.jsonld`` gives short names to cdkg terms and lets concept codes stand
for concept IRIs (``"stage": "collection"``, ``"participationLevel": "4"``,
``"addressesSdg": "5.2"``). :func:`to_jsonld` writes a graph in that form with a
conformant JSON-LD 1.1 processor (pyld); reading it back is :mod:`cdkg.rdf.read`'s job.
Neither ever fetches a remote context.
"""

from __future__ import annotations

import json
from typing import Any

import rdflib
from pyld import jsonld

from cdkg.rdf.read import local_context

CONTEXT_IRI = "https://w3id.org/cdkg/context.jsonld"


def _no_remote_documents(url: str, options: Any = None) -> Any:
    raise jsonld.JsonLdError(
        f"cdkg never fetches remote JSON-LD documents ({url})", "loading document failed"
    )


def to_jsonld(graph: rdflib.Graph, *, embed_context: bool = False) -> dict[str, Any]:
    """``graph`` as compact JSON-LD using the cdkg context.

    The result names the context by its IRI (which cdkg resolves locally); with
    ``embed_context`` it carries the context itself, for consumers that cannot resolve it.
    """
    expanded = json.loads(graph.serialize(format="json-ld"))
    context = local_context()
    compacted: dict[str, Any] = jsonld.compact(
        expanded, {"@context": context}, options={"documentLoader": _no_remote_documents}
    )
    compacted["@context"] = context if embed_context else CONTEXT_IRI
    return compacted
