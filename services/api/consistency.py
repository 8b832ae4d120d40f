"""Read-your-writes across processes, in two headers.

- Every response to a request that recorded events carries ``Changeledger-Position``: the
  position in the log of its last event. The write also wakes whatever keeps the views
  current (the in-process loop, or the workers through Redis).
- A request carrying ``Changeledger-Min-Position: N`` is answered only once every view includes
  the log up to N; if they don't get there within the wait limit, it gets 503 with Retry-After
  and nothing else happens.

So a client that has just written reads its own write by echoing the position it was given,
while other readers never wait.
"""

from __future__ import annotations

import json
from typing import Any

import anyio.to_thread
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from infra.bootstrap import Container
from infra.request_memo import remembering
from services.api.common import WAIT_SECONDS
from services.use_cases.positions import tracking_writes

POSITION_HEADER = "Changeledger-Position"
MIN_POSITION_HEADER = "Changeledger-Min-Position"
_POSITION_KEY = POSITION_HEADER.lower().encode()
_PROBLEMS = "https://changeledger.example/problems"


class ConsistencyMiddleware:
    """Reports where writes landed, and holds reads until the views include a position.

    The container is the one in the app's state at each request (see ``bind`` in app.py).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        container: Container = scope["litestar_app"].state.container
        wanted = Headers.from_scope(scope).get(MIN_POSITION_HEADER.lower())
        if wanted is not None:
            position = _parse_position(wanted)
            if position is None:
                await _send_problem(
                    send,
                    422,
                    "Invalid input",
                    f"{MIN_POSITION_HEADER}: must be a whole number, the"
                    f" {POSITION_HEADER} a write answered with",
                    slug="invalid-input",
                    errors=[{"field": MIN_POSITION_HEADER, "message": "must be a whole number"}],
                )
                return
            head = await anyio.to_thread.run_sync(_head, container)
            if position > head:
                # Every position a write answers with is already in the log.
                await _send_problem(
                    send,
                    422,
                    "Invalid input",
                    f"{MIN_POSITION_HEADER}: the log has no position {position} yet (it ends at"
                    f" {head}); send the {POSITION_HEADER} a write answered with",
                    slug="invalid-input",
                    errors=[{"field": MIN_POSITION_HEADER, "message": "is beyond the log"}],
                )
                return
            reached = await anyio.to_thread.run_sync(
                container.wait_for_views, position, WAIT_SECONDS
            )
            if not reached:
                await _send_problem(
                    send,
                    503,
                    "Views not yet current",
                    f"the views have not reached position {position} yet; retry shortly",
                    slug="views-behind",
                    headers={"Retry-After": "1"},
                )
                return
        with tracking_writes() as written, remembering():

            async def send_with_position(message: Message) -> None:
                if message["type"] == "http.response.start" and written.highest is not None:
                    headers = list(message.get("headers", []))
                    headers.append((_POSITION_KEY, str(written.highest).encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_position)
        if written.highest is not None:
            container.wake()


def _head(container: Container) -> int:
    return container.app.recorder.max_notification_id() or 0


def _parse_position(value: str) -> int | None:
    text = value.strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


async def _send_problem(
    send: Send,
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> None:
    body = json.dumps(
        {"type": f"{_PROBLEMS}/{slug}", "title": title, "status": status, "detail": detail, **extra}
    ).encode()
    raw_headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
