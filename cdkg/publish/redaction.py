"""Personal contact data withheld from a published registry, decided from a snapshot.

:func:`cdkg.render.privacy.withheld` decides over rdflib triples; converting a whole registry
(millions of triples) to rdflib terms takes longer than publishing it. It only looks at
some triples, though, and :func:`withheld_in` hands it exactly those:

* every ``rdfs:subClassOf`` triple (which classes are classes of individuals);
* every ``rdf:type`` triple whose class is a class of individuals or of consent records;
* all triples of the individuals, of the consent records, and of every node reachable
  from an individual's contact property values (the descriptions withheld with them).

The people, the consents and the descriptions :func:`~cdkg.render.privacy.withheld` finds in
that subset are those it finds in the whole registry (each subject it looks at has all
its triples there), so the result is the same; a test checks it against the whole graph.
A registry without individuals costs one pass over its types.
"""

from __future__ import annotations

from collections import deque

import pyoxigraph as ox
from rdflib import RDF, RDFS
from rdflib.term import Node

from cdkg.publish.jsonld import Term, Triple
from cdkg.rdf.closure import closure
from cdkg.rdf.terms import to_rdflib
from cdkg.render.privacy import (
    CONSENT_TYPES,
    CONTACT_PROPERTIES,
    PERSON_CLASSES,
    Redaction,
    withheld,
)

PO = tuple[Term, Term]

_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_CONSENT = frozenset(ox.NamedNode(str(c)) for c in CONSENT_TYPES)
_CONTACT = frozenset(ox.NamedNode(str(p)) for p in CONTACT_PROPERTIES)


def withheld_in(out: dict[Term, set[PO]]) -> tuple[Redaction, set[Triple]]:
    """What :func:`cdkg.render.privacy.withheld` withholds from the triples ``out`` holds
    (subject -> its (predicate, object) pairs), and those triples as Oxigraph terms."""
    narrower: dict[Term, set[Term]] = {}
    for s, pairs in out.items():
        for p, o in pairs:
            if p == _SUBCLASS:
                narrower.setdefault(o, set()).add(s)
    person_classes = closure({ox.NamedNode(str(c)) for c in PERSON_CLASSES}, narrower)
    people: set[Term] = set()
    records: set[Term] = set()
    for s, pairs in out.items():
        for p, o in pairs:
            if p == _TYPE:
                if o in person_classes:
                    people.add(s)
                elif o in _CONSENT:
                    records.add(s)
    if not people:
        return Redaction(), set()
    subjects = set(people) | records
    queue = deque(o for s in people for p, o in out.get(s, ()) if p in _CONTACT)
    while queue:
        node = queue.popleft()
        if node in subjects or isinstance(node, ox.Literal):
            continue
        subjects.add(node)
        queue.extend(o for _p, o in out.get(node, ()))
    # rdflib triple -> the stored triple (rdflib normalises some literals' lexical forms)
    subset: dict[tuple[Node, Node, Node], Triple] = {}
    for s, pairs in out.items():
        for p, o in pairs:
            if (
                s in subjects
                or p == _SUBCLASS
                or (p == _TYPE and (o in person_classes or o in _CONSENT))
            ):
                subset[(to_rdflib(s), to_rdflib(p), to_rdflib(o))] = (s, p, o)
    redaction = withheld(subset)
    return redaction, {subset[t] for t in redaction.triples}
