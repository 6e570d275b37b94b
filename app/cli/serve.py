"""`claimdb serve` (the web app) and `claimdb user add|list|token|remove` (its accounts)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import DbOption, JsonOption, console, fail, handle_errors, print_json, session_for, table
from app.settings import Settings

user_app = typer.Typer(help="Accounts for the web app: who may review in the browser.", rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("serve", epilog="Example: claimdb serve --db claimdb.sqlite")(serve)
    app.add_typer(user_app, name="user")


@handle_errors
def serve(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on. Anything but a loopback address needs accounts ('claimdb user add')."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web app: browse events, groups, documents and sources, search, and review in the browser.

    On 127.0.0.1 without accounts anyone on this machine may review (the change log names the system user); once
    an account exists, and always on another address, every request must log in with a token."""
    import uvicorn

    from app.users import has_users
    from app.web import WebSettings, create_app
    from app.web.security import is_loopback

    settings = WebSettings(db_url=Settings.load(db).db_url, host=host)
    with session_for(db) as session:
        accounts = has_users(session)
    if not is_loopback(host) and not accounts:
        raise fail(f"refusing to serve on {host}: no accounts yet; add one with 'claimdb user add NAME' first")
    _check_free(host, port)
    app = create_app(settings)
    where = settings.db_url.render_as_string(hide_password=True)
    shown = f"[{host}]" if ":" in host else host
    login = "log in with a token" if accounts else "no login (loopback, no accounts)"
    typer.echo(f"claimdb: serving {where} at http://{shown}:{port}/ ({login}); Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _check_free(host: str, port: int) -> None:
    """One line, not a server's traceback, when the address cannot be listened on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise fail(f"cannot listen on {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@user_app.command("add", epilog="Example: claimdb user add ana")
@handle_errors
def user_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as the change log shows it.")], db: DbOption = None
) -> None:
    """Add an account and print its token, once: it is stored only hashed."""
    from app.users import add_user

    with session_for(db) as session:
        made = add_user(session, name=name)
    typer.echo(f"user {made.account.name} added; their token (shown only now, keep it):")
    typer.echo(made.token)


@user_app.command("token", epilog="Example: claimdb user token ana")
@handle_errors
def user_token(name: Annotated[str, typer.Argument(help="The account's name.")], db: DbOption = None) -> None:
    """Give an account a new token (the old one stops working) and print it, once."""
    from app.users import new_token

    with session_for(db) as session:
        made = new_token(session, name=name)
    typer.echo(f"new token for {made.account.name} (shown only now, keep it):")
    typer.echo(made.token)


@user_app.command("remove", epilog="Example: claimdb user remove ana")
@handle_errors
def user_remove(name: Annotated[str, typer.Argument(help="The account's name.")], db: DbOption = None) -> None:
    """Remove an account: its token stops working (the change log keeps its name)."""
    from app.users import remove_user

    with session_for(db) as session:
        remove_user(session, name=name)
    typer.echo(f"user {name} removed")


@user_app.command("list", epilog="Example: claimdb user list --json")
@handle_errors
def user_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the accounts (never their tokens)."""
    from app.users import list_users

    with session_for(db) as session:
        rows = list_users(session)
    if as_json:
        print_json(rows)
        return
    console().print(
        table(
            f"{len(rows)} users",
            ["id", "name", "created"],
            [(u.id, u.name, u.created_at.isoformat(timespec="seconds") if u.created_at else "") for u in rows],
        )
    )
