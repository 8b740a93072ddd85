"""String-based constraint components (SHACL §4.4): ``sh:minLength``, ``sh:maxLength``,
``sh:pattern`` (with ``sh:flags``), ``sh:languageIn``, ``sh:uniqueLang``.

Lengths and patterns read ``STR(?value)``, and a blank node violates them, as §4.4
requires. ``sh:uniqueLang`` is compiled for property shapes only (the compiler refuses
it on a node shape), and only where its value is ``true`` (``"1"^^xsd:boolean`` is not).
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.collection import Collection
from rdflib.term import Literal

from cdkg.validate.fast.compile.base import Check, F, Shape, integer, value_check
from cdkg.validate.fast.sparql_text import term


def min_length(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:minLength`` (§4.4.1)."""
    for n in g.objects(s.node, SH.minLength):
        yield value_check(
            s,
            SH.MinLengthConstraintComponent,
            f"isBlank(?value) || STRLEN(STR(?value)) < {integer(n)}",
        )


def max_length(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:maxLength`` (§4.4.2)."""
    for n in g.objects(s.node, SH.maxLength):
        yield value_check(
            s,
            SH.MaxLengthConstraintComponent,
            f"isBlank(?value) || STRLEN(STR(?value)) > {integer(n)}",
        )


def pattern(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:pattern`` (§4.4.3), with the shape's ``sh:flags``."""
    for pat in g.objects(s.node, SH.pattern):
        flags = g.value(s.node, SH.flags)
        args = term(Literal(str(pat))) + (f", {term(Literal(str(flags)))}" if flags else "")
        yield value_check(
            s, SH.PatternConstraintComponent, f"isBlank(?value) || !REGEX(STR(?value), {args})"
        )


def language_in(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:languageIn`` (§4.4.4)."""
    for lst in g.objects(s.node, SH.languageIn):
        tags = [str(t) for t in Collection(g, lst)]
        ok = " || ".join(f"LANGMATCHES(LANG(?value), {term(Literal(t))})" for t in tags)
        yield value_check(
            s, SH.LanguageInConstraintComponent, f"!isLiteral(?value) || !({ok or 'false'})"
        )


def unique_lang(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:uniqueLang`` (§4.4.5): no two value nodes share a (non-empty) language tag."""
    if s.is_property and g.value(s.node, SH.uniqueLang) == Literal(True):
        yield Check(
            SH.UniqueLangConstraintComponent,
            "query",
            (
                f"SELECT DISTINCT ?this WHERE {{\n{F}\n"
                f"?this {s.path} ?a . ?this {s.path} ?b .\n"
                "FILTER (!sameTerm(?a, ?b) && LANG(?a) != ''\n"
                "        && LCASE(LANG(?a)) = LCASE(LANG(?b)))\n}"
            ),
            has_value=False,
        )
