"""`manage.py demo --no-serve`: sets everything up once; running it again changes nothing."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from circles.models import Circle, Membership
from readings.models import Reading
from tests.factories import make_user

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "account", "readings", "circles", "discussions", "notifications"}
    }


def test_the_demo_sets_up_people_readings_circles_and_sessions(db, capsys, client):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    for person in DEMO_PEOPLE:
        assert person.email in out
    assert DEMO_PASSWORD in out
    assert "/invite/" in out

    counts = row_counts()
    assert counts["accounts.User"] == len(DEMO_PEOPLE)
    assert counts["readings.Reading"] == 2
    assert counts["circles.Circle"] == 2
    assert counts["circles.Meeting"] >= 6
    assert counts["circles.RSVP"] > 0
    assert counts["discussions.Comment"] >= 6

    # The printed login works.
    assert client.login(email=DEMO_PEOPLE[0].email, password=DEMO_PASSWORD)
    assert client.get("/circles/mine/").status_code == 200


def test_the_staff_admin_logs_in_with_the_printed_code(db, capsys, client):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    [code] = re.findall(r"\(now (\d{6});", out)
    assert "uv run manage.py demo_code" in out
    [staff] = [person for person in DEMO_PEOPLE if person.is_staff]
    login = {"login": staff.email, "password": DEMO_PASSWORD}
    assert client.post("/accounts/login/", login)["Location"] == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # A code used once is spent; `demo_code` prints the current one (the same, or the next).
    call_command("demo_code")
    assert re.fullmatch(r"\d{6}\n", capsys.readouterr().out)


def test_the_printed_invite_link_opens_the_private_circles_invitation(db, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    [link] = re.findall(r"Invite link to the private circle: (http://\S+)", out)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    private = Circle.objects.get(visibility="private")

    newcomer = make_user("newcomer@example.org")
    client = Client()
    client.force_login(newcomer)
    response = client.get(path)
    assert response.status_code == 200
    assert response.templates[0].name == "circles/invite_accept.html"
    assert f"<h1>{private.name}</h1>" in response.text
    assert f"Join {private.name}" in response.text
    # And it joins.
    assert client.post(path)["Location"] == private.get_absolute_url()
    assert Membership.objects.filter(circle=private, user=newcomer).exists()


def test_running_the_demo_twice_changes_nothing(db):
    call_command("demo", "--no-serve")
    first = row_counts()
    call_command("demo", "--no-serve")
    assert row_counts() == first


def test_every_demo_reading_credits_an_author(db, client):
    call_command("demo", "--no-serve")
    parties = Reading.objects.get(slug="all-tomorrows-parties")
    assert parties.author == "An editor of Viewpoint Magazine"
    assert "by An editor of Viewpoint Magazine" in client.get(parties.get_absolute_url()).text
    assert not Reading.objects.filter(author="").exists()


def test_running_the_demo_again_fills_an_author_that_was_missing(db):
    call_command("demo", "--no-serve")
    Reading.objects.filter(slug="all-tomorrows-parties").update(author="")
    call_command("demo", "--no-serve")
    assert Reading.objects.get(slug="all-tomorrows-parties").author == (
        "An editor of Viewpoint Magazine"
    )


def test_running_the_demo_again_keeps_an_author_someone_corrected(db):
    call_command("demo", "--no-serve")
    Reading.objects.filter(slug="all-tomorrows-parties").update(author="A. Writer")
    call_command("demo", "--no-serve")
    assert Reading.objects.get(slug="all-tomorrows-parties").author == "A. Writer"
