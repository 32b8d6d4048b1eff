from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Membership, MembershipState
from discussions.models import Comment, CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment, hide_comment
from tests.factories import Margin

CHANGELIST = reverse("admin:discussions_comment_changelist")


def _many_comments(margin: Margin, author, count: int) -> None:
    Comment.objects.bulk_create(
        Comment(
            circle=margin.circle,
            author=author,
            reading=margin.reading,
            chapter=margin.chapter,
            passage=margin.passage,
            passage_key=margin.passage.key,
            body=f"Comment number {n}",
            body_html=f"<p>Comment number {n}</p>",
        )
        for n in range(count)
    )


def _post_action(client, url: str, action: str, pks: list[int], **confirm):
    """The action, as the changelist posts it; with `reason=...`, as its confirmation page
    posts it back."""
    data = {"action": action, "_selected_action": pks}
    if confirm:
        data |= {"apply": "yes", **confirm}
    return client.post(url, data, follow=True)


def test_the_changelist_shows_comments_with_their_place_and_open_flags(
    client, staff, margin: Margin, member, organizer
):
    comment = margin.comment(organizer, "The whale is a metaphor")
    flag_comment(comment, member, FlagReason.OFF_TOPIC)
    client.force_login(staff)

    response = client.get(CHANGELIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The whale is a metaphor" in html
    assert comment.get_absolute_url() in html
    assert "The Margins · chapter 1" in html
    row = response.context["cl"].result_list[0]
    assert row.open_flag_count == 1


def test_the_open_flags_filter_lists_flagged_comments_only(
    client, staff, margin: Margin, member, organizer
):
    flagged = margin.comment(organizer, "Flagged one")
    margin.comment(organizer, "Quiet one")
    flag_comment(flagged, member, FlagReason.SPAM)
    client.force_login(staff)

    response = client.get(CHANGELIST, {"open_flags": "yes"})

    assert list(response.context["cl"].result_list) == [flagged]


@pytest.mark.parametrize("count", [5, 50])
def test_the_changelist_query_count_does_not_grow_with_comments(
    client, staff, margin: Margin, member, count, django_assert_max_num_queries
):
    _many_comments(margin, member, count)
    client.force_login(staff)
    # 6: one of them asks whether the staff member has a second factor (accounts.second_factor).
    with django_assert_max_num_queries(6):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count


def test_the_change_page_shows_the_thread_and_its_history(
    client, staff, margin: Margin, member, organizer
):
    from discussions.services import edit_comment

    root = margin.comment(organizer, "First thoughts")
    reply = margin.comment(member, "A first reply", parent=root)
    edit_comment(reply, "A better reply")
    client.force_login(staff)

    response = client.get(reverse("admin:discussions_comment_change", args=[reply.pk]))

    html = response.content.decode()
    assert "First thoughts" in html and "A better reply" in html
    assert "A first reply" in html  # the earlier version
    assert 'name="correction_reason"' in html  # the text is corrected with a reason
    assert 'name="circle"' not in html and 'name="state"' not in html


def test_the_hide_and_restore_actions_go_through_the_log(client, staff, margin: Margin, member):
    comment = margin.comment(member)
    client.force_login(staff)

    _post_action(client, CHANGELIST, "hide_comments", [comment.pk], reason="Rude")
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    _post_action(client, CHANGELIST, "restore_comments", [comment.pk])
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE

    events = list(ModerationEvent.objects.order_by("pk").values_list("action", "actor", "comment"))
    assert events == [("hide", staff.pk, comment.pk), ("restore", staff.pk, comment.pk)]


def test_the_keep_action_resolves_flags_and_restores(
    client, staff, margin: Margin, member, organizer
):
    margin.circle.flag_threshold = 1
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(organizer)
    flag_comment(comment, member, FlagReason.SPAM)
    client.force_login(staff)

    _post_action(client, CHANGELIST, "keep_comments", [comment.pk])

    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    assert Flag.objects.get().resolution == "kept"
    assert ModerationEvent.objects.filter(action="resolve_flag", actor=staff).count() == 1


def test_the_ban_action_bans_each_author_once(client, staff, margin: Margin, member):
    first, second = margin.comment(member, "One"), margin.comment(member, "Two")
    client.force_login(staff)

    _post_action(client, CHANGELIST, "ban_authors", [first.pk, second.pk], reason="Spam")

    assert Membership.objects.get(user=member, circle=margin.circle).state == (
        MembershipState.BANNED
    )
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_user) == ("ban", staff, member)


