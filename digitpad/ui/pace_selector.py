"""Slow motion: the pace control (full speed, or 100, 10 or 1 training steps a second).

Slowed down, every view shows every step (LiveSession.set_pace), so a learner can watch one
mini-batch nudge the network; at 1 step a second the Network tab plays each step as it happens.
The pace is kept in the settings file with the training settings and comes back at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from digitpad.ui.live_session import LiveSession
from digitpad.ui.settings import read

PACES: tuple[float | None, ...] = (None, 100.0, 10.0, 1.0)
"""Steps a second at most; None: as fast as the computer goes."""
PACE_KEY = "training/pace"  # steps a second; 0 means full speed
TOOLTIP = (
    "Slow motion: how many training steps a second.\n"
    "Full speed trains as fast as the computer can. Slowed down, every view shows every step,\n"
    "so you can watch one mini-batch nudge the network. At 1 step a second the Network tab\n"
    "plays each step: the forward pass lights the layers left to right, the wishes travel\n"
    "back right to left, then the weights change. Applies at once, even mid-training."
)


def pace_words(pace: float | None) -> str:
    if pace is None:
        return "Full speed"
    return f"{pace:g} step/s" if pace == 1 else f"{pace:g} steps/s"


class PaceSelector(QComboBox):
    """The choice of pace; pace_changed(steps a second, or None) when the user picks one."""

    pace_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paceSelector")
        self.setAccessibleName("Pace")
        self.setToolTip(TOOLTIP)
        for pace in PACES:
            self.addItem(pace_words(pace), pace)
        self.currentIndexChanged.connect(lambda _: self.pace_changed.emit(self.pace()))

    def pace(self) -> float | None:
        return PACES[max(self.currentIndex(), 0)]

    def set_pace(self, pace: float | None) -> None:
        """Show `pace` (full speed if it is not one of PACES)."""
        self.setCurrentIndex(PACES.index(pace) if pace in PACES else 0)


def connect_pace(selector: PaceSelector, session: LiveSession, store: QSettings) -> None:
    """Start at the remembered pace; from then on the session trains at the one chosen, and the
    choice is written to `store` (saved with the other settings)."""
    remembered = read(store, PACE_KEY, 0.0)
    selector.set_pace(remembered if remembered > 0 else None)
    session.set_pace(selector.pace())
    selector.pace_changed.connect(session.set_pace)
    selector.pace_changed.connect(lambda pace: store.setValue(PACE_KEY, pace or 0.0))
