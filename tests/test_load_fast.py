"""``cdkg load --engine fast``: Oxigraph parsing and the fast engine, same stored content.

The fast load reads Turtle, N-Triples, N-Quads and TriG with Oxigraph's parser (other
formats with rdflib) into one in-memory store, classifies it with the fast engine and
writes it with the bulk loader. What it stores must be what the reference load stores,
apart from the load's timestamps and activity IRIs (and blank-node labels).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from cdkg.load import load
from cdkg.store import EmbeddedStore, Payload
from cdkg.store.base import Change
from cdkg.store.embedded import JOURNAL
from cdkg.store.layout import ACTIVITY_PREFIX, REGISTRY_GRAPH, inferred_graph
from cdkg.store.terms import to_rdflib
from tests.conftest import EXAMPLES

CDKG = "https://w3id.org/cdkg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Registry record values that differ from one load to the next.
VOLATILE = {
    "http://purl.org/dc/terms/modified",
    "http://www.w3.org/ns/prov#endedAtTime",
}


def stored(store_dir: Path) -> dict[str, rdflib.Graph]:
    """Graph IRI → its triples, with the load's time stamps and activity IRIs blanked out."""
    graphs: dict[str, rdflib.Graph] = {}
    with EmbeddedStore(store_dir, create=False) as store:
        for q in store.quads():
            s, p, o = (to_rdflib(t) for t in (q.subject, q.predicate, q.object))
            if str(p) in VOLATILE:
                o = rdflib.Literal("time")
            if str(s).startswith(ACTIVITY_PREFIX):
                s = rdflib.URIRef(ACTIVITY_PREFIX + "x")
            graphs.setdefault(q.graph_name.value, rdflib.Graph()).add((s, p, o))
    return graphs


def assert_same_content(a: dict[str, rdflib.Graph], b: dict[str, rdflib.Graph]) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        assert len(a[name]) == len(b[name]), name
        assert isomorphic(a[name], b[name]), name


def test_fast_load_stores_what_the_reference_load_stores(tmp_path, cli):
    """Every example (Turtle, JSON-LD and YAML-LD mixed in one batch)."""
    outs = {}
    for engine in ("reference", "fast"):
        store_dir = tmp_path / engine
        result = cli("load", str(EXAMPLES), "--store", str(store_dir), "--engine", engine)
        assert result.code == 0, result.err
        outs[engine] = result.out.split(" into ")[0]
        assert not (store_dir / JOURNAL).exists()
    assert outs["fast"] == outs["reference"]
    assert "34 inferred triples" in outs["fast"]
    ref, fast = stored(tmp_path / "reference"), stored(tmp_path / "fast")
    assert_same_content(ref, fast)
    # the classification is there, per source
    types = [
        t
        for g in fast.values()
        for t in g.triples((None, rdflib.URIRef(CDKG + "initiativeType"), None))
    ]
    assert len(types) >= 12


CLAIMING_TTL = f"""@prefix cdkg: <{CDKG}> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/x/claims> a cdkg:Initiative, cdkg:CitizenDataInitiative ;
    dct:title "Claims to be citizen data" ;
    cdkg:initiativeType cdkg:Type1 ;
    cdkg:isCitizenData true .
"""

CLAIMING_JSONLD = """{
  "@context": "https://w3id.org/cdkg/context.jsonld",
  "@id": "https://example.org/x/claims-too",
  "@type": ["Initiative", "CitizenDataInitiative"],
  "title": "Also claims",
  "initiativeType": "cdkg:Type1",
  "isCitizenData": true
}
"""

CLAIMING_NQ = (
    f"<https://example.org/x/claims-nq> <{TYPE}> <{CDKG}Initiative> <urn:g:a> .\n"
    f"<https://example.org/x/claims-nq> <{CDKG}isCitizenData> "
    '"true"^^<http://www.w3.org/2001/XMLSchema#boolean> <urn:g:b> .\n'
)


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_a_description_s_own_classification_claims_are_dropped(tmp_path, engine):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.ttl").write_text(CLAIMING_TTL, encoding="utf-8")
    (folder / "b.jsonld").write_text(CLAIMING_JSONLD, encoding="utf-8")
    (folder / "c.nq").write_text(CLAIMING_NQ, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        report = load(store, [str(folder)], engine=engine, progress=False)
        assert len(report.sources) == 3
        for name, initiative in [
            ("a.ttl", "claims"),
            ("b.jsonld", "claims-too"),
            ("c.nq", "claims-nq"),
        ]:
            g = (folder / name).resolve().as_uri()
            iri = ox.NamedNode(f"https://example.org/x/{initiative}")
            source = {(q.predicate.value, str(q.object)) for q in store.quads(g)}
            assert not any(
                p in (CDKG + "initiativeType", CDKG + "isCitizenData") for p, _ in source
            )
            assert (TYPE, f"<{CDKG}CitizenDataInitiative>") not in source
            inferred = {
                (q.predicate.value, q.object)
                for q in store.quads(inferred_graph(g))
                if q.subject == iri
            }
            # no engagement described: recomputed as not citizen data, whatever was claimed
            verdicts = [o for p, o in inferred if p == CDKG + "isCitizenData"]
            assert verdicts == [
                ox.Literal(
                    "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
                )
            ], (name, inferred)
            assert (CDKG + "initiativeType", ox.NamedNode(CDKG + "Type1")) not in inferred


def test_fast_load_of_a_broken_batch_changes_nothing(tmp_path, cli):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.ttl").write_text(CLAIMING_TTL, encoding="utf-8")
    store_dir = tmp_path / "store"
    assert cli("load", str(folder), "--store", str(store_dir), "--engine", "fast").code == 0
    with EmbeddedStore(store_dir) as store:
        before = {str(q) for q in store.quads()}
    (folder / "a.ttl").write_text(CLAIMING_TTL.replace("Claims", "Changed"), encoding="utf-8")
    (folder / "b.jsonld").write_text(CLAIMING_JSONLD, encoding="utf-8")
    (folder / "c.ttl").write_text("<https://example.org/x/c> <p> .\n", encoding="utf-8")
    (folder / "d.nt").write_text('<urn:x> <urn:p> "open .\n', encoding="utf-8")
    (folder / "e.ttl").write_text("  \n", encoding="utf-8")
    result = cli("load", str(folder), "--store", str(store_dir), "--engine", "fast")
    assert result.code == 2
    assert "Traceback" not in result.err
    err = result.err.splitlines()
    assert any("c.ttl:1:" in line and "not valid turtle" in line for line in err), result.err
    assert any("d.nt:1:" in line and "not valid nt" in line for line in err), result.err
    assert any("e.ttl: the file is empty" in line for line in err), result.err
    with EmbeddedStore(store_dir) as store:
        assert {str(q) for q in store.quads()} == before


def test_fast_load_replaces_a_reloaded_source(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / "a.ttl"
    path.write_text(CLAIMING_TTL, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        first = load(store, [str(path)], engine="fast")
        path.write_text(CLAIMING_TTL.replace("Claims to be", "Is not"), encoding="utf-8")
        again = load(store, [str(path)], engine="fast")
        assert [s.replaced for s in first.sources + again.sources] == [False, True]
        g = path.resolve().as_uri()
        titles = {
            str(q.object.value)
            for q in store.quads(g)
            if q.predicate.value == "http://purl.org/dc/terms/title"
        }
        assert titles == {"Is not citizen data"}
        records = [q for q in store.quads(REGISTRY_GRAPH) if q.subject.value == g]
        assert len([q for q in records if q.predicate.value.endswith("modified")]) == 1
        assert len(list(store.quads(inferred_graph(g)))) == again.sources[0].inferred > 0


def test_fast_load_of_stdin_uses_the_graph_given(tmp_path, cli):
    store_dir = tmp_path / "store"
    result = cli(
        "load",
        "-",
        "--input-format",
        "turtle",
        "--graph",
        "urn:example:g",
        "--store",
        str(store_dir),
        "--engine",
        "fast",
        stdin=CLAIMING_TTL,
    )
    assert result.code == 0, result.err
    with EmbeddedStore(store_dir) as store:
        assert store.has_graph("urn:example:g")
        assert store.has_graph(inferred_graph("urn:example:g"))


def test_an_interrupted_payload_load_is_undone(tmp_path):
    """The bulk payload's graphs are in the journal: a load cut off part-way is rolled
    back when the store is next opened."""
    store_dir = tmp_path / "store"
    p = ox.NamedNode("https://example.org/p")
    with EmbeddedStore(store_dir) as store:
        store._store.add(ox.Quad(p, p, ox.Literal("old"), ox.NamedNode("urn:old")))
        before = {str(q) for q in store.quads()}
    lines = [f'_:b{i} <https://example.org/p> "{i}" <urn:new:{i % 3}> .' for i in range(300)]
    payload = Payload("\n".join(lines).encode(), ("urn:new:0", "urn:new:1", "urn:new:2"))
    store = EmbeddedStore(store_dir)
    store._write_journal([], payload.graphs)
    store._store.bulk_load(payload.nquads, format=ox.RdfFormat.N_QUADS)
    store._store.flush()
    del store._store  # no clean close: the journal stays
    assert (store_dir / JOURNAL).exists()
    with EmbeddedStore(store_dir) as store:
        assert {str(q) for q in store.quads()} == before
    # and a complete one is written, blank nodes consistently relabelled
    with EmbeddedStore(store_dir) as store:
        store.apply(Change(payload=payload))
        assert len(list(store.quads("urn:new:1"))) == 100
        assert not (store_dir / JOURNAL).exists()
