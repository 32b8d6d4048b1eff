"""The sections circles' pages offer to the apps above (see `accounts.sections`), each filled
with the keyword arguments given:

circles.circle.discussion   the circle's home: what members are writing (`circle`).
circles.circle.tools        the circle's home, in the organizer/moderator tools list: list items
                            (`circle`).
circles.members.tools       the members page, under its heading: links (`circle`).
circles.meeting.discussion  a session's page: what is written on its chapters (`meeting`,
                            `chapters`).
circles.meeting.agenda      a session's page, under the organizer's agenda text: the agenda
                            proposed from the margin (`meeting`, `chapters`).
circles.meeting.live        a session's page: the live margin while it is on (`meeting`,
                            `chapters`).
circles.meeting.notes       the organizer's notes form of a session, under it: what the notes
                            may link to (`meeting`).
circles.meeting.participation  a session's page, in the organizers' "Taking part" list: `<dt>`
                            and `<dd>` pairs of who took part in what (`meeting`, `chapters`).
circles.mine.circle         "My circles", in each circle's card: a line of news for that
                            member (`membership`, its circle loaded).

And what circles fills on the library's pages (`readings.sections`): the viewer's circles
that read a text, leading into their margins.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from accounts import sections
from readings import sections as reading_sections
from readings.models import Chapter, Reading

from .models import Circle

CIRCLE_DISCUSSION = "circles.circle.discussion"
CIRCLE_TOOLS = "circles.circle.tools"
MEMBERS_TOOLS = "circles.members.tools"
MEETING_DISCUSSION = "circles.meeting.discussion"
MEETING_PARTICIPATION = "circles.meeting.participation"
MEETING_AGENDA = "circles.meeting.agenda"
MEETING_LIVE = "circles.meeting.live"
MEETING_NOTES = "circles.meeting.notes"
MY_CIRCLE_CARD = "circles.mine.circle"


def _my_circles_reading(request, reading: Reading) -> list:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(Circle.objects.of_member(user).filter(readings=reading).order_by("name"))


def reading_circles(request, *, reading: Reading) -> str:
    circles = _my_circles_reading(request, reading)
    if not circles:
        return ""
    return render_to_string(
        "circles/sections/reading_circles.html", {"circles": circles, "reading": reading}
    )


def chapter_circles(request, *, chapter: Chapter) -> str:
    circles = _my_circles_reading(request, chapter.reading)
    if not circles:
        return ""
    return render_to_string(
        "circles/sections/reading_circles.html",
        {"circles": circles, "reading": chapter.reading, "chapter": chapter},
    )


def register() -> None:
    sections.register(reading_sections.READING_CIRCLES, reading_circles)
    sections.register(reading_sections.CHAPTER_CIRCLES, chapter_circles)
