"""cdkg orders query results itself, exactly as Oxigraph's own ORDER BY would.

Oxigraph's ORDER BY decodes terms from disk at every comparison, so cdkg sends the
library's queries without it and sorts the rows (:mod:`cdkg.rdf.order`). These tests
compare the two orders: on term mixtures built by hypothesis, on every library query
over the examples and a generated registry, and across several registries. Rows that
tie on every sort key may come in any order (SPARQL leaves it open, and Oxigraph's own
order of them changes with its plan), so a tie group is compared as a multiset.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdkg.load.loader import load
from cdkg.query.library import bind, library, run_across
from cdkg.rdf.order import OrderPlan, _literal_key, plan, sort_rows
from cdkg.sources.synthetic import generate
from cdkg.store import EmbeddedStore, Results, Row
from cdkg.store.base import Binding
from tests.support.paths import EXAMPLES

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/o/"


def oxigraph_results(store: ox.Store, sparql: str) -> Results:
    answer = store.query(sparql, use_default_graph_as_union=True)
    return Results.from_json(json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON)))


def _key(row: Row, keys: Sequence[tuple[str, bool]]) -> tuple[str, ...]:
    return tuple(json.dumps(row.get(name), sort_keys=True) for name, _ in keys)


def assert_same_order(mine: list[Row], reference: list[Row], keys: Sequence[tuple[str, bool]]):
    """Same sequence of sort keys, and the same rows within each run of equal keys."""
    assert [_key(r, keys) for r in mine] == [_key(r, keys) for r in reference]

    def groups(rows: list[Row]) -> list[Counter[str]]:
        return [
            Counter(json.dumps(r, sort_keys=True) for r in group)
            for _, group in itertools.groupby(rows, key=lambda r: _key(r, keys))
        ]

    assert groups(mine) == groups(reference)


# ------------------------------------------------------------------ splitting the query


def test_library_form_is_split():
    text = library()["principles-coverage"].text
    found = plan(text)
    assert found is not None
    assert found.keys == (("initiative", False), ("covered", True), ("principle", False))
    assert "ORDER BY" not in found.body
    assert found.clause == "ORDER BY ?initiative DESC(?covered) ?principle"
    assert (found.offset, found.limit) == (0, None)


def test_every_library_query_is_sorted_by_cdkg():
    assert all(plan(q.text) is not None for q in library().values())


def test_limit_offset_and_grouping():
    found = plan(
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)\n"
        "order by desc(?n) $s LIMIT 5 OFFSET 10"
    )
    assert found == OrderPlan(
        body="SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)\n",
        keys=(("n", True), ("s", False)),
        clause="order by desc(?n) $s",
        offset=10,
        limit=5,
    )
    assert found.top_text().endswith("order by desc(?n) $s\nLIMIT 15\n")


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?s WHERE { ?s ?p ?o }",  # no ORDER BY
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY STR(?s)",  # an expression
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s + 1",
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3 } }",  # inner
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <a:b> }",  # trailing VALUES
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3",
        "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s",
        'SELECT ?s WHERE { ?s ?p "} ORDER BY ?s" }',  # in a string
        "SELECT ?s WHERE { ?s ?p ?o } # ORDER BY ?s",  # in a comment
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1 LIMIT 2",
    ],
)
def test_other_forms_stay_with_the_store(sparql):
    assert plan(sparql) is None


def test_comments_strings_and_iris_do_not_confuse_it():
    text = (
        "PREFIX ex: <https://example.org/(odd#>\n"
        "SELECT ?s ?o WHERE { ?s ex:p 'ORDER BY ?x' . ?s ex:q ?o } # ORDER BY ?y\n"
        "ORDER BY ?o # then\n  ?s\n"
    )
    found = plan(text)
    assert found is not None and found.keys == (("o", False), ("s", False))


# ------------------------------------------------------------------ term order vs Oxigraph

_IRIS = st.sampled_from([f"{EX}{x}" for x in ("a", "b", "B", "a/b", "ä", "z", "10", "9")])
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=4)
_LITERALS = {
    "text": st.one_of(
        _TEXT.map(ox.Literal),
        st.tuples(_TEXT, st.sampled_from(["en", "fr", "en-gb"])).map(
            lambda t: ox.Literal(t[0], language=t[1])
        ),
        _TEXT.map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "string"))),
    ),
    "exact numbers": st.one_of(
        st.integers(-(2**63), 2**63 - 1).map(ox.Literal),
        st.decimals(
            min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
        ).map(lambda d: ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))),
    ),
    "doubles": st.one_of(
        st.integers(-(10**6), 10**6).map(ox.Literal),
        st.floats(allow_nan=False, width=64).map(ox.Literal),
    ),
    "booleans": st.booleans().map(ox.Literal),
}


def _column(kind: str) -> st.SearchStrategy[ox.NamedNode | ox.BlankNode | ox.Literal | None]:
    return st.one_of(
        st.none(),
        _IRIS.map(ox.NamedNode),
        st.sampled_from(["b1", "b2", "x"]).map(ox.BlankNode),
        _LITERALS[kind],
        _LITERALS[kind],
    )


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.tuples(st.sampled_from(sorted(_LITERALS)), st.sampled_from(sorted(_LITERALS))),
    data=st.data(),
    directions=st.tuples(st.booleans(), st.booleans()),
)
def test_rows_are_ordered_as_oxigraph_orders_them(kinds, data, directions):
    rows = data.draw(
        st.lists(st.tuples(_column(kinds[0]), _column(kinds[1])), min_size=1, max_size=25)
    )
    store = ox.Store()
    for i, (a, b) in enumerate(rows):
        row = ox.NamedNode(f"{EX}row/{i}")
        store.add(ox.Quad(row, ox.NamedNode(f"{EX}row"), ox.Literal(i)))
        for name, value in (("a", a), ("b", b)):
            if value is not None:
                store.add(ox.Quad(row, ox.NamedNode(EX + name), value))
    order = " ".join(f"DESC(?{v})" if d else f"?{v}" for v, d in zip("ab", directions, strict=True))
    sparql = (
        f"SELECT ?row ?a ?b WHERE {{ ?row <{EX}row> ?i "
        f"OPTIONAL {{ ?row <{EX}a> ?a }} OPTIONAL {{ ?row <{EX}b> ?b }} }} ORDER BY {order}"
    )
    found = plan(sparql)
    assert found is not None
    unsorted = oxigraph_results(store, found.body)
    mine = found.apply(unsorted.variables, unsorted.rows)
    assert mine is not None, "columns of one kind of literal are sorted by cdkg"
    assert_same_order(mine, oxigraph_results(store, sparql).rows, found.keys)


def _reference_key(term: Binding | None) -> tuple[Any, ...] | None:
    """A term's sort key, worked out on its own (SPARQL 1.1 §15.1 as Oxigraph applies it)."""
    if term is None:
        return (0,)
    if term["type"] == "bnode":
        return (1, term["value"])
    if term["type"] == "uri":
        return (2, term["value"])
    found = _literal_key(term)
    return None if found is None else (3, *found)


