"""What a registry holds: graphs, triples, initiatives by verdict and by type, the last
change."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cdkg.model.namespaces import CDKG
from cdkg.model.vocab import concepts
from cdkg.store.base import Store
from cdkg.store.layout import INFERRED_PREFIX, REGISTRY_GRAPH, VOCAB_GRAPH

_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
#: The notation of the verdict of the cases a description leaves open (Contract 3 rows 7–9).
TO_BE_ASSESSED = "to-be-assessed"

#: Every initiative of a registry: described as one, or classified as one (the
#: classification rules also classify the subjects of ``cdkg:initiatedBy``), as the
#: library query ``initiatives-by-type`` counts them.
_INITIATIVES = (
    f"SELECT DISTINCT ?i WHERE {{ {{ ?i a <{CDKG.Initiative}> }} "
    f"UNION {{ ?i <{CDKG.verdict}> ?any }} }}"
)


@dataclass
class TypeCount:
    """How many initiatives have one initiative type, and their verdicts."""

    #: The initiative type's concept IRI; None counts the initiatives that have no type
    #: (to be assessed, DESIGN Contract 3 rows 7 and 9).
    type: str | None
    label: str | None
    count: int
    #: Of these, how many have each verdict (by the verdict's notation, e.g.
    #: ``to-be-assessed``; ``none`` for initiatives stored without a verdict).
    verdicts: dict[str, int] = field(default_factory=dict)


@dataclass
class VerdictCount:
    """How many initiatives have one verdict."""

    #: The verdict's concept IRI; None counts initiatives stored without a verdict
    #: (classified by a release before the verdict scheme: load them again).
    verdict: str | None
    label: str | None
    count: int


@dataclass
class SourceGraph:
    graph: str
    source: str
    triples: int
    modified: str


@dataclass
class Status:
    store: str
    sources: int = 0
    triples: int = 0
    source_triples: int = 0
    inferred_triples: int = 0
    vocabulary_triples: int = 0
    initiatives: int = 0
    citizen_data: int = 0
    not_citizen_data: int = 0
    to_be_assessed: int = 0
    #: The three verdicts in the scheme's order (with zero counts), then initiatives
    #: without a verdict if there are any: the counts add up to ``initiatives``.
    by_verdict: list[VerdictCount] = field(default_factory=list)
    #: The types in their numbers' order, then the initiatives with no type (always
    #: listed): the counts add up to ``initiatives``.
    by_type: list[TypeCount] = field(default_factory=list)
    last_change: str | None = None
    graphs: list[SourceGraph] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _int(rows: list[dict[str, dict[str, str]]], var: str) -> int:
    return int(rows[0][var]["value"]) if rows and var in rows[0] else 0


def _notation(iri: str | None) -> str:
    """``citizen-data`` for the verdict concept IRI, ``none`` for no verdict."""
    return iri.rsplit("/", 1)[-1] if iri else "none"


def status(store: Store, *, list_graphs: bool = False) -> Status:
    """Counts and records of ``store``, read with SPARQL (so any backend answers)."""
    from cdkg.query.library import find, run  # the query library names the types

    report = Status(store.name)
    rows = store.query(
        "SELECT ?kind (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'BIND(IF(?g = <{VOCAB_GRAPH}>, "vocab", IF(?g = <{REGISTRY_GRAPH}>, "records", '
        f'IF(STRSTARTS(STR(?g), "{INFERRED_PREFIX}"), "inferred", "source"))) AS ?kind) }} '
        "GROUP BY ?kind"
    ).rows
    counts = {r["kind"]["value"]: int(r["n"]["value"]) for r in rows}
    report.triples = sum(counts.values())
    report.source_triples = counts.get("source", 0)
    report.inferred_triples = counts.get("inferred", 0)
    report.vocabulary_triples = counts.get("vocab", 0)
    records = store.query(
        f"SELECT ?g ?name ?n ?when WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ "
        f"?g <{_DCT}source> ?name ; <{_DCT}modified> ?when . "
        f"OPTIONAL {{ ?g <http://rdfs.org/ns/void#triples> ?n }} }} }} ORDER BY ?name"
    ).rows
    report.sources = len(records)
    if list_graphs:
        report.graphs = [
            SourceGraph(
                r["g"]["value"],
                r["name"]["value"],
                int(r["n"]["value"]) if "n" in r else 0,
                r["when"]["value"],
            )
            for r in records
        ]
    last = store.query(
        f"SELECT (MAX(?t) AS ?last) WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ "
        f"?a a <{_PROV}Activity> ; <{_PROV}endedAtTime> ?t }} }}"
    ).rows
    report.last_change = last[0]["last"]["value"] if last and "last" in last[0] else None
    report.initiatives = _int(
        store.query(f"SELECT (COUNT(?i) AS ?n) WHERE {{ {{ {_INITIATIVES} }} }}").rows, "n"
    )
    report.by_verdict = _by_verdict(store)
    counted = {_notation(v.verdict): v.count for v in report.by_verdict}
    report.citizen_data = counted.get("citizen-data", 0)
    report.not_citizen_data = counted.get("not-citizen-data", 0)
    report.to_be_assessed = counted.get(TO_BE_ASSESSED, 0)
    report.by_type = _by_type(run(store, find("initiatives-by-type")))
    return report


def _by_verdict(store: Store) -> list[VerdictCount]:
    """Initiatives per verdict: the scheme's three (zero where none), then those stored
    without one."""
    rows = store.query(
        f"SELECT ?verdict (COUNT(?i) AS ?n) WHERE {{ {{ {_INITIATIVES} }} "
        f"OPTIONAL {{ SELECT DISTINCT ?i ?verdict WHERE {{ ?i <{CDKG.verdict}> ?verdict }} }} }} "
        "GROUP BY ?verdict"
    ).rows
    found: dict[str | None, int] = {
        (r["verdict"]["value"] if "verdict" in r else None): int(r["n"]["value"]) for r in rows
    }
    out = [VerdictCount(c.iri, c.label, found.pop(c.iri, 0)) for c in concepts("verdict")]
    out += [
        VerdictCount(iri, None, n) for iri, n in sorted(found.items(), key=lambda kv: str(kv[0]))
    ]
    return out


def _by_type(rows: list[dict[str, dict[str, str]]]) -> list[TypeCount]:
    """The rows of ``initiatives-by-type`` (one per type and verdict) as one count per
    type, in the query's order, and the initiatives with no type last."""
    types: dict[str | None, TypeCount] = {None: TypeCount(None, None, 0)}
    for row in rows:
        kind = row["type"]["value"] if "type" in row else None
        label = row.get("label")
        entry = types.setdefault(kind, TypeCount(kind, label["value"] if label else None, 0))
        count = int(row["count"]["value"])
        verdict = _notation(row["verdict"]["value"] if "verdict" in row else None)
        entry.count += count
        entry.verdicts[verdict] = entry.verdicts.get(verdict, 0) + count
    untyped = types.pop(None)
    return [*types.values(), untyped]
