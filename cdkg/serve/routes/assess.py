"""The questionnaire (``/assess``): the questions of ``cdkg assess`` as a web form, and the
verdict and Turtle description its answers give; and settling a registry's to-be-assessed
case (``/assess/settle?initiative=IRI``), as ``cdkg assess --initiative`` does.

Settling writes, so it needs the update token like the other writes (``403`` without one
configured, ``401`` for a missing or wrong one). The token travels in the form post (or
an ``Authorization: Bearer`` header), never in a cookie, so another site cannot make a
browser post it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from rdflib import URIRef

from cdkg.errors import InputError
from cdkg.load.stored import StoredSource, replace_source, source_describing
from cdkg.model.labels import Labels
from cdkg.render import pages
from cdkg.serve import openapi as oa
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.questionnaire import (
    answers_from_form,
    form_context,
    question_view,
    settle_answers,
)
from cdkg.serve.results import ProtocolError
from cdkg.serve.routes.common import html
from cdkg.sources.questionnaire import VERDICT_SUMMARY, answers_to_record, assess, levels_text
from cdkg.sources.settle import (
    Case,
    MappingAnswers,
    Settlement,
    assessment_line,
    open_case,
    questions,
    settle,
)
from cdkg.store import Store

if TYPE_CHECKING:
    from cdkg.classify.verdicts import InitiativeResult

router = APIRouter()


def verdict_view(
    context: ServeContext, item: InitiativeResult, key: str, namer: pages.Namer | None = None
) -> dict[str, Any]:
    """A classification as the page shows it: the verdict box, and the verdict in words."""
    namer = namer or pages.Namer()
    return {
        "summary": VERDICT_SUMMARY[item.verdict],
        "name": item.verdict,
        "verdict": pages.verdict_from(item, context.linker, namer, key, with_title=True),
    }


def _names(case: Case) -> pages.Namer:
    """Names for the agent of the case's recorded assessment, from its description."""
    found = case.result.assessment
    agent = found.attributed_to if found else None
    if not isinstance(agent, URIRef):
        return pages.Namer()
    return pages.Namer({str(agent): Labels(case.graph)(agent)})


def assess_page(context: ServeContext, status: int = 200, **values: Any) -> HTMLResponse:
    """The questionnaire's page, with what ``values`` (form, error, result) it shows."""
    values.setdefault("form", {})
    return html(
        pages.render(
            "assess.html",
            site=pages.site_context(context.linker),
            section="assess",
            title="Is it citizen data? A questionnaire",
            **form_context(),
            **values,
        ),
        status,
    )


@router.get("/assess", response_class=HTMLResponse)
def assess_form(context: Context) -> HTMLResponse:
    return assess_page(context)


@router.post("/assess", response_class=HTMLResponse, openapi_extra=oa.ASSESS)
async def assess_submit(request: Request, context: Context) -> HTMLResponse:
    form = await request.form(max_part_size=context.max_body)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        record = answers_to_record(answers_from_form(fields), "form")
    except InputError as exc:
        return assess_page(context, 400, error=[p.message for p in exc.problems], form=fields)
    assessment = assess(record)
    result = {
        **verdict_view(context, assessment.verdict, "r0"),
        "held_back": levels_text(assessment.held_back),
        "turtle": assessment.graph.serialize(format="turtle"),
        "command": f"cdkg assess --initiative {assessment.iri}",
    }
    return assess_page(context, result=result, form=fields)


# --------------------------------------------------------------------------- settling


