"""Spreadsheets in, spreadsheets out: one row per initiative.

* :func:`write_template` writes an empty, documented table (``.xlsx`` with drop-down
  lists and an explanations sheet, or a ``.csv`` header row).
* :func:`read_records` reads a filled table into :class:`~cdkg.sources.records.InitiativeRecord`
  values, collecting every problem with its cell (``initiatives!F7 (initiator types): …``)
  before raising :class:`~cdkg.errors.InputError`, so nothing is produced from a bad table.
* :func:`import_table` gives the RDF graph; :func:`write_workbook` writes a graph back to
  the same layout (``cdkg export --format xlsx``), with the registry's classification in
  read-only columns after the editable ones (:func:`classification_columns`: verdict,
  initiative type, reasons, missing facts), which the importer recognises and skips.

Column meanings, drop-down values and explanations come from the ontology and its
vocabularies; only the layout (order, headers, the ``;`` separator) is defined here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDFS, SKOS

from cdkg.model.choices import ChoiceList, actor_type_choices, country_codes
from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.sources.records import (
    CONCEPT_FIELDS,
    DEFAULT_BASE_IRI,
    ConceptField,
    InitiativeRecord,
    graph_to_records,
    initiative_iri,
    levels,
    stages,
)
from cdkg.sources.stored_verdicts import StoredVerdict
from cdkg.sources.table import (
    SHEET,
    Column,
    cell_values_for,
    is_formula_like,
    neutralise_cell,
    parse_table,
    read_table,
)

__all__ = [
    "LISTS_SHEET",
    "SEPARATOR",
    "SHEET",
    "Column",
    "StoredVerdict",
    "classification_columns",
    "columns",
    "import_table",
    "read_records",
    "write_records",
    "write_template",
    "write_workbook",
]

SEPARATOR = ";"
EXPLANATIONS_SHEET = "explanations"
LISTS_SHEET = "lists"
#: Rows that carry drop-down lists and text formatting in a template.
TEMPLATE_ROWS = 1000


def _level_choices() -> ChoiceList:
    return levels()


def _concept_choices(cfield: ConceptField) -> Callable[[], ChoiceList]:
    return lambda: cfield.choices


def columns() -> list[Column]:
    """The table's columns, in order (stage columns follow the stage vocabulary)."""
    sep = f"separate several with '{SEPARATOR}'"
    cols = [
        Column(
            "id",
            "id",
            "a short identifier you choose (letters, digits, '-'); kept when you re-import, "
            "so edits update the initiative instead of adding a new one. Empty: made from the "
            "title",
            width=22,
        ),
        Column("title", "title", "the initiative's name", DCTERMS.title, required=True, width=36),
        Column(
            "description",
            "description",
            "what it does, in a few sentences",
            DCTERMS.description,
            width=48,
        ),
        Column("website", "website", "its web page (https://…)", DCAT.landingPage, width=30),
        Column(
            "initiators",
            "initiators",
            f"who started it: names of organisations or groups; {sep}",
            CDKG.initiatedBy,
            multiple=True,
            required=True,
            width=36,
        ),
        Column(
            "initiator_types",
            "initiator types",
            "the kind of actor each initiator is, in the same order (one type applies to all)",
            None,
            actor_type_choices,
            multiple=True,
            required=True,
            width=30,
        ),
        Column(
            "collaborators",
            "collaborators",
            f"who else takes part in producing the data; {sep}",
            CDKG.collaborator,
            multiple=True,
            width=36,
        ),
        Column(
            "collaborator_types",
            "collaborator types",
            "the kind of actor each collaborator is, in the same order (one type applies to all)",
            None,
            actor_type_choices,
            multiple=True,
            width=30,
        ),
        Column(
            "countries",
            "countries",
            f"ISO 3166-1 alpha-3 country codes, e.g. KEN; {sep}",
            DCTERMS.spatial,
            multiple=True,
            width=14,
        ),
        Column(
            "sdgs",
            "SDGs",
            f"Sustainable Development Goal codes: a goal (5), a target (5.2) or an indicator "
            f"(C050201); {sep}",
            CDKG.addressesSdg,
            multiple=True,
            width=16,
        ),
    ]
    headers = {
        "objectives": "objectives",
        "practices": "practices",
        "collection_methods": "collection methods",
        "population_groups": "population groups",
        "integration_status": "integration status",
    }
    for cfield in CONCEPT_FIELDS:
        cols.append(
            Column(
                cfield.key,
                headers[cfield.key],
                f"pick from the list; {sep}" if cfield.multiple else "pick one from the list",
                cfield.prop,
                _concept_choices(cfield),
                multiple=cfield.multiple,
                width=30,
            )
        )
    for stage in stages().choices:
        cols.append(
            Column(
                f"level:{stage.iri}",
                f"level: {stage.label}",
                "how much say citizens have at this stage: a participation level 1–5 "
                "(see the levels below); empty when citizens take no part or it is not known",
                None,
                _level_choices,
                width=14,
                stage=stage.iri,
                aliases=tuple(f"level: {a}" for a in (stage.code, *stage.aliases)),
            )
        )
    cols.append(
        Column("notes", "notes", "anything else worth keeping; one note per line", SKOS.note)
    )
    return cols


