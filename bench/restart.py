"""Posting while PostgreSQL restarts: how many answers are 500, and whether any write is lost.

    uv run python bench/restart.py --database-url postgres://…/marginalia_restart --restart-db
        [--posts 1200] [--at 1.5] [--restart-command "sudo systemctl restart postgresql"]

Builds a small fresh database (the one in the URL is dropped and re-created), serves it with
gunicorn in production mode (its pooled connections as in production) and posts new threads
from several members at once. With --restart-db, after --at seconds the database "restarts":
by default every connection to the benchmark's own database is ended
(`pg_terminate_backend`, which is what a restart does to the app's connections, and safe on a
shared server); with --restart-command that command runs instead (a real restart: never on a
server others use). Without --restart-db it is the same run undisturbed, for comparison.

Prints the answers by status, the 500s before and after the restart completed, and the lost
writes: posts answered as saved whose comment is not in the database (and posts answered 500
whose comment was saved anyway). Not run in CI, which shares its PostgreSQL server.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Server  # noqa: E402
from bench.run import (  # noqa: E402
    django_setup,
    member_cookies,
    prepare_database,
    server_env,
)

MEMBERS = 8


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def post(url: str, cookies: dict[str, str], key: str) -> tuple[int, float]:
    """POST one new thread (no JavaScript: answered by a redirect); (status, when)."""
    from bench.run import CSRF_COOKIE

    body = urllib.parse.urlencode({"body": f"Restart post {key}.", "idempotency_key": key})
    request = urllib.request.Request(url, data=body.encode(), method="POST")
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    request.add_header("X-CSRFToken", cookies[CSRF_COOKIE])
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with OPENER.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # no answer at all
    return status, time.monotonic()


def terminate_connections(database_url: str) -> int:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()
    return row[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://… (re-created)")
    parser.add_argument("--posts", type=int, default=1200)
    parser.add_argument("--at", type=float, default=1.5, help="seconds into the run")
    parser.add_argument("--restart-db", action="store_true")
    parser.add_argument("--restart-command", help="a real restart (never on a shared server)")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    database_url, engine = prepare_database(args.database_url)
    if engine != "postgresql":
        sys.exit("bench/restart.py needs --database-url postgres://…")
    django_setup(database_url)
    from django.core.management import call_command
    from django.urls import reverse

    from bench.data import generate_text, import_reading, make_circle, make_members
    from discussions.models import Comment
    from readings.models import Passage

    call_command("migrate", verbosity=0)
    reading, _, _ = import_reading(generate_text(60_000, 3))
    people = make_members(MEMBERS)
    circle = make_circle(people[0], people, [reading])
    passages = list(Passage.objects.filter(reading=reading).order_by("pk")[:20])
    cookies = [member_cookies(person) for person in people]
    env = server_env(database_url, DJANGO_LOG_LEVEL="ERROR")
    restarted_at: list[float] = []
    from django.db import connections

    connections.close_all()  # back to the pool: this process reads the saved posts afterwards

    def restart(start: float) -> None:
        time.sleep(max(0.0, start + args.at - time.monotonic()))
        if args.restart_command:
            subprocess.run(args.restart_command, shell=True, check=True)
        else:
            ended = terminate_connections(database_url)
            print(f"ended {ended} connections to {urllib.parse.urlsplit(database_url).path}")
        restarted_at.append(time.monotonic())

    with Server(env, args.workers) as server:
        urls = [
            server.base_url
            + reverse("discussions:comment-create", args=[circle.slug, reading.slug, p.key])
            for p in passages
        ]
        keys = [str(uuid.uuid4()) for _ in range(args.posts)]
        start = time.monotonic()
        restarter = None
        if args.restart_db:
            restarter = threading.Thread(target=restart, args=(start,))
            restarter.start()
        with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
            answers = list(
                pool.map(
                    lambda n: post(urls[n % len(urls)], cookies[n % MEMBERS], keys[n]),
                    range(args.posts),
                )
            )
        if restarter is not None:
            restarter.join()
    seconds = time.monotonic() - start

    saved = {str(key) for key in Comment.objects.values_list("idempotency_key", flat=True)}
    statuses = Counter(status for status, _ in answers)
    done = restarted_at[0] if restarted_at else None
    errors = [(keys[n], when) for n, (status, when) in enumerate(answers) if status >= 500]
    lost = [
        keys[n] for n, (status, _) in enumerate(answers) if status == 302 and keys[n] not in saved
    ]
    saved_anyway = [key for key, _ in errors if key in saved]
    after = [key for key, when in errors if done is not None and when > done + 1.0]
    restarted = f"; database restarted at {args.at:.1f} s" if done else ""
    print(
        f"\n{args.posts} posts in {seconds:.1f} s ({engine}, {args.workers} gunicorn workers, "
        f"{MEMBERS} at once){restarted}"
    )
    print(
        "answers: "
        + ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(statuses.items()))
    )
    print(f"500s: {len(errors)} ({len(after)} more than a second after the restart completed)")
    print(f"lost writes (answered saved, not in the database): {len(lost)}")
    print(f"answered 500 but saved: {len(saved_anyway)}")


if __name__ == "__main__":
    main()
