"""``changeledger audit``: check the tamper-evident event chain, and print its head (ADR 9)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from eventsourcing.persistence import PersistenceError
from rich.console import Console
from rich.progress import Progress

from infra.bootstrap import Container, bootstrap
from infra.chain_audit import verify_chain
from infra.event_chain import GENESIS, ChainedRecorder, ChainLink
from projections.timefmt import iso

console = Console()
errors = Console(stderr=True)


@click.group()
def audit() -> None:
    """Check that the event log has not been tampered with.

    Every stored event is chained: its hash covers its content and the hash of the event
    before it, written in the same transaction. 'audit verify' recomputes the chain;
    'audit head' prints the latest hash, for a board to minute, so that even a log
    rewritten from some point on can later be caught.
    """


@contextmanager
def _recorder() -> Iterator[tuple[Container, ChainedRecorder]]:
    from services.cli import _settings

    # Never create or backfill anything here: checking must not change what it checks.
    container = bootstrap(_settings(), create_schema=False)
    try:
        recorder = container.app.recorder
        assert isinstance(recorder, ChainedRecorder)
        yield container, recorder
    except PersistenceError as exc:
        errors.print(f"[red]error:[/red] cannot read the event chain: {exc}", highlight=False)
        errors.print("Has 'changeledger init-db' been run against this database?")
        sys.exit(2)
    finally:
        container.close()


@audit.command("verify")
@click.option(
    "--minuted-head",
    metavar="HASH",
    default=None,
    help="A head hash minuted earlier (from 'audit head'): also check it is still in the chain.",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=1000, show_default=True, hidden=True
)
def verify(minuted_head: str | None, batch_size: int) -> None:
    """Recompute the whole event chain and report the first event that breaks it.

    Exits 0 with 'chain intact: N events, head HASH' when every event still matches the
    hash it was chained with and each link follows the one before. Otherwise exits 1,
    naming the first bad event (its position, record id, version and type) and what most
    likely happened to it: edited, deleted, inserted or reordered.

    With --minuted-head, also exits 1 if that hash is no longer anywhere in the chain:
    the way to catch someone who rewrote the whole chain from some point on.
    """
    with _recorder() as (_, recorder), recorder.chain_reader() as reader:
        head = reader.head()
        total = head.notification_id if head else 0
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task("verifying the event chain", total=total or None)
            verdict = verify_chain(
                reader,
                minuted_head=minuted_head,
                batch_size=batch_size,
                progress=lambda position: progress.update(task, completed=position),
            )
    if verdict.finding is not None:
        errors.print(f"chain broken at event #{verdict.finding.notification_id}", highlight=False)
        errors.print(verdict.finding.describe(), markup=False, highlight=False, soft_wrap=True)
        if verdict.head is not None:
            errors.print(
                f"the chain verifies up to event #{verdict.head.notification_id}"
                f" ({verdict.events} events), hash {verdict.head.hash}",
                highlight=False,
                soft_wrap=True,
            )
        sys.exit(1)
    if verdict.minuted_found is False:
        errors.print(
            f"the minuted head {minuted_head} is not in the chain: the log up to it was"
            " rewritten, or events were removed from its end",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    head_hash = verdict.head.hash if verdict.head else GENESIS
    console.print(
        f"chain intact: {verdict.events} events, head {head_hash}", highlight=False, soft_wrap=True
    )


@audit.command("head")
@click.option("--json", "as_json", is_flag=True, help="Print the head as one JSON object.")
def head(as_json: bool) -> None:
    """Print the chain's head: its hash, the event's position and when it was recorded (UTC).

    Minute the hash (e.g. at each board meeting). Later, 'audit verify --minuted-head HASH'
    shows whether the log up to that point is still exactly as it was. This reads the
    stored head without checking the chain: run 'audit verify' for that.
    """
    with _recorder() as (container, recorder):
        with recorder.chain_reader() as reader:
            link = reader.head()
        recorded_at = _recorded_at(container, link)
    position = link.notification_id if link else None
    head_hash = link.hash if link else GENESIS
    if as_json:
        record = {"hash": head_hash, "notification_id": position, "recorded_at": recorded_at}
        click.echo(json.dumps(record))
        return
    console.print(f"head {head_hash}", highlight=False, soft_wrap=True)
    if link is None:
        console.print("the log is empty: this is the chain's fixed starting hash")
    else:
        console.print(
            f"event #{position} recorded at {recorded_at or 'unknown (event unreadable)'}",
            highlight=False,
        )


def _recorded_at(container: Container, link: ChainLink | None) -> str | None:
    """When the head event was recorded, from the event itself; None if it can't be read."""
    if link is None:
        return None
    found = container.app.recorder.select_notifications(
        start=link.notification_id, limit=1, stop=link.notification_id
    )
    if not found:
        return None
    try:
        event = container.app.mapper.to_domain_event(found[0])
    except Exception:  # a tampered or undecodable event: the hash is still worth printing
        return None
    timestamp = getattr(event, "timestamp", None)
    return iso(timestamp) if isinstance(timestamp, datetime) else None
