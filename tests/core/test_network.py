"""Network: shapes, deltas, train_step, initialization, settings and input checks."""

import warnings

import numpy as np
import pytest

from digitpad.core import DigitpadError, DivergedError, Network, SettingsError
from digitpad.core.batches import ShuffledBatches

ACTIVATIONS = ["sigmoid", "relu", "tanh"]
OUTPUTS = ["softmax", "sigmoid"]
COSTS = ["cross_entropy", "quadratic"]
COMBOS = [(a, o, c) for a in ACTIVATIONS for o in OUTPUTS for c in COSTS]


def random_batch(n=7, d=6, k=3, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, d)), rng.integers(0, k, n)


# ---- forward, predict ---------------------------------------------------------------------


def test_forward_and_predict_shapes():
    net = Network((6, 5, 4, 3))
    X, _ = random_batch(n=9)
    out = net.forward(X)
    assert out.shape == (9, 3)
    labels = net.predict(X)
    assert labels.shape == (9,)
    assert labels.dtype.kind in "iu"
    np.testing.assert_array_equal(labels, out.argmax(axis=1))


def test_forward_of_zero_examples_is_empty():
    net = Network((6, 5, 3))
    assert net.forward(np.zeros((0, 6))).shape == (0, 3)


def test_softmax_output_rows_are_probabilities():
    net = Network((6, 5, 4), output="softmax", seed=3)
    X, _ = random_batch(n=20)
    out = net.forward(X * 50)  # large inputs: the rows must still be probabilities
    assert np.all(out >= 0)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)


def test_sigmoid_output_is_between_zero_and_one_and_independent():
    net = Network((6, 5, 4), output="sigmoid", seed=3)
    X, _ = random_batch(n=20)
    out = net.forward(X)
    assert np.all((out > 0) & (out < 1))
    # Sigmoid outputs are not normalized: the rows do not all sum to 1.
    assert not np.allclose(out.sum(axis=1), 1.0)


# ---- backprop: shapes and deltas ----------------------------------------------------------


@pytest.mark.parametrize("activation,output,cost", COMBOS)
def test_deltas_are_per_example_derivatives_of_c(activation, output, cost):
    """deltas[l][i] = dc(x_i)/dz^l for example i alone: for one example, dc/db^l = δ^l."""
    sizes = (6, 5, 4, 3)
    net = Network(sizes, activation, output, cost, seed=2, dtype=np.float64)
    for b in net.biases:  # off ReLU's kink at z = 0 (see test_gradcheck.network)
        b[:] = np.random.default_rng(7).normal(0.0, 0.5, b.shape)
    X, y = random_batch(n=5)
    grads = net.backprop(X, y)
    assert len(grads.deltas) == len(sizes) - 1
    for l, d in enumerate(grads.deltas):
        assert d.shape == (len(X), sizes[l + 1])

    eps = 1e-6
    for i in (0, 3):
        for l, b in enumerate(net.biases):
            for j in range(len(b)):
                b[j] += eps
                plus = net.cost(X[i : i + 1], y[i : i + 1])
                b[j] -= 2 * eps
                minus = net.cost(X[i : i + 1], y[i : i + 1])
                b[j] += eps
                numeric = (plus - minus) / (2 * eps)
                assert grads.deltas[l][i, j] == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_gradients_are_the_mean_of_the_per_example_nudges():
    net = Network((6, 5, 3), seed=4, dtype=np.float64)
    X, y = random_batch(n=8)
    grads = net.backprop(X, y)
    hidden = 0.5 * (1 + np.tanh(0.5 * (X @ net.weights[0] + net.biases[0])))  # sigmoid
    np.testing.assert_allclose(grads.weights[0], X.T @ grads.deltas[0] / len(X), rtol=1e-12)
    np.testing.assert_allclose(grads.weights[1], hidden.T @ grads.deltas[1] / len(X), rtol=1e-10)
    for gb, d in zip(grads.biases, grads.deltas):
        np.testing.assert_allclose(gb, d.mean(axis=0), rtol=1e-12)
    for gw, W in zip(grads.weights, net.weights):
        assert gw.shape == W.shape


