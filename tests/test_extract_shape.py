"""The extractor's shape: steps read one document context instead of long parameter lists."""

from __future__ import annotations

import ast
from pathlib import Path

EXTRACT = Path(__file__).resolve().parent.parent / "app" / "extract"
MAX_PARAMETERS = 5


def _long_signatures(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")]
            if len(names) > MAX_PARAMETERS:
                found.append(f"{path.name}:{node.lineno} {node.name}({', '.join(names)})")
    return found


def test_no_step_takes_more_than_five_parameters() -> None:
    found = [hit for path in sorted(EXTRACT.glob("*.py")) for hit in _long_signatures(path)]
    assert found == [], "pass the Doc, the Page or a query object instead: " + "; ".join(found)


def test_the_check_sees_a_long_signature(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(a, b, c, *, d, e, f):\n    pass\n\nclass C:\n    def g(self, a, b):\n        pass\n")
    assert _long_signatures(sample) == ["sample.py:1 f(a, b, c, d, e, f)"]
