"""The run's diagnosis on screen: the most urgent finding in the notice bar, its evidence marked
on the plots (the layer's gradient curve drawn thicker, the cited steps of the cost curve shaded).

The trainer diagnoses the run and publishes the findings in its snapshot; this only chooses
which to show. A finding the person dismissed stays hidden while it is the same problem (same
kind, same layer) in the same run: it returns when the situation changes or after a reset.
The notice bar is shared: a message about training that stopped by itself is newer news and
is not covered by a finding while that error stands.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from digitpad.core.diagnosis import Finding
from digitpad.ui.cost_plot import CostPlot
from digitpad.ui.frame import Change, Frame
from digitpad.ui.gradient_plot import GradientPlot
from digitpad.ui.notice_bar import NoticeBar


class DiagnosisDisplay(QObject):
    def __init__(self, notice: NoticeBar, cost_plot: CostPlot, gradient_plot: GradientPlot,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notice, self._cost_plot, self._gradient_plot = notice, cost_plot, gradient_plot
        self._dismissed: set[tuple[str, int | None]] = set()
        self._shown: Finding | None = None
        notice.dismissed.connect(self._dismiss)

    @property
    def shown(self) -> Finding | None:
        """The finding on screen now."""
        return self._shown

    def show_frame(self, frame: Frame) -> None:
        if Change.RUN in frame.changed:
            self._dismissed.clear()
        if not frame.changed & (Change.RUN | Change.DIAGNOSIS | Change.TRAINING):
            return
        if frame.snapshot.error is not None:  # the bar explains why training stopped
            self._mark(None)
            return
        finding = next((f for f in frame.snapshot.findings if f.key not in self._dismissed),
                       None)
        if finding is None:
            if self._notice.finding is not None:
                self._notice.hide()
        elif finding != self._notice.finding:
            self._notice.show_finding(finding)
        self._mark(finding)

    def _mark(self, finding: Finding | None) -> None:
        self._shown = finding
        self._gradient_plot.highlight_layer(None if finding is None else finding.layer)
        self._cost_plot.mark_steps(None if finding is None else finding.steps)

    def dismiss(self) -> None:
        """Hide the finding shown until the problem changes (or the run does)."""
        self._dismiss()

    def _dismiss(self) -> None:
        if self._shown is not None:
            self._dismissed.add(self._shown.key)
        self._mark(None)
