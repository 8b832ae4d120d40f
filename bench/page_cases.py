"""The pages the pages benchmark times (bench/pages.py), each with the API requests its
content comes from, and the subjects (programmes with their records) it times them for."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from infra.bootstrap import Container


@dataclass(frozen=True)
class Subject:
    programme_id: str
    commissioner_id: str
    decision_id: str
    commitment_id: str
    role_id: str


#: A URL for a subject, given the as-of time ("" for now).
Url = Callable[[Subject, str], str]


@dataclass(frozen=True)
class PageCase:
    name: str
    page: Url
    #: The table answered as CSV (``?csv=``), or None.
    csv: str | None
    #: The API requests the page's content comes from; one sample is all of them in turn.
    api: tuple[Url, ...]


def _q(path: str, **params: str) -> str:
    chosen = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(chosen)}" if chosen else path


def _now(path: Callable[[Subject], str], **params: str) -> Url:
    return lambda s, at: _q(path(s), **params)


def _then(path: Callable[[Subject], str], **params: str) -> Url:
    return lambda s, at: _q(path(s), as_of=at, **params)


def _programme(suffix: str = "") -> Callable[[Subject], str]:
    return lambda s: f"/programmes/{s.programme_id}{suffix}"


def _web(path: Callable[[Subject], str]) -> Callable[[Subject], str]:
    return lambda s: "/web" + path(s)


_ALIGNMENT, _PURPOSE = _programme("/alignment"), _programme("/shared-purpose")
_DECISIONS, _ROLES = _programme("/decisions"), _programme("/roles")


def _dashboard_api(reads: Callable[..., Url]) -> tuple[Url, ...]:
    """Alignment and shared purpose (now or as of), the latest decisions and the roles: the
    API lists are current-state only, so as of a past time they are read now."""
    return (
        reads(_ALIGNMENT),
        reads(_PURPOSE),
        _now(_DECISIONS, limit="10"),
        _now(_ROLES, limit="50"),
    )


def _one_read(
    name: str,
    page: Callable[[Subject], str],
    csv: str,
    api: Callable[[Subject], str],
    **params: str,
) -> PageCase:
    """A page whose content comes from one API read, both now, with the same parameters."""
    return PageCase(name, _now(page, **params), csv, (_now(api, **params),))


CASES: tuple[PageCase, ...] = (
    _one_read(
        "portfolio (title order)",
        lambda s: "/web/portfolio",
        "programmes",
        lambda s: "/portfolio",
        sort="title",
    ),
    _one_read(
        "portfolio (by bus factor)",
        lambda s: "/web/portfolio",
        "programmes",
        lambda s: "/portfolio",
        sort="bus_factor",
    ),
    PageCase(
        "programme dashboard",
        _now(_web(_programme())),
        "decisions",
        _dashboard_api(_now),
    ),
    PageCase(
        "programme dashboard, as of",
        _then(_web(_programme())),
        "decisions",
        _dashboard_api(_then),
    ),
    PageCase(
        "decisions of a programme",
        _now(_web(_programme("/decisions"))),
        "decisions",
        # The page reads every chain; the API's largest page is 200.
        (_now(_programme("/decision-lineage"), limit="200"),),
    ),
    PageCase(
        "one decision",
        _now(lambda s: f"/web/decisions/{s.decision_id}"),
        "timeline",
        (
            _now(lambda s: f"/decisions/{s.decision_id}"),
            _now(lambda s: f"/decisions/{s.decision_id}/lineage"),
        ),
    ),
    _one_read(
        "resilience (programme)",
        _web(_programme("/resilience")),
        "knowledge",
        _programme("/resilience"),
    ),
    _one_read(
        "resilience (portfolio)", lambda s: "/web/resilience", "programmes", lambda s: "/resilience"
    ),
    _one_read(
        "commitment tracker (commissioner)",
        lambda s: f"/web/organisations/{s.commissioner_id}/commitments",
        "commitments",
        lambda s: f"/organisations/{s.commissioner_id}/commitment-tracker",
    ),
    _one_read(
        "one commitment",
        lambda s: f"/web/commitments/{s.commitment_id}",
        "history",
        lambda s: f"/commitments/{s.commitment_id}",
    ),
    _one_read(
        "history of a role",
        lambda s: f"/web/history/role/{s.role_id}",
        "versions",
        lambda s: f"/roles/{s.role_id}/history",
    ),
    _one_read(
        "history of a programme",
        lambda s: f"/web/history/programme/{s.programme_id}",
        "versions",
        _programme("/history"),
    ),
)


def subjects(container: Container, count: int, seed: int, existing_at: str) -> list[Subject]:
    """Programmes with a decision, a commitment to their lead commissioner and a role, each
    recorded by ``existing_at`` (so as-of pages find them)."""
    rows = container.views.fetch_all(
        "SELECT p.id AS programme_id, p.lead_commissioner_id AS commissioner_id,"
        " (SELECT MIN(d.id) FROM dec_decisions d WHERE d.programme_id = p.id"
        "   AND d.created_at <= %(at)s) AS decision_id,"
        " (SELECT MIN(c.id) FROM cmt_commitments c WHERE c.programme_id = p.id"
        "   AND c.commissioner_id = p.lead_commissioner_id AND c.created_at <= %(at)s)"
        "   AS commitment_id,"
        " (SELECT MIN(r.id) FROM rol_roles r WHERE r.programme_id = p.id"
        "   AND r.created_at <= %(at)s) AS role_id"
        " FROM pf_programmes p WHERE p.valid_to IS NULL ORDER BY p.id",
        {"at": existing_at},
    )
    complete = [row for row in rows if all(row.values())]
    chosen = random.Random(seed).sample(complete, min(count, len(complete)))  # noqa: S311
    return [Subject(**row) for row in chosen]


def with_csv_of(url: Url, name: str) -> Url:
    def with_csv(s: Subject, at: str) -> str:
        path = url(s, at)
        return f"{path}{'&' if '?' in path else '?'}csv={name}"

    return with_csv
