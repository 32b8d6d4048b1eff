from __future__ import annotations

import pytest

from readings.demo import ensure_demo_readings
from readings.models import Chapter, Passage, Reading

pytestmark = pytest.mark.django_db


def test_it_imports_the_two_seed_essays_with_their_credits():
    parties, tomorrow = ensure_demo_readings()

    assert parties.title == "All Tomorrow’s Parties: A Reply to Critics"
    assert (parties.author, parties.source_note) == (
        "An editor of Viewpoint Magazine",
        "Viewpoint Magazine, 2012 (the author’s name is missing from this copy)",
    )
    assert parties.chapters.count() == 6
    assert tomorrow.title == "Toward Building Tomorrow: Expertise and Dual Power"
    assert tomorrow.author == "C.D. Varn"
    assert [c.title for c in Chapter.objects.of(tomorrow)][-1] == "Notes"
    assert tomorrow.chapters.count() == 7


def test_running_it_twice_changes_nothing():
    first = ensure_demo_readings()
    keys = list(Passage.objects.order_by("pk").values_list("key", flat=True))

    second = ensure_demo_readings()

    assert [r.pk for r in first] == [r.pk for r in second]
    assert Reading.objects.count() == 2
    assert list(Passage.objects.order_by("pk").values_list("key", flat=True)) == keys


def test_note_references_link_across_chapters(client):
    _, tomorrow = ensure_demo_readings()

    html = client.get(tomorrow.chapters.get(number=2).get_absolute_url()).text
    notes = client.get(tomorrow.chapters.get(number=7).get_absolute_url()).text

    assert 'href="../7/#note-1"' in html
    assert 'id="note-1"' in notes
    assert 'href="../2/#noteref-1"' in notes
