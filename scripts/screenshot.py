"""Make docs/screenshot.png: the real window, mid-training, with a digit drawn by mouse events.

    python scripts/screenshot.py [--output docs/screenshot.png] [--seconds 6] [--size 1360x860]
                                 [--dark] [--tab N] [--target D] [--alone D] [--failing]
                                 [--pace STEPS [--act forward|backward|weights]]

The README's pictures:
    python scripts/screenshot.py
    python scripts/screenshot.py --dark --output docs/screenshot-dark.png
    python scripts/screenshot.py --tab 2 --target 8 --alone 8 --output docs/screenshot-nudges.png
    python scripts/screenshot.py --tab 6 --output docs/screenshot-network.png
    python scripts/screenshot.py --failing --output docs/screenshot-diagnosis.png
    python scripts/screenshot.py --tab 2 --learn --output /tmp/learn.png   # Learn this digit
    python scripts/screenshot.py --tab 4 --cell 4,9 --output docs/screenshot-mistakes.png
    python scripts/screenshot.py --tab 6 --pace 1 --act backward --output docs/screenshot-slow.png
    python scripts/screenshot.py --runs --seconds 20 --output docs/screenshot-runs.png

Runs offscreen (no display needed): loads the bundled MNIST, trains the video's network for a
few seconds, draws a 3 on the canvas with real mouse events, lets the prediction catch up and
grabs the window. Settings are kept in a temporary directory, so the picture does not depend on
(or change) yours.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--seconds", type=float, default=6.0, help="training time before the shot")
    parser.add_argument("--size", default="1360x860", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--tab", type=int, default=1,
                        help="the inspector tab to show under the cost plot (1 = gradients)")
    parser.add_argument("--target", type=int, choices=range(10),
                        help="on the nudges tab, click this digit: 'what if it were a D?'")
    parser.add_argument("--alone", type=int, choices=range(10),
                        help="on the nudges tab, click output D: its wishes alone, its three ways")
    parser.add_argument("--failing", action="store_true",
                        help="train a deep sigmoid network whose gradient vanishes, so the "
                             "diagnosis notice shows")
    parser.add_argument("--learn", action="store_true",
                        help="on the nudges tab, pause and click 'Learn this digit' ×10")
    parser.add_argument("--cell", metavar="TRUE,ANSWER",
                        help="after the first epoch, click this cell of the confusion matrix "
                             "and its first test digit, then show --tab")
    parser.add_argument("--pace", type=float, choices=(100, 10, 1),
                        help="after drawing, slow training down to this many steps a second")
    parser.add_argument("--act", choices=("forward", "backward", "weights"),
                        help="with --pace 1 on the network tab: grab while the step plays this")
    parser.add_argument("--runs", action="store_true",
                        help="two runs side by side: --seconds with batches of 100, then Reset "
                             "and as long with the full set, on the seconds axis")
    return parser.parse_args()


def three(steps: int = 30) -> list[list[tuple[float, float]]]:
    """A handwritten 3 as one stroke, in canvas grid units (0..28): two bowls open to the left."""
    import numpy as np

    def bowl(cx: float, cy: float, rx: float, ry: float, start: float, end: float):
        # Angle 0 is the top of the bowl, π/2 its right side, π its bottom.
        return [(cx + rx * np.sin(t), cy - ry * np.cos(t)) for t in np.linspace(start, end, steps)]

    upper = bowl(13.6, 9.6, 4.6, 4.0, -1.3, 3.0)
    lower = bowl(13.8, 18.0, 5.2, 4.6, 0.2, 4.2)
    return [upper + lower]


def two_runs(window, run_for, seconds: float) -> None:
    """Train with mini-batches of 100 for `seconds`, press Reset, click "Full set", and show the
    cost plot counted in seconds; the caller trains the second run."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox, QPushButton, QToolButton

    def click(kind, name: str) -> None:
        QTest.mouseClick(window.findChild(kind, name), Qt.MouseButton.LeftButton)

    click(QPushButton, "startPauseButton")
    run_for(seconds)
    click(QPushButton, "startPauseButton")
    click(QToolButton, "fullSetButton")
    click(QPushButton, "resetButton")
    axis = window.findChild(QComboBox, "costAxisSelector")
    axis.setCurrentIndex(axis.findData("seconds"))


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in {
        roles.Window: "#202226", roles.WindowText: "#e6e6e6", roles.Base: "#17181b",
        roles.AlternateBase: "#25272b", roles.Text: "#e6e6e6", roles.Button: "#2b2d31",
        roles.ButtonText: "#e6e6e6", roles.Highlight: "#4c8bf5", roles.HighlightedText: "#ffffff",
        roles.ToolTipBase: "#2b2d31", roles.ToolTipText: "#e6e6e6", roles.Mid: "#3a3d42",
        roles.Dark: "#111214", roles.Light: "#3a3d42", roles.PlaceholderText: "#8a8d93",
    }.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7d8086"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7d8086"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7d8086"))
    return palette


