"""More hostile inputs (an outside security review): each is refused with one line naming
the file, or read, and never ends in an internal error.

Big inputs are generated here, in ``tmp_path``; none is committed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import rdflib

from cdkg.errors import MAX_MESSAGE, InputError, Problem
from cdkg.rdf.read import (
    BOM,
    YAML_EXPANSION_FLOOR,
    Limits,
    Source,
    iter_parsed,
    load_graph,
    read_sources,
    safe_json,
    safe_yaml,
    yaml_expansion_limit,
)

PREFIX = "@prefix ex: <http://example.org/> .\n"
DEPTH = Limits().max_nesting


def refused(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_graph([str(path)])
    text = str(caught.value)
    assert str(path) in text
    return text


# --------------------------------------------------------------------------- surrogates


def test_a_lone_surrogate_in_json_ld_is_refused_with_its_place(tmp_path: Path) -> None:
    doc = tmp_path / "surrogate.jsonld"
    doc.write_text(
        '{"@id": "http://example.org/i",\n "http://purl.org/dc/terms/title": "\\ud800 x"}'
    )
    text = refused(doc)
    assert f"{doc}:2:" in text
    assert "\\ud800" in text and "surrogate" in text


def test_a_lone_low_surrogate_in_a_key_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "surrogate-key.jsonld"
    doc.write_text('{"@id": "http://example.org/i", "http://example.org/\\udc00": "x"}')
    assert "surrogate" in refused(doc)


def test_a_lone_surrogate_in_yaml_ld_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "surrogate.yaml"
    doc.write_text('"@id": "http://example.org/i"\n"http://example.org/t": "a \\ud800"\n')
    text = refused(doc)
    assert f"{doc}:2:" in text and "surrogate" in text


def test_a_surrogate_pair_is_one_character_and_reads(tmp_path: Path) -> None:
    doc = tmp_path / "pair.jsonld"
    doc.write_text('{"@id": "http://example.org/i", "http://example.org/t": "\\ud83d\\ude00"}')
    graph = load_graph([str(doc)])
    assert {str(o) for o in graph.objects()} == {"\U0001f600"}


# --------------------------------------------------------------------------- nesting


def nested_blank_nodes(depth: int) -> str:
    return PREFIX + "ex:a ex:p " + "[ ex:p " * depth + "ex:b" + " ]" * depth + " .\n"


def nested_collections(depth: int) -> str:
    return PREFIX + "ex:a ex:p " + "( " * depth + "ex:b" + " )" * depth + " .\n"


@pytest.mark.parametrize("make", [nested_blank_nodes, nested_collections])
def test_turtle_nested_600_deep_is_refused_with_the_limit(tmp_path: Path, make) -> None:
    doc = tmp_path / "deep.ttl"
    doc.write_text(make(600))
    text = refused(doc)
    assert "nested too deeply" in text and f"more than {DEPTH} levels" in text
    assert "recursion" not in text
    assert f"{doc}:2:" in text  # where the level past the limit opens


def test_trig_nested_600_deep_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "deep.trig"
    body = nested_blank_nodes(600).removeprefix(PREFIX)
    doc.write_text(PREFIX + "ex:g { " + body + " }\n")
    assert "nested too deeply" in refused(doc)


@pytest.mark.parametrize("make", [nested_blank_nodes, nested_collections])
def test_turtle_nested_as_deep_as_the_limit_reads(tmp_path: Path, make) -> None:
    doc = tmp_path / "at-the-limit.ttl"
    doc.write_text(make(DEPTH))
    assert len(load_graph([str(doc)])) >= DEPTH


def test_brackets_in_strings_iris_and_comments_do_not_count(tmp_path: Path) -> None:
    many = "[ ( " * 600
    doc = tmp_path / "brackets.ttl"
    doc.write_text(
        PREFIX
        + f"# {many}\n"
        + f'ex:a ex:p "{many}" , """{many}\n{many}""" , \'{many}\' ;\n'
        + f"  ex:q <http://example.org/{'(' * 300}> , ex:x\\(y .\n"
        + nested_blank_nodes(10).removeprefix(PREFIX)
    )
    graph = load_graph([str(doc)])
    assert rdflib.Literal(many) in set(graph.objects())


def test_json_ld_nested_600_deep_is_refused(tmp_path: Path) -> None:
    node: object = "x"
    for _ in range(600):
        node = {"http://example.org/p": node}
    doc = tmp_path / "deep.jsonld"
    doc.write_text(json.dumps(node))
    assert "nested too deeply" in refused(doc)


def test_yaml_ld_nested_600_deep_is_refused_before_it_is_built(tmp_path: Path) -> None:
    doc = tmp_path / "deep.yaml"
    doc.write_text(
        '"@id": "http://example.org/i"\n"http://example.org/p": ' + "[" * 600 + "]" * 600
    )
    text = refused(doc)
    assert "nested too deeply" in text and f"{doc}:2" in text


# --------------------------------------------------------------------------- byte-order mark

BOM_CASES = {
    "doc.ttl": PREFIX + "ex:a ex:p ex:b .\n",
    "doc.nt": "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n",
    "doc.nq": "<http://example.org/a> <http://example.org/p> <http://example.org/b> "
    "<http://example.org/g> .\n",
    "doc.trig": PREFIX + "ex:g { ex:a ex:p ex:b . }\n",
    "doc.jsonld": '{"@id": "http://example.org/a", "http://example.org/p": "b"}',
    "doc.yaml": '"@id": "http://example.org/a"\n"http://example.org/p": "b"\n',
    "doc.rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-'
    'ns#" xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    "<ex:p>b</ex:p></rdf:Description></rdf:RDF>\n",
}


@pytest.mark.parametrize("name", sorted(BOM_CASES))
def test_a_byte_order_mark_is_skipped(tmp_path: Path, name: str) -> None:
    doc = tmp_path / name
    doc.write_bytes(BOM + BOM_CASES[name].encode("utf-8"))
    assert len(load_graph([str(doc)])) == 1
    (source,) = read_sources([str(doc)])
    assert not source.data.startswith(BOM)


def test_a_byte_order_mark_is_skipped_in_a_source_made_in_memory() -> None:
    source = Source("<form>", "turtle", BOM + (PREFIX + "ex:a ex:p ex:b .\n").encode())
    ((_source, ds),) = list(iter_parsed([source]))
    assert len(ds) == 1


# --------------------------------------------------------------------------- file names


def test_a_file_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"bad\xff.ttl")
    with open(bad, "wb") as f:
        f.write((PREFIX + "ex:a ex:p ex:b .\n").encode())
    (source,) = read_sources([str(folder)])
    assert source.name == f"{folder}/bad\\xff.ttl"
    source.name.encode("utf-8")  # printable and storable
    assert len(load_graph([str(folder)])) == 1


# --------------------------------------------------------------------------- YAML aliases


def yaml_alias_bomb(path: Path, aliases: int, scalar: int = 100_000) -> None:
    path.write_text(
        '"@id": "http://example.org/a"\n'
        + '"http://example.org/big": &a "'
        + "x" * scalar
        + '"\n'
        + '"http://example.org/many": ['
        + ", ".join(["*a"] * aliases)
        + "]\n"
    )


def test_a_yaml_file_expanding_to_gigabytes_is_refused_at_once(tmp_path: Path) -> None:
    # 240 KB: one 100 KB scalar and 20,000 aliases of it would be 2 GB expanded (only
    # 20,001 nodes: the node count alone lets it through)
    doc = tmp_path / "bytes-bomb.yaml"
    yaml_alias_bomb(doc, 20_000)
    assert doc.stat().st_size < 250_000
    started = time.monotonic()
    text = refused(doc)
    assert time.monotonic() - started < 10
    assert "alias bomb" in text and f"more than {YAML_EXPANSION_FLOOR} bytes" in text


def test_a_few_aliases_of_a_long_text_still_read(tmp_path: Path) -> None:
    doc = tmp_path / "aliases.yaml"
    yaml_alias_bomb(doc, 5, scalar=10_000)
    graph = load_graph([str(doc)])
    assert len(graph) == 2  # one literal, said twice


def test_the_expansion_limit_follows_the_file_and_the_file_limit() -> None:
    limits = Limits(max_bytes=100 * 1024 * 1024)
    assert yaml_expansion_limit(1000, limits) == YAML_EXPANSION_FLOOR
    assert yaml_expansion_limit(5 * 1024 * 1024, limits) == 50 * 1024 * 1024
    assert yaml_expansion_limit(50 * 1024 * 1024, limits) == limits.max_bytes
    assert yaml_expansion_limit(1000, Limits(max_bytes=5000)) == 5000


def test_a_yaml_document_that_contains_itself_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "recursive.yaml"
    doc.write_text('"@id": "http://example.org/a"\n"http://example.org/p": &a [1, *a]\n')
    text = refused(doc)
    assert "contain itself" in text and "recursion" not in text


# --------------------------------------------------------------------------- for other readers


def test_safe_json_refuses_what_json_loads_would_crash_on() -> None:
    for text, reason in (
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),  # RecursionError in json.loads
        ("[" * 100 + "]" * 100, "nested too deeply"),
        ('{"name": "\\udfff"}', "surrogate"),
    ):
        with pytest.raises(InputError, match=reason):
            safe_json(text, "records.json")
    assert safe_json('{"name": "ok"}', "records.json") == {"name": "ok"}


def test_safe_yaml_refuses_alias_bombs_that_yaml_safe_load_would_expand(tmp_path: Path) -> None:
    doc = tmp_path / "answers.yaml"
    yaml_alias_bomb(doc, 20_000)
    with pytest.raises(InputError, match="alias bomb"):
        safe_yaml(doc.read_text(), "answers.yaml")
    assert safe_yaml("a: &x 1\nb: *x\n", "answers.yaml") == {"a": 1, "b": 1}


# --------------------------------------------------------------------------- messages


def test_quoted_user_text_is_cut_to_one_short_line(tmp_path: Path) -> None:
    remote = "https://example.org/" + "c" * 5000 + "\n\x1b[2J"
    doc = tmp_path / "long-context.jsonld"
    doc.write_text(json.dumps({"@context": remote, "@id": "http://example.org/a"}))
    text = refused(doc)
    assert "\n" not in text and "\x1b" not in text
    quoted = text.split("@context ", 1)[1].split(" is a remote document")[0]
    assert quoted.startswith("'https://example.org/ccc") and quoted.endswith("…'")
    assert len(quoted) <= 202


def test_a_long_unknown_format_name_is_cut(tmp_path: Path) -> None:
    doc = tmp_path / "a.ttl"
    doc.write_text(PREFIX)
    with pytest.raises(InputError) as caught:
        read_sources([str(doc)], input_format="x" * 10_000)
    assert len(str(caught.value)) < 1000


def test_a_problem_is_one_printable_line_of_bounded_length() -> None:
    problem = Problem("in\x1b[31m.ttl", "bad\nvalue \x07" + "v" * 5000, 3, 4, "do\rthis")
    text = str(problem)
    assert text.startswith("in\\x1b[31m.ttl:3:4: bad\\nvalue \\x07")
    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert len(text) < 2 * MAX_MESSAGE and text.count("…") == 1
