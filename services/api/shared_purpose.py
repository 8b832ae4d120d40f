"""HTTP API: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption."""

from __future__ import annotations

from litestar import Controller

#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = []
