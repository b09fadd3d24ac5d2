"""Diagnosis of a training run: what is going wrong, the numbers that show it, and what to try.

It reads what the plots show — every step's cost and per-layer gradient size, every epoch's test
results — and how the current network answers a small fixed batch of digits (the probe), and
returns findings in plain words, each with a suggested change of settings.

Gradient sizes are compared per weight (gradient_size.per_weight): the root mean square of
∂C/∂w over a layer's weights, so that a big layer does not look more alive just for being big.
How much a step moves a layer's weights is measured relative to their size,
    update ratio = η/(1 − μ) · RMS(∂C/∂Wˡ) / RMS(Wˡ),
which is about 10⁻³ to 10⁻² per step in a network that learns well (measured on the runs of
benchmarks/diagnosis.py; the same rule of thumb as in Karpathy's "babysitting" notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np

from digitpad.core.activations import ACTIVATIONS
from digitpad.core.costs import output_layer
from digitpad.core.gradient_size import per_weight
from digitpad.core.lr_finder import nice_number
from digitpad.core.mnist import as_inputs
from digitpad.core.network import Network
from digitpad.core.numbers_in_words import in_words, share_in_words

KINDS = ("diverging", "dead_relus", "saturated", "vanishing_gradient", "stuck_at_chance",
         "learning_rate_too_small", "overfitting", "plateau")
"""Every kind of finding, most urgent first (diagnose() returns them in this order)."""

PROBE_SIZE = 256
"""Digits in the probe batch: enough that a neuron silent for all of them is silent for nearly
every digit, few enough to run through a 512-wide network in milliseconds."""
START_STEPS = 10
"""The cost at the start is the median of the first ten mini-batches (one batch is noisy), or
the first one's if lower."""
WINDOW = 50
"""Recent behaviour is the median over the last 50 steps: smooth enough to ignore one odd batch,
recent enough to follow a change of learning rate within a second of training."""

