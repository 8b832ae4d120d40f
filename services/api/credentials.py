"""A person changes their own password (the browser sign-in's credential, ADR 11)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT
from msgspec import Meta

from domain.credential import PASSWORD_MAX, PASSWORD_MIN
from domain.errors import InvalidValue
from services.api.common import ContainerDep, actor
from services.api.schemas import Input
from services.web.security import WEB_SECURITY, WebSecurity, refuse_while_locked
from services.web.sessions import Session

# Lengths are checked by the domain after normalisation; the schema only documents them.
Password = Annotated[
    str,
    Meta(extra_json_schema={"extra": {"minLength": PASSWORD_MIN, "maxLength": PASSWORD_MAX}}),
]


class PasswordChange(Input):
    current_password: str
    new_password: Password


class CredentialController(Controller):
    path = "/people/me/password"
    tags = ["People"]

    @post(
        "",
        operation_id="changeMyPassword",
        summary="Change your password",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
    )
    def change(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[PasswordChange],
    ) -> None:
        """Replace your own browser sign-in password; you must give the current one. Your
        other browser sessions end. Repeated wrong current passwords are refused with 429
        for a while, like failed logins."""
        security: WebSecurity = request.app.state[WEB_SECURITY]
        person_id = actor(request)
        keys = [f"person:{person_id}"]
        limits = {keys[0]: security.settings.max_failures}
        refuse_while_locked(security.throttle, limits, "wrong current passwords")
        try:
            container.app.change_own_password(
                person_id=person_id,
                current_password=data.current_password,
                new_password=data.new_password,
            )
        except InvalidValue as exc:
            if exc.field == "current_password":
                security.throttle.record_failure(keys)
            raise
        security.throttle.clear(keys[0])
        current = request.auth.id if isinstance(request.auth, Session) else None
        security.sessions.end_all_for(person_id, keep=current)
        return None
