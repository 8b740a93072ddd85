"""Generate the ontology reference under ``docs/ontology/`` from ``ontology/``.

* ``docs/ontology/index.html`` — every class, property, scheme and concept with its
  labels (en/fr/es), definition, notation and source paragraph;
* ``docs/ontology/overview.svg`` — the main classes and the properties between them.

    python -m cdkg.model.docgen          # rewrite both files
    python -m cdkg.model.docgen --check  # exit 1 if either is out of date

The output is deterministic, so ``tests/test_ontology_docs.py`` can check it is current.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from cdkg.model.ontology import ontology_graph

COMMAND = "python -m cdkg.model.docgen"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "ontology"
ONTOLOGY = rdflib.URIRef("https://w3id.org/cdkg/ontology")
CDKG_NS = "https://w3id.org/cdkg/ontology#"
VOCAB_BASE = "https://w3id.org/cdkg/vocab/"
LANGS = ("en", "fr", "es")

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#222}h1,h2,h3{line-height:1.2}code{background:#f4f4f4;padding:0 .2em}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;
padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f7f7f7}
.term{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1rem}.muted{color:#666}
nav a{margin-right:.8rem}"""


def _text(g: rdflib.Graph, node: rdflib.term.Node, prop: rdflib.URIRef, lang: str = "en") -> str:
    for value in g.objects(node, prop):
        if isinstance(value, rdflib.Literal) and value.language in (lang, None):
            return str(value)
    return ""


def _name(iri: str) -> str:
    if iri.startswith(CDKG_NS):
        return "cdkg:" + iri[len(CDKG_NS) :]
    for prefix, ns in (
        ("prov:", "http://www.w3.org/ns/prov#"),
        ("org:", "http://www.w3.org/ns/org#"),
        ("skos:", "http://www.w3.org/2004/02/skos/core#"),
        ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
        ("coos:", "http://id.unece.org/def/coos#"),
        ("sdgo:", "http://metadata.un.org/sdg/ontology#"),
    ):
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def _ref(node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.URIRef):
        iri = str(node)
        name = html.escape(_name(iri))
        if iri.startswith(CDKG_NS):
            return f'<a href="#{html.escape(iri[len(CDKG_NS) :])}"><code>{name}</code></a>'
        return f'<a href="{html.escape(iri)}"><code>{name}</code></a>'
    return "<em>(a class expression)</em>"


def _term_block(g: rdflib.Graph, node: rdflib.URIRef, kind: str) -> str:
    local = str(node)[len(CDKG_NS) :]
    rows = [
        f'<div class="term" id="{html.escape(local)}"><h3>'
        f"{html.escape(_text(g, node, SKOS.prefLabel))}"
        f' <span class="muted"><code>cdkg:{html.escape(local)}</code> · {kind}</span></h3>',
        f"<p>{html.escape(_text(g, node, SKOS.definition))}</p>",
        "<table>",
        f"<tr><th>IRI</th><td><code>{html.escape(str(node))}</code></td></tr>",
        "<tr><th>Labels</th><td>"
        + " · ".join(
            f"{html.escape(_text(g, node, SKOS.prefLabel, lang))} <span class=muted>({lang})</span>"
            for lang in LANGS
        )
        + "</td></tr>",
    ]
    for title, prop in (
        ("Subclass of", RDFS.subClassOf),
        ("Sub-property of", RDFS.subPropertyOf),
        ("Domain", RDFS.domain),
        ("Range", RDFS.range),
        ("Disjoint with", OWL.disjointWith),
        ("Close match", SKOS.closeMatch),
    ):
        values = sorted(g.objects(node, prop), key=str)
        if values:
            rows.append(f"<tr><th>{title}</th><td>{', '.join(_ref(v) for v in values)}</td></tr>")
    rows.append(f"<tr><th>Source</th><td>{html.escape(_text(g, node, DCTERMS.source))}</td></tr>")
    rows.append("</table></div>")
    return "\n".join(rows)


