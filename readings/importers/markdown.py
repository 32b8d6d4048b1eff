from __future__ import annotations

import re

_MD_HINT = re.compile(r"^(?:#{1,6}\s+\S|---\s*$)", re.M)


def looks_like_markdown(text: str) -> bool:
    return bool(_MD_HINT.search(text))


def parse_markdown(text, filename=""):
    raise NotImplementedError
