from __future__ import annotations


def parse_html(text, filename=""):
    raise NotImplementedError
