"""`claimdb serve`: a server-rendered web app where a team browses, searches and reviews claims.

A thin layer, like the command line: every page and every /api/ endpoint calls the same library functions
(app/claims.py, app/compare.py, app/review.py, app/search.py, …) and the API answers with the same pydantic
schemas as the commands' --json. The project's exceptions become HTTP errors here: not found 404, bad input 400,
a change against a claim someone changed since 409, a database that cannot be used 503.

Pages are Jinja2 templates with autoescaping; there is no JavaScript, and the Content-Security-Policy allows none.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from app.db import make_engine, require_schema
from app.errors import ClaimdbError, ConflictError, DatabaseError, NotFoundError
from app.web.security import CsrfError, NotAuthenticated, TokenCache, is_loopback, new_secret

SECRET_VAR = "CLAIMDB_SECRET_KEY"
"""Signs the session cookies. Unset: a new random key each start (everyone logs in again after a restart)."""

STATIC_DIR = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "local"


@dataclass(frozen=True)
class WebSettings:
    db_url: URL
    host: str = "127.0.0.1"
    secret_key: str = field(default_factory=lambda: os.environ.get(SECRET_VAR) or new_secret())
    local_reviewer: str = field(default_factory=lambda: _system_user())
    """The name the change log gets on a loopback server without accounts."""

    @property
    def open_access(self) -> bool:
        """Whether a request without an account is let in (loopback only, and only while there are no accounts)."""
        return is_loopback(self.host)


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("app.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from app.render import date_label, estimate_line, interval_label, short_document

    env.globals.update(
        interval_label=interval_label, date_label=date_label, short_document=short_document, estimate_line=estimate_line
    )
    env.filters["change_text"] = change_text
    return env


def change_text(details: dict[str, object]) -> str:
    """A change log entry's details for people: 'low: 40 → 41; asserter: Police → Lyon police'."""
    parts = []
    for key, value in details.items():
        if key == "claims" and isinstance(value, list):
            parts.append(f"claims: {', '.join(str(v) for v in value)}")
        elif isinstance(value, list) and len(value) == 2:
            old, new = ("none" if v is None else v for v in value)
            parts.append(f"{key}: {old} → {new}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


def create_app(settings: WebSettings) -> FastAPI:
    """The web app over the database of `settings`, which must be at the schema head."""
    engine = make_engine(settings.db_url, must_exist=True)
    require_schema(engine)
    app = FastAPI(
        title="claimdb",
        summary="Claims and sources: browse, search, compare and review. The same JSON as the command line's --json.",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.tokens = TokenCache()
    app.state.templates = templates()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="claimdb_session",
        same_site="lax",
        https_only=False,
        max_age=14 * 24 * 3600,
    )
    if settings.open_access:  # a page elsewhere cannot reach this server through a name it resolves to 127.0.0.1
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]", "::1"])

    _errors(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    from app.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def db_session(request: Request) -> Iterator[Session]:
    """A session for one request; library functions commit their own units of work."""
    with request.app.state.sessions() as session:
        yield session


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    page = request.app.state.templates.get_template("error.html.j2")
    html = page.render(request=request, status=status, message=message, user=None, csrf="", back=request.url.path)
    return Response(html, status_code=status, media_type="text/html")


def _errors(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, exc: CsrfError) -> Response:
        return _error(request, 403, str(exc))

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        return _error(request, 409, str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(DatabaseError)
    async def database(request: Request, exc: DatabaseError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(ClaimdbError)
    async def bad_input(request: Request, exc: ClaimdbError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(SQLAlchemyError)
    async def database_failed(request: Request, exc: SQLAlchemyError) -> Response:
        orig = getattr(exc, "orig", None)
        reason = (str(orig or exc).strip().splitlines() or ["failed"])[0]
        return _error(request, 503, f"database error: {reason}")
