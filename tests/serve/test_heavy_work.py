"""Checking a description never stalls the server (issue: one upload stalled every route).

``POST /validate`` and ``/check`` validate on worker threads, never on the event loop,
at most two at once (a third is answered 503 with ``Retry-After`` instead of queueing),
so the stylesheet and the pages answer while a heavy description is checked; and
``/check`` refuses a form posted from another site.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server
#: A valid description that takes seconds to validate: an RDF list of 15,000 members.
HEAVY = (
    "@prefix ex: <https://example.org/> .\n"
    "ex:i a <https://w3id.org/cdkg/ontology#Initiative> ; ex:p ( "
    + " ".join(str(i) for i in range(15000))
    + " ) .\n"
)
TURTLE = {"Content-Type": "text/turtle", "Accept": "application/json"}
SMALL = '@prefix dct: <http://purl.org/dc/terms/> . <https://example.org/x> dct:title "x" .'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("heavy"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def test_pages_answer_while_heavy_descriptions_are_checked(server: LiveServer) -> None:
    done: dict[str, float] = {}
    statuses: list[int] = []

    def heavy(key: str) -> None:
        r = httpx.post(server.url + "/validate", content=HEAVY, headers=TURTLE, timeout=120)
        statuses.append(r.status_code)
        done[key] = time.monotonic()

    workers = [threading.Thread(target=heavy, args=(f"heavy{i}",)) for i in range(2)]
    for w in workers:
        w.start()
    time.sleep(1.0)  # both are being validated now
    css = httpx.get(server.url + "/static/style.css", timeout=120)
    done["css"] = time.monotonic()
    third = httpx.post(server.url + "/validate", content=HEAVY, headers=TURTLE, timeout=120)
    done["third"] = time.monotonic()
    for w in workers:
        w.join()
    assert css.status_code == 200
    # the stylesheet and the refusal came back while both validations were still running
    assert done["css"] < min(done["heavy0"], done["heavy1"])
    assert third.status_code == 503 and third.headers.get("Retry-After")
    assert done["third"] < min(done["heavy0"], done["heavy1"])
    assert statuses == [200, 200]
    # and once they are done, a description is checked again
    again = httpx.post(server.url + "/validate", content=SMALL, headers=TURTLE, timeout=120)
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({}, 200),  # a client that is not a browser (curl) sends neither
    ],
)
def test_check_refuses_forms_posted_from_another_site(
    server: LiveServer, headers: dict[str, str], status: int
) -> None:
    r = httpx.post(server.url + "/check", data={"text": SMALL, "format": "turtle"}, headers=headers)
    assert r.status_code == status, r.text


def test_a_same_origin_post_names_the_server_s_own_host(server: LiveServer) -> None:
    host = server.url.removeprefix("http://")
    r = httpx.post(
        server.url + "/check",
        data={"text": SMALL, "format": "turtle"},
        headers={"Origin": f"http://{host}"},
    )
    assert r.status_code == 200, r.text
