"""The fast engine's reading of SPARQL text: what it refuses to pre-bind and how it splits
a query, with IRIs, strings and comments that hold its keywords or braces."""

from __future__ import annotations

import pytest

from cdkg.validate.fast.sparql_text import Unsupported, check_prebindable, split_construct

EX = "<http://ex.org/ns#p>"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT $this WHERE {{ $this {EX} ?x . VALUES ?x {{ 1 }} }}",
        f"SELECT $this WHERE {{ $this {EX} ?x . MINUS {{ ?x {EX} 1 }} }}",
        "SELECT $this WHERE { $this ?p '''a\\\\''' . VALUES ?x { 1 } }",
        "SELECT $this WHERE { $this ?p ?x # note\rVALUES ?x { 1 } }",
        "SELECT $this WHERE { $this ?p ?x . { SELECT ?x WHERE { ?x ?q ?y } } }",
    ],
)
def test_what_cannot_be_prebound_is_refused(query: str) -> None:
    with pytest.raises(Unsupported):
        check_prebindable(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT $this WHERE { $this ?p 'VALUES SELECT' }",
        "SELECT $this WHERE { $this ?p ?x } # MINUS { }",
        "SELECT $this WHERE { $this <http://ex.org/VALUES> ?x }",
        "PREFIX ex: <http://ex.org/> SELECT $this WHERE { $this ex:it\\'s 'SELECT' }",
    ],
)
def test_keywords_outside_code_are_not_refused(query: str) -> None:
    check_prebindable(query)


def test_a_construct_is_split_at_its_own_braces() -> None:
    query = (
        f"PREFIX ex: <http://ex.org/ns#> CONSTRUCT {{ ?s {EX} '}}' }} "
        f'WHERE {{ ?s {EX} """{{""" }}'
    )
    prologue, template, where = split_construct(query)
    assert prologue == "PREFIX ex: <http://ex.org/ns#> "
    assert template == f" ?s {EX} '}}' "
    assert where == f' WHERE {{ ?s {EX} """{{""" }}'
