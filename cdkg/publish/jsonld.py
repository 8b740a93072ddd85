"""Compact JSON-LD for one resource, written directly from its triples.

The published ``.jsonld`` files (and the JSON-LD embedded in each page) use the terms of
the cdkg context (``ontology/context.jsonld``) where a term says exactly what a triple
says, and carry inline only the part of the context they use, so each file reads
offline and stays small. Where no term fits (another vocabulary, a value the term's
coercion does not cover) the key is a compact IRI with one of the context's prefixes,
or the full IRI, and the value an explicit ``@value``/``@id`` object: always the same
triples, whatever the data (the tests parse every file back and compare it with the
N-Triples).

This replaces a general JSON-LD compaction (rdflib's takes milliseconds per resource,
which is hours for a registry of 100,000 initiatives).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from cdkg.rdf.read import local_context

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    #: "@id", "@vocab", a datatype IRI, or None (no coercion).
    coercion: str | None
    #: The scoped ``@vocab`` of a ``"@type": "@vocab"`` term.
    vocab: str | None


class Compactor:
    """Compacts triples with a JSON-LD context made of prefixes and simple term definitions."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.prefixes: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for name, value in context.items():
            if name.startswith("@"):
                continue
            if isinstance(value, str) and value.startswith("@"):
                aliases[value] = name
            elif isinstance(value, str) and value.endswith(("/", "#")) and ":" in value:
                self.prefixes[name] = value
        self.id_key = aliases.get("@id", "@id")
        self.type_key = aliases.get("@type", "@type")
        self.terms_by_iri: dict[str, _Term] = {}
        self.classes: dict[str, str] = {}
        self.term_names = {n for n in context if not n.startswith("@")}
        for name, value in context.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(value, str) and not value.startswith("@"):
                iri = self.expand(value)
                self.classes.setdefault(iri, name)
                self.terms_by_iri.setdefault(iri, _Term(name, iri, None, None))
            elif isinstance(value, dict) and _simple(value):
                iri = self.expand(str(value["@id"]))
                coercion = value.get("@type")
                if coercion not in (None, "@id", "@vocab"):
                    coercion = self.expand(str(coercion))
                vocab = None
                scoped = value.get("@context")
                if isinstance(scoped, dict):
                    vocab = scoped.get("@vocab")
                if coercion == "@vocab" and not vocab:
                    continue
                self.terms_by_iri.setdefault(iri, _Term(name, iri, coercion, vocab))

    def expand(self, text: str) -> str:
        prefix, sep, rest = text.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return text

    # ------------------------------------------------------------------ writing

    def document(self, triples: Iterable[Triple], *, indent: int | None = 2) -> str:
        """The triples as one compact JSON-LD document with its (trimmed) context."""
        by_subject: dict[Term, list[tuple[Term, Term]]] = {}
        references: dict[Term, int] = {}
        for s, p, o in triples:
            by_subject.setdefault(s, []).append((p, o))
            if isinstance(o, ox.BlankNode):
                references[o] = references.get(o, 0) + 1
        used: set[str] = set()
        embedded = {
            b for b, n in references.items() if n == 1 and b in by_subject
        }  # blank nodes named once are written where they are named
        nodes: list[dict[str, Any]] = []
        done: set[Term] = set()
        roots = [s for s in by_subject if s not in embedded]
        roots.sort(key=lambda t: (isinstance(t, ox.BlankNode), t.value))
        for s in roots:
            nodes.append(self._node(s, by_subject, embedded, used, done, ()))
        for s in sorted(embedded - done, key=lambda t: t.value):  # cycles of blank nodes
            if s not in done:
                nodes.append(self._node(s, by_subject, set(), used, done, ()))
        doc: dict[str, Any] = {"@context": self._trimmed(used)}
        if len(nodes) == 1:
            doc.update(nodes[0])
        else:
            doc["@graph"] = nodes
        return json.dumps(doc, indent=indent, ensure_ascii=False)

    def _node(
        self,
        s: Term,
        by_subject: dict[Term, list[tuple[Term, Term]]],
        embedded: set[Term],
        used: set[str],
        done: set[Term],
        path: tuple[Term, ...],
    ) -> dict[str, Any]:
        done.add(s)
        node: dict[str, Any] = {}
        if isinstance(s, ox.NamedNode) or s not in embedded:
            node[self.id_key] = self._id(s)
            used.add(self.id_key)
        grouped: dict[str, list[Any]] = {}
        types: list[str] = []
        for p, o in sorted(by_subject.get(s, ()), key=_sort_key):
            if p.value == RDF_TYPE and isinstance(o, ox.NamedNode):
                name = self.classes.get(o.value)
                if name:
                    used.add(name)
                types.append(name or o.value)
                continue
            key, value = self._entry(p.value, o, used)
            if isinstance(o, ox.BlankNode) and o in embedded and o not in path and o not in done:
                value = self._node(o, by_subject, embedded, used, done, (*path, s))
            grouped.setdefault(key, []).append(value)
        if types:
            used.add(self.type_key)
            node[self.type_key] = types[0] if len(types) == 1 else types
        for key in sorted(grouped):
            values = grouped[key]
            node[key] = values[0] if len(values) == 1 else values
        return node

    def _id(self, t: Term) -> str:
        return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value

    def _entry(self, p: str, o: Term, used: set[str]) -> tuple[str, Any]:
        term = self.terms_by_iri.get(p)
        if term is not None:
            value = self._coerced(term, o)
            if value is not None:
                used.add(term.name)
                return term.name, value
        return self._key(p, used), self._explicit(o)

    def _coerced(self, term: _Term, o: Term) -> Any:
        if term.coercion in ("@id", "@vocab"):
            if not isinstance(o, ox.NamedNode):
                return None
            iri = o.value
            if term.vocab and iri.startswith(term.vocab):
                short = iri[len(term.vocab) :]
                if short and _plain_name(short) and short not in self.term_names:
                    return short
            return iri if ":" in iri and not self._looks_compact(iri) else None
        if not isinstance(o, ox.Literal):
            return self._explicit(o)
        if term.coercion is None:
            if o.language or o.datatype.value != XSD_STRING:
                return self._explicit(o)
            return o.value
        return o.value if o.datatype.value == term.coercion and not o.language else None

    def _looks_compact(self, iri: str) -> bool:
        prefix, _sep, rest = iri.partition(":")
        return prefix in self.term_names and not rest.startswith("//")

    def _key(self, p: str, used: set[str]) -> str:
        best = ""
        for name, ns in self.prefixes.items():
            if p.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                local = p[len(ns) :]
                if local and _plain_name(local) and f"{name}:{local}" not in self.term_names:
                    best = name
        if best:
            used.add(best)
            return f"{best}:{p[len(self.prefixes[best]) :]}"
        return p

    def _explicit(self, o: Term) -> dict[str, str]:
        if isinstance(o, ox.Literal):
            if o.language:
                return {"@value": o.value, "@language": o.language}
            if o.datatype.value == XSD_STRING:
                return {"@value": o.value}
            return {"@value": o.value, "@type": o.datatype.value}
        return {"@id": self._id(o)}

    def _trimmed(self, used: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"@version": self.context.get("@version", 1.1)}
        needed = set(used)
        for name in list(used):
            value = self.context.get(name)
            texts = [value] if isinstance(value, str) else []
            if isinstance(value, dict):
                texts = [str(v) for k, v in value.items() if k in ("@id", "@type")]
            for text in texts:
                prefix = text.partition(":")[0]
                if prefix in self.prefixes:
                    needed.add(prefix)
        for name, value in self.context.items():
            if name in needed:
                out[name] = value
        return out


def _simple(definition: dict[str, Any]) -> bool:
    """A term definition this writer understands: ``@id``, ``@type``, a scoped ``@vocab``."""
    if set(definition) - {"@id", "@type", "@context"}:
        return False
    scoped = definition.get("@context")
    return "@id" in definition and (
        scoped is None or (isinstance(scoped, dict) and set(scoped) == {"@vocab"})
    )


def _plain_name(text: str) -> bool:
    return not any(c in text for c in ":/#?@ ") and not text.startswith("_")


def _sort_key(po: tuple[Term, Term]) -> tuple[str, int, str]:
    p, o = po
    return (p.value, 0 if isinstance(o, ox.NamedNode) else 1, o.value)


@lru_cache(maxsize=1)
def compactor() -> Compactor:
    """The compactor for the cdkg context."""
    return Compactor(local_context())
