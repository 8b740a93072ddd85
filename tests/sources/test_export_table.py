"""`cdkg export --format xlsx|csv`: a store written back to the template layout, with the
stored classification in read-only columns; round trip through `cdkg import`."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from rdflib.compare import isomorphic

from cdkg.classify.verdicts import classify
from cdkg.load.loader import load
from cdkg.rdf.read import load_graph
from cdkg.sources.spreadsheet import columns, import_table, read_records
from cdkg.store import EmbeddedStore
from tests.support.paths import EXAMPLES, TEST_DATA

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


REGISTRY = TEST_DATA / "queries" / "registry"
READ_ONLY = ["verdict", "initiative type", "reasons", "missing facts"]


@pytest.fixture(scope="module")
def registry_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The query fixtures: the three verdicts, three initiatives to be assessed (DESIGN
    Contract 3 rows 7 to 9), one of them with a type."""
    path = tmp_path_factory.mktemp("export") / "store"
    with EmbeddedStore(path) as store:
        load(store, [str(REGISTRY)])
    return path


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    ws = openpyxl.load_workbook(path)["initiatives"]
    rows = [[c.value or "" for c in row] for row in ws.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if any(row)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_adds_the_stored_classification_read_only(
    cli, tmp_path: Path, registry_store: Path, fmt: str
) -> None:
    out = tmp_path / f"registry.{fmt}"
    result = cli("export", "--format", fmt, "--out", str(out), "--store", str(registry_store))
    assert result.code == 0, result.err
    rows = (_csv_rows if fmt == "csv" else _xlsx_rows)(out)
    assert list(rows[0])[-len(READ_ONLY) :] == READ_ONLY
    assert list(rows[0])[: -len(READ_ONLY)] == [c.header for c in columns()]
    by_id = {r["id"].rsplit("/", 1)[-1]: r for r in rows}
    assert (by_id["i1"]["verdict"], by_id["i1"]["initiative type"]) == (
        "Citizen data",
        "Civic action (type 1)",
    )
    assert by_id["i1"]["missing facts"] == ""
    assert (by_id["i6"]["verdict"], by_id["i6"]["initiative type"]) == (
        "Not citizen data",
        "Initiative without collaboration (type 6)",
    )
    # to be assessed: row 8 keeps its structural type, rows 7 and 9 have none
    assert (by_id["i8"]["verdict"], by_id["i8"]["initiative type"]) == (
        "To be assessed",
        "Civic action (type 1)",
    )
    assert (by_id["i9"]["initiative type"], by_id["i10"]["initiative type"]) == ("", "")
    # the missing facts say what `cdkg classify` says, one per line
    report = classify(load_graph([str(REGISTRY)]))
    for item in report.initiatives:
        row = by_id[item.iri.rsplit("/", 1)[-1]]
        assert (
            row["verdict"]
            == {
                "citizen-data": "Citizen data",
                "not-citizen-data": "Not citizen data",
                "to-be-assessed": "To be assessed",
            }[item.verdict]
        )
        wanted = [m.message for m in item.missing]
        assert (row["missing facts"].split("\n") if row["missing facts"] else []) == wanted
    assert "River collective" in by_id["i10"]["missing facts"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_ignores_the_read_only_columns(
    cli, tmp_path: Path, registry_store: Path, fmt: str
) -> None:
    """`cdkg import` of an exported sheet works, whatever its read-only cells say: the
    description is the sheet's without them."""
    out = tmp_path / f"registry.{fmt}"
    assert (
        cli("export", "--format", fmt, "--out", str(out), "--store", str(registry_store)).code == 0
    )
    without = tmp_path / f"without.{fmt}"
    edited = tmp_path / f"edited.{fmt}"
    if fmt == "csv":
        rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
        keep = len(rows[0]) - len(READ_ONLY)
        with without.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(row[:keep] for row in rows)
        for row in rows[1:]:
            row[keep:] = ["Citizen data", "=1+1", "nothing"]
        with edited.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        wb = openpyxl.load_workbook(out)
        ws = wb["initiatives"]
        for row in ws.iter_rows(min_row=2):
            row[-3].value, row[-2].value, row[-1].value = "Citizen data", "Type 9", "nothing"
        wb.save(edited)
        ws.delete_cols(ws.max_column - len(READ_ONLY) + 1, len(READ_ONLY))
        wb.save(without)
    imported = tmp_path / "imported.ttl"
    result = cli("import", str(out), "--out", str(imported))
    assert result.code == 0, result.err
    assert "imported 10 initiatives" in result.out
    assert isomorphic(load_graph([str(imported)]), import_table(without))
    assert isomorphic(import_table(edited), import_table(without))


def test_a_row_with_only_read_only_cells_is_an_empty_row(tmp_path: Path) -> None:
    sheet = tmp_path / "t.csv"
    header = [c.header for c in columns()] + READ_ONLY
    title = header.index("title")
    first = [""] * len(header)
    first[title], first[header.index("initiators")] = "A title", "Someone"
    first[header.index("initiator types")] = "citizen group"
    leftover = [""] * (len(header) - 3) + ["To be assessed", "", "a fact"]
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first, leftover])
    assert [r.title for r in read_records(sheet)] == ["A title"]
