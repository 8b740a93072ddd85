"""Fuzzing the HTTP API from its own OpenAPI description (schemathesis over ASGI).

Every operation in ``/openapi.json`` gets generated requests — query strings, RDF and
SPARQL bodies, forms, with and without the update token — and must answer without a
server error and without a traceback in the body.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from cdkg.serve.app import create_app
from cdkg.store import open_store
from tests.support.webfixtures import BASE, example_store

pytestmark = pytest.mark.server
TOKEN = "fuzz-token"

# SPARQL bodies and N-Triples go on the wire as text.
schemathesis.serializer.alias(
    ["application/sparql-query", "application/sparql-update", "application/n-triples"],
    "text/plain",
)
schemathesis.serializer.alias(["application/rdf+xml"], "text/plain")


def _schema() -> schemathesis.BaseSchema:
    """The application's own ``/openapi.json`` (it does not depend on the store's content)."""
    folder = Path(tempfile.mkdtemp(prefix="cdkg-openapi-"))
    try:
        with open_store(folder / "store") as store:
            description = create_app(store, BASE).openapi()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return schemathesis.openapi.from_dict(description)


schema = _schema()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with open_store(example_store(folder), create=False) as store:
        yield create_app(store, BASE, query_timeout=2.0, max_results=100, update_token=TOKEN)


def test_the_openapi_description_lists_every_route() -> None:
    paths = schema.raw_schema["paths"]
    for path in ("/sparql", "/validate", "/check", "/assess", "/graph-store", "/{path}"):
        assert path in paths, path
    assert "requestBody" in paths["/validate"]["post"]
    assert {p["name"] for p in paths["/sparql"]["get"]["parameters"]} >= {"query", "format"}


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_for_any_request(app: object, case: schemathesis.Case) -> None:
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        response = case.call(app=app, headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:500])
        assert "Traceback" not in response.text
