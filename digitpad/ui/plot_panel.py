"""The middle of the window: a notice, the cost plot, and under it the inspector views as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from digitpad.ui.cost_plot import CostPlot
from digitpad.ui.inspector import Inspector
from digitpad.ui.inspectors import INSPECTORS
from digitpad.ui.notice_bar import NoticeBar


class PlotPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotPanel")
        self.notice = NoticeBar()
        self.cost_plot = CostPlot()
        self.views: list[Inspector] = [view() for view in INSPECTORS]
        self.tabs = QTabWidget()
        self.tabs.setObjectName("inspectorTabs")
        self.tabs.setDocumentMode(True)
        for view in self.views:
            self.tabs.setTabToolTip(self.tabs.addTab(view, view.title), view.tooltip)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("plotSplitter")
        self.splitter.addWidget(self.cost_plot)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([500, 400])
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 12, 8, 12)
        column.setSpacing(8)
        column.addWidget(self.notice)
        column.addWidget(self.splitter, 1)
