"""``cdkg publish``: a static site from the examples that browses from disk and whose
data files parse and carry the inferred classification."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from cdkg import __version__
from cdkg.classify.verdicts import InitiativeResult, classify
from cdkg.model.namespaces import CDKG, INITIATIVE_TYPE, VERDICT
from cdkg.rdf.read import load_graph
from cdkg.render.words import local_name
from cdkg.store.layout import VOID
from tests.support.webfixtures import BASE, example_store

KISUMU = "kisumu-well-watch"
DOWNLOAD_URL = URIRef("http://www.w3.org/ns/dcat#downloadURL")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cdkg.cli import main

    folder = tmp_path_factory.mktemp("publish")
    store = example_store(folder)
    out = folder / "site"
    code = main(["publish", "--store", str(store), "--out", str(out), "--base-iri", BASE])
    assert code == 0
    return out


def test_every_resource_has_four_representations(site: Path) -> None:
    for stem in (KISUMU, "actor/uganda-bureau-of-statistics", "vocab/stage/design"):
        for ext in ("html", "ttl", "jsonld", "nt"):
            assert (site / f"{stem}.{ext}").is_file(), f"{stem}.{ext} is missing"


def test_every_data_file_parses_and_initiatives_carry_the_classification(site: Path) -> None:
    formats = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}
    parsed = 0
    for path in site.rglob("*"):
        if path.suffix not in formats or path.parent.name == "dumps":
            continue
        graph = rdflib.Graph().parse(path, format=formats[path.suffix])
        assert len(graph) > 0, path
        parsed += 1
        for initiative in graph.subjects(RDF.type, CDKG.Initiative):
            if str(initiative) + "." + path.suffix[1:] == BASE + str(
                path.relative_to(site)
            ).replace("\\", "/"):
                verdict = graph.value(initiative, CDKG.verdict)
                assert verdict is not None, path
                if verdict != VERDICT["to-be-assessed"]:
                    assert graph.value(initiative, CDKG.initiativeType) is not None, path
                    assert graph.value(initiative, CDKG.isCitizenData) is not None, path
    assert parsed > 100


def test_the_three_formats_say_the_same(site: Path) -> None:
    graphs = [
        rdflib.Graph().parse(site / f"{KISUMU}.{ext}", format=fmt)
        for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"))
    ]
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[0], graphs[2])
    kisumu = URIRef(BASE + KISUMU)
    assert graphs[0].value(kisumu, CDKG.initiativeType) == INITIATIVE_TYPE["civic-action"]
    # The engagements travel with the initiative (the participation profile is in the data).
    assert len(list(graphs[0].objects(kisumu, CDKG.hasEngagement))) == 5
    for engagement in graphs[0].objects(kisumu, CDKG.hasEngagement):
        assert graphs[0].value(engagement, CDKG.participationLevel) is not None


def test_html_pages_embed_their_json_ld_and_show_verdict_reasons_chart(site: Path) -> None:
    page = (site / f"{KISUMU}.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "the page embeds no JSON-LD"
    embedded = rdflib.Graph().parse(data=found.group(1).replace("<\\/", "</"), format="json-ld")
    assert (URIRef(BASE + KISUMU), CDKG.isCitizenData, None) in embedded
    assert "Citizen data" in page and "Civic action" in page
    assert 'class="reasons"' in page and "Nyalenda" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart profile" role="img"' in page
    assert "<desc" in page and "Data collection: level 5, Self-determination" in page
    assert "Goal 6" in page


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_site_browses_from_disk_every_relative_link_resolves(site: Path) -> None:
    checked = 0
    for page in site.rglob("*.html"):
        for href in _links(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#") or href.startswith("//"):
                continue
            assert not href.startswith("/"), f"{page}: absolute link {href} breaks on disk"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {href}"
            checked += 1
    assert checked > 500


def test_facet_pages_filter_the_index(site: Path) -> None:
    goal6 = (site / "browse" / "sdg" / "6.html").read_text(encoding="utf-8")
    assert "Kisumu Well Watch" in goal6
    assert "Accra Market Safety Audit" not in goal6
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="./browse/sdg/6.html"' in index
    assert "Accra Market Safety Audit" in index and "Kisumu Well Watch" in index
    typed = (site / "browse" / "type" / "non-collaborative.html").read_text(encoding="utf-8")
    assert "Census Outreach Volunteers" in typed and "Kisumu Well Watch" not in typed
    assert (site / "browse" / "country" / "KEN.html").is_file()
    dashboard = (site / "dashboard.html").read_text(encoding="utf-8")
    assert "Initiatives by SDG goal" in dashboard and "<desc" in dashboard


def test_dumps_catalogue_void_and_sitemap(site: Path) -> None:
    nq = gzip.decompress((site / "dumps" / "registry.nq.gz").read_bytes())
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    assert any(
        q.subject.value == BASE + KISUMU and q.predicate.value == str(CDKG.initiativeType)
        for q in quads
    )
    assert len({q.graph_name for q in quads}) >= 2  # source and inferred graphs
    ttl = rdflib.Graph().parse(
        data=gzip.decompress((site / "dumps" / "registry.ttl.gz").read_bytes()), format="turtle"
    )
    js = rdflib.Graph().parse(
        data=gzip.decompress((site / "dumps" / "registry.jsonld.gz").read_bytes()),
        format="json-ld",
    )
    assert len(ttl) == len(js) > 150
    catalog = rdflib.Graph().parse(site / "catalog.ttl")
    urls = {str(u) for u in catalog.objects(None, DOWNLOAD_URL)}
    assert BASE + "dumps/registry.nq.gz" in urls
    void = rdflib.Graph().parse(site / "void.ttl")
    assert int(void.value(URIRef(BASE + "dataset"), VOID.triples)) >= len(ttl)  # type: ignore[arg-type]
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = {e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert BASE + KISUMU in locs and BASE in locs


def test_ontology_is_stamped_with_the_release(site: Path) -> None:
    onto = rdflib.Graph().parse(site / "ontology.ttl")
    node = URIRef("https://w3id.org/cdkg/ontology")
    assert onto.value(node, OWL.versionIRI) == URIRef(f"{node}/{__version__}")
    assert str(onto.value(node, OWL.versionInfo)) == __version__
    html = (site / "ontology.html").read_text(encoding="utf-8")
    assert 'id="Initiative"' in html
    assert (site / "shapes.ttl").is_file() and (site / "shapes.html").is_file()


def test_publish_bad_usage_is_exit_2_and_leaves_nothing(tmp_path: Path, cli: object) -> None:
    run = cli  # the conftest runner
    result = run(
        "publish",
        "--store",
        str(tmp_path / "none"),
        "--out",
        str(tmp_path / "s"),  # type: ignore[operator]
        "--base-iri",
        BASE,
    )
    assert result.code == 2 and "no store here" in result.err
    assert not (tmp_path / "s").exists()
    result = run(
        "publish",
        "--store",
        str(tmp_path / "none"),
        "--out",
        str(tmp_path / "s"),  # type: ignore[operator]
        "--base-iri",
        "not-an-iri",
    )
    assert result.code == 2


EXAMPLES_BASE = "https://w3id.org/cdkg/examples/"


@pytest.fixture(scope="module")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The examples folder loaded into a registry and published from it read-only, as
    ``cdkg publish`` does: (site, examples/expected.json)."""
    from cdkg.load.loader import load
    from cdkg.publish.site import publish
    from cdkg.publish.source import ReadOnlyStore
    from cdkg.store import open_store
    from tests.support.webfixtures import REPO

    folder = tmp_path_factory.mktemp("examples-site")
    examples = REPO / "examples"
    expected = json.loads((examples / "expected.json").read_text(encoding="utf-8"))
    with open_store(folder / "store") as store:
        load(store, [str(examples / name) for name in sorted(expected)])
    with ReadOnlyStore(folder / "store") as source:
        publish(source, folder / "site", EXAMPLES_BASE, progress=False)
    return folder / "site", expected


