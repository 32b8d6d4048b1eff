"""Where one request's time goes, measured in-process through Django's test client.

For each request: the queries made, the wall time of the whole request through the test
client (middleware, view, templates, SQL), the time spent in SQL (every statement timed
around its execution with `connection.execute_wrapper`) and the time spent in templates
(every outermost `Template.render` of the Django backend timed — an `{% include %}` or a
`render_to_string` inside a template counts once, in its outer render — less the SQL run
from inside the templates, which is counted as SQL). Figures are medians of a few requests
after a warm-up one, so each column is a typical request, not a sum.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _Clock:
    queries: int = 0
    sql: float = 0.0
    template: float = 0.0
    sql_in_template: float = 0.0
    depth: int = 0
    starts: list[float] = field(default_factory=list)


_current: _Clock | None = None


def _timed_sql(execute, sql, params, many, context):
    clock = _current
    if clock is None:
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent = time.perf_counter() - started
        clock.queries += 1
        clock.sql += spent
        if clock.depth:
            clock.sql_in_template += spent


@contextmanager
def _template_timer():
    from django.template.backends.django import Template

    original = Template.render

    def render(self, *args, **kwargs):
        clock = _current
        if clock is None:
            return original(self, *args, **kwargs)
        clock.depth += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            clock.depth -= 1
            if not clock.depth:
                clock.template += time.perf_counter() - started

    Template.render = render
    try:
        yield
    finally:
        Template.render = original


@dataclass(frozen=True)
class Profile:
    queries: int
    total_ms: float
    sql_ms: float
    template_ms: float

    def as_dict(self) -> dict:
        return {
            "queries": self.queries,
            "in_process_ms": round(self.total_ms, 2),
            "sql_ms": round(self.sql_ms, 2),
            "template_ms": round(self.template_ms, 2),
        }


def profile(send: Callable[[], object], repeats: int) -> Profile:
    """Run `send` once to warm up, then `repeats` times measured: the medians."""
    global _current
    from django.db import connection

    send()
    clocks, totals = [], []
    with _template_timer(), connection.execute_wrapper(_timed_sql):
        for _ in range(repeats):
            _current = clock = _Clock()
            started = time.perf_counter()
            try:
                send()
            finally:
                _current = None
            totals.append(time.perf_counter() - started)
            clocks.append(clock)
    return Profile(
        queries=int(statistics.median(c.queries for c in clocks)),
        total_ms=statistics.median(totals) * 1000,
        sql_ms=statistics.median(c.sql for c in clocks) * 1000,
        template_ms=statistics.median(c.template - c.sql_in_template for c in clocks) * 1000,
    )
