"""The product as ``changeledger serve`` runs it: one container per serving process.

``serve --workers N`` has uvicorn start N processes that each call ``served_app``: each builds
its own container (connection pool, wake-up sender) after the fork, as eventsourcing needs,
and closes it when the process stops. Importing this module connects to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Litestar

from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from infra.wakeups import CeleryWaker
from services.embedded import EmbeddedBackground


@dataclass
class ServedProduct:
    """A container with whatever keeps its views current in this deployment."""

    container: Container
    background: EmbeddedBackground | None
    waker: CeleryWaker | None

    @classmethod
    def open(cls, settings: Settings) -> ServedProduct:
        # SQLite is the single-machine embedded mode: creating missing tables there is safe.
        container = bootstrap(settings, create_schema=not settings.database.is_postgres)
        if settings.background.embedded:
            background = EmbeddedBackground(container)
            container.wake = background.poke
            background.start()
            return cls(container, background, None)
        waker = CeleryWaker(settings).start()
        container.wake = waker.poke
        return cls(container, None, waker)

    def close(self) -> None:
        if self.background:
            self.background.stop()
        if self.waker:
            self.waker.stop()
        self.container.close()


def served_app() -> Litestar:
    """The uvicorn factory for each worker process (settings from the environment)."""
    from services.api.app import create_app

    product = ServedProduct.open(Settings.from_env())
    app = create_app(product.container)
    app.on_shutdown.append(lambda _: product.close())
    return app
