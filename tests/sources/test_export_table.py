"""`cdkg export --format xlsx|csv`: a store written back to the template layout, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from cdkg.sources.spreadsheet import import_table
from tests.support.paths import EXAMPLES

SHEET = EXAMPLES / "spreadsheets" / "initiatives.xlsx"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_load_export_import_round_trip(cli, tmp_path: Path, fmt: str) -> None:
    ttl = tmp_path / "imported.ttl"
    store = tmp_path / "store"
    assert cli("import", str(SHEET), "--out", str(ttl)).code == 0
    loaded = cli("load", str(ttl), "--store", str(store), "--no-progress")
    assert loaded.code == 0, loaded.err
    out = tmp_path / f"back.{fmt}"
    result = cli("export", "--format", fmt, "--out", str(out), "--store", str(store))
    assert result.code == 0, result.err
    assert "initiative" in result.err
    assert isomorphic(import_table(out), import_table(SHEET))


def test_table_export_needs_a_file(cli, tmp_path: Path) -> None:
    result = cli("export", "--format", "xlsx", "--store", str(tmp_path / "s"))
    assert result.code == 2
    assert "--out" in result.err
