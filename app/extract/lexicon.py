"""Word lists and patterns for the extractor, loaded from `data/lexicon.json` so that they stay apart from logic."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def _load() -> dict[str, Any]:
    with resources.files("app.extract").joinpath("data/lexicon.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


LEXICON = _load()
ABBREVIATIONS: frozenset[str] = frozenset(LEXICON["abbreviations"])
