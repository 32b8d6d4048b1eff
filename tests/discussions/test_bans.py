"""Moderators ban and unban members on the site; a ban's effects everywhere in the circle."""

from __future__ import annotations

import uuid

from django.urls import reverse

from circles.models import RSVP, Invite, Membership, MembershipState, Role
from discussions.models import Comment, Flag, ModerationEvent
from tests.factories import Margin, make_margin, make_meeting


def _ban(client, margin: Margin, user, reason: str = "Spam, again and again", **kwargs):
    url = reverse("discussions:member-ban", args=[margin.circle.slug])
    return client.post(url, {"user": user.pk, "reason": reason}, **kwargs)


def _state(margin: Margin, user) -> str:
    return Membership.objects.get(circle=margin.circle, user=user).state


def test_a_moderator_bans_a_member_with_a_reason(client, margin: Margin, member, moderator):
    client.force_login(moderator)
    url = reverse("discussions:member-ban", args=[margin.circle.slug])

    confirm = client.get(url, {"user": member.pk}).content.decode()
    response = _ban(client, margin, member, follow=True)

    assert "Ban Mina?" in confirm
    assert _state(margin, member) == MembershipState.BANNED
    assert "Mina is banned from “Public Readers”" in response.content.decode()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_user, event.reason) == (
        "ban",
        moderator,
        member,
        "Spam, again and again",
    )


def test_a_ban_needs_a_reason(client, margin: Margin, member, moderator):
    client.force_login(moderator)
    response = _ban(client, margin, member, reason="")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give a reason: it is shown in the log." in html
    # Screen readers hear the error with the field, which says it is invalid.
    assert 'aria-describedby="ban-reason-error ban-reason-help" aria-invalid="true"' in html
    assert _state(margin, member) == MembershipState.ACTIVE


def test_moderators_cannot_ban_organizers_nor_anyone_themselves(
    client, margin: Margin, organizer, moderator
):
    client.force_login(moderator)
    assert _ban(client, margin, organizer).status_code == 422
    assert _ban(client, margin, moderator).status_code == 422
    assert _state(margin, organizer) == MembershipState.ACTIVE
    assert _state(margin, moderator) == MembershipState.ACTIVE
    assert not ModerationEvent.objects.exists()


def test_organizers_ban_moderators_and_other_organizers(
    client, margin: Margin, organizer, moderator, member
):
    margin.circle.add_member(member)
    Membership.objects.filter(user=member).update(role=Role.ORGANIZER)
    client.force_login(organizer)
    _ban(client, margin, moderator)
    _ban(client, margin, member)
    assert _state(margin, moderator) == _state(margin, member) == MembershipState.BANNED
    # The ban takes the role away: lifted, they come back as members.
    assert Membership.objects.get(user=member).role == Role.MEMBER


def test_the_ban_page_says_who_may_be_banned(client, margin: Margin, organizer):
    client.force_login(organizer)
    url = reverse("discussions:member-ban", args=[margin.circle.slug])
    html = client.get(url).content.decode()
    assert "nobody can ban themselves" in html
    assert f'<option value="{organizer.pk}"' not in html


def test_unban_makes_them_a_member_again_and_is_logged(client, margin: Margin, moderator):
    client.force_login(moderator)
    url = reverse("discussions:member-unban", args=[margin.circle.slug, margin.banned.pk])

    response = client.post(url, follow=True)

    assert _state(margin, margin.banned) == MembershipState.ACTIVE
    assert "Bea is a member of “Public Readers” again." in response.content.decode()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_user) == ("unban", moderator, margin.banned)


def test_unbanning_someone_not_banned_is_404(client, margin: Margin, moderator, member):
    client.force_login(moderator)
    url = reverse("discussions:member-unban", args=[margin.circle.slug, member.pk])
    assert client.post(url).status_code == 404


def test_a_banned_member_of_a_public_circle_reads_but_cannot_post_flag_rsvp_or_rejoin(
    client, margin: Margin, member, moderator, organizer
):
    comment = margin.comment(organizer, "Something to answer")
    meeting = make_meeting(margin.circle, margin.reading)
    client.force_login(moderator)
    _ban(client, margin, member)
    client.force_login(member)
    slug = margin.circle.slug

    assert client.get(margin.chapter_url()).status_code == 200
    assert "Something to answer" in client.get(margin.passage_url()).content.decode()
    post = {"body": "Let me in", "idempotency_key": str(uuid.uuid4())}
    assert client.post(margin.create_url(), post).status_code == 403
    reply = {**post, "idempotency_key": str(uuid.uuid4()), "parent": comment.pk}
    assert client.post(margin.create_url(), reply).status_code == 403
    flag = reverse("discussions:comment-flag", args=[slug, comment.pk])
    assert client.post(flag, {"reason": "spam"}).status_code == 403
    rsvp = reverse("circles:meeting-rsvp", args=[slug, meeting.pk])
    assert client.post(rsvp, {"answer": "going"}).status_code == 403
    join = client.post(reverse("circles:circle-join", args=[slug]), follow=True)
    assert "cannot join it again" in join.content.decode()

    assert Comment.objects.filter(author=member).count() == 0
    assert not Flag.objects.exists() and not RSVP.objects.exists()
    assert _state(margin, member) == MembershipState.BANNED


def test_a_ban_from_a_private_circle_removes_access(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member, private=True)
    invite = Invite.create_for(margin.circle, organizer)
    client.force_login(moderator)
    _ban(client, margin, member)
    client.force_login(member)

    assert client.get(margin.circle.get_absolute_url()).status_code == 404
    assert client.get(margin.chapter_url()).status_code == 404
    assert client.get(margin.passage_url()).status_code == 404
    client.post(invite.get_absolute_url())  # the invitation does not let them back in
    assert client.get(margin.circle.get_absolute_url()).status_code == 404
    assert _state(margin, member) == MembershipState.BANNED


def test_the_members_page_links_to_ban(client, margin: Margin, organizer, member):
    client.force_login(organizer)
    html = client.get(reverse("circles:members", args=[margin.circle.slug])).content.decode()
    ban = reverse("discussions:member-ban", args=[margin.circle.slug])
    assert f"{ban}?user={member.pk}" in html
    assert f"{ban}?user={organizer.pk}" not in html


def test_a_ban_withdraws_the_members_answers_to_sessions_still_to_come(
    client, margin: Margin, member, moderator
):
    from datetime import timedelta

    from django.utils import timezone

    upcoming = make_meeting(margin.circle, margin.reading)
    past = make_meeting(margin.circle, margin.reading, starts_at=timezone.now() - timedelta(days=7))
    RSVP.objects.create(meeting=upcoming, user=member, answer="going")
    RSVP.objects.create(meeting=past, user=member, answer="going")
    client.force_login(moderator)
    _ban(client, margin, member)

    assert not RSVP.objects.filter(meeting=upcoming, user=member).exists()
    assert RSVP.objects.filter(meeting=past, user=member).exists()  # what happened stays
    client.get(upcoming.get_absolute_url())  # shows (and uses up) the "is banned" message
    assert "Mina" not in client.get(upcoming.get_absolute_url()).content.decode()
