"""Settings and window geometry are remembered, in DIGITPAD_DATA_DIR when it is set."""

import pytest
from PySide6.QtCore import QSettings

from digitpad.app import create_window
from digitpad.ui.training_settings import default_settings


def test_settings_are_remembered_between_runs(qtbot, small_mnist, isolated_data_dir):
    first = create_window(data=small_mnist)
    qtbot.addWidget(first)
    first.resize(1000, 700)
    first.show()
    first.controls.lr_spin.setValue(0.125)
    first.controls.batch_spin.setValue(42)
    first.controls.hidden_edit.setText("20")
    first.reset_network()
    first.close()
    assert (isolated_data_dir / "settings.ini").is_file()

    second = create_window(data=small_mnist)
    qtbot.addWidget(second)
    second.show()
    assert second.controls.lr_spin.value() == pytest.approx(0.125)
    assert second.trainer.settings.batch == 42
    assert second.trainer.network.sizes == (784, 20, 10)
    # Qt fits a restored window onto the screen (800 px wide offscreen): compare heights.
    assert second.height() == 700
    second.close()


def test_nonsense_in_the_settings_file_falls_back_to_defaults(qtbot, small_mnist,
                                                              isolated_data_dir):
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(isolated_data_dir / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("training/hidden", "many")
    store.setValue("training/activation", "magic")
    store.setValue("training/output", 42)
    # Numbers out of range: the spin boxes would clamp them (to 100, 1 and 0.99), not drop them.
    store.setValue("training/lr", "1e9")
    store.setValue("training/batch", -5)
    store.setValue("training/momentum", 2)
    store.setValue("training/l2", "fast")
    store.setValue("window/geometry", "not bytes")
    store.sync()

    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    defaults = default_settings()
    assert window.controls.settings() == defaults
    assert window.trainer.network.sizes == defaults.sizes
    assert window.trainer.network.activation == defaults.activation
    assert window.trainer.network.output == defaults.output
    assert window.trainer.settings == defaults
    assert window.controls.preset_combo.currentData() == "video"  # the defaults' preset
    window.close()
