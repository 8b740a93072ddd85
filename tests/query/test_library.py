"""The query library's headers and the safe binding of parameters."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from cdkg.errors import InputError
from cdkg.query.library import bind, find, library, parse_params, parse_query
from cdkg.query.output import render
from cdkg.store import Results

REQUIRED = {
    "initiatives-by-type",
    "citizen-data-by-sdg",
    "initiatives-by-country",
    "participation-profile",
    "insufficient-participation-only",
    "actors-and-roles",
    "principles-coverage",
    "population-groups",
    "gsbpm-phase-coverage",
    "integration-status",
    "case-by-case-assessment",
    "sdg-indicators-with-citizen-data",
    "to-be-assessed",
}


def test_library_answers_the_registry_questions():
    queries = library()
    assert len(queries) >= 13
    assert set(queries) >= REQUIRED


@pytest.mark.parametrize("name", sorted(library()))
def test_every_query_documents_itself_and_parses(name):
    query = library()[name]
    assert query.title and query.description, f"{name}.rq lacks a title or description"
    for param in query.parameters:
        assert re.search(rf"\?{param.name}\b", query.text), f"?{param.name} unused in {name}"
        assert param.description
    # valid SPARQL 1.1 (Oxigraph parses it), also with every parameter bound
    store = ox.Store()
    store.query(query.text)
    values = {p.name: ox.NamedNode("https://example.org/x") for p in query.parameters}
    store.query(bind(query.text, values))


def test_contract_variables_and_parameters():
    queries = library()
    assert "?type" in queries["initiatives-by-type"].text
    assert "AS ?count" in queries["initiatives-by-type"].text
    (sdg,) = queries["citizen-data-by-sdg"].parameters
    assert sdg.name == "sdg" and sdg.required
    assert [p.name for p in queries["participation-profile"].parameters] == ["initiative"]


def test_header_parsing():
    q = parse_query(
        "# title: T\n# description: first line\n#   continued\n"
        "# param: x (integer, required): how many\n# param: y (concept:stage): a stage\n"
        "SELECT * WHERE { ?s ?p ?x }\n",
        "t",
    )
    assert q.title == "T" and q.description == "first line continued"
    assert [(p.name, p.type, p.required) for p in q.parameters] == [
        ("x", "integer", True),
        ("y", "concept", False),
    ]
    assert q.parameters[1].scheme == "stage"
    with pytest.raises(InputError, match="unknown type"):
        parse_query("# param: x (colour): c\nSELECT * {}", "t")


SDG = "http://metadata.un.org/sdg/"


@pytest.mark.parametrize(
    ("given", "iri"),
    [
        ("5", SDG + "5"),
        ("5.2", SDG + "5.2"),
        ("5.a", SDG + "5.a"),
        ("5.2.1", SDG + "C050201"),
        ("5.a.1", SDG + "C050a01"),
        ("17.18.1", SDG + "C171801"),
        ("C050201", SDG + "C050201"),
        ("sdg:5.2", SDG + "5.2"),
        (SDG + "11", SDG + "11"),
    ],
)
def test_sdg_parameter_accepts_codes(given, iri):
    q = find("citizen-data-by-sdg")
    assert parse_params(q, [f"sdg={given}"])["sdg"] == ox.NamedNode(iri)


def test_values_are_bound_not_pasted():
    q = parse_query(
        "# param: name (string): a name\n# param: who (iri): someone\n"
        "PREFIX ex: <https://example.org/>\n"
        "# a comment with { a brace\n"
        'SELECT ?s (CONCAT("{", ?name) AS ?braced) WHERE { ?s ex:name ?name ; ex:knows ?who }',
        "t",
    )
    evil = 'x" } ; DROP ALL ; SELECT * { "'
    params = parse_params(q, [f"name={evil}", "who=https://example.org/b"])
    text = bind(q.text, params)
    assert text.index("VALUES") > text.index("WHERE {")
    store = ox.Store()
    ex = "https://example.org/"
    a = ox.NamedNode(ex + "a")
    store.add(ox.Quad(a, ox.NamedNode(ex + "name"), ox.Literal(evil)))
    store.add(ox.Quad(a, ox.NamedNode(ex + "knows"), ox.NamedNode(ex + "b")))
    store.add(ox.Quad(a, ox.NamedNode(ex + "name"), ox.Literal("other")))
    rows = list(store.query(text))
    assert len(rows) == 1, "the value stayed one literal and matched exactly"
    assert rows[0]["braced"].value == "{" + evil


def test_marked_sub_selects_get_the_bound_value_too():
    """``VALUES ?p { UNDEF }`` in a sub-select restricts nothing, and gets the value of
    the parameter ``p`` when it is bound: not in comments or strings, not for a
    parameter left out."""
    q = parse_query(
        "# param: who (iri): someone\n# param: kind (string): a kind\n"
        "PREFIX ex: <https://example.org/>\n"
        "SELECT ?who ?name ?kind WHERE {\n"
        "  # VALUES ?who { UNDEF } in a comment stays\n"
        "  { SELECT ?who ?name WHERE { values $who {UNDEF} ?who ex:name ?name } }\n"
        "  { SELECT ?who ?kind WHERE { VALUES ?kind { UNDEF } ?who ex:kind ?kind } }\n"
        '  BIND ("VALUES ?who { UNDEF }" AS ?note)\n'
        "}",
        "t",
    )
    ex = "https://example.org/"
    text = bind(q.text, parse_params(q, [f"who={ex}a"]))
    assert f"values ?who {{ <{ex}a> }}" not in text  # the mark is rewritten as a whole
    assert text.count(f"VALUES ?who {{ <{ex}a> }}") == 1
    assert "# VALUES ?who { UNDEF } in a comment stays" in text
    assert '"VALUES ?who { UNDEF }"' in text
    assert "VALUES ?kind { UNDEF }" in text
    store = ox.Store()
    for who, name, kind in (("a", "Ann", "x"), ("b", "Bo", "y")):
        store.add(ox.Quad(ox.NamedNode(ex + who), ox.NamedNode(ex + "name"), ox.Literal(name)))
        store.add(ox.Quad(ox.NamedNode(ex + who), ox.NamedNode(ex + "kind"), ox.Literal(kind)))
    assert len(list(store.query(q.text))) == 2, "unbound, the marks restrict nothing"
    rows = list(store.query(text))
    assert [r["name"].value for r in rows] == ["Ann"]
    both = bind(q.text, parse_params(q, [f"who={ex}b", "kind=y"]))
    assert 'VALUES ?kind { "y" }' in both
    assert [r["name"].value for r in store.query(both)] == ["Bo"]


@pytest.mark.parametrize(
    "bad",
    ["initiative=https://example.org/a> } DROP ALL {", "initiative=not an iri", "nosuch=1", "x"],
)
def test_bad_parameters_are_usage_errors(bad):
    with pytest.raises(InputError):
        parse_params(find("participation-profile"), [bad])


def test_missing_required_parameter(cli, tmp_path):
    result = cli("query", "citizen-data-by-sdg", "--store", str(tmp_path))
    assert result.code == 2 and "missing parameter(s) sdg" in result.err


def test_unknown_query_and_list(cli):
    result = cli("query", "no-such-question")
    assert result.code == 2 and "--list" in result.err
    listing = cli("query", "--list")
    assert listing.code == 0
    for name in REQUIRED:
        assert name in listing.out


def test_show_prints_bound_query(cli):
    result = cli("query", "citizen-data-by-sdg", "--param", "sdg=5.2.1", "--show")
    assert result.code == 0
    assert "VALUES (?sdg) { (<http://metadata.un.org/sdg/C050201>) }" in result.out


def test_query_file(cli, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# title: mine\nSELECT ?x WHERE { VALUES ?x { 1 } }\n")
    store = tmp_path / "store"
    assert cli("load", "--store", str(store), str(_tiny(tmp_path))).code == 0
    result = cli("query", str(rq), "--store", str(store), "--format", "csv")
    assert result.code == 0, result.err
    assert result.out == "x\r\n1\r\n"


def _tiny(tmp_path):
    path = tmp_path / "tiny.ttl"
    path.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    return path


def test_output_formats():
    results = Results(
        ["s", "label", "n"],
        [
            {
                "s": {"type": "uri", "value": "https://w3id.org/cdkg/vocab/participation-level/4"},
                "label": {"type": "literal", "value": 'Part "ner", ship', "xml:lang": "en"},
                "n": {
                    "type": "literal",
                    "value": "3",
                    "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                },
            },
            {"s": {"type": "bnode", "value": "b0"}},
        ],
    )
    assert render(results, "csv") == (
        's,label,n\r\nhttps://w3id.org/cdkg/vocab/participation-level/4,"Part ""ner"", ship",3\r\n'
        "_:b0,,\r\n"
    )
    assert render(results, "tsv") == (
        "?s\t?label\t?n\n"
        '<https://w3id.org/cdkg/vocab/participation-level/4>\t"Part \\"ner\\", ship"@en\t3\n'
        "_:b0\t\t\n"
    )
    table = render(results, "table")
    assert "level:4" in table and "(2 rows)" in table
    import json

    assert json.loads(render(results, "json")) == results.to_json()
    assert results.to_json()["head"]["vars"] == ["s", "label", "n"]


NON_CITIZEN_ENGAGEMENTS = """
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix stage: <https://w3id.org/cdkg/vocab/stage/> .
@prefix level: <https://w3id.org/cdkg/vocab/participation-level/> .
@prefix ex: <https://example.org/> .

