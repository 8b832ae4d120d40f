"""The pages benchmark (bench/pages.py) answers every page, CSV and API baseline of its
table on a generated log, as a platform administrator it grants itself."""

from __future__ import annotations

from bench.generate import generate
from bench.page_cases import CASES
from bench.pages import measure_pages, report
from infra.bootstrap import Container


def test_every_page_of_the_benchmark_answers_on_a_generated_log(container: Container) -> None:
    generate(container.app, 3000, seed=7, show_progress=False)
    container.catch_up()

    results = measure_pages(container, repeat=1, make_administrator=True, sample_size=2)

    reads = results["reads"]
    failed = {name: row["error"] for name, row in reads.items() if "error" in row}
    assert failed == {}
    assert results["subjects"] == 2
    # A page, its CSV (where it has one) and its API requests for each, and /health twice.
    assert len(reads) == 2 + sum(3 if case.csv else 2 for case in CASES)
    assert all(row["samples"] == 1 and row["p50_ms"] > 0 for row in reads.values())
    assert container.app.administrator_ids() != []
    printed = report(results)
    assert all(f"| {case.name} |" in printed for case in CASES)
