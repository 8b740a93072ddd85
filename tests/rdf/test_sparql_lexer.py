"""The SPARQL lexer: what is code, a string, a comment or an IRI, as the grammar reads it."""

from __future__ import annotations

import pytest

from cdkg.rdf.sparql_lexer import mask_sparql, tokens

#: (text, its pieces as (kind, text)), covering the text in order.
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # long strings: an escaped backslash right before the closing quotes closes them
    ('"""x\\\\""" SERVICE', [("string", '"""x\\\\"""'), ("code", " SERVICE")]),
    ("'''x\\\\''' SERVICE", [("string", "'''x\\\\'''"), ("code", " SERVICE")]),
    # an escaped quote does not close a long string; one or two quotes are content
    ('"""a\\"""" ?x', [("string", '"""a\\""""'), ("code", " ?x")]),
    ('"""a""b"c""" ?x', [("string", '"""a""b"c"""'), ("code", " ?x")]),
    # the first three quotes close it; a fourth opens a new (short) string
    ("'''a'''' SERVICE '", [("string", "'''a'''"), ("string", "' SERVICE '")]),
    # a \u escape is not decoded: "\u0022" is one complete string of eight characters
    ('"\\u0022" SERVICE', [("string", '"\\u0022"'), ("code", " SERVICE")]),
    ("'\\u0027' SERVICE", [("string", "'\\u0027'"), ("code", " SERVICE")]),
    # short strings: escapes, the other quote, an escaped backslash before the quote
    ('"a\\"b" ?x', [("string", '"a\\"b"'), ("code", " ?x")]),
    ('"it\'s" ?x', [("string", '"it\'s"'), ("code", " ?x")]),
    ('"a\\\\" SERVICE "b"', [("string", '"a\\\\"'), ("code", " SERVICE "), ("string", '"b"')]),
    ("\"\" ''", [("string", '""'), ("code", " "), ("string", "''")]),
    ("\"\"\"\"\"\" ''''''", [("string", '""""""'), ("code", " "), ("string", "''''''")]),
    # a short string cannot cross a line: an unterminated one ends at the line's end
    ("'a\nSERVICE", [("string", "'a"), ("code", "\nSERVICE")]),
    ('"a\rSERVICE', [("string", '"a'), ("code", "\rSERVICE")]),
    # an unterminated long string runs to the end of the text
    ('"""never closed\n SERVICE', [("string", '"""never closed\n SERVICE')]),
    ("'x\\", [("string", "'x\\")]),
    # comments: to the end of the line, at \n or \r; quotes and IRIs inside are comment
    ('?x # "not a string\n?y', [("code", "?x "), ("comment", '# "not a string'), ("code", "\n?y")]),
    ("# c\rSERVICE", [("comment", "# c"), ("code", "\rSERVICE")]),
    ("# <http://x> '''\nSERVICE", [("comment", "# <http://x> '''"), ("code", "\nSERVICE")]),
    ("?x #", [("code", "?x "), ("comment", "#")]),
    # but a # inside a string, an IRI or escaped in a prefixed name is not a comment
    ('"#" ?x', [("string", '"#"'), ("code", " ?x")]),
    ("<http://ex.org/a#b> SERVICE", [("iri", "<http://ex.org/a#b>"), ("code", " SERVICE")]),
    ("ex:a\\#b SERVICE", [("code", "ex:a\\#b SERVICE")]),
    # IRIs: a quote inside one is part of it; an escaped quote in code is code
    ("<http://x/it's> 'x'", [("iri", "<http://x/it's>"), ("code", " "), ("string", "'x'")]),
    ("ex:it\\'s 'y'", [("code", "ex:it\\'s "), ("string", "'y'")]),
    # a < that cannot start an IRI is the less-than operator
    ("FILTER(?a < ?b && ?c > 2)", [("code", "FILTER(?a < ?b && ?c > 2)")]),
    ("?a<?b>", [("code", "?a"), ("iri", "<?b>")]),
    ("<a b>", [("code", "<a b>")]),
    ("PREFIX : <>", [("code", "PREFIX : "), ("iri", "<>")]),
    ("", []),
]


@pytest.mark.parametrize(("text", "pieces"), CASES, ids=[repr(c[0]) for c in CASES])
def test_the_pieces_of_a_text(text: str, pieces: list[tuple[str, str]]) -> None:
    found = list(tokens(text))
    assert [(t.kind, text[t.start : t.end]) for t in found] == pieces
    assert [t.start for t in found[1:]] == [t.end for t in found[:-1]]  # no gap, no overlap
    assert sum(t.end - t.start for t in found) == len(text)


@pytest.mark.parametrize(("text", "pieces"), CASES, ids=[repr(c[0]) for c in CASES])
def test_masking_keeps_code_in_place(text: str, pieces: list[tuple[str, str]]) -> None:
    masked = mask_sparql(text)
    assert len(masked) == len(text)
    assert masked == "".join(p if kind == "code" else " " * len(p) for kind, p in pieces)


def test_a_query() -> None:
    query = (
        "PREFIX ex: <http://ex.org/ns#>\n"
        "SELECT ?x WHERE { # find { them }\n"
        '  ?x ex:note """a } "quoted" { b""" ; ex:tag \'#x\' .\n'
        "}"
    )
    masked = mask_sparql(query)
    assert masked.count("{") == masked.count("}") == 1
    assert "ex:note" in masked and "ex:tag" in masked and "PREFIX ex:" in masked
    assert "quoted" not in masked and "#" not in masked and "http" not in masked
