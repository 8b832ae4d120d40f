"""API tokens: issuing, revoking and authenticating, against real stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import services.use_cases.tokens
from domain.api_token import hash_secret, token_id_for
from domain.errors import InvalidValue, NotAuthenticated, ReferenceNotFound, RuleViolation
from infra.bootstrap import Container
from tests.integration.support import head, names_after, person, provider


def in_days(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def test_issuing_records_issued_and_the_directory_lists_the_token_without_its_hash(
    container: Container,
) -> None:
    ada = person(container)
    before = head(container)

    secret, token = container.app.issue_token(by=None, person_id=ada.id, label="laptop")
    container.catch_up()

    assert names_after(container, before) == ["ApiToken.Issued"]
    assert token.id == token_id_for(secret)
    assert token.token_hash == hash_secret(secret)
    rows = container.directory.tokens_of(str(ada.id))
    assert [(r["id"], r["label"], r["revoked"], r["expires_at"]) for r in rows] == [
        (str(token.id), "laptop", False, None)
    ]
    assert not any(hash_secret(secret) in str(v) or secret in str(v) for v in rows[0].values())


def test_a_live_token_authenticates_as_its_owner(container: Container) -> None:
    ada = person(container)
    secret, _ = container.app.issue_token(by=None, person_id=ada.id, label="laptop")

    assert container.app.authenticate(secret) == ada.id


def test_a_token_with_a_future_expiry_authenticates_until_then(container: Container) -> None:
    ada = person(container)
    secret, _ = container.app.issue_token(
        by=None, person_id=ada.id, label="laptop", expires_at=in_days(1)
    )

    assert container.app.authenticate(secret) == ada.id


def test_a_revoked_token_does_not_authenticate(container: Container) -> None:
    ada = person(container)
    secret, token = container.app.issue_token(by=None, person_id=ada.id, label="laptop")
    container.app.revoke_token(by=ada.id, token_id=token.id)

    with pytest.raises(NotAuthenticated, match="revoked"):
        container.app.authenticate(secret)


def test_revoking_records_revoked_and_the_directory_shows_it(container: Container) -> None:
    ada = person(container)
    _, token = container.app.issue_token(by=None, person_id=ada.id, label="laptop")
    before = head(container)

    container.app.revoke_token(by=ada.id, token_id=token.id)
    container.catch_up()

    assert names_after(container, before) == ["ApiToken.Revoked"]
    assert [r["revoked"] for r in container.directory.tokens_of(str(ada.id))] == [True]


def test_revoking_a_token_twice_is_refused_and_records_nothing(container: Container) -> None:
    ada = person(container)
    _, token = container.app.issue_token(by=None, person_id=ada.id, label="laptop")
    container.app.revoke_token(by=None, token_id=token.id)
    before = head(container)

    with pytest.raises(RuleViolation):
        container.app.revoke_token(by=None, token_id=token.id)

    assert head(container) == before


def test_an_expired_token_does_not_authenticate(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = person(container)
    expires_at = in_days(1)
    secret, _ = container.app.issue_token(
        by=None, person_id=ada.id, label="laptop", expires_at=expires_at
    )
    monkeypatch.setattr(
        services.use_cases.tokens, "utc_now", lambda: expires_at + timedelta(seconds=1)
    )

    with pytest.raises(NotAuthenticated, match="expired"):
        container.app.authenticate(secret)


def test_an_unknown_token_does_not_authenticate(container: Container) -> None:
    person(container)

    with pytest.raises(NotAuthenticated, match="not recognised"):
        container.app.authenticate("clg_never-issued")


def test_a_token_cannot_be_issued_to_an_unknown_person(container: Container) -> None:
    trust = provider(container)
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.issue_token(by=None, person_id=trust.id, label="laptop")

    assert refused.value.field == "person_id"
    assert head(container) == before


@pytest.mark.parametrize(
    "expires_at",
    [
        datetime.now(UTC) - timedelta(minutes=1),
        datetime(2999, 1, 1),  # noqa: DTZ001 - no timezone is what is refused
    ],
    ids=["in-the-past", "without-timezone"],
)
def test_an_expiry_in_the_past_or_without_timezone_is_refused_naming_expires_at(
    container: Container, expires_at: datetime
) -> None:
    ada = person(container)
    before = head(container)

    with pytest.raises(InvalidValue) as refused:
        container.app.issue_token(by=None, person_id=ada.id, label="x", expires_at=expires_at)

    assert refused.value.field == "expires_at"
    assert head(container) == before
