"""Checking backprop against the definition of a derivative.

For a parameter w, (C(w + ε) − C(w − ε)) / 2ε approaches ∂C/∂w as ε shrinks (the error of this
central difference is O(ε²)). If backprop is right, both numbers agree to many digits.
"""

from typing import NamedTuple

import numpy as np

from digitpad.core.network import Network


class LayerCheck(NamedTuple):
    layer: int  # 1-based, as in "layer 1 (784→16)"
    shape: tuple[int, int]
    checked: int  # how many parameters were compared
    worst_relative_error: float


def relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Tiny floor: two gradients that are both ~0 agree.
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)


def gradient_check(
    network: Network,
    X: np.ndarray,
    y: np.ndarray,
    l2: float = 0.0,
    eps: float = 1e-5,
    max_params_per_layer: int | None = None,
    seed: int = 0,
) -> list[LayerCheck]:
    """Worst relative error between backprop and central differences, for every layer.

    Runs on a float64 copy of `network` (float32 rounding would swamp the comparison). Weights
    and biases of a layer are checked together; `max_params_per_layer` samples that many of
    them at random to keep big networks quick.
    """
    net = network.astype(np.float64)
    grads = net.backprop(X, y, l2)
    rng = np.random.default_rng(seed)

    results = []
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        params = [(W, grads.weights[l]), (b, grads.biases[l])]
        where = [(p, g, idx) for p, g in params for idx in np.ndindex(p.shape)]
        if max_params_per_layer is not None and len(where) > max_params_per_layer:
            picks = rng.choice(len(where), size=max_params_per_layer, replace=False)
            where = [where[i] for i in picks]
        numeric = np.array([_central_difference(net, X, y, l2, p, idx, eps) for p, _, idx in where])
        analytic = np.array([g[idx] for _, g, idx in where])
        worst = float(relative_error(numeric, analytic).max())
        results.append(LayerCheck(l + 1, W.shape, len(where), worst))
    return results


def _central_difference(net: Network, X, y, l2: float, p: np.ndarray, idx, eps: float) -> float:
    original = p[idx]
    p[idx] = original + eps
    plus = net.cost(X, y, l2)
    p[idx] = original - eps
    minus = net.cost(X, y, l2)
    p[idx] = original
    return (plus - minus) / (2 * eps)
