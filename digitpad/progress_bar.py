"""A one-line progress bar for `digitpad train`, redrawn in place on a terminal."""

import math
import shutil
import time
from typing import TextIO

REDRAW_INTERVAL_S = 0.1  # redrawing on every mini-batch would cost more than the batch


class ProgressBar:
    """Draws `epoch 2/10 [=====     ] batch 310/600  cost 0.1234  5,210 ex/s  ETA 0:42`."""

    def __init__(self, stream: TextIO, epochs: int, batch: int) -> None:
        self.stream = stream
        self.epochs = epochs
        self.batch = batch
        self._drawn_at = 0.0
        self._visible = False

    def update(self, epoch: int, done: int, total: int, cost: float, speed: float) -> None:
        now = time.monotonic()
        if now - self._drawn_at < REDRAW_INTERVAL_S and done < total:
            return
        self._drawn_at = now
        remaining = (self.epochs - epoch) * total + (total - done)
        eta = format_duration(remaining / speed) if speed > 0 else "?"
        # Counted like the mini-batches themselves: the last one of an epoch may be smaller.
        batches = math.ceil(total / self.batch)
        current = math.ceil(done / self.batch)
        text = (f"batch {current:>{len(str(batches))}}/{batches}  cost {cost:.4f}"
                f"  {speed:,.0f} ex/s  ETA {eta}")
        head = f"epoch {epoch}/{self.epochs} "
        width = shutil.get_terminal_size().columns - 1  # the last column would wrap the line
        bar_width = min(30, width - len(head) - len(text) - 3)
        if bar_width >= 5:
            filled = bar_width * done // total
            head += "[" + "=" * filled + " " * (bar_width - filled) + "] "
        self.stream.write("\r" + (head + text)[:width] + "\033[K")
        self.stream.flush()
        self._visible = True

    def clear(self) -> None:
        """Remove the bar, so that a normal line can be printed where it was."""
        if self._visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._visible = False


def format_duration(seconds: float) -> str:
    """0:42, 12:05, 1:02:03."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
