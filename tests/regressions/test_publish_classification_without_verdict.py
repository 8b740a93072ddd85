"""A registry classified before the verdict existed (Contract 3 revision 1) published as
"not citizen data, type 6" an initiative that revision 2 leaves to be assessed (row 7):
the site read the stored type and ``cdkg:isCitizenData``. Now an initiative the registry
holds no ``cdkg:verdict`` for is classified again, and its old classification is replaced
on the page and in the data files, not added to."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from cdkg.model.namespaces import CDKG, INITIATIVE_TYPE, VERDICT

BASE = "https://data.example.org/"
ROW_7 = f"""@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{BASE}river-survey> a cdkg:Initiative ; dct:title "River Survey"@en ;
    cdkg:initiatedBy <{BASE}actor/lake-university> .
<{BASE}actor/lake-university> a cdkg:AcademicInstitution ; foaf:name "Lake University" .
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cdkg.load.loader import load
    from cdkg.publish.site import publish
    from cdkg.publish.source import ReadOnlyStore
    from cdkg.store import open_store

    folder = tmp_path_factory.mktemp("revision-1-store")
    source = folder / "river.ttl"
    source.write_text(ROW_7, encoding="utf-8")
    with open_store(folder / "store") as store:
        load(store, [str(source)], progress=False)
        # What a load made before revision 2 left in the inferred graph.
        store.update(
            f"""PREFIX cdkg: <{CDKG}>
DELETE {{ GRAPH ?g {{ ?i cdkg:verdict ?v }} }}
INSERT {{ GRAPH ?g {{ ?i cdkg:initiativeType <{INITIATIVE_TYPE["non-collaborative"]}> ;
                       cdkg:isCitizenData false }} }}
WHERE {{ GRAPH ?g {{ ?i cdkg:verdict ?v }} }}
"""
        )
        stale = store.query(f"ASK {{ <{BASE}river-survey> <{CDKG.initiativeType}> ?t }}")
        assert stale.boolean
    with ReadOnlyStore(folder / "store") as registry:
        publish(registry, folder / "site", BASE, progress=False)
    return folder / "site"


def test_the_page_and_the_data_say_to_be_assessed(site: Path) -> None:
    page = html.unescape((site / "river-survey.html").read_text(encoding="utf-8"))
    line = re.search(r'<p class="verdict-line">(.*?)</p>', page, re.S)
    assert line and "<strong>To be assessed</strong>" in line.group(1)
    assert "no type yet" in line.group(1) and "type 6" not in line.group(1)
    assert "What would decide it" in page
    node = URIRef(BASE + "river-survey")
    for ext, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        graph = rdflib.Graph().parse(site / f"river-survey.{ext}", format=fmt)
        assert graph.value(node, CDKG.verdict) == VERDICT["to-be-assessed"], ext
        assert graph.value(node, CDKG.initiativeType) is None, ext
        assert graph.value(node, CDKG.isCitizenData) is None, ext