DIVERGE_FACTOR = 10.0
"""Diverging: a mini-batch cost ten times the starting cost. A learning network's cost falls; a
batch of unusual digits raises it by a fraction, never by a factor of ten."""
EXPLODE_FACTOR = 1000.0
"""Diverging, for costs that cannot grow (sigmoid outputs or the quadratic cost are bounded): a
layer's gradient per weight a thousand times its starting size. In runs that learn it grows at
most about 70-fold (benchmarks/diagnosis.py prints the largest growth of every run)..."""
EXPLODE_LEVEL = 0.5
"""...and above 0.5 (the largest seen in runs that learn here: 0.25, with batches of 20). A
gradient that starts near 0 (a lone ReLU that is off at first) can grow a thousandfold to an
ordinary size."""
DEAD_SHARE = 0.5
"""Dead ReLUs: at least half of a layer's neurons output 0 for every probe digit ("most"). A few
silent neurons are normal (up to 44% in a 16-wide layer that still reached 91%)."""
FLAT_SLOPE = 0.01
"""A sigmoid or tanh neuron is flat for a digit when its slope σ′(z) is below 1% of its largest
value (|z| > 4.6 for the sigmoid): a nudge arriving there is cut to a hundredth."""
SATURATED_EXAMPLES = 0.9
"""A neuron is saturated when it is flat for at least 90% of the probe digits."""
SATURATED_SHARE = 0.5
"""Saturated sigmoids: at least half of a layer's neurons saturated ("most")."""
VANISHING_RATIO = 100.0
"""Vanishing gradient: a layer's gradient per weight two orders of magnitude below the last
layer's. In the video's 784-16-16-10 network layer 1's is about 50 times smaller and it learns
fine, because its weights are small and move quickly relative to their size."""
STILL_UPDATE = 1e-3
"""...and its weights barely move: less than 10⁻³ of their size per step (learning layers move
10⁻³ to 10⁻², the first layer of a stuck 5-deep sigmoid network 2·10⁻⁶ to 5·10⁻⁴)."""
CHANCE_ACCURACY = 0.2
"""Stuck at chance: below 20% on the test set after an epoch. Guessing scores 10%, always
answering the commonest digit 11.35%; any network that learned something does far better after
one pass over the training digits."""
CHANCE_STEPS = 100
"""...of at least 100 steps in all: a well-set network can still be at chance after a few dozen
steps (the video's, on 30 steps of easy digits)."""
SLOW_STEPS = 200
"""Learning rate too small: judged over the last 200 steps, a third of an epoch in batches of
100 (a slow first few dozen steps are normal)..."""
SLOW_COST_SHARE = 0.8
"""...when the cost fell by less than a fifth over them, while it is still above half of what
a network that knows nothing costs (chance_cost: a learned network is far below; one that has
stopped moving because it has learned is not slow)..."""
SLOW_CHANCE_SHARE = 0.5
SLOW_UPDATE = 1e-3
"""...and every layer's weights move less than 10⁻³ of their size per step (the low end of a
network that learns)."""
OVERFIT_EPOCHS = 3
"""Overfitting: the test cost rose three epochs in a row while the training cost fell. One or two
rises can be noise; three in a row is a trend..."""
OVERFIT_RISE = 0.01
"""...and rose by 0.01 or more in all: a network scoring 100% sees its tiny test cost creep up by
far less as it grows more confident, which is harmless."""
PLATEAU_EPOCHS = 3
"""Plateau: three epochs without progress."""
PLATEAU_GAIN = 0.001
"""Progress is a best test accuracy higher by a tenth of a point (10 of 10,000 digits)..."""
PLATEAU_COST_GAIN = 0.02
"""...or a training or test cost lower by 2%."""
STABLE_RATES = {"relu": 0.1, "tanh": 0.3, "sigmoid": 1.0}
"""The rate a fix offers a network thrown off by too large steps, by its hidden activation:
rates at which 16-wide networks of each kind with softmax and cross-entropy (plain SGD, batches
of 100) learned well in benchmarks/diagnosis.py (ReLU 0.1: 93%, dead at 1; tanh 0.1 to 1: 92%,
saturated at 10; sigmoid 1 to 3: 92%). A tenth of the rate that failed, if that is smaller."""
QUADRATIC_SLOWDOWN = 3.0
"""The quadratic cost learns slower (a saturated sigmoid output shrinks its nudges): the video's
sigmoid network learns at 3, three times STABLE_RATES["sigmoid"]."""
L2_PER_EXAMPLE = 5e-4
"""Suggested L2 strength per example of the mini-batch (the cost divides λ by the batch size):
0.05 for batches of 100, like the accurate preset's 0.05 for 200, which keeps its weights small
enough to generalize."""


class RunSettings(Protocol):
    """The settings the diagnosis reads: core.settings.Settings (fixes name its fields)."""

    lr: float
    batch: int
    l2: float
    momentum: float
    schedule: str


class EpochScore(NamedTuple):
    """One epoch's test result (training.trainer.EpochResult has the same fields)."""

    step: int  # steps done when the test was made
    test_accuracy: float
    test_cost: float


@dataclass(frozen=True)
class RunHistory:
    """What a run has recorded so far: the data of the cost and gradient plots."""

    costs: np.ndarray  # (n,) the mini-batch cost of steps first_step … first_step + n − 1
    grad_norms: np.ndarray  # (n, layers) ‖∂C/∂Wˡ‖ of the same steps
    epochs: Sequence[EpochScore] = ()
    first_step: int = 1  # older steps may have been dropped to bound memory
    # Running totals by the end of each of the same steps, when known: the training digits
    # used and the seconds spent in steps (the cost plot's other x axes).
    examples_seen: np.ndarray | None = None  # (n,) int
    training_seconds: np.ndarray | None = None  # (n,) float

    @property
    def last_step(self) -> int:
        return self.first_step + len(self.costs) - 1


