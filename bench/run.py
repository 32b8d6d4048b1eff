"""Measure Marginalia's reader and discussions at scale, beside the framework's floor.

    uv run python bench/run.py [--quick] [--database-url URL]

Builds a fresh database through the app's own code (PostgreSQL when a URL is given — that
database is dropped and re-created — else a temporary SQLite file), serves it with gunicorn
in production mode, loads each endpoint with wrk from a second process at the same
concurrency after a warm-up, profiles each endpoint in-process through Django's test client
(its queries and its ms in process, in SQL and in templates: bench/profile.py), measures
how a member's chapter page scales with the comments in it and with the members in the
circle, and how fast a large text imports, then prints Markdown tables and writes
bench/results/latest.json. chapter_member_bell is chapter_member for a member whose bell
shows unread items (chapter_member's own are read first).
Figures are ratios to the floor (a view that touches no database), measured in one run, so
they mean something on a noisy machine.

comment_post posts new threads as a member (with the CSRF token) on each passage of the busy
chapter in turn. The posting rate limits are raised for the run (COMMENTS_PER_MINUTE and
COMMENTS_PER_DAY = 1000000, for the server and for the counted queries), so that it measures
posting rather than refusals.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Server, wrk  # noqa: E402
from bench.probes import BODY_BYTES_ENV  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.json"


@dataclass(frozen=True)
class Profile:
    megabytes: float
    chapters: int
    members: int
    comments: int
    busy_threads: int
    warmup: int
    seconds: int
    scaling: tuple[int, ...]
    scaling_repeats: int
    member_scaling: tuple[int, ...]
    profile_repeats: int


FULL = Profile(
    3.2, 60, 200, 20_000, 1_000, 3, 10, (10, 100, 1_000, 10_000), 40, (10, 100, 1_000, 10_000), 15
)
QUICK = Profile(0.3, 12, 30, 600, 100, 1, 2, (10, 100), 3, (10, 100), 3)


def prepare_database(url: str | None) -> tuple[str, str]:
    """A fresh database: (DATABASE_URL, engine name)."""
    if not url:
        path = Path(tempfile.mkdtemp(prefix="marginalia-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}", "sqlite"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "marginalia_bench"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), "postgresql"


SECRET_KEY = secrets.token_urlsafe(50)


# The posting rate limits (per member, per minute and per day) would turn most of
# comment_post's requests into refusals: the benchmark measures posting, so they are raised
# for its server and for the queries counted here.
RATE_LIMITS = {"COMMENTS_PER_MINUTE": "1000000", "COMMENTS_PER_DAY": "1000000"}


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the benchmark's gunicorn: production mode on 127.0.0.1, the
    sessions made here accepted, the posting limits raised; `extra` on top."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        **RATE_LIMITS,
        **extra,
    }


def django_setup(database_url: str) -> None:
    os.environ.update(RATE_LIMITS)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY  # the server must accept the sessions made here
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def endpoints(data) -> dict[str, dict]:
    """name → {"path", "member": signed in?, "htmx": bool, "post": form body or None}."""
    from django.urls import reverse

    circle, reading, chapter = data.circle, data.reading, data.busy_chapter
    chapter_path = reverse(
        "discussions:circle-chapter", args=[circle.slug, reading.slug, chapter.number]
    )
    passage_path = reverse(
        "discussions:passage", args=[circle.slug, reading.slug, data.passage_key]
    )
    post_path = reverse(
        "discussions:comment-create", args=[circle.slug, reading.slug, data.passage_key]
    )
    text_search = reverse("discussions:reading-search", args=[circle.slug, reading.slug])
    discussion_search = reverse("discussions:circle-search", args=[circle.slug])
    return {
        "library": {"path": reverse("readings:library")},
        "reading": {"path": reading.get_absolute_url()},
        "chapter_anon": {"path": chapter_path},
        "chapter_member": {"path": chapter_path, "member": True},
        # The same page for a member whose bell shows unread items (`bench.data.ring_bell`;
        # chapter_member's own are read).
        "chapter_member_bell": {"path": chapter_path, "member": True, "as": "bell"},
        "thread_panel": {"path": passage_path, "member": True, "htmx": True},
        "comment_post": {
            "path": post_path,
            # New threads on each passage of the busy chapter in turn, as a circle writes:
            # all on one passage, its panel (sent back after each post) would grow by
            # hundreds of comments during the run and the figure would measure that.
            "post_paths": [
                reverse("discussions:comment-create", args=[circle.slug, reading.slug, key])
                for key in data.busy_passage_keys
            ],
            "member": True,
            "htmx": True,
            "post": "body=A+benchmark+comment+in+the+margin.&idempotency_key={key}",
        },
        "session": {"path": data.meeting.get_absolute_url()},
        # Search (the reader's box in the circle, and the circle's discussion): the bench's
        # text has a small vocabulary, so these words match thousands of passages and every
        # comment — the worst case for ranking.
        "search_one_word": {"path": f"{text_search}?q=kitchens", "member": True},
        "search_two_words": {"path": f"{text_search}?q=kitchens+edition", "member": True},
        "search_phrase": {"path": f"{text_search}?q=%22borrowed+rooms%22", "member": True},
        "search_discussion": {"path": f"{discussion_search}?q=thought+reply", "member": True},
        # A session page's live margin polling when nothing changed: answered 304 from its
        # ETag (the tag is fetched fresh before each run, see `poll_headers`).
        "live_poll_304": {
            "path": reverse("discussions:meeting-live", args=[circle.slug, data.meeting.pk]),
            "member": True,
            "htmx": True,
            "poll": True,
        },
        "calendar": {"path": reverse("circles:circle-calendar", args=[circle.slug])},
    }


# The server runs in production mode, whose cookies carry the __Host- prefix
# (config/settings.py); the sessions are made here, in development mode.
SESSION_COOKIE, CSRF_COOKIE = "__Host-sessionid", "__Host-csrftoken"


# The ceilings (bench/probes.py): what one query, a signed-in member and the chapter page's
# bytes cost before a page does anything: (path, spec as for `endpoints`, queries it makes).
PROBES = {
    "one query (SELECT 1)": ("/bench/one-query", {}, 1),
    "signed in (session and user)": ("/bench/signed-in", {"member": True}, 2),
    "chapter_anon's bytes, made": ("/bench/body", {}, 0),
}


def page_bytes(path: str) -> int:
    from django.test import Client

    return len(Client().get(path).content)


def member_cookies(user) -> dict[str, str]:
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {SESSION_COOKIE: session, CSRF_COOKIE: _get_new_csrf_string()}


def poll_headers(spec: dict, client) -> dict[str, str]:
    """For a poll: `If-None-Match` with the endpoint's ETag as it is now, fetched by `client`
    (signed in with the session the run sends: a tag is given to one login session), and
    nothing written between this and the run, so every request of the run is answered 304."""
    if not spec.get("poll"):
        return {}
    response = client.get(spec["path"], headers={"HX-Request": "true"})
    return {"If-None-Match": response["ETag"]}


def session_client(cookies: dict[str, str]):
    """A test client sending the login session of `cookies` (made by `member_cookies`)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookies[SESSION_COOKIE]
    return client


