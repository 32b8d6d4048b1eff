"""The sections circles' pages offer to the apps above (see `accounts.sections`), each filled
with the keyword arguments given:

circles.circle.discussion   the circle's home: what members are writing (`circle`).
circles.circle.tools        the circle's home, in the organizer/moderator tools list: list items
                            (`circle`).
circles.members.tools       the members page, under its heading: links (`circle`).
circles.meeting.discussion  a session's page: what is written on its chapters (`meeting`,
                            `chapters`).
"""

from __future__ import annotations

CIRCLE_DISCUSSION = "circles.circle.discussion"
CIRCLE_TOOLS = "circles.circle.tools"
MEMBERS_TOOLS = "circles.members.tools"
MEETING_DISCUSSION = "circles.meeting.discussion"