def _scheme_block(g: rdflib.Graph, scheme: rdflib.URIRef) -> str:
    name = str(scheme)[len(VOCAB_BASE) :]
    concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: _order(g, c))
    rows = [
        f'<div class="term" id="scheme-{html.escape(name)}">'
        f"<h3>{html.escape(_text(g, scheme, SKOS.prefLabel))} "
        f'<span class="muted"><code>{html.escape(str(scheme))}/</code></span></h3>',
        f"<p>{html.escape(_text(g, scheme, SKOS.definition))}</p>",
        "<table><tr><th>Code</th><th>Label (en · fr · "
        "es)</th><th>Definition</th><th>Source</th></tr>",
    ]
    for c in concepts:
        code = str(c)[len(str(scheme)) + 1 :]
        broader = g.value(c, SKOS.broader)
        indent = "↳ " if broader is not None else ""
        extra = []
        if (rank := g.value(c, rdflib.URIRef(CDKG_NS + "rank"))) is not None:
            sufficient = g.value(c, rdflib.URIRef(CDKG_NS + "sufficient"))
            extra.append(
                f"rank {rank}" + (", sufficient" if sufficient == rdflib.Literal(True) else "")
            )
        phases = sorted(
            str(p).rsplit("/", 1)[1] for p in g.objects(c, rdflib.URIRef(CDKG_NS + "gsbpmPhase"))
        )
        if phases:
            extra.append("GSBPM phase " + ", ".join(phases))
        labels = " · ".join(html.escape(_text(g, c, SKOS.prefLabel, lang)) for lang in LANGS)
        note = f' <span class="muted">({"; ".join(extra)})</span>' if extra else ""
        rows.append(
            f'<tr id="{html.escape(name)}-{html.escape(code)}">'
            f"<td><code>{indent}{html.escape(code)}</code></td>"
            f"<td>{labels}{note}</td><td>{html.escape(_text(g, c, SKOS.definition))}</td>"
            f"<td>{html.escape(_text(g, c, DCTERMS.source).rsplit(', ', 1)[-1])}</td></tr>"
        )
    rows.append("</table></div>")
    return "\n".join(rows)


def _order(g: rdflib.Graph, concept: rdflib.term.Node) -> tuple[int, int, str]:
    """Schemes read in the Framework's order: numbered codes by number, others as listed."""
    notation = _text(g, concept, SKOS.notation)
    broader = g.value(concept, SKOS.broader)
    top = broader if broader is not None else concept
    position = _position(g, top)
    return (
        position,
        0 if broader is None else 1,
        notation.zfill(4) if notation.isdigit() else notation,
    )


def _position(g: rdflib.Graph, top: rdflib.term.Node) -> int:
    notation = _text(g, top, SKOS.notation)
    if notation.isdigit():
        return int(notation)
    # stages and other unnumbered schemes: follow GSBPM phase, then the source paragraph
    phases = [
        int(str(p).rsplit("/", 1)[1]) for p in g.objects(top, rdflib.URIRef(CDKG_NS + "gsbpmPhase"))
    ]
    return min(phases) * 10 + max(phases) if phases else 0


def _iris(g: rdflib.Graph, cls: rdflib.URIRef, base: str) -> list[rdflib.URIRef]:
    found = {s for s in g.subjects(RDF.type, cls) if isinstance(s, rdflib.URIRef)}
    return sorted(s for s in found if str(s).startswith(base))


