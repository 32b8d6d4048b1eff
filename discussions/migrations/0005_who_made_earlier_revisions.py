"""Revisions made before revisions said who: give them (and deletions) their author."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def who_made_earlier_revisions(apps, schema_editor):
    """Revisions so far were all made by their comment's author: by an edit (so were the
    last edits), or (the newest revision of a deleted comment) by the deletion, which also
    gives the deletion's time."""
    Comment = apps.get_model("discussions", "Comment")
    CommentRevision = apps.get_model("discussions", "CommentRevision")
    CommentRevision.objects.update(
        changed_by=Subquery(Comment.objects.filter(pk=OuterRef("comment_id")).values("author")[:1])
    )
    Comment.objects.filter(edited_at__isnull=False).update(edited_by=F("author"))
    for comment in Comment.objects.filter(state="deleted").only("pk", "author_id"):
        last = CommentRevision.objects.filter(comment_id=comment.pk).order_by("-created_at", "-pk")
        last = last.first()
        if last is not None:
            CommentRevision.objects.filter(pk=last.pk).update(kind="delete")
        Comment.objects.filter(pk=comment.pk).update(
            deleted_by_id=comment.author_id, deleted_at=last.created_at if last else None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0004_comment_history_says_who"),
    ]

    operations = [
        migrations.RunPython(who_made_earlier_revisions, migrations.RunPython.noop),
    ]
