"""Sessions and their browser and address: another browser refused, new addresses, the migration."""

from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, event, func, select

from emolytics import session_addresses
from emolytics.extensions import db
from emolytics.tables import SessionAddress, UserSession
from tests.web.session_checks import copy_cookies, session_count, signed_in


def test_a_session_presented_by_another_browser_is_refused_and_ended(app, client, auth):
    auth.login()
    assert client.get("/dashboard", headers={"User-Agent": "Other/1.0"}).status_code == 302
    assert not signed_in(client)  # the session is gone for the original browser too
    assert session_count(app) == 0  # and on the server: a copied cookie cannot try again


def test_a_remember_cookie_presented_by_another_browser_is_refused_and_deleted(app, client, auth):
    auth.login(remember=True)
    thief = app.test_client()
    copy_cookies(client, thief, "remember_token")
    response = thief.get("/dashboard", headers={"User-Agent": "Other/1.0"})
    assert response.status_code == 302
    assert thief.get_cookie("remember_token") is None  # deleted with the answer
    assert session_count(app) == 0
    assert not signed_in(client)


def at(client: FlaskClient, ip: str) -> FlaskClient:
    """`client`, its next requests coming from `ip` (a phone that changed networks)."""
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def test_a_session_used_from_a_new_address_stays_signed_in(app, client, auth):
    at(client, "192.0.2.10")
    auth.login()
    assert signed_in(at(client, "198.51.100.7"))
    assert signed_in(at(client, "192.0.2.10"))
    assert session_count(app) == 1
    page = client.get("/account/activity").get_data(as_text=True)
    assert "192.0.2.10" in page and "198.51.100.7" in page
    with app.app_context():
        assert db.session.scalar(select(UserSession.ip)) == "192.0.2.10"  # the latest
        addresses = db.session.scalars(select(SessionAddress.ip)).all()
    assert sorted(addresses) == ["192.0.2.10", "198.51.100.7"]


def test_a_remember_cookie_restores_the_session_at_a_new_address(app, client, auth):
    at(client, "192.0.2.10")
    auth.login(remember=True)
    phone = at(app.test_client(), "203.0.113.99")
    copy_cookies(client, phone, "remember_token")
    assert signed_in(phone)
    assert signed_in(phone)  # and the restored session stays
    page = phone.get("/account/activity").get_data(as_text=True)
    assert "192.0.2.10" in page and "203.0.113.99" in page


def test_only_a_change_of_address_is_written(app, client, auth):
    auth.login()
    writes: list[str] = []

    def count(connection, cursor, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    for _ in range(5):
        assert signed_in(client)
    assert writes == []  # the same address: nothing (the last-seen stamp is once a minute)
    for _ in range(5):
        assert signed_in(at(client, "198.51.100.7"))
    assert len(writes) == 3  # one move: the stamp, the address, dropping the oldest (none yet)


def test_a_new_address_of_a_session_ended_meanwhile_is_no_error(app, client, auth):
    """A sign-out in another tab commits between this request's lookup and its address."""
    auth.login()
    assert signed_in(client)  # cached by this process
    with app.app_context():
        db.session.execute(delete(UserSession))  # its counter not raised yet
        db.session.commit()
    assert at(client, "198.51.100.7").get("/dashboard").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionAddress)) == 0


def test_a_session_keeps_its_newest_addresses(app, client, auth):
    auth.login()
    kept = session_addresses.ADDRESSES_KEPT
    for host in range(1, kept + 6):
        assert signed_in(at(client, f"198.51.100.{host}"))
    with app.app_context():
        addresses = db.session.scalars(select(SessionAddress.ip)).all()
    assert len(addresses) == kept
    assert f"198.51.100.{kept + 5}" in addresses and "127.0.0.1" not in addresses


def test_the_migration_gives_live_sessions_their_address(app, client, auth):
    at(client, "192.0.2.10")
    auth.login()
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0005_bulk_rows")
        upgrade(directory=directory)
    assert signed_in(client)
    assert "192.0.2.10" in client.get("/account/activity").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(SessionAddress.ip)).all() == ["192.0.2.10"]
