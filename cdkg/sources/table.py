"""Reading a filled initiatives table (xlsx or csv) cell by cell, with errors that name cells.

:func:`read_table` turns a file into rows of text; :func:`parse_table` turns rows into
:class:`~cdkg.sources.records.InitiativeRecord` values and reports *every* bad cell as
``initiatives!F7 (initiator types): 'NGO' is not allowed; use one of: …`` before
raising, so a bad table never produces partial output. The column layout itself is
:func:`cdkg.sources.spreadsheet.columns`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from cdkg.errors import InputError, Problem
from cdkg.model.choices import ChoiceList, country_iri, sdg_concept
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

    # A damaged workbook can fail anywhere inside openpyxl (zip, zlib, XML, cell values)
    # with any exception type; all of them mean the same thing to the user.
    try:
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(path, exc) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        title = ws.title
    except Exception as exc:
        raise _unreadable(path, exc) from None
    finally:
        wb.close()
    return Table(str(path), title, _trim(rows))


def _unreadable(path: Path, exc: Exception) -> InputError:
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
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
    try:
        rows = [[_unneutralise(cell.strip()) for cell in row] for row in reader]
    except csv.Error as exc:
        raise InputError.single(
            str(path), f"not a readable CSV table ({exc})", line=reader.line_num or None
        ) from None
    return Table(str(path), None, _trim(rows))


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
                    f"{ref}: unknown column {text!r}; the columns are: "
                    + ", ".join(c.header for c in cols),
                )
            )
        elif col.key in positions:
            problems.append(Problem(table.source, f"{ref}: column {text!r} appears twice"))
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
                            f"{actor.name!r} is given a different actor type than in the row "
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
                f"{key!r} is not a usable id; use lower-case letters, digits and '-' "
                f"(e.g. {slugify(key)!r}) or a full IRI",
            )
        record.key = key
    desc, _, _ = get("description")
    record.description = desc[0] if desc else None
    site, site_col, _ = get("website")
    if site:
        if not is_web_address(site[0]):
            reader.problem(
                site_col, "website", f"{site[0]!r} is not a web address; write https://…"
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
                f"{code!r} is not an ISO 3166-1 alpha-3 country code; write e.g. KEN, GHA, BRA",
            )
        else:
            record.countries.append(code.upper())
    sdgs, sdg_col, _ = get("sdgs", True)
    for code in sdgs:
        if sdg_concept(code) is None:
            reader.problem(
                sdg_col,
                "SDGs",
                f"{code!r} is not a known SDG goal, target or indicator; write e.g. 5, 5.2 or "
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
                    index, col.header, f"{value!r} is not allowed; {choice_list.allowed()}"
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
                types_index, types_col.header, f"{text!r} is not allowed; {choice_list.allowed()}"
            )
        parsed.append(choice.iri if choice else None)
    if names and not type_texts:
        reader.problem(
            types_index,
            types_col.header,
            f"empty; say what kind of actor {'each of ' if len(names) > 1 else ''}"
            f"{'; '.join(names)} is ({choice_list.allowed()})",
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
