"""A registry built from the examples, and a live ``cdkg serve`` app on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from cdkg.load.loader import load
from cdkg.sources.spreadsheet import import_table
from cdkg.store import Store, open_store
from tests.support.paths import REPO

EXAMPLE_TABLE = REPO / "examples" / "spreadsheets" / "initiatives.csv"
BASE = "https://data.example.org/"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def example_turtle(folder: Path) -> Path:
    """The example table imported as Turtle under :data:`BASE`."""
    out = folder / "initiatives.ttl"
    import_table(EXAMPLE_TABLE, BASE).serialize(out, format="turtle")
    return out


def example_store(folder: Path) -> Path:
    """An embedded store holding the example initiatives (loaded and classified)."""
    store_dir = folder / "store"
    with open_store(store_dir) as store:
        load(store, [str(example_turtle(folder))])
    return store_dir


class LiveServer:
    """uvicorn serving ``app`` in a thread on 127.0.0.1:<free port>."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/static/style.css", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"the server did not start on {self.url}")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def serving(store: Store, base: str = BASE, **options: object) -> Iterator[LiveServer]:
    from cdkg.serve.app import create_app

    server = LiveServer(create_app(store, base, **options)).start()  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


#: A minimal good description and a broken one, for the check form and POST /validate.
GOOD = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/i/river-watch> a cdkg:Initiative ;
    dct:title "River Watch" ;
    cdkg:initiatedBy <https://example.org/a/fishers> .
<https://example.org/a/fishers> a cdkg:Community ; foaf:name "Lakeside fishers" .
"""
BROKEN = '@prefix dct: <http://purl.org/dc/terms/> .\n<x> dct:title "unterminated ;\n'
