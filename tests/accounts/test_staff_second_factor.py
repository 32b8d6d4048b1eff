"""Staff need a second factor: without one they are sent to set up an authenticator app
before the admin or any other page; with one, logging in asks for its code; a system check
names the staff accounts that have none."""

from __future__ import annotations

from django.core.checks import run_checks

from accounts.second_factor import current_code
from tests.factories import PASSWORD, TOTP_SECRET, make_user

LOGIN = "/accounts/login/"
SET_UP = "/accounts/2fa/totp/activate/"


def password_only_staff(email: str = "pat.password@example.org"):
    return make_user(email, is_staff=True, is_superuser=True, second_factor=False)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, db):
    client.force_login(password_only_staff())
    for url in ("/admin/", "/admin/accounts/user/", "/library/new/", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SET_UP, url
    page = client.get(SET_UP, follow=True)
    assert "Staff accounts need a second factor" in page.content.decode()


def test_a_staff_post_without_a_second_factor_changes_nothing(client, db, member):
    client.force_login(password_only_staff())
    url = f"/admin/accounts/user/{member.pk}/change/"
    response = client.post(url, {"email": member.email, "display_name": "Changed"})
    assert response["Location"] == SET_UP
    member.refresh_from_db()
    assert member.display_name != "Changed"


def test_members_are_not_asked_for_a_second_factor(client, member):
    client.force_login(member)
    assert client.get("/").status_code == 200


def test_staff_with_an_authenticator_app_reach_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/library/new/").status_code == 200


def test_staff_log_in_with_their_password_and_then_the_code(client, staff):
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # The password alone does not log in.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code" in response.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_set_up_an_authenticator_app_and_then_reach_the_admin(client, db):
    person = password_only_staff()
    assert client.post(LOGIN, {"login": person.email, "password": PASSWORD}).status_code == 302
    assert client.get("/admin/")["Location"] == SET_UP

    # allauth asks for the password again before a factor is added.
    confirm = client.get(SET_UP)["Location"]
    assert confirm.startswith("/accounts/reauthenticate/")
    assert client.post(confirm, {"password": PASSWORD})["Location"] == SET_UP
    page = client.get(SET_UP)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # for typing into the app, beside its QR code
    response = client.post(SET_UP, {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_check_names_staff_without_a_second_factor(db, staff):
    password_only_staff("pat.password@example.org")
    make_user("sue.super@example.org", is_superuser=True, second_factor=False)
    make_user("gone.staff@example.org", is_staff=True, is_active=False, second_factor=False)
    [warning] = [w for w in run_checks(databases=["default"]) if w.id == "accounts.W001"]
    assert "2 staff account(s) have no second factor" in warning.msg
    assert "pat.password@example.org, sue.super@example.org" in warning.msg
    assert staff.email not in warning.msg


def test_the_check_is_quiet_when_every_staff_account_has_one(db, staff, member):
    assert not [w for w in run_checks(databases=["default"]) if w.id == "accounts.W001"]


def test_an_htmx_request_of_staff_without_one_is_sent_to_set_it_up_whole_page(client, db):
    client.force_login(password_only_staff())
    response = client.get("/circles/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SET_UP


def test_staff_without_one_can_still_log_out(client, db):
    client.force_login(password_only_staff())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
