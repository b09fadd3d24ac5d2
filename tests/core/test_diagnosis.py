"""Each kind of finding, produced on purpose on small data and found; healthy runs give none."""

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from digitpad.core import diagnosis
from digitpad.core.diagnosis import (
    Recorder,
    RunHistory,
    chance_cost,
    diagnose,
    is_failed,
    probe_inputs,
)
from digitpad.core.mnist import Mnist, as_inputs
from digitpad.core.network import Network
from digitpad.core.numbers_in_words import in_words, share_in_words
from digitpad.core.presets import PRESETS
from digitpad.core.training_run import train_epochs
from tests.conftest import make_small_mnist

# Plain SGD at a constant rate; each test sets the network and the rate.
BASE = replace(PRESETS["video"], momentum=0.0, schedule="constant", batch=10)
RELU = replace(BASE, activation="relu", output="softmax", cost="cross_entropy", lr=0.1)


class Run:
    """A network trained on `data` with `settings` by the one SGD loop (as `digitpad train`
    does), diagnosed after every epoch."""

    def __init__(self, data: Mnist, settings, epochs: int) -> None:
        self.settings = replace(settings, epochs=epochs)
        self.network = self.settings.new_network(seed=0)
        self.probe = probe_inputs(data.test_images)
        self.recorder = Recorder()
        self.findings_per_epoch = []
        with threadpool_limits(limits=1, user_api="blas"):  # as the CLI: fast on a busy machine
            for report in train_epochs(self.network, data, self.settings,
                                       on_step=self.recorder.step):
                self.recorder.epoch(report.test_accuracy, report.test_cost)
                self.findings_per_epoch.append(self.diagnose())

    @property
    def epochs(self):
        return self.recorder.epochs

    def diagnose(self) -> list:
        history = self.recorder.history(len(self.network.weights))
        return diagnose(self.network, history, self.probe, self.settings)


def kinds(findings) -> list[tuple[str, int | None]]:
    return [(f.kind, f.layer) for f in findings]


def only(findings, kind):
    (found,) = [f for f in findings if f.kind == kind]
    return found


def readable(finding) -> str:
    """The explanation, checked to hold no number in computer notation (2.44e+03)."""
    assert not re.search(r"\d[eE][+-]?\d", finding.explanation), finding.explanation
    assert "nan" not in finding.explanation and "inf" not in finding.explanation.split()
    return finding.explanation


@pytest.fixture(scope="module")
def small():
    return make_small_mnist()


# ---- each kind on purpose -------------------------------------------------------------------


def test_a_far_too_large_rate_diverges_and_kills_the_relus(small):
    run = Run(small, replace(RELU, lr=30.0), epochs=2)
    findings = run.findings_per_epoch[-1]
    diverging = only(findings, "diverging")
    assert diverging.layer in (1, 2, 3)
    assert diverging.evidence["peak_cost"] > 10 * diverging.evidence["start_cost"]
    first, last = diverging.steps
    assert 1 <= first <= last <= run.recorder.steps
    # a tenth of 30 would still kill ReLUs: the fix offers a rate at which they learn
    assert diverging.fix == {"lr": 0.1} and diverging.fix_label == "Reset with learning rate 0.1"
    assert diverging.needs_reset
    assert (f"The cost rose from {in_words(diverging.evidence['start_cost'], 3)} to "
            f"{in_words(diverging.evidence['peak_cost'], 3)} by step") in readable(diverging)
    assert ("dead_relus", 1) in kinds(findings)
    assert is_failed(findings)


def test_dead_relus_are_found_in_the_layer_that_died(small):
    run = Run(small, RELU, epochs=1)
    assert run.diagnose() == []
    run.network.biases[1][:] = -100.0  # every neuron of layer 2 off, whatever its input
    findings = run.diagnose()
    assert kinds(findings) == [("dead_relus", 2)]
    dead = findings[0]
    assert dead.evidence["count"] == dead.evidence["neurons"] == 16
    assert dead.fix == {"lr": 0.01}
    assert dead.title == "Dead ReLUs in layer 2"


