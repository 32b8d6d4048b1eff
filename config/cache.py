"""The caches, with counters that rate limits can rely on, counted in one round trip.

Django's database cache adds by reading the value and writing it back: two processes adding
at once both write the same number, and the write resets the entry's expiry to the default
timeout (five minutes), so a counter meant to last a day is forgotten after five quiet
minutes. Here the entry is locked while it is read and written (its row on PostgreSQL, the
database on SQLite), and its expiry is left alone — as Redis's INCR does.

`incr_each(keys)` adds one to each of several counters that exist, returning their new
values ({key: value}; a missing or expired one is left out): a post counted in the minute's
and the day's windows costs two statements on the database (`incr` takes two each) and one
round trip to Redis (a script).
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends import db, redis
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta: int = 1, version: int | None = None):
        made = self.make_and_validate_key(key, version=version)
        counted = self._add(made_keys=[made], delta=delta)
        if made not in counted:
            raise ValueError(f"Key '{made}' not found")
        return counted[made]

    def incr_each(self, keys: list[str]) -> dict[str, int]:
        made = {self.make_and_validate_key(key): key for key in keys}
        return {made[key]: value for key, value in self._add(made_keys=list(made)).items()}

    def _add(self, *, made_keys: list[str], delta: int = 1) -> dict[str, int]:
        """Add `delta` to the counters under these (made) keys that exist and have not
        expired, in two statements: {made key: new value}."""
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        cache_key, value, expires = (quote_name(c) for c in ("cache_key", "value", "expires"))
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        listed = ", ".join(["%s"] * len(made_keys))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # A write first: it takes the locks that the read and the write below hold on to.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} "
                f"WHERE {cache_key} IN ({listed}) AND {expires} >= %s "
                f"RETURNING {cache_key}, {value}",
                [*made_keys, now],
            )
            counted = {
                key: pickle.loads(
                    base64.b64decode(connection.ops.process_clob(stored).encode(), validate=True)
                )
                + delta
                for key, stored in cursor.fetchall()
            }
            if counted:
                cases = " ".join(["WHEN %s THEN %s"] * len(counted))
                listed = ", ".join(["%s"] * len(counted))
                params = []
                for key, new_value in counted.items():
                    encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
                    params += [key, encoded.decode("latin1")]
                cursor.execute(
                    f"UPDATE {table} SET {value} = CASE {cache_key} {cases} END "
                    f"WHERE {cache_key} IN ({listed})",
                    [*params, *counted],
                )
        return counted


# Adds one to each key that exists (a missing one gives false): atomic, in one round trip.
_INCR_EACH = """
local counted = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    counted[i] = redis.call('INCR', key)
  else
    counted[i] = false
  end
end
return counted
"""


class RedisCache(redis.RedisCache):
    def incr_each(self, keys: list[str]) -> dict[str, int]:
        made = [self.make_and_validate_key(key) for key in keys]
        client = self._cache.get_client(made[0], write=True)
        counted = client.eval(_INCR_EACH, len(made), *made)
        return {key: value for key, value in zip(keys, counted, strict=True) if value is not None}
