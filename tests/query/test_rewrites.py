"""Library queries rewritten for speed give exactly the answers of the text they replace.

``tests/data/queries-before/NAME.rq`` keeps the text ``queries/NAME.rq`` had before it
was rewritten to run faster on a registry of 100,000 initiatives. Both texts run on the
examples, on a generated registry classified by the fast engine, and on hand-made edge
cases (a sub-stage declared in the data, a second English label of a phase, an
engagement of two initiatives, one at two levels, levels without a rank or said to be
both sufficient and not, every description stated twice in two graphs); the rows, their
order and the variables must be the same, as ``cdkg query`` gives them (cdkg orders the
rows) and as Oxigraph orders them itself, with every parameter left out and bound.

Every library query that returns its parameters is also checked on its own: bound, it
answers exactly the unbound answer's rows holding the value (what a sub-select marked
``VALUES ?p { UNDEF }`` relies on, see :func:`cdkg.query.library.bind`)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from cdkg.load.loader import load
from cdkg.query.library import bind, library, parse_query
from cdkg.rdf.terms import binding_to_ox
from cdkg.sources.synthetic import generate
from cdkg.store import EmbeddedStore, Results
from tests.support.paths import EXAMPLES, TEST_DATA

BEFORE = TEST_DATA / "queries-before"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
REWRITTEN = sorted(p.stem for p in BEFORE.glob("*.rq"))

EDGES = """\
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stage: <https://w3id.org/cdkg/vocab/stage/> .
@prefix level: <https://w3id.org/cdkg/vocab/participation-level/> .
@prefix ex: <https://example.org/edge/> .

ex:co-design skos:broader stage:design-objectives .
<http://id.unece.org/activities/phase/1> skos:prefLabel "Needs, specified"@en .
ex:unranked cdkg:sufficient false .
ex:both-ways cdkg:sufficient true, false ; cdkg:rank 9 .

ex:i1 a cdkg:Initiative ; dct:title "Edge one"@en, "Bord un"@fr ;
    cdkg:hasEngagement ex:i1-e1, ex:i1-e2, ex:i1-e3 .
ex:i1-e1 cdkg:stage ex:co-design ; cdkg:participationLevel level:1 .
ex:i1-e2 cdkg:stage stage:collection ; cdkg:participationLevel level:2, level:3 .
ex:i1-e3 cdkg:stage stage:collection, stage:processing ; cdkg:participationLevel level:3 .
ex:i2 a cdkg:Initiative ; cdkg:hasEngagement ex:i2-e1 .
ex:i2-e1 cdkg:stage stage:collection ; cdkg:participationLevel ex:unranked .
ex:i3 a cdkg:Initiative ; dct:title "Edge three" ; cdkg:hasEngagement ex:i3-e1, ex:i3-e2 .
ex:i3-e1 cdkg:stage stage:uptake ; cdkg:participationLevel ex:both-ways .
ex:i3-e2 cdkg:stage stage:uptake ; cdkg:participationLevel level:1 .
ex:i4 a cdkg:Initiative ; dct:title "Edge four"@en ;
    cdkg:hasEngagement ex:i4-e1, ex:i4-e2, ex:i1-e1 .
ex:i4-e1 cdkg:stage stage:analysis-dissemination ; cdkg:participationLevel level:2 .
ex:i4-e2 cdkg:stage stage:impact-review ; cdkg:participationLevel level:4 .
ex:i5 a cdkg:Initiative ; dct:title "Edge five"@en ; cdkg:hasEngagement ex:i5-e1, ex:i1-e2 .
ex:i5-e1 cdkg:stage ex:co-design ; cdkg:participationLevel ex:unranked, level:2 .
ex:i6 a cdkg:Initiative ; cdkg:hasEngagement ex:i6-e1 .
ex:i6-e1 cdkg:participationLevel level:5 .
"""


def _texts(name: str) -> tuple[str, str]:
    return (BEFORE / f"{name}.rq").read_text(encoding="utf-8"), library()[name].text


def _oxigraph(store: EmbeddedStore, sparql: str) -> Results:
    """Oxigraph's own answer, its ORDER BY included."""
    answer = store.oxigraph.query(sparql, use_default_graph_as_union=True)
    data = answer.serialize(format=ox.QueryResultsFormat.JSON)
    return Results.from_json(json.loads(data or b"{}"))


_TRUE, _FALSE = (ox.Literal(v, datatype=ox.NamedNode(XSD_BOOLEAN)) for v in ("true", "false"))


def _values(store: EmbeddedStore, pattern: str) -> list[ox.NamedNode]:
    """The first 40 IRIs ``?v`` of ``pattern``, and one the registry does not hold."""
    rows = store.query(f"SELECT DISTINCT ?v WHERE {{ {pattern} }} ORDER BY ?v LIMIT 40").rows
    return [*(ox.NamedNode(r["v"]["value"]) for r in rows), ox.NamedNode(_NONE)]


