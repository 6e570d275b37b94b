"""The web app (`claimdb serve`) through its HTTP interface, on SQLite and PostgreSQL: pages, review forms with CSRF
and claim versions, accounts, escaping of hostile text, and the JSON API against the command line's --json."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from app.cli.main import app as cli
from app.db import make_engine
from app.models import Account
from app.settings import to_url
from app.web import WebSettings, create_app

HOSTILE_TEXT = (
    'Police said 40 people were arrested in Lyon <script>document.title="pwned"</script> and '
    "<img src=x onerror=\"document.title='pwned'\"> on Sunday.\n"
)
HOSTILE_PUBLISHER = "<script>alert('publisher')</script> News'); DROP TABLE source; --"


def _client(url: str, host: str = "127.0.0.1") -> TestClient:
    app = create_app(WebSettings(db_url=to_url(url), host=host, secret_key="test-secret", local_reviewer="tester"))
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


@pytest.fixture
def web(loaded_db: str) -> Iterator[TestClient]:
    client = _client(loaded_db)
    yield client
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _ref(page: str, claim_id: int) -> str:
    """'ID:VERSION', as the page's checkbox for the claim sends it."""
    found = re.search(rf'name="claim" value="({claim_id}:\d+)"', page)
    assert found, f"no checkbox for claim {claim_id}"
    return found.group(1)


def _cli_json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _claim_ids(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'name="claim" value="(\d+):\d+"', page)]


def test_pages_show_events_groups_documents_sources(web: TestClient) -> None:
    events = web.get("/events")
    assert events.status_code == 200
    assert 'href="/events/iran-protests-2019-11"' in events.text and 'class="verdict' in events.text
    later = web.get("/events?offset=1").text  # a page of some events: their verdicts are compared one by one
    assert "Rows 2–" in later and 'class="verdict' in later
    event = web.get("/events/iran-protests-2019-11")
    assert event.status_code == 200
    assert "<svg" in event.text and "independent origin(s)" in event.text
    assert "murdered <mark>1,500</mark> protesters" in event.text  # the sentence with its figure marked
    assert "Estimate: best 1,500, from 1 independent origin." in event.text
    document = web.get("/documents/2")
    assert document.status_code == 200 and document.text.count('<mark class="claim') >= 20
    sources = web.get("/sources")
    assert "Soona Samsami" in sources.text and "Mojahedin-e Khalq" in sources.text
    assert web.get("/changes").status_code == 200
    assert "Rows 2–5 of 5." in web.get("/documents?offset=1").text and "previous" in web.get("/sources?offset=3").text
    found = web.get("/search", params={"q": "martyrs november"})
    assert found.status_code == 200 and "<mark>1,500</mark>" in found.text
    assert web.get("/events/atlantis").status_code == 404
    assert "no event &#39;atlantis&#39;" in web.get("/events/atlantis").text
    assert web.get("/claims/999999").status_code == 404
    headers = event.headers
    assert (
        "script-src" not in headers["content-security-policy"]
        and "default-src 'none'" in headers["content-security-policy"]
    )


