"""Use cases for API tokens: issue, revoke, authenticate."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actor import acting_as
from domain.api_token import ApiToken, new_secret, token_id_for
from domain.errors import Forbidden, InvalidValue, NotAuthenticated
from domain.person import Person
from domain.timing import utc_now
from services.use_cases.base import LedgerBase


class TokenUseCases(LedgerBase):
    # API tokens

    def issue_token(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        label: str,
        expires_at: datetime | None = None,
    ) -> tuple[str, ApiToken]:
        """Returns the secret, shown once, and the token record, which holds only its hash.

        Platform administrators (and the platform itself) issue tokens.
        """
        if not self._is_platform_administrator(by):
            raise Forbidden("only a platform administrator can issue API tokens")
        # An erased person acts no more (ADR 10).
        self._load(Person, person_id, field="person_id").check_not_erased()
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise InvalidValue("expires_at", "must include a timezone")
            if expires_at <= utc_now():
                raise InvalidValue("expires_at", "must lie in the future")
        secret = new_secret()
        with acting_as(by):
            token = ApiToken.issue(secret, person_id, label, expires_at)
        self._save(token)
        return secret, token

    def revoke_token(self, *, by: UUID | None, token_id: UUID) -> ApiToken:
        """The token's holder or a platform administrator revokes it."""
        with self._writing(ApiToken, token_id, by, None) as token:
            if by != token.person_id and not self._is_platform_administrator(by):
                raise Forbidden("only the token's holder or an administrator can revoke it")
            token.revoke()
        return token

    def authenticate(self, secret: str) -> UUID:
        """The person a bearer secret belongs to, if it is live."""
        token: Any
        try:
            token = self.repository.get(token_id_for(secret))
        except AggregateNotFoundError:
            token = None
        if not isinstance(token, ApiToken):
            raise NotAuthenticated("the API token is not recognised")
        token.check_usable(utc_now())
        return token.person_id
