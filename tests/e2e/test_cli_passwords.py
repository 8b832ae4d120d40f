"""changeledger people set-password, run as an operator would, on the embedded store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from infra.bootstrap import bootstrap
from infra.settings import Settings

CLI = str(Path(sys.executable).parent / "changeledger")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run(data_dir: Path):  # type: ignore[no-untyped-def]
    env = {"CHANGELEDGER_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
        )

    return run


def registered(run) -> str:  # type: ignore[no-untyped-def]
    run("init-db")
    result = run("people", "register", "--name", "Ada Admin", "--email", "ada@example.org")
    match = re.search(r"as ([0-9a-f-]{36})", result.stdout)
    assert match, result.stdout + result.stderr
    return match.group(1)


def test_set_password_explains_itself(run) -> None:  # type: ignore[no-untyped-def]
    result = run("people", "set-password", "--help")

    assert "Usage: changeledger people set-password [OPTIONS] PERSON" in result.stdout
    assert "--password-stdin" in result.stdout


def test_an_operator_sets_a_password_from_stdin_and_the_person_can_log_in(  # type: ignore[no-untyped-def]
    run, data_dir: Path
) -> None:
    person_id = registered(run)

    result = run(
        "people", "set-password", person_id, "--password-stdin", stdin="a long passphrase\n"
    )

    assert result.returncode == 0, result.stderr
    assert f"password set for {person_id}" in result.stdout
    assert "a long passphrase" not in result.stdout + result.stderr
    container = bootstrap(Settings.from_env({"CHANGELEDGER_DATA_DIR": str(data_dir)}))
    try:
        assert str(container.app.check_login("ada@example.org", "a long passphrase")) == person_id
    finally:
        container.close()


def test_a_short_password_is_refused_with_the_reason(run) -> None:  # type: ignore[no-untyped-def]
    person_id = registered(run)

    result = run("people", "set-password", person_id, "--password-stdin", stdin="short\n")

    assert result.returncode == 1
    assert "password: must be at least 12 characters long" in result.stderr


def test_setting_a_password_for_an_unknown_person_fails_clearly(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")

    result = run(
        "people",
        "set-password",
        "00000000-0000-4000-8000-000000000000",
        "--password-stdin",
        stdin="a long passphrase\n",
    )

    assert result.returncode == 1
    assert "no person with id 00000000-0000-4000-8000-000000000000" in result.stderr


def test_an_operator_can_name_the_person_by_their_email(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    person_id = registered(run)

    result = run(
        "people",
        "set-password",
        "ada@example.org",
        "--password-stdin",
        stdin="a long passphrase\n",
    )

    assert result.returncode == 0, result.stderr
    assert f"password set for {person_id}" in result.stdout


def test_an_unknown_email_fails_clearly(run) -> None:  # type: ignore[no-untyped-def]
    run("init-db")

    result = run(
        "people", "set-password", "nobody@example.org", "--password-stdin", stdin="a long one!!\n"
    )

    assert result.returncode == 1
    assert "nobody@example.org" in result.stderr
