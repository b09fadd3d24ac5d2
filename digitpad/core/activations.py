"""Activation functions σ and their derivatives σ′.

Each derivative is written in terms of the activation a = σ(z), which the forward pass has
already computed, so backprop never needs to keep z around.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Activation(NamedTuple):
    name: str
    f: Callable[[np.ndarray], np.ndarray]  # a = σ(z)
    derivative: Callable[[np.ndarray], np.ndarray]  # σ′(z), given a = σ(z)


def sigmoid(z: np.ndarray) -> np.ndarray:
    # 1/(1+e^-z) overflows for very negative z; this identity never does.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_prime(a: np.ndarray) -> np.ndarray:
    return (a > 0).astype(a.dtype)


def tanh_prime(a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


def softmax(z: np.ndarray) -> np.ndarray:
    """Probabilities over the last axis; subtracting the max keeps exp from overflowing."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "relu": Activation("relu", relu, relu_prime),
    "tanh": Activation("tanh", np.tanh, tanh_prime),
}
