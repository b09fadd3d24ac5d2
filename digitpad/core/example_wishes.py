"""One example's wishes: what a single drawing wants every neuron and weight to do.

Backpropagating one example x towards a target digit gives, for every layer l, δˡ = ∂c/∂zˡ: how
the example's cost c changes with each neuron's weighted input. Its wish is the opposite, −δˡ, the
direction that lowers c ("more" where positive, "less" where negative):

    output layer   −δᴸ, from the cost: the target up, every other digit down
    hidden layers  −δˡ = −(δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ), the output wishes passed back
    first weights  −∂c/∂W¹[:, j] = −x·δ¹ⱼ for the neuron j of layer 1 with the largest |δ¹ⱼ|

Asked for one output neuron alone (`output`), the hidden layers get only that neuron's wish
passed back (core.neuron_wishes; the ten of them add up to the whole). Either way the example
names one output neuron's three ways to change (its bias, its weights, the activations before it):
those of the chosen output, else of the target, the neuron the example most wants up.

Training averages such wishes over a mini-batch and takes one small step against them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitpad.core.costs import output_layer
from digitpad.core.network import Network, weighted_input
from digitpad.core.neuron_wishes import ThreeWays, one_output_alone, three_ways

MAX_SHOWN = 64
"""Hidden layers name at most this many neurons as `shown`: those with the largest wishes."""


@dataclass(frozen=True)
class ExampleWishes:
    """What one example wants, in float64 with non-finite values replaced by 0."""

    outputs: np.ndarray  # a: the output activations, (k,)
    output_wishes: np.ndarray  # −δᴸ, (k,)
    hidden_wishes: list[np.ndarray]  # −δˡ of each hidden layer, first to last (of `output`
    #                                    alone if one is chosen)
    hidden_totals: list[np.ndarray]  # −δˡ of all ten outputs together (= hidden_wishes with
    #                                  all ten)
    shown: list[np.ndarray]  # per hidden layer: the neurons with the largest |δ| (ascending)
    guess: int  # the network's answer: argmax of the outputs
    target: int  # the digit the wishes are for
    neuron: int  # j: the neuron of layer 1 with the largest |δ¹ⱼ|
    nudge: np.ndarray  # −x·δ¹ⱼ, −∂c/∂W¹[:, j], shaped like the image
    output: int | None  # the output neuron whose wishes alone are passed back; None: all ten
    ways: ThreeWays  # the three ways of `output`, or of the target with all ten


# The weights kept when training diverged can overflow here: the inf and NaN they give are
# shown as the largest numbers (nan_to_num below), not warned about.
@np.errstate(over="ignore", invalid="ignore")
def example_wishes(network: Network, image: np.ndarray, target: int | None = None,
                   max_shown: int = MAX_SHOWN, output: int | None = None) -> ExampleWishes:
    """Backpropagate one image (any shape with sizes[0] pixels) towards `target`, or towards the
    network's own guess when `target` is None; with `output`, pass back that output neuron's
    wish alone."""
    x = np.asarray(image, dtype=network.dtype).reshape(1, -1)
    activations = network.activations(x)  # a⁰ … aᴸ: one forward pass for everything below
    outputs = np.asarray(activations[-1], dtype=np.float64)[0]
    guess = int(np.argmax(outputs))
    target = guess if target is None else int(target)
    # The deltas of Network.backprop, without the weights' gradients: this view needs none of
    # them, and at 512 neurons a layer they are most of backprop's time.
    z_out = weighted_input(activations[-2], network.weights[-1], network.biases[-1])
    y = np.eye(network.sizes[-1], dtype=network.dtype)[[target]]
    _, _, delta = output_layer(z_out, y, network.cost_name, network.output)
    delta_out = np.nan_to_num(np.asarray(delta[0], dtype=np.float64))
    if output is not None:  # the total and output j's part of it, passed back side by side
        delta = np.vstack([delta, one_output_alone(delta[0], output)])
    deltas = network.pass_back(delta, activations)
    wishes = [np.nan_to_num(-np.asarray(d[-1], dtype=np.float64)) for d in deltas]
    totals = wishes[:-1] if output is None else [  # one row: the total is the wish itself
        np.nan_to_num(-np.asarray(d[0], dtype=np.float64)) for d in deltas[:-1]]
    neuron = int(np.argmax(np.abs(wishes[0])))
    # One example, so ∂c/∂W¹ is xᵀδ¹: its column j is x·δ¹ⱼ, one value per pixel.
    nudge = np.asarray(image, dtype=np.float64) * wishes[0][neuron]
    ways = three_ways(network, activations[-2][0], delta_out,
                      target if output is None else output)
    return ExampleWishes(
        outputs=np.nan_to_num(outputs),
        output_wishes=-delta_out,
        hidden_wishes=wishes[:-1],
        hidden_totals=totals,
        shown=[largest(w, max_shown) for w in wishes[:-1]],
        guess=guess,
        target=target,
        neuron=neuron,
        nudge=nudge,
        output=output,
        ways=ways,
    )


def largest(values: np.ndarray, limit: int) -> np.ndarray:
    """Indices (ascending) of the `limit` entries with the largest magnitude."""
    if len(values) <= limit:
        return np.arange(len(values))
    return np.sort(np.argpartition(-np.abs(values), limit - 1)[:limit])


def arrow_scale(outputs: np.ndarray, wishes: np.ndarray) -> float:
    """The largest factor k that keeps every output's arrow a → a + k·wish inside [0, 1].

    With a cross-entropy cost −δ = y − a, so k = 1 and every arrow ends on its target value; for
    other costs the arrows keep their proportions and the one with the least room reaches 0 or 1.
    """
    room = np.where(wishes > 0, 1.0 - outputs, outputs)
    moving = np.abs(wishes) > 1e-12
    if not moving.any():
        return 0.0
    return float(np.clip(room[moving] / np.abs(wishes[moving]), 0.0, None).min())
