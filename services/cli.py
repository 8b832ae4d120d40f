"""The ``changeledger`` command line: serve, init-db, people, tokens, projections, and the
walkthrough's story (demo, walkthrough)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

import click
from rich.console import Console
from rich.table import Table

from domain.errors import DomainError
from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings, SettingsError
from services.cli_access import admins, auditors
from services.cli_audit import audit

if TYPE_CHECKING:
    from services.walkthrough import ApiStoryClient

console = Console()
errors = Console(stderr=True)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@contextmanager
def _container() -> Iterator[Container]:
    settings = _settings()
    # SQLite is the single-machine embedded mode: creating missing tables there is safe.
    container = bootstrap(settings, create_schema=not settings.database.is_postgres)
    try:
        yield container
    except DomainError as exc:
        errors.print(f"[red]error:[/red] {exc.message}")
        sys.exit(1)
    finally:
        container.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Changeledger: the shared, append-only ledger of a multi-organisation change programme.

    Settings come from the environment. With none set, data lives in SQLite under ./var
    (CHANGELEDGER_DATA_DIR) and background work runs in-process. Set
    CHANGELEDGER_DATABASE_URL=postgresql://user:pass@host/db and CHANGELEDGER_REDIS_URL
    for the production shape.
    """


@main.command("init-db")
def init_db_command() -> None:
    """Create the database schema (events, event chain, views, tracking) once.

    Run this once before starting API or worker processes against PostgreSQL; they run with
    table creation off, because several processes creating tables at once race. Safe to
    run again: existing tables are kept.
    """
    settings = _settings()
    chained = init_db(settings)
    with _container() as container:
        added = container.app.ensure_builtin_frameworks()
    console.print(f"schema ready in {_where(settings)}")
    if chained:
        console.print(
            f"chained {chained} events stored before the event chain existed; they are"
            " protected against tampering from now on, not before (see docs/adr/0009)"
        )
    for framework in added:
        console.print(f"registered the built-in framework {framework.key}")


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (default 8000).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help=(
        "Serving processes (PostgreSQL only). Each has its own connection pool of"
        " CHANGELEDGER_DB_POOL_SIZE and as many request threads; about one per core."
    ),
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the HTTP API, with OpenAPI docs at /schema.

    With SQLite (the embedded default) the schema is created if missing and the views are
    kept current by an in-process loop. With PostgreSQL, run 'changeledger init-db' first.
    """
    import uvicorn

    from services.api.app import create_app
    from services.api.served import ServedProduct

    settings = _settings()
    if workers > 1 and not settings.database.is_postgres:
        raise click.UsageError(
            "--workers needs PostgreSQL (CHANGELEDGER_DATABASE_URL): the embedded SQLite mode"
            " keeps its views in the one serving process"
        )
    host = host or settings.api.host
    port = port or settings.api.port
    console.print(f"Changeledger on http://{host}:{port}  (API docs: http://{host}:{port}/schema)")
    console.print(f"store: {_where(settings)}" + (f", {workers} processes" if workers > 1 else ""))
    if workers > 1:
        # Each process builds its own product after the fork (services/api/served.py).
        uvicorn.run(
            "services.api.served:served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )
        return
    product = ServedProduct.open(settings)
    try:
        uvicorn.run(create_app(product.container), host=host, port=port, log_level="info")
    finally:
        product.close()


@main.group()
def people() -> None:
    """Register people (e.g. the first administrator) and erase them, from the command line."""


@people.command("register")
@click.option("--name", required=True, help="Full name.")
@click.option("--email", required=True, help="Email address (unique).")
@click.option("--administrator", is_flag=True, help="Also make them a platform administrator.")
def register_person(name: str, email: str, administrator: bool) -> None:
    """Register a person. Recorded as done by the platform operator."""
    with _container() as container:
        person = container.app.register_person(by=None, name=name, email=email)
        console.print(f"registered {person.name} <{person.email}> as {person.id}")
        if administrator:
            container.app.grant_administrator(by=None, person_id=person.id)
            console.print("they are a platform administrator")


@people.command("erase")
@click.argument("person_id", type=click.UUID)
@click.option(
    "--reason",
    required=True,
    help="Why, e.g. the erasure request's reference. Kept in the log: must not name them.",
)
def erase_person(person_id: object, reason: str) -> None:
    """Erase a person's personal data (name, email, what they wrote about themselves).

    Destroys the person's encryption key. Their events stay in the log and the log's chain
    still verifies; their roles, decisions and the counts in reports stay, and everywhere
    they are shown as "erased person #N". Their email is freed and their API tokens are
    revoked. Safe to run again, e.g. after an interruption.
    """
    with _container() as container:
        person = container.app.erase_person(
            by=None,
            person_id=person_id,  # type: ignore[arg-type]
            reason=reason,
        )
        console.print(f"erased {person_id}; shown from now on as {person.name}", soft_wrap=True)


def _person_by_id_or_email(container: Container, person: str) -> UUID:
    """A person named on the command line by their id, or else by their email address."""
    try:
        return UUID(person)
    except ValueError:
        return container.app.person_id_by_email(person)


@people.command("set-password")
@click.argument("person")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)
def set_password(person: str, password_stdin: bool) -> None:
    """Set or replace a person's password for signing in to the browser pages.

    PERSON is the person's id or their email address. Prompts twice (nothing is echoed)
    unless --password-stdin is given. At least 12 characters. Only a slow salted hash
    (argon2id) is stored, never the password. With Redis (production) the person's open
    browser sessions end; in the embedded mode they end when the server restarts.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = _settings()
    with _container() as container:
        person_id = _person_by_id_or_email(container, person)
        container.app.set_password(by=None, person_id=person_id, password=password)
    if not settings.background.embedded:
        from services.web.security import build_web_security

        web = build_web_security(settings)
        try:
            ended = web.sessions.end_all_for(person_id)
        finally:
            web.close()
        console.print(f"ended {ended} browser session(s)")
    console.print(f"password set for {person_id}")


