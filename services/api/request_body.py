"""The request class: reading a JSON body nested too deeply is the client's error, not ours."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException


class ApiRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            # msgspec stops at the interpreter's recursion limit (about a thousand levels):
            # such a body is refused as malformed JSON (400) like any other it cannot decode.
            raise SerializationException("JSON is nested too deeply") from None
