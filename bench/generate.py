"""Generate a realistic Changeledger event log of about N events, deterministically by seed.

Areas (an ICB, its trusts, GP federation, council and voluntary partners, their staff) start
change programmes over a simulated period of years; each programme then lives week by week
(bench/programme_life.py, bench/board_business.py). Records are built through the domain's
own methods, so every guard holds, and saved in large batches: one transaction per batch,
events in the order they were created. New programmes start while the projected size of the
log falls short of the target; generation stops at the first week boundary past it.

    python -m bench.generate --events 100000 --database-url postgresql://.../db
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from bench.clock import SimulatedClock, simulated_recording
from bench.programme_life import ProgrammeLife
from bench.world import Area, Directory, Sim
from domain.framework import DEFAULT_FRAMEWORK_KEY, ChangeFramework
from services.application import Changeledger

WEEKS_PER_YEAR = 52
#: Events a running programme adds in an average week, and an area's in its first week;
#: used only to decide when to start another programme.
PROGRAMME_WEEKLY_EVENTS = 9.0
PROGRAMMES_PER_AREA = 3
PEOPLE_PER_ORGANISATION = 8
#: Chance per person per week of leaving their organisation (about one in ten a year).
LEAVING_PER_WEEK = 0.002


@dataclass
class Generated:
    events: int
    programmes: int
    organisations: int
    people: int
    weeks: int
    first_recorded: datetime
    last_recorded: datetime
    seconds: float
    #: Of which inside the save transactions.
    save_seconds: float
    refused: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        refused = sum(self.refused.values())
        return (
            f"events={self.events} programmes={self.programmes}"
            f" organisations={self.organisations} people={self.people} weeks={self.weeks}"
            f" recorded={self.first_recorded:%Y-%m-%d}..{self.last_recorded:%Y-%m-%d}"
            f" seconds={self.seconds:.1f} events_per_s={self.events / self.seconds:.0f}"
            f" save_events_per_s={self.events / self.save_seconds:.0f}"
            f" refused={refused} {self.refused if refused else ''}"
        )


class Generator:
    def __init__(self, app: Changeledger, target: int, seed: int, years: int, batch: int) -> None:
        self.app, self.target, self.batch = app, target, batch
        self.weeks = years * WEEKS_PER_YEAR
        # Up to the last midnight (UTC): with whole days, dates fall alike on any run, so
        # one seed gives the same log whenever it runs (record ids aside).
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = end - timedelta(weeks=self.weeks)
        # A seeded generator: the same seed gives the same log (nothing here is a secret).
        rng = random.Random(seed)  # noqa: S311
        self.sim = Sim(rng, SimulatedClock(self.start))
        self.directory = Directory(self.sim)
        self.lives: list[ProgrammeLife] = []
        self.lives_by_area: dict[str, list[ProgrammeLife]] = {}
        self.saved = 0
        self.save_seconds = 0.0
        #: Events per week, smoothed over the last few weeks.
        self.weekly_events = 0.0

    def run(self, progress: Progress | None = None) -> Generated:
        began = time.perf_counter()
        task = progress.add_task("events", total=self.target) if progress else None
        with simulated_recording(self.sim.clock):
            before = self.app.recorder.max_notification_id() or 0
            self.app.ensure_builtin_frameworks()
            # Few events, so count them in the log (ids need not be consecutive from 1).
            self.saved += len(self.app.recorder.select_notifications(start=before + 1, limit=1000))
            keys = ("nhs-change-model-2012", DEFAULT_FRAMEWORK_KEY)
            frameworks = [self.app.framework(key) for key in keys]
            week, last_week_events, pending = 0, 100, 0
            for week in range(self.weeks):
                before = self.saved + pending
                monday = self.start + timedelta(weeks=week)
                # Spread this week's events over the week, expecting about last week's count.
                self.sim.clock.begin_period(
                    monday, monday + timedelta(days=7), int(last_week_events * 1.2)
                )
                self._start_programmes(week, frameworks, before)
                for life in self.lives:
                    life.week()
                self._people_move()
                pending = self._pending()
                last_week_events = self.saved + pending - before
                self.weekly_events = 0.8 * self.weekly_events + 0.2 * last_week_events
                if pending >= self.batch:
                    self._flush()
                    pending = 0
                if progress is not None and task is not None:
                    progress.update(task, completed=min(self.saved, self.target))
                if self.saved + pending >= self.target:
                    break
            self._flush()
        if progress is not None and task is not None:
            progress.update(task, completed=self.target)
        return Generated(
            # Counted, not read from notification ids: ids need not start at 1 (a reused
            # database keeps its sequence).
            events=self.saved,
            programmes=len(self.lives),
            organisations=sum(len(a.organisations) for a in self.directory.areas),
            people=len(self.directory.by_id),
            weeks=week + 1,
            first_recorded=self.start,
            last_recorded=self.sim.clock.now,
            seconds=time.perf_counter() - began,
            save_seconds=self.save_seconds,
            refused=dict(self.sim.refused),
        )

    def _start_programmes(self, week: int, frameworks: list[ChangeFramework], so_far: int) -> None:
        weeks_left = self.weeks - week
        per_programme = PROGRAMME_WEEKLY_EVENTS
        if self.lives and week >= 8:
            # Learn the real weekly rate once programmes are past their first burst.
            # Open commitments and decisions pile up, so a programme gets busier as it ages.
            per_programme = max(2.0, 1.4 * self.weekly_events / len(self.lives))
        projected = so_far + len(self.lives) * per_programme * weeks_left
        cap = max(1, self.target // 20_000)
        started = 0
        while projected < self.target and started < cap:
            area = self._area_with_room()
            life = ProgrammeLife(self.sim, self.directory, area, frameworks, len(self.lives))
            self.lives.append(life)
            self.lives_by_area.setdefault(area.name, []).append(life)
            projected += per_programme * weeks_left + 60
            started += 1

    def _area_with_room(self) -> Area:
        for area in self.directory.areas:
            if len(self.lives_by_area.get(area.name, [])) < PROGRAMMES_PER_AREA:
                return area
        return self.directory.add_area(PEOPLE_PER_ORGANISATION)

    def _people_move(self) -> None:
        sim = self.sim
        for area in self.directory.areas:
            for organisation in area.organisations:
                for person in list(area.members[organisation.id]):
                    if len(area.members[organisation.id]) > 2 and sim.chance(LEAVING_PER_WEEK):
                        left = self.directory.leave(area, person)
                        for life in self.lives_by_area.get(area.name, []):
                            if left is not None:
                                life.person_left(person, left)
        self.directory.rejoin_some()

    def _pending(self) -> int:
        return sum(len(record.pending_events) for record in self.sim.dirty.values())

    def _flush(self) -> None:
        events = self.sim.take_events()
        if events:
            began = time.perf_counter()
            self.app.save(*events)
            self.save_seconds += time.perf_counter() - began
            self.saved += len(events)


def generate(
    app: Changeledger,
    events: int,
    *,
    seed: int = 1,
    years: int = 3,
    batch: int = 5000,
    show_progress: bool = True,
) -> Generated:
    """Append a generated log of about ``events`` events to ``app``'s (empty) event store."""
    generator = Generator(app, events, seed, years, batch)
    if not show_progress:
        return generator.run()
    columns = (*Progress.get_default_columns()[:-1], MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, BarColumn(bar_width=0)) as progress:
        return generator.run(progress)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Generate a realistic event log of about N events into a new database.",
    )
    parser.add_argument("--events", type=int, default=10_000, help="target size of the log")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same log")
    parser.add_argument("--years", type=int, default=3, help="simulated period the log spans")
    parser.add_argument("--batch", type=int, default=5000, help="events per save transaction")
    parser.add_argument(
        "--database-url",
        help="an EMPTY database (postgresql://... or sqlite:///path); its schema is created."
        " Without it, a throwaway PostgreSQL is started and stopped",
    )
    args = parser.parse_args(argv)
    from bench.pg import new_database, open_container, throwaway_server
    from infra.bootstrap import init_db

    def run(url: str) -> None:
        container = open_container(url)
        try:
            print(
                generate(
                    container.app, args.events, seed=args.seed, years=args.years, batch=args.batch
                ).summary()
            )
        finally:
            container.close()

    if args.database_url:
        from bench.pg import settings_for

        init_db(settings_for(args.database_url))
        run(args.database_url)
    else:
        with throwaway_server() as server:
            run(new_database(server, "bench"))


if __name__ == "__main__":
    main()
