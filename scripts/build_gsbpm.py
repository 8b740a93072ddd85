"""Generate ``ontology/vocab/gsbpm.ttl``: the 8 phases and 44 sub-processes of GSBPM 5.1.

The concepts keep the UNECE COOS IRIs (``http://id.unece.org/activities/phase/N`` and
``.../subProcess/N.M``), their notation, their English names and the phase hierarchy.
Nothing else of COOS is copied.

Usage (from the repository root; reads the COOS Turtle file)::

    python scripts/build_gsbpm.py ../shared/vocab/coos.ttl
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from cdkg.model.canonical import canonical_turtle

PHASE = "http://id.unece.org/activities/phase/"
SUBPROCESS = "http://id.unece.org/activities/subProcess/"
COOS = rdflib.Namespace("http://id.unece.org/def/coos#")
SCHEME = rdflib.URIRef("http://id.unece.org/activities/gsbpm")
OUT = Path(__file__).resolve().parent.parent / "ontology" / "vocab" / "gsbpm.ttl"


def build(source: Path) -> rdflib.Graph:
    coos = rdflib.Graph()
    coos.parse(source, format="turtle")
    out = rdflib.Graph()
    out.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    for text, lang in (
        ("Generic Statistical Business Process Model 5.1", "en"),
        ("Modèle générique du processus de production statistique 5.1", "fr"),
        ("Modelo genérico del proceso estadístico institucional 5.1", "es"),
    ):
        out.add((SCHEME, SKOS.prefLabel, rdflib.Literal(text, lang=lang)))
        out.add((SCHEME, RDFS.label, rdflib.Literal(text, lang=lang)))
    out.add((SCHEME, SKOS.notation, rdflib.Literal("GSBPM 5.1")))
    out.add(
        (
            SCHEME,
            DCTERMS.source,
            rdflib.URIRef("https://unece.org/statistics/documents/2019/01/standards/gsbpm-v51"),
        )
    )
    nodes = [
        n
        for n in set(coos.subjects(SKOS.inScheme, SCHEME))
        if isinstance(n, rdflib.URIRef) and str(n).startswith((PHASE, SUBPROCESS))
    ]
    for node in sorted(nodes):
        out.add((node, RDF.type, SKOS.Concept))
        out.add((node, RDF.type, COOS.ActivityCategory))
        out.add((node, SKOS.inScheme, SCHEME))
        for notation in coos.objects(node, SKOS.notation):
            out.add((node, SKOS.notation, rdflib.Literal(str(notation))))
        labels = [
            lab
            for lab in coos.objects(node, SKOS.prefLabel)
            if isinstance(lab, rdflib.Literal) and lab.language == "en"
        ]
        if len(labels) != 1:
            raise SystemExit(f"{node}: expected one English name in {source}")
        out.add((node, SKOS.prefLabel, labels[0]))
        out.add((node, RDFS.label, labels[0]))
        if str(node).startswith(PHASE):
            out.add((node, SKOS.topConceptOf, SCHEME))
            out.add((SCHEME, SKOS.hasTopConcept, node))
        for broader in coos.objects(node, SKOS.broader):
            if str(broader).startswith(PHASE):
                out.add((node, SKOS.broader, broader))
                out.add((broader, SKOS.narrower, node))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    graph = build(Path(argv[0]))
    OUT.write_text(canonical_turtle(graph), encoding="utf-8")
    print(f"wrote {OUT} ({len(graph)} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
