"""Notifications never repeat the words of a comment on a chapter the recipient has not
reached: not in the list (until they ask, with "show anyway"), not in the email sent right
away, not in the digest; the headline and where it happened still say what it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Spoilers
from discussions.services import reply
from notifications.delivery import send_digests
from notifications.models import EmailKind, EmailPreference, Frequency, Notification
from readings.models import Passage, ReadingProgress
from tests.notifications.conftest import run_worker
from tests.permission_matrix import client_as

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("notifications:notification-list")


def later_passage(margin) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=3)).first()


@pytest.fixture
def mention(margin, moderator, member) -> Notification:
    """Max mentions Mina on chapter 3, which she has not reached."""
    margin.comment(moderator, "@Mina the ending turns on this.", passage=later_passage(margin))
    return Notification.objects.get(recipient=member)


def test_the_list_folds_the_words_and_says_why(mention, member):
    html = client_as(member).get(LIST).text
    assert "Max mentioned you" in html and "the ending turns" not in html
    assert "About chapter 3 of The Margins, which you haven’t read: its words are folded." in html
    assert f'href="{LIST}?spoilers=show#n-{mention.pk}"' in html
    assert f'data-hx-select="#n-{mention.pk}" data-hx-target="#n-{mention.pk}"' in html


def test_show_anyway_shows_them(mention, member):
    html = client_as(member).get(LIST + "?spoilers=show").text
    assert "the ending turns on this." in html and "its words are folded" not in html
    assert f'href="{LIST}"' in html and "Fold them again" in html


def test_once_the_chapter_is_reached_the_words_show(mention, member, margin):
    ReadingProgress.advance(member, later_passage(margin).chapter)
    assert "the ending turns on this." in client_as(member).get(LIST).text


def test_a_member_who_turned_folding_off_gets_the_words(mention, member):
    member.spoilers = Spoilers.SHOW
    member.save()
    assert "the ending turns on this." in client_as(member).get(LIST).text


def test_a_reply_to_my_own_comment_on_a_later_chapter_shows(margin, member, moderator):
    mine = margin.comment(member, "Peeking ahead.", passage=later_passage(margin))
    reply(mine, author=moderator, body="Spoiler: they marry.")
    html = client_as(member).get(LIST).text
    # The reply is not mine: on a chapter not reached, it is folded like any other.
    assert "they marry" not in html and "Max replied to your comment" in html


def test_the_email_sent_right_away_folds_the_words(mention, member, mailoutbox):
    run_worker()
    [message] = mailoutbox
    assert "the ending turns" not in message.body
    assert "which you haven’t reached yet, so its words are not repeated here" in message.body
    assert "Read it anyway: http" in message.body and "?spoilers=show#c-" in message.body
    html, _ = message.alternatives[0]
    assert "the ending turns" not in html and "Read it anyway on Marginalia" in html


def test_the_digest_folds_the_words(margin, moderator, member, mailoutbox):
    EmailPreference.set(member, EmailKind.MENTION, Frequency.DIGEST)
    margin.comment(moderator, "@Mina the ending turns on this.", passage=later_passage(margin))
    margin.comment(moderator, "@Mina and the opening too.")
    assert send_digests()
    [message] = mailoutbox
    assert "the ending turns" not in message.body and "and the opening too." in message.body
    assert "About chapter 3 of The Margins, which you haven’t reached yet" in message.body
    html, _ = message.alternatives[0]
    assert "the ending turns" not in html and "and the opening too." in html


def test_the_horizon_is_the_one_at_sending_time(mention, member, margin, mailoutbox):
    ReadingProgress.advance(member, later_passage(margin).chapter)
    run_worker()
    assert "the ending turns on this." in mailoutbox[0].body


def test_the_list_costs_one_query_to_fold_however_many_notices(
    margin, moderator, member, posting_unlimited, django_assert_max_num_queries
):
    for n in range(12):
        margin.comment(moderator, f"@Mina number {n}.", passage=later_passage(margin))
    client = client_as(member)
    client.get(LIST)
    # session, user, bell, page count, page rows, and the horizon
    with django_assert_max_num_queries(7):
        html = client.get(LIST).text
    assert html.count("its words are folded") == 12
