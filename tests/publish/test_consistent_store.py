"""``cdkg publish`` reads only a consistent registry (issue: publish never publishes half a
load).

A load killed while it writes leaves its journal and part of the batch in the store;
publishing then stops with exit 2 and says what to do, writing no site. Once the store
has been opened for writing (which undoes the cut-off load), it publishes again, without
the half-loaded sources.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cdkg.sources.synthetic import generate
from cdkg.store import EmbeddedStore
from cdkg.store.embedded import JOURNAL
from tests.support.paths import EXAMPLES

BASE = "https://w3id.org/cdkg/examples/"


def _load_and_kill(store_dir: Path, folder: Path) -> int:
    """Start ``cdkg load`` of ``folder`` and kill it once its journal is written."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cdkg",
            "load",
            str(folder),
            "--store",
            str(store_dir),
            "--engine",
            "fast",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (store_dir / JOURNAL).exists() and proc.poll() is None:
        assert time.monotonic() < deadline, "the load never began writing"
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60)


@pytest.mark.slow
def test_publish_refuses_a_store_holding_half_a_load(cli, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert cli("load", str(EXAMPLES), "--store", str(store_dir)).code == 0
    generated = tmp_path / "generated"
    generate(3000, out=generated, seed=3, chunk_size=500)
    # killed as soon as its journal is written, long before its 3,000 initiatives are
    assert _load_and_kill(store_dir, generated) == -signal.SIGKILL
    assert (store_dir / JOURNAL).exists()
    site = tmp_path / "site"
    refused = cli("publish", "--store", str(store_dir), "--out", str(site), "--base-iri", BASE)
    assert refused.code == 2, refused.err
    assert "a load is under way, or one was cut off" in refused.err
    assert "cdkg status" in refused.err
    assert "Traceback" not in refused.err
    assert not site.exists()
    # opening the store for writing undoes the cut-off load; then it publishes
    with EmbeddedStore(store_dir) as store:
        graphs = {q.graph_name.value for q in store.quads()}  # type: ignore[union-attr]
    assert not (store_dir / JOURNAL).exists()
    assert not [g for g in graphs if "generated" in g]
    done = cli("publish", "--store", str(store_dir), "--out", str(site), "--base-iri", BASE)
    assert done.code == 0, done.err
    assert (site / "index.html").is_file()
