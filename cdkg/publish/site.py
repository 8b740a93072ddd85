"""``cdkg publish``: write a registry as a static linked-data site.

For every resource whose IRI is ``BASE + path`` (initiatives, actors, engagements) and
for cdkg's own concepts (``vocab/...``) the site holds ``path.html``, ``path.ttl``,
``path.jsonld`` and ``path.nt``; initiatives carry the inferred classification, and
their pages the verdict, reasons, findings and participation profile. Besides: the index with
facet pages, a dashboard, full dumps (N-Quads, Turtle, JSON-LD, gzip), a DCAT catalogue,
a VoID description, a sitemap, and the ontology and shapes with their documentation.

The site is written into a fresh folder and moved into place at the end, so a failed
run never leaves a half-written site behind.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, XSD

from cdkg import __version__
from cdkg.classify.explainer import Explainer, stored_classification
from cdkg.classify.facts import PairFacts
from cdkg.classify.stored import stored_result
from cdkg.errors import InputError
from cdkg.model.ontology import ontology_graph
from cdkg.publish.dumps import write_dumps
from cdkg.publish.files import Job, write_resources
from cdkg.publish.findings import RegistryValidation
from cdkg.publish.redaction import withheld_in
from cdkg.publish.snapshot import Snapshot, summaries_of
from cdkg.render import pages
from cdkg.render.data import new_graph
from cdkg.render.docs import ontology_document, ontology_html, shapes_document, shapes_html
from cdkg.render.negotiation import REPRESENTATIONS
from cdkg.render.paths import CDKG_ROOT, Layout, Linker
from cdkg.render.privacy import Redaction
from cdkg.render.serialize import serialize
from cdkg.store import Store
from cdkg.store.layout import VOID

DUMPS = (
    ("registry.nq.gz", "nq", "application/n-quads", "N-Quads, one named graph per source"),
    ("registry.ttl.gz", "ttl", "text/turtle", "Turtle, all descriptions in one graph"),
    ("registry.jsonld.gz", "jsonld", "application/ld+json", "JSON-LD, all descriptions"),
)


@dataclass
class PublishReport:
    out: Path
    resources: int
    initiatives: int
    files: int
    seconds: float
    #: The personal contact data withheld.
    redaction: Redaction = field(default_factory=Redaction)
    #: Seconds spent in each step (validation, read, classification, pages, index, dumps).
    timings: dict[str, float] = field(default_factory=dict)


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0

    def write(self, rel: str, data: bytes | str) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.files += 1


def _vocab_iris() -> list[str]:
    graph = ontology_graph()
    found = {
        str(s)
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(CDKG_ROOT + "vocab/")
    }
    return sorted(found)


def publish(
    store: Store,
    out: str | Path,
    base_iri: str,
    *,
    progress: bool | None = None,
    workers: int | None = None,
) -> PublishReport:
    """Write the site for ``store`` into ``out`` (replaced as a whole at the end).

    Personal contact data of individuals are withheld (:mod:`cdkg.render.privacy`). The store
    is only read. ``workers`` processes write the pages (default: two for a large
    registry); ``progress`` shows a progress bar (default: on a terminal).
    """
    started = time.perf_counter()
    try:
        layout = Layout(base_iri)
    except ValueError as exc:
        raise InputError.single(
            f"--base-iri {base_iri}", str(exc), hint="e.g. --base-iri https://data.example.org/"
        ) from None
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError.single(str(out), "exists and is not a folder", hint="give a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        report = _write_site(store, layout, tmp, started, progress, workers)
        if out.exists():
            old = out.with_name(f".{out.name}-old-{int(time.time() * 1000)}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out = out
    return report


def _write_site(
    store: Store,
    layout: Layout,
    root: Path,
    started: float,
    progress: bool | None,
    workers: int | None,
) -> PublishReport:
    w = _Writer(root)
    linker = Linker(layout, static=True)
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = round(now - mark, 2)
        mark = now

    snap = Snapshot.read(store, withheld_in, lambda iri: layout.path_of(iri) is not None)
    lap("read")
    summaries = summaries_of(snap)
    initiative_iris = [s.iri for s in summaries if layout.path_of(s.iri)]
    facts = PairFacts(snap.out)
    # what cdkg load stored: verdict, type, reasons, missing facts and findings
    classified = {}
    for iri in initiative_iris:
        result = stored_result(facts, _node(iri))
        if result is not None:
            classified[iri] = result
    unexplained = [iri for iri in initiative_iris if iri not in classified]
    if unexplained:
        # loaded before reasons were stored (or never classified): the registry is
        # validated once, for the findings and what the store holds no verdict for
        validation = RegistryValidation(store)
        classification = stored_classification(facts, unexplained)
        missing = set(unexplained) - set(classification)
        if missing:
            validation.add_classification(snap, missing)
            summaries = summaries_of(snap)
            classification = stored_classification(facts, unexplained)
        findings = validation.findings(snap, unexplained)
        del validation
        explainer = Explainer(facts)
        for iri, stored in classification.items():
            result = explainer.result(_node(iri), stored, findings.get(iri, ()))
            if result is not None:
                classified[iri] = result
    lap("classification")
    # ---- resources
    vocab = _vocab_iris()
    paths: dict[str, str] = {}
    for iri in sorted(s.value for s in snap.data_subjects) + vocab:
        path = layout.path_of(iri)
        if path is not None and path not in paths:
            paths[path] = iri
    job = Job(snap, layout, root, sorted(paths.items()), classified, frozenset(vocab))
    files = write_resources(job, workers=workers, progress=progress)
    html_paths = [p for p, iri in paths.items() if iri in job.vocab or snap.out.get(_node(iri))]
    lap("pages")
    # ---- index, facets, dashboard
    namer = pages.Namer()
    w.write("index.html", pages.index_html(summaries, linker.at("index"), namer))
    html_paths.append("index")
    for facet, value in pages.facet_pages(summaries):
        path = f"browse/{facet}/{pages.facet_slug(value)}"
        html = pages.index_html(summaries, linker.at(path), namer, facet=facet, value=value)
        w.write(f"{path}.html", html)
        html_paths.append(path)
    w.write("dashboard.html", pages.dashboard_html(summaries, linker.at("dashboard"), namer))
    html_paths.append("dashboard")
    source = pages.environment().loader.get_source(pages.environment(), "style.css")  # type: ignore[union-attr]
    w.write("static/style.css", source[0])
    # ---- ontology and shapes
    for name, document, html_of in (
        ("ontology", ontology_document(), ontology_html),
        ("shapes", shapes_document(), shapes_html),
    ):
        for rep in REPRESENTATIONS:
            if rep.extension == "html":
                w.write(f"{name}.html", html_of(linker.at(name)))
                html_paths.append(name)
            else:
                w.write(f"{name}.{rep.extension}", serialize(document, rep.rdflib_format))
    lap("index")
    # ---- dumps, catalogue, VoID, sitemap
    triples = write_dumps(store, snap.withheld, root / "dumps")
    w.files += len(DUMPS)
    lap("dumps")
    w.write("catalog.ttl", _catalog(layout.base, len(summaries)).serialize(format="turtle"))
    void = _void(layout.base, triples, len(paths), summaries[0].iri if summaries else None)
    w.write("void.ttl", void.serialize(format="turtle"))
    w.write("dumps/index.html", _downloads_html(linker.at("dumps/index")))
    html_paths.append("dumps/index")
    w.write("sitemap.xml", _sitemap(layout.base, sorted(html_paths)))
    return PublishReport(
        root,
        len(paths),
        len(summaries),
        files + w.files,
        time.perf_counter() - started,
        redaction=snap.redaction,
        timings=timings,
    )


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _now() -> Literal:
    return Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _catalog(base: str, initiatives: int) -> rdflib.Graph:
    g = new_graph()
    catalog, dataset = URIRef(base + "catalog"), URIRef(base + "dataset")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("Citizen-data initiatives registry", lang="en")))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCTERMS.modified, _now()))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("Citizen-data initiatives", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                f"{initiatives} initiatives, classified with the Copenhagen Framework on "
                "Citizen Data (2024): initiative type, citizen-data verdict.",
                lang="en",
            ),
        )
    )
    g.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/cdkg/ontology")))
    g.add((dataset, DCAT.landingPage, URIRef(base)))
    g.add((dataset, DCTERMS.modified, _now()))
    g.add((dataset, DCTERMS.hasVersion, Literal(f"cdkg {__version__}")))
    for filename, _fmt, media, label in DUMPS:
        dist = URIRef(f"{base}dumps/{filename}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(label, lang="en")))
        g.add((dist, DCAT.downloadURL, dist))
        g.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
        g.add(
            (
                dist,
                DCAT.compressFormat,
                URIRef("https://www.iana.org/assignments/media-types/application/gzip"),
            )
        )
    return g


def _void(base: str, triples: int, entities: int, example: str | None) -> rdflib.Graph:
    g = new_graph()
    g.bind("void", str(VOID))
    ds = URIRef(base + "dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Citizen-data initiatives", lang="en")))
    g.add((ds, VOID.triples, Literal(triples)))
    g.add((ds, VOID.entities, Literal(entities)))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, FOAF.homepage, URIRef(base)))
    for vocab in ("https://w3id.org/cdkg/ontology#", str(DCTERMS), str(SKOS), str(FOAF)):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for filename, *_ in DUMPS:
        g.add((ds, VOID.dataDump, URIRef(f"{base}dumps/{filename}")))
    if example:
        g.add((ds, VOID.exampleResource, URIRef(example)))
    return g


def _sitemap(base: str, paths: Iterable[str]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in paths:
        url = base if path == "index" else base + path
        lines.append(f"  <url><loc>{escape(url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _downloads_html(linker: Linker) -> str:
    links = [
        {"href": linker.asset(f"dumps/{filename}"), "text": filename, "note": label}
        for filename, _fmt, _media, label in DUMPS
    ]
    links += [
        {"href": linker.asset("catalog.ttl"), "text": "catalog.ttl", "note": "DCAT catalogue"},
        {"href": linker.asset("void.ttl"), "text": "void.ttl", "note": "VoID description"},
        {"href": linker.asset("sitemap.xml"), "text": "sitemap.xml", "note": "sitemap"},
        {"href": linker.page("ontology"), "text": "Ontology", "note": "with its vocabularies"},
        {"href": linker.page("shapes"), "text": "Shapes", "note": "SHACL"},
    ]
    return pages.message_html(
        linker,
        "Downloads",
        ["The whole registry, its catalogue and its vocabularies, for machines."],
        links,
        section="downloads",
    )
