"""Compile SHACL shapes (Core, SPARQL constraints, SPARQL rules) into whole-store SPARQL.

Every constraint becomes a query *template*: a function of a focus block, i.e. a group
pattern that binds ``?this`` to the focus nodes — the shape's targets for a top-level
run, or the value nodes of an enclosing shape for ``sh:node`` and the logical
constraints. Queries project ``?this`` and, where the constraint has value nodes,
``?value``; so one query answers a constraint for every focus node of the store.

What is compiled (the fast engine's claim, checked by the W3C suite and differential
tests): targets (``sh:targetClass`` with ``rdfs:subClassOf*``, implicit class targets,
``targetNode``, ``targetSubjectsOf``, ``targetObjectsOf``); every SHACL path form;
``class``, ``datatype``, ``nodeKind``, ``minCount``, ``maxCount``, ``minLength``,
``maxLength``, ``pattern``, ``languageIn``, ``uniqueLang``, ``in``, ``hasValue``,
``min/maxInclusive``, ``min/maxExclusive``, ``equals``, ``disjoint``, ``lessThan``,
``lessThanOrEquals``, ``closed``, ``node``, ``not``, ``and``, ``or``, ``xone``,
SPARQL-based constraints (``sh:select``) and SPARQL rules (``sh:construct``).
Anything else raises :class:`~cdkg.validate.fast.sparql_text.Unsupported` for that shape, and the
engine hands the shape to the reference engine. So do the cases Oxigraph cannot answer
term by term: ``sh:datatype`` xsd:integer or an integer-derived type (the store keeps them
all as xsd:integer), literal constants the store keeps only in canonical form ("4.0"
decimal, "1" boolean) in targets, ``sh:in`` and ``sh:hasValue``, ``sh:property`` on a
property shape, and ``$this`` read by a filter of a nested group of a SPARQL query.

The modules follow the SHACL Recommendation:

* :mod:`.compiler` — the :class:`Compiler`: shapes, targets (§2.1.3), paths (§2.3.1),
  what is refused, and :data:`~.compiler.COMPONENTS`, the table from each constraint
  component to the function that compiles it;
* :mod:`.base` — what a compiled shape is (:class:`Shape`, :class:`Check`, :data:`F`);
* one module per family of constraint components: :mod:`.value_type` (§4.1),
  :mod:`.cardinality` (§4.2), :mod:`.value_range` (§4.3), :mod:`.string_based` (§4.4),
  :mod:`.property_pair` (§4.5), :mod:`.logical` (§4.6), :mod:`.shape_based` (§4.7),
  :mod:`.other` (§4.8), and :mod:`.sparql` for SPARQL-based constraints (§5);
* :mod:`.rules` — SPARQL rules (SHACL Advanced Features).
"""

from __future__ import annotations

from rdflib.term import BNode

from cdkg.validate.fast.compile.base import Check, F, Shape
from cdkg.validate.fast.compile.compiler import Compiler
from cdkg.validate.fast.compile.rules import Rule

__all__ = ["BNode", "Check", "Compiler", "F", "Rule", "Shape"]
