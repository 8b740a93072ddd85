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
