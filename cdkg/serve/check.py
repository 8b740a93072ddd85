"""Checking a description sent over the web: parse it safely, validate and classify it.

Used by ``POST /validate`` (RDF in, report out as JSON, Turtle or HTML) and by the
"Check an initiative" form. A description that cannot be read raises
:class:`~cdkg.errors.InputError` with the line and column of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import rdflib

from cdkg.classify.verdicts import ClassificationReport, classify
from cdkg.errors import InputError, quote
from cdkg.rdf.read import FORMAT_ALIASES, Limits, Source, iter_parsed

#: ``Content-Type`` of a request body → input format.
MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/yaml": "yaml-ld",
    "application/x-yaml": "yaml-ld",
    "application/ld+yaml": "yaml-ld",
    "text/yaml": "yaml-ld",
    "application/n-triples": "nt",
    "text/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
}
#: Choices of the form's format field.
FORM_FORMATS = [
    ("auto", "Recognise it"),
    ("turtle", "Turtle"),
    ("json-ld", "JSON-LD"),
    ("yaml-ld", "YAML-LD"),
    ("nt", "N-Triples"),
    ("xml", "RDF/XML"),
]
#: Largest description accepted (bytes).
MAX_BYTES = 5_000_000


def sniff(data: bytes) -> str:
    """A format guess for pasted text: JSON-LD, RDF/XML, YAML-LD or Turtle."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"{", b"[")):
        return "json-ld"
    if head.startswith((b"<?xml", b"<rdf:")):
        return "xml"
    if head.startswith(b"---") or (b"@context:" in head and b"{" not in head):
        return "yaml-ld"
    return "turtle"


def input_format(name: str, explicit: str | None, data: bytes) -> str:
    """The format ``explicit`` names (a name or media type), else the file name's, else sniffed."""
    if explicit and explicit != "auto":
        key = explicit.split(";")[0].strip().lower()
        fmt = MEDIA_TYPES.get(key) or FORMAT_ALIASES.get(key)
        if fmt is None:
            raise InputError.single(
                name,
                f"unknown format {quote(explicit)}",
                hint="send Turtle, JSON-LD, YAML-LD, N-Triples or RDF/XML",
            )
        return fmt
    from cdkg.rdf.read import FORMATS_BY_EXTENSION

    for ext, fmt in FORMATS_BY_EXTENSION.items():
        if name.lower().endswith(ext):
            return fmt
    return sniff(data)


def parse(data: bytes, name: str, fmt: str | None) -> rdflib.Graph:
    """The description as a graph, or :class:`InputError` saying what is wrong and where."""
    if not data.strip():
        raise InputError.single(name, "the description is empty", hint="paste or upload one")
    if len(data) > MAX_BYTES:
        raise InputError.single(
            name, f"the description is larger than {MAX_BYTES // 1_000_000} MB", hint="send less"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            name, f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8"
        ) from None
    source = Source(name, input_format(name, fmt, data), data)
    graph = rdflib.Graph()
    # what a description amounts to (YAML aliases expanded) is bounded by the body limit
    limits = Limits.from_env()
    limits = replace(limits, max_bytes=min(limits.max_bytes, MAX_BYTES))
    for _source, ds in iter_parsed([source], limits):
        for s, p, o, _g in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    if len(graph) == 0:
        raise InputError.single(name, "the description holds no statements")
    return graph


def check(data: bytes, name: str, fmt: str | None) -> ClassificationReport:
    return classify(parse(data, name, fmt))


@dataclass
class Outcome:
    report: ClassificationReport

    def to_json(self) -> dict[str, Any]:
        """Validation results (Contract 4 ``validate``) and classification (``classify``)."""
        return {
            "conforms": self.report.conforms,
            "results": self.report.validation.to_json()["results"],
            "initiatives": self.report.to_json()["initiatives"],
        }

    def to_turtle(self) -> str:
        """The input with the inferred classification, and the SHACL validation report."""
        graph = rdflib.Graph()
        graph.parse(data=self.report.to_turtle(), format="turtle")
        graph.parse(data=self.report.validation.to_turtle(), format="turtle")
        return graph.serialize(format="turtle")
