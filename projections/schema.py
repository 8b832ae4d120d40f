"""Creating the views' tables, and replacing a view whose tables changed shape.

Each projection's CREATE statements are fingerprinted and the fingerprint kept beside the
views. When a new release changes a projection's tables, the next ``init-db`` (or embedded
start) drops that projection's tables, creates them anew and resets its tracked position:
the processors then rebuild it from the log, which holds everything. Views whose tables are
unchanged keep their rows and positions. A view without a recorded fingerprint (made before
fingerprints existed) is rebuilt once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from projections.projection import Projection
from projections.store import ViewStore

SCHEMAS = "changeledger_view_schemas"


def fingerprint(projection: Projection) -> str:
    text = "\n".join(" ".join(statement.split()) for statement in projection.create_statements())
    return hashlib.sha256(text.encode()).hexdigest()


def migrate_views(views: ViewStore, projections: Sequence[Projection]) -> list[str]:
    """Create every view's tables; replace those whose shape changed. Returns their names."""
    views.recorder.create_table()
    replaced: list[str] = []
    with views.write("__schema__") as tx:
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMAS}"
            " (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"
        )
        known = {
            row["name"]: row["fingerprint"]
            for row in tx.fetch_all(f"SELECT name, fingerprint FROM {SCHEMAS}")
        }
        for projection in projections:
            current = fingerprint(projection)
            if known.get(projection.name) == current:
                continue
            if projection.name in known or tx.position(projection.name) > 0:
                replaced.append(projection.name)
            for table in projection.tables:
                tx.execute(f"DROP TABLE IF EXISTS {table}")
            tx.reset_position(projection.name)
            for statement in projection.create_statements():
                tx.execute(statement)
            tx.execute(
                f"INSERT INTO {SCHEMAS} (name, fingerprint) VALUES (%(name)s, %(fp)s)"
                " ON CONFLICT (name) DO UPDATE SET fingerprint = %(fp)s",
                {"name": projection.name, "fp": current},
            )
    return replaced
