"""Is the window responsive while the network trains? Drives the real window offscreen.

    nice -n 10 python benchmarks/gui_responsiveness.py [--preset video|accurate] [--seconds 8]
                                                       [--tab 1|network,nudges|all]

Each view named by --tab is shown in turn and measured in the same way, and the figures of all
of them are printed side by side at the end, against one headless speed measured before and
after them all.

Measures, and prints next to the targets of issue 3:
- time from process start until the window is visible, and until MNIST is ready to train;
- event-loop gaps while training runs and a digit is being drawn with mouse events: a 1 ms
  timer records when it fires; a gap far above 1 ms means the GUI was stalled that long;
- training speed in the app (steps/s while drawing, and while only watching) against the same
  SGD loop run headless (core.sgd, without the test set's scoring) on the same network, batch
  size and data, with the same one BLAS thread the trainer uses;
- peak resident memory.
Times depend on the machine and on whatever else runs on it: run it a few times.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seconds_since_process_start() -> float:
    """Wall time since this process was started (Linux /proc; else since this module loaded)."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _LOADED


_LOADED = time.perf_counter()


def percentile(values, q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


def digit_strokes():
    """Strokes of a few digits in grid units, drawn one after another, over and over."""
    import numpy as np

    t = np.linspace(0, 1, 40)
    zero = [(14 + 6 * np.sin(2 * np.pi * s), 14 - 8 * np.cos(2 * np.pi * s)) for s in t]
    one = [(15 - 2 * s, 5 + 18 * s) for s in t]
    seven = [(8 + 12 * s, 6) for s in t[:15]] + [(20 - 8 * s, 6 + 17 * s) for s in t]
    return [zero, one, seven]


class Pen:
    """Replays strokes on the canvas as real mouse events, one point per 16 ms (a 60 Hz mouse)."""

    def __init__(self, canvas) -> None:  # noqa: ANN001
        from PySide6.QtCore import QTimer

        self.canvas = canvas
        self.strokes = digit_strokes()
        self.stroke = 0
        self.point = 0
        self.events = 0
        self.timer = QTimer()
        self.timer.setInterval(16)
        self.timer.timeout.connect(self._next)

    def _next(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        points = self.strokes[self.stroke % len(self.strokes)]
        x, y = points[self.point]
        pos = self.canvas.from_grid(x, y).toPoint()
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        if self.point == 0:
            self.canvas.clear()
            QTest.mousePress(self.canvas, left, none, pos)
        elif self.point == len(points) - 1:
            QTest.mouseRelease(self.canvas, left, none, pos)
        else:
            QTest.mouseMove(self.canvas, pos)
        self.events += 1
        self.point += 1
        if self.point == len(points):
            self.point = 0
            self.stroke += 1


class GapProbe:
    """A 1 ms timer; the time between its firings shows how long the event loop was busy."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.stamps: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.stamps.append(time.perf_counter()))

    def gaps_ms(self) -> list[float]:
        return [1000 * (b - a) for a, b in zip(self.stamps, self.stamps[1:])]


def run_loop(seconds: float) -> None:
    """Run a real Qt event loop for `seconds`, as app.exec() does in the app.

    (Not app.exec() + app.quit(): in Qt 6, quit() first closes every window.)
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def headless_steps_per_second(network, data, settings, seconds: float) -> float:  # noqa: ANN001
    """The trainer's loop (core.sgd) on this thread, with the one BLAS thread the trainer uses,
    without the test set's scoring after each epoch (as Network.train_step alone was timed)."""
    from threadpoolctl import threadpool_limits

    from digitpad.core.mnist import Mnist
    from digitpad.core.sgd import SGD, Step

    no_test = Mnist(data.train_images, data.train_labels, data.test_images[:0],
                    data.test_labels[:0])
    events = iter(SGD(network, no_test, settings, seed=1))
    with threadpool_limits(limits=1, user_api="blas"):
        while not isinstance(next(events), Step):  # untimed: the loop's start synthesizes
            pass  # the preset's digits in many hands, saying how far it got
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            count += isinstance(next(events), Step)
        return count / (time.perf_counter() - start)


def find_views(window, names: str) -> list:  # noqa: ANN001
    """The inspector views named, in order: "all", or comma-separated tab numbers (1 = the
    first), objectNames ("networkView") or words of a tab's title ("network", "nudges")."""
    views = window.inspector_views
    if names.strip().lower() == "all":
        return list(views)
    chosen = []
    for name in (n.strip() for n in names.split(",")):
        if name.isdigit() and 1 <= int(name) <= len(views):
            chosen.append(views[int(name) - 1])
            continue
        found = [v for v in views if v.objectName().lower() == name.lower()] or [
            v for v in views if name.lower() in v.title.lower().split()]
        if len(found) != 1:
            titles = ", ".join(f"{v.objectName()} ({v.title})" for v in views)
            raise SystemExit(f"gui_responsiveness: {name!r} names {len(found)} views; "
                             f"the views are {titles}")
        chosen.append(found[0])
    return chosen


def measure_view(window, pen, probe, seconds: float) -> dict:  # noqa: ANN001
    """With the current tab: event-loop gaps with the pen drawing, idle and while training,
    and training speed in the app while drawing and while only watching."""
    trainer = window.trainer
    # 1. Baseline: the pen draws, nothing trains.
    probe.stamps.clear()
    pen.timer.start()
    probe.timer.start()
    run_loop(min(3.0, seconds))
    probe.timer.stop()
    idle_gaps = probe.gaps_ms()

    # 2. Training while the pen draws, with the 1 ms probe watching the event loop.
    probe.stamps.clear()
    steps0 = trainer.steps
    trainer.start()
    # Past the first steps (the accurate preset first synthesizes its digits in many hands).
    deadline = time.monotonic() + 300
    while trainer.steps < steps0 + 10 and time.monotonic() < deadline:
        run_loop(0.1)
    run_loop(0.5)  # past the first frames and the first test-set evaluation warm-up
    probe.timer.start()
    run_loop(seconds)
    probe.timer.stop()
    busy_gaps = probe.gaps_ms()

    # 3. Training speed while the pen draws, without the probe (it costs the worker time).
    steps0, t0, cpu0 = trainer.steps, time.perf_counter(), time.thread_time()
    run_loop(seconds)
    elapsed = time.perf_counter() - t0
    app_speed = (trainer.steps - steps0) / elapsed
    # CPU time of the GUI thread: the time Python spent on the window, which the trainer's
    # thread could not use (one thread runs Python at a time). Unlike wall-clock gaps, this
    # hardly depends on what else the machine is doing.
    gui_cpu_ms = 1000 * (time.thread_time() - cpu0) / elapsed
    pen.timer.stop()

    # 4. Training while the person only watches (the plots and the status bar still update).
    steps0, t0 = trainer.steps, time.perf_counter()
    run_loop(seconds)
    watching_speed = (trainer.steps - steps0) / (time.perf_counter() - t0)
    trainer.pause()
    trainer.wait_idle()
    return {"idle_gaps": idle_gaps, "busy_gaps": busy_gaps, "app_speed": app_speed,
            "gui_cpu_ms": gui_cpu_ms, "watching_speed": watching_speed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="video", help="network preset (video or accurate)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each measurement")
    parser.add_argument("--tab", default="1",
                        help="the inspector views shown under the cost plot, one after another: "
                             "comma-separated tab numbers (1 gradients, 2 nudges, ...), "
                             "objectNames (networkView) or title words (network, nudges), or "
                             "all")
    args = parser.parse_args()

    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DIGITPAD_DATA_DIR"] = tempfile.mkdtemp(prefix="digitpad-bench-")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    from digitpad.app import create_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window()
    window.resize(1360, 860)
    window.show()
    while not (window.windowHandle() and window.windowHandle().isExposed()):
        app.processEvents()
    app.processEvents()
    visible = seconds_since_process_start()
    while window.data_ready_at is None:
        app.processEvents()
        time.sleep(0.001)
        if seconds_since_process_start() > 60:
            print("MNIST did not load within 60 s", file=sys.stderr)
            return 1
    data_ready = seconds_since_process_start()

    views = find_views(window, args.tab)
    window.controls.choose_preset(args.preset)
    window.reset_network()
    trainer = window.trainer
    network_shape = "-".join(str(s) for s in trainer.network.sizes)
    batch = trainer.settings.batch

    pen = Pen(window.canvas)
    probe = GapProbe()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    # Headless speed before and after the in-app runs: other programs on the machine change
    # its speed over time, and the average of both brackets the in-app measurements.
    headless_before = headless_steps_per_second(trainer.network.copy(), trainer.data,
                                                trainer.settings, args.seconds / 2)
    results = {}
    for view in views:
        window.inspectors.setCurrentWidget(view)
        results[view.objectName()] = measure_view(window, pen, probe, args.seconds)
    predicted = window.prediction.digit_label.text()
    pen_events = pen.events

    network, data, settings = trainer.network.copy(), trainer.data, trainer.settings
    window.close()
    headless_after = headless_steps_per_second(network, data, settings, args.seconds / 2)
    headless = (headless_before + headless_after) / 2
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"digitpad GUI responsiveness — {network_shape} network ({args.preset}), batch "
          f"{batch}, {os.cpu_count()} CPUs (load average {load_before:.1f} before, "
          f"{load_after:.1f} after), {args.seconds:g} s per measurement")
    print(f"  window visible after launch   {visible:6.2f} s    target <= 1.5 s   "
          f"{verdict(visible <= 1.5)}")
    print(f"  data ready to train           {data_ready:6.2f} s    target <= 3 s     "
          f"{verdict(data_ready <= 3)}")
    print(f"  headless SGD loop             {headless:8.0f} steps/s (before {headless_before:.0f}, "
          f"after {headless_after:.0f})")
    print(f"  peak resident memory          {peak_rss_mb:6.0f} MB   target <= 500 MB  "
          f"{verdict(peak_rss_mb <= 500)}")
    print("  targets while training and drawing: event-loop gap p99 <= 30 ms (aim 16), "
          "max <= 100 ms; in the app >= 50 % of headless (aim 80 %)")
    print(f"  {'view shown':16s} {'idle p99':>8s} {'train p50':>9s} {'p99':>6s} {'max':>6s}  "
          f"{'gaps':6s} {'GUI CPU':>8s} {'drawing':>15s} {'watching':>15s}  speed")
    for name, r in results.items():
        p99, worst = percentile(r["busy_gaps"], 99), max(r["busy_gaps"], default=float("nan"))
        ratio = r["app_speed"] / headless if headless else float("nan")
        watching = r["watching_speed"] / headless if headless else float("nan")
        print(f"  {name:16s} {percentile(r['idle_gaps'], 99):6.1f}ms "
              f"{percentile(r['busy_gaps'], 50):7.1f}ms {p99:4.1f}ms {worst:4.0f}ms  "
              f"{verdict(p99 <= 30 and worst <= 100):6s} {r['gui_cpu_ms']:4.0f}ms/s "
              f"{r['app_speed']:6.0f}/s {100 * ratio:4.0f}% {r['watching_speed']:6.0f}/s "
              f"{100 * watching:4.0f}%  {verdict(ratio >= 0.5)}")
    print(f"  (steps/s in the app and % of headless, while the pen draws and while only "
          f"watching; {pen_events} mouse events drawn; last prediction {predicted!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
