"""Importing annotations onto a reading in a circle: a W3C file (this app's own export
included) or a Hypothesis export; a preview of where every thread goes, nothing saved until
it is confirmed; the same file twice adds nothing; an export imported into a new circle gives
the same threads on the same words."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from circles.models import Role
from discussions import annotation_import
from discussions.models import AnchorStatus, Comment, CommentState
from discussions.moderation import hide_comment
from discussions.services import delete_comment, post_comment, reply
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Passage
from readings.services import save_parsed_reading
from tests.factories import add_non_bmp_passage, make_circle, make_user
from tests.permission_matrix import ORGANIZERS, PEOPLE, Rule, client_as, everyone, outcome

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "Call me Ishmael. Some years ago, never mind how long precisely, having little money in "
    "my purse, I thought I would sail about a little and see the watery part of the world.",
    "It is a way I have of driving off the spleen and regulating the circulation. Whenever I "
    "find myself growing grim about the mouth, I account it high time to get to sea.",
    "There now is your insular city of the Manhattoes, belted round by wharves as Indian "
    "isles by coral reefs; commerce surrounds it with her surf. I account it high time.",
]


@pytest.fixture
def book():
    """A reading of three paragraphs (a phrase, "I account it high time", in two of them)."""
    return save_parsed_reading(
        ParsedReading(
            title="Loomings",
            author="Herman Melville",
            chapters=[
                ParsedChapter(
                    title="Loomings",
                    passages=[ParsedPassage("paragraph", text, text) for text in PARAGRAPHS],
                )
            ],
        )
    )


@pytest.fixture
def circle(book, organizer, member):
    circle = make_circle(organizer, name="Whalers")
    circle.add_member(member)
    circle.readings.add(book)
    return circle


def passages(book) -> list[Passage]:
    return list(Passage.objects.in_reading(book).order_by("position"))


def import_url(circle) -> str:
    return reverse("discussions:annotation-import", args=[circle.slug])


def upload(client, circle, reading, data) -> object:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(
        import_url(circle),
        {
            "file": SimpleUploadedFile("notes.json", content, "application/json"),
            "reading": reading.pk,
        },
    )


def confirm(client, circle, preview) -> object:
    form = preview.context["confirm_form"]
    return client.post(
        import_url(circle),
        {"token": form.initial["token"], "reading": form.initial["reading"]},
        follow=True,
    )


def hypothesis_row(
    row_id: str, text: str, *, exact="", prefix="", suffix="", start=None, references=()
) -> dict:
    selectors: list[dict] = []
    if exact:
        selectors.append(
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}
        )
    if start is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": start + 9})
    return {
        "id": row_id,
        "created": "2024-03-01T10:00:00.000000+00:00",
        "user": "acct:ishmael@hypothes.is",
        "user_info": {"display_name": "Ishmael"},
        "uri": "https://www.gutenberg.org/files/2701/2701-h/2701-h.htm",
        "text": text,
        "references": list(references),
        "target": [{"source": "https://www.gutenberg.org/files/2701/2701-h/2701-h.htm",
                    "selector": selectors}],
    }  # fmt: skip


def export(client, circle) -> list[dict]:
    """Every annotation of the circle's organizer export, page after page."""
    url = reverse("discussions:annotation-collection", args=[circle.slug])
    page_url, items = client.get(url).json()["first"], []
    while page_url:
        page = client.get(page_url).json()
        items += page["items"]
        page_url = page.get("next")
    return items


