"""Slow motion: does the trainer keep its pace, and does the pace code cost anything at full speed?

    python benchmarks/pace.py [--preset video|accurate] [--seconds 5] [--rounds 5]
                              [--without REV]

On the real MNIST, the trainer alone (no window), with one BLAS thread as in the app:
- at 100, 10 and 1 steps/s: the steps taken in each second of a run (issue 9's target at 10
  steps/s: 10 ± 1 in every second), both paced alone and waiting until each step is seen by a
  viewer that reads a snapshot 30 times a second, as the window does;
- at full speed, side by side in one run: steps/s of this trainer (pace code in, pace None) and
  of the trainer before the pace code (digitpad/training/trainer.py at REV, by default the parent
  of the first commit that added set_pace), in interleaved rounds, best and median of each. That
  trainer also lacks what came later (sessions, the clock, my digits): a bound on what the pace
  code costs, not its cost alone. Only for presets without digits in many hands.
The load average is printed with the figures: on a busy machine both are slower and noisier.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitpad.core.mnist import Mnist, load_mnist  # noqa: E402
from digitpad.core.presets import PRESETS  # noqa: E402
from digitpad.training.trainer import Trainer  # noqa: E402

TRAINER = "digitpad/training/trainer.py"
VIEWER_HZ = 30  # the window reads a snapshot every frame, about 30 a second


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def trainer_before_pace(revision: str | None):
    """The Trainer class of trainer.py at `revision` (default: just before set_pace came)."""
    if revision is None:
        added = subprocess.run(
            ["git", "log", "--reverse", "--format=%H", "-S", "def set_pace", "--", TRAINER],
            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        if not added:
            sys.exit("benchmarks/pace.py: no commit adds set_pace; give --without REV")
        revision = f"{added[0]}^"
    source = subprocess.run(["git", "show", f"{revision}:{TRAINER}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix="_trainer_before_pace.py", delete=False) as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("trainer_before_pace", f.name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    os.unlink(f.name)
    label = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return module.Trainer, label


def steps_per_second_of_each_second(trainer: Trainer, seconds: int) -> list[int]:
    """Steps taken in each whole second, from the first step on (the trainer is running)."""
    while trainer.steps < 1:
        time.sleep(0.001)
    counts, start, done = [], time.monotonic(), trainer.steps
    for k in range(1, seconds + 1):
        time.sleep(max(0.0, start + k - time.monotonic()))
        now = trainer.steps
        counts.append(now - done)
        done = now
    return counts


def viewer(trainer: Trainer, stop: threading.Event) -> None:
    """Read a snapshot 30 times a second, as the window's frames do."""
    while not stop.wait(1 / VIEWER_HZ):
        trainer.snapshot()


def paced(data: Mnist, preset: str, pace: float, seconds: int, seen: bool) -> list[int]:
    settings = PRESETS[preset]
    trainer = Trainer(settings.new_network(seed=0), data, settings)
    stop = threading.Event()
    looker = threading.Thread(target=viewer, args=(trainer, stop))
    if seen:
        looker.start()
    try:
        trainer.set_pace(pace, wait_until_seen=seen)
        trainer.start()
        return steps_per_second_of_each_second(trainer, seconds)
    finally:
        stop.set()
        trainer.close()
        if seen:
            looker.join()


def full_speed(trainer_class, data: Mnist, preset: str, seconds: float) -> float:
    """Steps a second of a freshly made trainer at full speed, after 1 s of warming up."""
    settings = PRESETS[preset]
    trainer = trainer_class(settings.new_network(seed=0), data, settings)
    try:
        trainer.start()
        time.sleep(1.0)
        begun, done = time.perf_counter(), trainer.steps
        time.sleep(seconds)
        return (trainer.steps - done) / (time.perf_counter() - begun)
    finally:
        trainer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="video")
    parser.add_argument("--seconds", type=int, default=5, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=5, help="full-speed rounds of each")
    parser.add_argument("--without", default=None, help="git revision of the trainer "
                        "without the pace code (default: the parent of the commit adding it)")
    args = parser.parse_args()

    data = load_mnist()
    settings = PRESETS[args.preset]
    shape = "-".join(str(s) for s in settings.sizes)
    print(f"pace benchmark: {args.preset} preset, {shape}, batch {settings.batch}; "
          f"{load_average()}")

    print("\npaced (steps in each second of the run; target at 10 steps/s: 10 ± 1)")
    for pace in (100.0, 10.0, 1.0):
        seconds = max(args.seconds, 10) if pace == 1 else args.seconds
        for seen in (False, True):
            counts = paced(data, args.preset, pace, seconds, seen)
            how = "each step seen by a 30 Hz viewer" if seen else "alone"
            mean = sum(counts) / len(counts)
            verdict = ""
            if pace == 10:
                verdict = "  ok" if all(abs(c - 10) <= 1 for c in counts) else "  MISSED"
            print(f"  {pace:>5g} steps/s, {how:<34} mean {mean:7.2f}/s, each second "
                  f"{min(counts)}–{max(counts)}: {counts}{verdict}")

    if settings.synthetic:
        print(f"\nfull speed: not compared for the {args.preset} preset (the trainer before the "
              "pace code cannot make its digits in many hands); use --preset video")
        print(f"\n{load_average()}")
        return
    without, label = trainer_before_pace(args.without)
    print(f"\nfull speed, {args.rounds} interleaved rounds of {args.seconds} s each "
          f"(steps/s; without = trainer.py at {label}: before the pace code, and also before "
          "the changes to the trainer that came after it)")
    rates: dict[str, list[float]] = {"with pace code": [], "without": []}
    contestants = [("with pace code", Trainer), ("without", without)]
    for round_ in range(args.rounds):
        for name, trainer_class in contestants[round_ % 2:] + contestants[:round_ % 2]:
            rates[name].append(full_speed(trainer_class, data, args.preset, args.seconds))
    for name, values in rates.items():
        print(f"  {name:<15} best {max(values):8.1f}  median {statistics.median(values):8.1f}"
              f"  rounds {', '.join(f'{v:.0f}' for v in values)}")
    best = max(rates["with pace code"]) / max(rates["without"])
    median = statistics.median(rates["with pace code"]) / statistics.median(rates["without"])
    print(f"  with / without: best {best:.3f}, median {median:.3f}")
    print(f"\n{load_average()}")


if __name__ == "__main__":
    main()
