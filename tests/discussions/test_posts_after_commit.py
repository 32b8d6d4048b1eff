"""A post answered with a redirect builds its answer from what it has already loaded: once the
comment is committed it asks the database nothing more (a connection that died with a database
restart just then would turn a saved comment into a 500), and it builds no thread panel it
does not send."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from discussions.models import Comment
from discussions.signals import comment_posted

# The comment's news goes out once it commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def queries_after_the_commit():
    """The SQL run after the posted comment committed and its news went out (this receiver
    is connected last, so it runs after the app's own)."""
    committed: list[bool] = []
    after: list[str] = []

    def on_posted(**kwargs) -> None:
        committed.append(True)

    def record(execute, sql, params, many, context):
        if committed:
            after.append(sql)
        return execute(sql, params, many, context)

    comment_posted.connect(on_posted, dispatch_uid="test-after-commit")
    try:
        with connection.execute_wrapper(record):
            yield after
    finally:
        comment_posted.disconnect(dispatch_uid="test-after-commit")
    assert committed, "nothing was posted"


def form(body: str, **extra) -> dict:
    return {"body": body, "idempotency_key": str(uuid.uuid4()), **extra}


def test_a_new_thread_redirects_without_a_query_after_the_commit(client, margin, member):
    client.force_login(member)
    with queries_after_the_commit() as after:
        response = client.post(margin.create_url(), form("A new thread."))
    comment = Comment.objects.get(body="A new thread.")
    assert response["Location"] == f"{margin.passage_url()}#c-{comment.pk}"
    assert after == []


def test_a_reply_redirects_without_a_query_after_the_commit(client, margin, member, moderator):
    root = margin.comment(moderator, "The thread.")
    client.force_login(member)
    with queries_after_the_commit() as after:
        response = client.post(margin.create_url(), form("A reply.", parent=root.pk))
    reply = Comment.objects.get(body="A reply.")
    # A reply is shown wherever it is, even past the replies its thread shows at first.
    assert response["Location"] == f"{margin.passage_url()}?c={reply.pk}#c-{reply.pk}"
    assert after == []


def test_a_reply_on_the_thread_page_redirects_without_a_query_after_the_commit(
    client, margin, member, moderator
):
    root = margin.comment(moderator, "The thread.")
    client.force_login(member)
    url = reverse("discussions:thread-reply", args=[margin.circle.slug, root.pk])
    with queries_after_the_commit() as after:
        response = client.post(url, form("A reply there.", parent=root.pk))
    reply = Comment.objects.get(body="A reply there.")
    assert response["Location"] == f"{margin.passage_url()}?c={reply.pk}#c-{reply.pk}"
    assert after == []