def _own_classification(name: str, iri: str) -> InitiativeResult:
    from tests.support.webfixtures import REPO

    (own,) = [
        i for i in classify(load_graph([str(REPO / "examples" / name)])).initiatives if i.iri == iri
    ]
    return own


def _listed_findings(page: str) -> list[tuple[str, str, str]]:
    """(severity, message, shape) of every finding a page lists under "Findings to look at"."""
    block = re.search(r'<ul class="findings">(.*?)</ul>', page, re.S)
    if block is None:
        return []
    items = re.findall(
        r'<li class="finding [a-z]+"><strong class="severity">(\w+):</strong> (.*?)'
        r'(?: <span class="shape">\(([^)]*)\)</span>)?</li>',
        block.group(1),
        re.S,
    )
    return [(sev, html.unescape(msg), shape) for sev, msg, shape in items]


def test_initiative_pages_list_the_findings_classify_gives(
    examples_site: tuple[Path, dict[str, Any]],
) -> None:
    """Regression: the pages lost "Findings to look at" when publishing read the verdicts
    from the registry. Each initiative's page lists exactly the findings ``cdkg classify``
    gives for its source file (computed once over the registry, nothing from a partial
    description: a dataset described beside the initiative is not "without licence")."""
    site, expected = examples_site
    with_findings = 0
    for name, entry in sorted(expected.items()):
        for initiative in entry["initiatives"]:
            iri = initiative["iri"]
            page = (site / f"{iri[len(EXAMPLES_BASE) :]}.html").read_text(encoding="utf-8")
            own = _own_classification(name, iri)
            wanted = [
                (f.severity_name, f.message, local_name(f.source_shape)) for f in own.findings
            ]
            assert _listed_findings(page) == wanted, iri
            assert ("Findings to look at" in page) == bool(wanted), iri
            with_findings += bool(wanted)
    assert with_findings >= 5
    census = (site / "census-outreach.html").read_text(encoding="utf-8")
    assert "Findings to look at" in census
    assert [shape for *_, shape in _listed_findings(census)] == ["InsufficientEngagement"]


