"""How fast does digitpad's NumPy core train, next to its peers? One MNIST epoch, side by side.

The job, identical for every contestant: one epoch over the 60,000 MNIST training examples,
network 784-16-16-10, sigmoid hidden layers, softmax output with cross-entropy cost, mini-batches
of 100 in a shuffled order (the same order for everyone in a round), learning rate 0.5, plain SGD
(no momentum, no L2), float32 throughout. The inputs are pre-converted once to a (60000, 784)
float32 array in [0, 1] (digitpad.core.mnist.as_inputs); every contestant gathers each
mini-batch the same way, by indexing that array with the batch's indices, inside the timed loop.

The contestants:

(a) digitpad: ``Network((784, 16, 16, 10), "sigmoid", "softmax", "cross_entropy", seed=0)``
    and ``net.train_step(X[batch], y[batch], lr=0.5)`` (integer labels).

(b) neural-network-digits 1.2.2 from PyPI (``nn_digits.neural_net.network.NeuralNetwork``, its
    NumPy core, the closest existing app):
    ``NeuralNetwork(layers=(784, 16, 16, 10), activation="sigmoid", init_scale=1.0, seed=0)``
    and ``net.train_step(X[batch], Y[batch], lr=0.5, momentum=0.0, l2=0.0, dropout=0.0)``.
    Its output layer is always softmax and its loss always cross-entropy; its train_step takes
    one-hot float32 targets, so Y is the (60000, 10) float32 one-hot array built once up front,
    exactly as its own Trainer does (``one_hot(digits)``), and gathered per batch like X. Its
    sigmoid's exp may overflow harmlessly; its own Trainer silences that, and here the whole
    run is inside ``np.errstate(over="ignore")`` (for every contestant alike). Its defaults
    (momentum 0.9, l2 1e-4) are switched off to match the job; with l2=0.0 it still adds
    ``0.0 * W`` to every weight gradient, which is part of its cost.

(c) PyTorch 2.13 CPU, ``torch.set_num_threads(2)``: ``nn.Sequential(Linear(784, 16), Sigmoid,
    Linear(16, 16), Sigmoid, Linear(16, 10))``, loss ``F.cross_entropy`` (log-softmax + NLL),
    ``torch.optim.SGD(lr=0.5)``, the idiomatic loop ``zero_grad(); loss.backward(); step()``.
    X is ``torch.from_numpy`` of the same float32 array (no copy) and each batch is gathered by
    indexing it with the batch's indices as an int64 tensor.

(d) literal: the algorithm as the source texts tell it (shared/sources): backpropagation run once
    per example in a Python loop, the per-example gradients ("nudges") summed and averaged over
    the mini-batch, then one step. Same math as (a), float32, written out below. It is slow, so
    it runs only ``--literal-batches`` mini-batches (default 20 = 2,000 examples) and the epoch
    time is EXTRAPOLATED linearly to 600 mini-batches; the table marks it so. Its gradient is
    checked against digitpad's backprop on one mini-batch, so nobody times a broken loop.

Each round builds fresh networks (untimed), then times one epoch of every contestant, in an order
that rotates from round to round so background load hits all alike. The table shows the best
and the median round, and a "quiet machine" estimate: every mini-batch's fastest time in any
round, summed; the verdicts on the targets use it, as it moves least with background load.
After each epoch the network's MNIST test accuracy is measured (untimed) as a sanity check.
Before the rounds every contestant runs a few untimed warm-up steps.

NumPy's BLAS (OpenBLAS) runs on ``--blas-threads`` threads, default 1, set with threadpoolctl
for the whole run: that is how digitpad trains (digitpad.training.Trainer limits BLAS to one
thread), and at these matrix sizes a second thread costs more in hand-offs than it gains. The
limit applies to both NumPy contestants alike; PyTorch keeps its own 2 threads.

Run (from the repository root, with the bench extra installed: pip install -e '.[bench]'):

    python benchmarks/core_speed.py [--rounds 5] [--literal-batches 20] [--blas-threads 1]
    python benchmarks/core_speed.py --blas-threads 0     # NumPy's default: one per core

Targets: digitpad/peer <= 0.8 (aim 0.67; issue 8), digitpad/pytorch <= 0.6 (aim 0.4; issue 2).

OpenBLAS picks its kernels from the CPU, and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE override that;
the header prints both as this run saw them. To compare with both unset, in that command alone:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/core_speed.py
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from digitpad.core import Network
from digitpad.core.mnist import as_inputs, load_mnist

SIZES = (784, 16, 16, 10)
BATCH = 100
LR = 0.5
SANE_ACCURACY = 0.80  # one epoch of this network lands near 0.9; far below means a broken loop
PEER_VERSION = "1.2.2"
TORCH_VERSION = "2.13"
TORCH_THREADS = 2


class Data:
    """The MNIST arrays every contestant shares."""

    def __init__(self) -> None:
        mnist = load_mnist()
        self.X = as_inputs(mnist.train_images)  # (60000, 784) float32 in [0, 1]
        self.y = mnist.train_labels.astype(np.int64)
        self.Y = np.eye(10, dtype=np.float32)[self.y]  # one-hot, for the peer only
        self.X_test = as_inputs(mnist.test_images)
        self.y_test = mnist.test_labels.astype(np.int64)
        self.n = len(self.X)


class Contestant:
    """One way of training: `start()` builds a fresh network, `step(batch)` gathers the
    mini-batch of those example indices and takes one SGD step on it, `accuracy()` measures
    the network on the test set."""

    name = ""
    extrapolated = False  # timed on a few batches only, then scaled up to the epoch

    def __init__(self, data: Data) -> None:
        self.data = data

    def start(self) -> None:
        raise NotImplementedError

    def step(self, batch: np.ndarray) -> None:
        raise NotImplementedError

    def accuracy(self) -> float:
        raise NotImplementedError


# ---- (a) digitpad ------------------------------------------------------------------------------


class Digitpad(Contestant):
    name = "digitpad Network.train_step"

    def start(self) -> None:
        self.net = Network(SIZES, "sigmoid", "softmax", "cross_entropy", seed=0)

    def step(self, batch: np.ndarray) -> None:
        self.net.train_step(self.data.X[batch], self.data.y[batch], LR)

    def accuracy(self) -> float:
        return float((self.net.predict(self.data.X_test) == self.data.y_test).mean())


# ---- (b) the peer: neural-network-digits 1.2.2 -------------------------------------------------


class Peer(Contestant):
    name = f"neural-network-digits {PEER_VERSION}"

    def __init__(self, data: Data) -> None:
        super().__init__(data)
        from nn_digits.neural_net.network import NeuralNetwork

        self.NeuralNetwork = NeuralNetwork

    def start(self) -> None:
        self.net = self.NeuralNetwork(layers=SIZES, activation="sigmoid", init_scale=1.0, seed=0)

    def step(self, batch: np.ndarray) -> None:
        X, Y = self.data.X[batch], self.data.Y[batch]
        self.net.train_step(X, Y, LR, momentum=0.0, l2=0.0, dropout=0.0)

    def accuracy(self) -> float:
        predicted = self.net.predict(self.data.X_test).argmax(axis=1)
        return float((predicted == self.data.y_test).mean())


# ---- (c) PyTorch -------------------------------------------------------------------------------


class Torch(Contestant):
    def __init__(self, data: Data, threads: int) -> None:
        super().__init__(data)
        import torch

        torch.set_num_threads(threads)
        self.name = f"pytorch {torch.__version__.split('+')[0]} CPU, {threads} threads"
        self.torch = torch
        self.cross_entropy = torch.nn.functional.cross_entropy  # log-softmax + NLL
        self.X = torch.from_numpy(data.X)  # shares the float32 array, no copy
        self.y = torch.from_numpy(data.y)
        self.X_test = torch.from_numpy(data.X_test)

    def start(self) -> None:
        torch, nn = self.torch, self.torch.nn
        torch.manual_seed(0)
        self.model = nn.Sequential(
            nn.Linear(784, 16), nn.Sigmoid(), nn.Linear(16, 16), nn.Sigmoid(), nn.Linear(16, 10)
        )
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=LR)

    def step(self, batch: np.ndarray) -> None:
        batch = self.torch.from_numpy(batch)
        self.optimizer.zero_grad()
        loss = self.cross_entropy(self.model(self.X[batch]), self.y[batch])
        loss.backward()
        self.optimizer.step()

    def accuracy(self) -> float:
        with self.torch.no_grad():
            predicted = self.model(self.X_test).argmax(dim=1).numpy()
        return float((predicted == self.data.y_test).mean())


# ---- (d) the literal algorithm of the source texts ---------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def literal_gradients(weights, biases, X: np.ndarray, y: np.ndarray):
    """The mini-batch gradient the way the texts tell it: backprop once per example, then the
    average of the per-example gradients. Weights are (inputs, outputs), as in digitpad."""
    sum_w = [np.zeros_like(W) for W in weights]
    sum_b = [np.zeros_like(b) for b in biases]
    for x, label in zip(X, y):
        # Forward: remember every layer's activation a⁰ = x, a¹, ..., aᴸ.
        activations = [x]
        for W, b in zip(weights[:-1], biases[:-1]):
            activations.append(sigmoid(activations[-1] @ W + b))
        z = activations[-1] @ weights[-1] + biases[-1]
        e = np.exp(z - z.max())
        output = e / e.sum()  # softmax
        # Softmax with cross-entropy: δᴸ = a − y.
        delta = output.copy()
        delta[label] -= 1.0
        # Backward: this example's nudge for every weight is (input activation) × (delta).
        for l in range(len(weights) - 1, -1, -1):
            sum_w[l] += np.outer(activations[l], delta)
            sum_b[l] += delta
            if l > 0:
                a = activations[l]
                delta = (weights[l] @ delta) * a * (1.0 - a)
    n = len(X)
    return [g / n for g in sum_w], [g / n for g in sum_b]


def literal_train_step(weights, biases, X: np.ndarray, y: np.ndarray, lr: float) -> None:
    grads_w, grads_b = literal_gradients(weights, biases, X, y)
    for p, g in zip(weights + biases, grads_w + grads_b):
        p -= lr * g


class Literal(Contestant):
    name = "literal: per-example loop"
    extrapolated = True

    def start(self) -> None:
        twin = Network(SIZES, "sigmoid", "softmax", "cross_entropy", seed=0)  # same start as (a)
        self.weights, self.biases = twin.weights, twin.biases

    def step(self, batch: np.ndarray) -> None:
        X, y = self.data.X[batch], self.data.y[batch]
        literal_train_step(self.weights, self.biases, X, y, LR)

    def accuracy(self) -> float:
        a = self.data.X_test
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            a = sigmoid(a @ W + b)
        predicted = (a @ self.weights[-1] + self.biases[-1]).argmax(axis=1)
        return float((predicted == self.data.y_test).mean())

    def check_against(self, data: Data) -> float:
        """Largest relative difference between the literal gradient and digitpad's backprop."""
        net = Network(SIZES, "sigmoid", "softmax", "cross_entropy", seed=0)
        X, y = data.X[:BATCH], data.y[:BATCH]
        ours = net.backprop(X, y)
        grads_w, grads_b = literal_gradients(net.weights, net.biases, X, y)
        worst = 0.0
        for mine, theirs in zip(grads_w + grads_b, ours.weights + ours.biases):
            scale = max(float(np.abs(theirs).max()), 1e-12)
            worst = max(worst, float(np.abs(mine - theirs).max()) / scale)
        return worst


