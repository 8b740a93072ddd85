"""What a registry holds: graphs, triples, initiatives by type, the last change."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cdkg.model.namespaces import CDKG
from cdkg.store.base import Store
from cdkg.store.layout import INFERRED_PREFIX, REGISTRY_GRAPH, VOCAB_GRAPH

_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"


@dataclass
class TypeCount:
    type: str
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
    by_type: list[TypeCount] = field(default_factory=list)
    last_change: str | None = None
    graphs: list[SourceGraph] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _int(rows: list[dict[str, dict[str, str]]], var: str) -> int:
    return int(rows[0][var]["value"]) if rows and var in rows[0] else 0


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
        store.query(f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a <{CDKG.Initiative}> }}").rows,
        "n",
    )
    report.citizen_data = _int(
        store.query(
            f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i <{CDKG.isCitizenData}> true }}"
        ).rows,
        "n",
    )
    for row in run(store, find("initiatives-by-type")):
        label = row.get("label")
        report.by_type.append(
            TypeCount(
                row["type"]["value"], label["value"] if label else None, int(row["count"]["value"])
            )
        )
    return report
