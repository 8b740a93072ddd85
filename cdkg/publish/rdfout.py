"""One resource's triples as Turtle, N-Triples and JSON-LD, without rdflib.

Turtle and N-Triples come from Oxigraph's serialisers (Turtle with the cdkg prefixes
the resource uses), JSON-LD from :mod:`cdkg.publish.jsonld`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from cdkg.model.namespaces import PREFIXES
from cdkg.publish.jsonld import Triple, compactor

_PREFIXES = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
_STEMS: dict[str, tuple[str, str] | None] = {}


def _prefix_of(iri: str) -> tuple[str, str] | None:
    """The (name, namespace) of the longest cdkg prefix ``iri`` starts with."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    stem = iri[:cut]
    if stem in _STEMS:
        return _STEMS[stem]
    found = None
    for ns, name in _PREFIXES:
        if stem.startswith(ns):
            found = (name, ns)
            break
    if len(_STEMS) < 100_000:
        _STEMS[stem] = found
    return found


def _used_prefixes(triples: Sequence[Triple]) -> dict[str, str]:
    used: dict[str, str] = {}
    for s, p, o in triples:
        for t in (s, p, o):
            if isinstance(t, ox.NamedNode):
                found = _prefix_of(t.value)
            elif isinstance(t, ox.Literal) and not t.language:
                found = _prefix_of(t.datatype.value)
            else:
                continue
            if found:
                used[found[0]] = found[1]
    return dict(sorted(used.items()))


def _ox_triples(triples: Sequence[Triple]) -> list[ox.Triple]:
    return [ox.Triple(s, p, o) for s, p, o in triples]  # type: ignore[arg-type]


def turtle(triples: Sequence[Triple]) -> bytes:
    out = ox.serialize(
        _ox_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=_used_prefixes(triples)
    )
    assert out is not None
    return out


def ntriples(triples: Sequence[Triple]) -> bytes:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")


def jsonld(triples: Sequence[Triple]) -> str:
    return compactor().document(triples)
