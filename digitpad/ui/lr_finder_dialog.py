"""Find a learning rate: core's learning-rate range test on a copy of the network, on a thread of
its own, with its curve (cost against rate, log axis) and its proposal, applied with one click.

The network being trained is never touched: the test trains a copy (core.lr_finder), so training
may even go on meanwhile.
"""

from __future__ import annotations

import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from threadpoolctl import threadpool_limits

from digitpad.core.errors import DigitpadError
from digitpad.core.lr_finder import MAX_LR, MIN_LR, STEPS, LrRangeTest, lr_range_test
from digitpad.core.mnist import Mnist
from digitpad.core.network import Network
from digitpad.core.settings import Settings
from digitpad.ui import theme


class LrSearch(QObject):
    """Runs the range test on a thread; `found` or `failed` arrives on the GUI thread."""

    found = Signal(object)  # LrRangeTest
    failed = Signal(str)

    def __init__(self, network: Network, data: Mnist, settings: Settings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._args = (network, data, settings)
        self._thread = threading.Thread(target=self._run, name="digitpad-lr-finder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        network, data, settings = self._args
        try:
            # One BLAS thread, like the trainer's: the other core stays with the window.
            with threadpool_limits(limits=1, user_api="blas"):
                result = lr_range_test(network, data.train_images, data.train_labels,
                                       settings.batch, settings.momentum, settings.l2)
        except DigitpadError as e:
            self.failed.emit(str(e))
            return
        except MemoryError:
            self.failed.emit("there is not enough memory for this network and batch size")
            return
        self.found.emit(result)


class LrFinderDialog(QDialog):
    """Shows the search under way, then its curve and proposal; `rate_chosen` on Use."""

    rate_chosen = Signal(float)

    def __init__(self, network: Network, data: Mnist, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle("Find a learning rate")
        self.result: LrRangeTest | None = None
        self.current_lr = settings.lr

        self.text = QLabel(
            f"Training a copy of the network for up to {STEPS} mini-batches, with a learning "
            f"rate growing from {MIN_LR:g} to {MAX_LR:g}. The network being trained is not "
            "touched.")
        self.text.setObjectName("lrFinderText")
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the test reports only when done (a second or two)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("lrFinderPlot")
        self.plot.setMinimumSize(460, 260)
        item = self.plot.getPlotItem()
        item.setLogMode(x=True, y=False)
        item.setLabel("bottom", "learning rate (log scale)")
        item.setLabel("left", "cost C (averaged)")
        for name in ("left", "bottom"):
            item.getAxis(name).enableAutoSIPrefix(False)
        palette = self.palette()
        theme.style_plot(self.plot, palette)
        self.costs_curve = item.plot(pen=pg.mkPen(theme.mix(
            theme.series_color(palette, 0), palette.color(palette.ColorRole.Base), 0.6)))
        self.smoothed_curve = item.plot(pen=pg.mkPen(theme.series_color(palette, 0), width=2))
        self.proposal_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            theme.warning_color(palette), width=2, style=Qt.PenStyle.DashLine),
            label="proposed", labelOpts={"position": 0.9, "color": theme.warning_color(palette)})
        self.proposal_line.hide()
        item.addItem(self.proposal_line)
        self.plot.setToolTip(
            "Each point: one mini-batch trained with a larger learning rate than the one before.\n"
            "Too small a rate barely moves the cost; too large a rate makes it blow up.\n"
            "The proposal is a tenth of the rate where the averaged cost was lowest: steps as "
            "large as they can be while still going downhill.")

        self.use_button = QPushButton("Use this rate")
        self.use_button.setObjectName("useProposedRateButton")
        self.use_button.setEnabled(False)
        self.use_button.setToolTip("Set the training panel's learning rate to the proposed one")
        self.use_button.clicked.connect(self._use)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.progress)
        layout.addWidget(self.plot, 1)
        layout.addWidget(buttons)

        self.search = LrSearch(network, data, settings, self)
        self.search.found.connect(self._show_result)
        self.search.failed.connect(self._show_failure)
        self.search.start()

    def _show_result(self, result: LrRangeTest) -> None:
        self.result = result
        self.progress.hide()
        log_rates = np.log10(result.rates)  # the log axis takes the exponents
        self.costs_curve.setData(log_rates, result.costs)
        self.smoothed_curve.setData(log_rates, result.smoothed)
        self.proposal_line.setValue(np.log10(result.proposed))
        self.proposal_line.show()
        if len(result.smoothed):
            top = float(np.max(result.smoothed[: int(np.argmin(result.smoothed)) + 1]))
            self.plot.getPlotItem().setYRange(0, 1.2 * top)
        self.text.setText(
            f"Proposed learning rate: <b>{result.proposed:g}</b> (now {self.current_lr:g}). "
            f"It is a tenth of the rate at which the cost fell furthest, over {len(result.rates)} "
            "mini-batches.")
        self.use_button.setText(f"Use {result.proposed:g}")
        self.use_button.setEnabled(True)
        self.use_button.setDefault(True)

    def _show_failure(self, reason: str) -> None:
        self.progress.hide()
        self.text.setText(f"The search stopped: {reason}.")

    def _use(self) -> None:
        if self.result is not None:
            self.rate_chosen.emit(self.result.proposed)
            self.accept()
