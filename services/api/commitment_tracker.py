"""HTTP: Commitment tracker (for a commissioner, and for a provider). (Being built.)"""

from __future__ import annotations

from typing import Any

#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[Any] = []
