"""The benchmark's stock path: partitioned runs give the whole-graph run's verdicts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF

from benchmarks import steps, stock
from benchmarks.run import (
    compare,
    compare_sample,
    limited,
    markdown,
    measure,
    project_sample,
    projected,
)
from cdkg.model.namespaces import CDKG
from cdkg.sources.synthetic import LOCAL_ACTOR_CLASS, generate
from tests.support.paths import EXAMPLES

PREFIXES = """
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


@pytest.mark.slow
def test_partitioned_stock_gives_the_whole_graph_verdicts(tmp_path: Path) -> None:
    manifest = generate(36, out=tmp_path, seed=5, chunk_size=18)
    graph = stock.read_registry(sorted(tmp_path.glob("*.ttl")))
    # The registry exercises what partitioning could get wrong: actors shared between
    # batches, a class declared in the data, structural errors, several types.
    groups = stock.batches(graph, 6)
    index = stock.Index.of(graph)
    reached = [stock.closure(g, index) for g in groups]
    actors = set(graph.objects(None, CDKG.initiatedBy))
    assert any(sum(a in r for r in reached) > 1 for a in actors)
    assert any(graph.triples((None, RDF.type, rdflib.URIRef(LOCAL_ACTOR_CLASS))))
    assert {"untyped-initiator", "missing-title", "engagement-two-levels"} <= set(manifest.errors)

    whole = stock.whole_graph(graph_copy(graph))
    seen: list[tuple[int, int]] = []
    (results, classes), info = stock.partitioned(
        graph, batch=6, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert info["partitions"] == len(groups) == 6
    assert seen == [(k, 6) for k in range(1, 7)]
    assert results == whole[0]
    assert classes == whole[1]
    assert len(classes) == 36
    assert any(r[2].endswith("Violation") for r in results)
    assert len({c[1] for c in classes}) >= 3
    # every verdict of Contract 3 revision 2, with no type where it gives none
    assert {c[3] for c in classes} == {"citizen-data", "not-citizen-data", "to-be-assessed"}
    assert any(c[1] is None and c[2] is None for c in classes)


def graph_copy(graph: rdflib.Graph) -> rdflib.Graph:
    copy = rdflib.Graph()
    for t in graph:
        copy.add(t)
    return copy


def test_every_triple_is_in_some_partition_with_what_it_reaches() -> None:
    graph = _graph(
        """
        ex:i1 a cdkg:Initiative ; cdkg:initiatedBy ex:a1 ; cdkg:hasEngagement ex:e1 .
        ex:e1 cdkg:engagedActor ex:a2 .
        ex:a1 a ex:LocalGroup . ex:a2 a cdkg:Community .
        ex:LocalGroup rdfs:subClassOf cdkg:CitizenGroup .
        ex:i2 cdkg:initiatedBy ex:a2 .
        ex:loose dct:title "reached by no initiative" .
        """
    )
    groups = stock.batches(graph, 1)
    assert groups == [[rdflib.URIRef("https://example.org/" + n)] for n in ("i1", "i2", "loose")]
    index = stock.Index.of(graph)
    parts = [set(stock.partition(g, index)) for g in groups]
    assert set(graph) == set().union(*parts)
    first = {s for s, _p, _o in parts[0]}
    assert {rdflib.URIRef("https://example.org/" + n) for n in ("e1", "a1", "a2")} <= first
    # The data's schema (the local actor class) is in every partition.
    schema = next(graph.triples((None, rdflib.RDFS.subClassOf, None)))
    assert all(schema in p for p in parts)


def test_a_partition_missing_a_range_entailment_is_refused() -> None:
    # ex:a1 is untyped where ex:i1 names it, but ex:i2's ex:sponsor (range: a citizen
    # group) makes it a citizen group in the whole graph. Validating ex:i1's partition
    # alone would report an untyped initiator the whole graph does not have.
    graph = _graph(
        """
        ex:sponsor rdfs:range cdkg:CitizenGroup .
        ex:i1 a cdkg:Initiative ; dct:title "one"@en ; cdkg:initiatedBy ex:a1 .
        ex:i2 a cdkg:Initiative ; dct:title "two"@en ; cdkg:initiatedBy ex:a2 ;
            ex:sponsor ex:a1 .
        ex:a2 a cdkg:Community .
        """
    )
    with pytest.raises(stock.UnsoundPartition, match="a1"):
        stock.partitioned(graph, batch=1, workers=1)
    # In one partition the range entailment is there, so the check passes.
    (results, _classes), _info = stock.partitioned(graph, batch=2, workers=1)
    assert not any(r[0].endswith("a1") for r in results)
    # And the check is needed: the lone partition of ex:i1 does report ex:a1.
    index = stock.Index.of(graph)
    lone = stock._work(stock.partition([rdflib.URIRef("https://example.org/i1")], index))
    assert any(r[0] == "https://example.org/a1" for r in lone[0])


def _verdicts(path: Path, results: list[list[object]], classes: list[list[object]]) -> Path:
    path.write_text(json.dumps({"results": results, "classifications": classes}))
    return path


def test_compare_lists_the_first_differences(tmp_path: Path) -> None:
    same = [["https://x/i1", "https://w3id.org/cdkg/shapes#A", "sh:Info"]]
    a = _verdicts(tmp_path / "a.json", same, [["https://x/i1", "t1", True, "citizen-data"]])
    b = _verdicts(tmp_path / "b.json", same, [["https://x/i1", "t1", True, "citizen-data"]])
    assert compare(a, b)["identical"] is True
    extra = [[f"https://x/i{k}", "https://w3id.org/cdkg/shapes#B", "sh:Warning"] for k in range(30)]
    c = _verdicts(
        tmp_path / "c.json", same + extra, [["https://x/i1", "t6", False, "not-citizen-data"]]
    )
    v = compare(a, c, ("fast", "stock"))
    assert v["identical"] is False
    assert v["results_only_stock"] == 30 and v["results_only_fast"] == 0
    assert v["classifications_differing"] == 2
    assert len(v["differences"]) == 20
    assert v["differences"][0] == {"only_in": "stock", "result": extra[0]}


def test_end_to_end_is_skipped_where_projected_beyond_the_limit() -> None:
    assert projected({}, 1000) is None
    assert projected({1000: {"seconds": 20.0}, 10: {"seconds": 1.0}}, 100000) == 2000.0
    report = {
        "command": "python -m benchmarks.run",
        "machine": {"cpus": 2, "python": "3.11", "load_average_at_start": [1, 1, 1]},
        "sizes": {
            "100000": {
                "steps": {"cli_load": {"ok": False, "skipped": "projected 2000 s > limit 900 s"}},
                "end_to_end_seconds": None,
            }
        },
    }
    assert "skipped (projected 2000 s > limit 900 s)" in markdown(report)


def test_each_step_reports_its_own_cpu_time_beside_its_wall_time() -> None:
    busy = measure([sys.executable, "-c", "import time\nt = time.process_time()\n"
                    "while time.process_time() - t < 0.5: pass"])  # fmt: skip
    idle = measure([sys.executable, "-c", "import time; time.sleep(0.5)"])
    assert busy["ok"] and idle["ok"]
    assert busy["cpu_seconds"] >= 0.5
    assert idle["cpu_seconds"] < 0.4 < idle["seconds"]
    report = {
        "command": "python -m benchmarks.run",
        "machine": {"cpus": 2, "python": "3.11", "load_average_at_start": [1, 1, 1]},
        "sizes": {"10": {"steps": {"cli_load": {**busy, "seconds": 3.2, "cpu_seconds": 6.1,
                                                "peak_mib": 120.0}}}},
    }  # fmt: skip
    text = markdown(report)
    assert "| 10 | 3.2 s (6 CPU-s) / 120 MiB |" in text
    assert "cannot take less wall time than its CPU-s / 2" in text


def test_a_limited_step_is_timed_out_then_skipped_at_larger_sizes() -> None:
    done: dict[int, dict[str, object]] = {}
    slow = [sys.executable, "-c", "import time; time.sleep(30)"]
    first = limited(slow, 10, done, 1.0)
    assert first["timeout"] is True and first["ok"] is False
    second = limited(slow, 100, done, 1.0)
    assert second == {"ok": False, "skipped": "timed out at 10"}
    quick = limited([sys.executable, "-c", "print('{}')"], 5, {}, 60.0)
    assert quick["ok"] is True


def test_a_sampled_stock_run_is_compared_on_its_sample(tmp_path: Path) -> None:
    data, store = tmp_path / "data", tmp_path / "store"
    generate(40, out=data, seed=3, chunk_size=20)
    steps.load(str(data), str(store))
    fast_json, sample_json = tmp_path / "fast.json", tmp_path / "sample.json"
    steps.fast(str(store), str(fast_json))
    info = steps.stock_sample(str(data), str(sample_json), "10", "5", "2", "7")
    assert info["sample"] == 10 and info["partitions"] == 2 and info["registry_initiatives"] == 40
    sample = json.loads(sample_json.read_text())
    assert len(sample["sample"]) == 10
    # The sample is seeded: the same seed picks the same initiatives, another seed others.
    graph = stock.read_registry(sorted(data.glob("*.ttl")))
    assert stock.sample_groups(graph, 10, 7, 5) == stock.sample_groups(graph, 10, 7, 5)
    assert stock.sample_groups(graph, 10, 7, 5) != stock.sample_groups(graph, 10, 8, 5)

    v = compare_sample(fast_json, sample_json)
    assert v["identical"] is True, v["differences"]
    assert v["sample"] == 10 and v["sampled_initiatives_classified"] == 10
    assert v["stock_results_outside_sample"] == 0
    assert 0 < v["results"] < len(json.loads(fast_json.read_text())["results"])

    fast = json.loads(fast_json.read_text())
    nodes = set(sample["nodes"])
    inside = next(r for r in fast["results"] if r[0] in nodes)
    outside = next(r for r in fast["results"] if r[0] not in nodes)
    # A result about a node outside the sample is not compared...
    altered = tmp_path / "altered.json"
    altered.write_text(
        json.dumps({**fast, "results": [r for r in fast["results"] if r != outside]})
    )
    assert compare_sample(altered, sample_json)["identical"] is True
    # ...but one about a sampled node missing from the fast engine's verdicts is a difference,
    altered.write_text(json.dumps({**fast, "results": [r for r in fast["results"] if r != inside]}))
    v = compare_sample(altered, sample_json)
    assert v["identical"] is False and v["results_only_stock"] == 1
    assert v["differences"] == [{"only_in": "stock", "result": inside}]
    # and so is a different classification of a sampled initiative (its verdict, here).
    first = sample["sample"][0]
    other = {"to-be-assessed": "citizen-data"}
    classes = [
        [*c[:3], other.get(c[3], "to-be-assessed")] if c[0] == first else c
        for c in fast["classifications"]
    ]
    altered.write_text(json.dumps({**fast, "classifications": classes}))
    v = compare_sample(altered, sample_json)
    assert v["identical"] is False and v["classifications_differing"] == 2


def test_a_sampled_stock_time_is_projected_and_labelled() -> None:
    run = {"ok": True, "seconds": 60.0, "validate_seconds": 50.0, "sample": 500}
    # Paid once: 10 s; validation: 50 s for 500 initiatives, so 1,000 s for 10,000.
    assert project_sample(run, 10000) == 1010.0
    report = {
        "command": "python -m benchmarks.run",
        "machine": {"cpus": 2, "python": "3.11", "load_average_at_start": [1, 1, 1]},
        "sizes": {
            "10000": {
                "steps": {},
                "end_to_end_seconds": 10.1,
                "stock": {**run, "projected_seconds": 1010.0},
                "speedup_stock_projected": 100.0,
                "verdicts": {"identical": True, "sample": 500, "results": 2345,
                             "initiatives": 500, "compared": ["fast", "stock"]},
            }
        },
    }  # fmt: skip
    table = markdown(report)
    assert "sample of 500: 60 s → projected 1,010 s for 10,000" in table
    assert "100.0× (projected from a 500-initiative sample)" in table
    assert "identical on a 500-initiative sample (2,345 results, 500 classifications)" in table


def test_the_stage_profile_of_a_fast_load_names_every_stage(tmp_path, capsys):
    """``python -m benchmarks.stages DATA STORE`` times each stage of ``cdkg load --engine
    fast`` (it wraps the functions that run them: a renamed one would fail here)."""
    from benchmarks import stages

    assert stages.main([str(EXAMPLES), str(tmp_path / "store")]) == 0
    out = capsys.readouterr().out
    for *_where, label in stages.STAGES:
        assert label in out
    assert "total (" in out and "peak memory" in out


def test_library_queries_are_also_timed_asked_about_one_item(tmp_path: Path) -> None:
    """Each library query with a parameter is also asked about one item (the registry's
    first initiative, Kenya, SDG 5), as ``cdkg query --param`` binds it, and the results
    table shows both timings."""
    from cdkg.load.loader import load
    from cdkg.query.library import library
    from cdkg.store import EmbeddedStore

    store = tmp_path / "store"
    with EmbeddedStore(store) as opened:
        load(opened, [str(EXAMPLES)], engine="fast", progress=False)
    first = steps.first_initiative(str(store))
    assert first is not None and first.startswith("http")

    asked = {name: steps.typical_params(name, first) for name in library()}
    assert asked["participation-profile"] == [f"initiative={first}"]
    assert asked["initiatives-by-country"] == ["country=KEN"]
    assert asked["citizen-data-by-sdg"] == steps.typical_params(
        "citizen-data-by-sdg", first, required_only=True
    )
    assert asked["initiatives"] == []

    whole = steps.query(str(store), "participation-profile")
    one = steps.query(str(store), "participation-profile", "library", f"initiative={first}")
    assert 0 < one["rows"] < whole["rows"]

    # the scale of a large answer: so many stored triples, read as an answer is
    few = steps.stored(str(store), "40")
    assert few["rows"] == 40 and few["seconds"] > 0
    with EmbeddedStore(store, create=False, read_only=True) as opened:
        assert steps.stored(str(store), str(10 * len(opened)))["rows"] == len(opened)

    each = {
        "participation-profile": {**whole, "one": {**one, "params": [f"initiative={first}"]}},
        "initiatives": {"seconds": None, "timeout": 120.0},
    }
    report = {
        "command": "test",
        "machine": {"cpus": 2, "python": "3.11", "load_average_at_start": [0.0, 0.0, 0.0]},
        "sizes": {"100": {"steps": {"queries": {"ok": True, "queries": 2, "slowest": 120.0,
                                                "each": each,
                                                "stored": [few, {"seconds": None}]}}}},
    }  # fmt: skip
    text = markdown(report)
    row = next(line for line in text.splitlines() if line.startswith("| `participation-profile`"))
    assert f"({one['rows']:,} rows)" in row and "`initiative`" in row
    assert "| `initiatives` | > 120 s | – |" in text
    assert "nothing joined, read as `cdkg query` reads an answer (" in text
    assert f": 40 rows in {few['seconds']:.2f} s." in text
