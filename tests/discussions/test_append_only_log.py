"""The moderation log is append-only: no way through the ORM rewrites or removes an event,
while deleting a person still empties the link to them."""

from __future__ import annotations

import pytest

from discussions.models import ImmutableEvent, ModerationAction, ModerationEvent
from discussions.moderation import hide_comment
from tests.factories import Margin


@pytest.fixture
def event(margin: Margin, member, moderator) -> ModerationEvent:
    return hide_comment(margin.comment(member), moderator, "Rude")


def _unchanged(event: ModerationEvent) -> bool:
    stored = ModerationEvent.objects.values_list("action", "reason", "actor").get(pk=event.pk)
    return stored == (ModerationAction.HIDE, "Rude", event.actor_id)


def test_a_queryset_update_is_refused(event):
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.update(reason="Something nicer")
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.filter(pk=event.pk).update(actor=None)
    assert _unchanged(event)


def test_bulk_update_is_refused(event):
    event.reason = "Something nicer"
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.bulk_update([event], ["reason"])
    assert _unchanged(event)


def test_an_upserting_bulk_create_is_refused(event):
    rewrite = ModerationEvent(
        pk=event.pk, action=ModerationAction.BAN, circle_id=event.circle_id, reason="Forged"
    )
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.bulk_create(
            [rewrite], update_conflicts=True, unique_fields=["id"], update_fields=["reason"]
        )
    assert _unchanged(event)


def test_a_queryset_delete_is_refused(event):
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.filter(pk=event.pk).delete()
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_saving_a_loaded_event_is_refused(event):
    loaded = ModerationEvent.objects.get(pk=event.pk)
    loaded.reason = "Something nicer"
    with pytest.raises(ImmutableEvent, match="append-only"):
        loaded.save()
    with pytest.raises(ImmutableEvent, match="append-only"):
        loaded.save(update_fields=["reason"])
    assert _unchanged(event)


def test_a_new_instance_with_an_existing_id_does_not_overwrite_the_event(event):
    forged = ModerationEvent(
        pk=event.pk, action=ModerationAction.UNBAN, circle_id=event.circle_id, reason="Forged"
    )
    with pytest.raises(ImmutableEvent, match="append-only"):
        forged.save()
    assert _unchanged(event)
    assert ModerationEvent.objects.count() == 1


def test_new_events_are_still_written(margin: Margin, event, moderator):
    ModerationEvent.objects.create(
        action=ModerationAction.UNBAN, circle=margin.circle, actor=moderator, reason="Sorry"
    )
    ModerationEvent.objects.bulk_create(
        [ModerationEvent(action=ModerationAction.BAN, circle=margin.circle, reason="Spam")]
    )
    assert ModerationEvent.objects.count() == 3


def test_deleting_the_actor_still_empties_the_link(event, moderator):
    moderator.delete()
    stored = ModerationEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.reason) == (None, "Rude")
