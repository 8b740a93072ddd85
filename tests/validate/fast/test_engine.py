"""The fast engine's own behaviour: fallback, query rewriting, registry stores, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from cdkg.classify.verdicts import classify
from cdkg.rdf.read import load_graph
from cdkg.sources.synthetic import generate
from cdkg.validate.fast.backend import OxigraphBackend, store_from_graphs
from cdkg.validate.fast.compile import Compiler
from cdkg.validate.fast.pipeline import evaluate, fast_report
from cdkg.validate.fast.sparql_text import Unsupported, decorrelate, prebind_select
from cdkg.validate.fast.working_copy import bulk_load, classify_store
from tests.support.paths import EXAMPLES, REPO

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
ex:Named a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property ex:NamedName .
ex:NamedName a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
ex:TwoParts a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property ex:TwoPartsPart .
ex:TwoPartsPart a sh:PropertyShape ; sh:path ex:part ;
  sh:qualifiedValueShape [ sh:class ex:Part ] ; sh:qualifiedMinCount 2 .
"""
DATA = """
@prefix ex: <urn:ex:> .
ex:a a ex:Thing ; ex:name "A" ; ex:part ex:p1, ex:p2 . ex:p1 a ex:Part . ex:p2 a ex:Part .
ex:b a ex:Thing ; ex:part ex:p1 .
"""


def test_unsupported_shape_falls_back_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    shapes = rdflib.Graph().parse(data=SHAPES, format="turtle")
    data = rdflib.Graph().parse(data=DATA, format="turtle")
    compiler = Compiler(shapes)
    assert compiler.shapes[rdflib.URIRef("urn:ex:TwoPartsPart")].unsupported
    outcome = evaluate(OxigraphBackend(store_from_graphs([("urn:g", data)])), compiler)
    assert set(outcome.fallback) == {rdflib.URIRef("urn:ex:TwoParts")}
    report = fast_report(outcome, data, shapes)
    assert "hands 1 shape(s) to the reference engine" in capsys.readouterr().err
    got = {(r.focus_node, r.source_shape) for r in report.results}
    assert got == {("urn:ex:b", "urn:ex:NamedName"), ("urn:ex:b", "urn:ex:TwoPartsPart")}


def test_decorrelated_queries_give_the_same_answers() -> None:
    store = ox.Store()
    store.load(
        b"<urn:i1> <urn:by> <urn:c> . <urn:c> a <urn:Citizen> . <urn:i2> <urn:by> <urn:n> ."
        b"<urn:i2> <urn:by> <urn:c> . <urn:i3> <urn:x> <urn:y> .",
        format=ox.RdfFormat.TURTLE,
    )
    body = """
      ?this ?p ?o .
      FILTER EXISTS { ?this <urn:by> ?c . ?c a <urn:Citizen> }
      FILTER NOT EXISTS { ?this <urn:by> ?n . FILTER NOT EXISTS { ?n a <urn:Citizen> } }
    """
    rewritten = decorrelate(body, frozenset({"this"}))
    assert "MINUS" in rewritten and "FILTER EXISTS" not in rewritten
    answers = []
    for text in (body, rewritten):
        rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {text} }}")
        answers.append(sorted(str(r["this"]) for r in rows))  # type: ignore[union-attr]
    assert answers[0] == answers[1] == ["<urn:i1>"]
    # a group that is not plain triple patterns is left as written
    optional = "?this ?p ?o . OPTIONAL { ?this <urn:x> ?y } FILTER EXISTS { ?this <urn:by> ?c }"
    assert decorrelate(optional, frozenset({"this"})) == optional


def test_prebinding_refuses_what_shacl_forbids() -> None:
    for text in (
        "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }",
        "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }",
        "SELECT $this WHERE { $this ?p $shapesGraph }",
    ):
        with pytest.raises(Unsupported):
            prebind_select(text, "FOCUS")
    query = prebind_select("SELECT ?value WHERE { $this <urn:p> ?value }", "FOCUS")
    assert query.split()[:3] == ["SELECT", "?this", "?value"] and "FOCUS" in query


def test_registry_store_with_repeated_descriptions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(60, out=data, seed=11, chunk_size=20)
    store = ox.Store(str(tmp_path / "store"))
    bulk_load(store, sorted(data.glob("*.ttl")))
    outcome, found = classify_store(store)
    reference = classify(load_graph([str(data)]), engine="reference")
    # every initiative, with its verdict; the type and citizen data None where undecided
    assert {(c.iri, c.initiative_type, c.is_citizen_data, c.verdict) for c in found} == {
        (i.iri, i.initiative_type, i.is_citizen_data, i.verdict) for i in reference.initiatives
    }
    assert len(found) == 60
    assert {c.verdict for c in found} == {"citizen-data", "not-citizen-data", "to-be-assessed"}
    assert {(r.focus_node, r.source_shape, r.severity) for r in outcome.results} == {
        (r.focus_node, r.source_shape, r.severity) for r in reference.validation.results
    }
    # the classification is in the store for queries, and a second run replaces it
    ask = "ASK { ?i <https://w3id.org/cdkg/ontology#initiativeType> ?t }"
    assert store.query(ask, use_default_graph_as_union=True)
    before = len(store)
    classify_store(store)
    assert len(store) == before


