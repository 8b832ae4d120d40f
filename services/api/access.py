"""Access control for every operation, decided in one place before the handler runs.

Deny by default: every operation has a rule in ``RULES`` (by operationId); an operation with
none is refused. A rule names who may call it; the record an operation addresses is found
from its path (a programme, or a record that belongs to one), and the caller's standing in
that programme comes from the records (services/use_cases/access.py).

- Someone who may not read a programme gets 404 for it and for everything in it, worded as
  for an id that does not exist, so existence does not leak.
- Someone who may read it but not do the thing gets 403.
- Lists that span programmes are narrowed by the handlers to the programmes the caller reads
  (``readable_programmes``).
- Finer rules stay in the use cases: acting for an organisation, the two sides of a
  commitment, confidential notes and redaction.
"""

from __future__ import annotations

from enum import Enum
from typing import Any
from uuid import UUID

import anyio.to_thread
from eventsourcing.application import AggregateNotFoundError
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domain.confidential_note import ConfidentialNote
from domain.errors import Forbidden, NotFound
from infra.bootstrap import Container
from services.use_cases.access import Standing
from services.use_cases.confidential_notes import NOTE_KIND, NOTES_OF_KIND


class Rule(Enum):
    #: No sign-in needed (health).
    PUBLIC = "public"
    #: Any signed-in person: the directory, frameworks, and lists narrowed to what they read.
    SIGNED_IN = "signed-in"
    #: Platform administrators only (403 for others).
    ADMINISTRATOR = "administrator"
    #: Whoever reads the programme: its members, its auditors, administrators (404 otherwise).
    PROGRAMME_READ = "programme-read"
    #: Readers who may act: not as an auditor (403); the use case then checks membership.
    PROGRAMME_ACT = "programme-act"
    #: Setting a programme up: administrators and members of its lead commissioner (403).
    PROGRAMME_SETUP = "programme-setup"
    #: An organisation's own reports: its members and administrators (403 otherwise).
    ORGANISATION_OWN = "organisation-own"
    #: A person's own affairs (the path's person): themself and administrators (403).
    SELF_OR_ADMINISTRATOR = "self-or-administrator"
    #: Organisation-confidential notes: current members of the owning organisation, and
    #: nobody else whatever their role (404, as if there were none).
    OWNING_ORGANISATION = "owning-organisation"