def test_l2_adds_lambda_over_n_times_w_to_weight_gradients_only():
    net = Network((6, 5, 3), seed=4, dtype=np.float64)
    X, y = random_batch(n=8)
    plain, reg = net.backprop(X, y), net.backprop(X, y, l2=0.3)
    for gw0, gw, W in zip(plain.weights, reg.weights, net.weights):
        np.testing.assert_allclose(gw - gw0, 0.3 / 8 * W, rtol=1e-9, atol=1e-15)
    for gb0, gb in zip(plain.biases, reg.biases):
        np.testing.assert_array_equal(gb0, gb)


# ---- train_step ---------------------------------------------------------------------------


@pytest.mark.parametrize("activation,output,cost", COMBOS)
def test_train_step_decreases_the_cost_on_a_fixed_batch(activation, output, cost):
    net = Network((6, 8, 3), activation, output, cost, seed=0)
    X, _ = random_batch(n=12)
    y = X[:, :3].argmax(axis=1)  # labels the inputs determine
    costs = [net.train_step(X, y, lr=0.5).cost for _ in range(60)]
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))
    assert net.cost(X, y) < 0.85 * costs[0]


def test_train_step_is_w_minus_lr_times_gradient():
    net = Network((6, 5, 3), seed=5, dtype=np.float64)
    X, y = random_batch(n=8)
    grads = net.backprop(X, y, l2=0.1)
    old_w = [W.copy() for W in net.weights]
    old_b = [b.copy() for b in net.biases]
    net.train_step(X, y, lr=0.7, l2=0.1)
    for W, W0, g in zip(net.weights, old_w, grads.weights):
        np.testing.assert_allclose(W, W0 - 0.7 * g, rtol=1e-13, atol=1e-15)
    for b, b0, g in zip(net.biases, old_b, grads.biases):
        np.testing.assert_allclose(b, b0 - 0.7 * g, rtol=1e-13, atol=1e-15)


def test_momentum_accumulates_velocity():
    """v ← μv − η∇C, w ← w + v, over two steps."""
    mu, lr = 0.9, 0.3
    net = Network((6, 5, 3), seed=5, dtype=np.float64)
    X, y = random_batch(n=8)
    w0 = [W.copy() for W in net.weights]
    b0 = [b.copy() for b in net.biases]
    g1 = net.backprop(X, y)
    net.train_step(X, y, lr=lr, momentum=mu)
    v1w = [-lr * g for g in g1.weights]
    v1b = [-lr * g for g in g1.biases]
    for W, W0, v in zip(net.weights, w0, v1w):
        np.testing.assert_allclose(W, W0 + v, rtol=1e-12, atol=1e-15)

    w1 = [W.copy() for W in net.weights]
    b1 = [b.copy() for b in net.biases]
    g2 = net.backprop(X, y)
    net.train_step(X, y, lr=lr, momentum=mu)
    for W, W1, v, g in zip(net.weights, w1, v1w, g2.weights):
        np.testing.assert_allclose(W, W1 + mu * v - lr * g, rtol=1e-12, atol=1e-15)
    for b, B1, v, g in zip(net.biases, b1, v1b, g2.biases):
        np.testing.assert_allclose(b, B1 + mu * v - lr * g, rtol=1e-12, atol=1e-15)
    # The second step is not plain gradient descent: momentum moved it further.
    assert not np.allclose(net.weights[0], w1[0] - lr * g2.weights[0])
    assert not np.allclose(b0[0], net.biases[0])


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_train_step_reports_cost_before_the_step_and_gradient_norms(momentum):
    net = Network((6, 5, 4, 3), seed=6, dtype=np.float64)
    X, y = random_batch(n=8)
    for _ in range(2):  # the second step also has a velocity to add
        cost = net.cost(X, y, l2=0.2)
        grads = net.backprop(X, y, l2=0.2)
        stats = net.train_step(X, y, lr=0.1, l2=0.2, momentum=momentum)
        assert stats.cost == pytest.approx(cost, rel=1e-12)
        assert len(stats.grad_norms) == 3
        for norm, g in zip(stats.grad_norms, grads.weights):
            assert isinstance(norm, float)
            assert norm == pytest.approx(float(np.linalg.norm(g)), rel=1e-12)


def test_train_step_with_inputs_that_overflow_raises_diverged_and_keeps_weights():
    # ReLU passes 3e38 through; the next layer overflows float32 to inf and the cost is NaN.
    net = Network((6, 5, 3), activation="relu", seed=0)
    X = np.full((4, 6), 3e38, dtype=np.float32)
    y = np.array([0, 1, 2, 0])
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.isfinite(net.cost(X, y))
    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    with pytest.raises(DivergedError) as info:
        net.train_step(X, y, lr=0.1, momentum=0.9)
    assert isinstance(info.value, DigitpadError)
    assert "\n" not in str(info.value)
    for W, W0 in zip(net.weights, weights):
        np.testing.assert_array_equal(W, W0)
    for b, b0 in zip(net.biases, biases):
        np.testing.assert_array_equal(b, b0)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_absurd_learning_rate_raises_diverged_and_leaves_the_weights_of_that_step(momentum):
    net = Network((6, 5, 3), activation="relu", seed=0)
    X, y = random_batch(n=8)
    X = X.astype(np.float32)
    for _ in range(10):
        weights = [W.copy() for W in net.weights]
        biases = [b.copy() for b in net.biases]
        try:
            net.train_step(X, y, lr=1e30, momentum=momentum)
        except DivergedError:
            break
    else:
        pytest.fail("a learning rate of 1e30 never made the cost non-finite")
    for W, W0 in zip(net.weights, weights):
        np.testing.assert_array_equal(W, W0)
    for b, b0 in zip(net.biases, biases):
        np.testing.assert_array_equal(b, b0)


def test_settings_that_are_not_finite_numbers_are_refused_before_any_step():
    net = Network((6, 5, 3), seed=0, dtype=np.float64)
    X, y = random_batch(n=8)
    before = [p.copy() for p in net.weights + net.biases]
    for settings in ({"lr": float("inf")}, {"lr": 0.5, "l2": float("inf")},
                     {"lr": 0.5, "momentum": float("nan")}):
        with pytest.raises(SettingsError, match="finite number"):
            net.train_step(X, y, **settings)
    # Finite settings are the learning rule's to judge, however large: here they diverge.
    with pytest.raises(DivergedError):
        net.train_step(X, y, lr=1e308, l2=1e308)
    for p, p0 in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, p0)


@pytest.mark.parametrize("lr", [0.0, -0.5])
def test_a_learning_rate_that_takes_no_step_downhill_is_refused(lr):
    net = Network((6, 5, 3), seed=0)
    X, y = random_batch(n=8)
    before = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(SettingsError, match="learning rate must be greater than 0"):
        net.train_step(X, y, lr=lr, momentum=0.9)
    for p, p0 in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, p0)


@pytest.mark.parametrize(
    "dtype,lr,momentum",
    [
        (np.float32, 1e300, 0.0),  # finite as a Python float, inf as a float32
        (np.float32, 3e38, 0.9),  # each step fits in float32; the velocity piles up past it
        (np.float32, 1e38, 0.99),
    ],
)
def test_a_step_never_leaves_non_finite_weights_behind(dtype, lr, momentum):
    """The last good weights must survive: a step whose update overflows is a divergence."""
    net = Network((6, 5, 3), "sigmoid", "sigmoid", "quadratic", seed=0, dtype=dtype)
    X, y = random_batch(n=8)
    for _ in range(40):
        before = [p.copy() for p in net.weights + net.biases]
        try:
            net.train_step(X, y, lr=lr, momentum=momentum)
        except DivergedError:
            for p, p0 in zip(net.weights + net.biases, before):
                np.testing.assert_array_equal(p, p0)
            break
        assert all(np.isfinite(p).all() for p in net.weights + net.biases), (
            "train_step returned normally but left NaN/inf weights behind"
        )