def classification_columns() -> list[Column]:
    """The read-only columns an export adds after :func:`columns`: what the registry's
    classification says about each initiative. They tell the person editing the table
    what to look at; the classification itself is worked out again from the edited
    description when it is loaded, so the importer skips them."""
    written = "filled by cdkg export from the registry's classification; ignored on import"
    return [
        Column(
            "verdict",
            "verdict",
            f"citizen data, not citizen data, or to be assessed; {written}",
            CDKG.verdict,
            width=18,
            read_only=True,
        ),
        Column(
            "initiative_type",
            "initiative type",
            f"one of the six types of initiative, empty where none is given yet; {written}",
            CDKG.initiativeType,
            width=30,
            read_only=True,
            aliases=("type",),
        ),
        Column(
            "reasons",
            "reasons",
            f"why the registry gives this verdict and type (one reason per line); {written}",
            None,
            width=60,
            read_only=True,
        ),
        Column(
            "missing_facts",
            "missing facts",
            "for a verdict to be assessed, what would decide it (one per line): fill in "
            f"those facts in the columns above, or record an assessment; {written}",
            None,
            width=60,
            read_only=True,
        ),
    ]


# --------------------------------------------------------------------------- reading


def read_records(path: Path) -> list[InitiativeRecord]:
    """The records of a filled ``.xlsx`` or ``.csv`` table; :class:`InputError` on any problem.

    An exported table's read-only classification columns are accepted and skipped."""
    return parse_table(read_table(path), [*columns(), *classification_columns()], SEPARATOR)


def import_table(path: Path, base: str = DEFAULT_BASE_IRI) -> Graph:
    """The RDF description of every row of ``path``; nothing is returned if any row is bad."""
    from cdkg.sources.records import records_to_graph

    return records_to_graph(read_records(path), base)


# --------------------------------------------------------------------------- writing


def _explain(prop: URIRef | None) -> tuple[str, str]:
    if prop is None:
        return "", ""
    graph = ontology_graph()
    definition = graph.value(prop, SKOS.definition) or graph.value(prop, RDFS.comment)
    source = graph.value(prop, DCTERMS.source)
    return (str(definition) if definition else "", str(source) if source else "")


def _write_xlsx(rows: Sequence[Sequence[str]], path: Path, cols: list[Column]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([c.header for c in cols])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    # read-only columns look different: grey, in italics
    grey = PatternFill("solid", fgColor="EDEDED")
    quiet = Font(italic=True, color="595959")
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, italic=True, color="595959") if col.read_only else bold
        cell.fill = grey if col.read_only else fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.freeze_panes = "C2"
    last_row = max(TEMPLATE_ROWS, len(rows) + 1)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            # Control characters cannot be stored in a workbook; they are dropped.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value:
                cell = ws.cell(row=r, column=c, value=value)
                if is_formula_like(value):
                    # Text, never a formula: a string cell marked as quoted text.
                    cell.data_type = "s"
                    cell.quotePrefix = True
                if cols[c - 1].read_only:
                    cell.font = quiet
                    cell.fill = grey
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Every cell is text: "5.10" must not become the number 5.1.
    for index in range(1, len(cols) + 1):
        for r in range(2, last_row + 1):
            ws.cell(row=r, column=index).number_format = "@"

    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_col = 0
    seen: dict[str, str] = {}
    for index, col in enumerate(cols, start=1):
        if col.key == "countries":
            values = country_codes()
        elif col.choices is not None:
            values = [_cell_text(col, c.iri) for c in col.choices().choices]
        else:
            continue
        if not values:
            continue
        ident = "\x1f".join(values)
        if ident not in seen:
            list_col += 1
            letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=col.header)
            for r, value in enumerate(values, start=2):
                lists.cell(row=r, column=list_col, value=value)
            seen[ident] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=seen[ident],
            allow_blank=True,
            showInputMessage=True,
            promptTitle=col.header[:32],
            prompt=col.how[:255],
            # Several values in one cell ("a; b") are not in the list: warn, do not refuse.
            showErrorMessage=not col.multiple,
            errorTitle=f"{col.header} ({'pick from the list'})"[:32],
            error=f"Pick a value from the list for '{col.header}'.",
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)

    _write_explanations(wb.create_sheet(EXPLANATIONS_SHEET), cols)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


