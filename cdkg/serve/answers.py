"""A query's answer over an embedded store, written as the client asked (what a query
worker process does; see :mod:`cdkg.serve.query_process`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from cdkg.rdf.terms import to_binding
from cdkg.serve.results import Answer, write_boolean, write_graph, write_results


@dataclass(frozen=True)
class Job:
    """One query for a worker process: what to run and how to write the answer."""

    query: str
    form: str
    media_type: str
    max_results: int
    deadline_seconds: float
    #: Why the query could not be checked from its parse tree (see
    #: :mod:`cdkg.rdf.sparql_check`), if so: only a process without network runs it.
    unchecked: str | None = None


class Refused(Exception):
    """A query a worker could not answer, with the HTTP status and message to give."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _capped(
    items: Iterator[Any], limit: int, deadline: float, timeout: float
) -> tuple[list[Any], bool]:
    out: list[Any] = []
    for item in items:
        if len(out) >= limit:
            return out, True
        if time.monotonic() > deadline:
            raise Refused(503, f"the query took longer than the limit of {timeout:g} s")
        out.append(item)
    return out, False


def answer_embedded(store: ox.Store, job: Job) -> Answer:
    """Run ``job`` on ``store`` (the union of its graphs as the default graph)."""
    deadline = time.monotonic() + job.deadline_seconds
    try:
        answer = store.query(job.query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise Refused(400, f"the query is not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise Refused(500, f"the query failed: {exc}") from None
    media_type, limit, timeout = job.media_type, job.max_results, job.deadline_seconds
    if isinstance(answer, ox.QueryBoolean):
        return Answer(write_boolean(media_type, bool(answer)), media_type)
    if isinstance(answer, ox.QueryTriples):
        triples, cut = _capped(iter(answer), limit, deadline, timeout)
        return Answer(write_graph(media_type, triples), media_type, cut)
    variables = [v.value for v in answer.variables]
    solutions, cut = _capped(iter(answer), limit, deadline, timeout)
    rows = []
    for sol in solutions:
        row = {}
        for v in variables:
            term = sol[v]
            if term is not None:
                row[v] = to_binding(term)
        rows.append(row)
    return Answer(write_results(media_type, variables, rows), media_type, cut)