def test_refused_actions_say_why(client, staff, margin: Margin, member):
    comment = margin.comment(member)
    hide_comment(comment, staff, "Rude")
    client.force_login(staff)

    response = _post_action(client, CHANGELIST, "hide_comments", [comment.pk], reason="Again")

    assert "already hidden" in response.content.decode()
    assert ModerationEvent.objects.count() == 1


def test_comments_cannot_be_deleted_or_added_from_the_admin(client, staff, margin, member):
    comment = margin.comment(member)
    client.force_login(staff)
    assert client.get(reverse("admin:discussions_comment_add")).status_code == 403
    delete = reverse("admin:discussions_comment_delete", args=[comment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_moderation_log_is_read_only_in_the_admin(client, staff, margin: Margin, member):
    event = hide_comment(margin.comment(member), staff, "Rude")
    client.force_login(staff)

    assert client.get(reverse("admin:discussions_moderationevent_changelist")).status_code == 200
    assert client.get(reverse("admin:discussions_moderationevent_add")).status_code == 403
    change = reverse("admin:discussions_moderationevent_change", args=[event.pk])
    assert client.post(change, {"reason": "Nicer"}).status_code == 403
    delete = reverse("admin:discussions_moderationevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ModerationEvent.objects.get().reason == "Rude"


def test_the_flag_queue_lists_open_flags_oldest_first(
    client, staff, margin: Margin, organizer, member, moderator
):
    from discussions.moderation import resolve_flags

    reviewed = margin.comment(organizer, "Reviewed")
    flag_comment(reviewed, member, FlagReason.SPAM)
    resolve_flags(reviewed, staff, "kept")
    older = margin.comment(organizer, "Older")
    newer = margin.comment(organizer, "Newer")
    flag_comment(older, member, FlagReason.SPAM)
    flag_comment(newer, moderator, FlagReason.ABUSE)
    client.force_login(staff)

    response = client.get(reverse("admin:discussions_flag_changelist"))

    assert [flag.comment for flag in response.context["cl"].result_list] == [
        older,
        newer,
        reviewed,
    ]


def test_the_user_admin_shows_a_persons_circles(client, staff, margin: Margin, member):
    client.force_login(staff)
    response = client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.instance.circle for form in inline.formset.forms if form.instance.pk] == [
        margin.circle
    ]


def test_circle_and_session_admins_render(client, staff, margin: Margin):
    client.force_login(staff)
    circle = reverse("admin:circles_circle_change", args=[margin.circle.pk])
    assert client.get(circle).status_code == 200
    assert client.get(reverse("admin:circles_meeting_changelist")).status_code == 200


def test_hide_asks_for_the_reason_before_doing_anything(client, staff, margin: Margin, member):
    comment = margin.comment(member, "Rude words")
    client.force_login(staff)

    page = _post_action(client, CHANGELIST, "hide_comments", [comment.pk])
    empty = _post_action(client, CHANGELIST, "hide_comments", [comment.pk], reason="  ")
    done = _post_action(client, CHANGELIST, "hide_comments", [comment.pk], reason="Name-calling")

    assert "Hide these comments?" in page.content.decode()
    assert "Mina: Rude words" in page.content.decode()
    assert 'name="reason"' in page.content.decode()
    assert "Give a reason: it goes into the moderation log." in empty.content.decode()
    assert "Hidden: 1." in done.content.decode()
    comment.refresh_from_db()
    assert (comment.state, comment.hidden_reason) == (CommentState.HIDDEN, "Name-calling")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.reason) == ("hide", staff, "Name-calling")


def test_ban_asks_for_the_reason_and_logs_it(client, staff, margin: Margin, member):
    comment = margin.comment(member, "Buy now")
    client.force_login(staff)

    page = _post_action(client, CHANGELIST, "ban_authors", [comment.pk])
    assert "Mina from Public Readers" in page.content.decode()
    assert Membership.objects.get(user=member).state == MembershipState.ACTIVE

    _post_action(client, CHANGELIST, "ban_authors", [comment.pk], reason="Spammer")
    assert ModerationEvent.objects.get().reason == "Spammer"


def test_the_last_organizer_cannot_be_banned_and_staff_are_told_why(
    client, staff, margin: Margin, organizer
):
    comment = margin.comment(organizer, "Mine")
    client.force_login(staff)

    response = _post_action(client, CHANGELIST, "ban_authors", [comment.pk], reason="Test")

    assert "only organizer and cannot be banned" in response.content.decode()
    assert Membership.objects.get(user=organizer).state == MembershipState.ACTIVE
    assert not ModerationEvent.objects.exists()


def test_the_flag_queue_hide_action_asks_why_and_resolves(
    client, staff, margin: Margin, member, organizer
):
    comment = margin.comment(organizer, "Flag me")
    flag_comment(comment, member, FlagReason.ABUSE)
    changelist = reverse("admin:discussions_flag_changelist")
    client.force_login(staff)
    flag = Flag.objects.get()

    page = _post_action(client, changelist, "hide", [flag.pk])
    assert "Hide these flagged comments?" in page.content.decode()
    _post_action(client, changelist, "hide", [flag.pk], reason="Abusive")

    comment.refresh_from_db()
    assert (comment.state, comment.hidden_reason) == (CommentState.HIDDEN, "Abusive")
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by) == ("hidden", staff)
    assert ModerationEvent.objects.get().actor == staff