def test_site_from_the_examples_folder_carries_every_expected_verdict(
    examples_site: tuple[Path, dict[str, Any]],
) -> None:
    """Acceptance: the examples published as a site; every initiative's data files carry
    the verdict of examples/expected.json and its page shows it."""
    site, expected = examples_site
    name_of = {i["iri"]: name for name, e in expected.items() for i in e["initiatives"]}
    base = EXAMPLES_BASE
    checked = 0
    for entry in expected.values():
        for initiative in entry["initiatives"]:
            iri = initiative["iri"]
            stem = site / iri[len(base) :]
            for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
                graph = rdflib.Graph().parse(f"{stem}.{ext}", format=fmt)
                verdict = graph.value(URIRef(iri), CDKG.isCitizenData)
                assert verdict is not None and verdict.toPython() is initiative["isCitizenData"]
                kind = graph.value(URIRef(iri), CDKG.initiativeType)
                assert kind is not None and str(kind).startswith(str(INITIATIVE_TYPE))
            page = Path(f"{stem}.html").read_text(encoding="utf-8")
            words = "Not citizen data" if not initiative["isCitizenData"] else "Citizen data"
            assert f"<strong>{words}</strong>" in page
            assert f"(type {initiative['typeNumber']} of 6)" in page
            # the reasons on the page are those `cdkg classify` gives for the same file
            # (regression: actors under https://w3id.org/cdkg/ were left out of the
            # re-classification, so pages showed the reasons for another type)
            own = _own_classification(name_of[iri], iri)
            assert own.reasons
            text = html.unescape(page)
            for reason in own.reasons:
                assert reason in text, reason
            checked += 1
    assert checked == sum(len(e["initiatives"]) for e in expected.values()) > 10
