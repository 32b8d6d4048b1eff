from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from readings.models import Passage, Reading
from tests.readings.conftest import SAMPLE_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_bytes(SAMPLE_FILE)
    return path


def test_it_imports_and_prints_the_summary(sample, fake_importer, capsys):
    call_command("import_reading", str(sample), "--author", "A. Writer")

    out = capsys.readouterr().out
    assert "The Sample Text" in out
    assert "2 chapters, 4 passages" in out
    assert "1. Opening — 2 passages, 9 words" in out
    assert "Saved “The Sample Text”" in out
    reading = Reading.objects.get()
    assert reading.author == "A. Writer"
    assert Passage.objects.filter(reading=reading).count() == 4


def test_dry_run_saves_nothing(sample, fake_importer, capsys):
    call_command("import_reading", str(sample), "--dry-run")

    assert "Dry run: nothing saved." in capsys.readouterr().out
    assert not Reading.objects.exists()


def test_json_prints_the_summary_as_json(sample, fake_importer, capsys):
    call_command("import_reading", str(sample), "--dry-run", "--json", "--title", "Other")

    assert json.loads(capsys.readouterr().out) == {
        "title": "Other",
        "author": "",
        "title_from_file_name": False,
        "chapters": [
            {"title": "Opening", "kind": "main", "passages": 2, "words": 9},
            {"title": "Second Part", "kind": "main", "passages": 2, "words": 8},
        ],
    }


def test_bad_input_is_a_command_error_with_the_message(tmp_path, fake_importer):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty."):
        call_command("import_reading", str(path))

    assert not Reading.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_reading", str(tmp_path / "nope.txt"))


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes(tmp_path, settings):
    settings.READING_UPLOAD_MAX_BYTES = 1024 * 1024
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n\n" + b"word " * 400_000)

    with pytest.raises(CommandError) as error:
        call_command("import_reading", str(path), "--dry-run")

    assert str(error.value).endswith("The file is too large (1.9 MB); the limit is 1 MB.")
    assert not Reading.objects.exists()
