"""The main window: draw on the left, watch the plots in the middle, steer training on the right.

The window never trains. The Trainer runs SGD on its own thread; a single timer here reads the
trainer's snapshot about 30 times a second and updates the plots, the status bar and the
prediction from it. However fast training goes, the screen is redrawn at that fixed rate.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.digit_model import load_digit_model
from digitpad.core.errors import DigitpadError, ModelFileError
from digitpad.core.mnist import Mnist
from digitpad.core.my_digits import MyDigits, is_started
from digitpad.core.network import Network
from digitpad.core.preprocess import to_mnist
from digitpad.core.presets import PRESETS
from digitpad.data_dir import user_data_dir
from digitpad.training.trainer import Snapshot, Trainer
from digitpad.ui import settings as user_settings
from digitpad.ui.backprop_view import BackpropView
from digitpad.ui.canvas import FINE, Canvas
from digitpad.ui.cost_plot import CostPlot
from digitpad.ui.evaluation_view import EvaluationView
from digitpad.ui.gradient_plot import GradientPlot
from digitpad.ui.help_text import ABOUT_HTML, BACKPROP_HTML
from digitpad.ui.mnist_loader import MnistLoader
from digitpad.ui.notice_bar import NoticeBar
from digitpad.ui.prediction_panel import PredictionPanel
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.training_settings import (
    INPUTS,
    OUTPUT_NEURONS,
    TrainingSettings,
    save_settings,
)
from digitpad.ui.weights_view import WeightsView

FRAME_MS = 33  # ~30 frames a second: status, plots and prediction all refresh on this beat
# Every frame costs the trainer time (both run Python, and only one thread runs Python at a
# time; Qt painting called from Python counts too), so the expensive parts run on some beats
# only: the plots at 10 Hz, the status bar and a prediction with newer weights at 10 Hz while
# training runs. The pen gets an answer every frame.
PLOTS_EVERY = 3
PLOTS_EVERY_WHILE_DRAWING = 5  # 6 Hz: the pen, the cells and the prediction need the time then
STATUS_EVERY = 3
REPREDICT_EVERY = 3
WEIGHTS_EVERY = 15  # 2 Hz: the weight pictures change slowly, and drawing them is not free
NUDGES_EVERY = 3  # 10 Hz: one example's backprop, drawn layer by layer


class MainWindow(QMainWindow):
    data_ready = Signal()  # MNIST has been loaded and handed to the trainer

    def __init__(
        self,
        trainer: Trainer,
        settings: QSettings,
        training_settings: TrainingSettings,
        loader: MnistLoader | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("digitpad")
        self.trainer = trainer
        self._store = settings
        self._loader = loader
        self._seed = 0  # Reset draws new random weights: seed 1, 2, 3, …
        self._drawing_dirty = True  # the canvas changed since the last prediction
        self._seen: np.ndarray | None = None  # the drawing as the network sees it
        self._nudged: tuple = (None, None)  # the weights and drawing the nudges tab shows
        self._predicted_with: Network | None = None
        self._shown_error: str | None = None
        self._status_text: dict[str, str] = {}
        self._frame = 0  # frames shown so far
        self._help_dialog: QDialog | None = None
        self._my_digits: MyDigits | None = None
        self.data_ready_at: float | None = None  # time.perf_counter() when data arrived

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()

        self.controls.set_settings(training_settings)
        self.controls.mark_applied(training_settings)
        self.gradient_plot.set_layers(trainer.network.sizes)
        self._restore_window_state()
        self._open_my_digits_at_start()

        self.canvas.changed.connect(self._drawing_changed)
        self.canvas.digit_key_pressed.connect(self.keep_drawing)
        self.controls.step_settings_changed.connect(self._apply_step_settings)
        self.controls.start_pause_button.clicked.connect(self.toggle_training)
        self.controls.step_button.clicked.connect(self.step_once)
        self.controls.reset_button.clicked.connect(self.reset_network)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.notice.action_clicked.connect(self._halve_learning_rate)

        if trainer.has_data:
            self._data_loaded(None)
        elif loader is not None:
            loader.loaded.connect(self._data_loaded)
            loader.failed.connect(self._data_failed)
            self._set_loading(True)

        # The one timer that drives every repaint of live data.
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self._on_frame)
        self._frame_timer.start()

    # ---- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        # Left: the canvas and the network's answer.
        self.canvas = Canvas()
        self.canvas.setMinimumSize(280, 280)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton))
        self.clear_button.setToolTip(
            "Erase the drawing (Delete or Esc; on the canvas also right-click or Backspace)")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.undo_button.setToolTip("Remove the last stroke (Ctrl+Z)")
        self.prediction = PredictionPanel()

        title = QLabel("Draw a digit")
        title.setObjectName("drawTitle")
        heading = QFont(self.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.35)
        heading.setBold(True)
        title.setFont(heading)
        hint = QLabel("Left button draws · right-click clears · Ctrl+Z undoes · "
                      "press its digit key to keep it in my digits")
        hint.setObjectName("drawHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)  # the palette's disabled text: a quiet caption in any theme
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.undo_button)
        header.addWidget(self.clear_button)

        left = QWidget()
        left.setObjectName("drawPanel")
        column = QVBoxLayout(left)
        column.setContentsMargins(12, 12, 8, 12)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.canvas, 1)
        column.addWidget(hint)
        column.addSpacing(6)
        column.addWidget(_separator())
        column.addSpacing(4)
        column.addWidget(self.prediction)

        # Middle: the plots, with room above them for a notice.
        self.notice = NoticeBar()
        self.cost_plot = CostPlot()
        # Below it, four ways to look inside: the gradients of every step, the nudges one
        # example asks for, what layer 1 has learned, and the mistakes on the test digits.
        self.gradient_plot = GradientPlot()
        self.backprop_view = BackpropView()
        self.weights_view = WeightsView()
        self.evaluation_view = EvaluationView()
        self.inspectors = QTabWidget()
        self.inspectors.setObjectName("inspectorTabs")
        self.inspectors.setDocumentMode(True)
        for widget, title, tip in (
            (self.gradient_plot, "Gradients",
             "How hard backprop nudges each layer's weights, step after step"),
            (self.backprop_view, "Nudges of your digit",
             "What the digit on the canvas wants every neuron to do, passed back layer by layer"),
            (self.weights_view, "Layer 1 weights",
             "What each neuron of the first layer has learned to look for"),
            (self.evaluation_view, "Test mistakes",
             "Which test digits the network gets wrong, and what it takes them for"),
        ):
            index = self.inspectors.addTab(widget, title)
            self.inspectors.setTabToolTip(index, tip)
        self.inspectors.currentChanged.connect(lambda _: self._refresh_inspectors())
        self.plot_splitter = QSplitter(Qt.Orientation.Vertical)
        self.plot_splitter.setObjectName("plotSplitter")
        self.plot_splitter.addWidget(self.cost_plot)
        self.plot_splitter.addWidget(self.inspectors)
        self.plot_splitter.setChildrenCollapsible(False)
        self.plot_splitter.setSizes([500, 400])
        middle = QWidget()
        middle.setObjectName("plotPanel")
        plots = QVBoxLayout(middle)
        plots.setContentsMargins(8, 12, 8, 12)
        plots.setSpacing(8)
        plots.addWidget(self.notice)
        plots.addWidget(self.plot_splitter, 1)

        # Right: the training panel, scrollable on short screens.
        self.controls = TrainingControls()
        scroll = QScrollArea()
        scroll.setObjectName("controlsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 12, 12, 12)
        holder_layout.addWidget(self.controls)
        scroll.setWidget(holder)
        scroll.setMinimumWidth(290)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.setCentralWidget(self.splitter)

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut=None, tip: str = "") -> QAction:  # noqa: ANN001
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            self.addAction(a)  # shortcuts work even with the menu bar hidden
            return a

        self.open_action = action("&Open model…", self.open_model, QKeySequence.StandardKey.Open,
                                  "Load a saved network and continue from its weights")
        self.save_action = action("&Save model…", self.save_model, QKeySequence.StandardKey.Save,
                                  "Save the network's current weights to a file")
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit,
                                  "Stop training and close digitpad")
        self.start_action = action("&Start / Pause", self.toggle_training, Qt.Key.Key_Space,
                                   "Train continuously, or pause")
        self.step_action = action("S&tep one mini-batch", self.step_once, Qt.Key.Key_S,
                                  "Train on exactly one mini-batch")
        self.reset_action = action("&Reset network", self.reset_network, Qt.Key.Key_R,
                                   "New random weights with the settings in the panel")
        self.undo_action = action("&Undo stroke", self.canvas.undo, QKeySequence.StandardKey.Undo,
                                  "Remove the last stroke of the drawing")
        self.clear_action = action("&Clear drawing", self.canvas.clear, Qt.Key.Key_Delete,
                                   "Erase the drawing (Delete or Esc)")
        # Esc too, from anywhere in the window; an open combo popup or a dialog gets it first.
        self.clear_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Escape)])
        self.help_action = action("&How backprop works here", self.show_backprop_help,
                                  QKeySequence.StandardKey.HelpContents,
                                  "What happens when the network trains, in plain words")
        self.about_action = action("&About digitpad", self.show_about)
        self.preset_actions = []
        for name, preset in PRESETS.items():
            shape = "-".join(str(s) for s in (INPUTS, *preset.hidden, OUTPUT_NEURONS))
            self.preset_actions.append(action(
                f"Preset: {name.capitalize()} ({shape})",
                lambda _=False, n=name: self.controls.choose_preset(n),
                tip=f"{getattr(preset, 'summary', name)}: fills in the settings; Reset applies "
                    "them"))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.open_action, self.save_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.clear_action])
        training_menu = bar.addMenu("&Training")
        training_menu.addActions([self.start_action, self.step_action, self.reset_action])
        training_menu.addSeparator()
        training_menu.addActions(self.preset_actions)
        view_menu = bar.addMenu("&View")
        for index in range(self.inspectors.count()):
            show = QAction(self.inspectors.tabText(index), self)
            show.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            show.setStatusTip(self.inspectors.tabToolTip(index))
            show.triggered.connect(lambda _=False, i=index: self.inspectors.setCurrentIndex(i))
            self.addAction(show)
            view_menu.addAction(show)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.help_action, self.about_action])

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.loading_label = QLabel("Loading the MNIST digits…")
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("loadingProgress")
        self.loading_bar.setRange(0, 0)  # busy: the loader cannot tell how far it is
        self.loading_bar.setMaximumWidth(140)
        self.loading_bar.setMaximumHeight(14)
        bar.addWidget(self.loading_label)
        bar.addWidget(self.loading_bar)
        self.status_labels: dict[str, QLabel] = {}
        tips = {
            "epoch": "Epochs: complete passes over all 60,000 training digits "
                     "(and how far into the current one).",
            "step": "Steps: mini-batches trained on so far; each one is one nudge to every weight.",
            "speed": "Training speed: training digits processed per second.",
            "accuracy": "Share of the 10,000 test digits (never trained on) that the network "
                        "got right, measured after each epoch.",
        }
        widest = {"epoch": "Epoch 888 · 88%", "step": "Step 8,888,888",
                  "speed": "888,000 examples/s", "accuracy": "Test accuracy: after epoch 1"}
        for key, tip in tips.items():
            label = QLabel()
            label.setObjectName(f"status_{key}")
            label.setToolTip(tip)
            label.setContentsMargins(8, 0, 8, 0)
            # A fixed width: changing numbers neither jiggle the bar nor make it lay itself out.
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(widest[key]) + 16)
            bar.addPermanentWidget(label)
            self.status_labels[key] = label
        self._set_loading(False)

    # ---- training controls ----------------------------------------------------------------

    def toggle_training(self) -> None:
        if not self.trainer.has_data:
            self.statusBar().showMessage("Training starts once the MNIST digits are loaded.", 3000)
            return
        if self.trainer.is_running:
            self.trainer.pause()
        else:
            self._apply_step_settings()
            self.trainer.start()
        self.controls.set_running(self.trainer.is_running)

    def step_once(self) -> None:
        """Exactly one mini-batch, on the trainer's thread."""
        if self.trainer.has_data and not self.trainer.is_running:
            self._apply_step_settings()
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

    def _install(self, network: Network, settings: TrainingSettings) -> None:
        """Train `network` from now on, from a clean history."""
        self.trainer.reset(network)
        self.trainer.hyper = settings.hyperparameters()
        self.controls.mark_applied(settings)
        self.controls.set_running(False)
        self.cost_plot.clear_history()
        self.gradient_plot.set_layers(network.sizes)
        self.notice.hide()
        self._shown_error = None
        self._predicted_with = None  # predict again with the new weights

    def _apply_step_settings(self) -> None:
        """Learning rate, batch size and augmentation: the trainer reads them before each step."""
        hyper = self.trainer.hyper
        hyper.lr = self.controls.lr_spin.value()
        hyper.batch_size = self.controls.batch_spin.value()
        hyper.augment = self.controls.augment_check.isChecked()

    def _halve_learning_rate(self) -> None:
        self.controls.lr_spin.setValue(self.controls.lr_spin.value() / 2)
        self.notice.hide()

    # ---- models -----------------------------------------------------------------------------

    def open_model(self) -> None:
        start = user_settings.read(self._store, "files/modelDir", str(user_settings.models_dir()))
        path, _ = QFileDialog.getOpenFileName(
            self, "Open model", start, "digitpad models (*.npz);;All files (*)")
        if path:
            self._store.setValue("files/modelDir", str(Path(path).parent))
            self.load_model(path)

    def load_model(self, path: str | Path) -> bool:
        """Continue from a saved network; on any problem say why and keep the current one."""
        try:
            network = load_digit_model(path)
        except ModelFileError as e:
            QMessageBox.critical(
                self, "Could not open the model",
                f"{_sentence(str(e))}\n\nThe current network was left as it was.")
            return False
        current = self.controls.settings() or self.controls.applied
        settings = current.with_network_of(network)
        self.controls.set_settings(settings)
        self._install(network, settings)
        self.statusBar().showMessage(f"Opened {Path(path).name}: {network.describe()}.", 6000)
        return True

    def save_model(self) -> None:
        start = user_settings.read(self._store, "files/modelDir", str(user_settings.models_dir()))
        path, _ = QFileDialog.getSaveFileName(
            self, "Save model", str(Path(start) / "digitpad-model.npz"),
            "digitpad models (*.npz)")
        if not path:
            return
        path = Path(path)
        if path.suffix.lower() != ".npz":
            path = path.with_name(path.name + ".npz")
        self._store.setValue("files/modelDir", str(path.parent))
        # The snapshot's copy: the live network may be halfway through a step on the worker.
        # Paused, the copy is the newest once the last step has finished.
        if not self.trainer.is_running:
            self.trainer.wait_idle()
        network = self.trainer.snapshot().network
        try:
            network.save(path)
        except ModelFileError as e:
            QMessageBox.critical(self, "Could not save the model", _sentence(str(e)))
            return
        self.statusBar().showMessage(f"Saved {path}.", 6000)

    # ---- my digits --------------------------------------------------------------------------

    def keep_drawing(self, digit: int) -> None:
        """Store the drawing, as the network sees it, labelled `digit` in my digits; clear it."""
        # Exactly what the prediction shows (made anew, in case the pen moved since that frame).
        seen = None if self.canvas.is_empty() else to_mnist(self.canvas.image(FINE))
        if seen is None:
            self.statusBar().showMessage("Draw a digit first, then press its key to keep it.", 5000)
            return
        try:
            store = self.my_digits()
            store.add(seen, digit, self.canvas.strokes)
        except DigitpadError as e:  # a folder we cannot use, a locked or full database
            QMessageBox.warning(self, "Could not keep the drawing",
                                f"{_sentence(str(e))}\n\nThe drawing is still on the canvas.")
            return
        self.canvas.clear()
        counts = store.per_digit()
        total, same = sum(counts), counts[digit]
        article = "an" if digit == 8 else "a"
        if total == 1:
            kept = "1 drawing"
        elif same == 1:
            kept = f"{total:,} drawings, 1 of them {article} {digit}"
        else:
            kept = f"{total:,} drawings, {same:,} of them {digit}s"
        self.statusBar().showMessage(f"Stored as {article} {digit} in my digits ({kept}).", 6000)

    def my_digits(self) -> MyDigits:
        """The store of my digits, opened on first use; raises DataError if it cannot be."""
        if self._my_digits is None:
            self._my_digits = MyDigits.open(user_data_dir())
            if self._my_digits.notices:
                self._tell("My digits", "\n\n".join(
                    _sentence(n) for n in self._my_digits.notices))
        return self._my_digits

    def _open_my_digits_at_start(self) -> None:
        """Open the store now if there is one, so that a migration or a damaged file is dealt
        with (and said) once, at start, rather than at the first key press. With nothing kept
        yet, nothing is created until the first drawing is."""
        try:
            if not is_started(user_data_dir()):
                return
        except DigitpadError:
            return  # a data folder that is a file: the app says so once, for all its files
        try:
            self.my_digits()
        except DigitpadError as e:
            self._tell("My digits cannot be used", f"{_sentence(str(e))}\n\nDrawing and "
                       "training still work; keeping drawings needs my digits.")

    def _tell(self, title: str, text: str) -> None:
        """A message that does not stop anything: the window goes on while it shows."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("myDigitsNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        QTimer.singleShot(0, box.open)

    # ---- data -------------------------------------------------------------------------------

    def _data_loaded(self, data: Mnist | None) -> None:
        if data is not None:
            self.trainer.set_data(data)
        self.data_ready_at = time.perf_counter()
        self._set_loading(False)
        self.controls.set_data_ready(True)
        self.controls.set_running(self.trainer.is_running)
        if data is not None:
            self.statusBar().showMessage(
                f"MNIST loaded: {len(data.train_labels):,} training and "
                f"{len(data.test_labels):,} test digits. Press Space to train.", 6000)
        self.data_ready.emit()

    def _data_failed(self, reason: str) -> None:
        self._set_loading(False)
        self.notice.show_message(
            f"Could not load the MNIST digits: {_sentence(reason)} Drawing still works; "
            "training needs the data.")

    def _set_loading(self, loading: bool) -> None:
        self.loading_label.setVisible(loading)
        self.loading_bar.setVisible(loading)

    # ---- the frame timer --------------------------------------------------------------------

    def _drawing_changed(self) -> None:
        # Only mark it: the next frame predicts, so a fast pen costs at most 30 predictions/s.
        self._drawing_dirty = True
        if self.canvas.is_empty():  # a new drawing: its digit is not known yet
            self.backprop_view.clear_target()

    def _on_frame(self) -> None:
        self._frame += 1
        snapshot = self.trainer.snapshot()
        self.controls.set_running(snapshot.is_running)
        if self._frame % STATUS_EVERY == 0 or not snapshot.is_running:
            self._show_status(snapshot)
        if snapshot.error and snapshot.error != self._shown_error:
            self._show_training_error(snapshot.error, snapshot.diverged)
        self._shown_error = snapshot.error
        plots_every = PLOTS_EVERY_WHILE_DRAWING if self.canvas.pen_down else PLOTS_EVERY
        if self._frame % plots_every == 0 or not snapshot.is_running:
            self.cost_plot.show_snapshot(snapshot)
            self.gradient_plot.show_snapshot(snapshot)
            self.evaluation_view.show_epochs(snapshot.epochs)  # cheap unless a new epoch ended
        if self._frame % WEIGHTS_EVERY == 0 or not snapshot.is_running:
            self.weights_view.show_network(snapshot.network)  # only drawn while its tab shows
        # New weights change nothing on an empty canvas: no prediction to refresh.
        new_weights = snapshot.network is not self._predicted_with and self._seen is not None
        if self._drawing_dirty or (new_weights and (
                self._frame % REPREDICT_EVERY == 0 or not snapshot.is_running)):
            self._predict(snapshot.network)
        network, seen = self._predicted_with, self._seen
        if (network is not self._nudged[0] or seen is not self._nudged[1]) and (
                self._frame % NUDGES_EVERY == 0 or not snapshot.is_running):
            self._nudged = (network, seen)
            self.backprop_view.show_example(network, seen)  # only computed while it shows

    def _predict(self, network: Network) -> None:
        """Run the drawing through `network` (the newest weights the trainer published)."""
        if self._drawing_dirty:
            self._drawing_dirty = False
            ink = None if self.canvas.is_empty() else self.canvas.image(FINE)
            self._seen = None if ink is None else to_mnist(ink)
            self.prediction.set_seen(self._seen)
        self._predicted_with = network
        if self._seen is None:
            self.prediction.show_outputs(None)
            return
        outputs = network.forward(self._seen.reshape(1, -1))[0]
        self.prediction.show_outputs(outputs)

    def _refresh_inspectors(self) -> None:
        """Bring the inspector views up to date now (say, when their tab is chosen)."""
        snapshot = self.trainer.snapshot()
        self.weights_view.show_network(snapshot.network)
        self.evaluation_view.show_epochs(snapshot.epochs)
        self.backprop_view.show_example(snapshot.network, self._seen)

    def _show_status(self, snapshot: Snapshot) -> None:
        epoch = f"Epoch {snapshot.epoch + 1}"
        if snapshot.steps:
            epoch += f" · {100 * snapshot.epoch_fraction:.0f}%"
        speed = snapshot.examples_per_second
        accuracy = (f"Test accuracy {100 * snapshot.epochs[-1].test_accuracy:.1f}%"
                    if snapshot.epochs else "Test accuracy: after epoch 1")
        texts = {
            "epoch": epoch,
            "step": f"Step {snapshot.steps:,}",
            "speed": f"{_round(speed):,} examples/s" if speed else "paused",
            "accuracy": accuracy,
        }
        for key, text in texts.items():
            if self._status_text.get(key) != text:  # relayout only when a label changes
                self.status_labels[key].setText(text)
                self._status_text[key] = text

    def _show_training_error(self, error: str, diverged: bool) -> None:
        self.controls.set_running(False)
        self.statusBar().showMessage(error, 15000)
        if diverged:
            self.notice.show_message(
                f"{error} A smaller learning rate takes smaller steps downhill and does not "
                "overshoot.", "Halve the learning rate")
        else:
            self.notice.show_message(error)

    # ---- help -------------------------------------------------------------------------------

    def show_backprop_help(self) -> None:
        if self._help_dialog is None:
            dialog = QDialog(self)
            dialog.setWindowTitle("How backprop works here")
            browser = QTextBrowser()
            browser.setHtml(BACKPROP_HTML)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(browser)
            layout.addWidget(buttons)
            dialog.resize(640, 620)
            self._help_dialog = dialog
        self._help_dialog.show()  # not modal: read it while watching the network train
        self._help_dialog.raise_()

    def show_about(self) -> None:
        QMessageBox.about(self, "About digitpad", ABOUT_HTML)

    # ---- remembering ------------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        store = self._store
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        self._splitter_restored = False
        tab = store.value("window/inspectorTab")
        if isinstance(tab, (int, str)) and str(tab).isdigit():
            self.inspectors.setCurrentIndex(min(int(tab), self.inspectors.count() - 1))
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/plotSplitter", self.plot_splitter)):
            state = store.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                self._splitter_restored |= splitter.restoreState(state) and key == "window/splitter"

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
        store = self._store
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/splitter", self.splitter.saveState())
        store.setValue("window/plotSplitter", self.plot_splitter.saveState())
        store.setValue("window/inspectorTab", self.inspectors.currentIndex())
        settings = self.controls.settings()
        if settings is not None:
            save_settings(store, settings)
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._frame_timer.stop()
        self.save_window_state()
        self.trainer.close()  # stops the worker and waits for its current step
        if self._loader is not None:
            self._loader.wait()
        if self._help_dialog is not None:
            self._help_dialog.close()
        if self._my_digits is not None:
            self._my_digits.close()
            self._my_digits = None
        super().closeEvent(event)


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _sentence(text: str) -> str:
    """Capitalized and ending with a full stop, as a message box wants it."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _round(value: float) -> int:
    """Three significant figures: a speed that jitters in the last digits is hard to read."""
    if value <= 0:
        return 0
    digits = max(0, int(np.floor(np.log10(value))) - 2)
    return int(round(value, -digits))