@main.group()
def tokens() -> None:
    """Issue, list and revoke API tokens. Only a hash of each token is stored."""


@tokens.command("issue")
@click.option("--email", required=True, help="Email of the person the token acts for.")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Expire after N days.")
def issue_token(email: str, label: str, days: int | None) -> None:
    """Issue an API token for a person and print it once. Keep it secret."""
    expires_at = datetime.now(UTC) + timedelta(days=days) if days else None
    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        secret, token = container.app.issue_token(
            by=None, person_id=person_id, label=label, expires_at=expires_at
        )
        errors.print(f"token {token.id} for {email}; it will not be shown again:")
        click.echo(secret)


@tokens.command("list")
@click.option("--email", required=True, help="Email of the person whose tokens to list.")
def list_tokens(email: str) -> None:
    """List a person's tokens (never the secrets)."""
    with _container() as container:
        person_id = container.app.person_id_by_email(email)
        container.catch_up()
        table = Table("id", "label", "issued", "expires", "revoked")
        for row in container.directory.tokens_of(str(person_id)):
            table.add_row(
                row["id"],
                row["label"],
                row["created_at"],
                row["expires_at"] or "never",
                "yes" if row["revoked"] else "no",
            )
        console.print(table)


@tokens.command("revoke")
@click.argument("token_id", type=click.UUID)
def revoke_token(token_id: object) -> None:
    """Revoke a token by its id; requests with it get 401 from then on."""
    with _container() as container:
        container.app.revoke_token(by=None, token_id=token_id)  # type: ignore[arg-type]
        console.print(f"revoked {token_id}")


@main.group()
def projections() -> None:
    """Inspect and rebuild the views kept from the event log."""


@projections.command("status")
def projections_status() -> None:
    """Show each view's position in the log and how far behind the head it is."""
    with _container() as container:
        head = container.app.recorder.max_notification_id() or 0
        table = Table("view", "position", "head", "lag")
        for name, processor in container.processors.items():
            position = processor.position()
            table.add_row(name, str(position), str(head), str(head - position))
        console.print(table)