@pytest.mark.parametrize(
    "lr,momentum,inputs",
    [(0.1, 0.0, 3e38), (1e30, 0.0, None), (1e30, 0.9, None), (1e300, 0.0, None)],
)
def test_divergence_is_reported_once_without_numpy_warnings(lr, momentum, inputs):
    """The CLI prints one error line; NumPy's overflow warnings must not come with it."""
    net = Network((6, 5, 3), activation="relu", seed=0)
    X, y = random_batch(n=8)
    if inputs is not None:
        X = np.full_like(X, inputs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(DivergedError):
            for _ in range(20):
                net.train_step(X, y, lr=lr, momentum=momentum)
    assert [str(w.message) for w in caught] == []


def test_float32_by_default_and_kept_through_training():
    net = Network((6, 5, 3))
    assert net.dtype == np.float32
    X, y = random_batch(n=8)  # float64 inputs are converted, not promoted to
    for _ in range(3):
        stats = net.train_step(X, y, lr=0.5, l2=0.1, momentum=0.9)
    assert all(W.dtype == np.float32 for W in net.weights)
    assert all(b.dtype == np.float32 for b in net.biases)
    assert net.forward(X).dtype == np.float32
    grads = net.backprop(X, y, l2=0.1)
    assert all(g.dtype == np.float32 for g in grads.weights + grads.biases + grads.deltas)
    assert np.isfinite(stats.cost)


def test_float64_on_request():
    net = Network((6, 5, 3), dtype=np.float64)
    assert net.dtype == np.float64
    X, y = random_batch(n=8)
    net.train_step(X, y, lr=0.5, momentum=0.5)
    assert all(W.dtype == np.float64 for W in net.weights + net.biases)
    assert net.forward(X).dtype == np.float64


def test_same_seed_same_network_different_seed_different_network():
    a, b, c = Network((6, 5, 3), seed=7), Network((6, 5, 3), seed=7), Network((6, 5, 3), seed=8)
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)
    X, y = random_batch(n=8)
    for _ in range(3):
        a.train_step(X, y, lr=0.5)
        b.train_step(X, y, lr=0.5)
    for Wa, Wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(Wa, Wb)


@pytest.mark.parametrize("activation,gain", [("sigmoid", 1.0), ("tanh", 1.0), ("relu", 2**0.5)])
def test_initial_weights_scale_with_fan_in(activation, gain):
    net = Network((400, 300, 100), activation=activation, seed=0)
    for W, fan_in in zip(net.weights, (400, 300)):
        assert W.std() == pytest.approx(gain / np.sqrt(fan_in), rel=0.05)
        assert abs(W.mean()) < 0.1 * W.std()


def test_copy_is_independent():
    net = Network((6, 5, 3), seed=1)
    twin = net.copy()
    X, y = random_batch(n=8)
    before = [W.copy() for W in net.weights]
    twin.train_step(X, y, lr=1.0, momentum=0.9)
    for W, W0 in zip(net.weights, before):
        np.testing.assert_array_equal(W, W0)
    assert not np.array_equal(twin.weights[0], net.weights[0])
    assert (twin.sizes, twin.activation, twin.output, twin.cost_name, twin.dtype) == (
        net.sizes,
        net.activation,
        net.output,
        net.cost_name,
        net.dtype,
    )


def test_attributes_follow_the_settings():
    net = Network([784, 16, 16, 10], activation="tanh", output="sigmoid", cost="quadratic")
    assert net.sizes == (784, 16, 16, 10)
    assert isinstance(net.sizes, tuple)
    assert (net.activation, net.output, net.cost_name) == ("tanh", "sigmoid", "quadratic")
    assert [W.shape for W in net.weights] == [(784, 16), (16, 16), (16, 10)]
    assert [b.shape for b in net.biases] == [(16,), (16,), (10,)]


# ---- bad inputs ---------------------------------------------------------------------------


def each_raises_value_error(*calls) -> None:
    for call in calls:
        with pytest.raises(ValueError):
            call()


@pytest.mark.parametrize(
    "X",
    [np.zeros((4, 5)), np.zeros((4, 7)), np.zeros(6), np.zeros((4, 6, 1)), np.zeros((2, 3, 2))],
    ids=["too-few-columns", "too-many-columns", "1-D", "3-D", "right-size-wrong-shape"],
)
def test_inputs_of_the_wrong_shape_raise_value_error(X):
    net = Network((6, 5, 3))
    y = np.zeros(len(X), dtype=int)
    each_raises_value_error(lambda: net.forward(X), lambda: net.cost(X, y),
                            lambda: net.train_step(X, y, lr=0.1))


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, 1, 3, 0]),
        np.array([0, -1, 2, 0]),
        np.array([0.0, 1.0, 2.0, 0.0]),
        np.array([[0], [1], [2], [0]]),
        np.array(["0", "1", "2", "0"]),
    ],
    ids=["too-large", "negative", "float", "2-D", "strings"],
)
def test_bad_labels_raise_value_error(y):
    net = Network((6, 5, 3))
    X = np.zeros((4, 6))
    weights = [W.copy() for W in net.weights]
    each_raises_value_error(lambda: net.cost(X, y), lambda: net.backprop(X, y),
                            lambda: net.train_step(X, y, lr=0.1))
    for W, W0 in zip(net.weights, weights):
        np.testing.assert_array_equal(W, W0)


@pytest.mark.parametrize("n_labels", [1, 3, 5])
def test_as_many_labels_as_examples(n_labels):
    """One label for four examples must not be broadcast to all of them."""
    net = Network((6, 5, 3))
    X = np.zeros((4, 6))
    y = np.zeros(n_labels, dtype=int)
    each_raises_value_error(lambda: net.cost(X, y), lambda: net.train_step(X, y, lr=0.1))


# ---- impossible settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes,words",
    [
        ((6, 0, 3), "0"),
        ((6, -3, 3), "-3"),
        ((6,), "layer"),
        ((), "layer"),
        ((6, 2.5, 3), "2.5"),
        ((6, "many", 3), "many"),
        (None, "layer"),
    ],
    ids=["zero", "negative", "one-layer", "no-layers", "fraction", "word", "none"],
)
def test_impossible_sizes_raise_settings_error(sizes, words):
    with pytest.raises(SettingsError) as info:
        Network(sizes)
    message = str(info.value)
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"activation": "swish"}, ["activation", "swish", "sigmoid", "relu", "tanh"]),
        ({"output": "linear"}, ["output", "linear", "softmax", "sigmoid"]),
        ({"cost": "hinge"}, ["cost", "hinge", "quadratic", "cross_entropy"]),
        ({"dtype": np.int32}, ["float32", "float64"]),
        ({"dtype": np.float16}, ["float32", "float64"]),
    ],
)
def test_unknown_choices_raise_settings_error_naming_the_choices(kwargs, words):
    with pytest.raises(SettingsError) as info:
        Network((6, 5, 3), **kwargs)
    for word in words:
        assert word in str(info.value)
    assert "\n" not in str(info.value)


# ---- learning, end to end -----------------------------------------------------------------


def blobs(n_per_class, seed):
    """Three well-separated gaussian clouds in 20 dimensions."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(123).normal(0, 1, (3, 20))
    X = np.concatenate([c + 0.5 * rng.standard_normal((n_per_class, 20)) for c in centres])
    y = np.repeat(np.arange(3), n_per_class)
    return X.astype(np.float32), y


@pytest.mark.parametrize(
    "activation,output,cost",
    [
        ("sigmoid", "softmax", "cross_entropy"),
        ("sigmoid", "sigmoid", "quadratic"),
        ("relu", "softmax", "cross_entropy"),
    ],
)
def test_mini_batch_sgd_learns_a_separable_problem(activation, output, cost):
    X, y = blobs(300, seed=0)
    X_test, y_test = blobs(200, seed=1)
    net = Network((20, 16, 3), activation, output, cost, seed=0)
    assert (net.predict(X_test) == y_test).mean() < 0.8  # it has something to learn
    batches = ShuffledBatches(len(X), seed=0)
    while batches.epoch < 10:
        idx = batches.next(32)
        net.train_step(X[idx], y[idx], lr=0.5, momentum=0.5)
    assert (net.predict(X_test) == y_test).mean() > 0.95


def test_overflow_hidden_behind_a_bounded_cost_is_divergence():
    # The video's network: sigmoid outputs and the quadratic cost stay finite however large the
    # weights get, because the overflowing neurons saturate. The overflow must still stop it.
    rng = np.random.default_rng(0)
    X = rng.random((50, 784)).astype(np.float32)
    y = rng.integers(0, 10, 50)
    net = Network((784, 16, 16, 10), "sigmoid", "sigmoid", "quadratic")
    with pytest.raises(DivergedError, match="smaller learning rate"):
        for _ in range(5):
            before = [W.copy() for W in net.weights]
            net.train_step(X, y, lr=1e38)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))
    assert all(np.isfinite(W).all() for W in net.weights)
