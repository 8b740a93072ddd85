"""The "Check an initiative" form (``/check``): paste or upload a description, see whether
it is citizen data and what to fix. :mod:`~cdkg.serve.routes.validate` answers in HTML
with the same page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from cdkg.classify.verdicts import ClassificationReport
from cdkg.errors import InputError
from cdkg.render import pages
from cdkg.render.data import VERDICT_NAMES
from cdkg.render.words import local_name
from cdkg.serve import openapi as oa
from cdkg.serve.check import FORM_FORMATS, check
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.limits import Busy, cross_site
from cdkg.serve.routes.common import html

router = APIRouter()


def check_page(context: ServeContext, **values: Any) -> str:
    """The form's page, with whatever ``values`` (report, error, text, format) it shows."""
    values.setdefault("format", "auto")
    return pages.render(
        "check.html",
        site=pages.site_context(context.linker),
        section="check",
        title="Check an initiative",
        action="/check",
        formats=FORM_FORMATS,
        **values,
    )


def report_context(context: ServeContext, report: ClassificationReport) -> dict[str, Any]:
    """What the page shows of ``report``: a one-line summary, the verdicts, the violations."""
    namer = pages.Namer()
    verdicts = [
        pages.verdict_from(r, context.linker, namer, f"r{i}", with_title=True)
        for i, r in enumerate(report.initiatives)
    ]
    problems = [
        {
            "severity": r.severity_name,
            "message": r.message,
            "focus": r.focus_node,
            "path": local_name(r.result_path) if r.result_path else None,
        }
        for r in report.validation.results
        if r.severity_name == "Violation"
    ]
    n = len(verdicts)
    if n == 0:
        summary = "no initiative found in the description"
    elif n == 1:
        summary = verdicts[0].label.lower()
    else:
        counts = [
            f"{sum(1 for v in verdicts if v.verdict == name)} {pages.verdict_label(name).lower()}"
            for name in VERDICT_NAMES
        ]
        summary = f"{n} initiatives: " + ", ".join(counts)
    if problems:
        summary += f"; {len(problems)} problem{'s' if len(problems) > 1 else ''} to fix"
    return {"summary": summary, "verdicts": verdicts, "problems": problems}


@router.get("/check", response_class=HTMLResponse)
def check_form(context: Context) -> HTMLResponse:
    return html(check_page(context))


@router.post("/check", response_class=HTMLResponse, openapi_extra=oa.CHECK)
async def check_submit(request: Request, context: Context) -> HTMLResponse:
    if cross_site(request.headers, request.headers.get("host")):
        return html(check_page(context, error=["a form posted from another site is refused"]), 403)
    form = await request.form(max_part_size=context.max_body)
    text = form.get("text")
    upload = form.get("file")
    fmt = str(form.get("format") or "auto")
    name, data = "pasted text", b""
    if isinstance(upload, UploadFile) and upload.filename:
        name = upload.filename
        data = await upload.read()
    elif isinstance(text, str):
        data = text.encode("utf-8")
    shown = text if isinstance(text, str) else ""
    try:
        report = await context.checks.run(check, data, name, fmt)
    except Busy as exc:
        response = html(check_page(context, error=[str(exc)], text=shown, format=fmt), 503)
        response.headers["Retry-After"] = "5"
        return response
    except InputError as exc:
        return html(
            check_page(context, error=[str(p) for p in exc.problems], text=shown, format=fmt),
            400,
        )
    return html(check_page(context, report=report_context(context, report), text=shown, format=fmt))
