"""Typed settings, read once from a mapping (normally ``os.environ``) and passed down explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_DATA_DIR = "var"


class SettingsError(ValueError):
    """A setting has a value the product cannot use."""


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the event log and the views live. Views share the database with the events."""

    url: str
    #: Connections per process. API worker threads are capped to the same number.
    pool_size: int = 10
    #: Seconds before giving up on connecting or on a lock; small so requests fail fast.
    connect_timeout: int = 5
    lock_timeout: int = 5

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///"))

    def postgres_parts(self) -> dict[str, str]:
        parts = urlsplit(self.url)
        return {
            "host": parts.hostname or "127.0.0.1",
            "port": str(parts.port or 5432),
            "dbname": parts.path.lstrip("/") or "changeledger",
            "user": unquote(parts.username or "changeledger"),
            "password": unquote(parts.password or ""),
        }


@dataclass(frozen=True)
class ApiSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Request bodies above this many bytes are refused with 413.
    max_body_bytes: int = 64 * 1024
    #: Items per page when a list request names no limit, and the most it may ask for.
    default_page_size: int = 50
    max_page_size: int = 200


@dataclass(frozen=True)
class BackgroundSettings:
    #: Redis URL for Celery. Empty means the embedded mode: background work runs in-process.
    redis_url: str = ""
    #: Seconds between catch-up passes that cover a wake-up message that never came.
    catch_up_interval: float = 5.0

    @property
    def embedded(self) -> bool:
        return not self.redis_url


@dataclass(frozen=True)
class SessionSettings:
    """Browser sign-in (ADR 11): session cookie, lifetimes and failed-login limits."""

    #: Seconds a browser session lasts at most, however active.
    lifetime: int = 8 * 60 * 60
    #: Seconds of inactivity after which a session ends.
    idle: int = 30 * 60
    #: Mark the cookie Secure (sent over HTTPS only).
    cookie_secure: bool = True
    #: Failed logins allowed per email, and per client address, within ``failure_window``.
    max_failures: int = 5
    max_address_failures: int = 50
    failure_window: int = 15 * 60


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database: DatabaseSettings
    api: ApiSettings = field(default_factory=ApiSettings)
    background: BackgroundSettings = field(default_factory=BackgroundSettings)
    sessions: SessionSettings = field(default_factory=SessionSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("CHANGELEDGER_DATA_DIR", DEFAULT_DATA_DIR)).resolve()
        url = env.get("CHANGELEDGER_DATABASE_URL") or f"sqlite:///{data_dir / 'changeledger.db'}"
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise SettingsError(
                "CHANGELEDGER_DATABASE_URL must start with sqlite:/// or postgresql://"
            )
        host = env.get("CHANGELEDGER_HOST", "127.0.0.1")
        redis_url = env.get("CHANGELEDGER_REDIS_URL", "")
        # Plain-http embedded mode on this machine: Safari drops Secure cookies sent over
        # http://localhost, so the default is off there and on everywhere else.
        secure_default = not (not redis_url and host in _LOOPBACK)
        return cls(
            data_dir=data_dir,
            database=DatabaseSettings(
                url=url,
                pool_size=_int(env, "CHANGELEDGER_DB_POOL_SIZE", 10),
                connect_timeout=_int(env, "CHANGELEDGER_DB_CONNECT_TIMEOUT", 5),
                lock_timeout=_int(env, "CHANGELEDGER_DB_LOCK_TIMEOUT", 5),
            ),
            api=ApiSettings(
                host=host,
                port=_int(env, "CHANGELEDGER_PORT", 8000),
                max_body_bytes=_int(env, "CHANGELEDGER_MAX_BODY_BYTES", 64 * 1024),
            ),
            background=BackgroundSettings(
                redis_url=redis_url,
                catch_up_interval=float(env.get("CHANGELEDGER_CATCH_UP_INTERVAL", "5")),
            ),
            sessions=SessionSettings(
                lifetime=_int(env, "CHANGELEDGER_SESSION_LIFETIME", 8 * 60 * 60),
                idle=_int(env, "CHANGELEDGER_SESSION_IDLE", 30 * 60),
                cookie_secure=_bool(env, "CHANGELEDGER_SESSION_COOKIE_SECURE", secure_default),
                max_failures=_int(env, "CHANGELEDGER_LOGIN_MAX_FAILURES", 5),
                max_address_failures=_int(env, "CHANGELEDGER_LOGIN_MAX_ADDRESS_FAILURES", 50),
                failure_window=_int(env, "CHANGELEDGER_LOGIN_FAILURE_WINDOW", 15 * 60),
            ),
        )


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{key} must be positive, got {value}")
    return value


def _bool(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = (env.get(key) or "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{key} must be true or false, got {raw!r}")
