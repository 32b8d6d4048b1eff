"""What the discussions app announces, for the apps above it (notifications). Sent with
`accounts.events.announce`, once the write's transaction has committed.

comment_posted    a new comment or reply. `comment`; `mentioned`: ids of the members its body
                  links by an @mention.
comment_hidden    a comment hidden by a moderator, or by members' flags. `comment`; `actor`:
                  the moderator, None when flags hid it.
comment_restored  a hidden comment shown again. `comment`; `actor`: the moderator.
flag_raised       a member flagged a comment. `flag`; `hidden`: whether this flag hid it.
"""

from __future__ import annotations

from django.dispatch import Signal

comment_posted = Signal()
comment_hidden = Signal()
comment_restored = Signal()
flag_raised = Signal()