def reference_sort(rows: list[Row], keys: Sequence[tuple[str, bool]]) -> list[Row] | None:
    """The plainest exact ordering: every row keyed on its own, one comparison function,
    Python's stable sort (rows that tie keep their order)."""
    columns = []
    for name, _ in keys:
        column = [_reference_key(row.get(name)) for row in rows]
        if any(k is None for k in column):
            return None
        kinds = {k[1] for k in column if k is not None and k[0] == 3}
        if len(kinds) > 1 and kinds not in ({"integer", "decimal"}, {"integer", "double"}):
            return None
        to_float = "double" in kinds
        columns.append(
            [(k[0], float(k[2]) if to_float else k[2]) if k[0] == 3 else k for k in column]
        )

    def compare(i: int, j: int) -> int:
        for column, (_, descending) in zip(columns, keys, strict=True):
            a, b = column[i], column[j]
            if a != b:
                return (1 if a > b else -1) * (-1 if descending else 1)
        return 0

    return [rows[i] for i in sorted(range(len(rows)), key=functools.cmp_to_key(compare))]


def _uniform_column(kind: str) -> st.SearchStrategy[ox.NamedNode | ox.Literal | None]:
    """Columns as the library's queries give them: one kind of term, sometimes unbound."""
    one_kind = {
        "iris": _IRIS.map(ox.NamedNode),
        "strings": _TEXT.map(ox.Literal),
        "english": _TEXT.map(lambda v: ox.Literal(v, language="en")),
        "booleans": _LITERALS["booleans"],
        "integers": st.integers(-3, 3).map(ox.Literal),
    }[kind]
    return st.one_of(st.none(), one_kind, one_kind, one_kind)