def request_headers(spec: dict, cookies: dict[str, str]) -> dict[str, str]:
    headers = dict(spec.get("extra_headers", {}))
    if spec.get("member"):
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if spec.get("htmx"):
        headers["HX-Request"] = "true"
    if spec.get("post") is not None:
        headers["X-CSRFToken"] = cookies[CSRF_COOKIE]
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


def profile_endpoint(spec: dict, user, repeats: int) -> dict:
    """One request of the endpoint, warm, through Django's test client: its queries and the
    medians of its ms in process, in SQL and in templates (bench/profile.py)."""
    from django.test import Client

    from bench.profile import profile

    client = Client()
    if spec.get("member"):
        client.force_login(user)
    headers = {"HX-Request": "true"} if spec.get("htmx") else {}
    headers |= poll_headers(spec, client)

    def send():
        if spec.get("post") is not None:
            body = spec["post"].replace("{key}", secrets.token_hex(16))
            response = client.post(
                spec["path"], body, content_type="application/x-www-form-urlencoded",
                headers=headers,
            )  # fmt: skip
        else:
            response = client.get(spec["path"], headers=headers)
        assert response.status_code < 400, f"{spec['path']} answered {response.status_code}"
        if spec.get("poll"):
            assert response.status_code == 304, f"{spec['path']} answered {response.status_code}"
        return response

    return profile(send, repeats).as_dict()


