"""The shared state of a generated log: the clock, the random source, the records changed
since the last save, and the health system's directory (areas, organisations, people)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from bench import vocabulary as words
from bench.clock import SimulatedClock
from domain.actor import acting_as
from domain.errors import DomainError
from domain.organisation import Organisation
from domain.person import Person
from domain.uniqueness import UniqueValue
from services.use_cases.directory import EMAIL, ODS_CODE

T = TypeVar("T")


@dataclass
class Sim:
    rng: random.Random
    clock: SimulatedClock
    #: Records with events not yet saved, by id, in the order first touched.
    dirty: dict[UUID, Any] = field(default_factory=dict)
    #: Domain refusals met (a guard said no); counted, never hidden: they should stay rare.
    refused: dict[str, int] = field(default_factory=dict)

    def touch(self, *records: Any) -> None:
        for record in records:
            self.dirty[record.id] = record

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def occurred(self, record: Any) -> datetime:
        return self.clock.occurred(self.rng, record.id)

    def attempt(self, what: str, action: Callable[[], T]) -> T | None:
        """Run a domain action; a refusal is counted by name instead of stopping the run."""
        try:
            return action()
        except DomainError:
            self.refused[what] = self.refused.get(what, 0) + 1
            return None

    def take_events(self) -> list[Any]:
        """Every unsaved event, oldest first: the order the product would have recorded them."""
        events = [event for record in self.dirty.values() for event in record.collect_events()]
        self.dirty.clear()
        events.sort(key=lambda event: event.timestamp)
        return events

    @contextmanager
    def acting(self, person: Person | None) -> Iterator[None]:
        with acting_as(person.id if person is not None else None):
            yield


@dataclass
class Area:
    """One local health system: an ICB, its providers and partners, and their staff."""

    name: str
    commissioner: Organisation
    providers: list[Organisation]
    partners: list[Organisation]
    members: dict[UUID, list[Person]] = field(default_factory=dict)

    @property
    def organisations(self) -> list[Organisation]:
        return [self.commissioner, *self.providers, *self.partners]


class Directory:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.areas: list[Area] = []
        self.by_id: dict[UUID, Person] = {}
        #: People between organisations, with the area they will join next.
        self.between: list[tuple[Person, Area]] = []
        self._ods = 0
        self._emails = 0

    def add_area(self, people_per_organisation: int) -> Area:
        rng = self.sim.rng
        index = len(self.areas)
        place = words.AREAS[index % len(words.AREAS)]
        if index >= len(words.AREAS):
            place = f"{words.QUALIFIERS[(index // len(words.AREAS) - 1) % 8]} {place}"
            place += "" if index < len(words.AREAS) * 9 else f" {index}"
        commissioner = self._organisation(f"NHS {place} Integrated Care Board", "commissioner")
        providers = [
            self._organisation(pattern.format(area=place), "provider")
            for pattern in rng.sample(words.PROVIDER_KINDS, rng.randint(3, 5))
        ]
        partners = [
            self._organisation(pattern.format(area=place), "partner", coded=False)
            for pattern in rng.sample(words.PARTNER_KINDS, rng.randint(1, 3))
        ]
        area = Area(place, commissioner, providers, partners)
        for organisation in area.organisations:
            area.members[organisation.id] = [
                self._person(organisation)
                for _ in range(max(2, int(rng.gauss(people_per_organisation, 2))))
            ]
        self.areas.append(area)
        return area

    def _organisation(self, name: str, kind: str, *, coded: bool = True) -> Organisation:
        ods = None
        if coded:
            self._ods += 1
            ods = f"{'Q' if kind == 'commissioner' else 'R'}{self._ods:05d}"
        organisation = Organisation.register(name=name, kind=kind, ods_code=ods)
        self.sim.touch(organisation)
        if ods is not None:
            self.sim.touch(UniqueValue(namespace=ODS_CODE, value=ods, owner_id=organisation.id))
        return organisation

    def _person(self, organisation: Organisation) -> Person:
        rng = self.sim.rng
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        self._emails += 1
        email = f"{first}.{last}.{self._emails}@nhs.example".lower()
        person = Person.register(name=f"{first} {last}", email=email)
        person.join(organisation, occurred_at=self.sim.occurred(person))
        self.sim.touch(person, UniqueValue(namespace=EMAIL, value=email, owner_id=person.id))
        self.by_id[person.id] = person
        return person

    def member(self, area: Area, organisation_id: UUID) -> Person | None:
        members = area.members.get(organisation_id) or []
        return self.sim.rng.choice(members) if members else None

    def leave(self, area: Area, person: Person) -> UUID | None:
        """A person leaves their organisation; they join another in the area weeks later."""
        organisation_id = person.current_organisation_id
        if organisation_id is None:
            return None
        person.leave(organisation_id, occurred_at=self.sim.occurred(person))
        area.members[organisation_id].remove(person)
        self.sim.touch(person)
        self.between.append((person, area))
        return organisation_id

    def rejoin_some(self) -> None:
        """People between jobs join another organisation of their area, a few each week."""
        staying: list[tuple[Person, Area]] = []
        for person, area in self.between:
            if not self.sim.chance(0.25):
                staying.append((person, area))
                continue
            organisation = self.sim.rng.choice(area.organisations)
            person.join(organisation, occurred_at=self.sim.occurred(person))
            area.members[organisation.id].append(person)
            self.sim.touch(person)
        self.between = staying
