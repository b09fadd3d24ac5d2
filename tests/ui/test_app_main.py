"""digitpad.app.main(): the real entry point, run until its window is closed."""

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from digitpad.app import main
from digitpad.ui.main_window import MainWindow


def close_when_shown(seen: list[str], boxes: int = 0) -> None:
    """Close `boxes` message boxes as they appear (recording their text), then the window."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(box.text())
        box.done(0)
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible()]
    if windows and len(seen) >= boxes and QApplication.activeModalWidget() is None:
        for window in windows:
            window.close()
    else:
        QTimer.singleShot(50, lambda: close_when_shown(seen, boxes))


def test_main_shows_the_window_and_returns_when_it_closes(qtbot):
    seen: list[str] = []
    QTimer.singleShot(200, lambda: close_when_shown(seen))
    assert main() == 0
    assert seen == []
    assert not [t for t in threading.enumerate() if t.name == "digitpad-trainer"]


def test_main_with_a_bad_model_explains_and_starts_fresh(qtbot, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_text("not a model")
    seen: list[str] = []
    QTimer.singleShot(200, lambda: close_when_shown(seen, boxes=1))
    assert main(bad) == 0
    assert len(seen) == 1 and "bad.npz" in seen[0] and "new random network" in seen[0]
