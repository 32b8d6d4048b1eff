from __future__ import annotations

from readings.services import summarize
from tests.readings.conftest import make_parsed, passage


def test_it_counts_passages_and_words_per_chapter():
    parsed = make_parsed(
        {"First": [passage("First", "heading"), "Two words."], "": ["One."]},
        title="T",
        author="A",
    )

    assert summarize(parsed) == {
        "title": "T",
        "author": "A",
        "chapters": [
            {"title": "First", "passages": 2, "words": 3},
            {"title": "", "passages": 1, "words": 1},
        ],
    }
