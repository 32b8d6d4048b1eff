"""The library's plain reader says which of my circles read this text, and leads into their
margins (a section of the library's pages that circles fills: readings imports no circles)."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_circle


def test_a_reading_and_its_chapters_lead_a_member_into_their_circles_margins(
    client, circle, member, organizer
):
    reading = circle.readings.get()
    other = make_circle(organizer, name="Night Readers", readings=[reading])  # not Mina's
    client.force_login(member)
    page = client.get(reading.get_absolute_url()).text
    assert "Your circles reading this:" in page
    assert reverse("discussions:circle-reading", args=[circle.slug, reading.slug]) in page
    assert other.name not in page
    chapter = reading.chapters.get(number=2)
    page = client.get(chapter.get_absolute_url()).text
    assert reverse("discussions:circle-chapter", args=[circle.slug, reading.slug, 2]) in page
    assert "with their margins" in page


def test_visitors_and_people_in_no_circle_reading_it_see_nothing(client, circle, outsider):
    reading = circle.readings.get()
    assert "Your circles reading this" not in client.get(reading.get_absolute_url()).text
    client.force_login(outsider)
    assert "Your circles reading this" not in client.get(reading.get_absolute_url()).text
