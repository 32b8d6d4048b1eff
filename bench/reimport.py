"""Measure replacing the text of a ~1 MB book that carries 1,000 threads.

    uv run python bench/reimport.py [--quick] [--database-url URL] [--threads N]
    uv run python bench/run.py --reimport [--quick] [--database-url URL]

Builds a fresh database (PostgreSQL when a URL is given — that database is dropped and
re-created — else a temporary SQLite file), imports the book (Pride and Prejudice and The
Conquest of Bread from ../shared/texts/ as one reading, about 1.1 MB of text; where those are
missing, the demo essays repeated to the same size), and a new edition of it made by the
re-anchoring corpus's seeded edits (tests/discussions/reanchoring_corpus.py: typo fixes,
moved, deleted and reworded sentences, split and merged paragraphs, front matter, restyled
quotation marks...). Then it times, each a few times on fresh copies of the reading:

- the re-import of the new edition into a copy carrying no threads;
- the same re-import into a copy carrying N threads (1,000 by default) in one circle;
- the preview of it (the same re-import, rolled back) with the threads.

It prints a Markdown table (medians) with the time per thread — (with threads − without) / N
— and the queries each run made, and writes bench/results/reimport-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import django_setup, prepare_database  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BOOKS = ["pg1342_pride_and_prejudice.txt", "kropotkin_conquest_of_bread.md"]
DEMO = ["000_a9b1cfdacfef8aef.txt", "003_822ff67cca5cf967.txt"]
TARGET_CHARACTERS = 1_100_000


def old_edition(quick: bool) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The book as chapters of (kind, text): the real books when they are here."""
    from readings.uploads import parse_upload

    texts = ROOT.parent / "shared" / "texts"
    target = TARGET_CHARACTERS // (10 if quick else 1)
    chapters: list[tuple[str, list[tuple[str, str]]]] = []
    if all((texts / name).exists() for name in BOOKS):
        source = "Pride and Prejudice + The Conquest of Bread"
        for name in BOOKS:
            parsed = parse_upload((texts / name).read_bytes(), name)
            chapters += [(c.title, [(p.kind, p.text) for p in c.passages]) for c in parsed.chapters]
    else:
        source = "the demo essays, repeated"
        demo = ROOT / "readings" / "demo_data"
        parts = [parse_upload((demo / name).read_bytes(), name) for name in DEMO]
        copy = 0
        while sum(len(t) for _, ps in chapters for _, t in ps) < target:
            copy += 1
            for parsed in parts:
                for c in parsed.chapters:
                    passages = [(p.kind, f"{p.text} ({copy})") for p in c.passages]
                    chapters.append((f"{c.title} ({copy})", passages))
    size = 0
    for index, (_, passages) in enumerate(chapters):
        size += sum(len(text) for _, text in passages)
        if size >= target:
            chapters = chapters[: index + 1]
            break
    return source, chapters


def parsed_reading(chapters, title: str):
    from django.utils.html import escape

    from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading

    return ParsedReading(
        title=title,
        chapters=[
            ParsedChapter(t, [ParsedPassage(kind, text, str(escape(text))) for kind, text in ps])
            for t, ps in chapters
        ],
        format="text",
    )


def carry_threads(reading, case, threads: int) -> None:
    """One circle, one member, `threads` thread roots where the corpus placed them."""
    from discussions.models import Comment
    from discussions.selectors import make_selector
    from readings.models import Passage
    from tests.factories import make_circle, make_user

    user = make_user()
    circle = make_circle(user, name=f"Bench {reading.pk}", readings=[reading])
    passages = list(Passage.objects.in_reading(reading).select_related("chapter"))
    comments = []
    for thread in case.threads[:threads]:
        passage = passages[thread.passage]
        selector = make_selector(passage.text, thread.start, thread.end)
        comments.append(
            Comment(
                circle=circle,
                author=user,
                reading=reading,
                chapter=passage.chapter,
                passage=passage,
                passage_key=passage.key,
                body="Bench.",
                body_html="<p>Bench.</p>",
                anchor_start=selector.start,
                anchor_end=selector.end,
                anchor_exact=selector.exact,
                anchor_original_exact=selector.exact,
                anchor_prefix=selector.prefix,
                anchor_suffix=selector.suffix,
            )
        )
    Comment.objects.bulk_create(comments, batch_size=500)


def timed(work) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def run(database_url: str | None, *, quick: bool = False, threads: int = 1000) -> dict:
    database_url, engine = prepare_database(database_url)
    django_setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from readings.replacement import preview_replacement
    from readings.services import reimport_reading, save_parsed_reading
    from tests.discussions.reanchoring_corpus import make_case_from

    repeats = 1 if quick else 3
    threads = min(threads, 100) if quick else threads
    source, chapters = old_edition(quick)
    case = make_case_from("bench", chapters, seed=1, threads=threads * 2)
    old, new = parsed_reading(case.old, "Bench"), parsed_reading(case.new, "Bench")
    characters = sum(len(text) for text in case.old_texts)
    print(
        f"database: {engine}; {source}: {characters:,} characters, "
        f"{len(case.old_texts):,} passages, {threads:,} threads",
        flush=True,
    )
    rows: dict[str, list[tuple[float, int]]] = {"without": [], "with": [], "preview": []}
    outcome: dict = {}
    for _ in range(repeats):
        plain = save_parsed_reading(old)
        seconds, queries, _ = timed(lambda plain=plain: reimport_reading(plain, new))
        rows["without"].append((seconds, queries))
        busy = save_parsed_reading(old)
        carry_threads(busy, case, threads)
        seconds, queries, report = timed(lambda busy=busy: preview_replacement(busy, new))
        rows["preview"].append((seconds, queries))
        outcome = {k: report.threads[k] for k in ("stays", "moves", "drifted", "orphaned")}
        seconds, queries, _ = timed(lambda busy=busy: reimport_reading(busy, new))
        rows["with"].append((seconds, queries))
    median = {name: statistics.median(s for s, _ in runs) for name, runs in rows.items()}
    result = {
        "database": engine,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "source": source,
        "characters": characters,
        "passages": len(case.old_texts),
        "threads": threads,
        "repeats": repeats,
        "seconds": median,
        "queries": {name: runs[-1][1] for name, runs in rows.items()},
        "ms_per_thread": (median["with"] - median["without"]) * 1000 / max(1, threads),
        "fates": outcome,
    }
    print(markdown(result))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"reimport-{engine}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def markdown(result: dict) -> str:
    seconds, queries = result["seconds"], result["queries"]
    lines = [
        f"Re-import of {result['characters']:,} characters ({result['passages']:,} passages) "
        f"on {result['database']}, median of {result['repeats']}:",
        "",
        "| run | seconds | queries |",
        "|---|---:|---:|",
        f"| re-import, no threads | {seconds['without']:.2f} | {queries['without']} |",
        f"| re-import, {result['threads']:,} threads | {seconds['with']:.2f} | {queries['with']} |",
        f"| preview (rolled back), {result['threads']:,} threads | {seconds['preview']:.2f} | "
        f"{queries['preview']} |",
        "",
        f"Time per thread: {result['ms_per_thread']:.2f} ms. Fates: "
        + ", ".join(f"{n} {fate}" for fate, n in result["fates"].items()),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the book, one run")
    parser.add_argument("--database-url", help="postgres://… (dropped and re-created)")
    parser.add_argument("--threads", type=int, default=1000)
    args = parser.parse_args()
    run(args.database_url, quick=args.quick, threads=args.threads)


if __name__ == "__main__":
    main()
