"""The embedded store reads Oxigraph's answers as TSV: the very rows its JSON gives.

A large answer costs far less to write and read as TSV (``cdkg.store.tsv``); these
tests hold it to Oxigraph's own Query Results JSON for every kind of term Oxigraph
writes, odd strings and lexical forms included, and check that an answer with a term
the reader does not know (a triple term, a base direction) still comes back whole.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdkg.store import EmbeddedStore, Results, tsv

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/tsv/"


def json_results(store: ox.Store, sparql: str) -> Results:
    """Oxigraph's JSON document as it is (what the embedded store read before)."""
    answer = store.query(sparql, use_default_graph_as_union=True)
    doc = json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))
    return Results(doc["head"]["vars"], doc["results"]["bindings"])


def tsv_results(store: ox.Store, sparql: str) -> Results | None:
    answer = store.query(sparql, use_default_graph_as_union=True)
    return tsv.read(answer.serialize(format=ox.QueryResultsFormat.TSV))


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_LEXICAL = st.one_of(
    _TEXT,
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "false", "1", "0", "+7", "007", "-0", ".5", "1.", "1e3", "INF"]),
)
_DATATYPES = st.sampled_from(
    [XSD + t for t in ("string", "integer", "decimal", "double", "float", "boolean", "date")]
    + [EX + "unit", "urn:x:dt"]
)
_TERMS = st.one_of(
    st.none(),
    st.sampled_from(["a", "b/c", "ä€", "x?y=1&z#f", "%20", "(odd)"]).map(
        lambda local: ox.NamedNode(EX + local)
    ),
    st.sampled_from(["b1", "x", "node-2"]).map(ox.BlankNode),
    _TEXT.map(ox.Literal),
    st.tuples(_TEXT, st.sampled_from(["en", "fr-BE", "zh-Hant-TW", "x-private"])).map(
        lambda t: ox.Literal(t[0], language=t[1])
    ),
    st.tuples(_LEXICAL, _DATATYPES).map(lambda t: ox.Literal(t[0], datatype=ox.NamedNode(t[1]))),
)


@settings(max_examples=120, deadline=None)
@given(rows=st.lists(st.tuples(_TERMS, _TERMS, _TERMS), max_size=20))
def test_tsv_gives_the_rows_json_gives(rows):
    store = ox.Store()
    for i, values in enumerate(rows):
        row = ox.NamedNode(f"{EX}row/{i}")
        store.add(ox.Quad(row, ox.NamedNode(EX + "row"), ox.Literal(i), ox.NamedNode(EX + "g")))
        for name, value in zip("abc", values, strict=True):
            if value is not None:
                quad = ox.Quad(row, ox.NamedNode(EX + name), value, ox.NamedNode(EX + "g"))
                store.add(quad)
    sparql = (
        f"SELECT ?a ?b ?c WHERE {{ ?row <{EX}row> ?i OPTIONAL {{ ?row <{EX}a> ?a }} "
        f"OPTIONAL {{ ?row <{EX}b> ?b }} OPTIONAL {{ ?row <{EX}c> ?c }} }}"
    )
    read = tsv_results(store, sparql)
    assert read is not None, "every kind of term generated here is read from TSV"
    assert read == json_results(store, sparql)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { }",  # no variable, one row
        "SELECT ?a WHERE { FILTER (false) }",  # no row
        "SELECT ?a WHERE { VALUES ?a { UNDEF 1 UNDEF } }",  # empty lines are unbound rows
        "SELECT ?a ?b WHERE { VALUES (?a ?b) { (UNDEF UNDEF) (<urn:x:a> UNDEF) (UNDEF 2) } }",
        'SELECT ?a WHERE { VALUES ?a { "tab\\there" "line\\nbreak" "back\\\\slash\\"q" } }',
    ],
)
def test_edge_forms(sparql):
    store = ox.Store()
    assert tsv_results(store, sparql) == json_results(store, sparql)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?t WHERE { BIND (<<( <urn:x:s> <urn:x:p> <urn:x:o> )>> AS ?t) }",
        'SELECT ?t WHERE { BIND (STRLANGDIR("a", "ar", "rtl") AS ?t) }',
    ],
)
def test_terms_tsv_does_not_carry_come_back_from_json(tmp_path, sparql):
    with EmbeddedStore(tmp_path / "store") as store:
        assert tsv_results(store.oxigraph, sparql) is None
        assert store.query(sparql) == json_results(store.oxigraph, sparql)
        assert store.query(sparql).rows[0]["t"]["type"] in ("triple", "literal")


def test_malformed_text_is_not_read():
    for data in (
        b"?a\n<x:y>",
        b'?a\n"open\n',
        b'?a\n"bad\\q"\n',
        b"?a\t?b\n<x:y>\n",
        b"?a\nword\n",
    ):
        assert tsv.read(data) is None, data


def test_the_embedded_store_reads_as_tsv(tmp_path, monkeypatch):
    """A query answers from the TSV reader (JSON only as the fallback)."""
    calls: list[bytes] = []
    real = tsv.read

    def spy(data: bytes) -> Results | None:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(tsv, "read", spy)
    with EmbeddedStore(tmp_path / "store") as store:
        rows = store.query('SELECT ?x WHERE { VALUES ?x { <urn:x:a> "b"@en 3 } }').rows
    assert calls and rows == [
        {"x": {"type": "uri", "value": "urn:x:a"}},
        {"x": {"type": "literal", "value": "b", "xml:lang": "en"}},
        {"x": {"type": "literal", "value": "3", "datatype": XSD + "integer"}},
    ]
