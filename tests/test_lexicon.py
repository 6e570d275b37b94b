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
            words = len(strings) >= 3 and len(strings) == len(node.elts)
            if words and all(re.fullmatch(r"[A-Za-z][A-Za-z '\-]*", s) for s in strings):
                found.append(f"{path.name}:{node.lineno}: {strings[:3]}")
    return found


def test_no_word_list_in_the_extractors_code() -> None:
    found = [hit for path in sorted(EXTRACT.glob("*.py")) for hit in _word_list_literals(path)]
    assert found == [], "word lists belong in app/extract/data/en/: " + "; ".join(found)


def test_the_literal_check_finds_a_word_list(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('_WORDS = frozenset({"killed", "dead", "died"})\n__slots__ = ("a", "b", "c")\n', encoding="utf-8")
    assert _word_list_literals(sample) == ["sample.py:1: ['killed', 'dead', 'died']"]


def test_every_list_is_read() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py"))
    lexicon = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    rules = json.loads((DATA / "rules.json").read_text(encoding="utf-8"))
    unread = [key for key in lexicon if f'LEXICON["{key}"]' not in code]
    unread += [key for key in rules if f'"{key}"' not in code]
    assert unread == []
