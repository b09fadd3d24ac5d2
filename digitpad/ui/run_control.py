"""The run, steered: start and pause, one step, Reset, the notice's button, the learning-rate
finder, and the MNIST digits arriving (or not).

Not a widget: the window lays out the panel, the notice and the status bar; this object acts on
what they ask and says how it went.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from digitpad.core.diagnosis import Finding
from digitpad.core.mnist import Mnist
from digitpad.core.network import Network
from digitpad.core.settings import Settings
from digitpad.training.trainer import Failure, Trainer
from digitpad.ui.diagnosis_display import DiagnosisDisplay
from digitpad.ui.live_session import LiveSession
from digitpad.ui.lr_finder_dialog import LrFinderDialog
from digitpad.ui.mnist_loader import MnistLoader
from digitpad.ui.notice_bar import NoticeBar
from digitpad.ui.training_controls import TrainingControls
from digitpad.ui.training_failure import describe_failure
from digitpad.ui.wording import sentence


class RunControl(QObject):
    data_ready = Signal()  # MNIST has been loaded and handed to the trainer

    def __init__(self, session: LiveSession, controls: TrainingControls, notice: NoticeBar,
                 diagnosis: DiagnosisDisplay, window: QMainWindow) -> None:
        super().__init__(window)
        self.session, self._controls, self._notice = session, controls, notice
        self._diagnosis, self._window = diagnosis, window
        self._seed = 0  # Reset draws new random weights: seed 1, 2, 3, …
        self.lr_finder: LrFinderDialog | None = None
        self.data_ready_at: float | None = None  # time.perf_counter() when data arrived

        session.subscribe(lambda frame: controls.set_running(frame.snapshot.is_running))
        session.training_stopped.connect(self._show_training_error)
        controls.settings_changed.connect(self.trainer.change_settings)
        controls.start_pause_button.clicked.connect(self.toggle_training)
        controls.step_button.clicked.connect(self.step_once)
        controls.reset_button.clicked.connect(self.reset_network)
        controls.find_lr_button.clicked.connect(self.find_learning_rate)
        notice.action_clicked.connect(self._notice_action)

    @property
    def trainer(self) -> Trainer:
        return self.session.trainer

    def _say(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)

    # ---- start, pause, step, reset ----------------------------------------------------------

    def toggle_training(self) -> None:
        if not self.trainer.has_data:
            self._say("Training starts once the MNIST digits are loaded.", 3000)
            return
        if self.trainer.is_running:
            self.trainer.pause()
        else:
            self.trainer.start()
        self._controls.set_running(self.trainer.is_running)

    def step_once(self) -> None:
        """Exactly one mini-batch, on the trainer's thread."""
        if self.trainer.has_data and not self.trainer.is_running:
            self.trainer.step()

    def reset_network(self) -> None:
        """New random weights, built with the panel's settings (this is when they apply)."""
        settings = self._controls.settings()
        if settings is None:
            self._say("Fix the hidden layers first (e.g. 16, 16).", 5000)
            return
        self._seed += 1
        network = settings.new_network(seed=self._seed)
        self.install(network, settings)
        self._say(f"New random weights: {'-'.join(str(s) for s in network.sizes)}.", 4000)

    def install(self, network: Network, settings: Settings) -> None:
        """Train `network` with `settings` from now on, from a clean history."""
        self.session.install(network, settings)
        self._controls.mark_applied(settings)
        self._notice.hide()

    # ---- fixes and the learning-rate finder -------------------------------------------------

    def _notice_action(self) -> None:
        if self._notice.finding is not None:
            self.apply_fix(self._notice.finding)
        else:  # the only other message with a button: training diverged
            self._controls.change(lr=self.trainer.settings.lr / 2)
            self._notice.hide()

    def apply_fix(self, finding: Finding) -> None:
        """Set exactly the settings `finding` suggests, in the panel (which shows them), and
        start over if the fix needs a new network."""
        self._controls.change(**finding.fix)
        self._diagnosis.dismiss()  # it was acted on: shown again only if the problem changes
        self._notice.hide()
        if finding.needs_reset:
            self.reset_network()
        else:
            self._say(f"{finding.fix_label}: done.", 4000)

    def find_learning_rate(self) -> None:
        """Run the learning-rate range test on a copy of the network, in a dialog."""
        data = self.trainer.data
        settings = self._controls.settings()
        if data is None or settings is None:
            self._say("Finding a learning rate needs the MNIST digits and valid hidden layers.",
                      5000)
            return
        if self.lr_finder is not None:
            self.lr_finder.search.wait()
            self.lr_finder.deleteLater()
        # The range test trains a network of the run's shape; the step settings are the panel's.
        run_settings = self.trainer.settings.with_step_settings_of(settings)
        self.lr_finder = LrFinderDialog(self.session.newest_network(), data, run_settings,
                                        self._window)
        self.lr_finder.rate_chosen.connect(lambda lr: self._controls.change(lr=lr))
        self.lr_finder.show()

    def _show_training_error(self, error: Failure, diverged: bool) -> None:
        text = describe_failure(error)
        self._controls.set_running(False)
        self._say(text, 15000)
        self._notice.show_training_stopped(text, diverged)

    # ---- the data ---------------------------------------------------------------------------

    def wait_for_data(self, loader: MnistLoader | None) -> None:
        """Ready now if the trainer has its data; otherwise when `loader` brings it."""
        if self.trainer.has_data:
            self._data_loaded(None)
        elif loader is not None:
            loader.loaded.connect(self._data_loaded)
            loader.failed.connect(self._data_failed)
            self._window.statusBar().set_loading(True)

    def _data_loaded(self, data: Mnist | None) -> None:
        if data is not None:
            self.trainer.set_data(data)
        self.data_ready_at = time.perf_counter()
        self._window.statusBar().set_loading(False)
        self._controls.set_data_ready(True)
        self._controls.set_running(self.trainer.is_running)
        if data is not None:
            self._say(f"MNIST loaded: {len(data.train_labels):,} training and "
                      f"{len(data.test_labels):,} test digits. Press Space to train.", 6000)
        self.data_ready.emit()

    def _data_failed(self, reason: str) -> None:
        self._window.statusBar().set_loading(False)
        self._notice.show_message(
            f"Could not load the MNIST digits: {sentence(reason)} Drawing still works; "
            "training needs the data.")

    def close(self) -> None:
        """Close the learning-rate finder, and wait for its search to end."""
        if self.lr_finder is not None:
            self.lr_finder.close()
            self.lr_finder.search.wait()
