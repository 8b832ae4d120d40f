"""HTTP: Alerts raised by the scheduled jobs. (Being built.)"""

from __future__ import annotations

from typing import Any

#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[Any] = []
