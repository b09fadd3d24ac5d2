"""The output layer: its activations aᴸ, the cost c(x) of the examples, and where backprop
starts, δᴸ = ∂c/∂zᴸ.

Everything starts from zᴸ (the output layer's weighted inputs) rather than the activations, so
logarithms are computed stably even when an output saturates at 0 or 1.
"""

import numpy as np

from digitpad.core.activations import sigmoid, sigmoid_prime, softmax
from digitpad.core.sums import row_sums

COSTS = ("quadratic", "cross_entropy")
OUTPUTS = ("sigmoid", "softmax")


def output_activation(z: np.ndarray, output: str) -> np.ndarray:
    return softmax(z) if output == "softmax" else sigmoid(z)


def output_layer(
    z: np.ndarray, Y: np.ndarray, cost: str, output: str
) -> tuple[np.ndarray, float, np.ndarray]:
    """Given zᴸ and the one-hot targets Y, both (n, k): the activations aᴸ, the cost c(x) summed
    over the examples, and every example's δᴸ = ∂c/∂zᴸ. (A plain tuple: a NamedTuple costs
    more to make than some of the steps here.)"""
    if cost == "cross_entropy":
        if output == "softmax":
            a, total = _softmax_cross_entropy(z, Y)
        else:
            a, total = sigmoid(z), _sigmoid_cross_entropy(z, Y)
        # For both pairings the output's own derivative cancels against the log: δᴸ = a − y.
        return a, total, a - Y
    # "Add up the squares of the differences" between what we got and what we wanted.
    a = output_activation(z, output)
    difference = a - Y
    dc_da = 2.0 * difference
    if output == "sigmoid":
        delta = dc_da * sigmoid_prime(a)  # ∂c/∂a ⊙ σ′(z)
    else:
        # Softmax couples the outputs: ∂a_j/∂z_k = a_j (1[j=k] − a_k).
        delta = a * (dc_da - row_sums(dc_da * a))
    return a, float(np.vdot(difference, difference)), delta


def _softmax_cross_entropy(z: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, float]:
    """The softmax a = e^z/s, with s each row's sum Σⱼ e^zⱼ, and Σ over the examples of
    c = −ln a_y = ln s − z_y (a one-hot y picks one output per example), sharing one exp.

    Softmax is the same for z and z − m, m any number per row. Within |z| ≤ 64, e^z and its
    sums are ordinary float32 numbers; beyond, each row's largest z is subtracted first, so
    that e^(z−m) ≤ 1 cannot overflow and each row's sum is at least 1: ln a stays finite even
    where a rounds to 0. The rows' maxima cost as much as the rest of this function at
    100 × 10, so they are taken only when needed; unshifted, c keeps an absolute rounding
    error of a few float steps of |z| (about 10⁻⁵ in float32 at |z| = 64), and δ = a − y
    is as exact either way.
    """
    if np.abs(z).max() > 64:
        z = z - z.max(axis=1, keepdims=True)
    a = np.exp(z)
    s = row_sums(a)
    a /= s
    return a, float(np.log(s).sum()) - float(np.vdot(Y, z))


def _sigmoid_cross_entropy(z: np.ndarray, Y: np.ndarray) -> float:
    """Σ over the examples of c = −Σⱼ [yⱼ ln aⱼ + (1−yⱼ) ln(1−aⱼ)], from z directly, the course
    notes' form: ln σ(z) = −ln(1+e^−z), ln(1−σ(z)) = −ln(1+e^z)."""
    log_a, log_1_minus_a = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    return -float((Y * log_a + (1.0 - Y) * log_1_minus_a).sum())