R = Rule
RULES: dict[str, Rule] = {
    "health": R.PUBLIC,
    # Browser pages (not in the API schema): they read the session cookie themselves.
    "homePage": R.PUBLIC,
    "loginPage": R.PUBLIC,
    "logIn": R.PUBLIC,
    "logOut": R.PUBLIC,
    # The pages under /web, signed in with the session cookie; the same rules as the
    # API operations they show (services/web/).
    "portfolioPage": R.SIGNED_IN,
    "programmeResiliencePage": R.PROGRAMME_READ,
    "portfolioResiliencePage": R.SIGNED_IN,
    # Decisions and history pages (services/web/decision_page.py, decisions_page.py,
    # history_page.py): each as the API operation it shows.
    "programmeDecisionsPage": R.PROGRAMME_READ,
    "decisionPage": R.PROGRAMME_READ,
    "respondToDecisionPage": R.PROGRAMME_ACT,
    "programmeHistoryPage": R.PROGRAMME_READ,
    "decisionHistoryPage": R.PROGRAMME_READ,
    "roleHistoryPage": R.PROGRAMME_READ,
    "reviewHistoryPage": R.PROGRAMME_READ,
    "commitmentHistoryPage": R.PROGRAMME_READ,
    "alertHistoryPage": R.PROGRAMME_READ,
    "organisationHistoryPage": R.SIGNED_IN,
    "personHistoryPage": R.SIGNED_IN,
    "sharedPurposeHistoryPage": R.PROGRAMME_READ,
    "commitmentTrackerPage": R.ORGANISATION_OWN,
    "myCommitmentsPage": R.SIGNED_IN,
    "commitmentPage": R.PROGRAMME_READ,
    "acceptCommitmentPage": R.PROGRAMME_ACT,
    "recordCommitmentProgressPage": R.PROGRAMME_ACT,
    "flagCommitmentAtRiskPage": R.PROGRAMME_ACT,
    "deliverCommitmentPage": R.PROGRAMME_ACT,
    "renegotiateCommitmentPage": R.PROGRAMME_ACT,
    "recordCommitmentMissedPage": R.PROGRAMME_ACT,
    "withdrawCommitmentPage": R.PROGRAMME_ACT,
    "programmeDashboardPage": R.PROGRAMME_READ,
    "recordPurposePositionPage": R.PROGRAMME_ACT,
    "reviewFormPage": R.PROGRAMME_READ,
    "recordReviewPage": R.PROGRAMME_ACT,
    # Directory: everyone reads it; administrators keep it.
    "listOrganisations": R.SIGNED_IN,
    "getOrganisation": R.SIGNED_IN,
    "organisationHistory": R.SIGNED_IN,
    "registerOrganisation": R.ADMINISTRATOR,
    "renameOrganisation": R.ADMINISTRATOR,
    "mergeOrganisation": R.ADMINISTRATOR,
    "dissolveOrganisation": R.ADMINISTRATOR,
    "listPeople": R.SIGNED_IN,
    "getMe": R.SIGNED_IN,
    "changeMyPassword": R.SIGNED_IN,  # one's own, proving the current password
    "getPerson": R.SIGNED_IN,
    "personHistory": R.SIGNED_IN,
    "registerPerson": R.ADMINISTRATOR,
    "joinOrganisation": R.ADMINISTRATOR,
    "leaveOrganisation": R.ADMINISTRATOR,
    "listAdministrators": R.SIGNED_IN,
    "grantAdministrator": R.ADMINISTRATOR,
    "revokeAdministrator": R.ADMINISTRATOR,
    "listPersonTokens": R.SELF_OR_ADMINISTRATOR,
    "setPersonAbout": R.SELF_OR_ADMINISTRATOR,
    "erasePerson": R.ADMINISTRATOR,
    "issueToken": R.ADMINISTRATOR,
    "revokeToken": R.SIGNED_IN,  # the use case: the token's holder or an administrator
    # Programmes
    "listProgrammes": R.SIGNED_IN,
    "createProgramme": R.SIGNED_IN,  # the use case: administrators, the lead's members
    "getProgramme": R.PROGRAMME_READ,
    "programmeHistory": R.PROGRAMME_READ,
    "updateProgramme": R.PROGRAMME_SETUP,
    "addParticipant": R.PROGRAMME_SETUP,
    "removeParticipant": R.PROGRAMME_SETUP,
    "addWorkstream": R.PROGRAMME_ACT,  # any member organisation may open a workstream
    "appointAuditor": R.ADMINISTRATOR,
    "removeAuditor": R.ADMINISTRATOR,
    # Shared purpose
    "draftSharedPurpose": R.PROGRAMME_ACT,
    "getSharedPurpose": R.PROGRAMME_READ,
    "reviseSharedPurpose": R.PROGRAMME_ACT,
    "endorseSharedPurpose": R.PROGRAMME_ACT,
    "disputeSharedPurpose": R.PROGRAMME_ACT,
    "adoptSharedPurpose": R.PROGRAMME_ACT,
    "getSharedPurposeVersion": R.PROGRAMME_READ,
    "sharedPurposeHistory": R.PROGRAMME_READ,
    "listSharedPurposes": R.SIGNED_IN,
    # Decisions
    "proposeDecision": R.PROGRAMME_ACT,
    "listDecisions": R.PROGRAMME_READ,
    "getDecision": R.PROGRAMME_READ,
    "decisionHistory": R.PROGRAMME_READ,
    "consultOnDecision": R.PROGRAMME_ACT,
    "respondToDecision": R.PROGRAMME_ACT,
    "takeDecision": R.PROGRAMME_ACT,
    "amendDecision": R.PROGRAMME_ACT,
    "supersedeDecision": R.PROGRAMME_ACT,
    "revokeDecision": R.PROGRAMME_ACT,
    # Roles
    "defineRole": R.PROGRAMME_ACT,
    "listProgrammeRoles": R.PROGRAMME_READ,
    "listPersonRoles": R.SIGNED_IN,
    "getRole": R.PROGRAMME_READ,
    "roleHistory": R.PROGRAMME_READ,
    "assignRole": R.PROGRAMME_ACT,
    "vacateRole": R.PROGRAMME_ACT,
    "handOverRole": R.PROGRAMME_ACT,
    "setRoleCritical": R.PROGRAMME_ACT,
    # Frameworks and reviews
    "listFrameworks": R.SIGNED_IN,
    "registerFramework": R.ADMINISTRATOR,
    "getFramework": R.SIGNED_IN,
    "frameworkHistory": R.SIGNED_IN,
    "getProgrammeFramework": R.PROGRAMME_READ,
    "setProgrammeFramework": R.PROGRAMME_SETUP,
    "programmeFrameworkHistory": R.PROGRAMME_READ,
    "programmeComponents": R.PROGRAMME_READ,
    "listReviews": R.PROGRAMME_READ,
    "recordReview": R.PROGRAMME_ACT,
    "getReview": R.PROGRAMME_READ,
    "reviewHistory": R.PROGRAMME_READ,
    "completeReviewAction": R.PROGRAMME_ACT,
    # Commitments: a commitment in no programme is read by its two sides (and administrators)
    "makeCommitment": R.SIGNED_IN,  # the use case: a member of the provider, not an auditor
    "listCommitments": R.SIGNED_IN,
    "getCommitment": R.PROGRAMME_READ,
    "commitmentHistory": R.PROGRAMME_READ,
    "acceptCommitment": R.PROGRAMME_ACT,
    "recordCommitmentProgress": R.PROGRAMME_ACT,
    "flagCommitmentAtRisk": R.PROGRAMME_ACT,
    "deliverCommitment": R.PROGRAMME_ACT,
    "recordCommitmentMissed": R.PROGRAMME_ACT,
    "renegotiateCommitment": R.PROGRAMME_ACT,
    "withdrawCommitment": R.PROGRAMME_ACT,
    # Organisation-confidential notes
    "writeConfidentialNote": R.OWNING_ORGANISATION,
    "listConfidentialNotes": R.OWNING_ORGANISATION,
    "getConfidentialNote": R.OWNING_ORGANISATION,
    "confidentialNoteHistory": R.OWNING_ORGANISATION,
    "reviseConfidentialNote": R.OWNING_ORGANISATION,
    "withdrawConfidentialNote": R.OWNING_ORGANISATION,
    # Reports
    "getAlignmentDashboard": R.PROGRAMME_READ,
    "getCommitmentTracker": R.ORGANISATION_OWN,
    "getDecisionLineage": R.PROGRAMME_READ,
    "getDecisionChain": R.PROGRAMME_READ,
    "getResilienceReport": R.PROGRAMME_READ,
    "getPortfolioResilience": R.SIGNED_IN,
    "getOffboardingImpact": R.PROGRAMME_READ,
    "getPortfolio": R.SIGNED_IN,
    "listAlerts": R.SIGNED_IN,
    "getAlert": R.PROGRAMME_READ,
    "alertHistory": R.PROGRAMME_READ,
}

