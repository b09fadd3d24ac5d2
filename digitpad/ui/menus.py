"""The window's actions (with their shortcuts) and its menu bar.

Every action is also added to the window itself, so its shortcut works with the menu bar hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget

from digitpad.core.presets import PRESETS, SUMMARIES

if TYPE_CHECKING:
    from digitpad.ui.main_window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | Qt.Key | str | None


def build_menus(window: MainWindow, tabs: QTabWidget) -> None:
    """Give `window` its actions (window.open_action, …) and its File, Edit, Training, View and
    Help menus; View has one entry per tab of `tabs`, Ctrl+1 … Ctrl+N."""

    def action(text: str, slot: Callable, shortcut: Shortcut = None, tip: str = "") -> QAction:
        a = QAction(text, window)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        window.addAction(a)
        return a

    w, keys = window, QKeySequence.StandardKey
    w.open_action = action("&Open model…", w.model_files.open_model, keys.Open,
                           "Load a saved network and continue from its weights")
    w.save_action = action("&Save model…", w.model_files.save_model, keys.Save,
                           "Save the network's current weights to a file")
    w.quit_action = action("&Quit", w.close, keys.Quit, "Stop training and close digitpad")
    w.start_action = action("&Start / Pause", w.run.toggle_training, Qt.Key.Key_Space,
                            "Train continuously, or pause")
    w.step_action = action("S&tep one mini-batch", w.run.step_once, Qt.Key.Key_S,
                           "Train on exactly one mini-batch")
    w.reset_action = action("&Reset network", w.run.reset_network, Qt.Key.Key_R,
                            "New random weights with the settings in the panel")
    w.undo_action = action("&Undo stroke", w.canvas.undo, keys.Undo,
                           "Remove the last stroke of the drawing")
    w.clear_action = action("&Clear drawing", w.canvas.clear, Qt.Key.Key_Delete,
                            "Erase the drawing (Delete or Esc)")
    # Esc too, from anywhere in the window; an open combo popup or a dialog gets it first.
    w.clear_action.setShortcuts([QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Escape)])
    w.help_action = action("&How backprop works here", w.show_backprop_help, keys.HelpContents,
                           "What happens when the network trains, in plain words")
    w.about_action = action("&About digitpad", w.show_about)
    w.preset_actions = []
    for name, preset in PRESETS.items():
        shape = "-".join(str(s) for s in preset.sizes)
        w.preset_actions.append(action(
            f"Preset: {name.capitalize()} ({shape})",
            lambda _=False, n=name: w.controls.choose_preset(n),
            tip=f"{SUMMARIES[name]}: fills in the settings; Reset applies them"))
    views = [action(tabs.tabText(i), lambda _=False, i=i: tabs.setCurrentIndex(i),
                    f"Ctrl+{i + 1}", tabs.tabToolTip(i)) for i in range(tabs.count())]

    bar = window.menuBar()
    _menu(bar, "&File", [w.open_action, w.save_action, None, w.quit_action])
    _menu(bar, "&Edit", [w.undo_action, w.clear_action])
    _menu(bar, "&Training", [w.start_action, w.step_action, w.reset_action, None,
                             *w.preset_actions])
    _menu(bar, "&View", views)
    _menu(bar, "&Help", [w.help_action, w.about_action])


def _menu(bar, title: str, actions: Sequence[QAction | None]) -> None:  # noqa: ANN001
    menu = bar.addMenu(title)
    for a in actions:
        if a is None:
            menu.addSeparator()
        else:
            menu.addAction(a)
