"""No input makes cdkg fetch anything: owl:imports, remote JSON-LD contexts, DTDs, entities.

Every remote reference points at a loopback listener that records requests; each test
asserts it received none (and one test proves it would have seen one).
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdkg.errors import InputError
from cdkg.rdf.read import Source, iter_parsed, load_graph
from tests.support.recording_listener import Listener, recording_listener

INITIATIVE = """
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/registry> a owl:Ontology ; owl:imports <{url}/ontology.ttl> .
<https://example.org/i> a cdkg:Initiative ; dct:title "Water watch" ;
    cdkg:initiatedBy <https://example.org/cso> ; owl:imports <{url}/more.ttl> .
<https://example.org/cso> a cdkg:CivilSocietyOrganisation .
"""


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with recording_listener() as state:
        yield state


@pytest.fixture(autouse=True)
def _nothing_arrives(listener: Listener) -> Iterator[None]:
    before = (len(listener.requests), len(listener.connections))
    yield
    assert (len(listener.requests), len(listener.connections)) == before, listener.requests


def test_the_listener_does_see_a_request(listener: Listener) -> None:
    """The proof below is only worth something if a fetch would be noticed."""
    before = len(listener.requests)
    with urllib.request.urlopen(listener.url + "/probe", timeout=5) as response:
        assert response.status == 200
    assert listener.requests[before:] == ["GET /probe"]
    del listener.requests[before:]
    del listener.connections[len(listener.connections) - 1 :]


def _files(tmp: Path, url: str) -> dict[str, str]:
    ttl = INITIATIVE.format(url=url)
    return {
        "imports.ttl": ttl,
        "imports.jsonld": json.dumps(
            {
                "@context": "https://w3id.org/cdkg/context.jsonld",
                "@id": "https://example.org/j",
                "@type": "Initiative",
                "http://www.w3.org/2002/07/owl#imports": {"@id": f"{url}/x.ttl"},
            }
        ),
        "imports.rdf": (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE rdf:RDF SYSTEM "{url}/external.dtd">\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:owl="http://www.w3.org/2002/07/owl#">'
            f'<owl:Ontology rdf:about="https://example.org/o"><owl:imports rdf:resource="{url}/o"/>'
            "</owl:Ontology></rdf:RDF>\n"
        ),
    }


@pytest.mark.parametrize("command", ["validate", "classify"])
def test_owl_imports_and_external_dtd_are_never_followed(cli, tmp_path: Path, listener, command):
    paths = []
    for name, text in _files(tmp_path, listener.url).items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = cli(command, *paths, "--format", "json")
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    assert len(load_graph(paths)) > 0


REFUSED = {
    "node-context": lambda u: {"@context": f"{u}/c.jsonld", "@id": "https://example.org/i"},
    "import": lambda u: {"@context": {"@import": f"{u}/c.jsonld"}, "@id": "https://example.org/i"},
    "wrapped": lambda u: {"@context": {"@context": f"{u}/c.jsonld"}, "@id": "https://e.org/i"},
    "scoped": lambda u: {
        "@context": {"k": {"@id": "https://example.org/k", "@context": f"{u}/c.jsonld"}},
        "@id": "https://example.org/i",
        "k": {"title": "x"},
    },
    "type-scoped": lambda u: {
        "@context": {"T": {"@id": "https://example.org/T", "@context": [f"{u}/c.jsonld"]}},
        "@id": "https://example.org/i",
        "@type": "T",
    },
    "deeply-scoped": lambda u: {
        "@context": {
            "k": {
                "@id": "https://example.org/k",
                "@context": {"j": {"@id": "https://example.org/j", "@context": f"{u}/c"}},
            }
        },
        "@id": "https://example.org/i",
        "k": {"j": {"title": "x"}},
    },
    "in-graph": lambda u: {"@graph": [{"@context": f"{u}/c.jsonld", "@id": "https://e.org/i"}]},
    "relative-file": lambda u: {"@context": "context.jsonld", "@id": "https://example.org/i"},
}


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("fmt", ["json-ld", "yaml-ld"])
def test_remote_contexts_are_refused_without_a_fetch(listener: Listener, case: str, fmt: str):
    doc = REFUSED[case](listener.url)
    text = json.dumps(doc)  # JSON is YAML too
    with pytest.raises(InputError, match="never fetches"):
        list(iter_parsed([Source(f"doc.{fmt}", fmt, text.encode())]))


def test_external_entities_over_http_are_refused(listener: Listener):
    for dtd in (
        f'<!ENTITY e SYSTEM "{listener.url}/e.txt">',
        f'<!ENTITY % p SYSTEM "{listener.url}/p.dtd"> %p;',
        f'<!ENTITY e PUBLIC "-//X//Y" "{listener.url}/e.txt">',
    ):
        doc = (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{dtd}]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
        )
        with pytest.raises(InputError, match="external entit"):
            list(iter_parsed([Source("doc.rdf", "xml", doc.encode())]))


# A JSON-LD document of any shape, with the listener's address wherever a remote
# reference could hide: every JSON-LD keyword that takes an IRI, and plain values.
_KEYS = st.sampled_from(
    ["@context", "@import", "@id", "@type", "@base", "@vocab", "@graph", "@included",
     "@nest", "@list", "title", "http://purl.org/dc/terms/title", "k"]
)  # fmt: skip


def _json(url: str) -> st.SearchStrategy[object]:
    leaves = st.one_of(
        st.sampled_from([url, f"{url}/c.jsonld", "https://w3id.org/cdkg/context.jsonld"]),
        st.text(max_size=10),
        st.integers(),
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)
        ),
        max_leaves=25,
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), fmt=st.sampled_from(["json-ld", "yaml-ld"]))
def test_any_json_ld_document_parses_or_is_refused_and_never_fetches(listener, data, fmt):
    doc = data.draw(_json(listener.url))
    before = len(listener.requests)
    started = time.monotonic()
    try:
        list(iter_parsed([Source(f"doc.{fmt}", fmt, json.dumps(doc).encode())]))
    except InputError as exc:
        assert str(exc).strip(), "an InputError must say what is wrong"
    assert time.monotonic() - started < 10
    assert listener.requests[before:] == []
