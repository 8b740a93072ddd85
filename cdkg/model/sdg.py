"""The SDG code list shipped in ``ontology/vocab/sdg.ttl`` and a resolver for SDG codes.

Goals, targets and indicators are identified by the UN's own IRIs (DESIGN Contract 1):
goals ``http://metadata.un.org/sdg/5``, targets ``.../5.2``, indicators by their permanent
code ``.../C050201``. :func:`sdg_iri` accepts the ways people write them::

    >>> sdg_iri("SDG 5")
    'http://metadata.un.org/sdg/5'
    >>> sdg_iri("5.2.1")
    'http://metadata.un.org/sdg/C050201'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import pyoxigraph

from cdkg.model.resources import data_dir

SDG_BASE = "http://metadata.un.org/sdg/"
SDGO_BASE = "http://metadata.un.org/sdg/ontology#"
SCHEME_IRI = "http://metadata.un.org/sdg"

Kind = Literal["goal", "target", "indicator"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_KINDS: dict[str, Kind] = {
    f"{SDGO_BASE}Goal": "goal",
    f"{SDGO_BASE}Target": "target",
    f"{SDGO_BASE}Indicator": "indicator",
}
_PREFIX = re.compile(
    r"^(?:sdg|sdgs|goal|target|indicator|objective|objectif|objetivo|cible|meta|indicateur|indicador)"
    r"\s*[:#]?\s*",
    re.IGNORECASE,
)
_PERMANENT = re.compile(r"^C\d{2}[0-9A-Za-z]{2}\d{2}$", re.IGNORECASE)


class SdgCodeError(ValueError):
    """A string that is not the code or IRI of a known SDG goal, target or indicator."""


@dataclass(frozen=True)
class SdgConcept:
    """One goal, target or indicator of the shipped code list."""

    iri: str
    kind: Kind
    codes: tuple[str, ...]
    label: str
    broader: tuple[str, ...] = field(default=())

    @property
    def code(self) -> str:
        """The main compact code, e.g. ``"5.2.1"``."""
        return self.codes[0]


@dataclass(frozen=True)
class SdgCodeList:
    """The shipped code list: concepts by IRI and an index from every code to its IRI."""

    concepts: dict[str, SdgConcept]
    by_code: dict[str, str]

    def goals(self) -> list[SdgConcept]:
        return self._of("goal")

    def targets(self) -> list[SdgConcept]:
        return self._of("target")

    def indicators(self) -> list[SdgConcept]:
        return self._of("indicator")

    def _of(self, kind: Kind) -> list[SdgConcept]:
        return sorted((c for c in self.concepts.values() if c.kind == kind), key=lambda c: c.iri)


@lru_cache(maxsize=1)
def code_list() -> SdgCodeList:
    """Read ``ontology/vocab/sdg.ttl`` once (with Oxigraph's fast parser)."""
    data = (data_dir("ontology") / "vocab" / "sdg.ttl").read_bytes()
    kinds: dict[str, Kind] = {}
    codes: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    broader: dict[str, list[str]] = {}
    for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE):
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if not isinstance(s, pyoxigraph.NamedNode):
            continue
        iri = s.value
        if p == _RDF_TYPE and o.value in _KINDS:
            kinds[iri] = _KINDS[o.value]
        elif p == f"{_SKOS}notation" and isinstance(o, pyoxigraph.Literal):
            if o.datatype.value != f"{SDGO_BASE}SDGCodePerm":
                codes.setdefault(iri, []).append(o.value)
        elif p == f"{_SKOS}prefLabel" and isinstance(o, pyoxigraph.Literal):
            if o.language == "en":
                labels[iri] = o.value
        elif p == f"{_SKOS}broader" and isinstance(o, pyoxigraph.NamedNode):
            broader.setdefault(iri, []).append(o.value)
    concepts: dict[str, SdgConcept] = {}
    by_code: dict[str, str] = {}
    for iri, kind in kinds.items():
        own = tuple(sorted(codes.get(iri, []), key=_code_sort_key))
        concepts[iri] = SdgConcept(
            iri,
            kind,
            own,
            labels.get(iri, own[0] if own else iri),
            tuple(sorted(broader.get(iri, []))),
        )
        for code in own:
            by_code[code.lower()] = iri
        by_code[iri[len(SDG_BASE) :].lower()] = iri
    return SdgCodeList(concepts, by_code)


def _code_sort_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (10_000, p) for p in code.split("."))


def _normalise(code: str) -> str:
    text = code.strip()
    for scheme in ("https://", "http://"):
        base = scheme + SDG_BASE[len("http://") :]
        if text.lower().startswith(base.lower()):
            return text[len(base) :].strip("/")
    text = _PREFIX.sub("", text)
    text = text.strip().rstrip(".")
    # "05.02.01" (the UN's padded form) -> "5.2.1"
    parts = text.split(".")
    if all(parts) and not _PERMANENT.match(text):
        parts = [(p.lstrip("0") or "0") if p.isdigit() else p.lower() for p in parts]
        text = ".".join(parts)
    return text


def sdg_iri(code: str) -> str:
    """The IRI of an SDG goal, target or indicator, from any usual way of writing it.

    Accepts ``"SDG 5"``, ``"Goal 5"``, ``"5"``, ``"5.2"``, ``"5.a"``, ``"5.2.1"``,
    ``"C050201"``, ``"sdg:5.2"`` and the ``http://`` or ``https://`` IRI. Indicators shared
    by several targets resolve from each of their codes to one permanent-code IRI.
    Raises :class:`SdgCodeError` naming the code when it is not a known goal, target
    or indicator.
    """
    if not isinstance(code, str) or not code.strip():
        raise SdgCodeError("empty SDG code (give a goal, target or indicator, e.g. 5, 5.2, 5.2.1)")
    found = code_list().by_code.get(_normalise(code).lower())
    if found is None:
        raise SdgCodeError(
            f"unknown SDG code {code.strip()!r}: not a goal (1-17), target (e.g. 5.2) or "
            "indicator (e.g. 5.2.1 or C050201) of the global indicator framework"
        )
    return found


def sdg_concept(code: str) -> SdgConcept:
    """The shipped code-list entry for ``code`` (any form :func:`sdg_iri` accepts)."""
    return code_list().concepts[sdg_iri(code)]


def is_sdg_iri(iri: str) -> bool:
    """Whether ``iri`` is exactly the IRI of a known goal, target or indicator."""
    return iri in code_list().concepts
