"""The domain's error hierarchy. The HTTP layer maps each class to one status, in one place."""

from __future__ import annotations

from uuid import UUID


class DomainError(Exception):
    """Base class for every rule the domain enforces."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(DomainError):
    """A value is wrong whatever the current state (maps to 422, naming the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class RuleViolation(DomainError):
    """The request is well formed but the current state forbids it (maps to 409)."""


class UniquenessConflict(RuleViolation):
    """A value that must be unique is already taken (maps to 409, naming the field)."""

    def __init__(self, field: str, message: str, existing_id: UUID | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.existing_id = existing_id


class StaleVersion(RuleViolation):
    """The client based its write on a version that is no longer current (maps to 409)."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            f"the record is at version {actual}, but the request was based on version {expected};"
            " read it again and retry"
        )
        self.expected = expected
        self.actual = actual


class NotFound(DomainError):
    """No record of that kind has that id (maps to 404)."""

    def __init__(self, kind: str, record_id: object, *, by: str = "id") -> None:
        super().__init__(f"no {kind} with {by} {record_id}")
        self.kind = kind
        self.record_id = record_id


class ReferenceNotFound(InvalidValue):
    """A request body refers to a record that does not exist (maps to 422, naming the field)."""

    def __init__(self, field: str, kind: str, record_id: object) -> None:
        super().__init__(field, f"no {kind} with id {record_id}")


class NotAuthenticated(DomainError):
    """The caller presented no valid credential (maps to 401)."""


class Forbidden(DomainError):
    """The acting person may not do this, e.g. act for an organisation they are not in (403)."""
