"""How fast each importer reads, and what hostile files cost.

    uv run python bench/imports.py [--quick]

Speed: each format parsed from bytes to a `ParsedReading` (no database), the best of a few
runs, as MB/s and passages/s — wall time, and CPU time, which other processes on a shared
machine disturb less. Inputs are generated (the same book in every text format, a few MB)
and, where ../shared/texts/ is present, the real books there. PDFs are measured in pages/s
(their bytes are mostly fonts and pictures), on the 228-page Whitehead PDF and on a
generated one, with the share of the (CPU) time pypdf's text extraction takes.

Hostile files: each is built here, written to a file, and parsed in a fresh Python process
that reports its peak resident memory (`resource.getrusage`) before and after parsing, the
time, and the message it was refused with — one row per file.

Targets (issue #13, #15): text formats at 1 MB/s or more; PDFs at 20 pages/s or more; every
hostile file refused, naming its bound, in bounded time and memory. Results go to
bench/results/imports.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "texts"
RESULTS = ROOT / "bench" / "results" / "imports.json"
MiB = 1024 * 1024


# --- Inputs ------------------------------------------------------------------------------------


def _book(megabytes: float) -> tuple[str, list[tuple[str, list[str]]]]:
    """A generated book: its plain text and its chapters' paragraphs."""
    from bench.data import generate_text

    text = generate_text(int(megabytes * 1_000_000), chapters=40)
    chapters: list[tuple[str, list[str]]] = []
    for block in text.split("\n\n"):
        block = block.strip()
        if block.startswith("CHAPTER"):
            chapters.append((block.title(), []))
        elif block and chapters:
            chapters[-1][1].append(block)
    return text, chapters


def generated_inputs(megabytes: float) -> list[tuple[str, str, bytes]]:
    """(format, label, bytes) of one generated book in every text format."""
    from tests.readings.importers.support import make_epub

    text, chapters = _book(megabytes)
    markdown = "# A Benchmark of Many Chapters\n\n" + "".join(
        f"## {title}\n\n" + "".join(f"{p}\n\n" for p in paragraphs)
        for title, paragraphs in chapters
    )
    body = "".join(
        f"<h2>{title}</h2>" + "".join(f"<p>{p}</p>\n" for p in paragraphs)
        for title, paragraphs in chapters
    )
    html = f"<!DOCTYPE html><html><head><title>Bench</title></head><body>{body}</body></html>"
    epub = make_epub(
        [
            (f"c{n}.xhtml", f"<body><h2>{title}</h2>{''.join(f'<p>{p}</p>' for p in ps)}</body>")
            for n, (title, ps) in enumerate(chapters)
        ]
    )
    return [
        ("text", "generated", text.encode()),
        ("markdown", "generated", markdown.encode()),
        ("html", "generated", html.encode()),
        ("epub", "generated", epub),
    ]


REAL = [
    ("text", "pg1342_pride_and_prejudice.txt"),
    ("markdown", "kropotkin_conquest_of_bread.md"),
    ("html", "pg19942-candide-h.htm"),
    ("epub", "se_communist_manifesto.epub"),
    ("article", "web-hacks-mozilla-this-api-is-so-fetching.html"),
]
WHITEHEAD = "pg41568-whitehead-intro-to-mathematics.pdf"


# --- Speed -------------------------------------------------------------------------------------


