"""How the cost of one passage's discussion grows with it: posting, the thread panel and the
passage page with 10 → 10,000 comments on ONE passage.

    uv run python bench/growth.py [--quick] [--database-url postgres://…/marginalia_growth]

Builds a fresh database (PostgreSQL when a URL is given — that database is dropped and
re-created — else a temporary SQLite file) and, for each size, a circle of its own whose
first passage holds that many comments, written through the app's own `post_comment`
(threads of one to four comments). Each endpoint is then requested through Django's test
client as a member, warm: the median time of several requests, the queries of one, and the
bytes sent. The last rows are the largest size over the smallest and over 100 (a passage of
10 comments does not fill a page yet: pages grow until they are full, 20 threads of at most
11 comments, and stay that size): flat means ≤ 1.5×.
Writes bench/results/growth.json and prints a Markdown table. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import django_setup, prepare_database  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "growth.json"
FULL = (10, 100, 1_000, 10_000)
QUICK = (10, 100, 1_000)
REPEATS = 9


def discussion_of(size: int, reading, people: list):
    """A circle whose first passage of `reading` holds `size` comments; (circle, passage)."""
    from django.db import transaction

    from bench.data import make_comments
    from circles.models import Circle
    from readings.models import Passage

    circle = Circle.objects.create(name=f"Growth {size}", slug=f"growth-{size}")
    circle.readings.add(reading)
    for person in people:
        circle.add_member(person)
    passage = Passage.objects.filter(reading=reading).select_related("chapter").first()
    with transaction.atomic():
        make_comments(circle, {passage.chapter: [passage]}, people, size, random.Random(size))
    return circle, passage


def measure(client, send) -> tuple[float, int, int]:
    """(median ms, queries, bytes) of `send()`, warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = send()
    return round(statistics.median(times), 2), len(captured), len(response.content)


def row(size: int, reading, people: list) -> dict:
    from django.test import Client
    from django.urls import reverse

    circle, passage = discussion_of(size, reading, people)
    args = [circle.slug, reading.slug, passage.key]
    page = reverse("discussions:passage", args=args)
    create = reverse("discussions:comment-create", args=args)
    client = Client()
    client.force_login(people[0])
    htmx = {"HX-Request": "true"}

    def post(**headers):
        body = {"body": "One more thought.", "idempotency_key": secrets.token_hex(16)}
        return client.post(create, body, headers=headers)

    result = {"comments": size}
    for name, send in {
        "passage page": lambda: client.get(page),
        "thread panel": lambda: client.get(page, headers=htmx),
        "post (redirect)": lambda: post(),
        "post (htmx panel)": lambda: post(**htmx),
    }.items():
        ms, queries, size_bytes = measure(client, send)
        result[name] = {"ms": ms, "queries": queries, "bytes": size_bytes}
    return result


def markdown(rows: list[dict]) -> str:
    names = [key for key in rows[0] if key != "comments"]
    lines = [
        "| comments | " + " | ".join(f"{name} ms / queries / KB" for name in names) + " |",
        "|---:|" + "---:|" * len(names),
    ]
    for result in rows:
        cells = [
            f"{result[n]['ms']} / {result[n]['queries']} / {result[n]['bytes'] / 1024:.0f}"
            for n in names
        ]
        lines.append(f"| {result['comments']:,} | " + " | ".join(cells) + " |")
    last = rows[-1]
    for first in [rows[0], *(r for r in rows[1:-1] if r["comments"] == 100)]:

        def ratio(name: str, measure: str, first: dict = first) -> str:
            before = first[name][measure]
            return f"{last[name][measure] / before:.2f}×" if before else "–"

        ratios = [" / ".join(ratio(n, m) for m in ("ms", "queries", "bytes")) for n in names]
        label = f"{last['comments']:,} ÷ {first['comments']:,}"
        lines.append(f"| {label} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 → 1,000 comments")
    parser.add_argument("--database-url", help="postgres://… (dropped and re-created)")
    args = parser.parse_args()
    database_url, engine = prepare_database(args.database_url)
    django_setup(database_url)
    from django.core.management import call_command

    from bench.data import generate_text, import_reading, make_members

    call_command("migrate", verbosity=0)
    reading, _, _ = import_reading(generate_text(60_000, 3))
    people = make_members(20)
    rows = []
    for size in QUICK if args.quick else FULL:
        started = time.perf_counter()
        rows.append(row(size, reading, people))
        print(f"{size:,} comments measured in {time.perf_counter() - started:.0f} s", flush=True)
    table = markdown(rows)
    print(f"\nOne passage's discussion growing ({engine}):\n\n{table}")
    RESULTS.write_text(json.dumps({"engine": engine, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
