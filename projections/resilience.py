"""Views: what the resilience report reads, kept so it can be read as of a past time.

Versioned (``projections/temporal.py``):

- ``res_roles``: id; programme_id, kind, title, organisation_id (named leads), critical,
  holder_id, deputy_id;
- ``res_commitments``: id; programme_id, provider_id, commissioner_id, decision_id, status,
  made_by, accepted_by (the acting people of Commitment.Made and .Accepted). Only
  commitments made within a programme are kept;
- ``res_frameworks``: programme_id; settings_id, framework_key (the programme's framework).

Append-only, with their recorded time:

- ``res_contributions``: one row per contribution of a person to a knowledge area (a
  framework component or a workstream of a programme): who, what kind (``source``), which
  record and when it was recorded. See docs/reports/resilience.md for what counts;
- ``res_handovers``: one row per handover, with how many knowledge items went with it.

``res_decision_scope`` is internal: each decision's programme, workstream and current
components, so that taking or amending it credits the right areas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at
from projections.timefmt import iso

ROLES = VersionedTable(
    "res_roles",
    key=("id",),
    columns=(
        "programme_id TEXT NOT NULL",
        "kind TEXT NOT NULL",
        "title TEXT NOT NULL",
        "organisation_id TEXT",
        "critical BOOLEAN NOT NULL",
        "holder_id TEXT",
        "deputy_id TEXT",
    ),
    indexes=(("programme_id",), ("holder_id",), ("deputy_id",)),
)
COMMITMENTS = VersionedTable(
    "res_commitments",
    key=("id",),
    columns=(
        "programme_id TEXT NOT NULL",
        "provider_id TEXT NOT NULL",
        "commissioner_id TEXT NOT NULL",
        "decision_id TEXT",
        "what TEXT NOT NULL",
        "status TEXT NOT NULL",
        "made_by TEXT",
        "accepted_by TEXT",
    ),
    indexes=(("programme_id",),),
)
FRAMEWORKS = VersionedTable(
    "res_frameworks",
    key=("programme_id",),
    columns=("settings_id TEXT NOT NULL", "framework_key TEXT NOT NULL"),
)
CONTRIBUTIONS = "res_contributions"
HANDOVERS = "res_handovers"
DECISION_SCOPE = "res_decision_scope"

COMPONENT = "component"
WORKSTREAM = "workstream"

#: Commitment events and the status each leaves the commitment in.
_COMMITMENT_STATUS = {
    "Commitment.FlaggedAtRisk": "at_risk",
    "Commitment.Delivered": "delivered",
    "Commitment.Missed": "missed",
    "Commitment.Renegotiated": "renegotiated",
    "Commitment.Withdrawn": "withdrawn",
}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class ResilienceProjection(Projection):
    name = "resilience"
    tables = (
        ROLES.name,
        COMMITMENTS.name,
        FRAMEWORKS.name,
        CONTRIBUTIONS,
        HANDOVERS,
        DECISION_SCOPE,
    )
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        versioned = [
            statement
            for table in (ROLES, COMMITMENTS, FRAMEWORKS)
            for statement in table.create_statements()
        ]
        return [
            *versioned,
            f"""CREATE TABLE IF NOT EXISTS {CONTRIBUTIONS} (
                record_id TEXT NOT NULL, record_version INTEGER NOT NULL, seq INTEGER NOT NULL,
                programme_id TEXT NOT NULL, area_kind TEXT NOT NULL, area_key TEXT NOT NULL,
                person_id TEXT NOT NULL, source TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (record_id, record_version, seq))""",
            f"""CREATE INDEX IF NOT EXISTS {CONTRIBUTIONS}_programme
                ON {CONTRIBUTIONS} (programme_id, recorded_at)""",
            f"""CREATE TABLE IF NOT EXISTS {HANDOVERS} (
                role_id TEXT NOT NULL, version INTEGER NOT NULL, programme_id TEXT NOT NULL,
                from_person_id TEXT NOT NULL, to_person_id TEXT NOT NULL,
                knowledge_item_count INTEGER NOT NULL, occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL, PRIMARY KEY (role_id, version))""",
            f"""CREATE INDEX IF NOT EXISTS {HANDOVERS}_programme
                ON {HANDOVERS} (programme_id, recorded_at)""",
            f"""CREATE TABLE IF NOT EXISTS {DECISION_SCOPE} (
                decision_id TEXT PRIMARY KEY, programme_id TEXT NOT NULL, workstream_id TEXT,
                components TEXT NOT NULL)""",
        ]

    # Roles

    @handlers.on("Role.Defined")
    def on_role_defined(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ROLES.insert(
            tx,
            {
                "id": str(event.originator_id),
                "programme_id": str(event.programme_id),
                "kind": event.kind,
                "title": event.title,
                "organisation_id": _text(event.organisation_id),
                "critical": bool(event.critical),
                "holder_id": None,
                "deputy_id": None,
            },
            recorded_at(event),
        )

    @handlers.on("Role.MarkedCritical")
    def on_role_marked_critical(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ROLES.update(tx, _id(event), {"critical": True}, recorded_at(event))

    @handlers.on("Role.UnmarkedCritical")
    def on_role_unmarked_critical(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ROLES.update(tx, _id(event), {"critical": False}, recorded_at(event))

    @handlers.on("Role.Assigned")
    def on_role_assigned(self, tx: ViewTransaction, event: Any, position: int) -> None:
        changes = {"holder_id": str(event.holder_id), "deputy_id": _text(event.deputy_id)}
        ROLES.update(tx, _id(event), changes, recorded_at(event))

    @handlers.on("Role.Vacated")
    def on_role_vacated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ROLES.update(tx, _id(event), {"holder_id": None, "deputy_id": None}, recorded_at(event))

    @handlers.on("Role.HandedOver")
    def on_role_handed_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        changes: dict[str, Any] = {"holder_id": str(event.to_person_id)}
        if event.deputy_id is None:
            changes["deputy_id"] = None
        role = ROLES.update(tx, _id(event), changes, at)
        if role is None:
            return
        tx.execute(
            f"""INSERT INTO {HANDOVERS}
                (role_id, version, programme_id, from_person_id, to_person_id,
                 knowledge_item_count, occurred_at, recorded_at)
                VALUES (%(r)s, %(v)s, %(p)s, %(from)s, %(to)s, %(n)s, %(occurred)s, %(t)s)""",
            {
                "r": str(event.originator_id),
                "v": event.originator_version,
                "p": role["programme_id"],
                "from": str(event.from_person_id),
                "to": str(event.to_person_id),
                "n": len(event.knowledge_items),
                "occurred": iso(event.occurred_at),
                "t": at,
            },
        )

    @handlers.on("Role.PassedToSuccessor")
    def on_role_passed_to_successor(self, tx: ViewTransaction, event: Any, position: int) -> None:
        changes = {"organisation_id": str(event.to_organisation_id), "title": event.title}
        ROLES.update(tx, _id(event), changes, recorded_at(event))

    # Contributions: reviews

    @handlers.on("Review.Recorded")
    def on_review_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        reviewers = [str(reviewer) for reviewer in event.reviewer_ids]
        credits: list[tuple[str, str, str, str]] = []
        for rating in event.ratings:
            component = str(rating["component"])
            credits += [(COMPONENT, component, person, "review") for person in reviewers]
            if rating["evidence"]:
                # The domain does not record who gave evidence: the reviewers did.
                credits += [(COMPONENT, component, person, "evidence") for person in reviewers]
            credits += [
                (COMPONENT, component, str(action["owner_id"]), "review_action")
                for action in rating["actions"]
            ]
        _credit(tx, event, str(event.programme_id), credits)

    # Contributions: decisions

    @handlers.on("Decision.Proposed")
    def on_decision_proposed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        scope = {
            "d": str(event.originator_id),
            "p": str(event.programme_id),
            "w": _text(event.workstream_id),
            "c": ",".join(event.components),
        }
        tx.execute(
            f"""INSERT INTO {DECISION_SCOPE} (decision_id, programme_id, workstream_id, components)
                VALUES (%(d)s, %(p)s, %(w)s, %(c)s)""",
            scope,
        )
        self._credit_decision(tx, event, event.proposed_by, "decision_proposed")

    @handlers.on("Decision.Taken")
    def on_decision_taken(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._credit_decision(tx, event, event.decided_by, "decision_taken")

    @handlers.on("Decision.Amended")
    def on_decision_amended(self, tx: ViewTransaction, event: Any, position: int) -> None:
        if event.components is not None:
            tx.execute(
                f"UPDATE {DECISION_SCOPE} SET components = %(c)s WHERE decision_id = %(d)s",
                {"c": ",".join(event.components), "d": str(event.originator_id)},
            )
        self._credit_decision(tx, event, event.amended_by, "decision_amended")

    @staticmethod
    def _credit_decision(tx: ViewTransaction, event: Any, person: Any, source: str) -> None:
        """Credit the person with every area the decision is about (none: nobody acted)."""
        if person is None:
            return
        rows = tx.fetch_all(
            f"SELECT * FROM {DECISION_SCOPE} WHERE decision_id = %(d)s",
            {"d": str(event.originator_id)},
        )
        if not rows:
            return
        scope = rows[0]
        areas = [(COMPONENT, key) for key in scope["components"].split(",") if key]
        if scope["workstream_id"]:
            areas.append((WORKSTREAM, scope["workstream_id"]))
        credits = [(kind, key, str(person), source) for kind, key in areas]
        _credit(tx, event, scope["programme_id"], credits)

    # The programme's framework (which components are its knowledge areas)

    @handlers.on("ProgrammeFramework.Configured")
    def on_framework_configured(self, tx: ViewTransaction, event: Any, position: int) -> None:
        row = {
            "programme_id": str(event.programme_id),
            "settings_id": str(event.originator_id),
            "framework_key": event.framework_key,
        }
        FRAMEWORKS.insert(tx, row, recorded_at(event))

    @handlers.on("ProgrammeFramework.FrameworkChosen")
    def on_framework_chosen(self, tx: ViewTransaction, event: Any, position: int) -> None:
        rows = tx.fetch_all(
            f"SELECT programme_id FROM {FRAMEWORKS.name}"
            " WHERE settings_id = %(s)s AND valid_to IS NULL",
            {"s": str(event.originator_id)},
        )
        for row in rows:
            FRAMEWORKS.update(tx, row, {"framework_key": event.framework_key}, recorded_at(event))

    # Commitments

    @handlers.on("Commitment.Made")
    def on_commitment_made(self, tx: ViewTransaction, event: Any, position: int) -> None:
        if event.programme_id is None:
            return
        row = {
            "id": str(event.originator_id),
            "programme_id": str(event.programme_id),
            "provider_id": str(event.provider_id),
            "commissioner_id": str(event.commissioner_id),
            "decision_id": _text(event.decision_id),
            "what": event.what,
            "status": "proposed",
            "made_by": _text(event.actor_id),
            "accepted_by": None,
        }
        COMMITMENTS.insert(tx, row, recorded_at(event))

    @handlers.on("Commitment.Accepted")
    def on_commitment_accepted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        changes = {"status": "accepted", "accepted_by": _text(event.actor_id)}
        COMMITMENTS.update(tx, _id(event), changes, recorded_at(event))

    @handlers.on("Commitment.FlaggedAtRisk")
    @handlers.on("Commitment.Delivered")
    @handlers.on("Commitment.Missed")
    @handlers.on("Commitment.Renegotiated")
    @handlers.on("Commitment.Withdrawn")
    def on_commitment_status(self, tx: ViewTransaction, event: Any, position: int) -> None:
        status = _COMMITMENT_STATUS[type(event).__qualname__]
        COMMITMENTS.update(tx, _id(event), {"status": status}, recorded_at(event))

    @handlers.on("Commitment.CarriedOver")
    def on_commitment_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        column = "provider_id" if event.role == "provider" else "commissioner_id"
        changes = {column: str(event.to_organisation_id)}
        COMMITMENTS.update(tx, _id(event), changes, recorded_at(event))


def _credit(
    tx: ViewTransaction,
    event: Any,
    programme_id: str,
    credits: Iterable[tuple[str, str, str, str]],
) -> None:
    """Append (area kind, area key, person, source) contributions recorded by ``event``."""
    for seq, (kind, key, person, source) in enumerate(credits):
        tx.execute(
            f"""INSERT INTO {CONTRIBUTIONS}
                (record_id, record_version, seq, programme_id, area_kind, area_key, person_id,
                 source, recorded_at)
                VALUES (%(r)s, %(v)s, %(seq)s, %(p)s, %(kind)s, %(key)s, %(person)s,
                 %(source)s, %(t)s)""",
            {
                "r": str(event.originator_id),
                "v": event.originator_version,
                "seq": seq,
                "p": programme_id,
                "kind": kind,
                "key": key,
                "person": person,
                "source": source,
                "t": recorded_at(event),
            },
        )


def _id(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [ResilienceProjection()]
