"""Which named graphs a registry holds, how their IRIs are made, and its load records.

* **Source graphs** — one per source document. Its IRI is the document's absolute
  ``file:`` URI (``Path.resolve().as_uri()``, also the base IRI relative references in
  the document resolve against), or an IRI the user gives with ``cdkg load --graph``
  (required for standard input). Re-loading the same file replaces exactly that graph.
* **Inferred graphs** — one per source graph: ``urn:cdkg:inferred:`` + the first 32
  hex digits of SHA-256 of the source graph IRI. It holds what the classifier
  infers about the initiatives described in the source: one ``cdkg:verdict`` each, and
  ``cdkg:initiativeType``, ``cdkg:isCitizenData`` and ``rdf:type
  cdkg:CitizenDataInitiative`` where decided (an initiative to be assessed has no
  ``cdkg:isCitizenData`` and often no type).
* :data:`VOCAB_GRAPH` — the shipped ontology and vocabularies, so queries can use
  labels, ranks, ``skos:broader``, GSBPM phases and the SDG hierarchy.
* :data:`REGISTRY_GRAPH` — the load records (PROV-O, DCT and VoID terms): for each
  source graph its ``dct:source`` (the name it was loaded from), ``dct:modified``,
  ``void:triples`` and the load activity that wrote it; for each inferred graph
  ``prov:wasDerivedFrom`` its source graph; for each load or removal a
  ``prov:Activity`` with ``prov:endedAtTime``; for the vocabulary graph
  ``owl:versionInfo`` (a digest of the shipped files, so a new release replaces it).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rdflib import Namespace

VOCAB_GRAPH = "urn:cdkg:graph:vocabularies"
REGISTRY_GRAPH = "urn:cdkg:graph:registry"
INFERRED_PREFIX = "urn:cdkg:inferred:"
ACTIVITY_PREFIX = "urn:cdkg:activity:"
VOID = Namespace("http://rdfs.org/ns/void#")

#: Graphs a registry keeps for itself (not source documents).
RESERVED_GRAPHS = frozenset({VOCAB_GRAPH, REGISTRY_GRAPH})

_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\\]")


def is_iri(text: str) -> bool:
    """Whether ``text`` looks like an absolute IRI (``urn:…``, ``https://…``, ``file:…``)."""
    return bool(_IRI_SCHEME.match(text)) and not re.match(r"^[A-Za-z]:[\\/]", text)


def source_graph(path: Path) -> str:
    """The named graph of the document at ``path``: its absolute ``file:`` URI."""
    return path.resolve().as_uri()


def inferred_graph(source_graph_iri: str) -> str:
    """The graph holding what is inferred from ``source_graph_iri``."""
    digest = hashlib.sha256(source_graph_iri.encode("utf-8")).hexdigest()[:32]
    return INFERRED_PREFIX + digest


def is_data_graph(graph: str) -> bool:
    """Source and inferred graphs (the registry's content), not vocabulary or records."""
    return graph not in RESERVED_GRAPHS