def test_cli_fast_engine_matches_reference(cli) -> None:
    example = next(p for p in sorted(EXAMPLES.glob("*.ttl")))
    outputs = []
    for engine in ("reference", "fast"):
        result = cli("validate", str(example), "--format", "json", "--engine", engine)
        assert result.code in (0, 1), result.err
        doc = json.loads(result.out)
        outputs.append(
            (
                doc["conforms"],
                sorted((r["focusNode"], r["sourceShape"], r["severity"]) for r in doc["results"]),
            )
        )
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_benchmark_command_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "25", "--stock-sizes", "25",
         "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "results.json").read_text())
    entry = report["sizes"]["25"]
    assert entry["steps"]["load"]["ok"] and entry["steps"]["validate_classify"]["ok"]
    assert entry["steps"]["validate_classify"]["peak_mib"] > 10
    assert entry["verdicts"]["identical"] is True
    assert entry["verdicts"]["initiatives"] == 25
    assert "| 25 |" in (out / "results.md").read_text()
    assert (out / "time-vs-n.svg").read_text().startswith("<svg")


PRUNE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
ex:Named a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:OneName, ex:OneSuper .
ex:OneName a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
ex:OneSuper a sh:PropertyShape ; sh:path ex:readSuper ; sh:maxCount 1 .
"""
PRUNE_DATA = """
@prefix ex: <urn:ex:> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:sub rdfs:subPropertyOf ex:unreadSuper .
ex:sub2 rdfs:subPropertyOf ex:readSuper .
ex:a a ex:Thing ; ex:name "A" ; ex:sub ex:x ; ex:sub2 ex:y, ex:z .
ex:b a ex:Thing ; ex:sub ex:x .
"""


def _prune_run(shapes_text: str, read_only: bool):  # type: ignore[no-untyped-def]
    shapes = rdflib.Graph().parse(data=shapes_text, format="turtle")
    data = rdflib.Graph().parse(data=PRUNE_DATA, format="turtle")
    store = store_from_graphs([("urn:g", data)])
    return evaluate(OxigraphBackend(store), Compiler(shapes), read_entailments_only=read_only)


def test_entailments_no_query_reads_can_be_left_out_without_changing_a_result() -> None:
    full, pruned = _prune_run(PRUNE_SHAPES, False), _prune_run(PRUNE_SHAPES, True)
    assert pruned.results == full.results
    assert {
        (r.focus_node, r.source_constraint_component.rsplit("#")[-1]) for r in full.results
    } == {
        ("urn:ex:b", "MinCountConstraintComponent"),
        ("urn:ex:a", "MaxCountConstraintComponent"),  # two values through ex:sub2
    }
    unread = ox.NamedNode("urn:ex:unreadSuper")
    assert any(p == unread for _s, p, _o in full.entailed_terms)
    assert not any(p == unread for _s, p, _o in pruned.entailed_terms)
    assert set(pruned.entailed_terms) < set(full.entailed_terms)


def test_a_fallback_gets_every_entailed_triple() -> None:
    """The reference engine reads the whole expanded graph: nothing is left out then."""
    with_fallback = (
        PRUNE_SHAPES
        + """
ex:Parts a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Part ] ;
                sh:qualifiedMinCount 1 ] .
"""
    )
    full, pruned = _prune_run(with_fallback, False), _prune_run(with_fallback, True)
    assert pruned.fallback
    assert set(pruned.entailed_terms) == set(full.entailed_terms)


def test_empty_or_and_lists_are_evaluated_as_shacl_reads_them() -> None:
    """``sh:or ()`` holds for no value node and ``sh:and ()`` for every one (SHACL 4.6);
    a constraint with no nested shape must not be cut short as one whose nested shapes
    nothing fails."""
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or () ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:and () ] .
        """,
        format="turtle",
    )
    data = rdflib.Graph().parse(
        data="@prefix ex: <https://example.org/> . ex:a a ex:C ; ex:p ex:v , ex:w .",
        format="turtle",
    )
    store = store_from_graphs([("urn:g", data)])
    out = evaluate(OxigraphBackend(store), Compiler(shapes), entail=False)
    assert not out.fallback
    found = {(r.source_constraint_component.rsplit("#", 1)[1], r.value) for r in out.results}
    assert found == {
        ("OrConstraintComponent", "https://example.org/v"),
        ("OrConstraintComponent", "https://example.org/w"),
    }
