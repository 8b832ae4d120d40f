"""Put the query figures of several runs side by side: does a read grow with the log?

    python -m bench.compare /tmp/bench-1e4.json /tmp/bench-1e5.json

For each read: p50 and p99 in milliseconds, and p50 as a multiple of the same run's bare
``SELECT 1`` (mean of the before and after measurements), one column per run and size.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.measure import table


def _bare(reads: dict[str, Any]) -> float:
    before = reads["bare: SELECT 1 (before)"]["p50_ms"]
    after = reads["bare: SELECT 1 (after)"]["p50_ms"]
    return float(before + after) / 2


def compare(runs: list[tuple[str, dict[str, Any]]]) -> str:
    names: list[str] = []
    for _, result in runs:
        names += [name for name in result["queries"]["reads"] if name not in names]
    rows = []
    for name in names:
        row = [name]
        for _, result in runs:
            reads = result["queries"]["reads"]
            read = reads.get(name)
            if read is None or "error" in read:
                row.append("-")
                continue
            ratio = read["p50_ms"] / _bare(reads)
            row.append(f"{read['p50_ms']:.1f} / {read['p99_ms']:.1f} (x{ratio:.0f})")
        rows.append(row)
    headers = ["read: p50 / p99 ms (x p50 ÷ SELECT 1)"] + [label for label, _ in runs]
    return table(headers, rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="--json outputs of bench.run")
    args = parser.parse_args(argv)
    runs = []
    for path in args.files:
        for result in json.loads(path.read_text()):
            if "queries" in result:
                runs.append((f"{result['queries']['events']:,} events ({path.stem})", result))
    print(compare(runs))


if __name__ == "__main__":
    main()
