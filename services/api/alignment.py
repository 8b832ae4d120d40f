"""HTTP API: the alignment dashboard of a programme.

``GET /programmes/{programme_id}/alignment``: which framework components are never reviewed,
stale or weak, the soft/hard balance, where decisions concentrate, and who endorses the
shared purpose. Readable now or ``as_of`` a past recorded time. The rules are in
docs/reports/alignment.md.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get

from infra.bootstrap import Container
from projections.alignment_report import AlignmentDashboard, AlignmentReport
from projections.temporal import Moment
from services.api import alignment_schemas as schemas
from services.api.common import ContainerDep, ProgrammeId, ViewAsOf, fresh, moment, parse_id


class AlignmentController(Controller):
    path = "/programmes"
    tags = ["Reports"]

    @get(
        "/{programme_id:str}/alignment",
        operation_id="getAlignmentDashboard",
        summary="Alignment dashboard",
        sync_to_thread=True,
    )
    def dashboard(
        self, container: ContainerDep, programme_id: ProgrammeId, as_of: ViewAsOf = None
    ) -> schemas.AlignmentDashboard:
        """How well the programme uses its change framework, and whether it shares a purpose.

        Per component of the programme's framework (with the programme's own labels): the
        latest and previous rating and the trend between them (by review date), when it was
        last reviewed, whether that rating was evidenced, open actions, and how many
        decisions touch it. Lists the components never reviewed, stale (last reviewed longer
        ago than the programme's review interval) and weak (latest rating without evidence
        or actions, or rated 2 or lower); the soft/hard balance and the neglected side;
        tunnel vision (most decisions touching the same two components); and which
        participating organisations endorse, dispute (with their reason) or have not
        responded to the current shared-purpose text. ``summary`` says it in one line.

        With ``as_of``, the dashboard as recorded then, stale judged on that date; the
        framework, labels and interval are the programme's current ones. 404 for an unknown
        programme (or one not yet created at ``as_of``); 422 for a malformed ``as_of``.
        """
        report = read_alignment(container, parse_id(programme_id, "programme"), moment(as_of))
        return msgspec.convert(report, schemas.AlignmentDashboard, from_attributes=True)


def read_alignment(container: Container, programme_id: UUID, at: Moment) -> AlignmentDashboard:
    """The alignment dashboard: the API and the programme dashboard page both read this."""
    return AlignmentReport(fresh(container).views).dashboard(programme_id, at)


#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[Any] = [AlignmentController]
