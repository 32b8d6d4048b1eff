"""The apps' migrations: each builds its tables from nothing and takes them down again, so a
fresh install (the demo, CI) and a rollback both work."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APPS = ["notifications", "discussions", "circles"]  # the higher first: they point down


@pytest.mark.django_db(transaction=True)
def test_the_apps_migrate_down_to_nothing_and_up_again():
    executor = MigrationExecutor(connection)
    executor.migrate([(app, None) for app in APPS])
    tables = set(connection.introspection.table_names())
    assert not {"circles_circle", "discussions_comment", "notifications_notification"} & tables

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    tables = set(connection.introspection.table_names())
    assert {"circles_meeting", "discussions_flag", "notifications_remindersent"} <= tables
