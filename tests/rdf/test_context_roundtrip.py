"""Every Turtle example survives Turtle → JSON-LD (cdkg context) → RDF, and back.

The cases are the examples under ``examples/`` and the fixtures under
``tests/data/context/``. A walk that silently finds nothing is a defect, so the test
fails when ``examples/`` holds files but no Turtle example is found.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import rdflib
import yaml
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from cdkg.rdf.context import CONTEXT_IRI, to_jsonld
from cdkg.rdf.read import graph_from_text, load_graph
from tests.support.paths import EXAMPLES, TEST_DATA

FIXTURES = TEST_DATA / "context"


def _files(suffixes: tuple[str, ...]) -> list[Path]:
    found = [p for p in EXAMPLES.rglob("*") if p.suffix in suffixes] if EXAMPLES.is_dir() else []
    found += [p for p in FIXTURES.glob("*") if p.suffix in suffixes]
    return sorted(p for p in found if not p.name.endswith(".expected.ttl"))


def _is_linked_data(path: Path) -> bool:
    """JSON and YAML files are descriptions only when they carry a JSON-LD @context."""
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text) if path.suffix in (".json", ".jsonld") else yaml.safe_load(text)
    docs = doc if isinstance(doc, list) else [doc]
    return any(isinstance(d, dict) and "@context" in d for d in docs)


TURTLE = _files((".ttl",))
JSON_LIKE = [p for p in _files((".jsonld", ".json", ".yaml", ".yml")) if _is_linked_data(p)]


def _explain(a: rdflib.Graph, b: rdflib.Graph) -> str:
    _both, first, second = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only before: {sorted(first)[:5]}\nonly after: {sorted(second)[:5]}"


def test_the_walk_finds_cases() -> None:
    assert len([p for p in TURTLE if p.is_relative_to(FIXTURES)]) >= 2
    assert [p for p in JSON_LIKE if p.is_relative_to(FIXTURES)]
    # every Turtle or JSON-LD/YAML-LD description under examples/, found independently
    # of the parametrisation above, is among the cases
    described = set()
    for folder, _dirs, names in os.walk(EXAMPLES):
        for name in names:
            path = Path(folder) / name
            if path.suffix == ".ttl" or (
                path.suffix in (".jsonld", ".json", ".yaml", ".yml") and _is_linked_data(path)
            ):
                described.add(path)
    assert described <= set(TURTLE + JSON_LIKE)


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: p.name)
def test_turtle_to_jsonld_and_back(path: Path) -> None:
    original = load_graph([str(path)])
    doc = to_jsonld(original)
    assert doc["@context"] == CONTEXT_IRI
    again = graph_from_text(json.dumps(doc), "json-ld", f"{path.name}.jsonld")
    assert isomorphic(original, again), _explain(original, again)


@pytest.mark.parametrize("path", JSON_LIKE, ids=lambda p: p.name)
def test_jsonld_to_turtle_and_back(path: Path) -> None:
    original = load_graph([str(path)])
    assert len(original) > 0
    turtle = original.serialize(format="turtle")
    again = graph_from_text(turtle, "turtle", f"{path.name}.ttl")
    assert isomorphic(original, again), _explain(original, again)


def test_plain_yaml_means_what_it_says() -> None:
    got = load_graph([str(FIXTURES / "plain.yaml")])
    expected = load_graph([str(FIXTURES / "plain.expected.ttl")])
    assert isomorphic(got, expected), _explain(expected, got)


def test_compact_form_uses_the_short_names() -> None:
    doc = to_jsonld(load_graph([str(FIXTURES / "plain.expected.ttl")]))
    nodes = {n["id"]: n for n in doc["@graph"] if not n["id"].startswith("_:")}
    initiative = nodes["https://example.org/initiative/community-map"]
    assert initiative["type"] == "Initiative"
    assert sorted(initiative["addressesSdg"]) == ["11", "11.1", "C110101"]
    assert initiative["practice"] == "participatory-mapping"
    engagements = [n for n in doc["@graph"] if n["id"].startswith("_:")]
    assert sorted((e["stage"], e["participationLevel"]) for e in engagements) == [
        ("collection", "5"),
        ("design", "5"),
    ]


def test_embedded_context_needs_no_resolution() -> None:
    doc = to_jsonld(load_graph([str(FIXTURES / "nso-led-survey.ttl")]), embed_context=True)
    assert isinstance(doc["@context"], dict)
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(g, load_graph([str(FIXTURES / "nso-led-survey.ttl")]))
