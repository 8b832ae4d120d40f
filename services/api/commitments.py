"""HTTP API: commitments providers make to commissioners, and their lifecycle."""

from __future__ import annotations

from litestar import Controller

#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = []
