"""The sections circles' pages offer to the apps above (see `accounts.sections`), each filled
with the keyword arguments given:

circles.circle.discussion   the circle's home: what members are writing (`circle`).
circles.circle.tools        the circle's home, in the organizer/moderator tools list: list items
                            (`circle`).
circles.members.tools       the members page, under its heading: links (`circle`).
circles.meeting.discussion  a session's page: what is written on its chapters (`meeting`,
                            `chapters`).
circles.meeting.participation  a session's page, in the organizers' "Taking part" list: `<dt>`
                            and `<dd>` pairs of who took part in what (`meeting`, `chapters`).
circles.mine.circle         "My circles", in each circle's card: a line of news for that
                            member (`membership`, its circle loaded).
"""

from __future__ import annotations

CIRCLE_DISCUSSION = "circles.circle.discussion"
CIRCLE_TOOLS = "circles.circle.tools"
MEMBERS_TOOLS = "circles.members.tools"
MEETING_DISCUSSION = "circles.meeting.discussion"
MEETING_PARTICIPATION = "circles.meeting.participation"
MY_CIRCLE_CARD = "circles.mine.circle"
