"""Where does Network.train_step spend its time? Line by line, for the core_speed configuration.

For 784-16-16-10, sigmoid hidden, softmax + cross-entropy, mini-batch 100 on MNIST, it prints:

1. the plain time of one train_step (plus gathering the batch), with NumPy's BLAS on 1 thread
   and on 2, interleaved: at these sizes extra BLAS threads mostly wait for each other;
2. line by line, with line_profiler (``pip install line-profiler``; skipped without it), the
   functions train_step runs in digitpad/core (network.py, costs.py, activations.py):
   microseconds per train_step for each line (best of 5 passes), including what the line
   calls. NumPy operators such as ``@`` are invisible to cProfile, hence this view;
   line_profiler adds well under a microsecond per line, so the sum comes out somewhat above
   the plain time;
3. cProfile's view: the most expensive Python and NumPy functions by their own time.

Run from the repository root:  python benchmarks/profile_train_step.py [--steps 300]
"""

import argparse
import cProfile
import io
import linecache
import pstats
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from digitpad.core import Network, activations, costs, network, sums
from digitpad.core.mnist import as_inputs, load_mnist

BATCH = 100
LR = 0.5
PASSES = 5  # line-by-line passes; each line keeps its best


def step_seconds(net: Network, X, y, order, steps: int) -> float:
    """Best-of-3 mean seconds per (gather + train_step)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for k in range(steps):
            batch = order[(k * BATCH) % len(X) :][:BATCH]
            net.train_step(X[batch], y[batch], LR)
        best = min(best, (time.perf_counter() - start) / steps)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300, help="train steps per measurement")
    args = parser.parse_args(argv)

    data = load_mnist()
    X, y = as_inputs(data.train_images), data.train_labels.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(X))
    net = Network((784, 16, 16, 10), "sigmoid", "softmax", "cross_entropy", seed=0)
    step_seconds(net, X, y, order, 20)  # warm up

    print("1. One train_step on a mini-batch of 100 (gathering included), best of 3 x "
          f"{args.steps} steps, BLAS threads interleaved:")
    results: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(3):
        for threads in results:
            with threadpool_limits(limits=threads, user_api="blas"):
                results[threads].append(step_seconds(net, X, y, order, args.steps))
    for threads, seconds in results.items():
        per_step = min(seconds)
        print(f"   BLAS {threads} thread(s): {per_step * 1e6:7.1f} us per step = "
              f"{per_step * 600:.3f} s per 60,000-example epoch")

    with threadpool_limits(limits=1, user_api="blas"):
        print("\n2. Line by line (BLAS 1 thread), microseconds per train_step:")
        line_by_line(net, X, y, order, args.steps)

        print("\n3. cProfile, own time per function (BLAS 1 thread):")
        profile = cProfile.Profile()
        profile.enable()
        for k in range(args.steps):
            batch = order[k * BATCH : (k + 1) * BATCH]
            net.train_step(X[batch], y[batch], LR)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(14)
        text = out.getvalue()
        print(text[text.index("   ncalls") :].rstrip())
    return 0


def line_by_line(net: Network, X, y, order, steps: int) -> None:
    try:
        from line_profiler import LineProfiler
    except ImportError:
        print("   skipped: install line_profiler with `pip install line-profiler`")
        return
    functions = [
        Network.train_step, Network._step, Network._backprop, Network._feedforward,
        Network._mean_cost, Network._one_hot, Network._inputs, network.weighted_input,
        costs.output_layer, costs._softmax_cross_entropy, activations.sigmoid,
        activations.sigmoid_prime, sums.column_sums, sums.row_sums,
    ]
    hits_per_step: dict[tuple, float] = {}
    # Several passes, each line's best: a burst of background load then spoils one pass only.
    best: dict[tuple, dict[int, float]] = {}
    for _ in range(PASSES):
        profiler = LineProfiler(*functions)
        for k in range(steps):
            batch = order[k * BATCH : (k + 1) * BATCH]
            profiler.runcall(net.train_step, X[batch], y[batch], LR)
        stats = profiler.get_stats()
        for function, lines in stats.timings.items():
            seen = best.setdefault(function, {})
            for line, hits, t in lines:
                us = t * stats.unit / steps * 1e6
                seen[line] = min(seen.get(line, us), us)
                hits_per_step[(function, line)] = hits / steps
    for function, lines in sorted(best.items()):
        if not lines:
            continue
        filename, first, name = function
        short = filename.split("digitpad/core/")[-1]
        print(f"\n   {short}:{first} {name}  {sum(lines.values()):.1f} us per step")
        for line, us in sorted(lines.items()):
            source = linecache.getline(filename, line).strip()
            hits = hits_per_step[(function, line)]
            repeat = f"x{hits:.0f}" if hits > 1 else ""
            print(f"   {line:4d} {us:7.1f} {repeat:3}  {source[:84]}")

if __name__ == "__main__":
    sys.exit(main())
