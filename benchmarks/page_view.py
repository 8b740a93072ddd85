"""First view of each initiative page of ``cdkg serve`` (not part of the test suite).

Loads the examples into a fresh store, then for every initiative builds a new application
(so nothing is cached) and asks it for the initiative's page once, measuring the CPU time
of that request. Prints the median and the total, as JSON::

    python -m benchmarks.page_view

Run it on two checkouts side by side to compare them; CPU seconds, not wall time, so a
busy machine changes the figures little.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/cdkg/examples/"


def main() -> None:
    from cdkg.load.loader import load
    from cdkg.serve.app import create_app
    from cdkg.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "store"
        with open_store(store_dir) as store:
            load(store, [str(REPO / "examples")], progress=False)
        with open_store(store_dir, create=False) as store:
            rows = store.query(
                "SELECT DISTINCT ?i WHERE { ?i <https://w3id.org/cdkg/ontology#verdict> ?v }"
            ).rows
            iris = sorted(r["i"]["value"] for r in rows if r["i"]["value"].startswith(BASE))
            timings = []
            for iri in iris:
                with TestClient(create_app(store, BASE)) as client:
                    started = time.process_time()
                    answer = client.get("/" + iri[len(BASE) :], headers={"Accept": "text/html"})
                    timings.append(time.process_time() - started)
                    assert answer.status_code == 200, iri
    print(
        json.dumps(
            {
                "pages": len(timings),
                "median_cpu_ms": round(statistics.median(timings) * 1000, 1),
                "max_cpu_ms": round(max(timings) * 1000, 1),
                "total_cpu_s": round(sum(timings), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