_NONE = "https://example.org/edge/none"


def _bindings(store: EmbeddedStore, name: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    """No parameter; each parameter bound in turn to every value of its kind (an
    initiative with an engagement, a country initiatives cover, true and false; and an
    IRI the registry does not hold); and all of them bound at once."""
    out: list[dict[str, ox.NamedNode | ox.Literal]] = [{}]
    kinds: dict[str, list[ox.NamedNode | ox.Literal]] = {
        "iri": [*_values(store, "?v <https://w3id.org/cdkg/ontology#hasEngagement> ?e")],
        "country": [*_values(store, "?i <http://purl.org/dc/terms/spatial> ?v")],
        "boolean": [_TRUE, _FALSE],
    }
    params = library()[name].parameters
    out += [{p.name: v} for p in params for v in kinds[p.type]]
    if len(params) > 1:
        out += [{p.name: kinds[p.type][i] for p in params} for i in range(2)]
    return out


def assert_same_answers(store: EmbeddedStore, name: str) -> int:
    """The two texts answer alike; returns how many rows the unbound query has."""
    before, after = _texts(name)
    rows = 0
    for values in _bindings(store, name):
        old, new = store.query(bind(before, values)), store.query(bind(after, values))
        assert new.variables == old.variables, (name, values)
        assert new.rows == old.rows, (name, values)
        assert (
            _oxigraph(store, bind(after, values)).rows
            == _oxigraph(store, bind(before, values)).rows
        )
        rows = rows or len(new.rows)
    return rows


def test_every_rewrite_keeps_its_old_text_and_its_header():
    assert REWRITTEN, "no rewritten query is checked"
    for name in REWRITTEN:
        before, after = parse_query(_texts(name)[0], name), library()[name]
        assert (after.title, after.description) == (before.title, before.description)
        assert after.parameters == before.parameters


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("rewrites")
    for copy in ("edges", "edges-again"):
        (base / "edges").mkdir(exist_ok=True)
        (base / "edges" / f"{copy}.ttl").write_text(EDGES, encoding="utf-8")
    with EmbeddedStore(base / "store") as store:
        load(store, [str(EXAMPLES), str(base / "edges")], engine="fast")
        yield store


@pytest.mark.parametrize("name", REWRITTEN)
def test_same_answers_on_the_examples_and_edge_cases(examples_store, name):
    assert assert_same_answers(examples_store, name) > 0


#: Library queries whose answer shows each of their parameters' values.
PROJECTED = sorted(
    name
    for name, q in library().items()
    if q.parameters
    and {p.name for p in q.parameters} <= {str(v) for v in prepareQuery(q.text).algebra["PV"]}
)


def assert_bound_rows_are_the_unbound_rows_with_that_value(store: EmbeddedStore, name: str) -> int:
    """A bound parameter answers exactly the unbound answer's rows holding its value (in
    the same order); returns how many bindings answered with rows."""
    query = library()[name]
    whole = store.query(query.text)
    answered = 0
    for values in _bindings(store, name)[1:]:
        wanted = {k: str(v) for k, v in values.items()}
        rows = [
            row
            for row in whole.rows
            if all(k in row and str(binding_to_ox(row[k], {})) == t for k, t in wanted.items())
        ]
        bound = store.query(bind(query.text, values))
        assert bound.variables == whole.variables, (name, values)
        assert bound.rows == rows, (name, values)
        answered += bool(rows)
    return answered


def test_the_library_has_queries_showing_their_parameters():
    assert {"principles-coverage", "actors-and-roles", "participation-profile"} <= set(PROJECTED)


@pytest.mark.parametrize("name", PROJECTED)
def test_a_bound_parameter_keeps_the_unbound_rows_with_its_value(examples_store, name):
    assert assert_bound_rows_are_the_unbound_rows_with_that_value(examples_store, name) > 0


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory):
    """A 300-initiative registry (with its few percent of faulty descriptions),
    classified by the fast engine."""
    base = tmp_path_factory.mktemp("generated")
    generate(300, out=base / "registry", seed=11, chunk_size=50)
    with EmbeddedStore(base / "store") as store:
        load(store, [str(base / "registry")], engine="fast")
        yield store


@pytest.mark.slow
@pytest.mark.parametrize("name", REWRITTEN)
def test_same_answers_on_a_generated_registry(generated_store, name):
    assert assert_same_answers(generated_store, name) > 0


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECTED)
def test_a_bound_parameter_keeps_the_unbound_rows_on_a_generated_registry(generated_store, name):
    assert assert_bound_rows_are_the_unbound_rows_with_that_value(generated_store, name) > 0
