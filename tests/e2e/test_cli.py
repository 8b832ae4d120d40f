"""The changeledger command line, run as a newcomer would, on the embedded store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "changeledger")


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"CHANGELEDGER_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run


def test_every_command_explains_itself_with_help(run) -> None:  # type: ignore[no-untyped-def]
    for command in (
        [],
        ["serve"],
        ["init-db"],
        ["people", "register"],
        ["people", "erase"],
        ["tokens", "issue"],
        ["tokens", "list"],
        ["tokens", "revoke"],
        ["projections", "status"],
        ["projections", "rebuild"],
    ):
        result = run(*command, "--help")

        assert "Usage: changeledger" in result.stdout
        assert len(result.stdout.splitlines()) > 4, command


def test_serving_from_several_processes_is_refused_on_the_embedded_store(run) -> None:  # type: ignore[no-untyped-def]
    result = run("serve", "--workers", "2", check=False)

    assert result.returncode == 2
    assert "--workers needs PostgreSQL" in result.stderr


def test_a_newcomer_can_register_a_person_and_issue_them_a_token(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")
    run("people", "register", "--name", "Ada Admin", "--email", "ada@example.org")

    issued = run("tokens", "issue", "--email", "ada@example.org", "--label", "laptop")
    listed = run("tokens", "list", "--email", "ada@example.org")

    assert issued.stdout.strip().startswith("clg_")
    assert "laptop" in listed.stdout
    assert issued.stdout.strip() not in listed.stdout


def test_an_operator_can_erase_a_person_and_repeat_it_harmlessly(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")
    registered = run("people", "register", "--name", "Ada Admin", "--email", "ada@example.org")
    person_id = registered.stdout.split()[-1]

    erased = run("people", "erase", person_id, "--reason", "ER-2026-014")
    again = run("people", "erase", person_id, "--reason", "ER-2026-014")
    issuing = run("tokens", "issue", "--email", "ada@example.org", check=False)

    assert "shown from now on as erased person #" in erased.stdout
    assert again.stdout == erased.stdout
    assert issuing.returncode == 1
    assert "no person with email ada@example.org" in issuing.stderr


def test_erasing_an_unknown_person_fails_with_a_clear_message(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")

    result = run(
        "people", "erase", "00000000-0000-4000-8000-000000000000", "--reason", "x", check=False
    )

    assert result.returncode == 1
    assert "no person" in result.stderr


def test_issuing_a_token_for_an_unknown_email_fails_with_a_clear_message(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")

    result = run("tokens", "issue", "--email", "nobody@example.org", check=False)

    assert result.returncode == 1
    assert "no person with email nobody@example.org" in result.stderr


def test_projection_status_shows_no_lag_after_a_rebuild(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")
    run("people", "register", "--name", "Ada Admin", "--email", "ada@example.org")

    rebuilt = run("projections", "rebuild", "directory")
    status = run("projections", "status")

    # init-db's two built-in framework versions, then the person and their email's claim.
    assert "directory: 4 events applied" in rebuilt.stdout
    row = next(line for line in status.stdout.splitlines() if "directory" in line)
    assert row.split("│")[-2].strip() == "0"


def test_rebuilding_an_unknown_view_names_the_views_there_are(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")

    result = run("projections", "rebuild", "nope", check=False)

    assert result.returncode == 2
    assert "views are: directory, " in result.stderr