def _timed(work: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """(best wall seconds, best CPU seconds, result) over `repeats` runs after a warm one."""
    result = work()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def speed_rows(quick: bool) -> list[dict]:
    from readings.importers import parse_reading

    repeats = 1 if quick else 3
    inputs = generated_inputs(0.5 if quick else 3.0)
    if SHARED.is_dir():
        inputs += [(fmt, name, (SHARED / name).read_bytes()) for fmt, name in REAL]
    rows = []
    for fmt, label, data in inputs:
        name = label if label != "generated" else f"generated.{fmt}"
        wall, cpu, reading = _timed(lambda d=data, n=name: parse_reading(d, n), repeats)
        passages = sum(len(c.passages) for c in reading.chapters)
        rows.append(
            {
                "format": reading.format,
                "input": label,
                "megabytes": round(len(data) / 1e6, 3),
                "chapters": len(reading.chapters),
                "passages": passages,
                "seconds": round(wall, 3),
                "mb_per_s": round(len(data) / 1e6 / wall, 2),
                "mb_per_cpu_s": round(len(data) / 1e6 / cpu, 2),
                "passages_per_s": round(passages / wall),
            }
        )
    return rows


def pdf_rows(quick: bool) -> list[dict]:
    """Pages/s, and the share of it that pypdf's text extraction takes."""
    from pypdf import PdfReader

    from readings.importers import parse_reading
    from readings.importers.pdflines import page_lines
    from tests.readings.importers.pdfwriter import CHAPTERS, book_pdf

    inputs = [("generated (80 chapters)", book_pdf(chapters=CHAPTERS * 40))]
    if SHARED.is_dir():
        inputs.append((WHITEHEAD, (SHARED / WHITEHEAD).read_bytes()))
    rows = []
    for label, data in inputs:
        repeats = 1 if quick else 3
        wall, cpu, reading = _timed(lambda d=data: parse_reading(d, "bench.pdf"), repeats)

        def extract(d: bytes = data) -> int:
            reader = PdfReader(io.BytesIO(d))
            return sum(len(page_lines(page, i)) for i, page in enumerate(reader.pages))

        _, extraction_cpu, _ = _timed(extract, repeats)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        passages = sum(len(c.passages) for c in reading.chapters)
        rows.append(
            {
                "input": label,
                "pages": pages,
                "chapters": len(reading.chapters),
                "passages": passages,
                "seconds": round(wall, 3),
                "pages_per_s": round(pages / wall, 1),
                "pages_per_cpu_s": round(pages / cpu, 1),
                "megabytes": round(len(data) / 1e6, 3),
                "mb_per_s": round(len(data) / 1e6 / wall, 2),
                "passages_per_s": round(passages / wall),
                "extraction_share": round(min(1.0, extraction_cpu / cpu), 2),
            }
        )
    return rows


# --- Hostile files -----------------------------------------------------------------------------


def _hostile_files() -> dict[str, Callable[[], tuple[str, bytes]]]:
    """name → a function building (file name, bytes)."""
    from tests.readings.importers import bombs
    from tests.readings.importers.pdfwriter import Page, build_pdf

    def pages(count: int) -> bytes:
        many = [Page() for _ in range(count)]
        for page in many:
            page.text(72, 700, 11, "A line of text on every page.")
        return build_pdf(many)

    return {
        "EPUB, mimetype inflating to 2 GiB": lambda: (
            "bomb.epub",
            bombs.epub(
                [bombs.chapter("a.xhtml", b"<p>Text.</p>", 1)],
                mimetype=bombs.deflated("mimetype", [(bytes(16 * MiB), 128)], crc=False),
            ),
        ),
        "EPUB, 40 members of 45 MB": lambda: (
            "many.epub",
            bombs.epub(
                [
                    bombs.chapter(f"c{n}.xhtml", b"<p>a</p>", 45 * MiB // 8, crc=False)
                    for n in range(40)
                ]
            ),
        ),
        "EPUB, a member whose header says 1 kB and holds 64 MB": lambda: (
            "liar.epub",
            bombs.epub([_liar(bombs)]),
        ),
        "EPUB, 15 MB of tiny paragraphs (2 million elements)": lambda: (
            "chatty.epub",
            bombs.epub([bombs.chapter("a.xhtml", b"<p>a</p>", 15 * MiB // 8)]),
        ),
        "EPUB, 6,000 members": lambda: (
            "crowded.epub",
            bombs.write_zip(
                [bombs.stored("mimetype", b"application/epub+zip")]
                + [bombs.stored(f"OEBPS/i{n}.png", b"x") for n in range(6000)]
            ),
        ),
        "Text, a million paragraphs (3 MB)": lambda: ("many.txt", b"Title\n\n" + b"a\n\n" * 10**6),
        "Markdown, a million paragraphs (3 MB)": lambda: (
            "many.md",
            b"# Title\n\n" + b"a\n\n" * 10**6,
        ),
        "HTML, 19 MB of empty elements": lambda: (
            "many.html",
            b"<html><body>" + b"<i>a</i>" * (19 * MiB // 8) + b"</body></html>",
        ),
        "HTML, 100,000 nested elements": lambda: (
            "deep.html",
            b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000,
        ),
        "Text, one 19 MB line": lambda: ("long.txt", b"Title\n\n" + b"word " * (19 * MiB // 5)),
        "PDF, a stream inflating to 1 GiB": lambda: ("bomb.pdf", bombs.pdf_stream_bomb(1024)),
        "PDF, 3,000 pages": lambda: ("long.pdf", pages(3000)),
    }


def _liar(bombs) -> object:
    member = bombs.chapter("liar.xhtml", b"<p>a</p>", 64 * MiB // 8, crc=False)
    member.declared_size = 1000
    return member


def _measure_child(path: str, name: str) -> None:
    """In the child process: parse `path`, print what it cost as JSON."""
    from readings.importers import ReadingImportError, parse_reading

    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        reading = parse_reading(data, name)
        outcome = f"read: {sum(len(c.passages) for c in reading.chapters)} passages"
    except ReadingImportError as error:
        outcome = str(error)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cost = {"seconds": seconds, "before_kb": before, "peak_kb": after, "outcome": outcome}
    print(json.dumps(cost))


def hostile_rows(quick: bool) -> list[dict]:
    rows = []
    files = _hostile_files()
    if quick:
        files = dict(list(files.items())[:4])
    with tempfile.TemporaryDirectory(prefix="marginalia-hostile-") as folder:
        for label, build in files.items():
            name, data = build()
            path = Path(folder) / name
            path.write_bytes(data)
            del data
            child = subprocess.run(
                [sys.executable, __file__, "--measure", str(path), name],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                check=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            rows.append(
                {
                    "file": label,
                    "size_mb": round(path.stat().st_size / 1e6, 2),
                    "seconds": round(result["seconds"], 2),
                    "peak_rss_mb": round(result["peak_kb"] / 1024),
                    "added_mb": round((result["peak_kb"] - result["before_kb"]) / 1024),
                    "outcome": result["outcome"],
                }
            )
            row = rows[-1]
            print(f"  {label}: {row['seconds']}s, peak {row['peak_rss_mb']} MB", flush=True)
    return rows


# --- Report ------------------------------------------------------------------------------------


def markdown_table(report: dict) -> str:
    lines = [
        "",
        f"Import speed (best of runs; CPU time beside wall time) · load {report['load']}",
        "",
        "| format | input | MB | chapters | passages | s | MB/s | MB/CPU-s | passages/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["formats"]:
        lines.append(
            f"| {r['format']} | {r['input']} | {r['megabytes']:.2f} | {r['chapters']} | "
            f"{r['passages']:,} | {r['seconds']:.3f} | {r['mb_per_s']:.2f} | "
            f"{r['mb_per_cpu_s']:.2f} | {r['passages_per_s']:,} |"
        )
    lines += [
        "",
        "| PDF | pages | chapters | passages | s | pages/s | pages/CPU-s | passages/s | "
        "text extraction |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["pdf"]:
        lines.append(
            f"| {r['input']} | {r['pages']} | {r['chapters']} | {r['passages']:,} | "
            f"{r['seconds']:.2f} | {r['pages_per_s']:.1f} | {r['pages_per_cpu_s']:.1f} | "
            f"{r['passages_per_s']:,} | {r['extraction_share']:.0%} |"
        )
    lines += [
        "",
        "| hostile file | size MB | s | peak RSS MB | added MB | outcome |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in report["hostile"]:
        lines.append(
            f"| {r['file']} | {r['size_mb']} | {r['seconds']} | {r['peak_rss_mb']} | "
            f"{r['added_mb']} | {r['outcome']} |"
        )
    return "\n".join(lines)


def run(quick: bool = False) -> dict:
    """Measure, print the tables, write bench/results/imports.json; return the report."""
    print("import speed …", flush=True)
    report = {
        "quick": quick,
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "",
        "formats": speed_rows(quick),
        "pdf": pdf_rows(quick),
    }
    print("hostile files …", flush=True)
    report["hostile"] = hostile_rows(quick)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown_table(report))
    return report


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        _measure_child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, one run each")
    run(quick=parser.parse_args().quick)


if __name__ == "__main__":
    main()
