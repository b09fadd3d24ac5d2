"""Quitting with the largest session and starting from it: the real window, offscreen.

    nice -n 10 python benchmarks/session_speed.py [--preset accurate] [--rounds 3]

The trainer keeps at most 2^18 steps of history, so that is the largest session a quit ever
writes. This makes one, of the preset's network (momentum included) with 2^18 steps and an
epoch every 300 steps, and measures, each round:
- save: save_session() alone, as the window calls it on quit (atomic: fsync and rename);
- quit: window.close() of a window holding that run, until it has returned (the session is
  saved, the trainer stopped);
- start: create_window() until the cost and gradient plots have taken in every step, from that
  session, against the same with no session;
- file: the session's size on disk.
Target (issue 10): "never block quit for long"; here, quit <= 1 s and start <= +1 s. Times
depend on the machine, its load and its disk (fsync above all): run it twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def largest_session(preset: str):
    """A session of the preset's network with the most history the trainer keeps."""
    import numpy as np

    from digitpad.core.diagnosis import EpochScore, RunHistory
    from digitpad.core.model_story import NEW_NETWORK
    from digitpad.core.presets import PRESETS
    from digitpad.core.saved_session import MAX_STEPS, RunRecord, SavedSession

    settings = PRESETS[preset]
    network = settings.new_network(seed=0)
    network.velocity = [np.full_like(p, 1e-3) for p in network.weights + network.biases]
    rng = np.random.default_rng(0)
    costs = (2 * np.exp(-np.arange(MAX_STEPS) / 5e4) + 0.1 * rng.random(MAX_STEPS))
    norms = rng.random((MAX_STEPS, len(network.weights))) + 0.1
    epochs = [EpochScore(s, 0.9, 0.3) for s in range(300, MAX_STEPS + 1, 300)]
    history = RunHistory(costs.astype(np.float32), norms.astype(np.float32), epochs, 1)
    confusion = rng.integers(0, 100, (10, 10))
    run = RunRecord(history, confusion, ((0.8, 20),) * len(epochs))
    return SavedSession(network, settings, NEW_NETWORK, run)


def started(data) -> tuple[object, float]:
    """create_window() until the plots have taken in the trainer's every step (the restored
    run is handed to them as the window is made); (window, seconds)."""
    from PySide6.QtWidgets import QApplication

    from digitpad.app import create_window

    began = time.perf_counter()
    window = create_window(data=data)
    window.show()
    steps = window.trainer.steps
    plots = (window.cost_plot, window.gradient_plot)
    while any(plot._shown_steps != steps for plot in plots):  # noqa: SLF001 - a measurement
        QApplication.processEvents()
    return window, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="accurate", choices=("video", "accurate"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from digitpad.core.saved_session import load_session, save_session
    from tests.conftest import make_small_mnist

    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive
    data = make_small_mnist()
    session = largest_session(args.preset)
    saves, quits, starts, fresh = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DIGITPAD_DATA_DIR"] = folder
        path = Path(folder) / "session.npz"
        for _ in range(args.rounds):
            path.unlink(missing_ok=True)
            window, seconds = started(data)  # no session
            fresh.append(seconds)
            window.sessions.remember_action.setChecked(False)  # this one is not kept
            window.close()
            window.sessions.remember_action.setChecked(True)

            began = time.perf_counter()
            save_session(path, session)
            saves.append(time.perf_counter() - began)
            window, seconds = started(data)  # from the largest session
            starts.append(seconds)
            assert window.trainer.steps == session.steps, "the session did not come back"
            began = time.perf_counter()
            window.close()
            quits.append(time.perf_counter() - began)
            assert load_session(path).steps == session.steps
        size = path.stat().st_size

    def ms(values: list[float]) -> str:
        return f"median {1000 * statistics.median(values):.0f} ms (" + ", ".join(
            f"{1000 * v:.0f}" for v in values) + ")"

    print(f"largest session, {args.preset} preset: {session.steps:,} steps, "
          f"{len(session.run.history.epochs):,} epochs, {size / 2**20:.1f} MiB on disk")
    print(f"  save_session alone:      {ms(saves)}")
    print(f"  quit (window.close()):   {ms(quits)}   target <= 1000 ms")
    print(f"  start, no session:       {ms(fresh)}")
    print(f"  start, from the session: {ms(starts)}   target <= +1000 ms: "
          f"+{1000 * (statistics.median(starts) - statistics.median(fresh)):.0f} ms")
    print(f"  machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
