"""The change frameworks shipped with the product, as JSON definitions in infra/frameworks/.

Each file is one framework version: {key, title, components: [{key, label, side}]}. Adding a
version is adding a file (or POST /frameworks): no code changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"


def builtin_frameworks() -> list[dict[str, Any]]:
    """Every shipped framework definition, ordered by file name (i.e. by key)."""
    definitions: list[dict[str, Any]] = []
    for path in sorted(FRAMEWORKS_DIR.glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(definition, dict):
            raise ValueError(f"{path}: a framework definition must be a JSON object")
        definitions.append(definition)
    return definitions


def builtin_framework(key: str) -> dict[str, Any] | None:
    """The shipped definition with this key, if any."""
    return next((d for d in builtin_frameworks() if d.get("key") == key), None)
