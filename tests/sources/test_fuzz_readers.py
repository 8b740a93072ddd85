"""Every reader, for any input: a result or an InputError — never a crash, never a hang.

Property-based (hypothesis): random bytes, random text, and random edits of real example
files for each RDF syntax, CSV and XLSX tables, questionnaire answers and PPSR-Core JSON.
Whatever is accepted is also turned into RDF and serialised, so a hostile value cannot
crash a later stage either.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import rdflib
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cdkg.errors import InputError
from cdkg.rdf.read import Source, iter_parsed
from cdkg.sources.ppsr import read_ppsr
from cdkg.sources.questionnaire import answers_to_record, assess, read_answers
from cdkg.sources.records import records_to_graph
from cdkg.sources.spreadsheet import read_records
from tests.support.paths import EXAMPLES, TEST_DATA

TIME_LIMIT = 10.0  # seconds for one input; real inputs of this size take milliseconds
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_TMP = Path(tempfile.mkdtemp(prefix="cdkg-fuzz-"))


def _outcome(func: Callable[[], Any]) -> Any:
    """Run ``func``; an InputError is a fine answer, anything else propagates and fails."""
    started = time.monotonic()
    try:
        return func()
    except InputError as exc:
        text = str(exc)
        assert text.strip(), "an InputError must say what is wrong"
        assert "Traceback" not in text
        return None
    finally:
        assert time.monotonic() - started < TIME_LIMIT, "a reader took too long"


# ------------------------------------------------------------------ mutations


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few random edits: deletions, insertions, duplications, cuts."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "flip"]))
        if edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "insert":
            junk = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=20),
                    st.sampled_from(
                        [b"\x00", b"\xff\xfe", b'"', b"<", b">", b"{", b"}", b"[", b"@context",
                         b"&lol;", b"\\u0000", b"*a", b"&a", b"\n", b"'''", b"%", b"=cmd|"]
                    ),
                )
            )  # fmt: skip
            data[at:at] = junk
        elif edit == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif edit == "truncate":
            del data[at:]
        else:
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


# ------------------------------------------------------------------ RDF syntaxes

_SAMPLE = rdflib.Graph().parse(EXAMPLES / "ebird.ttl")
RDF_SAMPLES: dict[str, bytes] = {
    "turtle": (EXAMPLES / "ebird.ttl").read_bytes(),
    "nt": _SAMPLE.serialize(format="nt", encoding="utf-8"),
    "nquads": rdflib.Dataset()
    .parse(data=_SAMPLE.serialize(format="nt"), format="nt")
    .serialize(format="nquads", encoding="utf-8"),
    "trig": _SAMPLE.serialize(format="trig", encoding="utf-8"),
    "xml": _SAMPLE.serialize(format="xml", encoding="utf-8"),
    "json-ld": (EXAMPLES / "curieuzeneuzen-no2.jsonld").read_bytes(),
    "yaml-ld": (EXAMPLES / "harassmap.yaml").read_bytes(),
}


def _parse_rdf(fmt: str, data: bytes) -> None:
    def run() -> None:
        for _source, ds in iter_parsed([Source(f"fuzz.{fmt}", fmt, data)]):
            ds.serialize(format="nquads")

    _outcome(run)


@pytest.mark.parametrize("fmt", sorted(RDF_SAMPLES))
@FUZZ
@given(data=st.data())
def test_rdf_reader_on_edited_documents(fmt: str, data: st.DataObject) -> None:
    _parse_rdf(fmt, data.draw(mutated(RDF_SAMPLES[fmt])))


@pytest.mark.parametrize("fmt", sorted(RDF_SAMPLES))
@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_rdf_reader_on_random_input(fmt: str, raw: bytes) -> None:
    _parse_rdf(fmt, raw)


@pytest.mark.parametrize("fmt", ["nt", "nquads", "turtle"])
def test_a_huge_literal_is_read_in_linear_time(fmt: str) -> None:
    """rdflib's N-Triples parser once took 15 s for a 2 MB literal (quadratic)."""
    literal = "x" * 10_000_000
    data = f'<https://example.org/i> <http://purl.org/dc/terms/title> "{literal}" .\n'.encode()
    started = time.monotonic()
    [(_source, ds)] = list(iter_parsed([Source(f"huge.{fmt}", fmt, data)]))
    assert len(ds) == 1
    assert time.monotonic() - started < 10


