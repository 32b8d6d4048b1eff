"""Measure full-text search at the issue's scale: a 3.2 MB reading and 100,000 comments.

    uv run python bench/search.py [--quick] [--database-url URL] [--comments N]
    uv run python bench/run.py --search [--quick] [--database-url URL]

Builds a fresh database (PostgreSQL when a URL is given — that database is dropped and
re-created — else a temporary SQLite file): the bench's generated reading imported through
the app, a circle of 200 members, and N comments (100,000 by default) written with
`bulk_create` (the database's triggers and generated columns index them as any write does),
threads of a root on a phrase and a few replies, their words drawn from the bench's
vocabulary and a few rarer words. Then it times, in-process and many times each, the search
of one word, two words and a phrase: the SQL alone (`passage_hits`, `comment_search`) and the
whole page through Django's test client in production mode (the page as the member sees it,
within their horizon), beside the floor (`/healthz` the same way); prints
p50 and p99, the indexes' size, and writes bench/results/search-<database>.json.

The bench's text has a vocabulary of sixty words, so a common word matches most passages and
comments: the worst case for ranking. The rare words ("lighthouse", "albatross") are what
people mostly search for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import django_setup, prepare_database, search_index_bytes  # noqa: E402

RARE = ["lighthouse", "albatross", "orchard", "marmalade", "pelican", "heron", "compass"]
QUERIES = {
    "one word (common)": "kitchens",
    "one word (rare)": "albatross",
    "two words": "kitchens edition",
    "phrase": '"borrowed rooms"',
}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def timed(fn, repeats: int) -> dict:
    fn()  # warm
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(percentile(times, 99), 2),
    }


def make_comments(circle, reading, members: list, count: int, rng: random.Random) -> None:
    from bench.data import WORDS
    from discussions.models import Comment
    from readings.models import Passage

    passages = list(Passage.objects.filter(reading=reading).only("id", "chapter_id", "key", "text"))
    batch: list = []
    made = 0
    while made < count:
        roots = []
        for _ in range(min(2000, count - made)):
            passage = rng.choice(passages)
            start = rng.randrange(0, max(1, len(passage.text) - 30))
            end = min(len(passage.text), start + rng.randint(10, 30))
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 30))]
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), rng.choice(RARE))
            body = " ".join(words).capitalize() + "."
            roots.append(
                Comment(
                    circle=circle,
                    author=rng.choice(members),
                    reading=reading,
                    chapter_id=passage.chapter_id,
                    passage_id=passage.pk,
                    passage_key=passage.key,
                    body=body,
                    body_html=f"<p>{body}</p>",
                    anchor_start=start,
                    anchor_end=end,
                    anchor_exact=passage.text[start:end],
                )  # fmt: skip
            )
        roots = Comment.objects.bulk_create(roots)
        made += len(roots)
        batch = []
        for root in roots:
            for _ in range(min(rng.choice([0, 0, 1, 2, 3]), count - made - len(batch))):
                words = [rng.choice(WORDS) for _ in range(rng.randint(4, 20))]
                body = " ".join(words).capitalize() + "."
                batch.append(
                    Comment(
                        circle=circle,
                        author=rng.choice(members),
                        reading=reading,
                        chapter_id=root.chapter_id,
                        passage_id=root.passage_id,
                        passage_key=root.passage_key,
                        parent=root,
                        root=root,
                        body=body,
                        body_html=f"<p>{body}</p>",
                    )  # fmt: skip
                )
        Comment.objects.bulk_create(batch)
        made += len(batch)


def run(database_url: str | None, *, quick: bool, comments: int) -> dict:
    url, engine = prepare_database(database_url)
    # Pages as production serves them (cached templates, hashed static files), in-process.
    os.environ.update(DJANGO_DEBUG="0", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_LOG_LEVEL="WARNING")
    django_setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.test import Client
    from django.urls import reverse

    from bench.data import generate_text, import_reading, make_circle, make_members
    from discussions.horizon import Horizon
    from discussions.search import comment_search
    from readings.search import passage_hits

    megabytes = 0.3 if quick else 3.2
    comments = min(comments, 5_000) if quick else comments
    repeats = 10 if quick else 50
    text = generate_text(int(megabytes * 1_000_000), 12 if quick else 60)
    reading, size, import_seconds = import_reading(text)
    print(f"{engine}: imported {size / 1e6:.1f} MB in {import_seconds:.2f}s", flush=True)
    people = make_members(200 if not quick else 30)
    circle = make_circle(people[0], people, [reading])
    started = time.perf_counter()
    make_comments(circle, reading, people, comments, random.Random(11))
    print(f"{comments:,} comments in {time.perf_counter() - started:.1f}s", flush=True)
    if engine == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    member = people[1]
    client = Client()
    client.force_login(member)
    unfolded = Horizon.unfolded(circle.pk)
    reading_search = reverse("discussions:reading-search", args=[circle.slug, reading.slug])
    discussion_search = reverse("discussions:circle-search", args=[circle.slug])

    def page(path: str, query: str | None = None) -> None:
        response = client.get(path, {"q": query} if query else {}, secure=True)
        assert response.status_code == 200, (path, response.status_code)

    rows: dict = {"floor (/healthz)": {"page": timed(lambda: page("/healthz"), repeats)}}
    for name, query in QUERIES.items():
        rows[f"text: {name}"] = {
            "sql": timed(lambda q=query: passage_hits(q, [reading], limit=30), repeats),
            "page": timed(lambda q=query: page(reading_search, q), repeats),
        }
        rows[f"discussion: {name}"] = {
            "sql": timed(lambda q=query: comment_search(member, circle, q, unfolded), repeats),
            "page": timed(lambda q=query: page(discussion_search, q), repeats),
        }
    floor = rows["floor (/healthz)"]["page"]["p50_ms"]
    report = {
        "database": engine,
        "quick": quick,
        "machine": f"{platform.machine()}, {platform.system()}",
        "reading_bytes": size,
        "comments": comments,
        "import_seconds": round(import_seconds, 3),
        "rows": rows,
        "floor_p50_ms": floor,
        "search_index_bytes": search_index_bytes(),
    }
    out = ROOT / "bench" / "results" / f"search-{engine}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(report))
    return report


def markdown(report: dict) -> str:
    lines = [
        f"\n{report['database']}: {report['reading_bytes'] / 1e6:.1f} MB reading, "
        f"{report['comments']:,} comments",
        "",
        "| search | SQL p50 ms | SQL p99 ms | page p50 ms | page p99 ms | floor / page |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in report["rows"].items():
        sql = row.get("sql", {})
        page = row["page"]
        ratio = report["floor_p50_ms"] / page["p50_ms"]
        lines.append(
            f"| {name} | {sql.get('p50_ms', '')} | {sql.get('p99_ms', '')} | "
            f"{page['p50_ms']} | {page['p99_ms']} | {ratio:.2f} |"
        )
    sizes = ", ".join(
        f"{name} {size / 1e6:.1f} MB" if size is not None else f"{name} (unknown)"
        for name, size in report["search_index_bytes"].items()
    )
    lines += ["", f"Search indexes: {sizes}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    run(args.database_url, quick=args.quick, comments=args.comments)


if __name__ == "__main__":
    main()
