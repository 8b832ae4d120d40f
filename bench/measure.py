"""Small helpers shared by the benchmarks: timing, percentiles, subprocess workers, tables."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0..1) of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def latencies(
    action: Callable[[], object], repeat: int, warmup: int = 3, budget: float = 60.0
) -> list[float]:
    """Seconds per call of ``action``, after a few untimed calls to warm caches and pools.

    Stops early once ``budget`` seconds are spent (with at least 10 samples): a slow read
    on a big log would otherwise hold the run up for many minutes.
    """
    for _ in range(warmup):
        action()
    samples: list[float] = []
    spent = 0.0
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
        spent += samples[-1]
        if spent > budget and len(samples) >= 10:
            break
    return samples


def run_worker(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh process; its last stdout line is JSON.

    Its stderr (progress of long runs) goes straight to ours, so a log shows it as it runs.
    """
    result = subprocess.run(
        [sys.executable, "-m", module, *args], stdout=subprocess.PIPE, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed (exit {result.returncode})")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table, so output pastes straight into docs/performance.md."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