def _write_explanations(ws: object, cols: list[Column]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(
        [
            "Each row of the 'initiatives' sheet describes one citizen-data initiative in the "
            "terms of the Copenhagen Framework on Citizen Data (UN Statistical Commission, 2024). "
            f"Several values in one cell are separated by '{SEPARATOR}'."
        ]
    )
    ws.append([])
    ws.append(["column", "what to write", "meaning (Copenhagen Framework)", "source"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for col in cols:
        meaning, source = _explain(col.prop)
        if col.stage is not None:
            stage = stages().by_iri(col.stage)
            meaning = stage.definition or "" if stage else ""
            source = str(ontology_graph().value(col.stage, DCTERMS.source) or "")
        ws.append([col.header, col.how + (" (required)" if col.required else ""), meaning, source])
    lists_done: set[str] = set()
    for col in cols:
        if col.choices is None:
            continue
        choice_list = col.choices()
        if choice_list.name in lists_done:
            continue
        lists_done.add(choice_list.name)
        ws.append([])
        ws.append([f"allowed values: {choice_list.name}", "write", "definition", "source"])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for choice in choice_list.choices:
            value_source = ontology_graph().value(choice.iri, DCTERMS.source)
            ws.append(
                [
                    choice.label,
                    _cell_text(col, choice.iri),
                    choice.definition or "",
                    str(value_source) if value_source else "",
                ]
            )
    for letter, width in zip("ABCD", (28, 40, 90, 40), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap


def _cell_text(col: Column, iri: URIRef) -> str:
    """How a controlled value is written in a cell: levels by number, others by label."""
    assert col.choices is not None
    choice_list = col.choices()
    choice = choice_list.by_iri(iri)
    return str(iri) if choice is None else choice_list.display(choice)


def _write_csv(rows: Sequence[Sequence[str]], path: Path, cols: list[Column]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in cols])
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_records(
    records: Sequence[InitiativeRecord],
    path: Path,
    base: str | None,
    classified: Mapping[str, StoredVerdict] | None = None,
) -> None:
    """Write ``records`` as a table (``.xlsx`` or ``.csv``, by extension).

    With ``classified`` (the stored classification by initiative IRI), the read-only
    :func:`classification_columns` follow the editable ones, empty for an initiative
    the registry holds no classification of.
    """
    cols = columns()
    rows = [cell_values_for(record, cols, base, SEPARATOR, _cell_text) for record in records]
    if classified is not None:
        cols = [*cols, *classification_columns()]
        for record, row in zip(records, rows, strict=True):
            found = classified.get(str(initiative_iri(record, base or "")))
            if found is None:
                row.extend(["", "", "", ""])
            else:
                row.extend(
                    [
                        found.verdict,
                        found.initiative_type,
                        "\n".join(found.reasons),
                        "\n".join(found.missing),
                    ]
                )
    if path.suffix.lower() == ".csv":
        _write_csv(rows, path, cols)
    else:
        _write_xlsx(rows, path, cols)


def write_template(path: Path) -> None:
    """An empty, documented table at ``path`` (``.xlsx`` or ``.csv``)."""
    write_records([], path, None)


def write_workbook(
    graph: Graph,
    path: Path,
    base: str | None = DEFAULT_BASE_IRI,
    classified: Mapping[str, StoredVerdict] | None = None,
) -> int:
    """Write every initiative of ``graph`` to ``path`` in the template's layout; returns the count.

    Initiatives whose IRI is ``base`` + a slug are written with that slug as their id;
    others with their full IRI, which the importer keeps as it is. ``classified`` adds
    the read-only classification columns (see :func:`write_records`).
    """
    records = graph_to_records(graph, base)
    write_records(records, path, base, classified)
    return len(records)