_COLUMN_KINDS = ("iris", "strings", "english", "booleans", "integers", "mixed")


@settings(max_examples=200, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(_COLUMN_KINDS), min_size=1, max_size=3),
    data=st.data(),
    shared=st.booleans(),
)
def test_rows_are_ordered_as_the_plain_reference_orders_them_ties_included(kinds, data, shared):
    """cdkg ranks each column's distinct terms and sorts on the ranks: the same order as
    keying every row on its own, and rows that tie keep the store's order; whether rows
    holding one term share its binding (as the embedded store reads them) or not."""
    columns = [_column("text") if k == "mixed" else _uniform_column(k) for k in kinds]
    raw = data.draw(st.lists(st.tuples(*columns), min_size=0, max_size=30))
    variables = [f"v{i}" for i in range(len(kinds))] + ["n"]
    rows: list[Row] = []
    bindings: dict[str, Binding] = {}
    for n, values in enumerate(raw):
        row: Row = {"n": {"type": "literal", "value": str(n)}}
        for name, value in zip(variables, values, strict=False):
            if value is not None:
                binding = _binding(value)
                key = json.dumps(binding, sort_keys=True)
                row[name] = bindings.setdefault(key, binding) if shared else binding
        rows.append(row)
    keys = [(name, data.draw(st.booleans())) for name in variables[:-1]]
    expected = reference_sort(rows, keys)
    assert expected is not None
    # rows are told apart by ?n: equal lists are the same order, ties included
    assert sort_rows(rows, variables, keys) == expected


