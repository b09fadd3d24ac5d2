"""What each neuron of the first layer looks for: its incoming weights, laid back on the image.

Neuron j of layer 1 computes a weighted sum of the pixels, so its incoming weights (column j of
Network.weights[0]) fit back on the side × side grid of the image: a pixel with a large positive
weight pushes the neuron on when it is inked, a negative one holds it back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_TILES = 64
"""Wide layers give their first MAX_TILES neurons: more would be too small to read as pictures."""


@dataclass(frozen=True)
class NeuronTiles:
    images: np.ndarray  # (k, side, side) float32: each tile divided by its own largest |w|
    low: np.ndarray  # (k,) each tile's smallest weight, before scaling
    high: np.ndarray  # (k,) each tile's largest weight
    neurons: int  # neurons in the layer (k is at most this)

    def __len__(self) -> int:
        return len(self.images)


def neuron_tiles(weights: np.ndarray, limit: int = MAX_TILES) -> NeuronTiles:
    """The incoming weights of the first `limit` neurons as images, each divided by its own
    largest |w| (so values lie in [-1, 1]; an all-zero neuron stays zero).

    `weights` is (inputs, neurons) like Network.weights[0]; ValueError unless the number of
    inputs is a square.
    """
    inputs, neurons = weights.shape
    side = math.isqrt(inputs)
    if side * side != inputs:
        raise ValueError(f"{inputs} inputs do not make a square image")
    k = min(limit, neurons)
    shown = np.asarray(weights[:, :k])
    images = np.array(shown.T, dtype=np.float32).reshape(k, side, side)
    scale = np.abs(images).max(axis=(1, 2), keepdims=True)
    np.divide(images, scale, out=images, where=scale > 0)
    return NeuronTiles(images, shown.min(axis=0), shown.max(axis=0), neurons)