# Public files: the API's documentation and its assets, and the pages' stylesheet.
_DOCUMENTATION = ("/schema", "/docs-assets/", "/static/")

#: Path parameters naming a record that belongs to a programme, and how 404s name its kind.
_RECORD_PARAMETERS = {
    "decision_id": "decision",
    "role_id": "role",
    "review_id": "review",
    "commitment_id": "commitment",
    "alert_id": "alert",
}


def person_of(connection: ASGIConnection[Any, Any, Any, Any]) -> UUID:
    user: UUID = connection.user
    return user


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Litestar guard: refuses what the caller's rule does not allow (403, or 404)."""
    operation_id = getattr(handler, "operation_id", None)
    rule = RULES.get(operation_id) if isinstance(operation_id, str) else None
    if rule is None:
        if connection.url.path.startswith(_DOCUMENTATION):
            return
        methods = set(getattr(handler, "http_methods", ()))
        if methods and methods <= {"OPTIONS", "HEAD"}:
            return  # Litestar's own OPTIONS answer: the allowed methods, nothing more
        raise Forbidden("this operation has no access rule, so it is refused")
    if rule in (Rule.PUBLIC, Rule.SIGNED_IN):
        return
    container: Container = connection.app.state.container
    # The application is synchronous; keep the event loop free.
    await anyio.to_thread.run_sync(
        check,
        container,
        person_of(connection),
        rule,
        dict(connection.path_params),
        _action(handler),
    )


