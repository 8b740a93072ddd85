"""Hostile inputs are refused quickly with a one-line message, never a crash or a fetch."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cdkg.errors import InputError
from cdkg.rdf.read import Limits, iter_parsed, load_graph, read_sources
from tests.support.paths import TEST_DATA

ADVERSARIAL = TEST_DATA / "adversarial"
CASES = sorted(p for p in ADVERSARIAL.iterdir() if p.name != "README.md")

EXPECTED = {
    "billion-laughs.rdf": "entity-expansion bomb",
    "external-entity.rdf": "external entit",
    "yaml-alias-bomb.yaml": "alias bomb",
    "deep-nesting.jsonld": "nested too deeply",
    "remote-context.jsonld": "never fetches",
    "quadratic-blowup.rdf": "amplification",
    "parameter-entity.rdf": "external entit",
    "scoped-remote-context.jsonld": "never fetches",
    "import-remote-context.jsonld": "never fetches",
    "type-scoped-remote-context.yaml": "never fetches",
    "invalid-utf8.ttl": "UTF-8",
    "nul-bytes.jsonld": "control character",
}


def test_every_adversarial_file_has_an_expectation():
    assert CASES, "tests/data/adversarial is empty"
    assert {p.name for p in CASES} == set(EXPECTED)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_adversarial_input_is_refused(path: Path):
    started = time.monotonic()
    with pytest.raises(InputError) as exc:
        load_graph([str(path)])
    assert time.monotonic() - started < 30, "refusing a hostile file must not hang"
    assert EXPECTED[path.name] in str(exc.value)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_cli_exit_2_without_traceback(cli, path: Path):
    result = cli("validate", str(path))
    assert result.code == 2
    assert "Traceback" not in result.err
    assert str(path) in result.err


def test_size_limit(tmp_path):
    big = tmp_path / "big.nt"
    big.write_text("<http://e/a> <http://e/p> <http://e/b> .\n" * 100)
    with pytest.raises(InputError, match="CDKG_MAX_BYTES"):
        read_sources([str(big)], limits=Limits(max_bytes=1000))


def test_triple_limit(tmp_path):
    many = tmp_path / "many.nt"
    many.write_text("".join(f"<http://e/a{i}> <http://e/p> <http://e/b> .\n" for i in range(50)))
    sources = read_sources([str(many)])
    with pytest.raises(InputError, match="CDKG_MAX_TRIPLES"):
        list(iter_parsed(sources, Limits(max_triples=10)))


def test_limits_from_environment(monkeypatch):
    monkeypatch.setenv("CDKG_MAX_BYTES", "12345")
    assert Limits.from_env().max_bytes == 12345
    monkeypatch.setenv("CDKG_MAX_BYTES", "lots")
    with pytest.raises(InputError, match="whole number"):
        Limits.from_env()


def test_plain_rdfxml_with_simple_entities_still_reads(tmp_path):
    doc = tmp_path / "ok.rdf"
    doc.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY dct "http://purl.org/dc/terms/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="&dct;">\n'
        '<rdf:Description rdf:about="http://example.org/i"><dct:title>T</dct:title>'
        "</rdf:Description></rdf:RDF>\n"
    )
    assert len(load_graph([str(doc)])) == 1