def render_html(g: rdflib.Graph | None = None) -> str:
    g = g if g is not None else ontology_graph()
    classes = _iris(g, OWL.Class, CDKG_NS)
    obj = _iris(g, OWL.ObjectProperty, CDKG_NS)
    data = _iris(g, OWL.DatatypeProperty, CDKG_NS)
    schemes = _iris(g, SKOS.ConceptScheme, VOCAB_BASE)
    title = _text(g, ONTOLOGY, DCTERMS.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<!-- generated by {COMMAND} from ontology/; do not edit -->",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(_text(g, ONTOLOGY, DCTERMS.description))}</p>",
        "<table>",
        f"<tr><th>Namespace</th><td><code>{CDKG_NS}</code> (prefix <code>cdkg:</code>)</td></tr>",
        f"<tr><th>Concept schemes</th><td><code>"
        f"{VOCAB_BASE}&lt;scheme&gt;/&lt;code&gt;</code></td></tr>",
        "<tr><th>Licence</th><td><a "
        'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></td></tr>',
        f"<tr><th>Source</th><td>"
        f"{html.escape(_text(g, ONTOLOGY, DCTERMS.bibliographicCitation))}</td></tr>",
        "</table>",
        '<p><img src="overview.svg" alt="Overview of the main '
        'classes and properties" style="max-width:100%"></p>',
        '<nav><a href="#classes">Classes</a><a href="#object-properties">Object properties</a>'
        '<a href="#datatype-properties">Datatype properties</a>'
        '<a href="#schemes">Concept schemes</a></nav>',
        f'<h2 id="classes">Classes ({len(classes)})</h2>',
        *(_term_block(g, c, "class") for c in classes),
        f'<h2 id="object-properties">Object properties ({len(obj)})</h2>',
        *(_term_block(g, p, "object property") for p in obj),
        f'<h2 id="datatype-properties">Datatype properties ({len(data)})</h2>',
        *(_term_block(g, p, "datatype property") for p in data),
        f'<h2 id="schemes">Concept schemes ({len(schemes)})</h2>',
        "<p>The SDG code list (goals, targets, indicators) and GSBPM 5.1 (phases, sub-processes) "
        "ship too, under the UN's and UNECE's own IRIs; see <code>cdkg vocab list sdg</code>.</p>",
        *(_scheme_block(g, s) for s in schemes),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- SVG overview

_BOXES: dict[str, tuple[int, int, str]] = {
    # name: (x, y, fill) — the layout is fixed; the labels come from the ontology
    "Initiative": (330, 150, "#dbeafe"),
    "Engagement": (330, 330, "#dbeafe"),
    "CitizenDataInitiative": (330, 30, "#e0e7ff"),
    "Actor": (40, 330, "#dcfce7"),
    "CitizenActor": (10, 450, "#dcfce7"),
    "StateActor": (220, 450, "#dcfce7"),
    "OtherActor": (430, 450, "#dcfce7"),
    "Stage": (680, 290, "#fef3c7"),
    "ParticipationLevel": (680, 370, "#fef3c7"),
    "InitiativeType": (680, 20, "#fef3c7"),
    "Objective": (680, 100, "#fef3c7"),
    "PopulationGroup": (680, 180, "#fef3c7"),
}
_EDGES = [
    ("Initiative", "Actor", "initiatedBy / collaborator"),
    ("Initiative", "Engagement", "hasEngagement"),
    ("Engagement", "Stage", "stage"),
    ("Engagement", "ParticipationLevel", "participationLevel"),
    ("Engagement", "Actor", "engagedActor"),
    ("Initiative", "InitiativeType", "initiativeType"),
    ("Initiative", "Objective", "objective, practice, …"),
    ("Initiative", "PopulationGroup", "populationGroup"),
]
_SUBCLASS = [
    ("CitizenDataInitiative", "Initiative"),
    ("CitizenActor", "Actor"),
    ("StateActor", "Actor"),
    ("OtherActor", "Actor"),
]
_W, _H = 190, 44


def render_svg(g: rdflib.Graph | None = None) -> str:
    g = g if g is not None else ontology_graph()
    for name in _BOXES:
        if (rdflib.URIRef(CDKG_NS + name), RDF.type, OWL.Class) not in g:
            raise ValueError(f"overview names cdkg:{name}, which the ontology does not declare")
    for _a, _b, label in _EDGES:
        prop = label.split(" ")[0].rstrip(",")
        if (rdflib.URIRef(CDKG_NS + prop), RDF.type, None) not in g:
            raise ValueError(f"overview names cdkg:{prop}, which the ontology does not declare")

    def centre(name: str) -> tuple[int, int]:
        x, y, _ = _BOXES[name]
        return x + _W // 2, y + _H // 2

    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="880" height="550" viewBox="0 0 880 550" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f"<!-- generated by {COMMAND} from ontology/; do not edit -->",
        "<title>cdkg ontology: main classes and properties</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path '
        'd="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
        '<marker id="hollow" viewBox="0 0 10 10" refX="10" '
        'refY="5" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 '
        'L0,10 z" fill="white" stroke="#555"/></marker></defs>',
        '<rect width="880" height="550" fill="white"/>',
    ]
    for a, b, label in _EDGES:
        (x1, y1), (x2, y2) = centre(a), centre(b)
        x1, y1, x2, y2 = _clip(x1, y1, x2, y2)
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke="#555" marker-end="url(#arrow)"/>'
        )
        mx, my = x1 + (x2 - x1) * 9 // 20, y1 + (y2 - y1) * 9 // 20
        out.append(
            f'<text x="{mx}" y="{my - 4}" text-anchor="middle" fill="#333" '
            f'paint-order="stroke" stroke="white" stroke-width="3">{html.escape(label)}</text>'
        )
    for a, b in _SUBCLASS:
        (x1, y1), (x2, y2) = centre(a), centre(b)
        x1, y1, x2, y2 = _clip(x1, y1, x2, y2)
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#555" stroke-dasharray="4 3" '
            'marker-end="url(#hollow)"/>'
        )
    for name, (x, y, fill) in _BOXES.items():
        node = rdflib.URIRef(CDKG_NS + name)
        label = _text(g, node, SKOS.prefLabel)
        out.append(
            f'<rect x="{x}" y="{y}" width="{_W}" height="{_H}" rx="6" fill="{fill}" stroke="#555"/>'
        )
        out.append(
            f'<text x="{x + _W // 2}" y="{y + 18}" text-anchor="middle" '
            f'font-weight="bold">{html.escape(label)}</text>'
        )
        out.append(
            f'<text x="{x + _W // 2}" y="{y + 34}" '
            f'text-anchor="middle" fill="#555">cdkg:{name}</text>'
        )
    out.append(
        '<text x="10" y="520" fill="#555">Solid arrows: properties (domain → range). '
        "Dashed arrows: subclass of. Yellow: SKOS concept schemes.</text>"
    )
    out.append(
        '<text x="10" y="538" fill="#555">Initiative ⊑ prov:Activity · Actor ⊑ prov:Agent · '
        "citizen actors are disjoint from state and other actors.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _clip(x1: int, y1: int, x2: int, y2: int) -> tuple[int, int, int, int]:
    """Shorten a centre-to-centre line so it starts and ends at the box borders."""

    def border(cx: int, cy: int, dx: float, dy: float) -> tuple[int, int]:
        if dx == 0 and dy == 0:
            return cx, cy
        tx = (_W / 2) / abs(dx) if dx else float("inf")
        ty = (_H / 2) / abs(dy) if dy else float("inf")
        t = min(tx, ty)
        return round(cx + dx * t), round(cy + dy * t)

    dx, dy = x2 - x1, y2 - y1
    sx, sy = border(x1, y1, dx, dy)
    ex, ey = border(x2, y2, -dx, -dy)
    return sx, sy, ex, ey


OUTPUTS = {"index.html": render_html, "overview.svg": render_svg}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Generate docs/ontology/.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    args = parser.parse_args(argv)
    stale = []
    for name, render in OUTPUTS.items():
        path = DOCS / name
        text = render(None)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"rewrote {path}")
    if args.check and stale:
        for path in stale:
            print(f"{path} is out of date with ontology/ (run: {COMMAND})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
