"""The classification a registry store holds for its initiatives, in words for a table.

``cdkg export --format xlsx|csv`` writes it in read-only columns beside the editable
ones: the verdict, the initiative type, the reasons and, for a verdict still to be
assessed, the facts that would decide it. All are read from the store's inferred graphs,
where ``cdkg load`` wrote them (:mod:`cdkg.classify.stored`: the words ``cdkg classify``
gives), not worked out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDF

from cdkg.model.namespaces import CDKG, VERDICT
from cdkg.model.vocab import concepts
from cdkg.store.base import Store

__all__ = ["StoredVerdict", "stored_verdicts"]

_TO_BE_ASSESSED: URIRef = VERDICT["to-be-assessed"]


@dataclass(frozen=True)
class StoredVerdict:
    """One initiative's stored classification, as a table shows it."""

    #: The verdict's label (``Citizen data``, ``Not citizen data``, ``To be assessed``).
    verdict: str
    #: The initiative type's label and number (``Civic action (type 1)``), or empty
    #: where the classification gives none.
    initiative_type: str
    #: The facts that would decide a to-be-assessed verdict, one sentence each.
    missing: tuple[str, ...] = ()
    #: Why the registry gives this verdict and type, one sentence each.
    reasons: tuple[str, ...] = ()


def stored_verdicts(store: Store) -> dict[str, StoredVerdict]:
    """The stored classification of every classified initiative, by IRI. An initiative
    stored with two verdicts or types (described differently in two sources) shows them
    all, joined by ``; ``."""
    rows = store.query(
        f"SELECT DISTINCT ?initiative ?verdict ?type WHERE {{ "
        f"?initiative <{CDKG.verdict}> ?verdict "
        f"OPTIONAL {{ ?initiative <{CDKG.initiativeType}> ?type }} }}"
    ).rows
    verdicts: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for row in rows:
        if row["initiative"]["type"] != "uri":
            continue
        iri = row["initiative"]["value"]
        verdicts.setdefault(iri, set()).add(row["verdict"]["value"])
        if "type" in row:
            types.setdefault(iri, set()).add(row["type"]["value"])
    verdict_words = {c.iri: c.label for c in concepts("verdict")}
    type_words = {c.iri: (c.label, c.notation) for c in concepts("initiative-type")}
    missing = _sentences(store, CDKG.missingFact)
    reasons = _sentences(store, CDKG.reason)
    out = {}
    for iri, found in verdicts.items():
        named = sorted(verdict_words.get(v, v) for v in found)
        kinds = [type_words.get(t, (t, "")) for t in sorted(types.get(iri, ()))]
        out[iri] = StoredVerdict(
            verdict="; ".join(named),
            initiative_type="; ".join(
                f"{label} (type {number})" if number else label for label, number in kinds
            ),
            missing=missing.get(iri, ())
            if str(_TO_BE_ASSESSED) not in found or iri in missing
            else (_NOT_STORED,),
            reasons=reasons.get(iri, ()),
        )
    return out


_NOT_STORED = (
    "Not stored with this verdict (loaded by an older cdkg): load the description again, "
    "or run cdkg classify, to see what would decide it."
)


def _sentences(store: Store, prop: URIRef) -> dict[str, tuple[str, ...]]:
    """The stored sentences (``prop``: reasons or missing facts) of each initiative, in
    order."""
    rows = store.query(
        f"SELECT ?initiative ?position ?text WHERE {{ "
        f"?initiative <{prop}> ?fact . ?fact <{RDF.value}> ?text "
        f"OPTIONAL {{ ?fact <{CDKG.position}> ?position }} }}"
    ).rows
    found: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        if row["initiative"]["type"] != "uri":
            continue
        position = row.get("position", {}).get("value", "0")
        rank = int(position) if position.isdigit() else 0
        found.setdefault(row["initiative"]["value"], []).append((rank, row["text"]["value"]))
    return {iri: tuple(text for _r, text in sorted(set(items))) for iri, items in found.items()}
