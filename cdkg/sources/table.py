"""Reading a filled initiatives table (xlsx or csv) cell by cell, with errors that name cells.

:func:`read_table` turns a file into rows of text; :func:`parse_table` turns rows into
:class:`~cdkg.sources.records.InitiativeRecord` values and reports *every* bad cell as
``initiatives!F7 (initiator types): 'NGO' is not allowed; use one of: …`` before
raising, so a bad table never produces partial output. The column layout itself is
:func:`cdkg.sources.spreadsheet.columns`.

A table is bounded before and while it is read (:data:`MAX_UNPACKED`, :data:`MAX_ROWS`,
:data:`MAX_COLUMNS`, :data:`MAX_CELLS`, :data:`MAX_CELL_CHARS`): an ``.xlsx`` is a zip
archive, and a few hundred kilobytes of it can unpack to gigabytes (one huge cell, or
rows padded out to column XFD).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from cdkg.errors import InputError, Problem, clip, quote
from cdkg.model.choices import ChoiceList, country_iri, sdg_concept
from cdkg.rdf.read import Limits
from cdkg.sources.records import (
    ActorEntry,
    InitiativeRecord,
    actor_iri,
    initiative_iri,
    is_absolute_iri,
    is_web_address,
    slugify,
)


@dataclass(frozen=True)
class Column:
    """One column of the table."""

    key: str  # what the reader fills: "title", "initiators", "level:<stage IRI>", ...
    header: str  # the header cell text
    how: str  # how to fill it, in plain words
    prop: URIRef | None = None  # the property whose label/definition explain it
    choices: Callable[[], ChoiceList] | None = None
    multiple: bool = False
    required: bool = False
    width: int = 24
    stage: URIRef | None = None
    aliases: tuple[str, ...] = ()  # other header texts accepted on import
    #: Written by ``cdkg export`` from what the registry holds (the classification);
    #: its header is accepted on import and its cells are never read.
    read_only: bool = False


SHEET = "initiatives"
#: Most bytes the members of an ``.xlsx`` archive may unpack to, all together (a table
#: of twenty thousand initiatives is a few tens of megabytes); checked on the archive's
#: directory before anything is unpacked.
MAX_UNPACKED = 128 * 1024 * 1024
#: Most members an ``.xlsx`` archive may have.
MAX_MEMBERS = 1000
#: Most rows, and columns, a table may reach.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
#: Most cells a table may have (each row counted up to its last cell).
MAX_CELLS = 5_000_000
#: Most characters in one cell: what spreadsheet programs themselves allow.
MAX_CELL_CHARS = 32_767
_PLACEHOLDER_BASE = "urn:cdkg:check:"
#: A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_cell(text: str) -> str:
    """``text`` safe for a CSV cell: a formula-like value gets a leading apostrophe.

    Spreadsheet programs show ``'=1+1`` as the text ``=1+1`` instead of running it;
    :func:`read_table` removes the apostrophe again, so a round trip keeps the value.
    Line breaks are written as ``\\n`` (a bare carriage return would end the row).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if is_formula_like(text) else text


def _unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


