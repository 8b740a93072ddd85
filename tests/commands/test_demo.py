"""The README's first command: `cdkg demo` over examples/, idempotent on a second run."""

from __future__ import annotations

import json

import pytest

from cdkg.store import EmbeddedStore
from tests.support.paths import EXAMPLES


@pytest.mark.slow
def test_demo_prints_summary_and_is_idempotent(cli, tmp_path):
    expected = json.loads((EXAMPLES / "expected.json").read_text())
    out = tmp_path / "demo"
    first = cli("demo", "--examples", str(EXAMPLES), "--out", str(out))
    assert first.code == 0, first.err
    assert "citizen data" in first.out
    assert f"{len(expected)} initiatives" in first.out or "initiatives:" in first.out
    assert "Where to look next" in first.out
    with EmbeddedStore(out / "store", create=False) as store:
        before = sorted(str(q) for q in store.quads())
    second = cli("demo", "--examples", str(EXAMPLES), "--out", str(out))
    assert second.code == 0, second.err
    with EmbeddedStore(out / "store", create=False) as store:
        after = sorted(str(q) for q in store.quads())

    # re-running replaces the same graphs; only the load history (registry graph) grows
    def content(quads: list[str]) -> list[str]:
        return [q for q in quads if not q.endswith("<urn:cdkg:graph:registry>")]

    assert content(before) == content(after)
    assert len(content(after)) > 300
