from __future__ import annotations


def parse_epub(data, filename=""):
    raise NotImplementedError