def scaling(data, profile: Profile) -> list[dict]:
    """Chapter page time and queries with N comments in the chapter, for a signed-in member
    (whose page is rendered for them each time, around the cached passages; an anonymous
    visitor's page is cached whole): the first view after a write (cold: the passages with
    their highlights and counts are rendered) and the median of the views after it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.data import make_scaling_circle

    rows = []
    for count in profile.scaling:
        circle = make_scaling_circle(data, count)
        path = reverse(
            "discussions:circle-chapter",
            args=[circle.slug, data.reading.slug, data.busy_chapter.number],
        )
        client = Client()
        client.force_login(circle.memberships.select_related("user").first().user)
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        cold_ms = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(profile.scaling_repeats):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        rows.append(
            {
                "comments": count,
                "median_ms": round(statistics.median(times), 2),
                "cold_ms": round(cold_ms, 2),
                "queries": len(captured.captured_queries),
            }
        )
    return rows


def member_scaling(data, profile: Profile) -> list[dict]:
    """A member's chapter page with N members in the circle (its schedule answered by all of
    them, 50 comments in the chapter): the first view and the medians of the views after."""
    from django.test import Client
    from django.urls import reverse

    from bench.data import make_member_scaling_circle, make_scaling_people
    from bench.profile import profile as measure

    people = make_scaling_people(max(profile.member_scaling))
    analyze()
    rows = []
    for count in profile.member_scaling:
        circle, member = make_member_scaling_circle(data, count, people)
        analyze()
        path = reverse(
            "discussions:circle-chapter",
            args=[circle.slug, data.reading.slug, data.busy_chapter.number],
        )
        client = Client()
        client.force_login(member)
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        cold_ms = (time.perf_counter() - started) * 1000
        measured = measure(partial(client.get, path), profile.scaling_repeats).as_dict()
        rows.append({"members": count, "cold_ms": round(cold_ms, 2), **measured})
    return rows


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum would on a live site: right after a
    bulk load PostgreSQL still believes the tables are empty and picks plans (a session page's
    thread list: 17 ms instead of 0.2 ms) that no running site would get."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, short runs (CI smoke)")
    parser.add_argument("--database-url", help="postgres://… (dropped and re-created)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--comments", type=int, help="comments to make (the search issue asks for 100000)"
    )
    parser.add_argument(
        "--reimport", action="store_true", help="only the re-import benchmark (bench/reimport.py)"
    )
    parser.add_argument(
        "--search", action="store_true", help="only the search benchmark (bench/search.py)"
    )
    args = parser.parse_args()
    if args.search:
        from bench.search import run as run_search

        run_search(args.database_url, quick=args.quick, comments=args.comments or 100_000)
        return
    if args.reimport:
        from bench.reimport import run as run_reimport

        run_reimport(args.database_url, quick=args.quick)
        return
    profile = QUICK if args.quick else FULL
    if args.comments:
        from dataclasses import replace

        profile = replace(profile, comments=args.comments)

    database_url, engine = prepare_database(args.database_url)
    django_setup(database_url)
    from django.core.management import call_command

    print(f"database: {engine}; building data …", flush=True)
    call_command("migrate", verbosity=0)
    from bench.data import build

    started = time.perf_counter()
    data = build(
        megabytes=profile.megabytes,
        chapters=profile.chapters,
        members=profile.members,
        comments=profile.comments,
        busy_threads=profile.busy_threads,
    )
    print(f"data built in {time.perf_counter() - started:.1f}s", flush=True)
    analyze()

    from bench.data import ring_bell

    bell_member, unread = ring_bell(data)
    users = {None: data.member, "bell": bell_member}
    specs = endpoints(data)
    profiles = {
        name: profile_endpoint(spec, users[spec.get("as")], profile.profile_repeats)
        for name, spec in specs.items()
    }
    scale_rows = scaling(data, profile)
    member_rows = member_scaling(data, profile)
    analyze()
    cookies = {who: member_cookies(user) for who, user in users.items()}

    workers = (os.cpu_count() or 1) + 1
    env = server_env(
        database_url,
        # The app's settings with the ceiling probes' URLs (bench/probes.py).
        DJANGO_SETTINGS_MODULE="bench.settings",
        **{BODY_BYTES_ENV: str(page_bytes(specs["chapter_anon"]["path"]))},
    )
    # Collect with the production storage (hashed names and a manifest), as a deploy would.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    static_path = "/static/css/site.css"
    results: dict = {}
    probes: dict = {}
    with Server(env, workers) as server:
        print(f"gunicorn: {workers} workers at {server.base_url}; wrk: "
              f"{args.connections} connections, {profile.seconds}s a run; posting rate "
              f"limits raised to {RATE_LIMITS['COMMENTS_PER_MINUTE']}", flush=True)  # fmt: skip

        def run(path: str, spec: dict | None = None):
            spec = spec or {}
            url = server.base_url + path
            options = {
                "connections": args.connections,
                "headers": request_headers(spec, cookies[spec.get("as")]),
                "post_body": spec.get("post"),
                "post_paths": spec.get("post_paths"),
            }
            wrk(url, seconds=profile.warmup, **options)
            return wrk(url, seconds=profile.seconds, **options)

        floor = run("/healthz")
        static_result = run(static_path)
        for name, (path, spec, _) in PROBES.items():
            probes[name] = run(path, spec)
        for name, spec in specs.items():
            spec["extra_headers"] = poll_headers(spec, session_client(cookies[spec.get("as")]))
            results[name] = run(spec["path"], spec)
            print(f"  {name}: {results[name].rps:.0f} req/s", flush=True)

    report = {
        "database": engine,
        "workers": workers,
        "concurrency": args.connections,
        "quick": args.quick,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "floor": floor.as_dict(),
        "static": static_result.as_dict(),
        "ceilings": {
            name: {
                **result.as_dict(),
                "queries": PROBES[name][2],
                "ratio_to_floor": round(result.rps / floor.rps, 3),
            }
            for name, result in probes.items()
        },
        "endpoints": {
            name: {
                **result.as_dict(),
                **profiles[name],
                "ratio_to_floor": round(result.rps / floor.rps, 3),
                "errors": result.errors,
            }
            for name, result in results.items()
        },
        "scaling": scale_rows,
        "search_index_bytes": search_index_bytes(),
        "member_scaling": member_rows,
        "bell_unread": unread,
        "import": {
            "bytes": data.import_bytes,
            "seconds": round(data.import_seconds, 3),
            "mb_per_s": round(data.import_bytes / 1_000_000 / data.import_seconds, 2),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown_table(report))
    from bench.imports import run as measure_imports  # import speed, hostile files

    measure_imports(quick=args.quick)
    errors = {name: e["errors"] for name, e in report["endpoints"].items() if e["errors"]}
    if errors:
        raise SystemExit(f"Some requests failed: {errors}")


def search_index_bytes() -> dict[str, int | None]:
    """The size on disk of the search indexes: PostgreSQL's GIN indexes and generated
    columns are measured as the indexes; SQLite's FTS5 tables with their shadow tables
    (None where SQLite was built without the `dbstat` table)."""
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sizes = {}
            for name in ("readings_passage_search", "discussions_comment_search"):
                cursor.execute("SELECT pg_relation_size(%s::regclass)", [name])
                sizes[name] = cursor.fetchone()[0]
            return sizes
        sizes = {}
        for name in ("readings_passage_fts", "discussions_comment_fts"):
            try:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [f"{name}%"])
                sizes[name] = cursor.fetchone()[0]
            except DatabaseError:
                sizes[name] = None
        return sizes


def markdown_table(report: dict) -> str:
    lines = [
        f"\nDatabase: {report['database']} · gunicorn workers: {report['workers']} · "
        f"concurrency: {report['concurrency']} · {report['machine']}",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | queries | ms in process | ms in SQL "
        "| ms in templates | ratio to floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    fixed = [("floor (/healthz)", report["floor"]), ("static file", report["static"])]
    fixed += [(f"ceiling: {name}", row) for name, row in report.get("ceilings", {}).items()]
    for name, row in fixed:
        ratio = row["rps"] / report["floor"]["rps"]
        lines.append(f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
                     f"| {row.get('queries', 0)} | | | | {ratio:.2f} |")  # fmt: skip
    for name, row in report["endpoints"].items():
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['queries']} | {row['in_process_ms']:.1f} | {row['sql_ms']:.1f} "
            f"| {row['template_ms']:.1f} | {row['ratio_to_floor']:.2f} |"
        )
    lines += ["", f"(ms in process, in SQL, in templates: medians of one request through "
              f"Django's test client, bench/profile.py; chapter_member_bell's bell shows "
              f"{report['bell_unread']} unread)"]  # fmt: skip
    lines += ["", "| comments in chapter | median ms (member) | first view ms | queries |",
              "|---:|---:|---:|---:|"]  # fmt: skip
    lines += [f"| {r['comments']:,} | {r['median_ms']:.1f} | {r['cold_ms']:.1f} | {r['queries']} |"
              for r in report["scaling"]]  # fmt: skip
    sizes = ", ".join(
        f"{name} {size / 1e6:.1f} MB" if size is not None else f"{name} (unknown)"
        for name, size in report.get("search_index_bytes", {}).items()
    )
    lines += ["", f"Search indexes: {sizes}"]
    lines += ["", "| members in circle | median ms (member) | first view ms | queries "
              "| ms in SQL | ms in templates |", "|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    lines += [f"| {r['members']:,} | {r['in_process_ms']:.1f} | {r['cold_ms']:.1f} "
              f"| {r['queries']} | {r['sql_ms']:.1f} | {r['template_ms']:.1f} |"
              for r in report["member_scaling"]]  # fmt: skip
    imp = report["import"]
    lines += ["", f"Import: {imp['bytes'] / 1e6:.2f} MB in {imp['seconds']:.2f}s "
              f"= {imp['mb_per_s']:.2f} MB/s"]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
