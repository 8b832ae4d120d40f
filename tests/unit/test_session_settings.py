"""Browser-session settings: the Secure cookie default, and the environment overrides."""

from __future__ import annotations

import pytest

from infra.settings import Settings, SettingsError


def test_the_embedded_mode_on_this_machine_sends_the_cookie_over_plain_http() -> None:
    assert Settings.from_env({}).sessions.cookie_secure is False


@pytest.mark.parametrize(
    "env",
    [
        {"CHANGELEDGER_REDIS_URL": "redis://127.0.0.1:6379/0"},
        {"CHANGELEDGER_HOST": "0.0.0.0"},  # noqa: S104 - a setting, not a bind
        {"CHANGELEDGER_HOST": "ledger.example.nhs.uk"},
    ],
)
def test_everywhere_else_the_cookie_is_secure_by_default(env: dict[str, str]) -> None:
    assert Settings.from_env(env).sessions.cookie_secure is True


def test_the_secure_flag_can_be_set_either_way() -> None:
    assert Settings.from_env({"CHANGELEDGER_SESSION_COOKIE_SECURE": "true"}).sessions.cookie_secure
    off = Settings.from_env(
        {"CHANGELEDGER_REDIS_URL": "redis://r:6379/0", "CHANGELEDGER_SESSION_COOKIE_SECURE": "0"}
    )
    assert off.sessions.cookie_secure is False


def test_lifetimes_and_limits_come_from_the_environment() -> None:
    sessions = Settings.from_env(
        {
            "CHANGELEDGER_SESSION_LIFETIME": "3600",
            "CHANGELEDGER_SESSION_IDLE": "300",
            "CHANGELEDGER_LOGIN_MAX_FAILURES": "3",
            "CHANGELEDGER_LOGIN_MAX_ADDRESS_FAILURES": "20",
            "CHANGELEDGER_LOGIN_FAILURE_WINDOW": "600",
        }
    ).sessions

    assert (sessions.lifetime, sessions.idle) == (3600, 300)
    assert (sessions.max_failures, sessions.max_address_failures) == (3, 20)
    assert sessions.failure_window == 600


def test_a_secure_flag_that_is_not_a_yes_or_no_is_refused() -> None:
    with pytest.raises(SettingsError, match="CHANGELEDGER_SESSION_COOKIE_SECURE"):
        Settings.from_env({"CHANGELEDGER_SESSION_COOKIE_SECURE": "maybe"})
