"""Reading sources: formats by extension, directories, stdin, and errors that locate."""

from __future__ import annotations

import json

import pytest

from cdkg.errors import InputError
from cdkg.rdf.read import format_for, load_graph, read_sources

TTL = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b .
"""


def test_format_by_extension():
    assert format_for("x.ttl") == "turtle"
    assert format_for("x.NQ") == "nquads"
    assert format_for("x.yml") == "yaml-ld"
    assert format_for("whatever", "ntriples") == "nt"


def test_unknown_extension_names_file_and_fix():
    with pytest.raises(InputError) as exc:
        format_for("data.docx")
    text = str(exc.value)
    assert "data.docx" in text and "--input-format" in text


def test_unknown_explicit_format():
    with pytest.raises(InputError, match="unknown input format"):
        format_for("x.ttl", "klingon")


def test_directory_is_read_recursively(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.ttl").write_text(TTL)
    (tmp_path / "sub" / "b.nt").write_text("<http://e/x> <http://e/p> <http://e/y> .\n")
    (tmp_path / "notes.txt").write_text("ignored")
    names = [s.name for s in read_sources([str(tmp_path)])]
    assert [n.rsplit("/", 1)[-1] for n in names] == ["a.ttl", "b.nt"]
    assert len(load_graph([str(tmp_path)])) == 2


def test_syntax_error_reports_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:c ex:p .\n")
    with pytest.raises(InputError) as exc:
        load_graph([str(bad)])
    problem = exc.value.problems[0]
    assert problem.source == str(bad)
    assert problem.line == 3
    assert problem.column is not None


def test_all_bad_files_are_reported(tmp_path):
    for name in ("one.ttl", "two.ttl"):
        (tmp_path / name).write_text("this is not turtle")
    with pytest.raises(InputError) as exc:
        load_graph([str(tmp_path)])
    assert len(exc.value.problems) == 2


def test_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("  \n")
    with pytest.raises(InputError, match="empty"):
        load_graph([str(empty)])


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_graph([str(tmp_path / "missing.ttl")])


def test_remote_jsonld_context_is_refused(tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a"}))
    with pytest.raises(InputError, match="never fetches"):
        load_graph([str(doc)])


def test_invalid_json_is_located(tmp_path):
    doc = tmp_path / "broken.jsonld"
    doc.write_text('{\n  "@id": "http://e/a",\n  oops\n}')
    with pytest.raises(InputError) as exc:
        load_graph([str(doc)])
    assert exc.value.problems[0].line == 3


def test_yaml_ld_with_inline_context(tmp_path):
    doc = tmp_path / "a.yaml"
    doc.write_text("'@context': {ex: 'http://example.org/'}\n'@id': ex:a\nex:p: {'@id': ex:b}\n")
    graph = load_graph([str(doc)])
    assert len(graph) == 1


def test_stdin_needs_a_format():
    with pytest.raises(InputError, match="input-format"):
        read_sources(["-"])


def test_directory_walk_skips_generic_json_and_hidden_files(tmp_path):
    (tmp_path / "a.ttl").write_text(TTL)
    (tmp_path / "expected.json").write_text('{"not": "rdf"}')
    (tmp_path / "b.jsonld").write_text('{"@id": "http://e/a", "http://e/p": {"@id": "http://e/b"}}')
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.ttl").write_text(TTL)
    names = sorted(s.name.rsplit("/", 1)[-1] for s in read_sources([str(tmp_path)]))
    assert names == ["a.ttl", "b.jsonld"]
    # named explicitly, a .json file is JSON-LD
    assert read_sources([str(tmp_path / "expected.json")])[0].format == "json-ld"
