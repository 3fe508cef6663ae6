"""Progress of long steps, told to whoever is listening (the library itself draws nothing).

Library code wraps each step that may take more than a moment::

    with progress.step("psa", total=draws) as s:
        for chunk in chunks:
            ...
            s.advance(len(chunk))

Without an observer a step costs a context-variable lookup.  A caller listens by installing an
observer for the duration of a block; the CLI plugs a rich progress display into it, a notebook
could plug tqdm::

    >>> import impactkit as ik
    >>> seen = []
    >>> with ik.progress.observe(seen.append):
    ...     with ik.progress.step("psa", total=2) as s:
    ...         s.advance(2)
    >>> [(e.kind, e.step, e.done) for e in seen]
    [('start', 'psa', 0), ('advance', 'psa', 2), ('end', 'psa', 2)]

Step names are stable keys (``read``, ``describe``, ``change``, ``omnibus``, ``reliable_change``,
``attrition``, ``mixed_model``, ``psa``, ``tornado``, ``render``, ``pdf``); a display translates
them.  Observers must not raise: an exception in an observer propagates into the step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

__all__ = ["Event", "Observer", "Step", "observe", "step"]


@dataclass(frozen=True)
class Event:
    """One thing that happened to a step: it started, advanced or ended.

    ``total`` is None when the amount of work is unknown (a spinner); ``detail`` is free text for
    the display (a domain, a file name); ``seconds`` is the time since the step started.
    """

    kind: Literal["start", "advance", "end"]
    step: str
    done: int
    total: int | None
    detail: str
    seconds: float
    depth: int


Observer = Callable[[Event], None]
_observer: ContextVar[Observer | None] = ContextVar("impactkit_progress_observer", default=None)
_depth: ContextVar[int] = ContextVar("impactkit_progress_depth", default=0)


class Step:
    """A running step; ``advance`` reports work done (no-op without an observer)."""

    __slots__ = ("_observer", "_started", "depth", "detail", "done", "name", "total")

    def __init__(
        self, name: str, total: int | None, detail: str, observer: Observer | None, depth: int
    ) -> None:
        self.name, self.total, self.detail = name, total, detail
        self.done = 0
        self.depth = depth
        self._observer = observer
        self._started = time.perf_counter()

    def _emit(self, kind: Literal["start", "advance", "end"]) -> None:
        if self._observer is not None:
            seconds = time.perf_counter() - self._started
            self._observer(Event(kind, self.name, self.done, self.total, self.detail, seconds, self.depth))

    def advance(self, n: int = 1, *, detail: str | None = None) -> None:
        """Report ``n`` more units of work done (and optionally what is being worked on now)."""
        self.done += int(n)
        if detail is not None:
            self.detail = detail
        self._emit("advance")


@contextmanager
def step(name: str, *, total: int | None = None, detail: str = "") -> Iterator[Step]:
    """Run a block as a named step; the observer (if any) hears its start, progress and end."""
    observer = _observer.get()
    depth = _depth.get()
    s = Step(name, total, detail, observer, depth)
    token = _depth.set(depth + 1)
    s._emit("start")
    try:
        yield s
    finally:
        _depth.reset(token)
        s._emit("end")


@contextmanager
def observe(observer: Observer | None) -> Iterator[None]:
    """Send the events of every step run inside the block to ``observer`` (None: silence)."""
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)
