"""The Litestar application factory. Importing this module connects to nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio.to_thread
from litestar import Litestar, MediaType, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from infra.bootstrap import Container
from services.api import (
    administration,
    alerts,
    alignment,
    commitment_tracker,
    commitments,
    confidential_notes,
    decisions,
    lineage,
    portfolio,
    resilience,
    reviews,
    roles,
    shared_purpose,
)
from services.api.access import access_guard
from services.api.auth import (
    AUTHENTICATE,
    DOCS_ASSETS,
    PAGE_ASSETS,
    PUBLIC_PATHS,
    Authenticator,
    BearerTokenMiddleware,
)
from services.api.consistency import ConsistencyMiddleware
from services.api.credentials import CredentialController
from services.api.organisations import OrganisationController
from services.api.people import PersonController
from services.api.problem_docs import document_problems
from services.api.problems import EXCEPTION_HANDLERS
from services.api.programmes import ProgrammeController
from services.api.request_body import ApiRequest
from services.web.pages import SignInPages
from services.web.routes import page_router
from services.web.security import WEB_SECURITY, WebSecurity, build_web_security


@get(
    "/health",
    operation_id="health",
    summary="Health check",
    tags=["Operations"],
    media_type=MediaType.JSON,
    sync_to_thread=True,
    # Public: load balancers probe it without a token. An empty requirement overrides
    # the document-wide bearer requirement in the OpenAPI schema.
    security=[{}],
)
def health(state: State) -> dict[str, Any]:
    """Liveness and readiness: answers 200 when the event store answers."""
    container: Container = state.container
    head = container.app.recorder.max_notification_id() or 0
    return {"status": "ok", "events": head}


# Swagger UI 5 (OpenAPI 3.1, which Litestar emits), vendored: see static/swagger-ui/VERSION.txt.
SWAGGER_UI_FILES = Path(__file__).parent / "static" / "swagger-ui"
TEMPLATES = Path(__file__).parent.parent / "web" / "templates"
# The pages' stylesheet, served from here: the pages fetch nothing from anywhere else.
PAGE_FILES = Path(__file__).parent.parent / "web" / "static"


def api_docs() -> SwaggerRenderPlugin:
    """Swagger UI served from our own files: no CDN, so the docs work on a closed network."""
    return SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS}/favicon-32x32.png'>",
    )


def provide_container(state: State) -> Container:
    container: Container = state.container
    return container


async def size_thread_pool(app: Litestar) -> None:
    # Each worker thread may hold one database connection: keep them in step.
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.container.settings.database.pool_size


def close_web_security(app: Litestar) -> None:
    app.state[WEB_SECURITY].close()


def create_app(
    container: Container,
    *,
    authenticate: Authenticator | None = None,
    web: WebSecurity | None = None,
) -> Litestar:
    """The API over ``container``. Bearer values are API tokens, checked by the application,
    unless ``authenticate`` is given: it then maps each bearer value to its person (or raises
    NotAuthenticated) instead. Only in-process callers such as ``changeledger demo`` pass one.
    Browser sessions and failed-login counts live in ``web``, by default built from the
    settings (Redis in production, memory in the embedded mode).
    """
    app = Litestar(
        route_handlers=[
            health,
            OrganisationController,
            PersonController,
            CredentialController,
            SignInPages,
            ProgrammeController,
            *shared_purpose.CONTROLLERS,
            *decisions.CONTROLLERS,
            *roles.CONTROLLERS,
            *reviews.CONTROLLERS,
            *commitments.CONTROLLERS,
            *confidential_notes.CONTROLLERS,
            *alignment.CONTROLLERS,
            *commitment_tracker.CONTROLLERS,
            *lineage.CONTROLLERS,
            *resilience.CONTROLLERS,
            *portfolio.CONTROLLERS,
            *alerts.CONTROLLERS,
            *administration.CONTROLLERS,
            page_router(),
            create_static_files_router(
                path=DOCS_ASSETS, directories=[SWAGGER_UI_FILES], include_in_schema=False
            ),
            create_static_files_router(
                path=PAGE_ASSETS, directories=[PAGE_FILES], include_in_schema=False
            ),
        ],
        dependencies={"container": Provide(provide_container, sync_to_thread=False)},
        # Every operation passes the access policy first (services/api/access.py).
        guards=[access_guard],
        middleware=[
            DefineMiddleware(BearerTokenMiddleware, exclude=PUBLIC_PATHS),
            DefineMiddleware(ConsistencyMiddleware),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=ApiRequest,
        state=State(),
        on_startup=[size_thread_pool],
        on_shutdown=[close_web_security],
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
        request_max_body_size=container.settings.api.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Changeledger",
            version="0.1.0",
            description=(
                "The shared ledger of a multi-organisation change programme. Every request "
                "needs the header 'Authorization: Bearer TOKEN' (issue a token with "
                "'changeledger tokens issue'), or a browser session from /login, whose writes "
                "must carry its CSRF token in 'X-CSRF-Token'; errors are RFC 9457 problem "
                "details. A write's "
                "response carries 'Changeledger-Position'; send it back as "
                "'Changeledger-Min-Position' on a read to wait until the views include it. "
                "A write sent with 'Prefer: return=minimal' (RFC 7240) answers once it is "
                "recorded, with only the record's id and version (and its ETag), without "
                "waiting for the views: for imports and other bulk writers."
            ),
            path="/schema",
            # Each handler's docstring becomes its operation's description.
            use_handler_docstrings=True,
            render_plugins=[api_docs()],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", description="API token")
                }
            ),
            security=[{"bearer": []}],
        ),
        debug=False,
    )
    document_problems(app, PUBLIC_PATHS)
    bind(app, container, authenticate=authenticate, web=web)
    return app


def bind(
    app: Litestar,
    container: Container,
    *,
    authenticate: Authenticator | None = None,
    web: WebSecurity | None = None,
) -> None:
    """Point ``app`` at ``container`` (arguments as for ``create_app``): everything that
    serves a request finds the container, the authenticator and the web security in the app's
    state. create_app binds once; the tests build one app per worker and rebind it to each
    test's fresh store, as building the app takes longer than most tests. The request body
    limit stays the one the app was built with.
    """
    app.state.container = container
    app.state[AUTHENTICATE] = authenticate
    app.state[WEB_SECURITY] = web or build_web_security(container.settings)