def main() -> int:
    args = parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DIGITPAD_DATA_DIR"] = tempfile.mkdtemp(prefix="digitpad-screenshot-")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton, QToolButton, QWidget

    from digitpad.app import create_window
    from digitpad.ui.resources import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # the same look on every machine
    if args.dark:
        app.setPalette(dark_palette())
    app.setWindowIcon(app_icon())
    width, height = (int(v) for v in args.size.lower().split("x"))

    window = create_window()
    window.resize(width, height)
    window.show()

    def run_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    deadline = time.monotonic() + 30
    while window.data_ready_at is None and time.monotonic() < deadline:
        run_for(0.05)
    if window.data_ready_at is None:
        print("screenshot: MNIST did not load within 30 s", file=sys.stderr)
        return 1

    window.inspectors.setCurrentIndex(args.tab - 1)
    if args.failing:  # the example of a run that fails in silence without the diagnosis
        from digitpad.core.settings import Settings

        window.controls.set_settings(Settings(hidden=(16, 16, 16, 16, 16), activation="sigmoid",
                                              output="sigmoid", cost="quadratic", lr=0.05))
        window.reset_network()
    if args.runs:
        two_runs(window, run_for, args.seconds)
    window.run.toggle_training()
    run_for(args.seconds / 2)

    canvas = window.canvas
    for stroke in three():
        points = [canvas.from_grid(x, y).toPoint() for x, y in stroke]
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
            run_for(0.01)  # a person's pace: the prediction follows the pen
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           points[-1])
    if args.target is not None:
        button = window.findChild(QToolButton, f"targetDigit{args.target}")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    if args.alone is not None:
        outputs = window.findChild(QWidget, "outputWishes")
        QTest.mouseClick(outputs, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         outputs.column(args.alone).center().toPoint())
    run_for(args.seconds / 2)
    if args.cell:
        open_cell(window, args.cell, run_for)
        window.inspectors.setCurrentIndex(args.tab - 1)
        run_for(0.5)
    if args.pace is not None:
        window.controls.pace_selector.set_pace(args.pace)  # as if chosen: it applies at once
        view = window.findChild(QWidget, "networkView")
        deadline = time.monotonic() + 30
        while args.act and time.monotonic() < deadline and not (
                view.animation.phase == args.act and view.animation.layer in (0, 2)):
            app.processEvents()
        run_for(0.01 if args.act else 2.0)
    if args.learn:
        window.run.toggle_training()
        run_for(0.5)
        QTest.mouseClick(window.findChild(QPushButton, "learnTenButton"),
                         Qt.MouseButton.LeftButton)
        run_for(0.5)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.output)):
        print(f"screenshot: could not write {args.output}", file=sys.stderr)
        return 1
    snapshot = window.trainer.snapshot()
    accuracy = f"{100 * snapshot.epochs[-1].test_accuracy:.1f}%" if snapshot.epochs else "n/a"
    print(f"wrote {args.output} ({width}x{height}); {snapshot.steps} steps, "
          f"test accuracy {accuracy}, predicted {window.prediction.digit_label.text()!r}")
    window.close()
    return 0


def open_cell(window, cell: str, run_for) -> None:  # noqa: ANN001
    """Wait for an epoch, click the cell (true, answer) of the matrix and its first digit."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QListView, QWidget

    true, answer = (int(v) for v in cell.split(","))
    deadline = time.monotonic() + 120
    while not window.trainer.snapshot().epochs and time.monotonic() < deadline:
        run_for(0.1)
    view = window.findChild(QWidget, "evaluationView")
    window.inspectors.setCurrentWidget(view)
    run_for(0.3)
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.cell_rect(true, answer).center().toPoint())
    run_for(0.3)
    digits = window.findChild(QListView, "testDigitsList")
    if digits.model().rowCount():
        first = digits.visualRect(digits.model().index(0, 0)).center()
        QTest.mouseClick(digits.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, first)
    run_for(0.5)


if __name__ == "__main__":
    sys.exit(main())
