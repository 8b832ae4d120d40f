"""The write benchmark's py-spy summary (bench/write_profile.py), on py-spy's raw format."""

from __future__ import annotations

from bench.write_profile import summarise

PROCESS = 'process 9:"python serve";process 10:"python -c from x import main; main()";'
RAW = "\n".join(
    [
        # A request that loads an aggregate, then waits on PostgreSQL: 6 samples.
        PROCESS + "Thread.run (threading.py:982);propose (services/api/decisions.py:216);"
        "_load (services/use_cases/base.py:40);Connection.wait (psycopg/connection.py:495) 6",
        # The same request saving: 2 samples.
        PROCESS + "propose (services/api/decisions.py:220);save (eventsourcing/application.py:9) 2",
        # The event loop waiting in select: no work of the API's, left out.
        PROCESS + "Runner.run (asyncio/runners.py:118);select (selectors.py:468) 30",
    ]
)


def test_the_profile_shares_count_only_the_apis_own_work_by_function() -> None:
    printed = summarise(RAW, top=10)

    assert printed.startswith("8 samples of the API's own work (30 of idle threads left out)")
    assert "100.0%   0.0%  propose (services/api/decisions.py)" in printed
    assert " 75.0%  75.0%  Connection.wait (psycopg/connection.py)" in printed
    assert " 25.0%  25.0%  save (eventsourcing/application.py)" in printed
    assert "select (selectors.py)" not in printed
    assert "Thread.run" not in printed  # thread scaffolding
    assert "main()" not in printed  # the process names are not functions
