"""HTTP API: the resilience report, per programme and across the portfolio, and the
off-boarding what-if.

Every read answers now or ``as_of`` a past recorded time (what the board could have seen
then). Definitions, formulas and thresholds: docs/reports/resilience.md.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from litestar.params import QueryParameter

from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container
from projections.resilience_offboarding import OffboardingImpact
from projections.resilience_report import (
    PortfolioResilience,
    ProgrammeResilience,
    ResilienceReport,
)
from projections.temporal import Moment
from projections.timefmt import iso
from services.api import resilience_schemas as s
from services.api.access import readable_programmes
from services.api.common import (
    ContainerDep,
    Limit,
    Offset,
    ProgrammeId,
    ViewAsOf,
    fresh,
    moment,
    parse_id,
)

#: At most this many people in one what-if.
PEOPLE_MAX = 50

PersonIds = Annotated[
    list[str] | None,
    QueryParameter(
        description=(
            "A person who would leave (a UUID); repeat it for several people, e.g."
            " ?person_id=...&person_id=... (1 to 50)."
        )
    ),
]


def _report(
    request: Request[Any, Any, Any], container: Container, programme_id: str, at: Moment
) -> ResilienceReport:
    """The report at the asked moment, for a programme that exists (404 otherwise)."""
    views = fresh(container)
    if views.directory.programme(programme_id) is None:
        raise NotFound("programme", programme_id)
    report = ResilienceReport(views.views, at, _within(request, views))
    if report.programme_title(programme_id) is None:
        raise NotFound("programme", f"{programme_id} as of {iso(at.as_of)} (created later)")
    return report


def read_programme_resilience(
    request: Request[Any, Any, Any], container: Container, programme_id: str, at: Moment
) -> ProgrammeResilience:
    """A programme's whole report as the caller may see it: the API and the resilience
    page both read this."""
    pid = str(parse_id(programme_id, "programme"))
    report = _report(request, container, pid, at).for_programme(pid)
    if report is None:
        raise NotFound("programme", pid)
    return report


def read_offboarding(
    request: Request[Any, Any, Any],
    container: Container,
    programme_id: str,
    person_ids: list[str] | None,
    at: Moment,
) -> OffboardingImpact:
    """The what-if for these people (validated as the API does): API and page read this."""
    pid = str(parse_id(programme_id, "programme"))
    report = _report(request, container, pid, at)
    return report.offboarding(pid, leaving_people(container, person_ids))


def read_portfolio_resilience(
    request: Request[Any, Any, Any], container: Container, at: Moment, limit: int, offset: int
) -> PortfolioResilience:
    """Every readable programme's bus factor, paginated: the API and the page read this."""
    views = fresh(container)
    return ResilienceReport(views.views, at, _within(request, views)).portfolio(limit, offset)


def _within(request: Request[Any, Any, Any], container: Container) -> frozenset[str] | None:
    readable = readable_programmes(request, container)
    return frozenset(readable) if readable is not None else None


def leaving_people(container: Container, values: list[str] | None) -> list[str]:
    """The people of a what-if: at least one, each a UUID naming a registered person (422)."""
    if not values:
        raise InvalidValue("person_id", "name at least one person who would leave")
    if len(values) > PEOPLE_MAX:
        raise InvalidValue("person_id", f"name at most {PEOPLE_MAX} people")
    people: list[str] = []
    for value in values:
        try:
            person = str(UUID(value))
        except ValueError:
            raise InvalidValue("person_id", f"{value!r} is not a person's id (a UUID)") from None
        if container.directory.person(person) is None:
            raise InvalidValue("person_id", f"no person with id {person}")
        if person not in people:
            people.append(person)
    return people


class ResilienceController(Controller):
    path = "/"
    tags = ["Reports"]

    @get(
        "/programmes/{programme_id:str}/resilience",
        operation_id="getResilienceReport",
        summary="Resilience of a programme: single points of knowledge and of roles",
        sync_to_thread=True,
    )
    def programme(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        as_of: ViewAsOf = None,
    ) -> s.ProgrammeResilience:
        """Where the programme rests on too few people: its bus factor (Avelino et al.'s
        truck factor over its knowledge areas, each framework component and workstream),
        critical roles with no deputy, people holding or deputising in two or more critical
        roles (counted across programmes), knowledge islands (one person made at least 80% of
        3 or more contributions to an area), participating organisations with no named lead,
        handovers that transferred no knowledge items, and every knowledge area with its
        contributors. `as_of` reads it as recorded up to that UTC time; a programme created
        after it is a 404."""
        report = read_programme_resilience(request, container, programme_id, moment(as_of))
        return msgspec.convert(report, s.ProgrammeResilience, from_attributes=True)

    @get(
        "/resilience",
        operation_id="getPortfolioResilience",
        summary="Resilience across the portfolio",
        sync_to_thread=True,
    )
    def portfolio(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        as_of: ViewAsOf = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.PortfolioResilience:
        """Every programme's bus factor (paginated, by title), and everyone holding or
        deputising in two or more critical roles across all programmes, busiest first.
        `as_of` reads it as recorded up to that UTC time."""
        report = read_portfolio_resilience(request, container, moment(as_of), limit, offset)
        return msgspec.convert(report, s.PortfolioResilience, from_attributes=True)

    @get(
        "/programmes/{programme_id:str}/offboarding-impact",
        operation_id="getOffboardingImpact",
        summary="What would be orphaned if these people left the programme",
        sync_to_thread=True,
    )
    def offboarding(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        person_id: PersonIds = None,
        as_of: ViewAsOf = None,
    ) -> s.OffboardingImpact:
        """If the named people (`person_id`, repeated) left: roles they hold with no deputy
        outside the set (orphaned), roles their deputy would take over (deputised), roles
        losing their deputy; knowledge areas whose every coverer is in the set; and open
        commitments everyone recorded as making or accepting them is in the set (the
        provider's named lead when nobody was recorded). No `person_id`, a malformed one or
        an unknown person is a 422 naming the field. `as_of` reads it as recorded then."""
        impact = read_offboarding(request, container, programme_id, person_id, moment(as_of))
        return msgspec.convert(impact, s.OffboardingImpact, from_attributes=True)


#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[type[Controller]] = [ResilienceController]
