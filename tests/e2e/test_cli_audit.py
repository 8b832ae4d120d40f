"""``changeledger audit verify`` and ``audit head``, run as an operator would, on both stores."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.settings import Settings
from tests.conftest import empty_postgres
from tests.e2e.support import assert_utc_iso
from tests.integration.chain_support import RawLog

CLI = str(Path(sys.executable).parent / "changeledger")

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of a CLI on a fresh store of each kind, its schema made by init-db."""
    env = {"CHANGELEDGER_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
        empty_postgres(url)
        env["CHANGELEDGER_DATABASE_URL"] = url
    return env


@pytest.fixture
def run(store: dict[str, str]) -> Run:
    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [CLI, *args], env=store, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run


@pytest.fixture
def raw(store: dict[str, str]) -> RawLog:
    return RawLog(Settings.from_env(store))


def _register(run: Run, *emails: str) -> None:
    for email in emails:
        run("people", "register", "--name", "Ada Admin", "--email", email)


def _head(run: Run) -> dict[str, object]:
    head: dict[str, object] = json.loads(run("audit", "head", "--json").stdout)
    return head


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_every_audit_command_explains_itself_with_help(run: Run) -> None:
    for command in (["audit"], ["audit", "verify"], ["audit", "head"]):
        result = run(*command, "--help")

        assert "Usage: changeledger" in result.stdout
        assert len(result.stdout.splitlines()) > 6, command


def test_verify_reports_an_intact_chain_ending_at_the_head(run: Run, raw: RawLog) -> None:
    run("init-db")
    _register(run, "ada@example.org", "bea@example.org")

    verified = run("audit", "verify")
    head = _head(run)

    count = len(raw.positions())
    assert verified.stdout.strip() == f"chain intact: {count} events, head {head['hash']}"
    assert head["hash"] == raw.head_hash()
    assert head["notification_id"] == raw.positions()[-1]
    assert_utc_iso(head["recorded_at"])


def test_head_prints_the_hash_position_and_time_and_moves_with_each_write(
    run: Run, raw: RawLog
) -> None:
    run("init-db")
    _register(run, "ada@example.org")
    before = run("audit", "head").stdout
    _register(run, "bea@example.org")
    after = run("audit", "head").stdout

    assert before != after
    assert f"head {raw.head_hash()}" in after
    assert f"event #{raw.positions()[-1]} recorded at " in after


def test_verify_exits_non_zero_naming_the_first_edited_event(run: Run, raw: RawLog) -> None:
    run("init-db")
    _register(run, "ada@example.org", "bea@example.org")
    victim = raw.positions()[-3]
    oid, version, topic, _ = raw.event(victim)
    raw.edit_state(victim)

    result = run("audit", "verify", check=False)

    assert result.returncode == 1
    assert f"chain broken at event #{victim}" in result.stderr
    assert f"edited: event #{victim} (record {oid}, version {version}, type {topic})" in (
        result.stderr
    )


def test_verify_exits_non_zero_naming_a_deleted_event(run: Run, raw: RawLog) -> None:
    run("init-db")
    _register(run, "ada@example.org", "bea@example.org")
    victim = raw.positions()[-2]
    oid = raw.event(victim)[0]
    raw.delete_event(victim)

    result = run("audit", "verify", check=False)

    assert result.returncode == 1
    assert f"deleted: event #{victim} (record {oid}" in result.stderr


def test_verify_against_a_minuted_head_catches_a_rewritten_chain(run: Run, raw: RawLog) -> None:
    run("init-db")
    _register(run, "ada@example.org")
    minuted = str(_head(run)["hash"])
    _register(run, "bea@example.org")
    victim = raw.positions()[-3]
    raw.edit_state(victim)
    raw.rechain_from(victim)

    alone = run("audit", "verify", check=False)
    against = run("audit", "verify", "--minuted-head", minuted, check=False)

    assert alone.returncode == 0
    assert against.returncode == 1
    assert f"the minuted head {minuted} is not in the chain" in against.stderr


def test_init_db_chains_a_log_written_before_the_chain_existed(run: Run, raw: RawLog) -> None:
    run("init-db")
    _register(run, "ada@example.org")
    raw.run("DELETE FROM changeledger_event_chain")
    unchained = run("audit", "verify", check=False)

    again = run("init-db")
    verified = run("audit", "verify")

    assert unchained.returncode == 1
    assert "init-db" in unchained.stderr
    assert f"chained {len(raw.positions())} events stored before the event chain" in again.stdout
    assert verified.stdout.startswith(f"chain intact: {len(raw.positions())} events")
