"""Turning view rows and history entries into response bodies."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Response

from domain.errors import NotFound
from projections.timefmt import iso
from services.api import schemas
from services.api.common import etag
from services.application import HistoryEntry

S = TypeVar("S", bound=msgspec.Struct)


def one(
    cls: type[S], row: dict[str, Any] | None, kind: str, record_id: str, *, status_code: int = 200
) -> Response[S]:
    """One record from a view row, with its version as the ETag; no row is a 404."""
    if row is None:
        raise NotFound(kind, record_id)
    body = msgspec.convert(row, cls)
    return Response(body, status_code=status_code, headers=etag(row["version"]))


def history_page(entries: list[HistoryEntry], limit: int, offset: int) -> schemas.HistoryPage:
    items = [
        schemas.HistoryEvent(
            version=entry.version,
            type=entry.type,
            recorded_at=iso(entry.recorded_at) or "",
            actor_id=entry.actor_id,
            data={key: _plain(value) for key, value in entry.data.items()},
        )
        for entry in entries[offset : offset + limit]
    ]
    return schemas.HistoryPage(items=items, total=len(entries), limit=limit, offset=offset)


def _plain(value: Any) -> Any:
    from datetime import datetime

    if isinstance(value, datetime):
        return iso(value)
    return msgspec.to_builtins(value)
