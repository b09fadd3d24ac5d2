"""Cost of one example, c(x), and where backprop starts: δᴸ = ∂c/∂zᴸ at the output layer.

Both take zᴸ (the output layer's weighted inputs) rather than the activations, so logarithms are
computed stably even when an output saturates at 0 or 1.
"""

import numpy as np

from digitpad.core.activations import sigmoid, softmax

COSTS = ("quadratic", "cross_entropy")
OUTPUTS = ("sigmoid", "softmax")


def output_activation(z: np.ndarray, output: str) -> np.ndarray:
    return softmax(z) if output == "softmax" else sigmoid(z)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """ln softmax(z), from z directly: finite even where softmax rounds to 0."""
    return z - _logsumexp(z)


def per_example_cost(
    z: np.ndarray, Y: np.ndarray, cost: str, output: str, log_a: np.ndarray | None = None
) -> np.ndarray:
    """c(x) for every row: z and the one-hot targets Y are (n, k); returns (n,).

    log_a: ln of the softmax outputs, if the caller has already computed them.
    """
    if cost == "quadratic":
        # "Add up the squares of the differences" between what we got and what we wanted.
        a = output_activation(z, output)
        return ((a - Y) ** 2).sum(axis=1)
    if output == "softmax":
        if log_a is None:
            log_a = log_softmax(z)
        return -(Y * log_a).sum(axis=1)
    # Sigmoid outputs, the course notes' form: ln σ(z) = −ln(1+e^−z), ln(1−σ(z)) = −ln(1+e^z).
    log_a, log_1_minus_a = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    return -(Y * log_a + (1.0 - Y) * log_1_minus_a).sum(axis=1)


def output_delta(a: np.ndarray, Y: np.ndarray, cost: str, output: str) -> np.ndarray:
    """δᴸ = ∂c/∂zᴸ for every example, given the output activations a."""
    if cost == "cross_entropy":
        # For both pairings the output's own derivative cancels against the log: δᴸ = a − y.
        return a - Y
    dc_da = 2.0 * (a - Y)
    if output == "sigmoid":
        return dc_da * a * (1.0 - a)  # ∂c/∂a ⊙ σ′(z)
    # Softmax couples the outputs: ∂a_j/∂z_k = a_j (1[j=k] − a_k).
    return a * (dc_da - (dc_da * a).sum(axis=1, keepdims=True))


def _logsumexp(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