def test_saturated_sigmoids_are_found_in_their_layer(small):
    run = Run(small, replace(BASE, lr=3.0), epochs=1)
    assert run.diagnose() == []
    run.network.weights[1] *= 100.0  # layer 2's inputs are now huge: every neuron at 0 or 1
    findings = run.diagnose()
    assert kinds(findings) == [("saturated", 2)]
    assert findings[0].evidence["share"] > 0.5
    assert findings[0].fix == {"lr": 0.3}


def test_a_deep_sigmoid_network_has_a_vanishing_gradient_and_stays_at_chance(small):
    deep = replace(BASE, hidden=(16,) * 5, lr=0.05)
    run = Run(small, deep, epochs=2)
    findings = run.findings_per_epoch[-1]
    assert kinds(findings) == [("vanishing_gradient", 1), ("stuck_at_chance", None)]
    vanishing, stuck = findings
    assert vanishing.evidence["ratio_to_last"] >= 100
    assert vanishing.evidence["update_ratio"] < 1e-3
    assert vanishing.fix == {"activation": "relu", "output": "softmax", "cost": "cross_entropy",
                             "lr": 0.1}
    assert vanishing.fix_label == ("Use ReLU, softmax and cross-entropy, learning rate 0.1, "
                                   "and reset")
    # stuck at chance points at its cause and offers the same fix
    assert stuck.evidence["test_accuracy"] < 0.2
    assert "vanishing gradient" in stuck.explanation and stuck.fix == vanishing.fix
    ratio, moved = vanishing.evidence["ratio_to_last"], vanishing.evidence["update_ratio"]
    assert f"is about {in_words(ratio)} times smaller than the last layer's" in readable(vanishing)
    assert f"(about one part in {in_words(1 / moved)} of their size" in vanishing.explanation
    assert is_failed(findings)


def test_the_vanishing_gradient_fix_makes_the_same_network_learn(small):
    deep = replace(BASE, hidden=(16,) * 5, lr=0.05)
    fix = only(Run(small, deep, epochs=1).findings_per_epoch[-1], "vanishing_gradient").fix
    fixed = Run(small, replace(deep, **fix), epochs=2)
    assert fixed.epochs[-1].test_accuracy > 0.9
    assert fixed.findings_per_epoch[-1] == []


def test_a_tiny_learning_rate_is_called_too_small(small):
    run = Run(small, replace(RELU, lr=1e-5), epochs=4)
    slow = only(run.findings_per_epoch[-1], "learning_rate_too_small")
    assert slow.layer is None and slow.fix == {"lr": 1e-4} and not slow.needs_reset
    assert slow.evidence["cost_share"] > 0.8
    assert slow.steps == (run.recorder.steps - 199, run.recorder.steps)
    share = share_in_words(slow.evidence["largest_update_ratio"])
    assert f"move more than about {share} of their size per step" in readable(slow)


def test_memorising_random_labels_is_overfitting():
    data = make_small_mnist(train=30)
    rng = np.random.default_rng(1)
    noise = Mnist(data.train_images, rng.integers(0, 10, 30).astype(np.uint8),
                  data.test_images, data.test_labels)
    run = Run(noise, replace(RELU, hidden=(64,)), epochs=6)
    overfitting = only(run.findings_per_epoch[-1], "overfitting")
    assert overfitting.evidence["test_cost_now"] > overfitting.evidence["test_cost_before"]
    assert overfitting.evidence["train_cost_now"] < overfitting.evidence["train_cost_before"]
    assert overfitting.fix == {"l2": 0.005} and overfitting.fix_label == "Add L2 = 0.005"
    assert all(f.kind != "overfitting" for f in run.findings_per_epoch[1])  # not before
    readable(overfitting)


def test_noisy_labels_make_a_plateau():
    data = make_small_mnist(train=2000)
    rng = np.random.default_rng(1)

    def noisy(labels):  # 60% of the labels replaced by random digits: ~46% at best
        labels = labels.copy()
        flip = rng.random(len(labels)) < 0.6
        labels[flip] = rng.integers(0, 10, flip.sum())
        return labels

    data = Mnist(data.train_images, noisy(data.train_labels), data.test_images,
                 noisy(data.test_labels))
    run = Run(data, replace(RELU, hidden=(), batch=20), epochs=6)
    plateau = only(run.findings_per_epoch[-1], "plateau")
    assert plateau.evidence["best_accuracy_since"] <= plateau.evidence["best_accuracy_before"]
    assert plateau.fix == {"lr": 0.03}
    readable(plateau)


# ---- quiet when nothing is wrong ------------------------------------------------------------


@pytest.mark.parametrize("name, train, epochs", [("video", 6000, 10), ("accurate", 2000, 4)])
def test_the_presets_produce_no_finding(name, train, epochs):
    # Without augmentation: shifting a digit of the small data by a row or two turns it into
    # another (digit d is a bar on row 4 + 2d).
    settings = replace(PRESETS[name], augment=False)
    run = Run(make_small_mnist(train=train), settings, epochs=epochs)
    assert run.epochs[-1].test_accuracy > 0.95
    assert run.findings_per_epoch == [[]] * epochs


# ---- the parts ------------------------------------------------------------------------------


def test_every_finding_says_what_and_why_in_one_json_line(small):
    run = Run(small, replace(RELU, lr=30.0), epochs=2)
    for finding in run.findings_per_epoch[-1]:
        assert finding.kind in diagnosis.KINDS
        line = finding.as_json()
        assert line["diagnosis"] == finding.kind and line["layer"] == finding.layer
        assert line["suggested_settings"] == finding.fix
        assert "\n" not in line["message"] and line["message"].startswith(finding.title)
        assert readable(finding).count(". ") + finding.explanation.count("; ") >= 1


def test_chance_cost_is_the_cost_of_a_network_that_knows_nothing(small):
    X, y = as_inputs(small.test_images), small.test_labels
    for output, cost in (("softmax", "cross_entropy"), ("softmax", "quadratic"),
                         ("sigmoid", "quadratic")):
        network = Network((784, 10), "relu", output, cost)
        network.weights[0][:] = 0.0  # the same output for every digit: 1/10 each for softmax
        if output == "sigmoid":
            network.biases[0][:] = -math.log(9)  # σ(b) = 1/10
        assert network.cost(X, y) == pytest.approx(chance_cost(network), rel=1e-5)
    assert chance_cost(network) == pytest.approx(0.9)


def test_a_diverged_run_that_recovered_is_not_failed():
    finding = diagnosis.Finding("diverging", 1, "Training diverged", "",
                                {"start_cost": 2.3, "recent_cost": 0.3}, (5, 9))
    assert not is_failed([finding])
    assert is_failed([replace(finding, evidence={"start_cost": 2.3, "recent_cost": 2.4})])


def test_the_probe_is_a_fixed_spread_of_the_images(small):
    probe = probe_inputs(small.train_images, count=50)
    assert probe.shape == (50, 784) and probe.dtype == np.float32
    np.testing.assert_array_equal(probe, probe_inputs(small.train_images, count=50))
    np.testing.assert_array_equal(probe[1], as_inputs(small.train_images[12:13])[0])


def test_an_empty_history_gives_no_finding(small):
    network = RELU.new_network()
    history = RunHistory(np.zeros(0), np.zeros((0, 3)))
    assert diagnose(network, history, probe_inputs(small.test_images), RELU) == []


def test_a_relu_network_under_the_quadratic_cost_is_offered_softmax_and_a_rate_for_it(small):
    settings = replace(RELU, output="sigmoid", cost="quadratic", lr=3.0)
    run = Run(small, settings, epochs=1)
    run.network.biases[0][:] = -100.0  # layer 1 dead (and layer 2, which sees only zeros)
    dead = run.diagnose()[0]
    assert (dead.kind, dead.layer) == ("dead_relus", 1)
    assert dead.fix == {"lr": 0.1, "output": "softmax", "cost": "cross_entropy"}
    assert dead.fix_label == "Use softmax and cross-entropy, learning rate 0.1, and reset"