def test_a_literal_beyond_the_line_buffer_is_refused_quickly() -> None:
    data = b'<https://example.org/i> <http://purl.org/dc/terms/title> "' + b"x" * 20_000_000
    started = time.monotonic()
    with pytest.raises(InputError, match=r"huge\.nt"):
        list(iter_parsed([Source("huge.nt", "nt", data + b'" .\n')]))
    assert time.monotonic() - started < 10


# ------------------------------------------------------------------ tables


def _read_table_file(suffix: str, data: bytes) -> None:
    path = _TMP / f"table{suffix}"
    path.write_bytes(data)

    def run() -> None:
        records = read_records(path)
        records_to_graph(records).serialize(format="turtle")

    _outcome(run)


CSV_SAMPLE = (EXAMPLES / "spreadsheets" / "initiatives.csv").read_bytes()
XLSX_SAMPLE = (EXAMPLES / "spreadsheets" / "initiatives.xlsx").read_bytes()
HEADER = CSV_SAMPLE.decode("utf-8").splitlines()[0].split(",")


@FUZZ
@given(data=st.data())
def test_csv_reader_on_edited_tables(data: st.DataObject) -> None:
    _read_table_file(".csv", data.draw(mutated(CSV_SAMPLE)))


_cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)", "+254", "-1", "5.10", "yes",
                     "KEN", "Community", "5", "6.1; 6.2", "https://example.org/x", "  "]),
)  # fmt: skip


@FUZZ
@given(rows=st.lists(st.lists(_cell, max_size=len(HEADER) + 2), max_size=6), real=st.booleans())
def test_csv_reader_on_random_cells(rows: list[list[str]], real: bool) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if real:
        writer.writerow(HEADER)
    writer.writerows(rows)
    _read_table_file(".csv", buffer.getvalue().encode("utf-8"))


_xlsx_value = st.one_of(
    _cell,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
)