def test_membership_state_is_not_editable_in_the_admin(client, staff, margin: Margin, member):
    """A ban edited in place would skip the log; it goes through the actions instead."""
    client.force_login(staff)
    response = client.get(reverse("admin:circles_circle_change", args=[margin.circle.pk]))
    assert 'name="memberships-0-state"' not in response.content.decode()
    assert 'name="memberships-0-role"' in response.content.decode()


def _change_form_data(response) -> dict:
    """What the admin change page would post back as it stands: its form's and inlines'
    current values, with the management forms."""
    from django.db.models import Model
    from django.forms import MultiWidget

    def put(data: dict, bound) -> None:
        value = bound.value()
        if isinstance(bound.field.widget, MultiWidget):
            for i, part in enumerate(bound.field.widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else part
            return
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [item.pk if isinstance(item, Model) else item for item in value]
        if value is None or value is False:
            return
        data[bound.html_name] = "on" if value is True else value

    data: dict = {}
    for bound in response.context["adminform"].form:
        put(data, bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for form in formset.initial_forms:
            for bound in form:
                put(data, bound)
    return data


@pytest.mark.parametrize("page", ["circle", "user"])
def test_a_banned_members_row_cannot_be_deleted_from_the_admin(client, staff, margin: Margin, page):
    """Deleting it would lift the ban with nothing in the log."""
    url = {
        "circle": reverse("admin:circles_circle_change", args=[margin.circle.pk]),
        "user": reverse("admin:accounts_user_change", args=[margin.banned.pk]),
    }[page]
    client.force_login(staff)
    response = client.get(url)
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Membership
    ]
    banned_form = next(
        form for form in inline.formset.initial_forms if form.instance.user_id == margin.banned.pk
    )
    assert 'name="' + banned_form.add_prefix("DELETE") + '"' not in response.content.decode()

    data = _change_form_data(response) | {banned_form.add_prefix("DELETE"): "on"}
    response = client.post(url, data)

    assert response.status_code == 302  # saved, as a staff member would see it
    membership = Membership.objects.get(circle=margin.circle, user=margin.banned)
    assert membership.state == MembershipState.BANNED
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("page", ["circle", "user"])
def test_a_banned_members_role_cannot_be_changed_from_the_admin(
    client, staff, margin: Margin, page
):
    """Made a moderator while banned, they would moderate again the moment the ban lifts,
    with nothing in the log; staff are told why the change was refused."""
    url = {
        "circle": reverse("admin:circles_circle_change", args=[margin.circle.pk]),
        "user": reverse("admin:accounts_user_change", args=[margin.banned.pk]),
    }[page]
    client.force_login(staff)
    response = client.get(url)
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Membership
    ]
    banned_form = next(
        form for form in inline.formset.initial_forms if form.instance.user_id == margin.banned.pk
    )
    role_before = banned_form.instance.role
    data = _change_form_data(response) | {banned_form.add_prefix("role"): "moderator"}
    response = client.post(url, data)

    assert response.status_code == 200
    assert "their role cannot change until the ban is lifted" in response.content.decode()
    membership = Membership.objects.get(circle=margin.circle, user=margin.banned)
    assert membership.role == role_before != "moderator"
