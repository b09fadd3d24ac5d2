"""Guard against PySide6 6.12.0's leak of references to None.

That release drops a reference to None on every void Qt call; live plotting makes millions of
them and Python 3.11 aborts when None's count reaches zero. pyproject.toml pins PySide6 below
6.12; this test fails on any build with the bug, so a careless upgrade is caught here.
"""

import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

REPAINTS = 3000


def test_plot_repaints_do_not_eat_references_to_none(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(160, 120)
    # Fixed range, no axes: every repaint redraws the curve and little else, so thousands of
    # them take a few seconds. Each still makes dozens of void Qt calls.
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    plot.setXRange(0, 50)
    plot.setYRange(-4, 4)
    plot.disableAutoRange()
    plot.show()
    qtbot.waitExposed(plot)
    curve = plot.plot()
    x = np.arange(50, dtype=float)
    rng = np.random.default_rng(0)

    def repaint(i: int) -> None:
        curve.setData(x, rng.standard_normal(50))
        if i % 100 == 0:
            plot.grab()
        else:
            plot.repaint()
        QApplication.processEvents()

    for i in range(20):  # warm up caches that legitimately hold None
        repaint(i)
    before = sys.getrefcount(None)
    for i in range(REPAINTS):
        repaint(i)
    after = sys.getrefcount(None)

    # A few references come and go with caches; the bug loses thousands.
    assert after >= before - 100, f"None lost {before - after} references"