# ---- running and reporting ---------------------------------------------------------------------


def optional(make: Callable[[], Contestant], package: str, install: str) -> Contestant | None:
    try:
        return make()
    except ImportError:
        print(f"skipped: {package} is not installed; install it with `pip install {install}` "
              "(or `pip install -e '.[bench]'`)")
        return None


def check_version(package: str, wanted: str) -> None:
    try:
        found = metadata.version(package)
    except metadata.PackageNotFoundError:
        return
    if not found.startswith(wanted):
        print(f"warning: {package} {found} is installed; the benchmark is defined for {wanted}")


def time_batches(c: Contestant, order: np.ndarray, n_batches: int) -> np.ndarray:
    """Train a fresh network on the first n_batches mini-batches of `order`; seconds per batch."""
    c.start()
    seconds = np.empty(n_batches)
    clock = time.perf_counter
    for k in range(n_batches):
        batch = order[k * BATCH : (k + 1) * BATCH]
        start = clock()
        c.step(batch)
        seconds[k] = clock() - start
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed epochs per contestant")
    parser.add_argument("--literal-batches", type=int, default=20,
                        help="mini-batches the literal loop runs per round (then extrapolated)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffled batch order")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="threads of NumPy's BLAS (0: leave NumPy's default)")
    parser.add_argument("--torch-threads", type=int, default=TORCH_THREADS,
                        help=f"PyTorch's threads (the benchmark is defined with {TORCH_THREADS})")
    args = parser.parse_args(argv)
    # An overflowing exp() in a sigmoid is harmless; the peer's own Trainer silences it too.
    with np.errstate(over="ignore"):
        if args.blas_threads:
            with threadpool_limits(limits=args.blas_threads, user_api="blas"):
                return run(args)
        return run(args)


