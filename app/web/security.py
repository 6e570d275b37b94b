"""Who is asking, and whether a form came from this site.

Access. On a loopback address with no accounts, anyone on this machine is the local reviewer (the operating system
user's name goes in the change log). Once an account exists, and always on any other address, every request must be
authenticated: a token as `Authorization: Bearer <token>`, or a login form that puts the account's name in a signed
session cookie (HttpOnly, SameSite=Lax).

CSRF. Every form that writes carries the session's CSRF token (made on first use, kept in the signed session) and
is refused without it; a JSON write with a session cookie sends it as `X-CSRF-Token`. A request authenticated with
a bearer token carries no cookie a browser would send by itself and needs none.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from app.users import account_unchanged, has_users, token_account, user_exists

TOKEN_CACHE_SECONDS = 600.0
"""A checked token is remembered this long, so that its scrypt hash is not computed on every request; each use
still checks that the account exists with that token (a replaced or removed token stops at once)."""


class NotAuthenticated(Exception):
    """No account: a page redirects to the login form, the API answers 401."""

    def __init__(self, message: str = "log in first (a token as 'Authorization: Bearer TOKEN', or the login form)"):
        super().__init__(message)


class CsrfError(Exception):
    """A write without this session's CSRF token."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class TokenCache:
    seconds: float = TOKEN_CACHE_SECONDS

    def __post_init__(self) -> None:
        self._known: dict[str, tuple[int, str, float]] = {}

    def get(self, token: str) -> tuple[int, str] | None:
        """(account id, stored token hash) of a token checked lately."""
        key = hashlib.sha256(token.encode()).hexdigest()
        hit = self._known.get(key)
        if hit and hit[2] > time.monotonic():
            return hit[0], hit[1]
        self._known.pop(key, None)
        return None

    def put(self, token: str, account_id: int, token_hash: str) -> None:
        if len(self._known) > 1000:
            self._known.clear()
        key = hashlib.sha256(token.encode()).hexdigest()
        self._known[key] = (account_id, token_hash, time.monotonic() + self.seconds)


def authenticate(request: Request, session: Session) -> str:
    """The reviewer's name for this request, or NotAuthenticated."""
    state = request.app.state
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        token = header[7:].strip()
        cached = state.tokens.get(token)
        name = account_unchanged(session, account_id=cached[0], token_hash=cached[1]) if cached else None
        if name is None:
            account = token_account(session, token=token)
            if account is None:
                raise NotAuthenticated("the token is not valid")
            state.tokens.put(token, account.id, account.token_hash)
            name = account.name
        request.state.bearer = True
        return name
    request.state.bearer = False
    name = request.session.get("user")
    if isinstance(name, str) and user_exists(session, name=name):
        return name
    if state.settings.open_access and not has_users(session):
        return str(state.settings.local_reviewer)
    request.session.pop("user", None)
    raise NotAuthenticated()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: object) -> None:
    if getattr(request.state, "bearer", False):
        return
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str) and hmac.compare_digest(sent, expected)):
        raise CsrfError(
            "this form is out of date or did not come from this site (CSRF check failed): reload the page and try again"
        )


def check_form(request: Request, form: Mapping[str, object]) -> None:
    check_csrf(request, form.get("csrf_token"))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def safe_next(path: object, default: str = "/") -> str:
    """A local path to go back to after a form: never another site ('//evil', 'https://…')."""
    if isinstance(path, str) and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return default
