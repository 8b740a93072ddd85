"""A limit on the size of request bodies, enforced before any route reads one.

Every request with a body (``/validate``, ``/check``, ``/assess``, ``/sparql``,
``/graph-store``) passes through :class:`BodyLimit`: a declared ``Content-Length`` over
the limit is refused at once, and a body streamed without one is counted as it arrives
and refused as soon as it passes the limit — in both cases with ``413`` and a one-line
message, before the application sees a byte of it.
"""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyLimit:
    """ASGI middleware: answer ``413`` to requests whose body is over ``limit`` bytes."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> bytes:
        return (
            f"the request body is larger than the limit of {self.limit:,} bytes: "
            "send a smaller document (or load large files with 'cdkg load')\n"
        ).encode()

    async def _refuse(self, send: Any) -> None:
        body = self._message()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.limit:
                    await self._refuse(send)
                    return
            except ValueError:
                pass
        # Read the body (at most ``limit`` bytes) before the application runs, then replay it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(
            scope,
            _replay([{"type": "http.request", "body": body, "more_body": False}], receive),
            send,
        )


def _replay(messages: list[Message], then: Any = None) -> Any:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            message: Message = await then()
            return message
        return {"type": "http.disconnect"}

    return receive


class Busy(Exception):
    """Every slot for heavy work is taken: answer ``503`` with ``Retry-After``."""


class Slots:
    """At most ``size`` pieces of heavy work (validating a description) at once, each on a
    worker thread, never on the event loop: one more is refused at once (:class:`Busy`)
    rather than queued behind the others."""

    def __init__(self, size: int = 2) -> None:
        import threading

        self.size = size
        self._free = threading.BoundedSemaphore(size)

    async def run(self, work: Any, *args: Any) -> Any:
        from starlette.concurrency import run_in_threadpool

        if not self._free.acquire(blocking=False):
            raise Busy(f"{self.size} descriptions are being checked already: try again shortly")
        try:
            return await run_in_threadpool(work, *args)
        finally:
            self._free.release()


def cross_site(headers: Any, host: str | None) -> bool:
    """Whether a form post comes from another site (``Sec-Fetch-Site``, else ``Origin``
    against the request's own host): a page elsewhere must not make its visitors' browsers
    post here."""
    site: str | None = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin: str | None = headers.get("origin")
    if origin is None or origin == "null":
        return origin == "null"
    from urllib.parse import urlsplit

    return bool(urlsplit(origin).netloc != (host or ""))
