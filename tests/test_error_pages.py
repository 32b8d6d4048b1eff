"""403, 404, 500 and an expired form: each in the site's layout, saying what happened and where
to go next."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.test.client import RequestFactory
from django.urls import reverse

from config.views import server_error
from tests.factories import make_circle


def in_layout(html: str) -> bool:
    return 'class="site-header"' in html and 'href="/"' in html


def test_an_unknown_address_is_a_404_in_the_layout(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert in_layout(response.text)
    assert "This page is not here" in response.text
    assert reverse("circles:circle-list") in response.text


def test_a_private_circle_is_a_404_that_offers_to_log_in(client, organizer):
    circle = make_circle(organizer, private=True)
    response = client.get(circle.get_absolute_url())
    assert response.status_code == 404
    assert f"/accounts/login/?next={circle.get_absolute_url()}" in response.text.replace("%2F", "/")


def test_a_403_says_why_in_the_layout(client, member, organizer):
    circle = make_circle(organizer)
    client.force_login(member)
    response = client.get(reverse("circles:circle-edit", args=[circle.slug]))
    assert response.status_code == 403
    assert in_layout(response.text)
    assert "Only the circle&#x27;s organizers can do that." in response.text


def test_the_500_page_is_in_the_layout(db):
    request = RequestFactory().get("/broken/")
    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    assert in_layout(response.content.decode())
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_says_so():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("circles:circle-list"))
    assert response.status_code == 403
    assert in_layout(response.text)
    assert "This form has expired" in response.text
