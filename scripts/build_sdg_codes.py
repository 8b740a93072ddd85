"""Generate ``ontology/vocab/sdg.ttl``, the SDG code list cdkg ships.

The code list holds facts only: the IRIs of the 17 goals, 169 targets and every
indicator (by its permanent code), their codes (``5``, ``5.2``, ``5.2.1``, ``C050201``),
their hierarchy (an indicator shared by several targets has several broader targets)
and the goals' short names. It never contains the UN's goal, target or indicator
sentences; ``cdkg vocab fetch sdg`` adds those to a local cache when a user wants them.

Usage (from the repository root; reads the official SDG KOS Turtle file)::

    python scripts/build_sdg_codes.py ../shared/vocab/sdg-kos-goals-targets-indicators.ttl

then ``python -m cdkg.model.canonical --fix ontology`` to put the output in canonical form.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from cdkg.model.canonical import canonical_turtle

SDG = rdflib.Namespace("http://metadata.un.org/sdg/")
SDGO = rdflib.Namespace("http://metadata.un.org/sdg/ontology#")
SCHEME = rdflib.URIRef("http://metadata.un.org/sdg")
OUT = Path(__file__).resolve().parent.parent / "ontology" / "vocab" / "sdg.ttl"

LABELS = {
    "goal": ("Goal {}", "Objectif {}", "Objetivo {}"),
    "target": ("Target {}", "Cible {}", "Meta {}"),
    "indicator": ("Indicator {}", "Indicateur {}", "Indicador {}"),
}


def _sort_key(code: str) -> tuple[tuple[int, str], ...]:
    """'10.a.1' sorts after '10.2.1' and '2.1' before '10.1'."""
    return tuple((int(p), "") if p.isdigit() else (10_000, p) for p in code.split("."))


def _compact_codes(g: rdflib.Graph, node: rdflib.URIRef) -> list[str]:
    codes = {
        str(n)
        for n in g.objects(node, SKOS.notation)
        if isinstance(n, rdflib.Literal) and n.datatype == SDGO.SDGCodeCompact
    }
    return sorted(codes, key=_sort_key)


def build(source: Path) -> rdflib.Graph:
    official = rdflib.Graph()
    official.parse(source, format="turtle")
    out = rdflib.Graph()
    out.bind("sdg", SDG)
    out.bind("sdgo", SDGO)
    out.bind("skos", SKOS)
    out.bind("dct", DCTERMS)
    out.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    for lang, text in (
        ("en", "Sustainable Development Goals: codes and hierarchy"),
        ("fr", "Objectifs de développement durable : codes et hiérarchie"),
        ("es", "Objetivos de Desarrollo Sostenible: códigos y jerarquía"),
    ):
        out.add((SCHEME, SKOS.prefLabel, rdflib.Literal(text, lang=lang)))
        out.add((SCHEME, RDFS.label, rdflib.Literal(text, lang=lang)))
    out.add(
        (
            SCHEME,
            SKOS.definition,
            rdflib.Literal(
                "The goals, targets and indicators of the global indicator framework for the "
                "Sustainable Development Goals, identified by the UN's own IRIs. This copy holds "
                "codes, hierarchy and goal short names only.",
                lang="en",
            ),
        )
    )
    out.add(
        (
            SCHEME,
            DCTERMS.source,
            rdflib.URIRef("http://metadata.un.org/sdg/"),
        )
    )
    kinds = (("goal", SDGO.Goal), ("target", SDGO.Target), ("indicator", SDGO.Indicator))
    for kind, cls in kinds:
        for node in sorted(official.subjects(RDF.type, cls)):
            assert isinstance(node, rdflib.URIRef)
            out.add((node, RDF.type, cls))
            out.add((node, RDF.type, SKOS.Concept))
            out.add((node, SKOS.inScheme, SCHEME))
            codes = _compact_codes(official, node)
            if not codes:
                raise SystemExit(f"{node} has no compact SDG code in {source}")
            for code in codes:
                out.add((node, SKOS.notation, rdflib.Literal(code)))
            local = str(node)[len(str(SDG)) :]
            if kind == "indicator":
                if not re.fullmatch(r"C\d{2}[0-9a-z]{2}\d{2}", local):
                    raise SystemExit(f"unexpected indicator IRI {node}")
                out.add((node, SKOS.notation, rdflib.Literal(local, datatype=SDGO.SDGCodePerm)))
            en, fr, es = (t.format(codes[0]) for t in LABELS[kind])
            if kind == "goal":
                shorts = [
                    str(s)
                    for s in official.objects(node, SKOS.altLabel)
                    if isinstance(s, rdflib.Literal) and s.language == "en"
                ]
                if len(shorts) != 1:
                    raise SystemExit(f"{node} has no single English short name in {source}")
                en = f"{en}: {shorts[0]}"
                out.add((node, SKOS.altLabel, rdflib.Literal(shorts[0], lang="en")))
            for text, lang in ((en, "en"), (fr, "fr"), (es, "es")):
                out.add((node, SKOS.prefLabel, rdflib.Literal(text, lang=lang)))
            for other in codes[1:]:
                for template, lang in zip(LABELS[kind], ("en", "fr", "es"), strict=True):
                    out.add(
                        (node, SKOS.altLabel, rdflib.Literal(template.format(other), lang=lang))
                    )
            if kind == "goal":
                out.add((node, SKOS.topConceptOf, SCHEME))
                out.add((SCHEME, SKOS.hasTopConcept, node))
            for broader in official.objects(node, SKOS.broader):
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
