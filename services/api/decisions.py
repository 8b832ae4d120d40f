"""HTTP API: decisions: proposal, consultation, decision, amendment, supersession, revocation."""

from __future__ import annotations

from litestar import Controller

#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = []
