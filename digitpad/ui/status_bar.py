"""The status bar: epoch, step, speed and test accuracy of the run, MNIST's loading, and the
making of the training set's digits in many hands before the first step."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from digitpad.training.trainer import Snapshot
from digitpad.ui.frame import Change, Frame
from digitpad.ui.pace_selector import pace_words

TIPS = {
    "epoch": "Epochs: complete passes over all 60,000 training digits "
             "(and how far into the current one).",
    "step": "Steps: mini-batches trained on so far; each one is one nudge to every weight.",
    "speed": "Training speed: training digits processed per second (or the pace chosen, when "
             "training is slowed down).",
    "accuracy": "Share of the 10,000 test digits (never trained on) that the network "
                "got right, measured after each epoch.",
    "mine": "Your handwriting: share of the held-out part of my digits (one drawing in five "
            "of each digit,\nnever trained on) that the network read right, measured after "
            "each epoch.",
}
SYNTHESIS_TIP = ("Digits drawn from pen strokes in many hands (a 1 with a flag, a crossed 7, …) "
                 "join MNIST's training digits. They are made once, before the first step; "
                 "Pause, Reset and closing the window work meanwhile.")
# Each label is as wide as its widest text: changing numbers neither jiggle the bar nor make it
# lay itself out again.
WIDEST = {"epoch": "Epoch 888 · 88%", "step": "Step 8,888,888",
          "speed": "slowed: 100 steps/s", "accuracy": "Test accuracy: after epoch 1",
          "mine": "Your handwriting: after the next epoch"}


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loading_label = QLabel("Loading the MNIST digits…")
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("loadingProgress")
        self.loading_bar.setRange(0, 0)  # busy: the loader cannot tell how far it is
        self.loading_bar.setMaximumWidth(140)
        self.loading_bar.setMaximumHeight(14)
        self.addWidget(self.loading_label)
        self.addWidget(self.loading_bar)
        self.synthesis_label = QLabel()
        self.synthesis_label.setObjectName("synthesisLabel")
        self.synthesis_bar = QProgressBar()
        self.synthesis_bar.setObjectName("synthesisProgress")
        self.synthesis_bar.setMaximumWidth(140)
        self.synthesis_bar.setMaximumHeight(14)
        for widget in (self.synthesis_label, self.synthesis_bar):
            # Permanent, as the run's figures are: a passing message does not hide them.
            widget.setToolTip(SYNTHESIS_TIP)
            self.addPermanentWidget(widget)
        self.labels: dict[str, QLabel] = {}
        for key, tip in TIPS.items():
            label = QLabel()
            label.setObjectName(f"status_{key}")
            label.setToolTip(tip)
            label.setContentsMargins(8, 0, 8, 0)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(WIDEST[key]) + 16)
            self.addPermanentWidget(label)
            self.labels[key] = label
        self.set_loading(False)
        self.show_synthesis(None, running=False)

    def set_loading(self, loading: bool) -> None:
        self.loading_label.setVisible(loading)
        self.loading_bar.setVisible(loading)

    def show_synthesis(self, synthesized: tuple[int, int] | None, running: bool) -> None:
        """How many of the training set's digits in many hands are made (None: no making)."""
        self.synthesis_label.setVisible(synthesized is not None)
        self.synthesis_bar.setVisible(synthesized is not None)
        if synthesized is None:
            return
        made, total = synthesized
        self.synthesis_bar.setRange(0, total)
        self.synthesis_bar.setValue(made)
        self.synthesis_label.setText(f"Drawing digits in many hands: {made:,} of {total:,}"
                                     + ("" if running else " (paused)"))

    def show_frame(self, frame: Frame) -> None:
        snapshot = frame.snapshot
        if Change.SYNTHESIS in frame.changed or Change.TRAINING in frame.changed:
            self.show_synthesis(snapshot.synthesized, snapshot.is_running)
        epoch = f"Epoch {snapshot.epoch + 1}"
        if snapshot.steps:
            epoch += f" · {100 * snapshot.epoch_fraction:.0f}%"
        speed = snapshot.examples_per_second
        accuracy = (f"Test accuracy {100 * snapshot.epochs[-1].test_accuracy:.1f}%"
                    if snapshot.epochs else "Test accuracy: after epoch 1")
        idle = "starting" if snapshot.is_running else "paused"
        texts = {
            "epoch": epoch,
            "step": f"Step {snapshot.steps:,}",
            "speed": _speed_words(speed, frame.pace, idle),
            "accuracy": accuracy,
            "mine": handwriting(snapshot),
        }
        for key, text in texts.items():
            if self.labels[key].text() != text:  # relayout only when a label changes
                self.labels[key].setText(text)


def _speed_words(examples_per_second: float, pace: float | None, idle: str) -> str:
    if not examples_per_second:
        return idle
    if pace is not None:  # the speed of a step alone would say nothing of the waits between
        return f"slowed: {pace_words(pace)}"
    return f"{_round(examples_per_second):,} examples/s"


def handwriting(snapshot: Snapshot) -> str:
    """How well the network read my held-out drawings at the last epoch, or why not (yet)."""
    last = snapshot.epochs[-1] if snapshot.epochs else None
    if last is not None and last.mine_accuracy is not None:
        return f"Your handwriting {100 * last.mine_accuracy:.1f}%"
    if snapshot.mine_held_out:
        return "Your handwriting: after the next epoch"
    return "Your handwriting: none held out"


def _round(value: float) -> int:
    """Three significant figures: a speed that jitters in the last digits is hard to read."""
    if value <= 0:
        return 0
    digits = max(0, int(np.floor(np.log10(value))) - 2)
    return int(round(value, -digits))
