"""The questionnaire (``/assess``): the questions of ``cdkg assess`` as a web form, and the
verdict and Turtle description its answers give.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from cdkg.errors import InputError
from cdkg.render import pages
from cdkg.serve import openapi as oa
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.questionnaire import answers_from_form, form_context
from cdkg.serve.routes.common import html
from cdkg.sources.questionnaire import answers_to_record, assess

router = APIRouter()


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
    verdict = pages.verdict_from(
        assessment.verdict, context.linker, pages.Namer(), "r0", with_title=True
    )
    result = {
        "summary": "citizen data" if assessment.verdict.is_citizen_data else "not citizen data",
        "verdict": verdict,
        "turtle": assessment.graph.serialize(format="turtle"),
    }
    return assess_page(context, result=result, form=fields)