@projections.command("rebuild")
@click.argument("name", required=False)
def projections_rebuild(name: str | None) -> None:
    """Rebuild NAME (or every view) from the start of the log, with a progress bar.

    Other views keep serving while one is rebuilt; the rebuilt view is empty until its
    first batch commits.
    """
    from rich.progress import Progress

    with _container() as container:
        if name is not None and name not in container.processors:
            known = ", ".join(container.processors)
            raise click.BadParameter(f"no view named {name!r}; views are: {known}")
        chosen = [name] if name else list(container.processors)
        head = container.app.recorder.max_notification_id() or 0
        with Progress(console=console) as progress:
            for view in chosen:
                task = progress.add_task(f"rebuilding {view}", total=head or None)
                applied = container.processors[view].rebuild(partial(progress.advance, task))
                progress.update(task, completed=head)
                console.print(f"{view}: {applied} events applied")


@main.group()
def jobs() -> None:
    """Run the scheduled jobs that raise and clear alerts, by hand.

    In production Celery beat runs them hourly; with 'changeledger serve' in the embedded
    mode the in-process loop runs them. Running them again is always safe: an alert is
    raised once per episode (e.g. per overdue due date), cleared when resolved.
    """


@jobs.command("list")
def jobs_list() -> None:
    """List the scheduled jobs and what each looks for."""
    from services.jobs import JOBS, describe

    table = Table("job", "what it does")
    for name in JOBS:
        table.add_row(name, describe(name))
    console.print(table)


@jobs.command("run")
@click.argument("name", required=False)
def jobs_run(name: str | None) -> None:
    """Run the job NAME (or every job) now, and show what it recorded.

    Each job reads the current views, judges overdue and stale on today's UTC date, raises
    an alert for each new finding, and clears open alerts whose condition no longer holds
    (with the reason). Alerts are read at GET /alerts. See 'changeledger jobs list'.
    """
    from services.jobs import JOBS, run_jobs

    if name is not None and name not in JOBS:
        raise click.BadParameter(f"no job named {name!r}; jobs are: {', '.join(JOBS)}")
    with _container() as container:
        results = run_jobs(container, None if name is None else [name])
    table = Table("job", "raised", "reopened", "cleared")
    for job, result in results.items():
        table.add_row(job, str(result.raised), str(result.reopened), str(result.cleared))
    console.print(table)


@main.command()
def demo() -> None:
    """Seed the walkthrough's story, so that 'bin/run' shows a populated product.

    Records, in the configured store (SQLite under ./var by default), six months of a joint
    urgent-care programme: three organisations, six people, two programmes, a disputed and
    revised shared purpose, a superseded decision, a handover, reviews and commitments. It
    is told through the API in-process, as the people themselves (no tokens are issued).
    Running it again records nothing: every step replays (see docs/walkthrough.md).
    """
    from services.walkthrough import seed_in_process

    settings = _settings()
    with _container() as container:
        console.print(
            f"Seeding the walkthrough's story into {_where(settings)};"
            " steps already recorded replay and record nothing.",
            highlight=False,
            soft_wrap=True,
        )
        before = container.app.recorder.max_notification_id() or 0
        with _story_failures():
            ids, client = seed_in_process(container, _say)
        after = container.app.recorder.max_notification_id() or 0
    _summary(after - before, client, f"in {_where(settings)}")
    _next_steps(settings, ids)


