"""The demo circles: created once, with the demo people in their roles and a working invite."""

from __future__ import annotations

from django.test import override_settings

from circles.demo import ensure_demo_circles
from circles.models import Circle, Invite, Membership, Role
from tests.factories import make_reading, make_user

EMAILS = ["olive", "max", "mina", "noor", "pablo", "sam"]


@override_settings(SITE_URL="https://demo.example")
def test_demo_circles_are_made_once_with_people_in_their_roles(db):
    people = {f"{n}@demo.marginalia.test": make_user(f"{n}@demo.marginalia.test") for n in EMAILS}
    readings = [make_reading("One"), make_reading("Two")]

    first = ensure_demo_circles(people, readings)
    second = ensure_demo_circles(people, readings)

    assert first == second
    assert Circle.objects.count() == 2 and Invite.objects.count() == 1
    public, private = first["public"], first["private"]
    assert (public.name, public.is_public) == ("Tomorrow’s Readers", True)
    assert set(public.readings.all()) == set(readings)
    roles = dict(public.memberships.values_list("user__email", "role"))
    assert roles == {
        "olive@demo.marginalia.test": Role.ORGANIZER,
        "max@demo.marginalia.test": Role.MODERATOR,
        "mina@demo.marginalia.test": Role.MEMBER,
        "noor@demo.marginalia.test": Role.MEMBER,
        "pablo@demo.marginalia.test": Role.MEMBER,
    }
    assert (private.name, private.is_public) == ("Dual Power Study Group", False)
    assert dict(private.memberships.values_list("user__email", "role")) == {
        "olive@demo.marginalia.test": Role.ORGANIZER,
        "noor@demo.marginalia.test": Role.MEMBER,
    }
    invite = Invite.objects.get()
    assert invite.is_usable and invite.max_uses is None
    assert first["invite_url"] == f"https://demo.example/invite/{invite.token}/"
    assert not Membership.objects.filter(user__email="sam@demo.marginalia.test").exists()
