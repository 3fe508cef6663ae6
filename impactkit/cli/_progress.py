"""A rich progress display on stderr, plugged into :mod:`impactkit.progress` (which knows nothing of rich).

Only steps that have run for ``delay`` seconds are shown, so quick steps never flicker; the display
is transient (it disappears when the work is done) and lives on stderr, leaving stdout to results.
"""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from impactkit.cli._texts import is_text, t
from impactkit.progress import Event

__all__ = ["RichProgress"]


class _Delayed(Progress):
    """A progress display that leaves out tasks younger than ``delay`` seconds."""

    def __init__(self, *columns: object, delay: float, **kwargs: object) -> None:
        super().__init__(*columns, **kwargs)  # type: ignore[arg-type]
        self.delay = delay

    def make_tasks_table(self, tasks: list[Task]) -> RenderableType:  # type: ignore[override]
        return super().make_tasks_table(
            [task for task in tasks if task.elapsed is not None and task.elapsed >= self.delay]
        )


class RichProgress:
    """An observer for :func:`impactkit.progress.observe` drawing each running step as a line."""

    def __init__(self, console: Console, lang: str, *, delay: float = 1.0) -> None:
        self.lang = lang
        self.display = _Delayed(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            delay=delay,
        )
        self._tasks: dict[int, TaskID] = {}
        self._started = False

    def _label(self, event: Event) -> str:
        key = f"step.{event.step}"
        if not is_text(key):
            key = "step.other"
        return t(key, self.lang, detail=event.detail) if "{detail}" in t(key) else t(key, self.lang)

    def __call__(self, event: Event) -> None:
        if event.kind == "start":
            if not self._started:
                self.display.start()
                self._started = True
            self._tasks[event.depth] = self.display.add_task(self._label(event), total=event.total)
            return
        task = self._tasks.get(event.depth)
        if task is None:
            return
        if event.kind == "advance":
            self.display.update(task, completed=event.done, description=self._label(event))
        else:
            self.display.remove_task(task)
            del self._tasks[event.depth]

    def close(self) -> None:
        if self._started:
            self.display.stop()
            self._started = False