class NotOpen(Exception):
    """The case is not to be assessed: nothing to settle."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.iri)
        self.case = case


@dataclass
class Settled:
    source: StoredSource
    settlement: Settlement


def _case(store: Store, iri: str) -> tuple[StoredSource, Case]:
    source = source_describing(store, iri)
    return source, open_case(source.content, iri)


def settle_page(
    context: ServeContext,
    case: Case | None,
    status: int = 200,
    *,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """The settling page for ``case`` (None: only the error is shown)."""
    values.setdefault("form", {})
    settle_view: dict[str, Any] = {"writable": context.writer.token is not None}
    if case is not None:
        asked = questions(case.graph, case.iri, case.result)
        settle_view.update(
            iri=str(case.iri),
            title=case.title,
            open=case.open,
            current=verdict_view(context, case.result, "current", _names(case)),
            href=context.linker.resource(str(case.iri)),
            questions=[question_view(q) for q in asked],
            has_levels=any(q.kind == "level" for q in asked),
        )
    response = html(
        pages.render(
            "assess.html",
            site=pages.site_context(context.linker),
            section="assess",
            title=f"Settle a case: {case.title}" if case else "Settle a case",
            settle=settle_view,
            **form_context(),
            **values,
        ),
        status,
    )
    if headers:
        response.headers.update(headers)
    return response


@router.get("/assess/settle", response_class=HTMLResponse, openapi_extra=oa.SETTLE_READ)
def settle_form(request: Request, context: Context) -> HTMLResponse:
    iri = request.query_params.get("initiative", "").strip()
    if not iri:
        return settle_page(
            context, None, 400, error=["Name the initiative: /assess/settle?initiative=IRI"]
        )
    if context.writer.token is None:
        return settle_page(context, None, 403, error=[_read_only()])
    try:
        _source, case = _case(context.writer.store, iri)
    except InputError as exc:
        return settle_page(context, None, 404, error=[p.message for p in exc.problems])
    return settle_page(context, case)


def _read_only() -> str:
    return (
        "This registry is read-only: settling a case is a write, and writes are off "
        "(start the server with an update token)."
    )


@router.post("/assess/settle", response_class=HTMLResponse, openapi_extra=oa.SETTLE)
async def settle_submit(request: Request, context: Context) -> HTMLResponse:
    form = await request.form(max_part_size=context.max_body)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    iri = fields.get("initiative", "").strip()
    token = fields.get("token", "")
    kept = {k: v for k, v in fields.items() if k != "token"}  # never sent back
    try:
        context.writer.authorise(
            f"Bearer {token}" if token else request.headers.get("authorization")
        )
    except ProtocolError as exc:
        message = _read_only() if exc.status == 403 else "A valid update token is needed."
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return settle_page(context, None, exc.status, headers=headers, error=[message])
    if not iri:
        return settle_page(context, None, 400, error=["The form names no initiative."])

    def record(store: Store) -> Settled:
        source, case = _case(store, iri)
        if not case.open:
            raise NotOpen(case)
        answers = MappingAnswers(settle_answers(fields), "form")
        settlement = settle(case, answers, base=context.layout.base)
        replace_source(store, source, settlement.graph)
        return Settled(source, settlement)

    try:
        done = context.writer.write(record)
    except ProtocolError as exc:
        return settle_page(context, None, exc.status, error=[exc.message])
    except NotOpen as exc:
        summary = VERDICT_SUMMARY[exc.case.result.verdict]
        return settle_page(
            context,
            exc.case,
            409,
            error=[f"Not to be assessed: its verdict is {summary}. Nothing was changed."],
        )
    except InputError as exc:
        errors = [str(p).removeprefix("form: ") for p in exc.problems]
        try:
            _source, case = _case(context.writer.store, iri)
        except InputError:
            return settle_page(context, None, 404, error=errors)
        return settle_page(context, case, 400, error=errors, form=kept)
    settlement = done.settlement
    names = pages.Namer({str(settlement.agent): Labels(settlement.graph)(settlement.agent)})
    settled = {
        **verdict_view(context, settlement.result, "settled", names),
        "facts": settlement.facts,
        "assessment": assessment_line(settlement),
        "replaced": settlement.replaced,
        "graph": done.source.graph,
        "contradicts": settlement.contradicts_rules,
    }
    return settle_page(context, settlement.case, settled=settled)