class Recorder:
    """Keeps a run's history as it happens: tell it every step and every epoch's test."""

    def __init__(self) -> None:
        self._costs: list[float] = []
        self._norms: list[list[float]] = []
        self.epochs: list[EpochScore] = []

    def step(self, stats) -> None:
        """A step's statistics: anything with .cost and .grad_norms (Network.train_step's
        StepStats, the SGD loop's Step)."""
        self._costs.append(stats.cost)
        self._norms.append(list(stats.grad_norms))

    def epoch(self, test_accuracy: float, test_cost: float) -> None:
        self.epochs.append(EpochScore(len(self._costs), test_accuracy, test_cost))

    @property
    def steps(self) -> int:
        return len(self._costs)

    def history(self, layers: int) -> RunHistory:
        norms = np.array(self._norms, dtype=np.float64).reshape(-1, layers)
        return RunHistory(np.array(self._costs, dtype=np.float64), norms, list(self.epochs))


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    layer: int | None  # 1-based, as on the gradient plot (layer l = Wˡ and the neurons it feeds)
    title: str  # a few words: "Dead ReLUs in layer 2"
    explanation: str  # two sentences in plain words: what is happening and why
    evidence: dict[str, float]  # the numbers that show it, by name
    steps: tuple[int, int]  # first and last step the evidence comes from (1-based, inclusive)
    fix: dict[str, object] = field(default_factory=dict)  # setting name → suggested value
    fix_label: str = ""  # what a button applying the fix would say: "Reset with learning rate 0.3"
    needs_reset: bool = False  # the fix only helps a new network (dead neurons stay dead)

    @property
    def key(self) -> tuple[str, int | None]:
        """Same key, same problem: a display shows a finding once, until its key changes."""
        return self.kind, self.layer

    @property
    def message(self) -> str:
        return f"{self.title}: {self.explanation}"

    def as_json(self) -> dict:
        return {"diagnosis": self.kind, "layer": self.layer, "message": self.message,
                "suggested_settings": self.fix, "fix_label": self.fix_label,
                "needs_reset": self.needs_reset, "evidence": self.evidence,
                "steps": list(self.steps)}


