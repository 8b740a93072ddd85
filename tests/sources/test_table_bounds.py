"""Hostile tables (an outside security review): an ``.xlsx`` is a zip archive, and a few
hundred kilobytes of it can unpack to gigabytes. Each is refused at once with one short
line naming the file (and the cell), before openpyxl spends the memory.

The workbooks are written here, part by part, into ``tmp_path``.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from cdkg.errors import InputError
from cdkg.sources import table
from cdkg.sources.spreadsheet import read_records, write_template
from cdkg.sources.table import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED,
    read_table,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="initiatives" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def cell(ref: str, text: str | None) -> str:
    if text is None:
        return f'<c r="{ref}" s="0"/>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(
    path: Path,
    rows: Iterable[str],
    dimension: str | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """An ``.xlsx`` whose one sheet holds ``rows`` (``<row>`` elements), written as a
    stream so that a sheet of hundreds of megabytes never sits in memory."""
    with zipfile.ZipFile(
        path, "w", compression, compresslevel=9 if compression == 8 else None
    ) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def refused(path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert time.monotonic() - started < 10, "refusing a hostile table must not take long"
    text = str(caught.value)
    assert str(path) in text and "\n" not in text
    assert len(text) < 600, "the message is one short line"
    return text


def test_a_small_workbook_with_a_400_mb_cell_is_refused_before_it_is_unpacked(
    tmp_path: Path,
) -> None:
    block = "x" * 1_000_000

    def rows() -> Iterable[str]:
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>'
        for _ in range(400):
            yield block
        yield "</t></is></c></row>"

    path = workbook(tmp_path / "bomb.xlsx", rows())
    assert path.stat().st_size < 500_000
    text = refused(path)
    assert "zip bomb" in text and str(MAX_UNPACKED) in text


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_and_quoted_short(
    tmp_path: Path,
) -> None:
    long = "y" * (MAX_CELL_CHARS + 1)
    path = workbook(tmp_path / "long-cell.xlsx", [f'<row r="1">{cell("C1", long)}</row>'])
    text = refused(path)
    assert "initiatives!C1" in text and f"{MAX_CELL_CHARS + 1} characters" in text
    assert "yyy…" in text


def test_rows_reaching_column_xfd_are_refused_without_padding_them(tmp_path: Path) -> None:
    rows = [f'<row r="1">{cell("A1", "title")}</row>']
    rows += [f'<row r="{r}">{cell(f"XFD{r}", "x")}</row>' for r in range(2, 20_002)]
    path = workbook(tmp_path / "sparse.xlsx", rows)
    assert path.stat().st_size < 200_000
    text = refused(path)
    assert "initiatives!XFD2" in text and f"past column {MAX_COLUMNS}" in text


def test_empty_styled_cells_out_to_column_xfd_run_out_of_cells(tmp_path: Path) -> None:
    rows = [f'<row r="1">{cell("A1", "title")}</row>']
    rows += [f'<row r="{r}">{cell(f"XFD{r}", None)}</row>' for r in range(2, 20_002)]
    text = refused(workbook(tmp_path / "styled.xlsx", rows))
    assert f"more than {MAX_CELLS} cells" in text


def test_a_declared_range_of_the_whole_sheet_is_refused_before_reading(tmp_path: Path) -> None:
    rows = [f'<row r="1">{cell("A1", "title")}</row>']
    path = workbook(tmp_path / "declared.xlsx", rows, dimension="A1:XFD1048576")
    text = refused(path)
    assert "1048576 rows × 16384 columns" in text


def test_a_row_number_far_down_is_refused_without_walking_to_it(tmp_path: Path) -> None:
    rows = [
        f'<row r="1">{cell("A1", "title")}</row>',
        f'<row r="999999999">{cell("A999999999", "x")}</row>',
    ]
    text = refused(workbook(tmp_path / "far.xlsx", rows))
    assert f"past row {MAX_ROWS}" in text


def test_a_part_compressed_with_an_unusual_method_is_refused(tmp_path: Path) -> None:
    rows = [f'<row r="1">{cell("A1", "title")}</row>']
    text = refused(workbook(tmp_path / "bzip2.xlsx", rows, compression=zipfile.ZIP_BZIP2))
    assert "compressed with method 12" in text


def test_the_unpacked_size_counts_every_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f'<row r="{r}">{cell(f"A{r}", "z" * 1000)}</row>' for r in range(1, 200)]
    path = workbook(tmp_path / "plain.xlsx", rows)
    assert read_table(path).rows[0] == ["z" * 1000]
    monkeypatch.setattr(table, "MAX_UNPACKED", 100_000)
    assert "zip bomb" in refused(path)


def test_a_long_header_is_quoted_short(tmp_path: Path) -> None:
    header = "h" * 20_000
    path = workbook(tmp_path / "header.xlsx", [f'<row r="1">{cell("A1", header)}</row>'])
    with pytest.raises(InputError) as caught:
        read_records(path)
    (unknown,) = [str(p) for p in caught.value.problems if "unknown column" in str(p)]
    quoted = unknown.split("unknown column ", 1)[1].split(";")[0]
    assert quoted.startswith("'hhh") and quoted.endswith("…'") and len(quoted) <= 202


def test_a_csv_cell_longer_than_a_spreadsheet_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("title,initiators\n" + "t" * (MAX_CELL_CHARS + 1) + ",x\n")
    text = refused(path)
    assert "A2" in text and "characters" in text


def test_the_template_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    rows = read_table(path).rows
    assert rows and rows[0][:2] == ["id", "title"]
