"""`import_reading --dry-run --json` on each real book in ../shared/texts/ gives its real
structure (skipped, with the reason, where that folder is absent)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from readings.models import Reading
from tests.readings.importers.support import SHARED_TEXTS

# Measures the importers on the real books; saving is tested on both databases elsewhere.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

# file → (chapters, chapters of the main text, the first titles, the first main title)
EXPECTED = {
    "kropotkin_conquest_of_bread.md": (18, 17, ["Preface"], "Chapter 1: Our Riches"),
    "pg1342_pride_and_prejudice.txt": (62, 61, ["Preface"], "Chapter I"),
    "pg19942-candide-h.htm": (
        32,
        30,
        ["Introduction"],
        "I: How Candide Was Brought Up in a Magnificent Castle, and How He Was Expelled Thence",
    ),
    "pg41568-whitehead-intro-to-mathematics.pdf": (
        21,
        17,
        ["Transcriber's Note."],
        "I: Nature of Mathematics.",
    ),
    "pg61_communist_manifesto.txt": (
        5,
        5,
        [],
        "Manifesto of the Communist Party",
    ),
    "se_communist_manifesto.epub": (
        7,
        4,
        ["Preface", "Introduction"],
        "I: Bourgeois and Proletarians",
    ),
    "web-hacks-mozilla-this-api-is-so-fetching.html": (
        8,
        8,
        [],
        "This API is so Fetching!",
    ),
}


def run(name: str, capsys) -> tuple[dict, str]:
    if not SHARED_TEXTS.is_dir():
        pytest.skip("../shared/texts/ is absent: the real books are not available here")
    call_command("import_reading", str(SHARED_TEXTS / name), "--dry-run", "--json")
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_book_has_its_real_structure(name, capsys):
    summary, _ = run(name, capsys)
    total, main, front, first_main = EXPECTED[name]
    chapters = summary["chapters"]
    assert len(chapters) == total
    assert sum(c["kind"] == "main" for c in chapters) == main
    assert [c["title"] for c in chapters if c["kind"] == "front"] == front
    assert next(c["title"] for c in chapters if c["kind"] == "main") == first_main
    assert all(c["passages"] and c["words"] for c in chapters)
    assert not Reading.objects.exists()


def test_a_book_naming_no_title_is_warned_about(capsys):
    summary, err = run("kropotkin_conquest_of_bread.md", capsys)
    assert summary["title"] == "kropotkin conquest of bread"
    assert summary["title_from_file_name"] is True
    assert "the file names no title" in err and "--title" in err


def test_authors_are_found(capsys):
    assert run("pg1342_pride_and_prejudice.txt", capsys)[0]["author"] == "Jane Austen"
    assert run("pg19942-candide-h.htm", capsys)[0]["author"] == "Voltaire"
    pdf = run("pg41568-whitehead-intro-to-mathematics.pdf", capsys)[0]
    assert pdf["author"] == "Alfred North Whitehead"
    article = run("web-hacks-mozilla-this-api-is-so-fetching.html", capsys)[0]
    assert article["author"] == "Nikhil Marathe"
