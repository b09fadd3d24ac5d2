"""The main window: draw on the left, watch the plots in the middle, steer training on the right.

The window only lays out and wires. The LiveSession owns the trainer, the drawing as the network
sees it and the frames; the views display the frames they are handed.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.diagnosis import Finding
from digitpad.core.digit_model import load_digit_model
from digitpad.core.errors import DigitpadError, ModelFileError
from digitpad.core.mnist import Mnist
from digitpad.core.my_digits import MyDigits
from digitpad.core.network import Network
from digitpad.core.settings import Settings
from digitpad.training.trainer import Failure, Trainer
from digitpad.ui import model_dialogs
from digitpad.ui.backprop_view import BackpropView
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
from digitpad.ui.my_digits_store import MyDigitsStore
from digitpad.ui.my_digits_view import MyDigitsView
from digitpad.ui.pace_selector import connect_pace
from digitpad.ui.plot_panel import PlotPanel
from digitpad.ui.settings import read
from digitpad.ui.status_bar import StatusBar
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.training_failure import describe_failure
from digitpad.ui.training_settings import save_settings
from digitpad.ui.window_state import restore_window_state, save_window_state
from digitpad.ui.wording import kept_words, sentence

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
        self._seed = 0  # Reset draws new random weights: seed 1, 2, 3, …
        self._help_dialog: HelpDialog | None = None
        self.lr_finder: LrFinderDialog | None = None
        self._my_digits = MyDigitsStore(self)
        self.data_ready_at: float | None = None  # time.perf_counter() when data arrived

        self._lay_out()
        self.session = LiveSession(trainer, self.canvas, self)
        build_menus(self, self.inspectors)
        self.controls.set_settings(training_settings)
        self.controls.mark_applied(training_settings)
        self._splitter_restored = restore_window_state(self, settings, self._splitters(),
                                                       self.inspectors)
        self._my_digits.open_at_start()
        self.gradient_plot.set_measure(read(settings, GRADIENT_MEASURE_KEY, "per_weight"))
        self.diagnosis = DiagnosisDisplay(self.notice, self.cost_plot, self.gradient_plot, self)
        connect_pace(self.controls.pace_selector, self.session, settings)

        session = self.session
        session.subscribe(lambda frame: self.controls.set_running(frame.snapshot.is_running))
        session.subscribe(self.prediction.show_frame)
        session.subscribe(self.statusBar().show_frame, hz=10)
        session.subscribe(self.cost_plot.show_frame, hz=10, hz_while_drawing=6)
        session.subscribe(self.diagnosis.show_frame, hz=5)
        for view in self.inspector_views:
            session.subscribe(view.show_frame, view.refresh_hz,
                              getattr(view, "refresh_hz_while_drawing", None))
        self.inspectors.currentChanged.connect(
            lambda i: session.refresh(self.inspector_views[i].show_frame))
        session.training_stopped.connect(self._show_training_error)
        self.learn_digit = self._learn_digit()
        self.canvas.digit_key_pressed.connect(self.keep_drawing)
        self.my_digits_view.drawing_chosen.connect(self.canvas.set_strokes)
        self.controls.settings_changed.connect(self.trainer.change_settings)
        self.controls.start_pause_button.clicked.connect(self.toggle_training)
        self.controls.step_button.clicked.connect(self.step_once)
        self.controls.reset_button.clicked.connect(self.reset_network)
        self.notice.action_clicked.connect(self._notice_action)
        self.controls.find_lr_button.clicked.connect(self.find_learning_rate)

        if trainer.has_data:
            self._data_loaded(None)
        elif loader is not None:
            loader.loaded.connect(self._data_loaded)
            loader.failed.connect(self._data_failed)
            self.statusBar().set_loading(True)

    @property
    def trainer(self) -> Trainer:
        return self.session.trainer

    @property
    def status_labels(self) -> dict:
        return self.statusBar().labels

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

    # ---- training controls ----------------------------------------------------------------

    def toggle_training(self) -> None:
        if not self.trainer.has_data:
            self.statusBar().showMessage("Training starts once the MNIST digits are loaded.", 3000)
            return
        if self.trainer.is_running:
            self.trainer.pause()
        else:
            self.trainer.start()
        self.controls.set_running(self.trainer.is_running)

    def step_once(self) -> None:
        """Exactly one mini-batch, on the trainer's thread."""
        if self.trainer.has_data and not self.trainer.is_running:
            self.trainer.step()

    def reset_network(self) -> None:
        """New random weights, built with the panel's settings (this is when they apply)."""
        settings = self.controls.settings()
        if settings is None:
            self.statusBar().showMessage("Fix the hidden layers first (e.g. 16, 16).", 5000)
            return
        self._seed += 1
        network = settings.new_network(seed=self._seed)
        self._install(network, settings)
        self.statusBar().showMessage(
            f"New random weights: {'-'.join(str(s) for s in network.sizes)}.", 4000)

    def _install(self, network: Network, settings: Settings) -> None:
        """Train `network` with `settings` from now on, from a clean history."""
        self.session.install(network, settings)
        self.controls.mark_applied(settings)
        self.notice.hide()

    def _notice_action(self) -> None:
        if self.notice.finding is not None:
            self.apply_fix(self.notice.finding)
        else:  # the only other message with a button: training diverged
            self.controls.change(lr=self.trainer.settings.lr / 2)
            self.notice.hide()

    def apply_fix(self, finding: Finding) -> None:
        """Set exactly the settings `finding` suggests, in the panel (which shows them), and
        start over if the fix needs a new network."""
        self.controls.change(**finding.fix)
        self.diagnosis.dismiss()  # it was acted on: shown again only if the problem changes
        self.notice.hide()
        if finding.needs_reset:
            self.reset_network()
        else:
            self.statusBar().showMessage(f"{finding.fix_label}: done.", 4000)

    def find_learning_rate(self) -> None:
        """Run the learning-rate range test on a copy of the network, in a dialog."""
        data = self.trainer.data
        settings = self.controls.settings()
        if data is None or settings is None:
            self.statusBar().showMessage("Finding a learning rate needs the MNIST digits and "
                                         "valid hidden layers.", 5000)
            return
        if self.lr_finder is not None:
            self.lr_finder.search.wait()
            self.lr_finder.deleteLater()
        # The range test trains a network of the run's shape; the step settings are the panel's.
        run_settings = self.trainer.settings.with_step_settings_of(settings)
        self.lr_finder = LrFinderDialog(self.session.newest_network(), data, run_settings, self)
        self.lr_finder.rate_chosen.connect(lambda lr: self.controls.change(lr=lr))
        self.lr_finder.show()

    def _show_training_error(self, error: Failure, diverged: bool) -> None:
        text = describe_failure(error)
        self.controls.set_running(False)
        self.statusBar().showMessage(text, 15000)
        self.notice.show_training_stopped(text, diverged)

    # ---- models -----------------------------------------------------------------------------

    def open_model(self) -> None:
        path = model_dialogs.ask_model_to_open(self, self._store)
        if path:
            self.load_model(path)

    def load_model(self, path: str | Path) -> bool:
        """Continue from a saved network; on any problem say why and keep the current one."""
        try:
            network = load_digit_model(path)
        except ModelFileError as e:
            QMessageBox.critical(
                self, "Could not open the model",
                f"{sentence(str(e))}\n\nThe current network was left as it was.")
            return False
        current = self.controls.settings() or self.controls.applied
        settings = current.with_network_of(network)
        self.controls.set_settings(settings)
        self._install(network, settings)
        self.statusBar().showMessage(f"Opened {Path(path).name}: {network.describe()}.", 6000)
        return True

    def save_model(self) -> None:
        path = model_dialogs.save_model(self, self._store, self.session.newest_network)
        if path is not None:
            self.statusBar().showMessage(f"Saved {path}.", 6000)

    # ---- my digits --------------------------------------------------------------------------

    def keep_drawing(self, digit: int) -> None:
        """Store the drawing, as the network sees it, labelled `digit` in my digits; clear it."""
        # Exactly what the prediction shows (made anew, in case the pen moved since that frame).
        seen = self.session.seen_now()
        if seen is None:
            self.statusBar().showMessage("Draw a digit first, then press its key to keep it.", 5000)
            return
        try:
            store = self.my_digits()
            store.add(seen, digit, self.canvas.strokes)
        except DigitpadError as e:  # a folder we cannot use, a locked or full database
            QMessageBox.warning(self, "Could not keep the drawing",
                                f"{sentence(str(e))}\n\nThe drawing is still on the canvas.")
            return
        self.canvas.clear()
        counts = store.per_digit()
        self.statusBar().showMessage(kept_words(digit, sum(counts), counts[digit]), 6000)

    def my_digits(self) -> MyDigits:
        """The store of my digits, opened on first use; raises DataError if it cannot be."""
        return self._my_digits.get()

    # ---- data -------------------------------------------------------------------------------

    def _data_loaded(self, data: Mnist | None) -> None:
        if data is not None:
            self.trainer.set_data(data)
        self.data_ready_at = time.perf_counter()
        self.statusBar().set_loading(False)
        self.controls.set_data_ready(True)
        self.controls.set_running(self.trainer.is_running)
        if data is not None:
            self.statusBar().showMessage(
                f"MNIST loaded: {len(data.train_labels):,} training and "
                f"{len(data.test_labels):,} test digits. Press Space to train.", 6000)
        self.learn_digit.update_state()
        self.data_ready.emit()

    def _learn_digit(self) -> LearnDigit:
        """The nudges view's "Learn this digit", and its shortcut from anywhere in the window."""
        view = next(v for v in self.inspector_views if isinstance(v, BackpropView))
        learn = LearnDigit(self.session, view, lambda text: self.statusBar().showMessage(text,
                                                                                        8000), self)
        action = QAction("Learn this digit", self)
        action.setShortcut(QKeySequence("Ctrl+L"))
        action.triggered.connect(lambda: learn.learn(1))
        self.addAction(action)
        view.learn_panel.set_shortcut(action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText))
        return learn

    def _data_failed(self, reason: str) -> None:
        self.statusBar().set_loading(False)
        self.notice.show_message(
            f"Could not load the MNIST digits: {sentence(reason)} Drawing still works; "
            "training needs the data.")

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
        self.session.stop()
        self.save_window_state()
        self.trainer.close()  # stops the worker and waits for its current step
        if self._loader is not None:
            self._loader.wait()
        if self._help_dialog is not None:
            self._help_dialog.close()
        if self.lr_finder is not None:
            self.lr_finder.close()
            self.lr_finder.search.wait()
        self._my_digits.close()
        self.my_digits_view.close_store()
        super().closeEvent(event)

