from __future__ import annotations

import pytest

from readings.models import Chapter, Passage
from readings.services import reimport_reading, save_parsed_reading
from readings.signals import passages_changed
from tests.factories import make_user
from tests.readings.conftest import make_parsed, paragraphs, passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    passages_changed.connect(receiver)
    yield calls
    passages_changed.disconnect(receiver)


def keys_by_text(reading) -> dict[str, str]:
    return dict(Passage.objects.filter(reading=reading).values_list("text", "key"))


def test_an_inserted_paragraph_keeps_every_other_key(received):
    texts = paragraphs(10)
    reading = save_parsed_reading(make_parsed({"A": texts}))
    before = keys_by_text(reading)

    new_texts = [*texts[:5], "A brand new paragraph in the middle.", *texts[5:]]
    reimport_reading(reading, make_parsed({"A": new_texts}))

    after = keys_by_text(reading)
    assert {text: after[text] for text in texts} == before
    assert after["A brand new paragraph in the middle."] not in before.values()
    positions = list(Passage.objects.in_reading(reading).values_list("text", flat=True))
    assert positions == new_texts


def test_an_edited_paragraph_keeps_its_key_and_row(received):
    texts = paragraphs(6)
    reading = save_parsed_reading(make_parsed({"A": texts}))
    edited = Passage.objects.get(reading=reading, text=texts[2])

    new_texts = list(texts)
    new_texts[2] = texts[2].replace("something", "something else")
    reimport_reading(reading, make_parsed({"A": new_texts}))

    again = Passage.objects.get(pk=edited.pk)
    assert again.key == edited.key
    assert again.text == new_texts[2]
    assert again.word_count == edited.word_count + 1
    assert again.content_hash != edited.content_hash


def test_it_bumps_the_text_version_and_says_what_changed(received):
    texts = paragraphs(4)
    reading = save_parsed_reading(make_parsed({"A": texts}))
    changed = Passage.objects.get(reading=reading, text=texts[1])
    removed = Passage.objects.get(reading=reading, text=texts[3])

    new_texts = [texts[0], texts[1] + " Indeed.", texts[2], "Completely different words here."]
    reimport_reading(reading, make_parsed({"A": new_texts}))

    reading.refresh_from_db()
    assert reading.text_version == 2
    assert len(received) == 1
    call = received[0]
    assert (call["reading"], call["old_version"], call["new_version"]) == (reading, 1, 2)
    by_key = {change.key: change for change in call["changes"]}
    assert by_key[changed.key].old_text == texts[1]
    assert by_key[changed.key].new_text == texts[1] + " Indeed."
    assert by_key[removed.key].removed
    added = [change for change in call["changes"] if change.added]
    assert [change.new_text for change in added] == ["Completely different words here."]
    assert not Passage.objects.filter(pk=removed.pk).exists()


def test_removed_passages_are_still_there_when_the_signal_is_sent(received):
    reading = save_parsed_reading(make_parsed({"A": paragraphs(3)}))
    seen = []

    def receiver(sender, changes, **kwargs):
        seen.extend(
            Passage.objects.filter(pk=change.passage_id).exists()
            for change in changes
            if change.removed
        )

    passages_changed.connect(receiver)
    try:
        reimport_reading(reading, make_parsed({"A": paragraphs(2)}))
    finally:
        passages_changed.disconnect(receiver)

    assert seen == [True]


def test_reimporting_the_same_text_changes_nothing(received):
    parsed = make_parsed({"A": paragraphs(5), "B": paragraphs(2, "Bee")})
    reading = save_parsed_reading(parsed)
    before = keys_by_text(reading)

    reimport_reading(reading, make_parsed({"A": paragraphs(5), "B": paragraphs(2, "Bee")}))

    reading.refresh_from_db()
    assert reading.text_version == 1
    assert received == []
    assert keys_by_text(reading) == before


def test_passages_can_move_between_chapters_and_chapters_come_and_go(received):
    reading = save_parsed_reading(
        make_parsed({"One": paragraphs(3), "Two": paragraphs(3, "Two"), "Three": ["Bye."]})
    )
    before = keys_by_text(reading)

    parsed = make_parsed(
        {"One": paragraphs(2), "Two, renamed": [paragraphs(3)[2], *paragraphs(3, "Two")]}
    )
    reimport_reading(reading, parsed)

    assert [(c.number, c.title) for c in Chapter.objects.of(reading)] == [
        (1, "One"),
        (2, "Two, renamed"),
    ]
    moved = Passage.objects.get(reading=reading, text=paragraphs(3)[2])
    assert (moved.chapter.number, moved.position, moved.key) == (2, 1, before[moved.text])
    assert Chapter.objects.get(reading=reading, number=2).word_count == sum(
        len(text.split()) for text in [paragraphs(3)[2], *paragraphs(3, "Two")]
    )
    assert not Passage.objects.filter(reading=reading, text="Bye.").exists()


def test_a_failing_receiver_rolls_the_reimport_back():
    reading = save_parsed_reading(make_parsed({"A": paragraphs(3)}))
    before = keys_by_text(reading)

    def receiver(sender, **kwargs):
        raise RuntimeError("cannot re-anchor")

    passages_changed.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            reimport_reading(reading, make_parsed({"A": [*paragraphs(2), passage("New.")]}))
    finally:
        passages_changed.disconnect(receiver)

    reading.refresh_from_db()
    assert reading.text_version == 1
    assert keys_by_text(reading) == before


def test_a_readers_place_in_a_removed_chapter_moves_to_the_chapter_that_took_its_text(member):
    from readings.models import ReadingProgress

    reading = save_parsed_reading(
        make_parsed({"One": paragraphs(3), "Two": paragraphs(3, "Two"), "Three": ["Bye."]})
    )
    two = Chapter.objects.get(reading=reading, number=2)
    three = Chapter.objects.get(reading=reading, number=3)
    ReadingProgress.advance(member, two, Passage.objects.filter(chapter=two).last())
    other = ReadingProgress.objects.create(
        user=make_user(), reading=reading, chapter=three, passage=None
    )

    # Chapter two merged into one; chapter three's text gone.
    reimport_reading(reading, make_parsed({"One and Two": [*paragraphs(3), *paragraphs(3, "Two")]}))

    one = Chapter.objects.get(reading=reading)
    assert ReadingProgress.objects.get(user=member).chapter == one
    other.refresh_from_db()
    assert other.chapter == one
