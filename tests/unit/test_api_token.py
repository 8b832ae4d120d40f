"""ApiToken: only a hash of the secret is recorded; revoked or expired tokens are not usable."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from uuid import uuid4

import pytest

from domain.api_token import TOKEN_PREFIX, ApiToken, hash_secret, new_secret, token_id_for
from domain.errors import InvalidValue, NotAuthenticated, RuleViolation
from tests.unit.support import ago, ahead, pending, recorded

SECRET = "clg_an-example-secret-for-tests"


def test_issuing_records_the_hash_of_the_secret_and_never_the_secret() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)

    events = pending(token)
    assert [type(e).__name__ for e in events] == ["Issued"]
    assert events[0].token_hash == hashlib.sha256(SECRET.encode()).hexdigest()
    assert all(SECRET not in str(value) for value in vars(events[0]).values())
    assert all(SECRET not in str(value) for value in vars(token).values())


def test_the_token_id_derives_from_the_hash_of_the_secret() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)

    assert token.id == token_id_for(SECRET) == ApiToken.create_id(hash_secret(SECRET))


def test_issuing_records_the_owner_label_and_expiry() -> None:
    owner, expires_at = uuid4(), ahead(days=30)

    token = ApiToken.issue(SECRET, owner, " laptop ", expires_at)

    assert (token.person_id, token.label, token.expires_at) == (owner, "laptop", expires_at)
    assert token.revoked is False


@pytest.mark.parametrize("label", ["", "   ", "x" * 201])
def test_an_invalid_label_is_refused_naming_the_label_field(label: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        ApiToken.issue(SECRET, uuid4(), label, None)

    assert refused.value.field == "label"


def test_new_secrets_carry_the_prefix_and_are_never_repeated() -> None:
    secrets = {new_secret() for _ in range(100)}

    assert len(secrets) == 100
    assert all(s.startswith(TOKEN_PREFIX) and len(s) > 40 for s in secrets)


def test_a_live_token_without_expiry_is_usable() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)

    token.check_usable(ahead(days=3650))


def test_a_token_before_its_expiry_is_usable() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", ahead(hours=1))

    token.check_usable(ahead(minutes=59))


@pytest.mark.parametrize("after", [0, 1, 86400])
def test_a_token_at_or_after_its_expiry_is_not_usable(after: int) -> None:
    expires_at = ahead(hours=1)
    token = ApiToken.issue(SECRET, uuid4(), "laptop", expires_at)

    with pytest.raises(NotAuthenticated, match="expired"):
        token.check_usable(expires_at + timedelta(seconds=after))


def test_a_revoked_token_is_not_usable() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)
    token.revoke()

    with pytest.raises(NotAuthenticated, match="revoked"):
        token.check_usable(ago(seconds=0))


def test_revoking_records_a_revoked_event() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)
    token.collect_events()

    token.revoke()

    assert token.revoked is True
    assert recorded(token) == ["Revoked"]


def test_revoking_a_token_twice_is_refused_and_records_nothing() -> None:
    token = ApiToken.issue(SECRET, uuid4(), "laptop", None)
    token.revoke()
    token.collect_events()

    with pytest.raises(RuleViolation):
        token.revoke()

    assert recorded(token) == []