def _action(handler: BaseRouteHandler) -> str:
    """What the operation does, for refusals: its summary, e.g. "register a person"."""
    summary = getattr(handler, "summary", None)
    return summary[0].lower() + summary[1:] if summary else "do this"


def check(
    container: Container,
    person_id: UUID,
    rule: Rule,
    path: dict[str, Any],
    action: str = "do this",
) -> None:
    app = container.app
    if rule is Rule.ADMINISTRATOR:
        app._check_administrator(person_id, action)
        return
    if rule is Rule.ORGANISATION_OWN:
        _check_own_organisation(container, person_id, path)
        return
    if rule is Rule.OWNING_ORGANISATION:
        _check_owning_organisation(container, person_id, path)
        return
    if rule is Rule.SELF_OR_ADMINISTRATOR:
        if _uuid(path.get("person_id", "")) != person_id:
            app._check_administrator(person_id, f"{action} for someone else")
        return
    found = _programme_in(container, path)
    if found is None:
        return  # nothing there: the handler answers 404 in its own words
    programme_id, kind, raw_id, sides = found
    # The caller's organisation, read once for their standing and for the commitment's sides.
    organisation_id = app.current_organisation_of(person_id)
    standing = app.standing(person_id, programme_id, organisation_id) if programme_id else None
    is_side = organisation_id in sides
    if standing is None:
        standing = Standing(app.is_administrator(person_id), is_side, False, False)
    if not (standing.reads or is_side):
        raise NotFound(kind, raw_id)
    if rule is Rule.PROGRAMME_ACT and standing.auditor and not standing.member:
        raise Forbidden("an auditor reads this programme's records and writes nothing")
    if rule is Rule.PROGRAMME_SETUP and not (standing.administrator or standing.lead):
        raise Forbidden(
            "only a platform administrator or a member of the programme's lead commissioner"
            " can set the programme up"
        )


def _programme_in(
    container: Container, path: dict[str, Any]
) -> tuple[UUID | None, str, str, set[UUID]] | None:
    """The programme the path addresses: its id, the kind and id the path named, and for a
    commitment its two sides. None when the path names nothing that exists."""
    if "programme_id" in path:
        programme_id = _uuid(path["programme_id"])
        if programme_id is None:
            return None
        return programme_id, "programme", str(path["programme_id"]), set()
    for parameter, kind in _RECORD_PARAMETERS.items():
        if parameter not in path:
            continue
        record_id = _uuid(path[parameter])
        if record_id is None:
            return None
        try:
            record: Any = container.app.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        if type(record).__name__.lower() != kind:
            return None
        sides = {
            side
            for side in (
                getattr(record, "provider_id", None),
                getattr(record, "commissioner_id", None),
            )
            if side is not None
        }
        return getattr(record, "programme_id", None), kind, str(path[parameter]), sides
    return None


def _check_own_organisation(container: Container, person_id: UUID, path: dict[str, Any]) -> None:
    organisation_id = _uuid(path.get("organisation_id", ""))
    if organisation_id is None:
        return
    app = container.app
    if app.is_administrator(person_id) or app.current_organisation_of(person_id) == organisation_id:
        return
    raise Forbidden("only the organisation's own members can read its commitment tracker")


def _check_owning_organisation(container: Container, person_id: UUID, path: dict[str, Any]) -> None:
    """The same 404 the notes' use cases give: to anyone else there are no notes."""
    mine = container.app.current_organisation_of(person_id)
    if "organisation_id" in path:
        organisation_id = _uuid(path["organisation_id"])
        if organisation_id is not None and organisation_id != mine:
            raise NotFound(NOTES_OF_KIND, organisation_id)
        return
    note_id = _uuid(path.get("note_id", ""))
    if note_id is None:
        return
    try:
        note: Any = container.app.repository.get(note_id)
    except AggregateNotFoundError:
        return
    if isinstance(note, ConfidentialNote) and note.owner_organisation_id != mine:
        raise NotFound(NOTE_KIND, note_id)


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def readable_programmes(request: Request[Any, Any, Any], container: Container) -> list[str] | None:
    """Ids of the programmes the caller reads, or None for all (an administrator)."""
    return container.app.visible_programme_ids(person_of(request))
