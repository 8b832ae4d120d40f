"""HTTP: Resilience report (per programme and across the portfolio). (Being built.)"""

from __future__ import annotations

from typing import Any

#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[Any] = []
