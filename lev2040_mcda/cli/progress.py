"""Progress on a terminal: which stage a long command is in, how far it is, how long it has taken
and about how long it will still take.

Progress goes to stderr, and only when stderr is a terminal: piped or redirected, nothing at all
is written, so neither the result on stdout (JSON, CSV) nor a log of stderr ever holds it. The
callbacks only watch the work: the result is the same bytes whether progress is shown or not.

One line per stage, redrawn in place while the stage runs (at most ten times a second, and every
half second so that the clock moves during a long solve), and left on the screen with its time
when the next stage starts::

    report: stage 3/11 sensitivity, SMAA samples [#########-----------] 4500/10000 0:04, about 0:05 left

The estimate is linear: the part's time so far, scaled to what is left of it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

__all__ = ["Display", "showing", "with_progress", "with_stages"]

BAR = 20
"""Characters of the bar."""
REDRAW = 0.1
"""Seconds between two redraws caused by progress (the first and the last are always drawn)."""
TICK = 0.5
"""Seconds between two redraws of the clock while nothing is reported."""


def clock(seconds: float) -> str:
    """A duration as m:ss, from an hour on as h:mm:ss.

    >>> clock(5.9), clock(65), clock(3725)
    ('0:05', '1:05', '1:02:05')
    """
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Display:
    """The progress line of one command on the terminal ``file``.

    ``stages`` are the names of the command's stages in order: a stage among them is shown as
    ``stage k/N name``. :meth:`stage` starts a stage, :meth:`update` reports ``done`` of
    ``total`` units of it (of one ``part`` of it, when a stage counts several things in turn),
    :meth:`close` ends the line.
    """

    def __init__(self, label: str, stages: Sequence[str] = (), file: TextIO | None = None) -> None:
        self.label, self.stages = label, tuple(stages)
        self.file = file if file is not None else sys.stderr
        self.name: str | None = None
        self.part = ""
        self.done: int | None = None
        self.total: int | None = None
        self.started = self.part_started = self.drawn = time.monotonic()
        self.open = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="lev2040-progress", daemon=True)
        self._ticker.start()

    def stage(self, name: str) -> None:
        """Stage ``name`` starts; the previous stage's line stays, with its time."""
        with self._lock:
            self._end()
            self.name, self.part, self.done, self.total = name, "", None, None
            self.started = self.part_started = time.monotonic()
            self._draw()

    def update(self, done: int, total: int, part: str = "") -> None:
        """``done`` of ``total`` units of the stage (or of its ``part``) are done."""
        with self._lock:
            now = time.monotonic()
            first = part != self.part or self.done is None or done < self.done
            if first:  # a part starts: with the stage when it is the stage's first count
                self.part, self.part_started = part, self.started if self.done is None else now
            self.done, self.total = done, total
            if first or done >= total or now - self.drawn >= REDRAW:
                self._draw()

    def close(self) -> None:
        """End the line (the last stage's stays on the screen) and stop the clock."""
        self._stop.set()
        self._ticker.join()
        with self._lock:
            self._end()

    def line(self, now: float | None = None, width: int = 200) -> str:
        """The text of the line as it is now, in at most ``width`` characters: the bar shrinks
        and goes first when the line is too long, then the end of the stage's name; the counts
        and times stay."""
        now = time.monotonic() if now is None else now
        head = self.label
        if self.name is not None and self.name != self.label:
            k = self.stages.index(self.name) + 1 if self.name in self.stages else 0
            head += f": stage {k}/{len(self.stages)} {self.name}" if k else f": {self.name}"
        if self.part:
            head += f", {self.part}"
        tail, share = clock(now - self.started), None
        if self.total is not None and self.done is not None:
            share = min(1.0, self.done / self.total) if self.total > 0 else 1.0
            tail = f"{self.done}/{self.total} {tail}"
        if self.total and self.done and self.done < self.total:
            left = (now - self.part_started) * (self.total - self.done) / self.done
            tail += f", about {clock(left)} left"
        room = min(BAR, width - len(head) - len(tail) - 4)  # " [" "]" " "
        if share is None or room < 5:
            return f"{head[: max(0, width - len(tail) - 1)]} {tail}"[:width]
        full = round(share * room)
        return f"{head} [{'#' * full}{'-' * (room - full)}] {tail}"

    def _draw(self) -> None:
        self.drawn = time.monotonic()
        self.file.write("\r" + self.line(self.drawn, _width(self.file)) + "\x1b[K")
        self.file.flush()
        self.open = True

    def _end(self) -> None:
        if self.open:
            self._draw()
            self.file.write("\n")
            self.file.flush()
            self.open = False

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                if self.open:
                    self._draw()


def _width(file: TextIO) -> int:
    """Columns of the terminal ``file`` shows on, less one (a full line would wrap on some)."""
    try:
        columns = os.get_terminal_size(file.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    return (columns or shutil.get_terminal_size((80, 24)).columns or 80) - 1


@contextlib.contextmanager
def showing(label: str, stages: Sequence[str] = ()) -> Iterator[Display | None]:
    """A :class:`Display` on stderr when stderr is a terminal, else ``None``; the line is ended
    however the block ends (an error message then starts on a line of its own)."""
    if not sys.stderr.isatty():
        yield None
        return
    display = Display(label, stages, sys.stderr)
    try:
        yield display
    finally:
        display.close()


def with_progress(label: str, total: int, run: Callable[[Callable[[int, int], None] | None], Any]) -> Any:
    """``run(progress)``: on a terminal ``progress(done, total)`` draws ``label``'s bar; piped,
    ``progress`` is ``None`` and nothing is shown."""
    with showing(label) as display:
        if display is None:
            return run(None)
        display.stage(label)
        display.update(0, total)
        return run(display.update)


def with_stages(
    label: str, stages: Sequence[str], run: Callable[[Callable[[str, int, int], None] | None], Any]
) -> Any:
    """``run(tell)``: on a terminal ``tell(stage, done, total)`` shows each of ``stages`` as it
    starts and how far it is; piped, ``tell`` is ``None`` and nothing is shown."""
    with showing(label, stages) as display:
        if display is None:
            return run(None)

        def tell(stage: str, done: int, total: int) -> None:
            if stage != display.name:
                display.stage(stage)
            display.update(done, total)

        return run(tell)