# Only a ministry and a university take part: that is not citizens' participation.
ex:officials a cdkg:Initiative ; dct:title "Officials only"@en ;
    cdkg:initiatedBy ex:nso ;
    cdkg:hasEngagement
        [ cdkg:stage stage:design ; cdkg:participationLevel level:5 ;
          cdkg:engagedActor ex:ministry ] ,
        [ cdkg:stage stage:collection ; cdkg:participationLevel level:2 ;
          cdkg:engagedActor ex:ministry , ex:university ] .
# Residents take part beside the ministry: that engagement counts.
ex:residents a cdkg:Initiative ; dct:title "Residents too"@en ;
    cdkg:initiatedBy ex:nso ;
    cdkg:hasEngagement
        [ cdkg:stage stage:collection ; cdkg:participationLevel level:2 ;
          cdkg:engagedActor ex:ministry , ex:residents-group ] .
ex:nso a cdkg:NationalStatisticalOffice ; foaf:name "Statistics Office" .
ex:ministry a cdkg:GovernmentAgency ; foaf:name "Ministry" .
ex:university a cdkg:AcademicInstitution ; foaf:name "University" .
ex:residents-group a cdkg:CitizenGroup ; foaf:name "Residents' group" .
"""


def test_engagements_of_non_citizen_actors_count_for_nothing_in_the_queries(cli, tmp_path):
    import json

    data = tmp_path / "officials.ttl"
    data.write_text(NON_CITIZEN_ENGAGEMENTS, encoding="utf-8")
    store = str(tmp_path / "store")
    assert cli("load", "--store", store, str(data)).code == 0

    def rows(name: str) -> list[dict[str, str]]:
        result = cli("query", name, "--store", store, "--format", "json")
        assert result.code == 0, result.err
        answer = json.loads(result.out)["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in answer]

    profile = rows("participation-profile")
    assert {r["initiative"] for r in profile} == {"https://example.org/residents"}
    by_stage = rows("engagement-levels-by-stage")
    assert [(r["stage"].rsplit("/", 1)[-1], r["initiatives"]) for r in by_stage] == [
        ("collection", "1")
    ]
    coverage = rows("gsbpm-phase-coverage")
    assert coverage and all(r["initiatives"] == "1" for r in coverage)
    assert all(r["sufficientInitiatives"] == "0" for r in coverage)
    insufficient = rows("insufficient-participation-only")
    assert [r["initiative"] for r in insufficient] == ["https://example.org/residents"]