@dataclass
class Table:
    """The text of one sheet: ``rows[0]`` is the header row."""

    source: str
    sheet: str | None  # None for csv
    rows: list[list[str]]

    def ref(self, row: int, col: int) -> str:
        """The cell reference of 0-based ``row``/``col``: ``initiatives!F7`` (csv: ``F7``)."""
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(col + 1)}{row + 1}"
        return f"{self.sheet}!{cell}" if self.sheet else cell


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: Path) -> Table:
    """The initiatives sheet of an ``.xlsx`` file, or a ``.csv`` file, as text rows."""
    name = str(path)
    if not path.is_file():
        raise InputError.single(name, "no such file", hint="check the path")
    limit = Limits.from_env().max_bytes
    if path.stat().st_size > limit:
        raise InputError.single(
            name,
            f"the file is larger than the limit of {limit} bytes",
            hint="split it, or raise the limit with CDKG_MAX_BYTES",
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise InputError.single(
        name,
        f"cannot read a table from a {suffix or 'extension-less'} file",
        hint="give an .xlsx or .csv file (cdkg template --out FILE.xlsx writes one)",
    )


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    data = path.read_bytes()
    _check_archive(path, data)
    # A damaged workbook can fail anywhere inside openpyxl (zip, zlib, XML, cell values)
    # with any exception type; all of them mean the same thing to the user.
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(path, exc) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        title = ws.title
        _check_declared_range(path, title, ws)
        # read rows as they are: openpyxl would otherwise pad every row out to the
        # range the sheet declares (A1:XFD1048576 is 17 billion cells)
        reset = getattr(ws, "reset_dimensions", None)
        if reset is not None:
            reset()
        table = Table(str(path), title, [])
        table.rows = _bounded_rows(table, ws.iter_rows(values_only=True))
    except InputError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from None
    finally:
        wb.close()
    table.rows = _trim(table.rows)
    return table


def _check_archive(path: Path, data: bytes) -> None:
    """Refuse an ``.xlsx`` archive that would unpack to more than :data:`MAX_UNPACKED`
    bytes (a zip bomb), before anything is unpacked. Python's zipfile never unpacks a
    member beyond the size the archive's directory states (the checksum fails first),
    so the stated sizes are what unpacking can cost."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:
        raise _unreadable(path, exc) from None
    if len(members) > MAX_MEMBERS:
        raise InputError.single(
            str(path),
            f"not a readable .xlsx workbook: its archive has {len(members)} parts, more "
            f"than the {MAX_MEMBERS} a workbook needs",
            hint="open it in a spreadsheet program and save it again as .xlsx",
        )
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError.single(
                str(path),
                f"not a readable .xlsx workbook: its part {quote(member.filename, 80)} is "
                f"compressed with method {member.compress_type}, which spreadsheet programs "
                "do not use",
                hint="open it in a spreadsheet program and save it again as .xlsx",
            )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise InputError.single(
            str(path),
            f"the workbook unpacks to {unpacked} bytes, more than the limit of "
            f"{MAX_UNPACKED}; refused as a possible zip bomb",
            hint="split the table into several workbooks, or save it as .csv",
        )


def _check_declared_range(path: Path, sheet: str, ws: object) -> None:
    """Refuse a sheet whose stated used range (its ``<dimension>``) is beyond the limits,
    before a row is read."""
    rows, cols = getattr(ws, "max_row", None), getattr(ws, "max_column", None)
    if not isinstance(rows, int) or not isinstance(cols, int):
        return
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise InputError.single(
            str(path),
            f"{sheet}: the sheet's used range is {rows} rows × {cols} columns, more than a "
            f"table may have ({MAX_ROWS} rows, {MAX_COLUMNS} columns, {MAX_CELLS} cells)",
            hint="delete the rows and columns after the table, or split it",
        )


def _bounded_rows(table: Table, rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """``rows`` as text, refusing a table beyond :data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
    :data:`MAX_CELLS` or a cell longer than :data:`MAX_CELL_CHARS`, as soon as it shows.
    Empty cells at the end of a row are dropped."""
    out: list[list[str]] = []
    cells = 0
    for index, row in enumerate(rows):
        if index >= MAX_ROWS:
            raise InputError.single(
                table.source,
                f"{table.ref(index, 0)}: the table goes on past row {MAX_ROWS}, the most it "
                "may have",
                hint="delete the rows after the table, or split it into several tables",
            )
        cells += len(row)
        if cells > MAX_CELLS:
            raise InputError.single(
                table.source,
                f"{table.ref(index, 0)}: the table has more than {MAX_CELLS} cells up to "
                "this row (each row counted up to its last cell)",
                hint="delete the columns after the table, or split it into several tables",
            )
        texts = [_text(value) for value in row]
        while texts and not texts[-1]:
            texts.pop()
        if len(texts) > MAX_COLUMNS:
            raise InputError.single(
                table.source,
                f"{table.ref(index, len(texts) - 1)}: the table goes on past column "
                f"{MAX_COLUMNS}, the most it may have",
                hint="delete the columns after the table",
            )
        for col, text in enumerate(texts):
            if len(text) > MAX_CELL_CHARS:
                raise InputError.single(
                    table.source,
                    f"{table.ref(index, col)}: the cell holds {len(text)} characters, more "
                    f"than the {MAX_CELL_CHARS} a spreadsheet cell may hold: "
                    f"{quote(text, 60)}",
                    hint="shorten it",
                )
        out.append(texts)
    return out


def _unreadable(path: Path, exc: Exception) -> InputError:
    first = clip(str(exc).splitlines()[0]) if str(exc).strip() else ""
    return InputError.single(
        str(path),
        f"not a readable .xlsx workbook ({type(exc).__name__}: {first})",
        hint="open it in a spreadsheet program and save it again as .xlsx",
    )


def _read_csv(path: Path) -> Table:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            str(path), f"not UTF-8 text ({exc.reason})", hint="save the file as CSV UTF-8"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table(str(path), None, [])
    try:
        rows = _bounded_rows(table, reader)
    except csv.Error as exc:
        raise InputError.single(
            str(path),
            f"not a readable CSV table ({clip(str(exc))})",
            line=reader.line_num or None,
        ) from None
    table.rows = _trim([[_unneutralise(cell) for cell in row] for row in rows])
    return table


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


# --------------------------------------------------------------------------- parsing


class _RowReader:
    """Parses one row, collecting problems with their cell references."""

    def __init__(self, table: Table, row: int, cells: list[str], sep: str) -> None:
        self.table, self.row, self.cells, self.sep = table, row, cells, sep
        self.problems: list[Problem] = []

    def problem(self, col: int, header: str, message: str) -> None:
        ref = self.table.ref(self.row, col)
        self.problems.append(Problem(self.table.source, f"{ref} ({header}): {message}"))

    def values(self, col: int, multiple: bool, header: str) -> list[str]:
        text = self.cells[col] if col < len(self.cells) else ""
        if not multiple:
            return [text] if text else []
        return [v.strip() for v in text.split(self.sep) if v.strip()]


def parse_table(table: Table, cols: Sequence[Column], sep: str) -> list[InitiativeRecord]:
    """Every row of ``table`` as a record; :class:`InputError` listing every bad cell.

    Columns marked ``read_only`` are recognised by their header and skipped: an exported
    table re-imports with its classification columns as they are, edited or not.
    """
    if not table.rows:
        raise InputError.single(
            table.source, "the table is empty", hint="start from cdkg template --out FILE.xlsx"
        )
    problems: list[Problem] = []
    by_header = {h.casefold(): c for c in cols for h in (*c.aliases, c.header)}
    positions: dict[str, int] = {}
    header_row = table.rows[0]
    for index, text in enumerate(header_row):
        if not text:
            continue
        col = by_header.get(" ".join(text.split()).casefold())
        ref = table.ref(0, index)
        if col is None:
            problems.append(
                Problem(
                    table.source,
                    f"{ref}: unknown column {quote(text)}; the columns are: "
                    + ", ".join(c.header for c in cols),
                )
            )
        elif col.key in positions:
            problems.append(Problem(table.source, f"{ref}: column {quote(text)} appears twice"))
        else:
            positions[col.key] = index
    for col in cols:
        if col.required and col.key not in positions:
            where = f"{table.sheet}!1" if table.sheet else "row 1"
            problems.append(
                Problem(table.source, f"{where}: the required column {col.header!r} is missing")
            )
    if problems:
        raise InputError(problems)

    records: list[InitiativeRecord] = []
    seen_keys: dict[str, str] = {}
    actor_types: dict[str, tuple[str, tuple[URIRef, ...]]] = {}
    ignored = {positions[c.key] for c in cols if c.read_only and c.key in positions}
    for row_index in range(1, len(table.rows)):
        cells = table.rows[row_index]
        if not any(cell for index, cell in enumerate(cells) if index not in ignored):
            continue
        reader = _RowReader(table, row_index, cells, sep)
        record = _parse_row(reader, cols, positions)
        problems.extend(reader.problems)
        if record is None:
            continue
        key = str(initiative_iri(record, _PLACEHOLDER_BASE))
        here = table.ref(row_index, positions.get("id", positions["title"]))
        if key in seen_keys:
            problems.append(
                Problem(
                    table.source,
                    f"{here}: row {row_index + 1} describes the same initiative as {seen_keys[key]}"
                    " (same id, or same title and no id); give each row its own id",
                )
            )
        else:
            seen_keys[key] = here
        for group, col_key in (
            (record.initiators, "initiators"),
            (record.collaborators, "collaborators"),
        ):
            for actor in group:
                ident = str(actor_iri(actor.name, _PLACEHOLDER_BASE))
                first = actor_types.setdefault(ident, (here, actor.types))
                if actor.types and first[1] and set(first[1]) != set(actor.types):
                    problems.append(
                        Problem(
                            table.source,
                            f"{table.ref(row_index, positions[col_key])} ({col_key}): "
                            f"{quote(actor.name)} is given a different actor type than in the row "
                            f"of {first[0]}; one organisation has one type",
                        )
                    )
        records.append(record)
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError.single(
            table.source,
            "the table has a header row but no initiatives",
            hint="fill one row per initiative",
        )
    return records


def _parse_row(
    reader: _RowReader, cols: Sequence[Column], positions: dict[str, int]
) -> InitiativeRecord | None:
    def get(key: str, multiple: bool = False) -> tuple[list[str], int, str]:
        col = next(c for c in cols if c.key == key)
        if key not in positions:
            return [], -1, col.header
        return reader.values(positions[key], multiple, col.header), positions[key], col.header

    title_values, title_col, _ = get("title")
    if not title_values:
        reader.problem(title_col, "title", "empty; every initiative needs a title")
    record = InitiativeRecord(title=title_values[0] if title_values else "")
    ids, id_col, _ = get("id")
    if ids:
        key = ids[0]
        if not is_absolute_iri(key) and slugify(key) != key:
            reader.problem(
                id_col,
                "id",
                f"{quote(key)} is not a usable id; use lower-case letters, digits and '-' "
                f"(e.g. {quote(slugify(key))}) or a full IRI",
            )
        record.key = key
    desc, _, _ = get("description")
    record.description = desc[0] if desc else None
    site, site_col, _ = get("website")
    if site:
        if not is_web_address(site[0]):
            reader.problem(
                site_col, "website", f"{quote(site[0])} is not a web address; write https://…"
            )
        else:
            record.website = site[0]

    for names_key, types_key, required in (
        ("initiators", "initiator_types", True),
        ("collaborators", "collaborator_types", False),
    ):
        entries = _actors(reader, cols, positions, names_key, types_key, required)
        setattr(record, names_key, entries)

    countries, country_col, _ = get("countries", True)
    for code in countries:
        if country_iri(code) is None:
            reader.problem(
                country_col,
                "countries",
                f"{quote(code)} is not an ISO 3166-1 alpha-3 country code; "
                "write e.g. KEN, GHA, BRA",
            )
        else:
            record.countries.append(code.upper())
    sdgs, sdg_col, _ = get("sdgs", True)
    for code in sdgs:
        if sdg_concept(code) is None:
            reader.problem(
                sdg_col,
                "SDGs",
                f"{quote(code)} is not a known SDG goal, target or indicator; write e.g. 5, 5.2 or "
                "C050201",
            )
        else:
            record.sdgs.append(code)

    for col in cols:
        if col.choices is None or col.key in ("initiator_types", "collaborator_types"):
            continue
        if col.key not in positions:
            continue
        index = positions[col.key]
        values = reader.values(index, col.multiple, col.header)
        choice_list = col.choices()
        chosen: list[URIRef] = []
        for value in values:
            choice = choice_list.lookup(value)
            if choice is None:
                reader.problem(
                    index, col.header, f"{quote(value)} is not allowed; {choice_list.allowed()}"
                )
            elif choice.iri not in chosen:
                chosen.append(choice.iri)
        if not col.multiple and len(values) == 1 and reader.sep in values[0] and not chosen:
            pass  # already reported as not allowed
        if col.stage is not None:
            if chosen:
                record.levels[col.stage] = chosen[0]
        elif chosen:
            record.concepts[col.key] = chosen
    if "notes" in positions:  # free text: one note per line (a note may contain ';')
        text = reader.cells[positions["notes"]] if positions["notes"] < len(reader.cells) else ""
        record.notes = [line.strip() for line in text.splitlines() if line.strip()]
    return record if title_values else None


def _actors(
    reader: _RowReader,
    cols: Sequence[Column],
    positions: dict[str, int],
    names_key: str,
    types_key: str,
    required: bool,
) -> list[ActorEntry]:
    names_col = next(c for c in cols if c.key == names_key)
    types_col = next(c for c in cols if c.key == types_key)
    names = (
        reader.values(positions[names_key], True, names_col.header)
        if names_key in positions
        else []
    )
    type_texts = (
        reader.values(positions[types_key], True, types_col.header)
        if types_key in positions
        else []
    )
    types_index = positions.get(types_key, positions.get(names_key, 0))
    if required and not names:
        reader.problem(
            positions.get(names_key, 0), names_col.header, "empty; name who started the initiative"
        )
        return []
    assert types_col.choices is not None
    choice_list = types_col.choices()
    parsed: list[URIRef | None] = []
    for text in type_texts:
        choice = choice_list.lookup(text)
        if choice is None:
            reader.problem(
                types_index,
                types_col.header,
                f"{quote(text)} is not allowed; {choice_list.allowed()}",
            )
        parsed.append(choice.iri if choice else None)
    if names and not type_texts:
        reader.problem(
            types_index,
            types_col.header,
            f"empty; say what kind of actor {'each of ' if len(names) > 1 else ''}"
            f"{clip('; '.join(names))} is ({choice_list.allowed()})",
        )
        return [ActorEntry(n) for n in names]
    if type_texts and not names:
        reader.problem(
            positions.get(names_key, types_index),
            names_col.header,
            f"empty, but {types_col.header} are given; name the actors",
        )
        return []
    if len(type_texts) not in (1, len(names)):
        reader.problem(
            types_index,
            types_col.header,
            f"{len(type_texts)} types for {len(names)} names; give one type for each name, in the "
            "same order, or a single type for all",
        )
        return [ActorEntry(n) for n in names]
    if len(parsed) == 1:
        parsed = parsed * len(names)
    return [
        ActorEntry(n, (t,) if t is not None else ()) for n, t in zip(names, parsed, strict=True)
    ]


# --------------------------------------------------------------------------- writing


def cell_values_for(
    record: InitiativeRecord,
    cols: Sequence[Column],
    base: str | None,
    sep: str,
    cell_text: Callable[[Column, URIRef], str],
) -> list[str]:
    """The cells of one row for ``record`` (the inverse of :func:`parse_table`)."""
    joiner = f"{sep} "
    out: list[str] = []
    for col in cols:
        value = ""
        if col.key == "id":
            value = record.key or ""
        elif col.key == "title":
            value = record.title
        elif col.key == "description":
            value = record.description or ""
        elif col.key == "website":
            value = record.website or ""
        elif col.key in ("initiators", "collaborators"):
            value = joiner.join(a.name for a in getattr(record, col.key))
        elif col.key in ("initiator_types", "collaborator_types"):
            actors: list[ActorEntry] = getattr(record, col.key.replace("_types", "s"))
            value = joiner.join(cell_text(col, a.types[0]) if a.types else "" for a in actors)
        elif col.key == "countries":
            value = joiner.join(record.countries)
        elif col.key == "sdgs":
            value = joiner.join(record.sdgs)
        elif col.key == "notes":
            value = "\n".join(record.notes)
        elif col.stage is not None:
            level = record.levels.get(col.stage)
            value = cell_text(col, level) if level is not None else ""
        elif col.choices is not None:
            value = joiner.join(cell_text(col, iri) for iri in record.concepts.get(col.key, []))
        out.append(value)
    return out