@main.command()
@click.option(
    "--url",
    default=None,
    help="The live server (default http://127.0.0.1:8000, from CHANGELEDGER_HOST and _PORT).",
)
def walkthrough(url: str | None) -> None:
    """Tell the walkthrough's story to a live server over HTTP, printing each step.

    Start the server first ('bin/run'). This command registers the story's people if they
    are new and issues each of them an API token labelled 'walkthrough' (expiring in a
    day) in the store it is configured for, so the server must use the same store: run
    both from the repository folder with the same environment. Telling the story again
    records only the new tokens: every step replays. See docs/walkthrough.md.
    """
    import httpx

    from services.walkthrough import ApiStoryClient, ensure_people, run_story

    settings = _settings()
    url = (url or f"http://{settings.api.host}:{settings.api.port}").rstrip("/")
    with httpx.Client(base_url=url, timeout=30.0) as http:
        _server_events(http, url)
        expires_at = datetime.now(UTC) + timedelta(days=1)
        with _container() as container:
            people = ensure_people(container.app)
            tokens = {
                email: container.app.issue_token(
                    by=None, person_id=person_id, label="walkthrough", expires_at=expires_at
                )[0]
                for email, person_id in people.items()
            }
        console.print(
            f"Telling the walkthrough's story to {url} as {len(tokens)} people (each issued"
            " a 'walkthrough' token, valid for a day); steps already recorded replay.",
            highlight=False,
            soft_wrap=True,
        )
        before = _server_events(http, url)
        client = ApiStoryClient(http, tokens.__getitem__)
        with _story_failures():
            ids = run_story(client, _say)
        after = _server_events(http, url)
    _summary(after - before, client, f"at {url}")
    _next_steps(settings, ids, base=url)


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _story_failures() -> Iterator[None]:
    """A refused step ends the command, saying what the API answered."""
    from services.walkthrough import ApiProblem, StoryError

    # The API client's request log would drown the story.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        yield
    except StoryError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        if isinstance(exc, ApiProblem) and exc.status == 401:
            errors.print(
                "The server does not know these credentials: it must use the same store as"
                " this command (same CHANGELEDGER_DATA_DIR or CHANGELEDGER_DATABASE_URL).",
                highlight=False,
            )
        sys.exit(1)


def _summary(recorded: int, client: ApiStoryClient, where: str) -> None:
    console.print()
    if client.retries:
        console.print(
            f"{client.retries} request(s) answered 503 (store busy, nothing recorded) and"
            " were retried with the same Idempotency-Key.",
            highlight=False,
            soft_wrap=True,
        )
    if recorded == 0:
        line = (
            f"Nothing new was recorded: the story was already {where}"
            f" ({client.replays} of {client.writes} steps replayed)."
        )
    else:
        line = (
            f"Recorded {recorded} events {where}"
            f" ({client.writes - client.replays} steps new, {client.replays} replayed)."
        )
    console.print(line, highlight=False, soft_wrap=True)


def _server_events(http: Any, url: str) -> int:
    """The live server's event count, from its public health check; exit if none answers."""
    import httpx

    try:
        response = http.get("/health")
        response.raise_for_status()
        events: int = response.json()["events"]
    except (httpx.HTTPError, ValueError, KeyError):
        errors.print(
            f"[red]error:[/red] no Changeledger server answers at {url}; start one with"
            " 'bin/run' (or 'changeledger serve') and try again",
            highlight=False,
        )
        sys.exit(1)
    return events


def _next_steps(settings: Settings, ids: dict[str, str], base: str | None = None) -> None:
    from services.walkthrough import HELEN

    live = base is not None
    base = base or f"http://{settings.api.host}:{settings.api.port}"
    lines = [
        f"Programmes: urgent care {ids['uec']}, community mental health {ids['cmh']}",
        f"Superseded decision {ids['decision_front_door']},"
        f" replaced by {ids['decision_crisis_door']}",
        "",
        "To use the pages in a browser, give one of the story's people a password, then sign in",
        f"at {base}/login (Helen chairs the urgent care board; Gareth speaks for a provider):",
        f"  .venv/bin/changeledger people set-password {HELEN}",
        "",
        f"Browse the API at {base}/schema" if live else f"Next: run bin/run and open {base}/schema",
        "To call the API, issue yourself a token as one of the story's people:",
        f"  TOKEN=$(.venv/bin/changeledger tokens issue --email {HELEN} --label laptop)",
        f'  curl -H "Authorization: Bearer $TOKEN" {base}/programmes/{ids["uec"]}/shared-purpose',
        f'  curl -H "Authorization: Bearer $TOKEN" "{base}/commitments?overdue=true"',
        "The walkthrough, step by step: docs/walkthrough.md",
    ]
    for line in lines:
        # Unwrapped, so the commands can be copied.
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _where(settings: Settings) -> str:
    if settings.database.is_postgres:
        parts = settings.database.postgres_parts()
        return f"PostgreSQL {parts['host']}:{parts['port']}/{parts['dbname']}"
    return f"SQLite {settings.database.sqlite_path}"


# Command groups kept in their own modules (they reach back here for the container).
main.add_command(admins)
main.add_command(auditors)
main.add_command(audit)
