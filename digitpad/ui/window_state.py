"""What the window remembers between runs: its size, its splitters and the chosen tab."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget

DEFAULT_SIZE = (1360, 860)


def restore_window_state(window: QMainWindow, store: QSettings, splitters: dict[str, QSplitter],
                         tabs: QTabWidget) -> bool:
    """Give the window, its splitters (by settings key) and tabs what `store` remembers.
    True if the first splitter's sizes were restored (else the caller chooses them)."""
    geometry = store.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    tab = store.value("window/inspectorTab")
    if isinstance(tab, (int, str)) and str(tab).isdigit():
        tabs.setCurrentIndex(min(int(tab), tabs.count() - 1))
    restored = []
    for key, splitter in splitters.items():
        state = store.value(key)
        restored.append(isinstance(state, QByteArray) and not state.isEmpty()
                        and splitter.restoreState(state))
    return bool(restored and restored[0])


def save_window_state(window: QMainWindow, store: QSettings, splitters: dict[str, QSplitter],
                      tabs: QTabWidget) -> None:
    store.setValue("window/geometry", window.saveGeometry())
    for key, splitter in splitters.items():
        store.setValue(key, splitter.saveState())
    store.setValue("window/inspectorTab", tabs.currentIndex())
