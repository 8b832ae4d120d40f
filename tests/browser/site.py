"""A live Changeledger for the page tests: the walkthrough's story seeded into a fresh store,
served by uvicorn on a loopback port, with passwords for the story's people."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import uvicorn

from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from services.api.app import create_app
from services.walkthrough import PEOPLE, seed_in_process

PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    base_url: str
    container: Container
    #: The story's ids (programmes, decisions, ...), as ``changeledger demo`` returns them.
    ids: dict[str, str]
    #: Each story person's id, by email.
    people: dict[str, UUID]
    store: str
    _tokens: dict[str, str] = field(default_factory=dict)

    def api(self, email: str) -> httpx.Client:
        """An API client acting as ``email``, to read the figures a page must show."""
        if email not in self._tokens:
            secret, _ = self.container.app.issue_token(
                by=None, person_id=self.people[email], label="page tests"
            )
            self._tokens[email] = secret
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self._tokens[email]}"},
            timeout=30,
        )

    def get_json(self, email: str, path: str, **params: Any) -> Any:
        with self.api(email) as client:
            response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_site(settings: Settings, store: str) -> Iterator[Site]:
    container = bootstrap(settings)
    try:
        ids, _ = seed_in_process(container, lambda _line: None)
        people = {p.email: container.app.person_id_by_email(p.email) for p in PEOPLE}
        for person_id in people.values():
            container.app.set_password(by=None, person_id=person_id, password=PASSWORD)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, name="page-test-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the page-test server did not start")
            time.sleep(0.05)
        try:
            yield Site(f"http://127.0.0.1:{port}", container, ids, people, store)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    finally:
        container.close()
