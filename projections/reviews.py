"""Views: component reviews against a versioned change framework, and programme labels."""

from __future__ import annotations

from projections.projection import Projection

#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = []
