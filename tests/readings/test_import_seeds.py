"""The real importer through our ways in: the command on a seed, speed, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readings.models import Passage, Reading
from readings.services import reimport_reading, save_parsed_reading
from readings.uploads import parse_upload

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "readings" / "demo_data"


def test_the_dry_run_json_of_the_second_seed_lists_its_seven_chapters(capsys):
    call_command("import_reading", str(SEEDS / "003_822ff67cca5cf967.txt"), "--dry-run", "--json")

    summary = json.loads(capsys.readouterr().out)
    titles = [chapter["title"] for chapter in summary["chapters"]]
    assert summary["title"] == "Toward Building Tomorrow: Expertise and Dual Power"
    assert len(titles) == 7
    assert titles[0] == "Building institutions of the class"
    assert titles[1] == "What is Dual Power?"
    assert titles[-1] == "Notes"
    assert all(chapter["passages"] > 0 and chapter["words"] > 0 for chapter in summary["chapters"])
    assert not Reading.objects.exists()


def test_a_binary_file_is_a_command_error_and_saves_nothing(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(bytes(range(256)) * 20)

    with pytest.raises(CommandError) as error:
        call_command("import_reading", str(path))

    assert str(error.value)
    assert not Reading.objects.exists()


def test_an_unknown_format_is_a_command_error(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("Title\n\nSome text.\n")

    with pytest.raises(CommandError, match="Unknown format"):
        call_command("import_reading", str(path), "--format", "docx")


def test_a_three_megabyte_book_imports_whole():
    """Its speed is measured by bench/run.py, not here: this checks that nothing of a large
    upload is lost on the way into the database."""
    paragraph = (SEEDS / "000_a9b1cfdacfef8aef.txt").read_text().split("\n\n")[5].strip()
    lines = ["A Very Long Book", ""]
    for chapter in range(90):
        lines += ["", f"Chapter {chapter + 1}", ""]
        lines += [f"{paragraph} ({chapter}.{n})\n" for n in range(50)]
    data = "\n".join(lines).encode()
    assert len(data) > 3_000_000

    reading = save_parsed_reading(parse_upload(data, "long.txt"))

    assert reading.chapters.count() == 90
    assert Passage.objects.filter(reading=reading, kind="paragraph").count() == 90 * 50
    last = Passage.objects.filter(reading=reading).order_by("-chapter__number", "-position")[0]
    assert last.text.endswith("(89.49)")


def test_reimporting_an_edited_seed_keeps_the_permalinks_of_untouched_passages():
    original = (SEEDS / "003_822ff67cca5cf967.txt").read_text()
    reading = save_parsed_reading(parse_upload(original.encode(), "003.txt"))
    before = dict(Passage.objects.filter(reading=reading).values_list("key", "text"))
    first_section_end = original.index("\n\nWhat is Dual Power?")
    edited = (
        original[:first_section_end]
        + "\n\nA paragraph the editor added, long enough to count as one."
        + original[first_section_end:]
    )

    reimport_reading(reading, parse_upload(edited.encode(), "003.txt"))

    after = dict(Passage.objects.filter(reading=reading).values_list("key", "text"))
    assert {key: after.get(key) for key in before} == before
    assert len(after) == len(before) + 1
    reading.refresh_from_db()
    assert reading.text_version == 2
