"""The demo's session loop: a session on now (its live margin polling at once) whose agenda
holds the threads members marked on its chapter, and the next session's agenda too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from circles.demo import LIVE_TITLE, NOOR, OLIVE
from circles.models import Meeting
from discussions.models import RaiseMark

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_holds_a_session_on_now_with_an_agenda_from_the_margin(db):
    call_command("demo", "--no-serve", stdout=StringIO())
    live = Meeting.objects.get(title=LIVE_TITLE)
    assert live.is_live
    client = Client()
    assert client.login(email=NOOR, password=DEMO_PASSWORD)
    page = client.get(live.get_absolute_url()).content.decode()
    assert "On now" in page
    assert 'data-hx-trigger="every 5s"' in page
    agenda = page[page.index('id="agenda"') : page.index('id="threads-heading"')]
    assert "the theorization of programs" in agenda
    assert "3 members raised this" in agenda

    next_week = Meeting.objects.get(circle=live.circle, title__startswith="Session 5")
    organizer = live.circle.memberships.get(user__email=OLIVE).user
    client.force_login(organizer)
    agenda = client.get(next_week.get_absolute_url()).content.decode()
    assert "I must admit that I do believe" in agenda
    assert RaiseMark.objects.values("user").distinct().count() >= 2
    handout = client.get(
        reverse("discussions:meeting-handout-md", args=[live.circle.slug, live.pk])
    ).content.decode()
    assert "> “the theorization of programs”" in handout
    assert "Hold that thought for the session on this chapter." in handout
