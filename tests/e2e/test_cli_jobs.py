"""'changeledger jobs': the scheduled jobs run by hand, as an operator would, on SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from infra.bootstrap import bootstrap
from infra.settings import Settings
from projections.alerts import ALERTS

CLI = str(Path(sys.executable).parent / "changeledger")
JOBS = ("detect_overdue_commitments", "flag_stale_components", "flag_vacant_critical_roles")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"CHANGELEDGER_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "120"}
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=60)


def counts(output: str, job: str) -> list[str]:
    """The raised, reopened and cleared cells of one job's row in the printed table."""
    row = next(line for line in output.splitlines() if job in line)
    return [cell.strip() for cell in row.split("│")[2:5]]


def seed_a_vacant_critical_role(data_dir: Path) -> None:
    settings = Settings.from_env({"CHANGELEDGER_DATA_DIR": str(data_dir)})
    container = bootstrap(settings, create_schema=True)
    try:
        app = container.app
        icb = app.register_organisation(by=None, name="WY ICB", kind="commissioner")
        programme = app.create_programme(
            by=None, title="Urgent Care", description="", lead_commissioner_id=icb.id
        )
        app.define_role(by=None, programme_id=programme.id, kind="sro", critical=True)
    finally:
        container.close()


def test_the_jobs_commands_explain_themselves(data_dir: Path) -> None:
    for command in (["jobs"], ["jobs", "run"], ["jobs", "list"]):
        result = run(data_dir, *command, "--help")

        assert result.returncode == 0, result.stderr
        assert "Usage: changeledger jobs" in result.stdout
        assert len(result.stdout.splitlines()) > 4, command


def test_jobs_list_names_every_job_and_what_it_looks_for(data_dir: Path) -> None:
    result = run(data_dir, "jobs", "list")

    assert result.returncode == 0, result.stderr
    for job in JOBS:
        assert job in result.stdout
    assert "critical roles nobody holds" in result.stdout


def test_running_the_jobs_twice_raises_each_alert_once(data_dir: Path) -> None:
    seed_a_vacant_critical_role(data_dir)

    first = run(data_dir, "jobs", "run")
    second = run(data_dir, "jobs", "run", "flag_vacant_critical_roles")

    assert first.returncode == 0, first.stderr
    assert counts(first.stdout, "flag_vacant_critical_roles") == ["1", "0", "0"]
    assert counts(first.stdout, "detect_overdue_commitments") == ["0", "0", "0"]
    assert counts(second.stdout, "flag_vacant_critical_roles") == ["0", "0", "0"]
    assert "detect_overdue_commitments" not in second.stdout
    container = bootstrap(Settings.from_env({"CHANGELEDGER_DATA_DIR": str(data_dir)}))
    try:
        container.catch_up()
        rows = container.views.fetch_all(f"SELECT kind FROM {ALERTS.name}")
    finally:
        container.close()
    assert rows == [{"kind": "critical_role_vacant"}]


def test_running_an_unknown_job_names_the_jobs_there_are(data_dir: Path) -> None:
    result = run(data_dir, "jobs", "run", "nope")

    assert result.returncode == 2
    assert "jobs are: detect_overdue_commitments, flag_stale_components" in result.stderr
