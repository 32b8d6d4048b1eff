from __future__ import annotations

from readings.services import summarize
from tests.readings.conftest import make_parsed, passage


def test_it_counts_passages_and_words_per_chapter():
    parsed = make_parsed(
        {"First": [passage("First", "heading"), "Two words."], "": ["One."]},
        title="T",
        author="A",
    )
    parsed.chapters[0].kind = "front"

    assert summarize(parsed) == {
        "title": "T",
        "author": "A",
        "title_from_file_name": False,
        "chapters": [
            {"title": "First", "kind": "front", "passages": 2, "words": 3},
            {"title": "", "kind": "main", "passages": 1, "words": 1},
        ],
    }
