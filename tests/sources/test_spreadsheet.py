"""Spreadsheet template, import and write-back (cdkg template / cdkg import)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from cdkg.model.namespaces import CDKG, PARTICIPATION_LEVEL, STAGE
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.read import load_graph
from cdkg.sources.spreadsheet import (
    columns,
    import_table,
    read_records,
    write_template,
    write_workbook,
)
from tests.support.paths import EXAMPLES

EXAMPLE_CSV = EXAMPLES / "spreadsheets" / "initiatives.csv"
EXAMPLE_XLSX = EXAMPLES / "spreadsheets" / "initiatives.xlsx"
BASE = "https://registry.example.org/initiative/"


def _levels_from_vocab() -> dict[str, str]:
    graph = ontology_graph()
    return {
        str(graph.value(c, SKOS.notation)): str(graph.value(c, SKOS.definition))
        for c in graph.subjects(SKOS.inScheme, URIRef(str(PARTICIPATION_LEVEL).rstrip("/")))
    }


def test_xlsx_template_has_dropdowns_for_every_controlled_column(cli, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = cli("template", "--out", str(out))
    assert result.code == 0, result.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["initiatives", "lists", "explanations"]
    assert wb["lists"].sheet_state == "hidden"
    ws = wb["initiatives"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in columns()]
    validated = {
        str(rng).split(":")[0].rstrip("0123456789")
        for dv in ws.data_validations.dataValidation
        for rng in dv.sqref.ranges
    }
    letters = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers, start=1) if h}
    for header in ["initiator types", "collaborator types", "countries", "level: Design"]:
        assert letters[header] in validated, header
    # the level drop-down offers exactly the ladder's notations, read from the vocabulary
    level_dv = next(
        dv
        for dv in ws.data_validations.dataValidation
        if letters["level: Data collection"] in str(dv.sqref)
    )
    sheet, rng = level_dv.formula1.split("!")
    values = [c.value for row in wb[sheet][rng.replace("$", "")] for c in row]
    assert sorted(values) == sorted(_levels_from_vocab())
    assert level_dv.showErrorMessage  # single value: Excel refuses anything else


def test_explanations_sheet_uses_the_frameworks_terms(tmp_path: Path, cli) -> None:
    out = tmp_path / "t.xlsx"
    assert cli("template", "--out", str(out)).code == 0
    text = "\n".join(
        str(v)
        for row in openpyxl.load_workbook(out)["explanations"].iter_rows(values_only=True)
        for v in row
        if v
    )
    for header in (c.header for c in columns()):
        assert header in text
    for definition in _levels_from_vocab().values():
        assert definition in text
    assert "Copenhagen Framework on Citizen Data (2024), ¶22" in text


def test_csv_template_is_the_header_row(cli, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    assert cli("template", "--out", str(out)).code == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [[c.header for c in columns()]]


def test_template_refuses_other_extensions(cli, tmp_path: Path) -> None:
    result = cli("template", "--out", str(tmp_path / "t.ods"))
    assert result.code == 2
    assert "t.ods" in result.err and ".xlsx or .csv" in result.err


@pytest.mark.parametrize("example", [EXAMPLE_CSV, EXAMPLE_XLSX], ids=["csv", "xlsx"])
def test_example_table_imports(cli, tmp_path: Path, example: Path) -> None:
    out = tmp_path / "out.ttl"
    result = cli("import", str(example), "--out", str(out), "--base-iri", BASE)
    assert result.code == 0, result.err
    assert "imported 7 initiatives" in result.out
    graph = load_graph([str(out)])
    well = URIRef(BASE + "kisumu-well-watch")
    assert (well, RDF.type, CDKG.Initiative) in graph
    assert (well, DCTERMS.title, Literal("Kisumu Well Watch")) in graph
    assert (well, CDKG.addressesSdg, URIRef("http://metadata.un.org/sdg/6.1")) in graph
    assert (
        well,
        DCTERMS.spatial,
        URIRef("http://publications.europa.eu/resource/authority/country/KEN"),
    ) in graph
    (initiator,) = graph.objects(well, CDKG.initiatedBy)
    assert (initiator, RDF.type, CDKG.Community) in graph
    assert (initiator, FOAF.name, Literal("Nyalenda Women's Water Circle")) in graph
    levels = {
        graph.value(e, CDKG.stage): graph.value(e, CDKG.participationLevel)
        for e in graph.objects(well, CDKG.hasEngagement)
    }
    assert levels[STAGE.design] == PARTICIPATION_LEVEL["5"]
    assert levels[STAGE.collection] == PARTICIPATION_LEVEL["5"]
    assert levels[STAGE.uptake] == PARTICIPATION_LEVEL["3"]
    # one organisation named in two rows is one actor with one IRI
    ubos = URIRef(BASE + "actor/uganda-bureau-of-statistics")
    assert len(set(graph.subjects(CDKG.initiatedBy, ubos))) == 2


def test_csv_and_xlsx_examples_say_the_same() -> None:
    assert isomorphic(import_table(EXAMPLE_CSV), import_table(EXAMPLE_XLSX))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_import_write_import_is_isomorphic(tmp_path: Path, suffix: str) -> None:
    first = import_table(EXAMPLE_CSV, BASE)
    written = tmp_path / f"back{suffix}"
    assert write_workbook(first, written, BASE) == 7
    again = import_table(written, BASE)
    assert isomorphic(first, again)


def test_write_workbook_keeps_foreign_iris(tmp_path: Path) -> None:
    """Initiatives whose IRI is not under the base keep their full IRI as id."""
    first = import_table(EXAMPLE_CSV, BASE)
    written = tmp_path / "back.xlsx"
    write_workbook(first, written, "https://elsewhere.example/")
    ids = [r.key for r in read_records(written)]
    assert all(i.startswith(BASE) for i in ids)
    again = import_table(written, "https://elsewhere.example/")
    assert set(again.subjects(RDF.type, CDKG.Initiative)) == set(
        first.subjects(RDF.type, CDKG.Initiative)
    )


def test_reimporting_an_edited_sheet_updates_not_duplicates(tmp_path: Path) -> None:
    edited = tmp_path / "edited.xlsx"
    shutil.copy(EXAMPLE_XLSX, edited)
    wb = openpyxl.load_workbook(edited)
    ws = wb["initiatives"]
    headers = [c.value for c in ws[1]]
    row = next(c.row for c in ws["A"] if c.value == "kisumu-well-watch")
    ws.cell(row=row, column=headers.index("title") + 1, value="Kisumu Well Watch (2025)")
    ws.cell(row=row, column=headers.index("description") + 1, value="Now also boreholes.")
    wb.save(edited)
    before = import_table(EXAMPLE_XLSX, BASE)
    after = import_table(edited, BASE)
    assert set(before.subjects(RDF.type, CDKG.Initiative)) == set(
        after.subjects(RDF.type, CDKG.Initiative)
    )
    well = URIRef(BASE + "kisumu-well-watch")
    assert after.value(well, DCTERMS.description) == Literal("Now also boreholes.")
    assert len(list(after.objects(well, DCTERMS.title))) == 1


def test_row_without_id_gets_iri_from_title(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "title,initiators,initiator types\nMarket Prices Watch,Traders Union,Community\n",
        encoding="utf-8",
    )
    graph = import_table(table, BASE)
    assert (URIRef(BASE + "market-prices-watch"), RDF.type, CDKG.Initiative) in graph


BAD_CELLS = {
    "initiatives!F3 (initiator types): 'NGO' is not allowed; use one of: Citizens,",
    "initiatives!I3 (countries): 'XYZ' is not an ISO 3166-1 alpha-3 country code",
    "initiatives!J3 (SDGs): '18' is not a known SDG goal, target or indicator",
    "initiatives!P4 (level: Design): '7' is not allowed; use one of: 1 (Information),",
    "initiatives!B4 (title): empty; every initiative needs a title",
    "initiatives!E5 (initiators): empty; name who started the initiative",
    "initiatives!H5 (collaborator types): 2 types for 1 names",
}


@pytest.fixture
def bad_cells(tmp_path: Path) -> Path:
    """A template filled with one good row and three rows with mistakes in known cells."""
    path = tmp_path / "bad-cells.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["initiatives"]
    rows = [
        ["good", "Good one", "", "", "Union", "Community"],
        ["b", "Bad types", "", "", "Union", "NGO", "", "", "XYZ", "18"],
        ["c", "", "", "", "Union", "Community", "", "", "", "", "", "", "", "", "", "7"],
        ["d", "No initiator", "", "", "", "", "Uni", "Academic institution; Community"],
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value or None)
    wb.save(path)
    return path


def test_bad_rows_name_every_cell_and_write_nothing(cli, tmp_path: Path, bad_cells: Path) -> None:
    out = tmp_path / "never.ttl"
    result = cli("import", str(bad_cells), "--out", str(out))
    assert result.code == 2
    assert not out.exists()
    lines = result.err.strip().splitlines()
    for expected in BAD_CELLS:
        assert any(expected in line for line in lines), (expected, result.err)
    assert all(line.startswith("cdkg: error: ") and "bad-cells.xlsx" in line for line in lines)
    assert "Traceback" not in result.err


def test_bad_csv_names_cells_without_sheet(cli, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "title,initiators,initiator types,level: collection\n"
        "Good,Traders Union,Community,5\n"
        "Bad,Fishers,Fishermen,6\n",
        encoding="utf-8",
    )
    result = cli("import", str(table))
    assert result.code == 2
    assert "t.csv: C3 (initiator types): 'Fishermen' is not allowed" in result.err
    assert "t.csv: D3 (level: Data collection): '6' is not allowed" in result.err
    assert result.out == ""  # nothing written, not even the good row


def test_unknown_and_missing_columns(cli, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("title,budget\nA,100\n", encoding="utf-8")
    result = cli("import", str(table))
    assert result.code == 2
    assert "B1: unknown column 'budget'" in result.err
    assert "the required column 'initiators' is missing" in result.err


def test_same_initiative_twice_and_conflicting_actor_types(cli, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "id,title,initiators,initiator types\n"
        "a,First,Union,Community\n"
        "a,Second,Union,Government agency\n",
        encoding="utf-8",
    )
    result = cli("import", str(table))
    assert result.code == 2
    assert "A3: row 3 describes the same initiative as A2" in result.err
    assert "C3 (initiators): 'Union' is given a different actor type" in result.err


def test_unreadable_inputs_are_clear_errors(cli, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = cli("import", str(fake))
    assert result.code == 2 and "not a readable .xlsx workbook" in result.err
    result = cli("import", str(tmp_path / "missing.csv"))
    assert result.code == 2 and "missing.csv: no such file" in result.err
    result = cli("import", str(EXAMPLE_CSV), "--base-iri", "not an iri")
    assert result.code == 2 and "--base-iri" in result.err
    result = cli("import", str(EXAMPLE_CSV), "--out", str(tmp_path / "x.docx"))
    assert result.code == 2 and "x.docx" in result.err


def test_imported_example_conforms(cli, tmp_path: Path) -> None:
    out = tmp_path / "ex.ttl"
    assert cli("import", str(EXAMPLE_CSV), "--out", str(out)).code == 0
    result = cli("validate", str(out), "--format", "json")
    assert result.code == 0, result.out
