"""The questionnaire (cdkg assess): answers file, verdicts, errors, and the acceptance test."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from cdkg.classify.verdicts import classify
from cdkg.errors import InputError
from cdkg.model.namespaces import CDKG
from cdkg.rdf.read import load_graph
from cdkg.sources.questionnaire import answers_to_record, assess, render_verdict
from cdkg.sources.spreadsheet import import_table, write_template
from tests.support.paths import EXAMPLES, TEST_DATA

DATA = TEST_DATA / "assess"
EXAMPLE_CSV = EXAMPLES / "spreadsheets" / "initiatives.csv"
BASE = "https://registry.example.org/initiative/"


def test_answers_file_gives_verdict_and_description(cli, tmp_path: Path) -> None:
    out = tmp_path / "well.ttl"
    result = cli(
        "assess",
        "--answers",
        str(DATA / "kisumu-well-watch.yaml"),
        "--out",
        str(out),
        "--base-iri",
        BASE,
    )
    assert result.code == 0, result.err
    assert "Kisumu Well Watch is citizen data." in result.out
    assert "Type 1 of 6" in result.out
    assert "Why:" in result.out
    assert f"Description written to {out}" in result.out
    graph = load_graph([str(out)])
    assert (URIRef(BASE + "kisumu-well-watch"), None, None) in graph


def test_answers_without_out_print_turtle_on_stdout(cli) -> None:
    result = cli("assess", "--answers", str(DATA / "kisumu-well-watch.yaml"))
    assert result.code == 0, result.err
    assert "is citizen data" in result.err  # the verdict goes to stderr
    assert "@prefix cdkg:" in result.out


def test_yaml_ld_output(cli, tmp_path: Path) -> None:
    out = tmp_path / "well.yaml"
    result = cli("assess", "--answers", str(DATA / "kisumu-well-watch.yaml"), "--out", str(out))
    assert result.code == 0, result.err
    ttl = tmp_path / "well.ttl"
    cli("assess", "--answers", str(DATA / "kisumu-well-watch.yaml"), "--out", str(ttl))
    assert isomorphic(load_graph([str(out)]), load_graph([str(ttl)]))


def test_bad_answers_name_each_key_and_write_nothing(cli, tmp_path: Path) -> None:
    out = tmp_path / "never.ttl"
    result = cli("assess", "--answers", str(DATA / "bad.yaml"), "--out", str(out))
    assert result.code == 2
    assert not out.exists()
    for expected in (
        "bad.yaml: title: empty",
        "bad.yaml: initiators[1].type: 'Fishermen' is not allowed; use one of: Citizens,",
        "bad.yaml: collaborators: expected a list",
        "bad.yaml: participation.design: '9' is not allowed; use one of: 1 (Information)",
        "bad.yaml: participation.tasting: 'tasting' is not allowed",
        "bad.yaml: sdgs: '18' is not a known SDG",
        "bad.yaml: countries: 'KENYA' is not an ISO 3166-1 alpha-3 country code",
        "bad.yaml: colour: unknown question",
    ):
        assert expected in result.err, (expected, result.err)
    assert "Traceback" not in result.err


def test_answers_file_that_is_not_a_mapping(cli, tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    result = cli("assess", "--answers", str(path))
    assert result.code == 2 and "expected a mapping of answers" in result.err
    path.write_text("title: [oops\n", encoding="utf-8")
    result = cli("assess", "--answers", str(path))
    assert result.code == 2 and "list.yaml:" in result.err and "not valid YAML" in result.err


def _row_answers(row: dict[str, str]) -> dict[str, object]:
    """Translate one row of the example table into questionnaire answers, by hand."""

    def split(text: str) -> list[str]:
        return [v.strip() for v in text.split(";") if v.strip()]

    def actors(names: str, types: str) -> list[dict[str, str]]:
        kinds = split(types)
        return [
            {"name": n, "type": kinds[0] if len(kinds) == 1 else kinds[i]}
            for i, n in enumerate(split(names))
        ]

    stage_codes = {
        "level: Design": "design",
        "level: Data collection": "collection",
        "level: Processing": "processing",
        "level: Analysis and dissemination": "analysis-dissemination",
        "level: Data uptake": "uptake",
        "level: Impact review": "impact-review",
    }
    answers: dict[str, object] = {
        "id": row["id"],
        "title": row["title"],
        "initiators": actors(row["initiators"], row["initiator types"]),
        "participation": {
            code: int(row[header]) for header, code in stage_codes.items() if row[header]
        },
        "sdgs": split(row["SDGs"]),
        "countries": split(row["countries"]),
    }
    if row["collaborators"]:
        answers["collaborators"] = actors(row["collaborators"], row["collaborator types"])
    return answers


def _verdicts(graph) -> dict[str, tuple[str, int | None, bool | None]]:
    return {
        str(i.iri): (str(i.initiative_type), i.type_number, i.is_citizen_data)
        for i in classify(graph).initiatives
    }


@pytest.mark.slow
def test_acceptance_sheet_and_questionnaire_give_the_same_verdicts(tmp_path: Path) -> None:
    """Template → filled sheet → import → classify == questionnaire, for the same answers."""
    rows = list(csv.DictReader(EXAMPLE_CSV.open(encoding="utf-8")))
    # fill a fresh template with the rows, as a person would
    import openpyxl

    sheet = tmp_path / "filled.xlsx"
    write_template(sheet)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["initiatives"]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            if value:
                ws.cell(row=r, column=headers.index(header) + 1, value=value)
    wb.save(sheet)
    from_sheet = _verdicts(import_table(sheet, BASE))

    from_questionnaire: dict[str, tuple[str, int | None, bool | None]] = {}
    for row in rows:
        answers = _row_answers(row)
        answers_file = tmp_path / f"{row['id']}.yaml"
        answers_file.write_text(yaml.safe_dump(answers), encoding="utf-8")
        record = answers_to_record(yaml.safe_load(answers_file.read_text()), str(answers_file))
        a = assess(record, BASE)
        from_questionnaire[str(a.iri)] = (
            str(a.verdict.initiative_type),
            a.verdict.type_number,
            a.verdict.is_citizen_data,
        )
    assert from_sheet == from_questionnaire
    assert {v[1] for v in from_sheet.values()} == {1, 2, 3, 4, 5, 6}  # every type is exercised


@pytest.fixture(scope="module")
def example_verdicts() -> dict[str, tuple[str, int | None, bool | None]]:
    return _verdicts(import_table(EXAMPLE_CSV, BASE))


@pytest.mark.parametrize(
    ("slug", "number", "citizen"),
    [
        ("kisumu-well-watch", 1, True),
        ("youth-budget-tracker", 2, True),
        ("accra-market-safety", 3, True),
        ("disability-access-survey", 4, True),
        ("coastal-plastic-count", 5, True),
        ("urban-flood-map", 6, False),
        ("census-outreach", 6, False),
    ],
)
def test_example_table_verdicts(
    example_verdicts: dict[str, tuple[str, int | None, bool | None]],
    slug: str,
    number: int,
    citizen: bool,
) -> None:
    _type, got_number, got_citizen = example_verdicts[BASE + slug]
    assert (got_number, got_citizen) == (number, citizen)


# --------------------------------------------------------------------------- to be assessed


def test_dont_know_ends_in_to_be_assessed_and_says_what_would_decide(cli) -> None:
    result = cli("assess", "--answers", str(DATA / "air-quality-study.yaml"), "--base-iri", BASE)
    assert result.code == 0, result.err
    verdict = result.err  # without --out the verdict goes to stderr
    assert "Air Quality Study is to be assessed" in verdict
    assert "is citizen data" not in verdict and "is not citizen data" not in verdict
    assert "Type: none yet" in verdict and "Type None" not in verdict
    assert "What would decide it:" in verdict
    assert "  [ ] How much say citizens have in designing the data work" in verdict
    assert "  [ ] How much say citizens have in collecting the data" in verdict
    assert f"cdkg assess --initiative {BASE}air-quality-study" in verdict
    # the uptake level is kept, but not as an engagement the rules would read as complete
    assert "data uptake: level 3" in verdict
    graph = Graph().parse(data=result.out, format="turtle")
    assert not list(graph.objects(URIRef(BASE + "air-quality-study"), CDKG.hasEngagement))


def _answers(**participation: object) -> dict[str, object]:
    return {
        "title": "Household water survey",
        "initiators": [{"name": "Statistics office", "type": "NSO"}],
        "participation": participation,
    }


@pytest.mark.parametrize(
    ("participation", "verdict", "engagements", "held"),
    [
        # known and insufficient at design and collection: decided, not citizen data
        ({"collection": 2}, "not-citizen-data", 1, False),
        ({"design": 2, "collection": 2}, "not-citizen-data", 2, False),
        # not known where it decides: the recorded levels are held back (unknown is not no)
        ({"design": "don't know", "collection": 2}, "to-be-assessed", 0, True),
        ({"design": "?", "uptake": 4}, "to-be-assessed", 0, True),
        # not known only where it does not decide: recorded
        ({"design": 2, "collection": 2, "uptake": "?"}, "not-citizen-data", 2, False),
        # a sufficient level decides whatever is unknown
        ({"design": 4, "collection": "unknown"}, "citizen-data", 1, False),
        # nothing known: no engagement recorded
        ({"design": "?", "collection": "?"}, "to-be-assessed", 0, False),
    ],
)
def test_unknown_is_not_no(
    participation: dict[str, object], verdict: str, engagements: int, held: bool
) -> None:
    a = assess(answers_to_record(_answers(**participation)), BASE)
    assert a.verdict.verdict == verdict, a.verdict.reasons
    assert len(list(a.graph.objects(a.iri, CDKG.hasEngagement))) == engagements
    assert bool(a.held_back) is held
    text = render_verdict(a)
    if verdict == "to-be-assessed":
        assert a.verdict.type_number is None and a.verdict.is_citizen_data is None
        assert {m.fact for m in a.verdict.missing} >= {
            "participation-at-design",
            "participation-at-collection",
        }
        assert "is to be assessed" in text and "What would decide it:" in text
    else:
        assert "What would decide it:" not in text
        assert f"Type {a.verdict.type_number} of 6" in text


def test_held_back_levels_are_kept_as_a_note() -> None:
    a = assess(answers_to_record(_answers(design="?", collection=2, uptake=3)), BASE)
    assert a.held_back
    notes = [str(n) for n in a.graph.objects(a.iri, SKOS.note)]
    assert any("data collection: level 2 (Consultation)" in n for n in notes), notes
    assert "Not recorded as engagements" in render_verdict(a)


def test_dont_know_does_not_matter_when_citizens_initiate() -> None:
    answers = {
        "title": "Lake watch",
        "initiators": [{"name": "Lakeside fishers", "type": "Community"}],
        "participation": {"design": "don't know", "collection": "?"},
    }
    a = assess(answers_to_record(answers), BASE)
    assert (a.verdict.verdict, a.verdict.type_number) == ("citizen-data", 1)
    assert "Lake watch is citizen data." in render_verdict(a)


def test_a_wrong_level_says_dont_know_is_allowed() -> None:
    with pytest.raises(InputError) as caught:
        answers_to_record(_answers(design="lots"))
    assert "participation.design: 'lots' is not allowed" in str(caught.value)
    assert 'or "don\'t know"' in str(caught.value)
