"""``changeledger admins`` and ``changeledger auditors``: who administers the platform and who
audits which programme, from the command line (recorded as done by the platform operator)."""

from __future__ import annotations

from uuid import UUID

import click
from rich.table import Table


@click.group()
def admins() -> None:
    """Platform administrators: they manage organisations and people and issue tokens.

    Grant the first one here, then issue them a token with 'changeledger tokens issue'.
    """


@admins.command("list")
def list_admins() -> None:
    """List the platform administrators."""
    from services.cli import _container, console

    with _container() as container:
        container.catch_up()
        table = Table("person id", "name", "email")
        for person_id in container.app.administrator_ids():
            row = container.directory.person(str(person_id)) or {}
            table.add_row(str(person_id), row.get("name", ""), row.get("email", ""))
        console.print(table)


@admins.command("grant")
@click.option("--email", required=True, help="Email of the person to make an administrator.")
def grant_admin(email: str) -> None:
    """Make a registered person a platform administrator."""
    from services.cli import _container, console

    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        container.app.grant_administrator(by=None, person_id=person_id)
        console.print(f"{email} ({person_id}) is now a platform administrator")


@admins.command("revoke")
@click.option("--email", required=True, help="Email of the administrator to revoke.")
def revoke_admin(email: str) -> None:
    """Stop a person administering the platform."""
    from services.cli import _container, console

    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        container.app.revoke_administrator(by=None, person_id=person_id)
        console.print(f"{email} ({person_id}) is no longer a platform administrator")


@click.group()
def auditors() -> None:
    """Auditors: people who read everything in a programme, history and as-of views
    included, and write nothing."""


@auditors.command("appoint")
@click.argument("programme_id", type=click.UUID)
@click.option("--email", required=True, help="Email of the person to appoint.")
def appoint_auditor(programme_id: UUID, email: str) -> None:
    """Appoint a person to audit a programme (not a member of a participating organisation)."""
    from services.cli import _container, console

    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        container.app.appoint_auditor(by=None, programme_id=programme_id, person_id=person_id)
        console.print(f"{email} now audits programme {programme_id}")


@auditors.command("remove")
@click.argument("programme_id", type=click.UUID)
@click.option("--email", required=True, help="Email of the auditor.")
def remove_auditor(programme_id: UUID, email: str) -> None:
    """End a person's appointment as auditor of a programme."""
    from services.cli import _container, console

    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        container.app.remove_auditor(by=None, programme_id=programme_id, person_id=person_id)
        console.print(f"{email} no longer audits programme {programme_id}")
