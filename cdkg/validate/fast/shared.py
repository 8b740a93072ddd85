"""Sub-selects that several rule queries share, computed once per run of the rules.

Every compiled rule query joins its shape's focus block, and decorrelation
(:func:`cdkg.validate.fast.sparql_text.decorrelate`) turns each ``FILTER [NOT] EXISTS`` into a
``{ SELECT DISTINCT ?this WHERE { … } }`` group. Rules of one shape often test the same
things: the six taxonomy rules all join their focus block and "initiated by a
citizen-side actor"; "a non-citizen initiator", "a national statistical office among the
initiators" and "engaged at level 4 or more in design or collection" recur in two or
three of them. Oxigraph evaluates such a group again in every query that contains it: at
100,000 initiatives the rule queries spent most of their 10.6 CPU-seconds doing so.

Such a group is a closed sub-query: its solutions are a set of ``?this`` values, whatever
surrounds it. So a group that two or more rule queries of a run contain is computed once,
inside the store (``INSERT … WHERE``), as marker triples
``<urn:cdkg:fast:shared:RUN> <urn:cdkg:fast:shared:RUN:N> ?this``, and those queries read
``{ <urn:cdkg:fast:shared:RUN> <urn:cdkg:fast:shared:RUN:N> ?this }`` instead: the same
solutions, as long as the store has not changed in between. This module finds the groups
and plans which to compute when; :class:`cdkg.validate.fast.engine.Engine` computes them, rewrites
the queries and removes the markers.

What keeps the answers exact:

* **Staleness.** A computed group stays in use only while no rule that ran since may
  write what it reads (the conservative analysis of :mod:`cdkg.validate.fast.depends`, as for
  running rules at once); after such a rule, later queries get a new computation (if two
  or more of them contain the group) or the group as written.
* **Where a group can be replaced**: anywhere a group pattern stands, but not inside
  ``EXISTS`` (evaluated with the outer solution substituted, where a sub-select and a
  triple pattern need not agree), and not in a query naming graphs (``GRAPH``, ``FROM``,
  ``SERVICE``), where the marker pattern would read another graph. Groups are compared as
  text, with the query's prologue (its prefixes and base give the text its meaning).
* **No one sees a marker.** Marker triples are in the data the queries read while the
  rules run, so the engine shares nothing when a query of the rules may read any
  predicate (a variable predicate or negated property set: a marker could match), when
  a rule has ``sh:condition`` (the condition's constraint queries run meanwhile), or
  when a rule writes class or property hierarchy triples (the subclass closure the
  analysis relies on is computed once, before the rules run). The markers are removed
  when the rules are done, before any constraint runs, and never reach an outcome.
* **Terms.** The value is the marker's object, so IRIs, blank nodes and literals are kept
  as they are (an Oxigraph store keeps a blank node's identity); a group with a solution
  where ``?this`` is unbound is read as written. A SPARQL endpoint cannot be told about a
  blank node it holds, and removing the markers again needs more than the ``Backend``
  protocol: the engine shares groups on an Oxigraph store only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cdkg.rdf.sparql_lexer import mask_sparql
from cdkg.validate.fast.depends import Reads, Writes, depends
from cdkg.validate.fast.sparql_text import _matching_brace

#: ``(prologue, group text)``: the same key means the same solutions over the same store.
Key = tuple[str, str]

_GROUP = re.compile(r"\{\s*SELECT\s+DISTINCT\s+\?this\s+WHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_NAMES_GRAPHS = re.compile(r"\b(GRAPH|FROM|SERVICE)\b", re.IGNORECASE)
_EXISTS_OPEN = re.compile(r"\bEXISTS\s*$", re.IGNORECASE)


def groups(query: str) -> list[tuple[int, int, Key]]:
    """The ``{ SELECT DISTINCT ?this WHERE { … } }`` groups of ``query`` that could be
    replaced: ``(start, end, key)``, outer groups before the groups inside them."""
    code = mask_sparql(query)
    first = _SELECT.search(code)
    if first is None or _NAMES_GRAPHS.search(code):
        return []
    prologue = query[: first.start()]
    found = []
    for m in _GROUP.finditer(code):
        start = m.start()
        if any(_EXISTS_OPEN.search(code, 0, i) for i in _enclosing(code, start)):
            continue
        end = _matching_brace(code, start) + 1
        found.append((start, end, (prologue, query[start:end])))
    return found


def names_graphs(query: str) -> bool:
    """Whether ``query`` names a graph (``GRAPH``, ``FROM``, ``SERVICE``) outside its
    comments, strings and IRIs."""
    return _NAMES_GRAPHS.search(mask_sparql(query)) is not None


def _enclosing(code: str, at: int) -> list[int]:
    """Positions of the ``{`` of the groups around position ``at``."""
    stack: list[int] = []
    for i in range(at):
        if code[i] == "{":
            stack.append(i)
        elif code[i] == "}" and stack:
            stack.pop()
    return stack


def group_query(key: Key) -> str:
    """A SELECT of the solutions of the group ``key``."""
    prologue, group = key
    return f"{prologue}SELECT ?this WHERE {{ {group} }}"


@dataclass
class Plan:
    """Which groups are computed before which batch of rules, and where they are read."""

    #: the subject of every marker triple (``<iri>``)
    subject: str = ""
    #: batch index → the groups to compute just before it, with their marker IRIs
    compute: dict[int, list[tuple[Key, str]]] = field(default_factory=dict)
    #: batch index → group → the marker IRI its queries read instead
    use: dict[int, dict[Key, str]] = field(default_factory=dict)

    def discard(self, marker: str) -> None:
        """Read the group of ``marker`` as written after all (it could not be computed)."""
        for used in self.use.values():
            for key in [k for k, m in used.items() if m == marker]:
                del used[key]

    def rewrite(self, batch: int, query: str) -> str:
        """``query`` (of batch ``batch``) reading the markers of its computed groups."""
        used = self.use.get(batch)
        if not used:
            return query
        out, last = [], 0
        for start, end, key in groups(query):
            marker = used.get(key)
            if marker is None or start < last:  # not computed, or inside a replaced group
                continue
            out += [query[last:start], f"{{ {self.subject} <{marker}> ?this }}"]
            last = end
        out.append(query[last:])
        return "".join(out)


def plan(
    batches: Sequence[Sequence[str]],
    written: Sequence[Sequence[Writes]],
    read: Callable[[Key], Reads],
    superclasses: Callable[[str], set[str]],
    subject: str,
    marker: Callable[[int], str],
) -> Plan:
    """Plan the shared groups of a run of the rules.

    ``batches`` holds the queries of each batch (run over the same store, in order) and
    ``written`` what each batch's rules may write. A group's *generation* is its
    occurrences from one batch on, until a batch that may write what the group reads
    (that batch's own queries still read the store before its writes). A generation
    that two or more queries read is computed before its first batch.
    """
    current: dict[Key, list[int]] = {}
    generations: list[tuple[Key, list[int]]] = []
    for i, queries in enumerate(batches):
        for query in queries:
            for key in {key for _s, _e, key in groups(query)}:
                current.setdefault(key, []).append(i)
        for key in list(current):
            if any(depends(read(key), made, superclasses) for made in written[i]):
                generations.append((key, current.pop(key)))
    generations += current.items()
    out = Plan(subject)
    shared = [(key, uses) for key, uses in generations if len(uses) >= 2]
    for n, (key, uses) in enumerate(shared):
        iri = marker(n)
        out.compute.setdefault(uses[0], []).append((key, iri))
        for i in uses:
            out.use.setdefault(i, {})[key] = iri
    return out
