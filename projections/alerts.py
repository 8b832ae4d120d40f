"""Views: Alerts raised by the scheduled jobs. (Being built.)"""

from __future__ import annotations

from projections.projection import Projection

#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = []
