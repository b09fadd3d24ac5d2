"""The main window: draw on the left, watch the plots in the middle, steer training on the right.

The window only lays out and wires. The LiveSession owns the trainer, the drawing as the network
sees it and the frames; the views display the frames they are handed. RunControl acts on the
panel's buttons and the notice's, ModelFiles on Open and Save, MyDigitsStore on a digit key.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.settings import Settings
from digitpad.training.trainer import Trainer
from digitpad.ui.backprop_view import BackpropView
from digitpad.ui.cell_opener import CellOpener
from digitpad.ui.cost_axis import remember_cost_axis
from digitpad.ui.diagnosis_display import DiagnosisDisplay
from digitpad.ui.draw_panel import DrawPanel
from digitpad.ui.gradient_plot import GradientPlot
from digitpad.ui.help_dialog import HelpDialog
from digitpad.ui.help_text import ABOUT_HTML
from digitpad.ui.learn_digit import LearnDigit
from digitpad.ui.live_session import LiveSession
from digitpad.ui.lr_finder_dialog import LrFinderDialog
from digitpad.ui.menus import build_menus
from digitpad.ui.mnist_loader import MnistLoader
from digitpad.ui.model_files import ModelFiles
from digitpad.ui.my_digits_feed import MyDigitsFeed
from digitpad.ui.my_digits_store import MyDigitsStore
from digitpad.ui.my_digits_view import MyDigitsView
from digitpad.ui.pace_selector import connect_pace
from digitpad.ui.plot_panel import PlotPanel
from digitpad.ui.run_control import RunControl
from digitpad.ui.session_keeper import SessionKeeper
from digitpad.ui.settings import read
from digitpad.ui.status_bar import StatusBar
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.training_settings import save_settings
from digitpad.ui.window_state import restore_window_state, save_window_state

GRADIENT_MEASURE_KEY = "plots/gradientMeasure"  # per weight or whole layer, remembered


class MainWindow(QMainWindow):
    data_ready = Signal()  # MNIST has been loaded and handed to the trainer

    def __init__(
        self,
        trainer: Trainer,
        settings: QSettings,
        training_settings: Settings,
        loader: MnistLoader | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("digitpad")
        self._store = settings
        self._loader = loader
        self._help_dialog: HelpDialog | None = None

        self._lay_out()
        self.session = LiveSession(trainer, self.canvas, self)
        self.diagnosis = DiagnosisDisplay(self.notice, self.cost_plot, self.gradient_plot, self)
        self.run = RunControl(self.session, self.controls, self.notice, self.diagnosis, self)
        self.model_files = ModelFiles(self, settings, self.controls, self.run)
        self.my_digits_store = MyDigitsStore(self, self.session, self.canvas)
        self.sessions = SessionKeeper(self, settings)  # saved on quit, restored by create_window
        # Shortcuts to what tests and scripts reach through the window.
        self.reset_network, self.load_model = self.run.reset_network, self.model_files.load_model
        self.keep_drawing = self.my_digits_store.keep_drawing
        build_menus(self, self.inspectors)
        self.controls.set_settings(training_settings)
        self.controls.mark_applied(training_settings)
        self._splitter_restored = restore_window_state(self, settings, self._splitters(),
                                                       self.inspectors)
        self.my_digits_store.open_at_start()
        self.my_digits_feed = MyDigitsFeed(self.trainer, self.controls.data_choice, self)
        self.gradient_plot.set_measure(read(settings, GRADIENT_MEASURE_KEY, "per_weight"))
        connect_pace(self.controls.pace_selector, self.session, settings)
        remember_cost_axis(self.cost_plot.axis_selector, settings)

        session = self.session
        session.subscribe(self.prediction.show_frame)
        session.subscribe(self.statusBar().show_frame, hz=10)
        session.subscribe(self.cost_plot.show_frame, hz=10, hz_while_drawing=6)
        session.subscribe(self.diagnosis.show_frame, hz=5)
        for view in self.inspector_views:
            session.subscribe(view.show_frame, view.refresh_hz,
                              getattr(view, "refresh_hz_while_drawing", None))
        self.inspectors.currentChanged.connect(
            lambda i: session.refresh(self.inspector_views[i].show_frame))
        backprop_view = next(v for v in self.inspector_views if isinstance(v, BackpropView))
        self.learn_digit = LearnDigit(self.session, backprop_view,
                                      lambda text: self.statusBar().showMessage(text, 8000), self)
        self.learn_digit.add_shortcut(self)
        self.run.data_ready.connect(self.learn_digit.update_state)
        self.run.data_ready.connect(self.data_ready)
        self.cell_opener = CellOpener(self)  # test digits behind the confusion matrix's cells
        self.canvas.digit_key_pressed.connect(self.keep_drawing)
        self.my_digits_view.drawing_chosen.connect(self.canvas.set_strokes)
        self.run.wait_for_data(loader)

    @property
    def trainer(self) -> Trainer:
        return self.session.trainer

    @property
    def status_labels(self) -> dict:
        return self.statusBar().labels

    @property
    def lr_finder(self) -> LrFinderDialog | None:
        return self.run.lr_finder

    @property
    def data_ready_at(self) -> float | None:
        """time.perf_counter() when the MNIST digits arrived; None until they have."""
        return self.run.data_ready_at

    # ---- layout -----------------------------------------------------------------------------

    def _lay_out(self) -> None:
        # Left: the canvas and the network's answer.
        left = DrawPanel()
        self.canvas, self.prediction = left.canvas, left.prediction
        self.clear_button, self.undo_button = left.clear_button, left.undo_button

        # Middle: a notice, the cost plot and under it the tabs of inspector views.
        middle = PlotPanel()
        self.notice, self.cost_plot = middle.notice, middle.cost_plot
        self.inspectors, self.inspector_views = middle.tabs, middle.views
        self.my_digits_view = next(v for v in middle.views if isinstance(v, MyDigitsView))
        self.gradient_plot = next(v for v in middle.views if isinstance(v, GradientPlot))
        self.plot_splitter = middle.splitter

        # Right: the training panel, scrollable on short screens.
        self.controls = TrainingControls()
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 12, 12, 12)
        holder_layout.addWidget(self.controls)
        scroll = QScrollArea()
        scroll.setObjectName("controlsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        scroll.setMinimumWidth(290)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for index, (part, stretch) in enumerate(((left, 0), (middle, 1), (scroll, 0))):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.setStatusBar(StatusBar())

    # ---- help -------------------------------------------------------------------------------

    def show_backprop_help(self) -> None:
        if self._help_dialog is None:
            self._help_dialog = HelpDialog(self)
        self._help_dialog.show()  # not modal: read it while watching the network train
        self._help_dialog.raise_()

    def show_about(self) -> None:
        QMessageBox.about(self, "About digitpad", ABOUT_HTML)

    # ---- remembering ------------------------------------------------------------------------

    def _splitters(self) -> dict[str, QSplitter]:
        return {"window/splitter": self.splitter, "window/plotSplitter": self.plot_splitter}

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().showEvent(event)
        if not self._splitter_restored:
            # First run: a generous canvas, the panel at its natural width, the rest for plots.
            self._splitter_restored = True
            width = self.width()  # the splitter itself is not laid out yet
            left = int(min(580, max(420, 0.33 * width)))
            right = max(290, self.splitter.widget(2).sizeHint().width())
            self.splitter.setSizes([left, width - left - right, right])

    def save_window_state(self) -> None:
        save_window_state(self, self._store, self._splitters(), self.inspectors)
        self._store.setValue(GRADIENT_MEASURE_KEY, self.gradient_plot.measure)
        settings = self.controls.settings()
        if settings is not None:
            save_settings(self._store, settings)
        self._store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.sessions.keep_on_quit():  # saving failed, and the person chose to stay
            return event.ignore()
        self.session.stop()
        self.save_window_state()
        self.trainer.close()  # stops the worker and waits for its current step
        if self._loader is not None:
            self._loader.wait()
        if self._help_dialog is not None:
            self._help_dialog.close()
        self.run.close()
        self.my_digits_feed.close()
        self.my_digits_store.close()
        self.my_digits_view.close_store()
        super().closeEvent(event)

