"""What the endpoint reads from a query's text before running it: its form, and whether
it asks the server to contact another (``SERVICE``), however the keyword is hidden."""

from __future__ import annotations

import pytest

from cdkg.serve.sparql import query_form, uses_service

S = "<http://127.0.0.1:9/sparql>"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE {S} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent {S} {{ ?s ?p ?o }} }}",
        # after a long string ending in an escaped backslash
        f'SELECT * {{ BIND("""x\\\\""" AS ?a) SERVICE {S} {{ ?s ?p ?o }} BIND("""y""" AS ?b) }}',
        # after "\u0022": one string as Oxigraph reads it, not the start of a long one
        f'SELECT * WHERE {{ BIND("\\u0022" AS ?a) SERVICE {S} {{ ?s ?p ?o }} BIND("""" AS ?b) }}',
        # spelt with escapes, as a parser that decodes them first reads it
        f"SELECT * WHERE {{ \\u0053ERVICE {S} {{ ?s ?p ?o }} }}",
        # after a comment ended by a bare carriage return
        f"SELECT * WHERE {{ # note\rSERVICE {S} {{ ?s ?p ?o }} }}",
        # quotes in comments hide nothing
        f"SELECT * WHERE {{ # '''\nSERVICE {S} {{ ?s ?p ?o }}\n# '''\n}}",
        # after an IRI holding a #
        f"SELECT * WHERE {{ ?s <http://ex.org/a#b> ?o . SERVICE {S} {{ ?s ?p ?o }} }}",
    ],
)
def test_a_service_clause_is_found(query: str) -> None:
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE' }",
        'SELECT * WHERE { ?s ?p """a SERVICE <x> { } """ }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <x> { }",
        "SELECT * WHERE { ?s <http://ex.org/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p '\\u0053ERVICE' }",
        "PREFIX ex: <http://ex.org/> SELECT * WHERE { ?s ex:service ?o }",
    ],
)
def test_service_in_a_string_comment_or_name_is_not_a_clause(query: str) -> None:
    assert not uses_service(query)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://ex.org/> SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("BASE <http://ex.org/> ASK { ?s ?p ?o }", "ASK"),
        ("# SELECT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://ex.org/SELECT>", "DESCRIBE"),
        ('PREFIX ex: <http://ex.org/a#> # """\nSELECT ?x WHERE { ?x ?p """a""" }', "SELECT"),
        ("INSERT DATA { <urn:a> <urn:p> 'SELECT' }", "UPDATE"),
    ],
)
def test_the_form_of_a_query(query: str, form: str) -> None:
    assert query_form(query) == form
