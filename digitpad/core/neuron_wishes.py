"""One output neuron's wishes: what output j alone wants of every layer, and its three ways.

The output layer's δᴸ = ∂c/∂zᴸ has one entry per output neuron. Keep only output j's entry,
δᴸ₍ⱼ₎ = δᴸⱼ eⱼ, and pass it back the usual way,

    δˡ₍ⱼ₎ = (δˡ⁺¹₍ⱼ₎ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ),

and you get what output j alone wants of each layer (Network.pass_back does it for several
such wishes at once, one row each). Passing back is linear in δ, so the ten of
them add up to the whole at every layer: Σⱼ δˡ₍ⱼ₎ = δˡ. That is the video's "the desire of this
digit-two neuron is added together with the desires of all the other output neurons".

Output neuron j computes aⱼ = σ(Σₖ aₖ wₖⱼ + bⱼ) from the activations aₖ of the layer before it
(wₖⱼ, the weight from k to j, is column j of W as core.network stores it). It has three ways to
change, one partial derivative each:

    its bias              ∂c/∂bⱼ  = δⱼ
    its incoming weights  ∂c/∂wₖⱼ = aₖ δⱼ    largest where neuron k is bright:
                                             "neurons that fire together wire together"
    the activations       ∂c/∂aₖ  = wₖⱼ δⱼ   largest where the weight is large
      before it           (summed over the ten outputs and times σ′(zₖ), this is δ of that layer)

A wish is the opposite of a derivative: −∂c/∂θ is the direction that lowers the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitpad.core.network import Network


@dataclass(frozen=True)
class ThreeWays:
    """Output neuron j's three ways to change for one example, as wishes (−∂c/∂θ), float64.

    `weights_ranked` and `activations_ranked` list the neurons k of the layer before, the
    largest wish first."""

    neuron: int  # j
    bias: float  # −∂c/∂bⱼ = −δⱼ
    weights: np.ndarray  # −∂c/∂wₖⱼ = −aₖ δⱼ, one per neuron k before
    activations: np.ndarray  # −∂c/∂aₖ = −wₖⱼ δⱼ
    before: np.ndarray  # aₖ: how bright each neuron before is
    connections: np.ndarray  # wₖⱼ
    weights_ranked: np.ndarray
    activations_ranked: np.ndarray

    @property
    def biggest(self) -> float:
        """The largest |wish| of the three ways: one scale for all three, so they compare."""
        return max(abs(self.bias), float(np.abs(self.weights).max(initial=0.0)),
                   float(np.abs(self.activations).max(initial=0.0)))


def each_output_alone(delta_out: np.ndarray) -> np.ndarray:
    """(k, k): row j is δᴸ with every entry but output j's set to 0, δᴸⱼ eⱼ."""
    return np.diag(np.asarray(delta_out).ravel())


def one_output_alone(delta_out: np.ndarray, j: int) -> np.ndarray:
    """(1, k): δᴸ restricted to output j."""
    alone = np.zeros((1, np.size(delta_out)), dtype=np.asarray(delta_out).dtype)
    alone[0, j] = np.ravel(delta_out)[j]
    return alone


def three_ways(network: Network, before: np.ndarray, delta_out: np.ndarray,
               j: int) -> ThreeWays:
    """Output neuron j's three ways, from the activations `before` it (aᴸ⁻¹ of one example)
    and the output layer's δᴸ."""
    delta_j = float(np.ravel(delta_out)[j])
    a = np.asarray(before, dtype=np.float64).ravel()
    w = np.asarray(network.weights[-1][:, j], dtype=np.float64)
    weights, activations = -a * delta_j, -w * delta_j
    return ThreeWays(neuron=j, bias=-delta_j, weights=weights, activations=activations,
                     before=a, connections=w, weights_ranked=ranked(weights),
                     activations_ranked=ranked(activations))


def ranked(values: np.ndarray) -> np.ndarray:
    """Indices by |value|, largest first (ties: the lower index first)."""
    return np.argsort(-np.abs(values), kind="stable")
