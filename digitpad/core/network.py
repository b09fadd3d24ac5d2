"""A fully connected network trained by backpropagation and mini-batch gradient descent.

Notation (one row per example, so a mini-batch of n examples is processed at once):
    zˡ = aˡ⁻¹ Wˡ + bˡ          weighted input of layer l
    aˡ = σ(zˡ)                  its activation (softmax or sigmoid at the output layer)
    δˡ = ∂c/∂zˡ                 how much one example's cost c wants zˡ to change: its "nudges"
    δᴸ = from the cost          (costs.output_layer)
    δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ)   the nudges passed back one layer
    ∂C/∂Wˡ = mean over examples of aˡ⁻¹ᵀ δˡ,   ∂C/∂bˡ = mean of δˡ
"""

import math
import operator
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from digitpad.core import storage
from digitpad.core.activations import ACTIVATIONS
from digitpad.core.costs import COSTS, OUTPUTS, output_activation, output_layer
from digitpad.core.errors import DivergedError, ModelFileError, SettingsError
from digitpad.core.paths import shown
from digitpad.core.sums import column_sums

# Model files: 1 holds the network alone; 2 may add the model's story (core.model_story).
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


class Gradients(NamedTuple):
    weights: list[np.ndarray]  # ∂C/∂Wˡ, same shapes as Network.weights
    biases: list[np.ndarray]  # ∂C/∂bˡ
    deltas: list[np.ndarray]  # δˡ = ∂c/∂zˡ for every example: (n, sizes[l+1])


