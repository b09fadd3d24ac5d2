"""Slow motion in the Network tab: one training step, played as it happens.

At 1 step a second the network view plays every step in three acts, a layer at a time:
    forward    the forward pass lights the layers left to right (the weights before the step)
    backward   the wishes of your digit, −∂c/∂z, travel back from the outputs to layer 1
               (backpropagation: δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ))
    weights    the weights change: the picture of the network after the step
The acts are data (phase, layer), announced by `changed`, so they can be checked without pixels.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPalette, QPen

from digitpad.core.example_wishes import example_wishes
from digitpad.core.network import Network
from digitpad.ui import theme

FORWARD, BACKWARD, WEIGHTS = "forward", "backward", "weights"
PLAYED_UP_TO = 1.0
"""Steps a second: at this pace or slower every step is played; faster ones are just shown."""
PLAY_MS = 750
"""The forward and the backward acts together: within the second a step lasts at 1 step/s."""


class StepAnimation(QObject):
    """The acts of one step in turn, on a timer; the view draws what `phase` and `layer` say."""

    changed = Signal(str, int)  # phase, layer (1…L; 0 for the weights)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.phase: str | None = None  # None: not playing, the network is shown as it is
        self.layer = 0
        self._acts: list[tuple[str, int]] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next_act)

    @property
    def playing(self) -> bool:
        return self.phase is not None

    def play(self, layers: int) -> None:
        """Play a step of a network with `layers` layers of neurons (the input not counted)."""
        self._acts = ([(FORWARD, l) for l in range(1, layers + 1)]
                      + [(BACKWARD, l) for l in range(layers, 0, -1)] + [(WEIGHTS, 0)])
        self._timer.start(max(1, PLAY_MS // (2 * layers)))
        self._next_act()

    def stop(self) -> None:
        self._timer.stop()
        self._acts, self.phase, self.layer = [], None, 0

    def lit(self, layer: int) -> bool:
        """Whether `layer` is lit: the forward pass has not reached the ones after it yet."""
        return self.phase != FORWARD or layer <= self.layer

    def wishing(self, layer: int) -> bool:
        """Whether `layer` shows its wishes: the backward pass has come back to it."""
        return self.phase == BACKWARD and layer >= self.layer

    def words(self, step: int) -> str:
        """What is happening, for the view's caption."""
        if self.phase == FORWARD:
            return (f"Step {step}, slowed down — forward pass: your digit's activations reach "
                    f"layer {self.layer}.")
        if self.phase == BACKWARD:
            return (f"Step {step} — backpropagation: your digit's wishes (−∂c/∂z; "
                    f"{theme.MORE_WORD} up, {theme.LESS_WORD} down) travel back to layer "
                    f"{self.layer}.")
        return f"Step {step} — the weights change: one step downhill on the mini-batch's cost."

    def _next_act(self) -> None:
        if not self._acts:
            self.stop()
            self.finished.emit()
            return
        self.phase, self.layer = self._acts.pop(0)
        self.changed.emit(self.phase, self.layer)


def neuron_wishes(network: Network, image: np.ndarray) -> list[np.ndarray]:
    """−∂c/∂z of every neuron of layers 1…L for `image`, towards the network's own answer (as
    the nudges view shows it when no digit is picked)."""
    wishes = example_wishes(network, image)
    return [*wishes.hidden_wishes, wishes.output_wishes]


def wish_pens(wishes: list[np.ndarray], shown: list[np.ndarray], palette: QPalette
              ) -> list[list[QPen]]:
    """Per layer 1…L, per neuron shown: a rim by the neuron's wish, red/blue by sign, wider the
    larger (scaled per layer: the outputs' wishes are larger than the first layer's)."""
    more, less = theme.more_color(palette), theme.less_color(palette)
    pens = []
    for wish, neurons in zip(wishes, shown[1:]):
        values = wish[neurons]
        biggest = float(np.abs(values).max(initial=0.0)) or 1.0
        pens.append([QPen(more if v > 0 else less, 1.0 + 3.5 * abs(float(v)) / biggest)
                     for v in values])
    return pens
