"""Announcing what happened, once it has: the one way a lower app tells the apps above it.

Each app defines its signals in its `signals.py` and sends them with `announce`; the apps
above connect their receivers in `AppConfig.ready()`, so the lower app never knows who
listens. `announce` sends after the current transaction commits (at once outside one), so a
receiver sees only writes that happened, and a failing receiver is logged without undoing
them or failing the request.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import Signal


def announce(signal: Signal, sender: object = None, **kwargs) -> None:
    """Send `signal` with `kwargs` once the current transaction commits."""
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs), robust=True)
