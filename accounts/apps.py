from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from .second_factor import staff_without_second_factor

        register(staff_without_second_factor, Tags.database, Tags.security)
