"""What does each inspector view cost the GUI thread? Feeds every view of ui/inspectors.py the
same frames offscreen and times its work, with the drawing still and with the pen moving.

    nice -n 10 python benchmarks/inspector_views.py [--frames 200] [--rounds 3] [--hidden 16,16]

The frames are those of a 784-16-16-10 network (--hidden 512,512: the accurate preset's) in
training with a drawn digit: each has newer weights, more steps and (every 30 frames) a new
epoch. For each view, shown and hidden, it prints the GUI thread's CPU time per frame handed
over (the best of the rounds: other programs only ever add time), and per second at the view's
refresh rate: the time the trainer's thread cannot run Python while the view shows (only one
thread runs Python at a time). Then the same with the pen moving (the digit grows in every
frame), per second at the view's rate while drawing. A new view should stay well under the
cost of the existing ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_frames(count: int, hidden: tuple[int, ...] = (16, 16),  # noqa: ANN201 - Frames
                pen_moving: bool = False):
    """Frames of a run; with `pen_moving`, a 0 is being drawn: in each frame it goes on."""
    import numpy as np

    from digitpad.core.network import Network
    from digitpad.training.trainer import EpochResult, Snapshot
    from digitpad.ui.frame import Frame

    rng = np.random.default_rng(0)
    network = Network((784, *hidden, 10), seed=0)
    seen = np.zeros((28, 28), np.float32)
    seen[6:22, 12:16] = 1.0  # a 1, as the network would see it
    costs = rng.random(count * 40, dtype=np.float32)
    norms = rng.random((count * 40, len(hidden) + 1), dtype=np.float32)
    frames, epochs = [], []
    for i in range(count):
        network = network.copy()
        network.weights[0] += rng.normal(0, 1e-3, network.weights[0].shape).astype(np.float32)
        steps = 40 * (i + 1)
        if i % 30 == 29:
            confusion = rng.integers(0, 30, (10, 10)) + np.diag(rng.integers(800, 1000, 10))
            epochs = [*epochs, EpochResult(len(epochs) + 1, steps, 0.3, 0.9, confusion)]
        snapshot = Snapshot(steps=steps, epoch=len(epochs), epoch_fraction=0.5,
                            examples_per_second=1e5, dropped=0, batch_costs=costs[:steps],
                            grad_norms=norms[:steps], epochs=epochs, network=network,
                            is_running=True, error=None)
        if pen_moving:
            seen = drawn_so_far(i % 40 + 1)
        outputs = network.forward(seen.reshape(1, -1))[0]
        frame = Frame(snapshot, network, seen, outputs, pen_down=pen_moving, run=0, drawing=0)
        before = frames[-1] if frames else None
        frames.append(dataclasses.replace(frame, changed=frame.changes_since(before)))
    return frames


def drawn_so_far(pieces: int):  # noqa: ANN201 - an array
    """A 0 as the network sees it, drawn up to `pieces` fortieths of the way round."""
    import numpy as np

    y, x = np.mgrid[0:28, 0:28]
    ring = np.abs(np.hypot((x - 14) / 5, (y - 14) / 8) - 1) < 0.2
    angle = (np.arctan2(x - 14, 14 - y) % (2 * np.pi)) / (2 * np.pi)
    return (ring & (angle <= pieces / 40)).astype(np.float32)


def cost_per_frame(view, frames, app, visible: bool) -> float:  # noqa: ANN001
    """GUI-thread CPU milliseconds per frame handed to `view`, painting included."""
    view.setVisible(visible)
    app.processEvents()
    start = time.thread_time()
    for frame in frames:
        view.show_frame(frame)
        app.processEvents()  # the repaints the frame asked for
    return 1000 * (time.thread_time() - start) / len(frames)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hidden", default="16,16", help="hidden layer sizes, e.g. 512,512")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    from digitpad.ui.inspectors import INSPECTORS

    app = QApplication.instance() or QApplication(sys.argv[:1])
    hidden = tuple(int(n) for n in args.hidden.split(","))
    frames = make_frames(args.frames, hidden)
    drawing = make_frames(args.frames, hidden, pen_moving=True)
    print(f"inspector views: GUI-thread CPU per frame, best of {args.rounds} rounds of "
          f"{args.frames} frames of 784-{args.hidden.replace(',', '-')}-10, at 590x330 "
          f"(load average {os.getloadavg()[0]:.1f})")
    print(f"  {'':22}{'drawing still':^48}   {'pen moving':^28}")
    print(f"  {'view':<22}{'shown':>10}{'hidden':>10}{'rate':>8}{'shown, per second':>20}   "
          f"{'shown':>8}{'rate':>6}{'per second':>14}")
    for kind in INSPECTORS:
        view = kind()
        view.resize(590, 330)
        shown = min(cost_per_frame(view, frames, app, True) for _ in range(args.rounds))
        hidden = min(cost_per_frame(view, frames, app, False) for _ in range(args.rounds))
        moving = min(cost_per_frame(view, drawing, app, True) for _ in range(args.rounds))
        rate = kind.refresh_hz_while_drawing or kind.refresh_hz
        print(f"  {kind.title:<22}{shown:8.2f}ms{hidden:8.2f}ms{kind.refresh_hz:6.0f}Hz"
              f"{shown * kind.refresh_hz:14.1f} ms/s   {moving:6.2f}ms{rate:4.0f}Hz"
              f"{moving * rate:9.1f} ms/s")
        view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
