"""The demo behind the README's first command: the whole pipeline over ``examples/``.

1. load the examples into an embedded Oxigraph store (one named graph per file;
   re-running replaces them, so the demo is idempotent);
2. validate and classify what is stored, with the reference engine;
3. publish the store as a static linked-data site;
4. print a summary table and where to look next.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from cdkg.classify.verdicts import ClassificationReport, classify
from cdkg.load.loader import LoadReport, load
from cdkg.model.labels import Labels
from cdkg.model.ontology import ontology_graph
from cdkg.publish.site import PublishReport, publish
from cdkg.store import EmbeddedStore
from cdkg.store.contents import stored_descriptions

SEVERITIES = ("Violation", "Warning", "Info")
#: The examples' IRIs live under this base, so the site holds a page for each of them.
DEMO_BASE_IRI = "https://w3id.org/cdkg/examples/"


@dataclass
class DemoResult:
    """What the demo did, for printing or for tests."""

    store_dir: Path
    loaded: LoadReport
    classification: ClassificationReport
    violations: int
    site: PublishReport
    timings: dict[str, float] = field(default_factory=dict)


def run_demo(examples: Path, out: Path, *, say: Callable[[str], None] = print) -> DemoResult:
    """Load, validate, classify and publish ``examples`` into ``out``/store and ``out``/site."""
    store_dir = out / "store"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    say(f"1/4 loading {examples}/ into the embedded store {store_dir}/ …")
    with EmbeddedStore(store_dir, create=True) as store:
        loaded = load(store, [str(examples)], progress=False)
        timings["load"] = time.perf_counter() - started
        say(f"    {len(loaded.sources)} descriptions, {loaded.triples} triples")
        step = time.perf_counter()
        say("2/4 validating and classifying what is stored …")
        data = stored_descriptions(store)
        classification = classify(data)
        timings["validate+classify"] = time.perf_counter() - step
        step = time.perf_counter()
        say(f"3/4 publishing the linked-data site {out / 'site'}/ …")
        site = publish(store, out / "site", DEMO_BASE_IRI)
        timings["publish"] = time.perf_counter() - step
    violations = sum(1 for r in classification.validation.results if r.severity_name == "Violation")
    return DemoResult(store_dir, loaded, classification, violations, site, timings)


def summary_table(result: DemoResult) -> str:
    """One line per initiative: type (where there is one), verdict and findings by severity."""
    labels = Labels(ontology_graph())
    rows = [("#", "initiative", "type", "verdict", "findings")]
    for item in result.classification.initiatives:
        counts = {s: 0 for s in SEVERITIES}
        for finding in item.findings:
            counts[finding.severity_name] = counts.get(finding.severity_name, 0) + 1
        findings = ", ".join(f"{n} {s.lower()}" for s, n in counts.items() if n) or "—"
        type_label = labels(URIRef(item.initiative_type)) if item.initiative_type else "no type yet"
        title = item.title or str(item.iri)
        rows.append(
            (
                str(item.type_number or "–"),
                title if len(title) <= 58 else title[:57] + "…",
                type_label,
                labels(item.verdict_iri).lower(),
                findings,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
