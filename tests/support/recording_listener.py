"""A loopback HTTP listener that records every request it receives.

Hostile-input tests point remote references (contexts, imports, DTDs, SERVICE, FROM) at
it and then assert that nothing arrived: the only sound proof that no fetch happened.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Listener:
    url: str
    requests: list[str] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)


@contextmanager
def recording_listener() -> Iterator[Listener]:
    """Serve on 127.0.0.1 (a free port) until the block ends; every request is recorded."""
    state = Listener(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            state.requests.append(f"{self.command} {self.path}")
            body = b'{"@context": {"title": "http://purl.org/dc/terms/title"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _record

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def get_request(self) -> tuple[socket.socket, object]:
            conn, addr = super().get_request()
            state.connections.append(str(addr))
            return conn, addr

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
