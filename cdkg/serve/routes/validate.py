"""``POST /validate``: a description in the request body (any RDF syntax, or the check
form's multipart fields), its validation and classification out as JSON, Turtle or HTML.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from cdkg.errors import InputError
from cdkg.render.negotiation import HTML, JSONLD, TURTLE, charset, negotiate
from cdkg.serve import openapi as oa
from cdkg.serve.check import Outcome, check
from cdkg.serve.context import Context
from cdkg.serve.limits import Busy
from cdkg.serve.routes.check import check_page, check_submit, report_context
from cdkg.serve.routes.common import html

router = APIRouter()


@router.post("/validate", summary="Validate and classify a description", openapi_extra=oa.VALIDATE)
async def validate_api(request: Request, context: Context) -> Response:
    content_type = request.headers.get("content-type", "")
    data = await request.body()
    name = request.query_params.get("name", "request body")
    fmt = request.query_params.get("format") or content_type or None
    if content_type.startswith("multipart/form-data"):
        return await check_submit(request, context)
    wanted = negotiate(request.headers.get("accept"), ["application/json", TURTLE, HTML, JSONLD])
    try:
        report = await context.checks.run(check, data, name, fmt)
    except Busy as exc:
        return JSONResponse({"error": [str(exc)]}, status_code=503, headers={"Retry-After": "5"})
    except InputError as exc:
        problems = [str(p) for p in exc.problems]
        if wanted == HTML:
            return html(check_page(context, error=problems), 400)
        status = 415 if "unknown format" in " ".join(problems) else 400
        return JSONResponse({"error": problems}, status_code=status)
    outcome = Outcome(report)
    if wanted == TURTLE:
        return Response(outcome.to_turtle(), media_type=charset(TURTLE))
    if wanted == HTML:
        return html(check_page(context, report=report_context(context, report)))
    return JSONResponse(outcome.to_json())
