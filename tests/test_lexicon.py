"""Word lists are data: none is written in the extractor's code, and every list in the language folder is read."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
EXTRACT = APP / "extract"
DATA = EXTRACT / "data" / "en"


def _word_list_literals(path: Path) -> list[str]:
    """Set, list and tuple literals of three or more words in a module (not `__slots__`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    slots = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(ast.unparse(t) == "__slots__" for t in node.targets)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)) and id(node) not in slots:
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            unpacked = sum(isinstance(e, ast.Starred) for e in node.elts)  # [*NUMBER_WORDS, "dozen", "tens", …]
            words = len(strings) >= 3 and len(strings) + unpacked == len(node.elts)
            if words and all(re.fullmatch(r"[A-Za-z][A-Za-z '\-]*", s) for s in strings):
                found.append(f"{path.name}:{node.lineno}: {strings[:3]}")
    return sorted(found)


def test_no_word_list_in_the_extractors_code() -> None:
    found = [hit for path in sorted(EXTRACT.glob("*.py")) for hit in _word_list_literals(path)]
    assert found == [], "word lists belong in app/extract/data/en/: " + "; ".join(found)


def test_the_literal_check_finds_a_word_list(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '_WORDS = frozenset({"killed", "dead", "died"})\n__slots__ = ("a", "b", "c")\n'
        '_MORE = [*_WORDS, "slain", "shot", "hanged"]\n',
        encoding="utf-8",
    )
    assert _word_list_literals(sample) == [
        "sample.py:1: ['killed', 'dead', 'died']",
        "sample.py:3: ['slain', 'shot', 'hanged']",
    ]


_PLAIN_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]|\\-)*(?:(?: |\\s\+?|\\ )[A-Za-z](?:[A-Za-z'’-]|\\-)*)*\??")
"""An alternative of a regex that is a word or a phrase as written: 'while', 'as of', 'among\\s+them', 'estimates?'."""
_GROUP_OPENING = re.compile(r"\?(?:[:>=!]|<[=!]|P<\w+>|[aiLmsux]+(?:-[imsx]+)?:)")


def _alternatives(pattern: str) -> list[list[str]]:
    """The alternatives of every group in a regex source, split at its own "|" (not at a nested group's)."""
    groups, stack, i = [], [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: its "(", "|" and ")" are characters
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += 1  # a "]" right after "[" or "[^" is a character
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            opening = _GROUP_OPENING.match(pattern, i + 1)
            stack.append(([opening.end() if opening else i + 1], i))
        elif c == "|" and stack:
            stack[-1][0].append(i + 1)
        elif c == ")" and stack:
            starts, _ = stack.pop()
            ends = [s - 1 for s in starts[1:]] + [i]
            groups.append([pattern[a:b] for a, b in zip(starts, ends, strict=True)])
        i += 1
    return groups


def _word_alternations(path: Path) -> list[str]:
    """Groups of three or more plain words in the module's strings and f-strings (not docstrings): '(?:while|whereas|
    but)', '(?:{X}|he|she|they)'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    in_fstrings = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in in_fstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            source = node.value
        elif isinstance(node, ast.JoinedStr):
            source = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        for alternatives in _alternatives(source):
            plain = [a for a in alternatives if _PLAIN_WORD.fullmatch(a)]
            if len(plain) >= 3:
                found.append(f"{path.name}:{node.lineno}: {'|'.join(plain[:3])}")
    return found


def test_no_word_list_in_the_extractors_regexes() -> None:
    found = [hit for path in sorted(EXTRACT.glob("*.py")) for hit in _word_alternations(path)]
    assert found == [], "word lists belong in app/extract/data/en/, joined with alternation(): " + "; ".join(found)


def test_the_regex_check_finds_a_word_list(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import re\n"
        '"""Module docstring: \'sa(?:id|ys|y)\' is prose."""\n'
        '_CONTRAST = re.compile(r"\\b(?:while|whereas|but)\\b|;")\n'
        '_PRONOUN = re.compile(rf"^(?:{_OTHER}|he|she|they)\\s+(?:was|has\\s+been|had\\s+been)$")\n'
        '_NOT_WORDS = re.compile(r"(?:\\d+|[A-Z])(?:\\s+is|\\s+was|[\'’]s)[(|)](?:a|an)?(?<=on|in)")\n',
        encoding="utf-8",
    )
    assert _word_alternations(sample) == [
        "sample.py:3: while|whereas|but",
        "sample.py:4: he|she|they",
        "sample.py:4: was|has\\s+been|had\\s+been",
    ]
    assert _alternatives(r"(?:\d+|[A-Z])") == [[r"\d+", "[A-Z]"]]


def test_every_list_is_read() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py"))
    lexicon = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    rules = json.loads((DATA / "rules.json").read_text(encoding="utf-8"))
    unread = [key for key in lexicon if f'LEXICON["{key}"]' not in code]
    unread += [key for key in rules if f'"{key}"' not in code]
    assert unread == []
