"""Calendar downloads and feeds: one session, a public circle, a person's secret feed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.http import ViewerRequest
from accounts.models import User
from circles.calendars import public_feed, to_ical
from circles.models import Meeting
from circles.permissions import get_meeting_for_viewer, get_public_circle, is_member

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, *, filename: str, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def meeting_ics(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for_viewer(request, slug, pk)
    with_video = is_member(request.user, meeting.circle)
    body = to_ical([meeting], name=meeting.circle.name, with_video=with_video)
    return _calendar_response(body, filename=f"session-{meeting.pk}.ics", download=True)


@require_GET
def circle_calendar(request: ViewerRequest, slug: str) -> HttpResponse:
    circle = get_public_circle(slug)
    # Anyone may fetch this feed, so it leaves out video links (members have them).
    return _calendar_response(public_feed(circle), filename=f"{circle.slug}.ics")


@require_GET
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """Everything in my circles, at a secret address (no login: calendar programs fetch it)."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No calendar here.")
    meetings = Meeting.objects.of_member(user).for_display().order_by("starts_at")
    return _calendar_response(
        to_ical(meetings, name="My reading circles · Marginalia"), filename="marginalia.ics"
    )
