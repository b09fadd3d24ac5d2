"""A frame: everything the window shows at one moment, handed to the views by the LiveSession.

Views and plots display frames and nothing else: they never ask the trainer or the canvas. A
frame is frozen and its arrays are never changed afterwards, so a view may keep one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from digitpad.core.network import Network
from digitpad.training.trainer import Snapshot


class Change(enum.Flag):
    """What differs from the frame the same receiver was handed before."""

    NONE = 0
    RUN = enum.auto()  # another network is trained from now on (Reset, a model opened)
    STEPS = enum.auto()  # new training steps (cost, gradient sizes)
    EPOCHS = enum.auto()  # a new test-set result
    WEIGHTS = enum.auto()  # newer weights in `network`
    DRAWING = enum.auto()  # the drawing as seen (`seen`) is another
    NEW_DRAWING = enum.auto()  # the canvas was cleared since: a new digit is being drawn
    TRAINING = enum.auto()  # started, paused or stopped by itself
    DIAGNOSIS = enum.auto()  # the run's findings were made anew
    MY_DIGITS = enum.auto()  # another number of my digits is held out to be measured
    SYNTHESIS = enum.auto()  # more digits in many hands made for the training set


@dataclass(frozen=True)
class Frame:
    snapshot: Snapshot  # what the trainer has done: histories, epochs, running or not
    network: Network  # the weights the views show (a recent copy: safe to read on the GUI thread)
    seen: np.ndarray | None  # the drawing as the network sees it, (28, 28) in [0, 1]; None: empty
    outputs: np.ndarray | None  # network's output activations for `seen` (None with no drawing)
    pen_down: bool  # a stroke is being drawn
    run: int  # counts the networks trained so far: a new run has a history of its own
    drawing: int  # counts the drawings begun: it goes up whenever the canvas is cleared
    changed: Change = Change.NONE  # since the frame this receiver was handed before
    pace: float | None = None  # slow motion: the most steps a second training takes (None: full)

    def changes_since(self, before: Frame | None) -> Change:
        """What differs from `before` (everything, when there was none)."""
        if before is None or before.run != self.run:
            return ~Change.NONE
        change = Change.NONE
        now, then = self.snapshot, before.snapshot
        if now.steps != then.steps:
            change |= Change.STEPS
        if len(now.epochs) != len(then.epochs):
            change |= Change.EPOCHS
        if self.network is not before.network:
            change |= Change.WEIGHTS
        if self.seen is not before.seen:
            change |= Change.DRAWING
        if self.drawing != before.drawing:
            change |= Change.NEW_DRAWING
        if (now.is_running, now.error) != (then.is_running, then.error):
            change |= Change.TRAINING
        if now.findings is not then.findings:
            change |= Change.DIAGNOSIS
        if now.mine_held_out != then.mine_held_out:
            change |= Change.MY_DIGITS
        if now.synthesized != then.synthesized:
            change |= Change.SYNTHESIS
        return change
