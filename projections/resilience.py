"""Views: Resilience report (per programme and across the portfolio). (Being built.)"""

from __future__ import annotations

from projections.projection import Projection

#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = []
