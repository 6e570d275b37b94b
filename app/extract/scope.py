"""The work shared by the steps of one extraction: computed once per document, dropped when the document is done.

Steps that need a whole-document result (the lexicon scan, the speech verbs, the dates) ask for it with the
document's text; inside `document_scope()` — which `extract_claims` opens for each document — the first step to ask
computes it and the others reuse it. Nothing outlives the document: no module keeps a cache keyed by document text,
so a large document's scan is freed with it, and two extractions (threads, interleaved calls) never share one.
Outside a scope the functions simply compute.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_SCOPE: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("claimdb_document_scope", default=None)


@contextmanager
def document_scope() -> Iterator[None]:
    """The lifetime of one document's shared work."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def per_document(fn: Callable[P, R]) -> Callable[P, R]:
    """Remember `fn`'s result for the same arguments while the current document scope lasts."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _SCOPE.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (fn, args, tuple(sorted(kwargs.items()))) if kwargs else (fn, args)
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper
