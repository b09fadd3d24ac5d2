"""Cost values against cases worked out by hand.

A 2-2 network whose weights are zero (or whose inputs are zero) outputs z = b for every example,
so choosing b = (0, ln 3) gives round numbers: σ(0) = 1/2, σ(ln 3) = 3/4 and
softmax(0, ln 3) = (1/4, 3/4).
"""

import math

import numpy as np
import pytest

from digitpad.core import Network

LN3 = math.log(3.0)


def two_by_two(output, cost, biases=(0.0, LN3), dtype=np.float64):
    net = Network((2, 2), output=output, cost=cost, dtype=dtype)
    net.weights[0][:] = 0.0
    net.biases[0][:] = biases
    return net


X2 = np.array([[0.3, 0.9], [1.0, 0.2]])


@pytest.mark.parametrize(
    "output,cost,label,expected",
    [
        # (a − y)² summed, no ½: (1/2 − 1)² + (3/4 − 0)² = 1/4 + 9/16
        ("sigmoid", "quadratic", 0, 0.25 + 0.5625),
        # (1/2 − 0)² + (3/4 − 1)² = 1/4 + 1/16
        ("sigmoid", "quadratic", 1, 0.25 + 0.0625),
        # (1/4 − 1)² + (3/4)² = 9/16 + 9/16
        ("softmax", "quadratic", 0, 1.125),
        # (1/4)² + (3/4 − 1)² = 1/16 + 1/16
        ("softmax", "quadratic", 1, 0.125),
        # −[ln a₀ + ln(1 − a₁)] = −[ln 1/2 + ln 1/4] = 3 ln 2
        ("sigmoid", "cross_entropy", 0, 3 * math.log(2)),
        # −[ln(1 − a₀) + ln a₁] = −[ln 1/2 + ln 3/4]
        ("sigmoid", "cross_entropy", 1, math.log(2) + math.log(4 / 3)),
        # −ln a₀ = ln 4
        ("softmax", "cross_entropy", 0, math.log(4)),
        # −ln a₁ = ln 4/3
        ("softmax", "cross_entropy", 1, math.log(4 / 3)),
    ],
)
def test_cost_of_one_example_by_hand(output, cost, label, expected):
    net = two_by_two(output, cost)
    X = X2[:1]
    assert net.cost(X, np.array([label])) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "output,cost,expected",
    [
        ("sigmoid", "quadratic", (0.8125 + 0.3125) / 2),
        ("softmax", "quadratic", (1.125 + 0.125) / 2),
        ("sigmoid", "cross_entropy", (3 * math.log(2) + math.log(2) + math.log(4 / 3)) / 2),
        ("softmax", "cross_entropy", (math.log(4) + math.log(4 / 3)) / 2),
    ],
)
def test_cost_is_the_mean_over_examples(output, cost, expected):
    net = two_by_two(output, cost)
    assert net.cost(X2, np.array([0, 1])) == pytest.approx(expected, rel=1e-12)
    # The same pair repeated: a mean, not a sum.
    X4, y4 = np.vstack([X2, X2]), np.array([0, 1, 0, 1])
    assert net.cost(X4, y4) == pytest.approx(expected, rel=1e-12)


def test_float32_network_gives_the_same_hand_computed_cost():
    net = two_by_two("softmax", "cross_entropy", dtype=np.float32)
    assert net.cost(X2, np.array([0, 1])) == pytest.approx(
        (math.log(4) + math.log(4 / 3)) / 2, rel=1e-6
    )


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_l2_term_is_lambda_over_2n_times_sum_of_squared_weights(output, cost):
    # Zero inputs: the output is b whatever the weights, so only the L2 term sees W.
    net = Network((2, 2), output=output, cost=cost, dtype=np.float64)
    net.weights[0][:] = [[1.0, 2.0], [3.0, 0.0]]  # ΣW² = 14
    net.biases[0][:] = [0.0, LN3]
    X, y = np.zeros((2, 2)), np.array([0, 1])
    plain = net.cost(X, y)
    assert net.cost(X, y, l2=0.5) == pytest.approx(plain + 0.5 / (2 * 2) * 14, rel=1e-12)
    # n = 4 examples: the term halves.
    X4, y4 = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    assert net.cost(X4, y4, l2=0.5) == pytest.approx(plain + 0.5 / (2 * 4) * 14, rel=1e-12)


def test_l2_sums_over_every_layer_and_not_over_biases():
    net = Network((3, 2, 2), dtype=np.float64)
    X, y = np.random.default_rng(0).random((5, 3)), np.array([0, 1, 1, 0, 1])
    squares = sum(float((W**2).sum()) for W in net.weights)
    plain = net.cost(X, y)
    assert net.cost(X, y, l2=2.0) == pytest.approx(plain + 2.0 / 10 * squares, rel=1e-12)
    net.biases[1][:] = 0.0  # changing biases changes the data term only
    plain = net.cost(X, y)
    assert net.cost(X, y, l2=2.0) - plain == pytest.approx(2.0 / 10 * squares, rel=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_cross_entropy_stays_finite_when_outputs_saturate(dtype):
    # Output 0 is certain (σ(50) = 1 in float) and wrong, output 1 certain (σ(−50) = 0) and wrong:
    # c = −[ln(1 − σ(50)) + ln σ(−50)] = 2 ln(1 + e⁵⁰) ≈ 100, not inf.
    net = two_by_two("sigmoid", "cross_entropy", biases=(50.0, -50.0), dtype=dtype)
    c = net.cost(X2[:1], np.array([1]))
    assert c == pytest.approx(100.0, rel=1e-6)
    grads = net.backprop(X2[:1], np.array([1]))
    assert all(np.isfinite(g).all() for g in grads.weights + grads.biases)
    # And right with certainty: a cost of (almost) zero, not NaN.
    assert net.cost(X2[:1], np.array([0])) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_stays_finite_when_outputs_saturate(dtype):
    # softmax(1000, −1000) = (1, 0) in float; −ln a₁ = 2000 exactly.
    net = two_by_two("softmax", "cross_entropy", biases=(1000.0, -1000.0), dtype=dtype)
    assert net.cost(X2[:1], np.array([1])) == pytest.approx(2000.0, rel=1e-6)
    assert net.cost(X2[:1], np.array([0])) == pytest.approx(0.0, abs=1e-6)
    out = net.forward(X2[:1])
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("top", [-90.0, -63.0, 0.0, 20.0, 63.0, 65.0, 90.0])
def test_softmax_cross_entropy_and_deltas_agree_with_float64_math_at_any_height(dtype, top):
    # Large and small z, on both sides of |z| = 64 where the rows start to be shifted:
    # z = (top, top − 3) for every example, so a = (1, e⁻³)/(1 + e⁻³), and the cost is
    # ln(1 + e⁻³) for label 0 and ln(1 + e³) for label 1, whatever top is. Unshifted, ln s − z_y
    # rounds to within a few float steps of |z|: float32 keeps ~3e-7·|z| of it, float64 ~1e-15·|z|.
    net = two_by_two("softmax", "cross_entropy", biases=(top, top - 3.0), dtype=dtype)
    X = np.zeros((4, 2), dtype=dtype)
    tolerance = (3e-7 if dtype == np.float32 else 1e-15) * max(abs(top), 1.0)
    for label, c in ((0, math.log1p(math.exp(-3.0))), (1, math.log1p(math.exp(3.0)))):
        y = np.full(4, label)
        assert net.cost(X, y) == pytest.approx(c, abs=tolerance)
    y = np.array([1, 1, 0, 1])
    grads = net.backprop(X, y)
    a = np.array([1.0, math.exp(-3.0)]) / (1.0 + math.exp(-3.0))
    np.testing.assert_allclose(grads.deltas[0], a - np.eye(2)[y], rtol=1e-6, atol=1e-7)


def test_cross_entropy_finite_with_huge_weighted_inputs():
    """Saturation from the weights rather than the biases: z in the thousands."""
    net = Network((2, 3), output="sigmoid", cost="cross_entropy", dtype=np.float32)
    net.weights[0][:] = 1000.0
    net.biases[0][:] = 0.0
    X = np.ones((3, 2), dtype=np.float32)  # z = 2000 for every output
    c = net.cost(X, np.array([0, 1, 2]))
    # Every example: one output right (≈0), two wrong (ln(1+e²⁰⁰⁰) ≈ 2000 each).
    assert c == pytest.approx(4000.0, rel=1e-5)


def test_quadratic_cost_is_bounded_by_the_number_of_outputs():
    """With sigmoid/softmax outputs in [0, 1], each squared difference is at most 1."""
    net = Network((6, 5, 4), output="sigmoid", cost="quadratic", dtype=np.float64)
    net.weights[-1][:] = 100.0
    X = np.ones((3, 6))
    c = net.cost(X, np.array([0, 1, 2]))
    assert c == pytest.approx(3.0, rel=1e-9)  # three outputs at 1 that should be 0