def _binding(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Binding:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def _refused_by_cdkg(store: EmbeddedStore, sparql: str) -> None:
    """cdkg's ordering declines ``sparql``'s rows (the store's ORDER BY must sort them)."""
    found = plan(sparql)
    assert found is not None
    unsorted = store.query(found.body)
    assert found.apply(unsorted.variables, unsorted.rows) is None


@pytest.mark.parametrize(
    "values",
    [
        ["1", '"a"'],  # a number and a string: Oxigraph compares them its own way
        ['"1.5"^^<http://www.w3.org/2001/XMLSchema#float>'],
        ['"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'],
        ["1.5", "1.5e0"],  # a decimal and a double
        ['"NaN"^^<http://www.w3.org/2001/XMLSchema#double>'],
        ['"x"^^<https://example.org/o/dt>'],
        ['"a"@ar--rtl', '"b"@ar'],  # a base direction
    ],
)
def test_values_cdkg_cannot_order_exactly_are_left_to_the_store(tmp_path, values):
    sparql = f"SELECT ?v WHERE {{ VALUES ?v {{ {' '.join(values)} <{EX}a> }} }} ORDER BY ?v"
    with EmbeddedStore(tmp_path / "store") as store:
        _refused_by_cdkg(store, sparql)
        # ... so the store sorts them, and the answer is Oxigraph's own
        assert store.query(sparql).rows == oxigraph_results(store.oxigraph, sparql).rows


def test_sort_variable_not_projected_is_left_to_the_store(tmp_path):
    sparql = f"SELECT ?s WHERE {{ VALUES (?s ?o) {{ (<{EX}a> 2) (<{EX}b> 1) }} }} ORDER BY ?o"
    with EmbeddedStore(tmp_path / "store") as store:
        _refused_by_cdkg(store, sparql)
        assert [r["s"]["value"] for r in store.query(sparql).rows] == [EX + "b", EX + "a"]


def test_limit_and_offset_apply_after_sorting(tmp_path):
    values = " ".join(f"<{EX}{i:02d}>" for i in (5, 3, 9, 1, 7, 2))
    sparql = f"SELECT ?v WHERE {{ VALUES ?v {{ {values} }} }} ORDER BY DESC(?v) LIMIT 2 OFFSET 1"
    with EmbeddedStore(tmp_path / "store") as store:
        rows = store.query(sparql).rows
        assert rows == oxigraph_results(store.oxigraph, sparql).rows
    assert [r["v"]["value"] for r in rows] == [EX + "07", EX + "05"]


# ------------------------------------------------------------------ the library


def _library_texts() -> list[tuple[str, str]]:
    out = []
    for name, query in sorted(library().items()):
        values = {p.name: ox.NamedNode("http://metadata.un.org/sdg/5") for p in query.parameters}
        required = {k: v for k, v in values.items() if k == "sdg"}
        out.append((name, bind(query.text, required)))
    return out


def assert_library_order(store: EmbeddedStore) -> int:
    """Every library query: cdkg's answer is Oxigraph's ORDER BY answer, in order."""
    answered = 0
    for name, text in _library_texts():
        found = plan(text)
        assert found is not None, name
        mine = store.query(text).rows
        reference = oxigraph_results(store.oxigraph, text).rows
        assert_same_order(mine, reference, found.keys)
        answered += bool(mine)
    return answered


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    with EmbeddedStore(tmp_path_factory.mktemp("examples") / "store") as store:
        load(store, [str(EXAMPLES)])
        yield store


def test_library_order_on_the_examples(examples_store):
    assert assert_library_order(examples_store) >= 10


@pytest.mark.slow
def test_library_order_on_a_generated_registry(tmp_path):
    generate(300, out=tmp_path / "registry", seed=3, chunk_size=50)
    with EmbeddedStore(tmp_path / "store") as store:
        load(store, [str(tmp_path / "registry")], engine="fast")
        assert assert_library_order(store) >= 11


# ------------------------------------------------------------------ across registries


@pytest.fixture(scope="module")
def two_registries(tmp_path_factory):
    """The examples split in two registries (alternate files)."""
    base = tmp_path_factory.mktemp("two")
    files = sorted(p for p in Path(EXAMPLES).iterdir() if p.suffix in (".ttl", ".jsonld"))
    dirs = []
    for index in range(2):
        directory = base / f"r{index}"
        with EmbeddedStore(directory) as store:
            load(store, [str(p) for p in files[index::2]])
        dirs.append(directory)
    return dirs


def _openers(dirs):
    return [(d.name, lambda d=d: EmbeddedStore(d, create=False, read_only=True)) for d in dirs]


def test_several_registries_give_one_ordered_answer(two_registries):
    text = library()["initiatives"].text
    answer = run_across(_openers(two_registries), text)
    assert not answer.failures and answer.answered == ["r0", "r1"]
    names = [r["initiative"]["value"] for r in answer.results.rows]
    assert names == sorted(names) and len(names) >= 8
    assert {r["registry"]["value"] for r in answer.results.rows} == {"r0", "r1"}


def test_limit_applies_to_the_merged_answer(two_registries):
    text = library()["initiatives"].text.rstrip() + " LIMIT 3 OFFSET 2\n"
    everything = run_across(_openers(two_registries), library()["initiatives"].text)
    page = run_across(_openers(two_registries), text)
    assert page.results.rows == everything.results.rows[2:5]


def test_cli_merges_in_order(cli, two_registries):
    result = cli(
        "query", "initiatives", "--format", "csv",
        "--store", str(two_registries[0]), "--store", str(two_registries[1]),
    )  # fmt: skip
    assert result.code == 0, result.err
    initiatives = [line.split(",")[1] for line in result.out.splitlines()[1:]]
    assert initiatives == sorted(initiatives) and len(initiatives) >= 8