def test_reject_in_the_browser_changes_the_verdict_and_logs_the_reviewer(web: TestClient) -> None:
    page = web.get("/events/iran-protests-2017-18").text
    assert 'data-verdict="divergent"' in page
    # the arrest counts: reject 'more than 8,000' and the group is no longer divergent
    row = re.search(r'<tr id="claim-(\d+)">(?:(?!</tr>).)*more than 8,000', page, re.S)
    assert row
    claim_id = int(row.group(1))
    answer = web.post(
        "/claims/review",
        data={
            "csrf_token": _csrf(page),
            "one": f"reject:{_ref(page, claim_id)}",
            "back": "/events/iran-protests-2017-18",
            "note": "a guess",
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/events/iran-protests-2017-18"
    after = web.get("/events/iran-protests-2017-18").text
    assert f"claim {claim_id} rejected" in after  # the message
    arrests = after.split("arrest_count", 1)[1].split("</section>", 1)[0]
    assert 'data-verdict="divergent"' not in arrests
    history = web.get(f"/api/claims/{claim_id}/history").json()
    assert [(h["action"], h["reviewer"], h["note"]) for h in history] == [("reject", "tester", "a guess")]
    assert "tester" in web.get("/changes").text


def test_batch_confirm_and_link(web: TestClient) -> None:
    page = web.get("/documents/1").text
    ids = _claim_ids(page)
    chosen = ids[:3]
    refs = [_ref(page, c) for c in chosen] * 500  # a form of 1,500 ticked boxes is read whole
    data: dict[str, object] = {"csrf_token": _csrf(page), "action": "reject", "claim": refs}
    answer = web.post("/claims/review", data=data)
    assert answer.status_code == 303
    for c in chosen:
        assert web.get(f"/api/claims/{c}").json()["status"] == "rejected"
    page = web.get("/documents/1").text
    data = {
        "csrf_token": _csrf(page),
        "action": "link",
        "target": "iran-protests-2019-11",
        "claim": [_ref(page, chosen[0])],
    }
    assert web.post("/claims/review", data=data).status_code == 303
    claim = web.get(f"/api/claims/{chosen[0]}").json()
    assert (claim["event"], claim["status"]) == ("iran-protests-2019-11", "rejected")  # linking keeps the status
    changes = web.get("/api/changes").json()
    assert [(c["entity"], c["action"]) for c in changes[:2]] == [("event", "link"), ("claim", "link")]
    assert [c["entity_id"] for c in changes[2:5]] == list(reversed(chosen))
    assert all(c["reviewer"] == "tester" for c in changes)


def test_stale_form_is_a_409_and_changes_nothing(web: TestClient) -> None:
    claim = web.get("/claims/31").text
    version = re.search(r'name="version" value="(\d+)"', claim)
    assert version
    token = _csrf(claim)
    # another reviewer rejects it in the meantime
    other = web.post("/claims/review", data={"csrf_token": token, "one": f"reject:31:{version.group(1)}"})
    assert other.status_code == 303
    stale = web.post(
        "/claims/31/edit",
        data={"csrf_token": token, "version": version.group(1), "low": "1600", "high": "1600", "note": "x"},
    )
    assert stale.status_code == 409
    assert "claim 31 was changed by someone else since you loaded it" in html.unescape(stale.text)
    stale_button = web.post("/claims/review", data={"csrf_token": token, "one": f"confirm:31:{version.group(1)}"})
    assert stale_button.status_code == 409
    stale_batch = web.post(
        "/claims/review",
        data={"csrf_token": token, "action": "confirm", "claim": [f"31:{version.group(1)}", "32:1"]},
    )
    assert stale_batch.status_code == 409 and web.get("/api/claims/32").json()["version"] == 1
    now = web.get("/api/claims/31").json()
    assert (now["low"], now["status"]) == (1500, "rejected")
    fresh = web.post(
        "/claims/31/edit",
        data={"csrf_token": token, "version": str(now["version"]), "low": "1,600", "high": "open", "subgroup": ""},
    )
    assert fresh.status_code == 303
    edited = web.get("/api/claims/31").json()
    assert (edited["low"], edited["high"], edited["status"]) == (1600, None, "confirmed")


def test_writes_need_the_csrf_token(web: TestClient) -> None:
    before = web.get("/api/claims/31").json()
    for data in (
        {"one": "reject:31"},
        {"one": "reject:31", "csrf_token": "forged-token-from-another-site"},
    ):
        answer = web.post("/claims/review", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    assert web.post("/sources/merge", data={"keep": "Soona Samsami", "other": "MEK Iran"}).status_code == 403
    assert web.post("/api/claims/status", json={"status": "rejected", "versions": {"31": 1}}).status_code == 403
    assert web.get("/api/claims/31").json() == before
    assert web.get("/api/changes").json() == []


def test_hostile_text_is_escaped_and_inert(loaded_db: str, web: TestClient, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE_TEXT, encoding="utf-8")
    added = runner.invoke(
        cli, ["add", str(doc), "--publisher", HOSTILE_PUBLISHER, "--published", "2018-01-05", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    doc_id = max(d["id"] for d in web.get("/api/documents").json())
    pages = [
        web.get(f"/documents/{doc_id}").text,
        web.get("/documents").text,
        web.get("/sources").text,
        web.get("/search", params={"q": "script document title"}).text,
        web.get("/search", params={"q": '<script>alert(1)</script>"; DROP TABLE claim; --'}).text,
    ]
    for page in pages:
        assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in pages[0]
    assert "&lt;script&gt;alert(&#39;publisher&#39;)&lt;/script&gt; News&#39;); DROP TABLE source; --" in pages[2]
    assert any(s["name"] == HOSTILE_PUBLISHER for s in web.get("/api/sources").json())
    by_name = web.get("/search", params={"q": "publisher drop table"}).text
    assert "<script" not in by_name and "News&#39;); DROP TABLE source" in by_name
    # form fields: stored as typed, shown as text, no SQL run
    claim = web.get("/api/claims", params={"document": str(doc_id)}).json()[0]
    page = web.get(f"/claims/{claim['id']}").text
    answer = web.post(
        f"/claims/{claim['id']}/edit",
        data={
            "csrf_token": _csrf(page),
            "version": str(claim["version"]),
            "subgroup": '"><script>alert("subgroup")</script>',
            "asserter": "Robert'); DROP TABLE claim; --",
            "note": "<b>bold</b>",
        },
    )
    assert answer.status_code == 303
    edited = web.get(f"/api/claims/{claim['id']}").json()
    assert edited["subgroup"] == '"><script>alert("subgroup")</script>'
    assert edited["attributed_to"] == "Robert'); DROP TABLE claim; --"
    shown = web.get(f"/claims/{claim['id']}").text + web.get("/changes").text
    assert "<script" not in shown and "<b>bold</b>" not in shown and "&lt;b&gt;bold&lt;/b&gt;" in shown
    engine = make_engine(loaded_db)
    try:
        assert {"claim", "source"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_api_matches_the_command_line(loaded_db: str, web: TestClient, runner: CliRunner) -> None:
    db = ["--db", loaded_db]
    assert web.get("/api/events").json() == _cli_json(runner, "events", "--json", *db)
    assert web.get("/api/sources").json() == _cli_json(runner, "sources", "--json", *db)
    assert web.get("/api/documents").json() == _cli_json(runner, "documents", "--json", *db)
    assert web.get("/api/claims", params={"event": "iran-protests-2017-18", "kind": "arrest_count"}).json() == (
        _cli_json(runner, "claims", "--event", "iran-protests-2017-18", "--kind", "arrest_count", "--json", *db)
    )
    assert web.get("/api/compare", params={"all": "true", "event": "iran-protests-2019-11"}).json() == _cli_json(
        runner, "compare", "--all", "--event", "iran-protests-2019-11", "--json", *db
    )
    assert web.get("/api/claims/31").json() == _cli_json(runner, "claim", "show", "31", "--json", *db)
    assert web.get("/api/claims").json() == _cli_json(runner, "claims", "--json", *db)  # streamed
    assert web.get("/api/claims", params={"limit": 2, "offset": 1}).json() == _cli_json(
        runner, "claims", "--limit", "2", "--offset", "1", "--json", *db
    )
    assert web.get("/api/claims", params={"limit": 0}).json() == []
    assert web.get("/api/claims", params={"event": "atlantis"}).status_code == 404
    assert web.get("/api/who-says/1500", params={"kind": "death_toll"}).json() == _cli_json(
        runner, "who-says", "1500", "--kind", "death_toll", "--json", *db
    )
    assert web.get("/api/review").json() == _cli_json(runner, "review", "--json", *db)
    bad = web.get("/api/claims", params={"kind": "rumour"})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("unknown kind 'rumour'")
    spec = web.get("/api/openapi.json").json()
    assert {"/api/claims", "/api/compare", "/api/events", "/api/search", "/api/claims/status"} <= spec["paths"].keys()
    assert "ClaimOut" in spec["components"]["schemas"] and "/events" not in spec["paths"]


def test_accounts_lock_the_app(loaded_db: str, web: TestClient, runner: CliRunner) -> None:
    assert web.get("/events").status_code == 200  # loopback, no accounts: open
    added = runner.invoke(cli, ["user", "add", "ana", "--db", loaded_db])
    assert added.exit_code == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    engine = make_engine(loaded_db)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            stored = session.scalars(select(Account.token_hash)).one()
    finally:
        engine.dispose()
    assert token.split(".", 1)[1] not in stored and stored.startswith("scrypt$")
    # with an account, every request must be authenticated, even on loopback
    page = web.get("/events/iran-protests-2019-11")
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert web.get("/api/events").status_code == 401
    assert web.get("/api/events", headers={"Authorization": "Bearer 1.wrong"}).status_code == 401
    api = web.get("/api/events", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    # a write with the bearer token needs no CSRF token, and names the account
    claim = web.get("/api/claims/31", headers={"Authorization": f"Bearer {token}"}).json()
    wrote = web.post(
        "/api/claims/status",
        headers={"Authorization": f"Bearer {token}"},
        json={"status": "rejected", "versions": {"31": claim["version"]}},
    )
    assert wrote.status_code == 200 and wrote.json() == [31]
    again = web.post(
        "/api/claims/status",
        headers={"Authorization": f"Bearer {token}"},
        json={"status": "confirmed", "versions": {"31": claim["version"]}},
    )
    assert again.status_code == 409 and "changed by someone else" in again.json()["detail"]
    # the login form
    login = web.get("/login?next=/sources")
    bad = web.post("/login", data={"csrf_token": _csrf(login.text), "token": "1.nope", "next": "/sources"})
    assert bad.status_code == 401 and "not valid" in bad.text
    no_csrf = web.post("/login", data={"token": token, "next": "/sources"})
    assert no_csrf.status_code == 403
    good = web.post("/login", data={"csrf_token": _csrf(login.text), "token": token, "next": "//evil.example/x"})
    assert good.status_code == 303 and good.headers["location"] == "/"
    assert web.get("/sources").status_code == 200
    assert "reviewer: <strong>ana</strong>" in web.get("/events").text
    history = web.get("/api/claims/31/history").json()
    assert [(h["action"], h["reviewer"]) for h in history] == [("reject", "ana")]
    logout = web.post("/logout", data={"csrf_token": _csrf(web.get("/events").text)})
    assert logout.status_code == 303 and web.get("/events").status_code == 303


def test_other_hosts_need_accounts(loaded_db: str, runner: CliRunner) -> None:
    refused = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8765", "--db", loaded_db])
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: refusing to serve on 0.0.0.0: no accounts yet; add one with 'claimdb user add NAME' first\n"
    )
    # the app itself also lets no one in without an account when it listens elsewhere
    client = _client(loaded_db, host="0.0.0.0")
    try:
        assert client.get("/api/events").status_code == 401
        assert client.get("/events").status_code == 303
    finally:
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
    bad_name = runner.invoke(cli, ["user", "add", "  ", "--db", loaded_db])
    assert bad_name.exit_code == 1 and bad_name.stderr.startswith("error: bad user name")
    assert runner.invoke(cli, ["user", "add", "ana", "--db", loaded_db]).exit_code == 0
    dup = runner.invoke(cli, ["user", "add", "ana", "--db", loaded_db])
    assert (dup.exit_code, dup.stderr) == (1, "error: user 'ana' exists already\n")


def test_loopback_server_refuses_other_host_names(web: TestClient) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 still cannot use the open loopback server."""
    assert web.get("/events", headers={"Host": "attacker.example"}).status_code == 400
    assert web.get("/events", headers={"Host": "localhost:8000"}).status_code == 200


def test_merge_sources_and_events_in_the_browser(loaded_db: str, web: TestClient, runner: CliRunner) -> None:
    page = web.get("/sources").text
    merged = web.post(
        "/sources/merge", data={"csrf_token": _csrf(page), "keep": "Ali Khamenei", "other": "Hassan Rouhani"}
    )
    assert merged.status_code == 303
    sources = {s["name"]: s for s in web.get("/api/sources").json()}
    assert "Hassan Rouhani" not in sources and "Rouhani" in sources["Ali Khamenei"]["aliases"]
    same = web.post("/sources/merge", data={"csrf_token": _csrf(page), "keep": "Khamenei", "other": "Rouhani"})
    assert same.status_code == 400 and "already one source" in html.unescape(same.text)
    event = web.get("/events/iran-protests-2017-18").text
    before = {e["slug"]: e["claims"] for e in web.get("/api/events").json()}
    answer = web.post(
        "/events/iran-protests-2017-18/merge", data={"csrf_token": _csrf(event), "other": "iran-protests-2019-11"}
    )
    assert answer.status_code == 303
    after = {e["slug"]: e["claims"] for e in web.get("/api/events").json()}
    assert "iran-protests-2019-11" not in after
    assert after["iran-protests-2017-18"] == before["iran-protests-2017-18"] + before["iran-protests-2019-11"]
    log = web.get("/api/changes", params={"entity": "event"}).json()
    assert {(c["action"], c["reviewer"]) for c in log} == {("merge", "tester"), ("merged-into", "tester")}
    assert web.get("/api/changes", params={"entity": "source"}).json()[0]["reviewer"] == "tester"


def test_serve_on_a_busy_port_says_so(loaded_db: str, runner: CliRunner) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--port", str(port), "--db", loaded_db])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_change_text() -> None:
    from app.web import change_text

    assert change_text({"low": [40, 41], "high": [40, None]}) == "low: 40 → 41; high: 40 → none"
    assert change_text({"claims": [31, 32]}) == "claims: 31, 32"
    assert change_text({"merged": "x", "attributions": 2}) == "merged: x; attributions: 2"


def test_segments_nest_claims_inside_claims() -> None:
    from app.schemas import ClaimOut
    from app.web.pages import segments

    text = "He said “40 were killed and 3 hurt” today."

    def claim(i: int, start: int, end: int) -> ClaimOut:
        return ClaimOut(
            id=i, kind="quote", low=None, high=None, qualifier=None, text=text[start:end], start=start, end=end,
            sentence=text, event=None, attributed_to=None, conduit=None, document="d", status="extracted",
        )  # fmt: skip

    start, end, at3 = text.index("40"), text.index("”"), text.index(" 3 ") + 1
    quote = claim(1, start, end)  # 40 were killed and 3 hurt
    forty, three = claim(2, start, start + 2), claim(3, at3, at3 + 1)
    partial = claim(4, end - 2, end + 4)  # overlaps the quote's end: left unmarked
    spans = segments(text, [three, partial, forty, quote])
    assert [(s.text, s.claim.id if s.claim else None) for s in spans] == [
        ("He said “", None),
        ("", 1),
        ("” today.", None),
    ]
    inside = spans[1].inside
    assert [(s.text, s.claim.id if s.claim else None) for s in inside] == [
        ("", 2),
        (" were killed and ", None),
        ("", 3),
        (" hurt", None),
    ]
    assert [s.text for s in inside[0].inside] == ["40"] and [s.text for s in inside[2].inside] == ["3"]
    assert "".join(_flatten(spans)) == text


def _flatten(spans):  # type: ignore[no-untyped-def]
    for s in spans:
        yield s.text
        yield from _flatten(s.inside)


def test_replaced_or_removed_tokens_stop_at_once(loaded_db: str, web: TestClient, runner: CliRunner) -> None:
    def token_of(*args: str) -> str:
        result = runner.invoke(cli, [*args, "--db", loaded_db])
        assert result.exit_code == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    ana, ben = token_of("user", "add", "ana"), token_of("user", "add", "ben")
    for token in (ana, ben):  # checked once, then remembered
        assert web.get("/api/events", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    fresh = token_of("user", "token", "ana")
    assert web.get("/api/events", headers={"Authorization": f"Bearer {ana}"}).status_code == 401
    assert web.get("/api/events", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    removed = runner.invoke(cli, ["user", "remove", "ben", "--db", loaded_db])
    assert (removed.exit_code, removed.stdout) == (0, "user ben removed\n")
    assert web.get("/api/events", headers={"Authorization": f"Bearer {ben}"}).status_code == 401
    listed = _cli_json(runner, "user", "list", "--json", "--db", loaded_db)
    assert [u["name"] for u in listed] == ["ana"]  # type: ignore[union-attr,index]
    missing = runner.invoke(cli, ["user", "remove", "ben", "--db", loaded_db])
    assert (missing.exit_code, missing.stderr) == (1, "error: no user 'ben' (see 'claimdb user list')\n")


def test_a_database_failure_is_one_line(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from app.web import api, pages

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT …", {}, Exception("database is locked\nmore detail"))

    monkeypatch.setattr(api, "list_changes", locked)
    monkeypatch.setattr(pages, "list_changes", locked)
    answer = web.get("/api/changes")
    assert (answer.status_code, answer.json()) == (503, {"detail": "database error: database is locked"})
    page = web.get("/changes")
    assert page.status_code == 503 and "database error: database is locked" in page.text
