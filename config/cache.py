"""The database cache, with an `incr` that counters can rely on.

Django's database cache adds by reading the value and writing it back: two processes adding
at once both write the same number, and the write resets the entry's expiry to the default
timeout (five minutes), so a counter meant to last a day is forgotten after five quiet
minutes. Here the entry is locked while it is read and written (its row on PostgreSQL, the
database on SQLite), and its expiry is left alone — as Redis's INCR does.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta: int = 1, version: int | None = None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        cache_key, value, expires = (quote_name(c) for c in ("cache_key", "value", "expires"))
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # A write first: it takes the lock that the read and the write below hold on to.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} "
                f"WHERE {cache_key} = %s AND {expires} >= %s RETURNING {value}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            new_value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s",
                [encoded.decode("latin1"), key],
            )
        return new_value
