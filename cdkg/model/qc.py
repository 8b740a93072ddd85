"""Quality checks over the shipped data files (CONVENTIONS 2).

* :func:`check_terms` runs ``shapes/qc/`` over the merged ontology and vocabularies:
  every term and concept cdkg mints has complete metadata.
* :func:`check_declared` collects every IRI that ``shapes/`` and ``queries/`` use and
  checks, with the same shapes, that each is declared in ``ontology/`` or ``shapes/``
  unless it belongs to one of the allowed vocabularies that ``shapes/qc/declared.ttl``
  lists (``cdkgsh:qcAllowedNamespace``).

``cdkg vocab check`` runs both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from cdkg.model.namespaces import CDKGSH
from cdkg.model.ontology import ontology_graph
from cdkg.model.resources import data_dir


@dataclass(frozen=True)
class QcProblem:
    """One quality-check finding: which node, what is wrong, where it is used."""

    focus: str
    message: str
    shape: str
    where: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.focus}: {self.message}"
        if self.where:
            text += f" (used in {', '.join(self.where)})"
        return text


TERM_SHAPES = "term-metadata.ttl"
DECLARED_SHAPES = "declared.ttl"


def qc_shapes(name: str) -> rdflib.Graph:
    """One file of quality-check shapes from ``shapes/qc/``."""
    graph = rdflib.Graph()
    graph.parse(data=data_dir("shapes").joinpath("qc", name).read_bytes(), format="turtle")
    return graph


def _validate(data: rdflib.Graph, shapes: rdflib.Graph) -> list[QcProblem]:
    # inplace: the data graph is only read (no inference is asked for), so skip the copy
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, allow_warnings=True, inplace=True
    )
    assert isinstance(report, rdflib.Graph)
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "does not conform")
        if path is not None:
            message = f"{message} [{path}]"
        where = tuple(sorted(str(o) for o in data.objects(focus, CDKGSH.qcUsedIn)))
        shape = str(report.value(result, SH.sourceShape))
        problems.append(QcProblem(str(focus), message, shape, where))
    return sorted(problems, key=lambda p: (p.focus, p.message))


def check_terms(graph: rdflib.Graph | None = None) -> list[QcProblem]:
    """Term-metadata findings over ``graph`` (default: the shipped ontology)."""
    return _validate(graph if graph is not None else ontology_graph(), qc_shapes(TERM_SHAPES))


# --------------------------------------------------------------------------- used IRIs

_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_IRI_REF = re.compile(r"<([^<>\"{}|^`\\\s]+)>")
_STRING = re.compile(r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.S)
_COMMENT = re.compile(r"(^|\s)#[^\n]*")


def iris_in_query(text: str) -> set[str]:
    """The IRIs a SPARQL query names, written in full or as prefixed names."""
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    body = _PREFIX_DECL.sub(" ", text)
    body = _STRING.sub(" ", body)
    body = _COMMENT.sub(" ", body)
    found = set(_IRI_REF.findall(body))
    body = _IRI_REF.sub(" ", body)
    for prefix, ns in prefixes.items():
        pattern = re.compile(rf"(?<![\w:?$]){re.escape(prefix)}:((?:[\w-]|\.(?=[\w-]))*)")
        for m in pattern.finditer(body):
            found.add(ns + m.group(1))
    return found


def iris_in_turtle(graph: rdflib.Graph) -> set[str]:
    """Every IRI in any position of ``graph``."""
    return {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file()) if folder.is_dir() else []


def usage_graph(shapes_dir: Path, queries_dir: Path) -> rdflib.Graph:
    """Ontology + shapes, and ``cdkgsh:qcUsedIn`` links from each used IRI to its files."""
    qc = qc_shapes(DECLARED_SHAPES)
    allowed = [str(o) for o in qc.objects(CDKGSH.QcDeclared, CDKGSH.qcAllowedNamespace)]
    data = rdflib.Graph()
    for triple in ontology_graph():
        data.add(triple)
    uses: dict[str, set[str]] = {}
    for path in _files(shapes_dir, ".ttl"):
        shapes = rdflib.Graph().parse(path, format="turtle")
        name = path.relative_to(shapes_dir.parent).as_posix()
        for s, p, o in shapes:
            data.add((s, p, o))
            if isinstance(s, rdflib.URIRef) and str(s).startswith(str(CDKGSH)):
                data.add((s, CDKGSH.qcDefinedIn, rdflib.Literal(name)))
        for iri in iris_in_turtle(shapes):
            uses.setdefault(iri, set()).add(name)
    for path in _files(queries_dir, ".rq"):
        name = path.relative_to(queries_dir.parent).as_posix()
        for iri in iris_in_query(path.read_text(encoding="utf-8")):
            uses.setdefault(iri, set()).add(name)
    for iri, names in uses.items():
        if any(iri.startswith(ns) for ns in allowed):
            continue
        for name in names:
            data.add((rdflib.URIRef(iri), CDKGSH.qcUsedIn, rdflib.Literal(name)))
    return data


def check_declared(
    shapes_dir: Path | None = None, queries_dir: Path | None = None
) -> list[QcProblem]:
    """IRIs used in ``shapes/`` and ``queries/`` that nothing declares."""
    shapes_dir = shapes_dir or Path(str(data_dir("shapes")))
    queries_dir = queries_dir or Path(str(data_dir("queries")))
    data = usage_graph(shapes_dir, queries_dir)
    return _validate(data, qc_shapes(DECLARED_SHAPES))


def check_all() -> list[QcProblem]:
    """Both checks over the shipped files."""
    return check_terms() + check_declared()
