"""A flag reaches the circle's moderators and organizers — in the bell, and by email as each
chose — and nobody else: not the member who flagged, not the comment's author, not members,
not banned people, not moderators of other circles. A comment hidden by the flag threshold is
one notice of its own ("Flags hid …"), from nobody."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Role
from discussions.models import FlagReason
from discussions.moderation import flag_comment
from notifications.delivery import send_digests
from notifications.models import EmailKind, EmailPreference, Frequency, Notification
from tests.factories import make_circle, make_user
from tests.notifications.conftest import run_worker
from tests.permission_matrix import client_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flagged(margin, member, organizer, moderator, outsider):
    """Rita (a member) flags Mina's comment. Around them, people who must not hear of it:
    the margin's banned member, and Oscar, who moderates another circle."""
    reader = make_user("reader@example.org", display_name="Rita")
    margin.circle.add_member(reader)
    other = make_circle(make_user(), name="Elsewhere")
    other.add_member(outsider, Role.MODERATOR)
    comment = margin.comment(member, "Buy cheap tickets here.")
    flag_comment(comment, reader, FlagReason.SPAM, "Clearly an advert.")
    return comment, reader


def test_moderators_and_organizers_hear_of_a_flag_and_nobody_else(
    flagged, margin, organizer, moderator
):
    comment, reader = flagged
    told = Notification.objects.filter(kind="flag_raised")
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        moderator.email,
        organizer.email,
    ]
    assert Notification.objects.exclude(recipient__in=[organizer, moderator]).count() == 0
    notice = told.get(recipient=moderator)
    assert (notice.actor, notice.comment, notice.flag.reporter) == (reader, comment, reader)
    assert notice.headline == "Rita flagged Mina’s comment: Spam"
    assert notice.target_url == (
        reverse("discussions:moderation", args=[margin.circle.slug]) + f"#flagged-{comment.pk}"
    )


def test_it_shows_in_the_bell_and_the_list(flagged, moderator):
    client = client_as(moderator)
    page = client.get(reverse("notifications:notification-list")).text
    assert "Rita flagged Mina’s comment: Spam" in page
    assert "Buy cheap tickets here." in page
    assert 'data-testid="bell-count">1<' in page


def test_a_moderator_who_flags_or_wrote_the_comment_is_not_told(
    margin, member, organizer, moderator
):
    comment = margin.comment(moderator, "My own words.")
    flag_comment(comment, member, FlagReason.ABUSE)
    assert list(
        Notification.objects.filter(kind="flag_raised").values_list("recipient", flat=True)
    ) == [organizer.pk]
    other = margin.comment(member, "Another.")
    flag_comment(other, organizer, FlagReason.OFF_TOPIC)
    assert list(
        Notification.objects.filter(kind="flag_raised", comment=other).values_list(
            "recipient", flat=True
        )
    ) == [moderator.pk]


def test_the_flag_that_hides_a_comment_is_one_notice_from_nobody(
    margin, member, organizer, moderator
):
    margin.circle.flag_threshold = 2
    margin.circle.save()
    comment = margin.comment(member, "Something contested.")
    first, second = make_user(display_name="Ana"), make_user(display_name="Ben")
    for reporter in (first, second):
        margin.circle.add_member(reporter)
        flag_comment(comment, reporter, FlagReason.ABUSE)
    for person in (organizer, moderator):
        kinds = list(
            Notification.objects.filter(recipient=person)
            .order_by("pk")
            .values_list("kind", flat=True)
        )
        assert kinds == ["flag_raised", "flag_hidden"]
    hidden = Notification.objects.get(recipient=moderator, kind="flag_hidden")
    assert hidden.actor is None
    assert hidden.headline == "Flags hid Mina’s comment until a moderator reviews it"
    assert hidden.excerpt == ""  # a hidden comment's words are never repeated
    # The reporters are told nothing; the author hears that it was hidden, as before.
    assert not Notification.objects.filter(recipient__in=[first, second]).exists()
    assert list(Notification.objects.filter(recipient=member).values_list("kind", flat=True)) == [
        "comment_hidden"
    ]


def test_moderators_are_emailed_right_away_by_default(flagged, moderator, organizer, mailoutbox):
    run_worker()
    by_person = {message.to[0]: message for message in mailoutbox}
    assert set(by_person) == {moderator.email, organizer.email}
    message = by_person[moderator.email]
    assert message.subject == "[Marginalia] Public Readers: Rita flagged Mina’s comment: Spam"
    assert "Buy cheap tickets here." in message.body
    assert "Review it: http" in message.body and "/moderation/#flagged-" in message.body
    assert "because you moderate Public Readers" in message.body


def test_each_moderator_chooses_how_to_hear(flagged_later, moderator, organizer, mailoutbox):
    run_worker()
    assert [message.to for message in mailoutbox] == []
    assert send_digests()
    [digest] = mailoutbox
    assert digest.to == [organizer.email] and "flagged Mina’s comment" in digest.body
    assert Notification.objects.filter(recipient=moderator).count() == 1  # still in the bell


@pytest.fixture
def flagged_later(margin, member, moderator, organizer):
    EmailPreference.set(moderator, EmailKind.FLAG_RAISED, Frequency.NEVER)
    EmailPreference.set(organizer, EmailKind.FLAG_RAISED, Frequency.DIGEST)
    reader = make_user(display_name="Rita")
    margin.circle.add_member(reader)
    flag_comment(margin.comment(member, "Hm."), reader, FlagReason.SPAM)


def test_the_email_choices_offer_both_kinds(moderator):
    page = client_as(moderator).get(reverse("notifications:notification-settings")).text
    assert "Someone flags a comment in a circle I moderate" in page
    assert "Flags hide a comment in a circle I moderate" in page


def test_a_moderator_who_stepped_down_before_the_email_left_gets_none(
    margin, member, moderator, organizer, mailoutbox
):
    reader = make_user(display_name="Rita")
    margin.circle.add_member(reader)
    flag_comment(margin.comment(member, "Hm."), reader, FlagReason.SPAM)
    margin.circle.memberships.filter(user=moderator).update(role=Role.MEMBER)
    run_worker()
    assert [message.to for message in mailoutbox] == [[organizer.email]]


def test_news_of_flags_leaves_the_list_of_one_who_no_longer_moderates(flagged, margin, moderator):
    client = client_as(moderator)
    assert "flagged Mina’s comment" in client.get(reverse("notifications:notification-list")).text
    margin.circle.memberships.filter(user=moderator).update(role=Role.MEMBER)
    page = client.get(reverse("notifications:notification-list")).text
    assert "flagged Mina’s comment" not in page and "Nothing unread." in page
