"""The admin pages and the staff's mail pages, through the app as a browser meets them: who may
open which page, users created, re-roled and disabled (each in the event log), the last admin
kept, an API token shown once and dead after it is revoked, the event log's filters and
paging, the mail channel's inbox and failed replies, CSRF on every form, and every payload a
user can plant shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from responder.api.app import create_app
from responder.auth.roles import Role
from responder.channels.outbox import MAX_ATTEMPTS, Mail
from responder.events import EventFilter
from responder.wiring import Services, build_services
from tests.fakes import FakeEmbedder
from tests.mail_peers import free_port
from tests.staff import token_for
from tests.staff_pages import PASSWORD, SITE, signed_in
from tests.test_index import make_settings

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, BREAKOUT)
ADMIN_ONLY = ["/staff/admin/", "/staff/admin/users", "/staff/admin/events"]
ANY_STAFF = ["/staff/admin/tokens", "/staff/admin/mail/inbox", "/staff/admin/mail/outbox"]


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, smtp_host="127.0.0.1",
                                         smtp_port=free_port(), smtp_security="none"),
                           embedder=FakeEmbedder())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=SITE) as test_client:
        yield test_client


def assert_escaped(html: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#34;&gt;&lt;img" in html


def events_of(services: Services, kind: str) -> list[dict[str, object]]:
    return [e.data for e in services.events.page(EventFilter(kind=kind))]


def user_id(services: Services, username: str) -> int:
    found = services.accounts.find_user(username)
    assert found is not None
    return found.id


# -- who may open what ----------------------------------------------------------------------------
def test_an_agent_gets_tokens_and_mail_but_not_the_admin_pages(services: Services,
                                                               client: TestClient) -> None:
    signed_in(services, client, Role.AGENT)
    for path in ADMIN_ONLY:
        assert client.get(path).status_code == 403, path
    for path in ANY_STAFF:
        assert client.get(path).status_code == 200, path
    home = client.get("/staff/").text
    assert 'href="/staff/admin/mail/inbox"' in home and 'href="/staff/admin/"' not in home


@pytest.mark.parametrize("path", ADMIN_ONLY + ANY_STAFF)
def test_a_stranger_gets_the_sign_in_form(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 401
    assert 'action="/staff/sign-in"' in page.text and f'name="next" value="{path}"' in page.text


def test_an_admin_sees_every_page_and_api_tokens_open_them_too(services: Services,
                                                               client: TestClient) -> None:
    signed_in(services, client, Role.ADMIN)
    for path in ADMIN_ONLY + ANY_STAFF:
        assert client.get(path).status_code == 200, path
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token_for(services.accounts, Role.ADMIN, 'robot')}"}
    assert client.get("/staff/admin/users", headers=bearer).status_code == 200


def test_the_pages_speak_the_browsers_language(services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.ADMIN)
    assert "Benutzer anlegen" in client.get("/staff/admin/users",
                                            headers={"Accept-Language": "de"}).text
    assert "Ny API-nøkkel" in client.get("/staff/admin/tokens",
                                         headers={"Accept-Language": "nb"}).text


# -- users ----------------------------------------------------------------------------------------
def test_create_change_role_disable_and_enable_are_recorded(services: Services,
                                                            client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN, "root")
    made = client.post("/staff/admin/users", data={
        "csrf_token": csrf, "username": "kari", "display_name": "Kari Nordmann",
        "role": "agent", "password": PASSWORD}, follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"] == "/staff/admin/users?done=user_created"
    listed = client.get(made.headers["location"]).text
    assert "The user was created." in listed and "Kari Nordmann" in listed
    kari = user_id(services, "kari")
    changed = client.post(f"/staff/admin/users/{kari}/role",
                          data={"csrf_token": csrf, "role": "editor"}, follow_redirects=False)
    assert changed.status_code == 303
    off = client.post(f"/staff/admin/users/{kari}/state",
                      data={"csrf_token": csrf, "disabled": "yes"}, follow_redirects=False)
    assert off.status_code == 303
    assert services.accounts.authenticate("kari", PASSWORD) is None  # disabled
    page = client.get("/staff/admin/users?done=disabled").text
    assert "The account was disabled" in page and 'name="disabled" value="no"' in page
    client.post(f"/staff/admin/users/{kari}/state", data={"csrf_token": csrf, "disabled": "no"})
    user = services.accounts.authenticate("kari", PASSWORD)
    assert user is not None and user.role is Role.EDITOR
    assert events_of(services, "user.create")[0]["username"] == "kari"
    updates = events_of(services, "user.update")  # newest first
    assert [u.get("role") or u.get("disabled") for u in updates] == [0, 1, "editor"]
    assert all(e.actor == "root" for e in services.events.page(EventFilter(kind="user.")))


def test_a_refused_user_is_shown_again_without_the_password(services: Services,
                                                            client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN)
    secret = "short pw"
    short = client.post("/staff/admin/users", data={
        "csrf_token": csrf, "username": "lena", "display_name": "Lena L",
        "role": "editor", "password": secret})
    assert short.status_code == 422
    assert re.search(r'<p class="problem" role="alert" id="password-problem">A password needs',
                     short.text)
    assert 'value="lena"' in short.text and 'value="Lena L"' in short.text
    assert '<option value="editor" selected>' in short.text
    assert secret not in short.text
    services.accounts.create_user("taken", Role.AGENT, PASSWORD)
    taken = client.post("/staff/admin/users", data={
        "csrf_token": csrf, "username": "taken", "role": "agent", "password": PASSWORD})
    assert taken.status_code == 409 and 'id="username-problem">The username' in taken.text
    assert PASSWORD not in taken.text
    odd = client.post("/staff/admin/users", data={
        "csrf_token": csrf, "username": "mona", "role": "boss", "password": PASSWORD})
    assert odd.status_code == 422 and 'id="role-problem">Unknown role' in odd.text
    assert services.accounts.find_user("lena") is None


def test_the_last_admin_cannot_be_demoted_or_disabled(services: Services,
                                                      client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN, "only-admin")
    me = user_id(services, "only-admin")
    demote = client.post(f"/staff/admin/users/{me}/role",
                         data={"csrf_token": csrf, "role": "agent"})
    assert demote.status_code == 409
    assert f'id="user-{me}-problem">This is the last admin' in demote.text
    disable = client.post(f"/staff/admin/users/{me}/state",
                          data={"csrf_token": csrf, "disabled": "yes"})
    assert disable.status_code == 409 and "This is the last admin" in disable.text
    user = services.accounts.find_user("only-admin")
    assert user is not None and user.role is Role.ADMIN and not user.disabled
    assert events_of(services, "user.update") == []
    assert client.post(f"/staff/admin/users/{me}/state", data={
        "csrf_token": csrf, "disabled": "maybe"}).status_code == 422
    assert client.post("/staff/admin/users/999999/role", data={
        "csrf_token": csrf, "role": "agent"}).status_code == 404


def test_an_admin_who_steps_down_or_disables_themselves_is_sent_away(
        services: Services, client: TestClient) -> None:
    services.accounts.create_user("other-admin", Role.ADMIN, PASSWORD)
    csrf = signed_in(services, client, Role.ADMIN, "leaving")
    me = user_id(services, "leaving")
    down = client.post(f"/staff/admin/users/{me}/role", data={"csrf_token": csrf,
                                                              "role": "editor"},
                       follow_redirects=False)
    assert (down.status_code, down.headers["location"]) == (303, "/staff/")
    assert client.get("/staff/admin/users").status_code == 403
    services.accounts.update_user(me, role=Role.ADMIN)
    gone = client.post(f"/staff/admin/users/{me}/state", data={"csrf_token": csrf,
                                                               "disabled": "yes"},
                       follow_redirects=False)
    assert (gone.status_code, gone.headers["location"]) == (303, "/staff/sign-in")
    assert client.get("/staff/admin/users").status_code == 401


# -- API tokens -----------------------------------------------------------------------------------
def test_a_token_is_shown_once_and_stops_working_when_revoked(services: Services,
                                                              client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN, "tokenista")
    made = client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": "crm",
                                                    "role": "editor"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    found = re.search(r'<input id="new-token-value" class="secret" value="([^"]+)" readonly',
                      made.text)
    assert found is not None and "Copy it now" in made.text
    plain = unescape(found.group(1))
    listed = client.get("/staff/admin/tokens").text
    assert plain not in listed and "crm" in listed and plain[:10] in listed
    bearer = {"Authorization": f"Bearer {plain}"}
    with TestClient(create_app(services=services), base_url=SITE) as api:
        who = api.get("/api/v1/session", headers=bearer)
        assert who.status_code == 200 and who.json()["role"] == "editor"
        assert api.get("/api/v1/articles", headers=bearer).status_code == 200
        (token,) = services.accounts.tokens()
        revoked = client.post(f"/staff/admin/tokens/{token.id}/revoke",
                              data={"csrf_token": csrf}, follow_redirects=False)
        assert revoked.status_code == 303
        assert "The token was revoked" in client.get(revoked.headers["location"]).text
        assert api.get("/api/v1/session", headers=bearer).status_code == 401
        assert api.get("/api/v1/articles", headers=bearer).status_code == 401
    assert [e["name"] for e in events_of(services, "token.")] == ["crm", "crm"]


def test_an_agent_manages_only_their_own_tokens(services: Services, client: TestClient) -> None:
    token_for(services.accounts, Role.ADMIN, "boss")
    (boss_token,) = services.accounts.tokens()
    csrf = signed_in(services, client, Role.AGENT, "aksel")
    mine = client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": "my script"})
    assert mine.status_code == 200 and "(my script, agent)" in mine.text
    page = client.get("/staff/admin/tokens").text
    assert "my script" in page and "tests" not in page  # the boss's token is not listed
    assert '<option value="admin"' not in page
    higher = client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": "x",
                                                      "role": "admin"})
    assert higher.status_code == 403
    theirs = client.post(f"/staff/admin/tokens/{boss_token.id}/revoke",
                         data={"csrf_token": csrf})
    assert theirs.status_code == 403
    assert services.accounts.get_token(boss_token.id).revoked_at is None
    blank = client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": "  "})
    assert blank.status_code == 422 and 'id="name-problem"' in blank.text


# -- the event log --------------------------------------------------------------------------------
def test_the_event_log_filters_and_pages_back(services: Services, client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN, "auditor")
    for name in ("ann", "bob", "cat"):
        client.post("/staff/admin/users", data={"csrf_token": csrf, "username": name,
                                                "role": "agent", "password": PASSWORD})
    client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": "t1"})
    everything = client.get("/staff/admin/events")
    assert everything.status_code == 200
    assert "token.create" in everything.text and "session.sign_in" in everything.text
    users = client.get("/staff/admin/events", params={"kind": "user."}).text
    assert users.count('<tr id="event-') == 3 and "token.create" not in users
    bob = user_id(services, "bob")
    one = client.get("/staff/admin/events", params={"subject": "user", "subject_id": bob}).text
    assert one.count('<tr id="event-') == 1 and "&#34;username&#34;: &#34;bob&#34;" in one
    assert client.get("/staff/admin/events", params={"actor": "nobody"}).text.count(
        '<tr id="event-') == 0
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert '<tr id="event-' not in client.get("/staff/admin/events",
                                              params={"since": later}).text
    assert client.get("/staff/admin/events", params={"until": later}).text.count(
        '<tr id="event-') == 5
    zoned = client.get("/staff/admin/events", params={"until": "2000-01-01T00:00:00+01:00"})
    assert '<tr id="event-' not in zoned.text
    assert 'value="1999-12-31T23:00:00"' in zoned.text  # shown in the field as UTC

    first = client.get("/staff/admin/events", params={"kind": "user.", "limit": "2"}).text
    ids = re.findall(r'<tr id="event-(\d+)"', first)
    older = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert len(ids) == 2 and older is not None
    assert unescape(older.group(1)) == (f"/staff/admin/events?kind=user.&limit=2"
                                        f"&before={ids[-1]}")
    rest = client.get(unescape(older.group(1))).text
    (last,) = re.findall(r'<tr id="event-(\d+)"', rest)
    assert int(last) < int(ids[-1])
    assert 'rel="next"' not in rest and "/staff/admin/events?kind=user.&amp;limit=2" in rest


def test_a_wrong_filter_is_named_at_its_field(services: Services, client: TestClient) -> None:
    signed_in(services, client, Role.ADMIN)
    wrong = client.get("/staff/admin/events", params={
        "since": "yesterday", "subject_id": "0", "kind": "k" * 49, "before": "9" * 5000})
    assert wrong.status_code == 422
    assert 'id="f-since-problem">A date and time' in wrong.text
    assert 'id="f-subject_id-problem">A whole number from 1 to' in wrong.text
    assert 'id="f-kind-problem">At most 48 characters' in wrong.text
    assert "before: A whole number" in wrong.text


# -- mail -----------------------------------------------------------------------------------------
def robot_mail(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Holiday Bot <bot@example.com>"
    message["To"] = "support@example.com"
    message["Subject"] = subject
    message["Auto-Submitted"] = "auto-replied"
    message["Message-ID"] = "<away-1@example.com>"
    message.set_content("I am away.")
    return message.as_bytes()


def test_the_mail_pages_show_what_was_skipped_and_what_failed(services: Services,
                                                              client: TestClient) -> None:
    assert services.outbox is not None
    services.inbox.accept(robot_mail(f"Away {SCRIPT}"), "smtp")
    assert services.desk().process_due() == 1
    stuck, _ = services.inbox.accept(b"Subject: x\r\n\r\nbroken", "imap")
    services.inbox.retry_later(stuck, 5, f"ValueError: {BREAKOUT}", sender=BREAKOUT,
                               subject=SCRIPT)
    sent = services.outbox.add(Mail(to="ok@example.com", subject="Re: fine", text="Hi."))
    services.outbox.sent(sent)
    failed = services.outbox.add(Mail(to="anna@example.com", subject=f"Re: {SCRIPT}",
                                      text="Hi."))
    for _ in range(MAX_ATTEMPTS):
        services.outbox.failed(failed, f"550 5.1.1 mailbox unavailable {BREAKOUT}")
    signed_in(services, client, Role.AGENT)

    inbox = client.get("/staff/admin/mail/inbox")
    assert inbox.status_code == 200
    assert "bot@example.com" in inbox.text and "auto-submitted" in inbox.text.lower()
    assert '<tr id="inbox-2" class="failed">' in inbox.text
    assert 'href="/staff/admin/mail/outbox?status=failed"' in inbox.text  # a reply failed
    assert_escaped(inbox.text)
    skipped = client.get("/staff/admin/mail/inbox", params={"status": "skipped"}).text
    assert "inbox-1" in skipped and "inbox-2" not in skipped

    outbox = client.get("/staff/admin/mail/outbox")
    assert outbox.status_code == 200
    row = re.search(rf'<tr id="outbox-{failed}" class="failed">(.*?)</tr>', outbox.text, re.S)
    assert row is not None and "550 5.1.1 mailbox unavailable" in row.group(1)
    assert f">{MAX_ATTEMPTS}</td>" in row.group(1)
    assert f'<tr id="outbox-{sent}">' in outbox.text
    assert_escaped(outbox.text)
    only_failed = client.get("/staff/admin/mail/outbox", params={"status": "failed"}).text
    assert f"outbox-{failed}" in only_failed and f"outbox-{sent}" not in only_failed
    assert client.get("/staff/admin/mail/outbox",
                      params={"status": "lost"}).status_code == 422


def test_the_outbox_says_when_mail_out_is_not_configured(tmp_path: Path) -> None:
    plain = build_services(make_settings(tmp_path), embedder=FakeEmbedder())
    try:
        with TestClient(create_app(services=plain), base_url=SITE) as test_client:
            signed_in(plain, test_client, Role.AGENT)
            page = test_client.get("/staff/admin/mail/outbox")
            assert page.status_code == 200 and "Mail out is not configured" in page.text
    finally:
        plain.close()


# -- forms are this site's, and show what they are given as text ---------------------------------
def test_every_form_needs_its_csrf_token_and_this_sites_origin(services: Services,
                                                               client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN, "guard")
    me = user_id(services, "guard")
    services.accounts.create_token(me, "keep")
    (token,) = services.accounts.tokens()
    forms = {"/staff/admin/users": {"username": "eve", "role": "admin", "password": PASSWORD},
             f"/staff/admin/users/{me}/role": {"role": "agent"},
             f"/staff/admin/users/{me}/state": {"disabled": "yes"},
             "/staff/admin/tokens": {"name": "evil"},
             f"/staff/admin/tokens/{token.id}/revoke": {}}
    for path, body in forms.items():
        assert client.post(path, data=body).status_code == 403, path
        assert client.post(path, data={**body, "csrf_token": "wrong"}).status_code == 403, path
        assert client.post(path, data={**body, "csrf_token": csrf},
                           headers={"Origin": "https://evil.example"}).status_code == 403, path
    assert services.accounts.find_user("eve") is None
    assert [t.name for t in services.accounts.tokens()] == ["keep"]
    assert services.accounts.get_token(token.id).revoked_at is None


def test_payloads_are_shown_as_text_everywhere(services: Services, client: TestClient) -> None:
    csrf = signed_in(services, client, Role.ADMIN)
    for number, payload in enumerate(PAYLOADS):
        client.post("/staff/admin/users", data={
            "csrf_token": csrf, "username": f"payload{number}", "display_name": payload,
            "role": "agent", "password": PASSWORD})
        made = client.post("/staff/admin/tokens", data={"csrf_token": csrf, "name": payload})
        assert made.status_code == 200
        assert_escaped(made.text)
    refused = client.post("/staff/admin/users", data={
        "csrf_token": csrf, "username": SCRIPT, "display_name": BREAKOUT, "role": "agent",
        "password": PASSWORD})
    assert refused.status_code == 422
    assert_escaped(refused.text)
    for path in ("/staff/admin/users", "/staff/admin/tokens", "/staff/admin/events"):
        page = client.get(path)
        assert page.status_code == 200
        assert_escaped(page.text)
    events = client.get("/staff/admin/events", params={"kind": "token.create"}).text
    assert "&#34;name&#34;: &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in events
    filtered = client.get("/staff/admin/events", params={"actor": BREAKOUT, "kind": SCRIPT})
    assert_escaped(filtered.text)