def test_an_exported_margin_imported_into_a_new_circle_has_the_same_threads_on_the_same_words(
    client, book, circle, organizer, member, moderator
):
    circle.add_member(moderator, Role.MODERATOR)
    first, second, third = passages(book)
    whale = add_non_bmp_passage(circle)
    on_words = _post(circle, member, first, "Why Ishmael?", "Ishmael")
    answer = reply(on_words, author=moderator, body="A name from Genesis.").comment
    reply(answer, author=member, body="An outcast, then.")
    _post(circle, organizer, second, "High time for what?", "I account it high time")
    _post(circle, member, third, "The whole paragraph, a city of islands.")
    _post(circle, member, whale, "Emoji in a novel!", "then the whale")
    gone = _post(circle, moderator, first, "I take it back.", "watery part")
    reply(gone, author=member, body="Too late, I read it.")
    delete_comment(gone)
    rude = _post(circle, member, second, "Rude words", "spleen")
    hide_comment(rude, moderator, "Unkind")
    _post(circle, organizer, third, "My own note", "coral reefs", private=True)
    client.force_login(organizer)
    items = export(client, circle)

    new = make_circle(organizer, name="Second Crew")
    new.add_member(member)
    new.readings.add(book, whale.reading)
    for reading, elsewhere in ((book, 1), (whale.reading, 9)):
        before = Comment.objects.filter(circle=new).count()
        preview = upload(client, new, reading, {"items": items})
        assert preview.status_code == 200
        assert preview.context["plan"].elsewhere == elsewhere
        assert Comment.objects.filter(circle=new).count() == before  # nothing saved yet
        assert confirm(client, new, preview).status_code == 200

    def threads(of) -> list[tuple]:
        roots = Comment.objects.filter(circle=of, parent=None).order_by("created_at", "pk")
        return [
            (
                root.passage_key, root.anchor_start, root.anchor_end, root.anchor_exact,
                root.anchor_status, root.state, root.hidden_reason, root.is_private, root.body,
                [(c.body, c.state) for c in Comment.objects.filter(root=root).order_by("pk")],
            )
            for root in roots
        ]  # fmt: skip

    assert threads(new) == threads(circle)
    imported = {c.body: c for c in Comment.objects.filter(circle=new)}
    assert imported["Why Ishmael?"].author == member
    assert imported["A name from Genesis."].author is None
    assert imported["A name from Genesis."].author_name == "Max (imported)"
    assert imported["My own note"].author == organizer


def _post(circle, author, passage, body, phrase="", private=False) -> Comment:
    start = passage.text.index(phrase) if phrase else None
    end = start + len(phrase) if phrase else None
    return post_comment(
        circle=circle,
        passage=passage,
        author=author,
        body=body,
        start=start,
        end=end,
        is_private=private,
    ).comment


def test_a_hypothesis_export_is_placed_by_its_quotes_whatever_the_typography(
    client, book, circle, organizer, member
):
    first, second, third = passages(book)
    rows = [
        # Straight quotes and a spaced dash where the book has none: the same words.
        hypothesis_row("h1", "Famous opening", exact="Call me Ishmael.", suffix=" Some years"),
        hypothesis_row("h2", "Only once in the book", exact="insular city of the Manhattoes"),
        # Twice in the book: the context tells which.
        hypothesis_row(
            "h3", "The second one", exact="I account it high time",
            prefix="surrounds it with her surf. ", suffix=".",
        ),
        # Twice, and nothing to tell them apart: it waits for a moderator.
        hypothesis_row("h4", "Which one?", exact="I account it high time"),
        hypothesis_row("h5", "Not in this book", exact="Towards thee I roll"),
        hypothesis_row("h6", "Agreed", references=["h1"]),
    ]  # fmt: skip
    client.force_login(organizer)
    preview = upload(client, circle, book, {"total": len(rows), "rows": rows})
    assert preview.status_code == 200
    assert (preview.context["anchored"], preview.context["orphaned"]) == (3, 2)
    page = preview.content.decode()
    assert "Ishmael → kept as “Ishmael (imported)”" in page
    confirm(client, circle, preview)
    placed = {c.body: c for c in Comment.objects.filter(circle=circle)}
    assert placed["Famous opening"].passage == first
    assert first.text[placed["Famous opening"].anchor_start :].startswith("Call me Ishmael.")
    assert placed["Only once in the book"].passage == third
    high_time = placed["The second one"]
    assert high_time.passage == third and high_time.anchor_exact == "I account it high time"
    assert placed["Which one?"].anchor_status == AnchorStatus.ORPHANED
    assert placed["Not in this book"].anchor_status == AnchorStatus.ORPHANED
    assert placed["Agreed"].root == placed["Famous opening"]
    assert placed["Famous opening"].reply_count == 1
    assert placed["Famous opening"].author_name == "Ishmael (imported)"


def test_a_quote_in_curly_quotes_finds_straight_ones_and_close_words_drift(
    client, book, circle, organizer
):
    first = passages(book)[0]
    page = reverse("discussions:passage", args=[circle.slug, book.slug, first.key])
    scoped = {"type": "FragmentSelector", "value": f"pt-{first.key}"}
    annotations = [
        {
            "id": "urn:test:1",
            "type": "Annotation",
            "bodyValue": "A typo in my copy",
            "creator": {"name": "Mina"},
            "target": {
                "source": f"https://elsewhere.example{page}",
                "selector": scoped | {"refinedBy": {
                    "type": "TextQuoteSelector",
                    "exact": "having litle money in my purse",
                    "prefix": "how long precisely, ",
                    "suffix": ", I thought",
                }},
            },
        },
    ]  # fmt: skip
    client.force_login(organizer)
    preview = upload(client, circle, book, annotations)
    assert preview.context["drifted"] == 1
    confirm(client, circle, preview)
    comment = Comment.objects.get(circle=circle)
    assert comment.anchor_status == AnchorStatus.DRIFTED
    assert comment.anchor_exact == "having little money in my purse"
    assert comment.author.name == "Mina"  # a member of the circle, by name


def test_importing_the_same_file_twice_adds_nothing(client, book, circle, organizer):
    rows = [hypothesis_row("h1", "Famous opening", exact="Call me Ishmael.")]
    client.force_login(organizer)
    confirm(client, circle, upload(client, circle, book, rows))
    again = upload(client, circle, book, rows)
    assert again.context["already"] == 1
    response = confirm(client, circle, again)
    assert "every annotation in this file is already here" in response.content.decode()
    assert Comment.objects.filter(circle=circle).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n", "This file is not JSON"),
        (b'{"name": "not annotations"}', "No annotations found"),
        (b"[" + b" " * annotation_import.MAX_BYTES + b"]", "MB"),
    ],
)
def test_a_file_that_is_not_annotations_is_refused_with_a_reason(
    client, book, circle, organizer, content, message
):
    client.force_login(organizer)
    response = upload(client, circle, book, content)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["file"])
    assert Comment.objects.filter(circle=circle).count() == 0


def test_an_expired_preview_asks_for_the_file_again(client, book, circle, organizer):
    client.force_login(organizer)
    response = client.post(import_url(circle), {"token": "gone", "reading": book.pk})
    assert response.status_code == 422
    assert "Please upload the file again" in response.content.decode()


def test_a_reading_the_circle_does_not_read_cannot_be_chosen(client, book, circle, organizer):
    other = save_parsed_reading(
        ParsedReading(
            title="Other",
            chapters=[ParsedChapter(title="One", passages=[ParsedPassage("paragraph", "x", "x")])],
        )
    )
    client.force_login(organizer)
    response = upload(client, circle, other, [hypothesis_row("h1", "Hi", exact="x")])
    assert response.status_code == 422
    assert "reading" in response.context["form"].errors


def test_organizers_find_the_import_and_export_among_their_tools(client, circle, organizer, member):
    detail = reverse("circles:circle", args=[circle.slug])
    client.force_login(organizer)
    page = client.get(detail).content.decode()
    assert import_url(circle) in page
    assert reverse("discussions:annotation-collection", args=[circle.slug]) in page
    client.force_login(member)
    assert import_url(circle) not in client.get(detail).content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_import(request, organizer, moderator, member, outsider, staff, person):
    margin = request.getfixturevalue("margin")
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    response = client_as(people[person]).get(import_url(margin.circle))
    assert outcome(response) == Rule(ORGANIZERS).expect(person, "public")


def test_a_member_named_by_email_is_the_author(client, book, circle, organizer, member):
    row = hypothesis_row("h1", "By email", exact="Call me Ishmael.")
    row["user_info"] = {"display_name": member.email.upper()}
    make_user("someone.else@example.org", display_name="Ishmael")  # not in the circle
    client.force_login(organizer)
    confirm(client, circle, upload(client, circle, book, [row]))
    assert Comment.objects.get(circle=circle).author == member


def test_hidden_comments_stay_hidden(client, book, circle, organizer, member):
    comment = _post(circle, member, passages(book)[0], "Rude", "Ishmael")
    hide_comment(comment, organizer, "Unkind")
    client.force_login(organizer)
    items = export(client, circle)
    new = make_circle(organizer, name="Third Crew")
    new.readings.add(book)
    confirm(client, new, upload(client, new, book, items))
    imported = Comment.objects.get(circle=new)
    assert (imported.state, imported.hidden_reason) == (CommentState.HIDDEN, "Unkind")
