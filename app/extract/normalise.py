"""Step 1 of the pipeline: a same-length, matching-friendly copy of the text.

Curly quotes become straight, dashes become '-', exotic spaces become ' '. Every character maps to exactly one
character, so an offset into the normalised text is an offset into the original: spans stay exact.
"""

from __future__ import annotations

_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": ".",  # an ellipsis, one character for one: beyond Latin-1, it made the copy two bytes a character
        "\u2022": "-",  # a bullet
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        "\u200b": " ",
        "\ufeff": " ",
    }
)


_PAIRS = [(chr(code), plain) for code, plain in _TABLE.items()]


def normalise(text: str) -> str:
    """The same text, character for character, with quotes, dashes and spaces made plain."""
    # a chain of str.replace skips absent characters at C speed: ~25x faster than str.translate here
    for special, plain in _PAIRS:
        if special in text:
            text = text.replace(special, plain)
    return text
