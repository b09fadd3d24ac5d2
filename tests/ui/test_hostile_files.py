"""Hostile files in the app: a settings file that is a link, a data folder that is a file, a
model too large to show. Each gets a dialog; nothing outside the data folder is written."""

import os

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings

from digitpad.app import create_window
from digitpad.core import Network
from tests.hostile_files import model_members, stored_array, write_zip
from tests.ui.test_models import open_via_menu
from tests.ui.window_helpers import run_app


def settings_elsewhere(tmp_path, data_dir):
    """A settings file outside the data folder, and settings.ini in it a link to that file."""
    outside = tmp_path / "elsewhere" / "shared.ini"
    outside.parent.mkdir()
    store = QSettings(str(outside), QSettings.Format.IniFormat)
    store.setValue("training/lr", 0.125)
    store.sync()
    before = outside.read_bytes()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.ini").symlink_to(outside)
    return outside, before


def test_a_linked_settings_file_is_read_but_never_written(qtbot, small_mnist, tmp_path,
                                                          isolated_data_dir):
    outside, before = settings_elsewhere(tmp_path, isolated_data_dir)

    window = create_window(data=small_mnist)
    qtbot.addWidget(window)
    window.show()
    assert window.controls.lr_spin.value() == 0.125  # what the file says is used...
    window.controls.lr_spin.setValue(0.5)
    window.controls.hidden_edit.setText("20")
    window.reset_network()
    window.close()

    assert outside.read_bytes() == before  # ...but nothing is written through the link
    assert (isolated_data_dir / "settings.ini").is_symlink()
    assert sorted(os.listdir(isolated_data_dir)) == ["settings.ini"]
    assert os.listdir(outside.parent) == ["shared.ini"]


def test_the_app_says_why_settings_will_not_be_remembered(qtbot, tmp_path, isolated_data_dir):
    outside, before = settings_elsewhere(tmp_path, isolated_data_dir)
    status, boxes = run_app(boxes=1)
    assert status == 0
    assert len(boxes) == 1
    assert boxes[0].title == "Settings will not be remembered"
    assert str(isolated_data_dir / "settings.ini") in boxes[0].text
    assert "symbolic link" in boxes[0].text and "my digits" not in boxes[0].text
    assert outside.read_bytes() == before


def test_a_data_folder_that_is_a_file_gets_a_dialog_and_stays_as_it_is(qtbot, tmp_path,
                                                                        monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(notes))
    status, boxes = run_app(boxes=1)
    assert status == 0
    assert len(boxes) == 1
    title, text = boxes[0]
    assert title == "digitpad's files will not be kept"
    assert f"DIGITPAD_DATA_DIR names {notes}, which is not a folder" in text
    # Said once, for everything kept there: my digits does not say it again.
    assert "settings are kept in memory only" in text and "cannot be kept in my digits" in text
    assert notes.read_text() == "my notes" and os.listdir(tmp_path) == ["notes.txt"]


def test_a_model_too_large_to_show_is_refused_with_a_dialog(qtbot, window, monkeypatch,
                                                            tmp_path):
    good = tmp_path / "good.npz"
    Network((784, 10)).save(good)
    deep = tmp_path / "deep.npz"
    write_zip(deep, {**model_members(good),
                     "sizes.npy": stored_array(np.array([784, *[1] * 9_998, 10]))})
    network = window.trainer.network

    messages = open_via_menu(qtbot, window, monkeypatch, deep)

    assert len(messages) == 1
    assert "deep.npz" in messages[0] and "larger than digitpad can show" in messages[0]
    assert window.trainer.network is network
    gradients = window.findChild(pg.PlotWidget, "gradientPlot")
    assert len(gradients.curves) == len(network.sizes) - 1
