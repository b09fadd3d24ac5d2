"""Do the network and nudges views follow the pen? Drives the real window offscreen (or on the
display QT_QPA_PLATFORM names, e.g. xvfb) with mouse events and times each one until the view
has repainted with it.

    nice -n 10 python benchmarks/pen_latency.py [--preset accurate] [--seconds 4] [--rounds 2]
                                                [--views backpropView,networkView] [--no-training]

A pen draws digits on the canvas with real mouse events, one every 16 ms (a 60 Hz mouse), while
one view is the current tab. For every mouse event the latency is the time from sending it to
the end of the first repaint of that view (its widget and its children, the window's update
included) that shows a frame made after it: the LiveSession reads the canvas about 30 times a
second, hands the frame to the view, the view works out what to draw, and Qt repaints it. A
QApplication.notify override sees every event: it notes when each frame was made and when the
view's repaints end.

The views take turns, round after round, in one process (side by side: the machine's other
load falls on all of them alike), first with training paused (the person drawing and
looking), then with training running at full speed (while the drawing changes, these two views
take every frame; other views fewer). Target (issue 9): p95 ≤ 50 ms for the accurate preset's
784-512-512-10 network, in both. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from gui_responsiveness import Pen, percentile, run_loop  # noqa: E402 - after the path


class TimedPen(Pen):
    """The benchmark's pen, noting when it sends each mouse event."""

    def __init__(self, canvas, sent: list[float]) -> None:  # noqa: ANN001
        super().__init__(canvas)
        self.sent = sent

    def _next(self) -> None:
        self.sent.append(time.perf_counter())
        super()._next()


def make_app(argv: list[str]):  # noqa: ANN201 - the QApplication
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    paint, update = QEvent.Type.Paint, QEvent.Type.UpdateRequest

    class Watched(QApplication):
        """Times, from outside, when frames are made and when the watched view is repainted."""

        def __init__(self, argv: list[str]) -> None:
            super().__init__(argv)
            self.session = None  # the LiveSession whose frames are watched
            self.view: QWidget | None = None
            self.sent: list[float] = []  # mouse events not yet shown, by the time sent
            self.latencies: list[float] = []  # ms, of the events shown
            self._depth = 0
            self._frame = None
            self._frame_made = 0.0  # when the newest frame's tick began (the canvas read then)
            self._view_painted = False

        def notify(self, receiver, event) -> bool:  # noqa: ANN001
            kind = event.type()
            started = time.perf_counter()
            self._depth += 1
            try:
                return super().notify(receiver, event)
            finally:
                self._depth -= 1
                if self.session is not None:
                    self._after(receiver, kind, started)

        def _after(self, receiver, kind, started: float) -> None:  # noqa: ANN001
            view = self.view
            if kind == paint and view is not None and isinstance(receiver, QWidget) and (
                    receiver is view or view.isAncestorOf(receiver)):
                self._view_painted = True
            if self._depth == 0 and self.session.frame is not self._frame:
                self._frame, self._frame_made = self.session.frame, started
            # A repaint of the view ends with the update that painted it (or with its own paint
            # event, should Qt paint it outside an update): it shows the newest frame handed out.
            if self._view_painted and (kind == update or self._depth == 0):
                self._view_painted = False
                done = time.perf_counter()
                shown = [t for t in self.sent if t < self._frame_made]
                self.latencies += [1000 * (done - t) for t in shown]
                del self.sent[: len(shown)]

    return Watched(argv)


def measure(app, window, view, pen, seconds: float) -> list[float]:  # noqa: ANN001
    """Latencies (ms) of the pen's events while `view` is the current tab, for `seconds`; an
    event the view never showed counts as infinitely late."""
    window.inspectors.setCurrentWidget(view)
    run_loop(0.3)  # the tab shown and painted once before the timing starts
    app.view, app.sent, app.latencies = view, pen.sent, []
    pen.sent.clear()
    pen.timer.start()
    run_loop(seconds)
    pen.timer.stop()
    run_loop(0.2)  # the last events' repaints
    app.view = None
    return app.latencies + [math.inf] * len(app.sent)  # app.sent: the events never shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="accurate", help="network preset (video or accurate)")
    parser.add_argument("--seconds", type=float, default=4.0, help="drawing per view per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--views", default="backpropView,networkView",
                        help="objectNames of the inspector views, comma-separated")
    parser.add_argument("--no-training", action="store_true",
                        help="only with training paused")
    args = parser.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DIGITPAD_DATA_DIR"] = tempfile.mkdtemp(prefix="digitpad-bench-")
    sys.path.insert(0, str(ROOT))
    app = make_app(sys.argv[:1])

    from PySide6.QtWidgets import QWidget

    from digitpad.app import create_window

    window = create_window()
    window.resize(1360, 860)
    window.show()
    while not (window.windowHandle() and window.windowHandle().isExposed()):
        app.processEvents()
    while window.data_ready_at is None:
        app.processEvents()
        time.sleep(0.001)
    window.controls.choose_preset(args.preset)
    window.reset_network()
    trainer = window.trainer
    shape = "-".join(str(s) for s in trainer.network.sizes)
    views = [window.findChild(QWidget, name) for name in args.views.split(",")]
    if None in views:
        print(f"no such view among {args.views}", file=sys.stderr)
        return 2
    app.session = window.session
    pen = TimedPen(window.canvas, [])
    modes = ["paused"] + ([] if args.no_training else ["running"])
    results: dict[tuple[str, str], list[float]] = {}
    load_before = os.getloadavg()
    for mode in modes:
        if mode == "running":
            trainer.start()
            # The accurate preset first synthesizes its digits in many hands (seconds of work).
            deadline = time.monotonic() + 300
            while trainer.steps < 10 and time.monotonic() < deadline:
                run_loop(0.2)
            if trainer.steps < 10:
                print("training did not start within 300 s", file=sys.stderr)
                return 1
        for _ in range(args.rounds):
            for view in views:
                key = (mode, view.objectName())
                results.setdefault(key, []).extend(measure(app, window, view, pen, args.seconds))
        trainer.pause()
        trainer.wait_idle()
    load_after = os.getloadavg()
    steps = trainer.steps
    window.close()

    print(f"digitpad pen latency — {shape} network ({args.preset}), {os.cpu_count()} CPUs, "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"{args.rounds} rounds × {args.seconds:g} s per view, {steps} training steps")
    print("  mouse event → the view repainted with it, ms     p50     p95     max  events "
          "(never shown)")
    for (mode, name), values in results.items():
        p95 = percentile(values, 95)
        verdict = "ok" if p95 <= 50 else "MISSED"
        print(f"  {name:14s} training {mode:8s}           {percentile(values, 50):7.1f} "
              f"{p95:7.1f} {max(values, default=float('nan')):7.1f} {len(values):7d} "
              f"({values.count(math.inf)})  target p95 <= 50 ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