def run(args: argparse.Namespace) -> int:
    data = Data()
    n_batches = -(-data.n // BATCH)
    contestants: list[Contestant] = [Digitpad(data)]
    peer = optional(lambda: Peer(data), "neural-network-digits",
                    f"neural-network-digits=={PEER_VERSION}")
    torch = optional(lambda: Torch(data, args.torch_threads), "torch", "torch==2.13.0")
    contestants += [c for c in (peer, torch) if c is not None]
    literal = Literal(data)
    contestants.append(literal)
    check_version("neural-network-digits", PEER_VERSION)
    check_version("torch", TORCH_VERSION)

    blas = ", ".join(f"{pool['internal_api']} {pool.get('architecture')} kernels, "
                     f"{pool['num_threads']} thread(s)"
                     for pool in threadpool_info() if pool["user_api"] == "blas")
    print(f"One epoch of {data.n:,} MNIST examples, 784-16-16-10, sigmoid hidden, softmax + "
          f"cross-entropy, mini-batch {BATCH}, lr {LR}, float32.")
    print(f"Python {sys.version.split()[0]}, NumPy {np.__version__}, "
          f"NumPy BLAS: {blas}, {os.cpu_count()} CPUs, {args.rounds} interleaved rounds.")
    print("OPENBLAS_CORETYPE=" + os.environ.get("OPENBLAS_CORETYPE", "(unset)")
          + ", OPENBLAS_L2_SIZE=" + os.environ.get("OPENBLAS_L2_SIZE", "(unset)"))
    print(f"literal gradient vs digitpad backprop, worst relative difference: "
          f"{literal.check_against(data):.1e}")

    def batches_for(c: Contestant) -> int:
        return min(args.literal_batches, n_batches) if c.extrapolated else n_batches

    warm_up = np.arange(10 * BATCH)
    for c in contestants:  # first calls, allocations, thread pools
        time_batches(c, warm_up, 2 if c.extrapolated else 10)

    # Per contestant, one array of seconds per mini-batch for every round.
    rounds: dict[str, list[np.ndarray]] = {c.name: [] for c in contestants}
    accuracies: dict[str, list[float]] = {c.name: [] for c in contestants}
    rng = np.random.default_rng(args.seed)
    for r in range(args.rounds):
        order = rng.permutation(data.n)
        turn = contestants[r % len(contestants) :] + contestants[: r % len(contestants)]
        for c in turn:
            rounds[c.name].append(time_batches(c, order, batches_for(c)))
            accuracies[c.name].append(c.accuracy())
        print(f"round {r + 1}: " + ", ".join(
            f"{c.name.split()[0]} {rounds[c.name][-1].mean() * n_batches:.2f} s"
            for c in contestants), flush=True)

    # Seconds per epoch: the best and the median round, and a "quiet machine" estimate, the
    # sum over mini-batches of each one's fastest time in any round (bursts of background load
    # last milliseconds, so most mini-batches get at least one undisturbed run). The verdicts
    # use the quiet estimate: on a shared machine it moves far less than the best round.
    best, median, quiet = {}, {}, {}
    for c in contestants:
        epochs = [seconds.mean() * n_batches for seconds in rounds[c.name]]
        best[c.name], median[c.name] = min(epochs), statistics.median(epochs)
        quiet[c.name] = np.minimum.reduce(rounds[c.name]).mean() * n_batches

    print()
    print("seconds per epoch" + " " * 19 + f"{'best':>7} {'median':>7} {'quiet':>7}"
          f" {'examples/s':>11} {'test acc':>9}")
    for c in contestants:
        acc = statistics.median(accuracies[c.name])
        note = ""
        if c.extrapolated:
            note = (f"  extrapolated from {batches_for(c)} of {n_batches} mini-batches;"
                    " accuracy after those only")
        elif acc < SANE_ACCURACY:
            note = "  <- accuracy too low: is this loop broken?"
        print(f"{c.name:36} {best[c.name]:7.3f} {median[c.name]:7.3f} {quiet[c.name]:7.3f}"
              f" {data.n / best[c.name]:11,.0f} {acc:9.4f}{note}")

    ours = Digitpad.name
    print()
    print(f"{'ratio':36} {'best':>7} {'quiet':>7}  target (verdict on quiet)")
    if peer is not None:
        report_ratio("digitpad / neural-network-digits", best[ours] / best[peer.name],
                     quiet[ours] / quiet[peer.name], 0.8, 0.67)
    if torch is not None:
        report_ratio("digitpad / pytorch", best[ours] / best[torch.name],
                     quiet[ours] / quiet[torch.name], 0.6, 0.4)
    print(f"{'literal / digitpad':36} {best[literal.name] / best[ours]:7.1f}"
          f" {quiet[literal.name] / quiet[ours]:7.1f}  (what vectorizing over the mini-batch buys)")
    load = os.getloadavg()[0]
    if load > 0.75 * (os.cpu_count() or 1):
        print(f"\nwarning: the machine was busy (load average {load:.1f} on {os.cpu_count()} CPUs):"
              " the times are inflated, PyTorch's most of all; run again when it is quieter.")
    return 0


def report_ratio(label: str, best: float, quiet: float, target: float, aim: float) -> None:
    verdict = "MEETS TARGET" if quiet <= target else "MISSES TARGET"
    if quiet <= aim:
        verdict += ", meets aim"
    print(f"{label:36} {best:7.2f} {quiet:7.2f}  <= {target} (aim {aim}): {verdict}")


if __name__ == "__main__":
    sys.exit(main())
