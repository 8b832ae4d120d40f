"""HTTP API: programme roles: definition, holders and deputies, handovers, flags for handover."""

from __future__ import annotations

from litestar import Controller

#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = []
