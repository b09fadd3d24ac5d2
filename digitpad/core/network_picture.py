"""The network as the familiar picture: one input, every neuron lit by its activation, and the
connections that matter most for this input.

For one input x the forward pass gives every layer's activation a⁰ = x, a¹, …, aᴸ. Neuron j of
layer l receives zˡⱼ = Σᵢ aˡ⁻¹ᵢ Wˡᵢⱼ + bˡⱼ: each term aˡ⁻¹ᵢ·Wˡᵢⱼ is what neuron i of the layer
before adds to it (positive: it excites j; negative: it holds j back). The picture keeps, for
each shown neuron, the few terms of largest |aˡ⁻¹ᵢ·Wˡᵢⱼ| among the neurons shown in the layer
before (all the pixels of the input), so every connection it names can be drawn. A layer too
wide to draw shows its most active neurons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitpad.core.network import Network

MAX_NEURONS = 16
"""A layer shows at most this many neurons (the most active): the video's network shows all."""
LINKS_PER_NEURON = 4
"""The connections drawn into each shown neuron: those that add the most to its z."""


@dataclass(frozen=True)
class Links:
    """The chosen connections from layer l−1 into layer l, one entry per connection."""

    source: np.ndarray  # i: the neuron of layer l−1 (for the input: the pixel, row-major)
    target: np.ndarray  # j: the neuron of layer l
    value: np.ndarray  # aˡ⁻¹ᵢ·Wˡᵢⱼ: signed, what this connection adds to zˡⱼ


@dataclass(frozen=True)
class NetworkPicture:
    activations: list[np.ndarray]  # a⁰ (the input, flat), a¹, …, aᴸ: forward's, as float64
    biases: list[np.ndarray]  # b¹, …, bᴸ
    shown: list[np.ndarray]  # per layer 0…L: the neurons drawn (ascending); layer 0: every pixel
    links: list[Links]  # links[l − 1]: into layer l, for l = 1…L

    def hidden_count(self, layer: int) -> int:
        """How many neurons of `layer` are not drawn."""
        return len(self.activations[layer]) - len(self.shown[layer])


def network_picture(network: Network, image: np.ndarray, max_neurons: int = MAX_NEURONS,
                    links_per_neuron: int = LINKS_PER_NEURON) -> NetworkPicture:
    """The picture of `network` for one input `image` (any shape with sizes[0] pixels)."""
    x = np.asarray(image).reshape(1, -1)
    # The weights kept when training diverged can overflow here: shown as the largest numbers.
    with np.errstate(over="ignore", invalid="ignore"):
        activations = [np.nan_to_num(np.asarray(a[0], np.float64))
                       for a in network.activations(x)]
    shown = [np.arange(len(activations[0]))]
    shown += [most_active(a, max_neurons) for a in activations[1:-1]]
    shown.append(np.arange(len(activations[-1])))  # the outputs: always all of them
    links = [strongest_links(activations[l - 1], network.weights[l - 1], shown[l - 1], shown[l],
                             links_per_neuron) for l in range(1, len(activations))]
    biases = [np.asarray(b, np.float64) for b in network.biases]
    return NetworkPicture(activations, biases, shown, links)


def most_active(a: np.ndarray, limit: int) -> np.ndarray:
    """Indices (ascending) of the `limit` largest activations (all of them if there are fewer)."""
    if len(a) <= limit:
        return np.arange(len(a))
    return np.sort(np.argpartition(-a, limit - 1)[:limit])


def strongest_links(a: np.ndarray, W: np.ndarray, sources: np.ndarray, targets: np.ndarray,
                    count: int) -> Links:
    """For each target neuron j, the `count` sources i with the largest |aᵢ·Wᵢⱼ|."""
    terms = np.nan_to_num(a[sources, None] * np.asarray(W[np.ix_(sources, targets)], np.float64))
    count = min(count, len(sources))
    # Per column, the rows of the `count` largest magnitudes (unordered within the column).
    rows = np.argpartition(-np.abs(terms), count - 1, axis=0)[:count]
    columns = np.broadcast_to(np.arange(len(targets)), rows.shape)
    return Links(source=sources[rows].ravel(), target=targets[columns].ravel(),
                 value=terms[rows, columns].ravel())
