"""HTTP API: component reviews against a versioned change framework, and programme labels."""

from __future__ import annotations

from litestar import Controller

#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = []
