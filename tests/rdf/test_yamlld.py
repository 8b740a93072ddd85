"""YAML-LD: read with the cdkg context or an inline one, and written by import/assess."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF

from cdkg.model.namespaces import CDKG, PARTICIPATION_LEVEL, STAGE
from cdkg.rdf.read import load_graph
from tests.support.paths import EXAMPLES

OUR_CONTEXT = """\
"@context": https://w3id.org/cdkg/context.jsonld
id: https://example.org/initiative/river-watch
type: Initiative
title: River Watch
initiatedBy:
  id: https://example.org/actor/river-friends
  type: Community
  name: River Friends
hasEngagement:
  - stage: collection
    participationLevel: "5"
"""

INLINE_CONTEXT = """\
"@context":
  cdkg: https://w3id.org/cdkg/ontology#
  dct: http://purl.org/dc/terms/
  title: dct:title
  initiatedBy: {"@id": "cdkg:initiatedBy", "@type": "@id"}
"@id": https://example.org/initiative/river-watch
"@type": cdkg:Initiative
title: River Watch
initiatedBy: https://example.org/actor/river-friends
"""


def test_yaml_ld_with_the_cdkg_context(tmp_path: Path) -> None:
    path = tmp_path / "river.yaml"
    path.write_text(OUR_CONTEXT, encoding="utf-8")
    graph = load_graph([str(path)])
    river = URIRef("https://example.org/initiative/river-watch")
    friends = URIRef("https://example.org/actor/river-friends")
    assert (river, RDF.type, CDKG.Initiative) in graph
    assert (river, DCTERMS.title, Literal("River Watch")) in graph
    assert (friends, RDF.type, CDKG.Community) in graph
    assert (friends, FOAF.name, Literal("River Friends")) in graph
    (engagement,) = graph.objects(river, CDKG.hasEngagement)
    assert graph.value(engagement, CDKG.stage) == STAGE.collection
    assert graph.value(engagement, CDKG.participationLevel) == PARTICIPATION_LEVEL["5"]


def test_yaml_ld_with_an_inline_context(tmp_path: Path) -> None:
    path = tmp_path / "river.yml"
    path.write_text(INLINE_CONTEXT, encoding="utf-8")
    graph = load_graph([str(path)])
    river = URIRef("https://example.org/initiative/river-watch")
    assert (river, RDF.type, CDKG.Initiative) in graph
    assert (river, CDKG.initiatedBy, URIRef("https://example.org/actor/river-friends")) in graph
    assert len(graph) == 3


def test_a_remote_context_is_refused_not_fetched(cli, tmp_path: Path) -> None:
    path = tmp_path / "remote.yaml"
    path.write_text('"@context": https://example.org/ctx.jsonld\ntitle: x\n', encoding="utf-8")
    result = cli("import", str(EXAMPLES / "spreadsheets" / "initiatives.csv"))  # sanity: works
    assert result.code == 0
    try:
        load_graph([str(path)])
    except Exception as exc:  # InputError
        assert "remote document" in str(exc)
    else:  # pragma: no cover - the assertion below documents the failure
        raise AssertionError("a remote @context was accepted")


def test_import_writes_yaml_ld_that_reads_back_the_same(cli, tmp_path: Path) -> None:
    table = EXAMPLES / "spreadsheets" / "initiatives.csv"
    ttl, yml = tmp_path / "out.ttl", tmp_path / "out.yaml"
    assert cli("import", str(table), "--out", str(ttl)).code == 0
    assert cli("import", str(table), "--out", str(yml)).code == 0
    text = yml.read_text(encoding="utf-8")
    assert text.startswith("'@context': https://w3id.org/cdkg/context.jsonld")
    assert isomorphic(load_graph([str(ttl)]), load_graph([str(yml)]))


def test_yaml_ld_syntax_error_names_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: [unclosed\nother: 1\n", encoding="utf-8")
    try:
        load_graph([str(path)])
    except Exception as exc:
        assert "broken.yaml:" in str(exc) and "not valid YAML" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("broken YAML was accepted")
