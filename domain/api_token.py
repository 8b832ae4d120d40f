"""API tokens. Only a hash of the secret is ever recorded; the aggregate id derives from it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import NotAuthenticated, RuleViolation
from domain.values import check_text

TOKEN_PREFIX = "clg_"  # noqa: S105 - a marker that makes leaked tokens easy to spot


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_id_for(secret: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:api-token:{hash_secret(secret)}")


class ApiToken(LedgerAggregate):
    RECORD_KIND = "API token"

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"changeledger:api-token:{token_hash}")

    @classmethod
    def issue(
        cls, secret: str, person_id: UUID, label: str, expires_at: datetime | None
    ) -> ApiToken:
        return cls(
            token_hash=hash_secret(secret),
            person_id=person_id,
            label=check_text("label", label),
            expires_at=expires_at,
        )

    @event("Issued")
    def __init__(
        self, token_hash: str, person_id: UUID, label: str, expires_at: datetime | None
    ) -> None:
        self.token_hash = token_hash
        self.person_id = person_id
        self.label = label
        self.expires_at = expires_at
        self.revoked = False

    def check_usable(self, now: datetime) -> None:
        if self.revoked:
            raise NotAuthenticated("the API token has been revoked")
        if self.expires_at is not None and now >= self.expires_at:
            raise NotAuthenticated("the API token has expired")

    def revoke(self) -> None:
        if self.revoked:
            raise RuleViolation("the API token is already revoked")
        self._revoked()

    @event("Revoked")
    def _revoked(self) -> None:
        self.revoked = True
