"""The gradient plot: how hard backpropagation is nudging each layer's weights, step by step.

One curve per layer of weights, ‖∂C/∂Wˡ‖ (the length of that layer's gradient), on a log scale
because layers can differ by orders of magnitude. The nudges start at the output and are passed
backwards through every layer; with sigmoid neurons they usually shrink on the way, so the first
layer often learns slowest (the "vanishing gradient").
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

from digitpad.training.trainer import Snapshot
from digitpad.ui import theme
from digitpad.ui.frame import Change, Frame
from digitpad.ui.plot_data import DecimatedSeries, MovingAverage, RangeFollower
from digitpad.ui.theme import add_legend_below

# Each curve averages roughly the last 20 steps: the trend, not every batch's jitter.
SMOOTHING = 0.05
# log10 of 0 is -inf: a layer whose gradient is exactly 0 is drawn at this floor instead.
FLOOR = 1e-12


def layer_names(sizes: tuple[int, ...]) -> list[str]:
    """'layer 1 (784→16)', …: the weights between each pair of neighbouring layers."""
    return [f"layer {l + 1} ({m}→{k})" for l, (m, k) in enumerate(zip(sizes[:-1], sizes[1:]))]


class GradientPlot(pg.PlotWidget):
    title = "Gradients"
    tooltip = "How hard backprop nudges each layer's weights, step after step"
    refresh_hz = 10.0
    refresh_hz_while_drawing = 6.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientPlot")

        self.setMinimumSize(320, 180)
        self.setToolTip(
            "How hard each layer's weights are being nudged: the size of the gradient "
            "‖∂C/∂W‖ of each layer,\naveraged over the last ~20 mini-batches. Backpropagation "
            "computes the nudges at the output first\nand passes them back layer by layer; "
            "a layer with a small gradient barely changes (and learns slowly).\n"
            "Log scale: each grid line up is ten times bigger."
        )
        item = self.getPlotItem()
        item.setTitle("Gradients: how hard each layer is nudged")
        item.setLabel("bottom", "training step (mini-batches done)")
        item.setLabel("left", "‖∂C/∂W‖ of the layer (log scale)")
        for name in ("left", "bottom"):
            item.getAxis(name).enableAutoSIPrefix(False)
        item.setLogMode(x=False, y=True)
        # Labels on the decades only (0.01, 0.1, 1); the ticks for 2, 3, … 9 times a decade
        # between them stay unlabelled: pyqtgraph labels them all, which crowds a short axis.
        decades = range(-15, 10)
        item.getAxis("left").setTicks([
            [(d, f"{10.0 ** d:g}") for d in decades],
            [(d + np.log10(k), "") for d in decades for k in range(2, 10)],
        ])
        add_legend_below(item, columns=3)
        item.setClipToView(True)
        self._range = RangeFollower(item.vb, log_y=True)
        self.curves: list[pg.PlotDataItem] = []
        self._sizes: tuple[int, ...] = ()
        self.apply_palette()
        self.clear_history()

    def set_layers(self, sizes: tuple[int, ...]) -> None:
        """One curve per layer of weights of a network with these layer sizes."""
        item = self.getPlotItem()
        for curve in self.curves:
            item.removeItem(curve)  # also takes it out of the legend
        self._sizes = tuple(sizes)
        self.curves = []
        for name in layer_names(self._sizes):
            # Finite values only (the trainer records no others): no per-frame NaN search.
            curve = item.plot(name=name, connect="all", skipFiniteCheck=True)
            curve.setDownsampling(auto=True, method="mean")
            curve.opts["autoDownsampleFactor"] = 0.5  # a point per two pixels is plenty
            curve.setClipToView(True)
            self.curves.append(curve)
        self.apply_palette()
        self.clear_history()

    def clear_history(self) -> None:
        self._average = MovingAverage(SMOOTHING)
        self._smoothed = DecimatedSeries(columns=len(self.curves))
        self._shown_steps = 0
        self._low, self._high = np.inf, 0.0  # the smallest and largest value shown
        for curve in self.curves:
            curve.setData([], [])
        self._range.reset(100, (-2.1, 0.1))  # 0.01 to 1, widened as the data needs

    def show_frame(self, frame: Frame) -> None:
        """Plot the frame's gradient sizes, hidden or not: each frame adds only its new steps,
        while catching up on many at once when the tab is chosen would stall the window."""
        if Change.RUN in frame.changed or frame.network.sizes != self._sizes:
            self.set_layers(frame.network.sizes)
        self.show_snapshot(frame.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        steps = snapshot.steps
        if steps < self._shown_steps:
            self.clear_history()
        if steps == self._shown_steps or not self.curves:
            return
        norms = snapshot.grad_norms
        if norms.shape[1] != len(self.curves):  # a network of another shape: set_layers first
            return
        first = max(self._shown_steps, snapshot.dropped)  # as in the cost plot
        new = self._average.update(
            np.maximum(norms[first - snapshot.dropped : steps - snapshot.dropped], FLOOR))
        self._smoothed.extend(new, first_step=first + 1)
        for l, curve in enumerate(self.curves):
            curve.setData(self._smoothed.x, self._smoothed.y[:, l])
        self._low = min(self._low, float(new.min()))
        self._high = max(self._high, float(new.max()))
        self._range.show(steps, self._low, self._high)
        self._shown_steps = steps

    def apply_palette(self) -> None:
        palette = self.palette()
        theme.style_plot(self, palette)
        for l, curve in enumerate(self.curves):
            curve.setPen(pg.mkPen(theme.series_color(palette, l), width=2))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Not during construction: pyqtgraph changes the palette before the plot exists.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "curves"):
            self.apply_palette()
