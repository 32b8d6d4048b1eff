"""Anchors on text with characters outside the BMP (𝔐, emoji): offsets are code points, as
in Python and the W3C Web Annotation model, so the quote stored, the highlight drawn and the
annotation's TextPositionSelector all name the words that were selected."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.urls import reverse

from discussions.models import Comment
from tests.factories import (
    NON_BMP_PHRASE,
    NON_BMP_TEXT,
    add_non_bmp_passage,
    make_margin,
)

pytestmark = pytest.mark.django_db

START = NON_BMP_TEXT.index(NON_BMP_PHRASE)  # in code points: Python's str counts them
END = START + len(NON_BMP_PHRASE)


@pytest.fixture
def passage(organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    passage = add_non_bmp_passage(margin.circle)
    passage.margin = margin
    return passage


def urls(passage) -> tuple[str, str]:
    circle, reading = passage.margin.circle.slug, passage.reading.slug
    return (
        reverse("discussions:passage", args=[circle, reading, passage.key]),
        reverse("discussions:comment-create", args=[circle, reading, passage.key]),
    )


def test_a_phrase_after_an_emoji_is_quoted_highlighted_and_annotated_right(client, passage, member):
    page_url, create_url = urls(passage)
    client.force_login(member)
    compose = client.get(page_url, {"start": START, "end": END}).content.decode()
    assert f"“{NON_BMP_PHRASE}”" in compose  # the form quotes what will be stored

    response = client.post(
        create_url,
        {"body": "The whale!", "start": START, "end": END, "idempotency_key": uuid.uuid4()},
    )
    assert response.status_code == 302
    root = Comment.objects.get(body="The whale!")
    assert root.anchor_exact == NON_BMP_PHRASE
    assert root.anchor_prefix.endswith("cheered 😀 ")
    assert root.anchor_suffix.startswith(" sank the boat 🐋")

    page = client.get(page_url).content.decode()
    marks = re.findall(rf'<mark [^>]*><span [^>]*id="hl-{root.pk}"[^>]*></span>(.*?)</mark>', page)
    assert [re.sub(r"<span[^>]*></span>", "", mark) for mark in marks] == [NON_BMP_PHRASE]

    data = json.loads(
        client.get(
            reverse("discussions:comment-annotation", args=[passage.margin.circle.slug, root.pk])
        ).content
    )
    selectors = {s["type"]: s for s in data["target"]["selector"][0]["refinedBy"]}
    position = selectors["TextPositionSelector"]
    assert NON_BMP_TEXT[position["start"] : position["end"]] == NON_BMP_PHRASE
    assert selectors["TextQuoteSelector"]["exact"] == NON_BMP_PHRASE


def test_offsets_past_the_end_in_code_points_are_refused(client, passage, member):
    """The text is 60 characters but 63 UTF-16 units long: an end counted in units is too far."""
    _, create_url = urls(passage)
    client.force_login(member)
    units = len(NON_BMP_TEXT.encode("utf-16-le")) // 2
    assert units == len(NON_BMP_TEXT) + 3
    response = client.post(
        create_url,
        {"body": "Too far", "start": 0, "end": units, "idempotency_key": uuid.uuid4()},
    )
    assert response.status_code == 422
    assert not Comment.objects.filter(body="Too far").exists()
