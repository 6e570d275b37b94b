"""Accounts of the reviewers who use the web app (`claimdb serve`).

`add_user` makes an account and returns its token once: `<id>.<secret>`. Only a scrypt hash of the secret is
stored, with a salt of its own (`scrypt$n$r$p$salt$hash`, hex); the id picks the row, so checking a token costs one
hash, however many accounts there are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from pydantic import BaseModel
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.errors import InputError, NotFoundError
from app.models import Account

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_NAME = 100


class AccountOut(BaseModel):
    id: int
    name: str
    created_at: dt.datetime | None


class NewToken(BaseModel):
    """An account and its new token: shown once, never stored."""

    account: AccountOut
    token: str


def _hash(secret: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=64 * 1024 * 1024)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${_hash(secret, salt).hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        return hmac.compare_digest(_hash(secret, bytes.fromhex(salt), int(n), int(r), int(p)).hex(), digest)
    except ValueError:
        return False


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ch.isspace() and ch != " " for ch in name):
        raise InputError(f"bad user name {name!r}: 1 to {MAX_NAME} characters on one line")
    return name


def add_user(session: Session, *, name: str) -> NewToken:
    """Make an account; returns it and its token, which is never stored and cannot be shown again."""
    name = _check_name(name)
    if session.scalar(select(Account.id).where(Account.name == name)) is not None:
        raise InputError(f"user {name!r} exists already")
    secret = secrets.token_urlsafe(32)
    try:
        account_id = session.execute(
            insert(Account).values(name=name, token_hash=hash_secret(secret)).returning(Account.id)
        ).scalar_one()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    account = session.get_one(Account, account_id)
    out = AccountOut(id=account.id, name=account.name, created_at=account.created_at)
    return NewToken(account=out, token=f"{account_id}.{secret}")


def new_token(session: Session, *, name: str) -> NewToken:
    """Replace a user's token (a lost one stops working); returns the new one, shown once."""
    account = session.scalars(select(Account).where(Account.name == name.strip())).one_or_none()
    if account is None:
        raise NotFoundError(f"no user {name!r} (see 'claimdb user list')")
    secret = secrets.token_urlsafe(32)
    session.execute(update(Account).where(Account.id == account.id).values(token_hash=hash_secret(secret)))
    session.commit()
    out = AccountOut(id=account.id, name=account.name, created_at=account.created_at)
    return NewToken(account=out, token=f"{account.id}.{secret}")


def remove_user(session: Session, *, name: str) -> None:
    gone = session.execute(delete(Account).where(Account.name == name.strip()).returning(Account.id)).first()
    if gone is None:
        session.rollback()
        raise NotFoundError(f"no user {name!r} (see 'claimdb user list')")
    session.commit()


def list_users(session: Session) -> list[AccountOut]:
    return [
        AccountOut(id=a.id, name=a.name, created_at=a.created_at)
        for a in session.scalars(select(Account).order_by(Account.name))
    ]


def has_users(session: Session) -> bool:
    return session.scalar(select(Account.id).limit(1)) is not None


def token_account(session: Session, *, token: str) -> Account | None:
    """The account whose token this is, else None."""
    ident, _, secret = token.strip().partition(".")
    if not ident.isdigit() or not secret or len(ident) > 18:
        return None
    account = session.get(Account, int(ident))
    if account is None or not secret_matches(secret, account.token_hash):
        return None
    return account


def user_for_token(session: Session, *, token: str) -> str | None:
    """The name of the account whose token this is, else None."""
    account = token_account(session, token=token)
    return account.name if account else None


def account_unchanged(session: Session, *, account_id: int, token_hash: str) -> str | None:
    """The account's name while it still exists with this token hash (a token checked before, not since replaced
    or removed), else None."""
    return session.scalar(select(Account.name).where(Account.id == account_id, Account.token_hash == token_hash))


def user_exists(session: Session, *, name: str) -> bool:
    return session.scalar(select(Account.id).where(Account.name == name)) is not None