def probe_inputs(images: np.ndarray, count: int = PROBE_SIZE, dtype=np.float32) -> np.ndarray:
    """A fixed probe batch: `count` of the (n, 28, 28) uint8 images, evenly spread."""
    picked = images[:: max(len(images) // count, 1)][:count]
    return as_inputs(np.ascontiguousarray(picked), dtype)


def chance_cost(network: Network) -> float:
    """The cost of a network that knows nothing: every output at 1/k for every digit (k outputs).
    ln 10 = 2.30 for softmax with cross-entropy, 0.9 for the quadratic cost."""
    k = network.sizes[-1]
    z = np.zeros((1, k)) if network.output == "softmax" else np.full((1, k), -np.log(k - 1.0))
    _, cost, _ = output_layer(z, np.eye(k)[:1], network.cost_name, network.output)  # one example
    return cost


def is_failed(findings: Sequence[Finding]) -> bool:
    """Whether the run failed: stuck at chance, or diverged and not recovered (its cost is still
    above where it started). Such a network should not replace a saved one."""
    return any(f.kind == "stuck_at_chance"
               or (f.kind == "diverging" and f.evidence["recent_cost"] >= f.evidence["start_cost"])
               for f in findings)


def diagnose(
    network: Network, history: RunHistory, probe: np.ndarray, settings: RunSettings
) -> list[Finding]:
    """The findings about this run, most urgent first; [] when nothing looks wrong.

    `network` is the run's current network, `probe` a fixed batch of inputs (probe_inputs),
    `settings` the ones it trains with (fixes are changes to them).
    """
    run = _Run(network, history, settings)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged network's huge numbers
        hidden = _hidden_activations(network, probe)
    causes = _diverging(run) + _dead_relus(run, hidden) + _saturated(run, hidden)
    causes = causes or _vanishing(run)  # dead or saturated neurons explain small gradients too
    slow = [] if causes else _slow(run)  # "while nothing else is wrong"
    stuck = _stuck_at_chance(run, causes + slow)
    overfitting = _overfitting(run)
    plateau = [] if stuck or overfitting else _plateau(run)
    return causes + stuck + slow + overfitting + plateau


# ---- what the history says ----------------------------------------------------------------------


class _Run:
    """Derived numbers shared by the checks, computed once."""

    def __init__(self, network: Network, history: RunHistory, settings: RunSettings) -> None:
        self.network, self.history, self.settings = network, history, settings
        self.costs = np.asarray(history.costs, dtype=np.float64)
        self.n = len(self.costs)
        self.rms = per_weight(np.reshape(history.grad_norms, (self.n, len(network.weights))),
                              network.sizes)
        if self.n:
            # The lower of the first step's and the first ten's median: a run can blow up
            # within its first few steps.
            self.start_cost = float(min(self.costs[0], np.median(self.costs[:START_STEPS])))
            self.recent_cost = float(np.median(self.costs[-WINDOW:]))
            self.start_rms = np.minimum(self.rms[0], np.median(self.rms[:START_STEPS], axis=0))
            self.recent_rms = np.median(self.rms[-WINDOW:], axis=0)
            weight_rms = np.array([np.sqrt(np.mean(np.square(W, dtype=np.float64)))
                                   for W in network.weights])
            step = settings.lr / (1.0 - settings.momentum)  # momentum's long-run step
            with np.errstate(divide="ignore", invalid="ignore"):
                self.update = step * self.recent_rms / weight_rms

    def step(self, index: int) -> int:
        """The step number of history entry `index`."""
        return self.history.first_step + index

    def recent_steps(self) -> tuple[int, int]:
        return self.step(max(self.n - WINDOW, 0)), self.history.last_step

    def epoch_train_costs(self) -> list[float]:
        """Each epoch's mean mini-batch cost (nan where its steps are no longer kept)."""
        means, previous = [], 0
        for epoch in self.history.epochs:
            first = self.history.first_step
            lo, hi = previous - first + 1, epoch.step - first + 1
            part = self.costs[max(lo, 0) : max(hi, 0)]
            means.append(float(part.mean()) if lo >= 0 and len(part) else float("nan"))
            previous = epoch.step
        return means


def _hidden_activations(network: Network, X: np.ndarray) -> list[np.ndarray]:
    """a¹ … aᴸ⁻¹ for the probe: the hidden layers' outputs, one row per digit."""
    sigma = ACTIVATIONS[network.activation]
    a, outputs = np.asarray(X, dtype=network.dtype), []
    for W, b in zip(network.weights[:-1], network.biases[:-1]):
        a = sigma.f(a @ W + b)
        outputs.append(a)
    return outputs


# ---- the checks ---------------------------------------------------------------------------------


def _diverging(run: _Run) -> list[Finding]:
    if run.n < 2:
        return []
    too_high = run.costs > DIVERGE_FACTOR * run.start_cost
    # Growth from the start, or from the typical size if the start was ~0 (a ReLU off at first).
    usual = np.maximum(run.start_rms, np.median(run.rms, axis=0))
    with np.errstate(over="ignore"):  # from exactly 0 it grew without bound
        growth = run.rms / np.maximum(usual, np.finfo(np.float64).tiny)
    exploded = ((growth > EXPLODE_FACTOR) & (run.rms > EXPLODE_LEVEL)).any(axis=1)
    bad = np.flatnonzero(too_high | exploded)
    if not len(bad):
        return []
    layer = int(np.argmax(growth.max(axis=0))) + 1  # the layer whose gradient grew the most
    peak = int(np.argmax(run.costs))
    evidence = {"start_cost": run.start_cost, "peak_cost": float(run.costs[peak]),
                "peak_step": run.step(peak), "recent_cost": run.recent_cost,
                "gradient_growth": float(growth[:, layer - 1].max())}
    if too_high.any():
        what = (f"The cost rose from {in_words(run.start_cost, 3)} to "
                f"{in_words(run.costs[peak], 3)} by step {run.step(peak)}")
    else:
        factor = evidence["gradient_growth"]
        how_much = (f"to about {in_words(factor)} times its starting size"
                    if np.isfinite(factor) else "from 0 without bound")
        what = f"Layer {layer}'s gradient grew {how_much}"
    fix, label = _calmer(run.network, run.settings)
    return [Finding(
        "diverging", layer, "Training diverged",
        f"{what}: each step overshot the valley and landed higher up its other side. Smaller "
        "steps go downhill; start again with a smaller learning rate.",
        evidence, (run.step(int(bad[0])), run.step(int(bad[-1]))), fix, label, needs_reset=True)]


def _dead_relus(run: _Run, hidden: list[np.ndarray]) -> list[Finding]:
    if run.network.activation != "relu":
        return []
    return _layers_where(
        run, hidden, "dead_relus", DEAD_SHARE, lambda a: (a <= 0).all(axis=0),
        lambda layer: f"Dead ReLUs in layer {layer}",
        "output 0 for every probe digit, so no nudge reaches their weights and "
        "they never learn again. Too large a step pushes a ReLU to where it is off for every "
        "input; start again with a smaller learning rate.")


def _saturated(run: _Run, hidden: list[np.ndarray]) -> list[Finding]:
    name = run.network.activation
    if name not in ("sigmoid", "tanh"):
        return []
    sigma = ACTIVATIONS[name]
    steepest = 0.25 if name == "sigmoid" else 1.0  # σ′(0)

    def saturated(a: np.ndarray) -> np.ndarray:
        flat = sigma.derivative(a) < FLAT_SLOPE * steepest
        return flat.mean(axis=0) >= SATURATED_EXAMPLES

    return _layers_where(
        run, hidden, "saturated", SATURATED_SHARE, saturated,
        lambda layer: f"Saturated {name} neurons in layer {layer}",
        f"sit at the flat ends of the {name} curve for nearly every digit, where "
        "its slope σ′ is almost 0 and cuts every nudge passing back to almost nothing. Their "
        "weights grew too large, usually from too large steps; start again with a smaller "
        "learning rate.")


def _layers_where(run: _Run, hidden: list[np.ndarray], kind: str, share_needed: float,
                  affected, title, what: str) -> list[Finding]:
    """A finding for each hidden layer in which at least `share_needed` of the neurons are
    `affected` (a function of the layer's probe activations, one bool per neuron); `title`
    names it from the layer, `what` says what those neurons do and why it matters."""
    findings = []
    for layer, a in enumerate(hidden, start=1):
        hit = affected(a)
        share = float(hit.mean())
        if share < share_needed:
            continue
        fix, label = _calmer(run.network, run.settings)
        findings.append(Finding(
            kind, layer, title(layer),
            f"{hit.sum()} of layer {layer}'s {hit.size} neurons {what}",
            {"share": share, "count": int(hit.sum()), "neurons": hit.size},
            (run.history.last_step, run.history.last_step), fix, label, needs_reset=True))
    return findings


def _vanishing(run: _Run) -> list[Finding]:
    if run.n < START_STEPS or len(run.recent_rms) < 2:
        return []
    last = run.recent_rms[-1]
    earlier = run.recent_rms[:-1]
    with np.errstate(divide="ignore"):
        ratio = last / earlier
    vanishing = (ratio >= VANISHING_RATIO) & (run.update[:-1] < STILL_UPDATE)
    if last <= 0 or not vanishing.any():
        return []
    layer = int(np.argmax(np.where(vanishing, ratio, 0.0))) + 1
    fix, label = _relu_fix(run.network, run.settings)
    return [Finding(
        "vanishing_gradient", layer, f"Vanishing gradient in layer {layer}",
        f"Layer {layer}'s gradient per weight is about {in_words(ratio[layer - 1])} times smaller "
        f"than the last layer's, so its weights barely move (about "
        f"{share_in_words(run.update[layer - 1])} of their size per step). Each "
        f"{run.network.activation} layer passes back at most "
        f"{'a quarter' if run.network.activation == 'sigmoid' else 'all'} of the nudge it "
        "receives, less when its neurons are near 0 or 1; ReLU neurons pass it on whole.",
        {"ratio_to_last": float(ratio[layer - 1]), "gradient_per_weight": float(earlier[layer - 1]),
         "last_layer_gradient_per_weight": float(last),
         "update_ratio": float(run.update[layer - 1])},
        run.recent_steps(), fix, label, needs_reset=True)]


def _slow(run: _Run) -> list[Finding]:
    if run.n < SLOW_STEPS:
        return []
    before = float(np.median(run.costs[-SLOW_STEPS : WINDOW - SLOW_STEPS]))
    share = run.recent_cost / before
    fastest = float(np.max(run.update))
    unlearned = run.recent_cost > SLOW_CHANCE_SHARE * chance_cost(run.network)
    if not (share > SLOW_COST_SHARE and fastest < SLOW_UPDATE and unlearned):
        return []
    lr = nice_number(run.settings.lr * 10)
    return [Finding(
        "learning_rate_too_small", None, "Learning rate too small",
        f"Over the last {SLOW_STEPS} steps the cost went from {in_words(before, 3)} to only "
        f"{in_words(run.recent_cost, 3)}, and no layer's weights move more than about "
        f"{share_in_words(fastest)} of their size per step. Nothing else looks wrong: larger "
        "steps will learn faster.",
        {"cost_before": before, "recent_cost": run.recent_cost, "cost_share": share,
         "largest_update_ratio": fastest},
        (run.step(run.n - SLOW_STEPS), run.history.last_step), {"lr": lr},
        f"Use learning rate {lr:g}")]


def _stuck_at_chance(run: _Run, causes: list[Finding]) -> list[Finding]:
    epochs = run.history.epochs
    if not epochs or epochs[-1].test_accuracy >= CHANCE_ACCURACY or epochs[-1].step < CHANCE_STEPS:
        return []
    last = epochs[-1]
    begin = epochs[-2].step + 1 if len(epochs) > 1 else 1
    if causes:
        cause = causes[0]
        fix, label = cause.fix, cause.fix_label
        why = f"The likely cause: {cause.title[0].lower()}{cause.title[1:]}."
    else:
        fix, label = _calmer(run.network, run.settings)
        why = ("Too large steps often throw a network into always giving the same answer; "
               "start again with a smaller learning rate.")
    return [Finding(
        "stuck_at_chance", None, "Stuck at chance",
        f"After epoch {len(epochs)} the network gets {last.test_accuracy:.1%} of the test digits "
        f"right, about what always answering the same digit scores. {why}",
        {"test_accuracy": float(last.test_accuracy), "epoch": len(epochs)},
        (max(begin, run.history.first_step), last.step), fix, label, needs_reset=True)]


def _overfitting(run: _Run) -> list[Finding]:
    epochs = run.history.epochs
    if len(epochs) <= OVERFIT_EPOCHS:
        return []
    tests = [e.test_cost for e in epochs[-OVERFIT_EPOCHS - 1 :]]
    trains = run.epoch_train_costs()[-OVERFIT_EPOCHS - 1 :]
    rising = all(b > a for a, b in zip(tests, tests[1:])) and tests[-1] - tests[0] >= OVERFIT_RISE
    if not (rising and trains[-1] < trains[0]):  # False for nan: steps no longer kept
        return []
    l2 = run.settings.l2 * 2 if run.settings.l2 else L2_PER_EXAMPLE * run.settings.batch
    l2 = nice_number(l2)
    return [Finding(
        "overfitting", None, "Overfitting",
        f"For the last {OVERFIT_EPOCHS} epochs the training cost fell ({in_words(trains[0], 3)} "
        f"→ {in_words(trains[-1], 3)}) while the test cost rose ({in_words(tests[0], 3)} → "
        f"{in_words(tests[-1], 3)}): the "
        "network is learning the training digits by heart instead of what makes a digit. L2 "
        "regularization keeps the weights small, which makes learning by heart harder.",
        {"train_cost_before": trains[0], "train_cost_now": trains[-1],
         "test_cost_before": float(tests[0]), "test_cost_now": float(tests[-1])},
        (epochs[-OVERFIT_EPOCHS - 1].step, epochs[-1].step), {"l2": l2}, f"Add L2 = {l2:g}")]


def _plateau(run: _Run) -> list[Finding]:
    epochs = run.history.epochs
    if len(epochs) <= PLATEAU_EPOCHS or run.settings.schedule != "constant":
        return []  # a shrinking rate is already the cure, and slows everything at its end
    accuracies = [e.test_accuracy for e in epochs]
    best_before = max(accuracies[:-PLATEAU_EPOCHS])
    best_since = max(accuracies[-PLATEAU_EPOCHS:])
    trains = run.epoch_train_costs()
    before, now = trains[-PLATEAU_EPOCHS - 1], trains[-1]
    test_before, test_now = epochs[-PLATEAU_EPOCHS - 1].test_cost, epochs[-1].test_cost
    still = 1 - PLATEAU_COST_GAIN
    if (best_since > best_before + PLATEAU_GAIN or best_since >= 1.0
            or not now > still * before or not test_now > still * test_before):
        return []
    lr = nice_number(run.settings.lr / 3)
    return [Finding(
        "plateau", None, "Plateau",
        f"For the last {PLATEAU_EPOCHS} epochs neither the test accuracy (best {best_since:.2%}, "
        f"{best_before:.2%} before) nor the costs improved (training {in_words(before, 3)} → "
        f"{in_words(now, 3)}, test {in_words(test_before, 3)} → {in_words(test_now, 3)}). The "
        "steps may be too large to settle into the bottom of the valley: smaller steps, or a "
        "rate that shrinks over the epochs "
        "(digitpad train --schedule cosine), let it settle lower.",
        {"best_accuracy_before": best_before, "best_accuracy_since": best_since,
         "train_cost_before": before, "train_cost_now": now,
         "test_cost_before": float(test_before), "test_cost_now": float(test_now)},
        (epochs[-PLATEAU_EPOCHS - 1].step, epochs[-1].step), {"lr": lr},
        f"Use learning rate {lr:g}")]


# ---- fixes --------------------------------------------------------------------------------------


def _calmer(network: Network, settings: RunSettings) -> tuple[dict[str, object], str]:
    """Smaller steps, for a network thrown off by too large ones: a tenth of the rate, at most
    one at which such a network learns. A ReLU network under sigmoid outputs or the quadratic
    cost also gets softmax and cross-entropy, with which it learns at such rates."""
    fix: dict[str, object] = {}
    switch = network.activation == "relu" and _not_softmax_cross_entropy(network)
    cost = "cross_entropy" if switch else network.cost_name
    stable = _stable_rate(network.activation, cost, settings)
    if settings.lr > stable:
        fix["lr"] = min(nice_number(settings.lr / 10), stable)
    if switch:
        fix.update(output="softmax", cost="cross_entropy")
    if not fix:  # a modest rate still threw it off: smaller still
        fix["lr"] = nice_number(settings.lr / 10)
    return fix, _reset_label(fix)


def _relu_fix(network: Network, settings: RunSettings) -> tuple[dict[str, object], str]:
    """ReLU hidden layers, which pass the nudges back whole; softmax with cross-entropy, whose
    output does too (a sigmoid output under the quadratic cost shrinks them like a hidden
    sigmoid); and a rate at which that network learns (sigmoid outputs need far larger ones)."""
    fix: dict[str, object] = {"activation": "relu"}
    if _not_softmax_cross_entropy(network):
        fix.update(output="softmax", cost="cross_entropy")
    rate = _stable_rate("relu", "cross_entropy", settings)
    if settings.lr != rate:
        fix["lr"] = rate
    return fix, _reset_label(fix)


def _not_softmax_cross_entropy(network: Network) -> bool:
    return network.output != "softmax" or network.cost_name != "cross_entropy"


def _stable_rate(activation: str, cost: str, settings: RunSettings) -> float:
    """STABLE_RATES for this network, for the steps momentum makes (μ keeps 1/(1 − μ) times
    larger ones)."""
    rate = STABLE_RATES[activation] * (QUADRATIC_SLOWDOWN if cost == "quadratic" else 1.0)
    return nice_number(rate * (1 - settings.momentum))


def _reset_label(fix: dict[str, object]) -> str:
    """What a button applying `fix` to a new network says."""
    if fix.keys() == {"lr"}:
        return f"Reset with learning rate {fix['lr']:g}"
    words = ["ReLU"] if "activation" in fix else []
    words += ["softmax and cross-entropy"] if "output" in fix else []
    words += [f"learning rate {fix['lr']:g}"] if "lr" in fix else []
    return f"Use {', '.join(words)}{',' if len(words) > 1 else ''} and reset"