@FUZZ
@given(
    rows=st.lists(st.lists(_xlsx_value, max_size=len(HEADER) + 2), max_size=6),
    real=st.booleans(),
    sheet=st.sampled_from(["initiatives", "Sheet", "x"]),
)
def test_xlsx_reader_on_random_workbooks(rows: list[list[Any]], real: bool, sheet: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    if real:
        ws.append(HEADER)
    for row in rows:
        ws.append([_storable(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    _read_table_file(".xlsx", buffer.getvalue())


def _storable(value: Any) -> Any:
    """A workbook cannot hold control characters (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@settings(FUZZ, max_examples=25)  # a workbook takes ~0.5 s to open
@given(data=st.data())
def test_xlsx_reader_on_damaged_files(data: st.DataObject) -> None:
    _read_table_file(".xlsx", data.draw(mutated(XLSX_SAMPLE)))


# ------------------------------------------------------------------ questionnaire answers

ANSWERS_SAMPLE = (TEST_DATA / "assess" / "kisumu-well-watch.yaml").read_bytes()
_ANSWER_KEYS = ["id", "title", "description", "website", "initiators", "collaborators",
                "participation", "sdgs", "countries", "notes", "name", "type", "design",
                "collection", "uptake"]  # fmt: skip
_answer_json = st.recursive(
    st.one_of(_cell, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_ANSWER_KEYS), st.text(max_size=5)), inner,
                        max_size=6),
    ),
    max_leaves=30,
)  # fmt: skip


def _read_answers_file(data: bytes) -> None:
    path = _TMP / "answers.yaml"
    path.write_bytes(data)

    def run() -> None:
        record = answers_to_record(read_answers(path), str(path))
        assess(record)

    _outcome(run)


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_answers_reader_on_edited_files(data: st.DataObject) -> None:
    _read_answers_file(data.draw(mutated(ANSWERS_SAMPLE)))


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(_ANSWER_KEYS), _answer_json, max_size=8))
def test_answers_reader_on_random_answers(doc: dict[str, Any]) -> None:
    _read_answers_file(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


# ------------------------------------------------------------------ PPSR-Core

PPSR_SAMPLE = (EXAMPLES / "ppsr" / "projects.json").read_bytes()
_PPSR_KEYS = sorted(
    {k for project in json.loads(PPSR_SAMPLE)["projects"] for k in project} | {"projects"}
)


def _read_ppsr_file(data: bytes) -> None:
    path = _TMP / "projects.json"
    path.write_bytes(data)

    def run() -> None:
        records_to_graph(read_ppsr(path).records).serialize(format="turtle")

    _outcome(run)


@FUZZ
@given(data=st.data())
def test_ppsr_reader_on_edited_files(data: st.DataObject) -> None:
    _read_ppsr_file(data.draw(mutated(PPSR_SAMPLE)))


_ppsr_json = st.recursive(
    st.one_of(_cell, st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(_PPSR_KEYS), inner, max_size=8),
    ),
    max_leaves=40,
)


@FUZZ
@given(doc=_ppsr_json)
def test_ppsr_reader_on_random_projects(doc: Any) -> None:
    _read_ppsr_file(json.dumps(doc).encode("utf-8"))


# ------------------------------------------------------------------ table writers

_free_text = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() == t and t.strip())


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@settings(FUZZ, max_examples=12)  # writing a documented workbook takes ~1 s
@example(title="=cmd|' /C calc'!A0", description="@SUM(A1:A9)")
@example(title="+254 700 000 000", description="-5")
@example(title="line\r\nbreaks\rhere", description='=HYPERLINK("http://x")')
@given(
    # a title of characters XML cannot hold only (e.g. "\x01") is empty once written: an
    # input error then, as it should be, so not generated here
    title=st.one_of(_free_text.filter(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t).strip()),
                    st.sampled_from(["=1+1", "=cmd|' /C calc'!A0", "@SUM(A1:A9)",
                                                  "+254 700 000 000", "-5", "=HYPERLINK(\"x\")"])),
    description=st.one_of(st.none(), _free_text),
)  # fmt: skip
def test_table_writers_keep_any_text_and_never_write_a_formula(
    suffix: str, title: str, description: str | None
) -> None:
    from cdkg.sources.records import ActorEntry, InitiativeRecord
    from cdkg.sources.spreadsheet import write_records
    from cdkg.sources.table import FORMULA_TRIGGERS

    record = InitiativeRecord(
        title=title,
        key="fuzzed",
        description=description,
        initiators=[ActorEntry("=2+2 Residents", (rdflib.URIRef(CDKG_NS + "Community"),))],
    )
    path = _TMP / f"written{suffix}"
    write_records([record], path, "https://example.org/")
    if suffix == ".csv":
        import csv

        cells = [c for row in csv.reader(io.StringIO(path.read_text("utf-8"))) for c in row]
        assert not any(c.startswith(FORMULA_TRIGGERS) for c in cells), cells
    else:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    [back] = read_records(path)
    if suffix == ".xlsx":
        expected = ILLEGAL_CHARACTERS_RE.sub("", title)
    else:
        expected = title.replace("\r\n", "\n").replace("\r", "\n")
    assert back.title == expected.strip()
    assert [a.name for a in back.initiators] == ["=2+2 Residents"]


CDKG_NS = "https://w3id.org/cdkg/ontology#"