def weighted_input(a: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z = aW + b. np.dot is the same product as @, with less overhead at these sizes."""
    z = np.dot(a, W)
    z += b  # in place: one temporary array fewer
    return z


class StepStats(NamedTuple):
    cost: float  # mini-batch cost before the step
    grad_norms: list[float]  # ‖∂C/∂Wˡ‖ for every layer


class Network:
    def __init__(
        self,
        sizes,
        activation: str = "sigmoid",
        output: str = "softmax",
        cost: str = "cross_entropy",
        seed: int = 0,
        dtype=np.float32,
    ) -> None:
        self.sizes = _checked_sizes(sizes)
        _check_choice("activation", activation, ACTIVATIONS)
        _check_choice("output", output, OUTPUTS)
        _check_choice("cost", cost, COSTS)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise SettingsError(f"dtype must be float32 or float64, not {self.dtype}")
        self.activation, self.output, self.cost_name = activation, output, cost
        self.seed = seed
        self._sigma = ACTIVATIONS[activation]
        rng = np.random.default_rng(seed)
        # Keep each layer's z at unit scale at the start: Glorot-style 1/√fan_in, and
        # He's √2 for ReLU, which zeroes half of its inputs.
        gain = np.sqrt(2.0) if activation == "relu" else 1.0
        self.weights = [
            (rng.standard_normal((m, k)) * (gain / np.sqrt(m))).astype(self.dtype)
            for m, k in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [np.zeros(k, dtype=self.dtype) for k in self.sizes[1:]]
        # Momentum: the last step taken, of which the next step keeps a share (None: none yet).
        self.velocity: list[np.ndarray] | None = None
        self._identity = np.eye(self.sizes[-1], dtype=self.dtype)  # rows are the one-hot targets

    # ---- the forward pass -------------------------------------------------------------------

    def forward(self, X) -> np.ndarray:
        """Output activations, (n, sizes[-1]): probabilities for a softmax output."""
        _, z_out = self._feedforward(self._inputs(X))
        return output_activation(z_out, self.output)

    def activations(self, X) -> list[np.ndarray]:
        """Every layer's activation a⁰ = X, a¹, …, aᴸ, each (n, sizes[l]); the last is forward's."""
        activations, z_out = self._feedforward(self._inputs(X))
        return [*activations, output_activation(z_out, self.output)]

    def predict(self, X) -> np.ndarray:
        return self.forward(X).argmax(axis=1)

    def cost(self, X, y, l2: float = 0.0) -> float:
        """Mean of c(x) over the examples plus l2/(2n)·ΣW²."""
        X = self._inputs(X)
        Y = self._one_hot(y, len(X))
        _, z_out = self._feedforward(X)
        _, total, _ = output_layer(z_out, Y, self.cost_name, self.output)
        return self._mean_cost(total, len(X), l2)

    def _feedforward(self, X: np.ndarray):
        """Every layer's activation a⁰=X, a¹, …, aᴸ⁻¹ before the output layer, and the output
        layer's weighted input zᴸ (costs.output_layer takes it from there)."""
        activations = [X]
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            activations.append(self._sigma.f(weighted_input(activations[-1], W, b)))
        return activations, weighted_input(activations[-1], self.weights[-1], self.biases[-1])

    def _mean_cost(self, total: float, n: int, l2: float) -> float:
        """C = (Σ c(x))/n + l2/(2n)·ΣW²."""
        c = total / n
        if l2:
            c += l2 / (2 * n) * sum(float(np.vdot(W, W)) for W in self.weights)
        return c

    # ---- backpropagation --------------------------------------------------------------------

    def backprop(self, X, y, l2: float = 0.0) -> Gradients:
        """The exact gradient of cost(X, y, l2), and every example's deltas."""
        X = self._inputs(X)
        n = len(X)
        sums_w, sums_b, deltas, _ = self._backprop(X, self._one_hot(y, n))
        # The mean over the mini-batch; L2 adds (l2/n)·W to the weights' gradients.
        nabla_w = [(g + l2 * W) / n for g, W in zip(sums_w, self.weights)]
        return Gradients(nabla_w, [g / n for g in sums_b], deltas)

    def _backprop(self, X: np.ndarray, Y: np.ndarray, scale: float = 1.0):
        """Every example's nudges to every weight and bias, SUMMED over the mini-batch (the
        nabla_w and nabla_b of Nielsen's update_mini_batch), the examples' deltas, both times
        `scale`, and the summed cost.

        Backprop is linear in δ: started from scale·δᴸ, everything after it comes out times
        scale. train_step starts it from −(η/n)·δᴸ, so each sum is already its step −(η/n)Σ.
        """
        activations, z_out = self._feedforward(X)

        # Start at the output: what each example wants its output neurons to do...
        _, cost, delta = output_layer(z_out, Y, self.cost_name, self.output)
        deltas = self.pass_back(delta * scale, activations)
        # Each weight's nudge is (input activation) × (delta), summed over the mini-batch: aᵀδ.
        # Each bias's nudge is its delta, summed: 1ᵀδ.
        nabla_w = [np.dot(a.T, d) for a, d in zip(activations, deltas)]
        nabla_b = [column_sums(d) for d in deltas]
        return nabla_w, nabla_b, deltas, cost

    def pass_back(self, delta_out: np.ndarray, activations: list[np.ndarray]) -> list[np.ndarray]:
        """...and pass the wishes back, weighted by the connections they came through:
        δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ). Every layer's δ after the input, first to last, from the
        output layer's δᴸ (rows: examples, or one example's several wishes side by side) and
        forward's activations a⁰ … aᴸ (σ′ is written in terms of a)."""
        deltas = [delta_out]
        for l in range(len(self.weights) - 1, 0, -1):
            deltas.append(np.dot(deltas[-1], self.weights[l].T)
                          * self._sigma.derivative(activations[l]))
        return deltas[::-1]

    # ---- learning -----------------------------------------------------------------------------

    def train_step(self, X, y, lr: float, l2: float = 0.0, momentum: float = 0.0) -> StepStats:
        """One step of gradient descent on this mini-batch.

        Raises DivergedError, leaving the weights as they were, if the numbers overflow or the
        cost or new weights would not be finite (a far too large learning rate does this).
        """
        # Python floats: a NumPy float64 here would silently turn float32 weights into float64.
        lr, l2, momentum = float(lr), float(l2), float(momentum)
        if not math.isfinite(lr + l2 + momentum):  # one check: inf or NaN in any makes the sum so
            for name, value in (("learning rate", lr), ("L2", l2), ("momentum", momentum)):
                if not math.isfinite(value):  # an infinite step overflows nothing: refuse it here
                    raise SettingsError(f"the {name} must be a finite number, not {value}")
        if lr <= 0:  # no step at all, or uphill
            raise SettingsError(f"the learning rate must be greater than 0, not {lr:g}")
        X = self._inputs(X)
        Y = self._one_hot(y, len(X))
        # Any overflow means divergence, even where a bounded cost (sigmoid outputs) stays
        # finite because the overflowing neurons saturate.
        try:
            with np.errstate(over="raise", invalid="raise"):
                cost, squares, params, velocity = self._step(X, Y, lr, l2, momentum)
        except FloatingPointError:
            raise DivergedError.at(lr, "its numbers overflowed") from None
        # Only a finite step is taken, so the weights are always the last good ones. BLAS does
        # not report overflow to errstate: a NaN or inf it made shows in the cost or in a
        # step's size. Finite weights and steps then give finite new weights (the update
        # itself runs under errstate).
        if not math.isfinite(cost):
            raise DivergedError.at(lr, f"the cost became {cost}")
        if not math.isfinite(sum(squares)):
            raise DivergedError.at(lr, "the gradient overflowed")
        L = len(self.weights)
        self.weights, self.biases = params[:L], params[L:]
        self.velocity = velocity
        # The step is −η∇C: ‖∇C‖ = ‖step‖/η.
        return StepStats(cost, [math.sqrt(s) / lr for s in squares[:L]])

    def _step(self, X: np.ndarray, Y: np.ndarray, lr: float, l2: float, momentum: float):
        """The cost, the squared size of every step (weights, then biases), and the new
        parameters (and velocities)."""
        # w ← w − (η/n)Σ, Nielsen's update. Backprop hands over the steps −(η/n)Σ themselves,
        # with no pass over the weights to scale the sums.
        rate = -lr / len(X)
        steps_w, steps_b, _, total = self._backprop(X, Y, scale=rate)
        cost = self._mean_cost(total, len(X), l2)
        if l2:  # weight decay: L2 adds l2·W to each weight's summed nudges
            for step, W in zip(steps_w, self.weights):
                step += (rate * l2) * W
        params, steps = self.weights + self.biases, steps_w + steps_b
        # Measured now: the plain update below reuses the steps' arrays.
        squares = [float(np.vdot(step, step)) for step in steps]
        if momentum:
            # v ← μv − (η/n)Σ; w ← w + v: a ball rolling downhill that keeps some speed.
            old_v = self.velocity or [np.zeros_like(step) for step in steps]
            velocity = [np.add(momentum * v, step, out=step) for v, step in zip(old_v, steps)]
            return cost, squares, [p + v for p, v in zip(params, velocity)], velocity
        # One step downhill, computed in the step's own (new) array, so the current weights stay
        # intact until the step is known to be good.
        return cost, squares, [np.add(p, step, out=step) for p, step in zip(params, steps)], None

    # ---- conveniences -----------------------------------------------------------------------

    def copy(self) -> "Network":
        twin = object.__new__(Network)
        twin.__dict__.update(self.__dict__)
        twin.weights = [W.copy() for W in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        twin.velocity = None if self.velocity is None else [v.copy() for v in self.velocity]
        return twin

    def astype(self, dtype) -> "Network":
        """A copy computing in another float type (gradient checks want float64)."""
        twin = self.copy()
        twin.dtype = np.dtype(dtype)
        twin.weights = [W.astype(dtype) for W in self.weights]
        twin.biases = [b.astype(dtype) for b in self.biases]
        twin._identity = self._identity.astype(dtype)
        twin.velocity = None
        return twin

    def describe(self) -> str:
        shape = "-".join(str(s) for s in self.sizes)
        return f"{shape} {self.activation}, {self.output} output, {self.cost_name} cost"

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must be (n, {self.sizes[0]}), got {X.shape}")
        return X

    def _one_hot(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(f"there must be one label per example: {n} examples, labels {y.shape}")
        # Unsigned labels (MNIST's uint8) cannot be negative: one check fewer per step.
        if y.dtype.kind == "u" or (y.dtype.kind == "i" and (not y.size or y.min() >= 0)):
            try:
                return self._identity.take(y, axis=0)  # a label ≥ k has no row: IndexError
            except IndexError:
                pass
        raise ValueError(f"labels must be a 1-D array of integers in [0, {self.sizes[-1]})")

    # ---- files ------------------------------------------------------------------------------

    def save(self, path: str | Path, extra: dict[str, np.ndarray] | None = None) -> None:
        """Write the network to `path` (.npz, atomically), with the `extra` arrays beside it."""
        arrays = {**(extra or {}),
            "format_version": np.array(FORMAT_VERSION),
            "sizes": np.array(self.sizes),
            "activation": np.array(self.activation),
            "output": np.array(self.output),
            "cost": np.array(self.cost_name),
        }
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"W{l}"], arrays[f"b{l}"] = W, b
        storage.save_npz(path, arrays)

    @classmethod
    def load(cls, path: str | Path,
             check_sizes: Callable[[tuple[int, ...]], None] | None = None) -> "Network":
        """A network saved by save(); any other file raises ModelFileError with the reason.

        check_sizes(sizes), if given, may refuse the network (by raising) before any of its
        weights is read.
        """
        # Only the arrays a network needs are read, one by one: see storage.NpzReader.
        with storage.NpzReader(path) as arrays:
            return cls.from_arrays(arrays, path, check_sizes)

    @classmethod
    def from_arrays(cls, arrays, path: str | Path,
                    check_sizes: Callable[[tuple[int, ...]], None] | None = None) -> "Network":
        """The network in `arrays` (an open storage.NpzReader, or a dict of arrays) read from
        `path`; ModelFileError, naming the file, if they do not make one."""
        try:
            return cls._from_arrays(arrays, check_sizes)
        except (KeyError, ValueError, TypeError, SettingsError) as e:
            raise ModelFileError(f"{shown(path)} is not a valid digitpad model: {e}") from None

    @classmethod
    def _from_arrays(cls, arrays, check_sizes=None) -> "Network":
        version = arrays["format_version"]
        if (version.shape != () or version.dtype.kind not in "iu"
                or int(version) not in READABLE_VERSIONS):
            raise ValueError(f"unknown format version {arrays['format_version']} (this "
                             f"digitpad reads versions {READABLE_VERSIONS[0]} to "
                             f"{READABLE_VERSIONS[-1]}: was it saved by a newer one?)")
        sizes = arrays["sizes"]
        if sizes.ndim != 1 or sizes.dtype.kind not in "iu":
            raise ValueError("layer sizes must be a list of integers")
        sizes = _checked_sizes(sizes.tolist())
        if check_sizes is not None:
            check_sizes(sizes)
        # Check the stored shapes before building anything, so a file claiming a billion
        # neurons is refused instead of allocated.
        for l, (m, k) in enumerate(zip(sizes[:-1], sizes[1:])):
            W, b = arrays[f"W{l}"], arrays[f"b{l}"]
            if W.shape != (m, k) or b.shape != (k,):
                raise ValueError(f"layer {l + 1} has shape {W.shape} but the sizes say {(m, k)}")
            if W.dtype not in (np.float32, np.float64):
                raise ValueError(f"layer {l + 1} is stored as {W.dtype}, not float32 or float64")
            if W.dtype != arrays["W0"].dtype or b.dtype != W.dtype:
                raise ValueError(f"layer {l + 1} is stored as {W.dtype}, unlike layer 1")
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                raise ValueError(f"layer {l + 1} holds NaN or infinite numbers")
        net = cls(
            sizes,
            activation=str(arrays["activation"]),
            output=str(arrays["output"]),
            cost=str(arrays["cost"]),
            dtype=arrays["W0"].dtype,
        )
        net.weights = [arrays[f"W{l}"] for l in range(len(sizes) - 1)]
        net.biases = [arrays[f"b{l}"] for l in range(len(sizes) - 1)]
        return net




def _checked_sizes(sizes) -> tuple[int, ...]:
    try:
        # operator.index accepts 3 and np.int64(3) but refuses 2.5 and "16"
        sizes = tuple(operator.index(s) for s in sizes)
    except TypeError:
        raise SettingsError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(sizes) < 2:
        raise SettingsError("a network needs at least an input and an output layer")
    if min(sizes) < 1:
        raise SettingsError(f"every layer needs at least one neuron, got {list(sizes)}")
    return sizes


def _check_choice(what: str, value: str, choices) -> None:
    if value not in choices:
        raise SettingsError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
