"""System checks of the discussions app's data (`manage.py check --database default`).

A comment on a passage is in that passage's chapter: the chapter page highlights and counts
threads by `Comment.chapter`, so a comment whose chapter differs from its passage's is shown
on no page and counted on another. Re-anchoring keeps them equal in the same transaction as
every change of the text (`discussions.reanchoring`); this check says so when they are not.
"""

from __future__ import annotations

from django.core.checks import Error
from django.db import DatabaseError, connections
from django.db.models import F, Q


def comment_chapters_match_passages(app_configs=None, databases=None, **kwargs) -> list:
    errors = []
    for alias in databases or []:
        from .models import Comment

        if Comment._meta.db_table not in connections[alias].introspection.table_names():
            continue  # not migrated yet
        try:
            wrong = (
                Comment.objects.using(alias)
                .filter(passage__isnull=False)
                .filter(Q(chapter__isnull=True) | ~Q(chapter_id=F("passage__chapter_id")))
            )
            count = wrong.count()
            examples = list(wrong.order_by("pk").values_list("pk", flat=True)[:5])
        except DatabaseError:
            continue
        if count:
            errors.append(
                Error(
                    f"{count} comment(s) are not in the chapter of their passage "
                    f"(for example {', '.join(map(str, examples))}): they are shown on no "
                    "chapter page and counted on another.",
                    hint="Set each comment's chapter to its passage's chapter: "
                    "Comment.objects.filter(passage__isnull=False).update(chapter=...).",
                    id="discussions.E001",
                )
            )
    return errors
