"""File → Open and Save: good models load, bad ones are explained and change nothing."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QFileDialog

from digitpad.core import ModelFileError, Network
from digitpad.core.digit_model import read_digit_model, save_digit_model
from digitpad.core.model_story import ModelStory
from digitpad.core.presets import PRESETS
from digitpad.ui.training_settings import default_settings
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import answering_message_boxes, last_said


def open_via_menu(qtbot, window, monkeypatch, path) -> list[str]:
    """Trigger File → Open with the file dialog answering `path` and Open pressed in the
    preview of the model; return the texts of any other message boxes that appeared (each is
    closed as soon as it shows)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    with answering_message_boxes(press={"modelPreview": "Open"}) as boxes:
        window.open_action.trigger()
    return [box.text for box in boxes if box.title != "Open model"]


def weights_of(network: Network) -> list[np.ndarray]:
    return [W.copy() for W in network.weights]


def test_corrupt_model_file_shows_a_dialog_and_keeps_the_network(qtbot, window, monkeypatch,
                                                                  tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    network = window.trainer.network
    before = weights_of(network)

    messages = open_via_menu(qtbot, window, monkeypatch, bad)

    assert len(messages) == 1
    assert "broken.npz" in messages[0] and "left as it was" in messages[0]
    assert window.trainer.network is network
    for W, W0 in zip(network.weights, before):
        np.testing.assert_array_equal(W, W0)


def test_model_with_the_wrong_number_of_inputs_is_refused(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "tiny.npz"
    Network((4, 3, 10)).save(path)
    network = window.trainer.network

    messages = open_via_menu(qtbot, window, monkeypatch, path)

    assert len(messages) == 1 and "784 inputs" in messages[0]
    assert window.trainer.network is network


def test_opening_a_model_continues_from_its_weights(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "wide.npz"
    saved = Network((784, 30, 10), activation="tanh", seed=7)
    saved.save(path)

    messages = open_via_menu(qtbot, window, monkeypatch, path)

    assert messages == []
    net = window.trainer.network
    assert net.sizes == (784, 30, 10) and net.activation == "tanh"
    np.testing.assert_array_equal(net.weights[0], saved.weights[0])
    assert window.controls.hidden_edit.text() == "30"
    assert not window.controls.reset_hint.isVisible()  # the panel shows what is trained
    gradients = window.findChild(pg.PlotWidget, "gradientPlot")
    assert [c.name() for c in gradients.curves] == ["layer 1 (784→30)", "layer 2 (30→10)"]


def test_save_writes_the_current_weights(qtbot, window, monkeypatch, tmp_path):
    window.trainer.step()
    assert window.trainer.wait_idle(DEADLINE_S)
    target = tmp_path / "mine"  # the extension is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    window.save_action.trigger()
    loaded = Network.load(tmp_path / "mine.npz")
    for W, W0 in zip(loaded.weights, window.trainer.network.weights):
        np.testing.assert_array_equal(W, W0)


def test_create_window_refuses_a_bad_model_path(qtbot, tmp_path):
    from digitpad.app import create_window

    with pytest.raises(ModelFileError):
        create_window(tmp_path / "missing.npz", data=None)


# ---- models that carry their story (format 2) ---------------------------------------------


ACCURATE = PRESETS["accurate"]


def accurate_model(tmp_path):
    """The accurate preset's network in a file that says how it was trained."""
    path = tmp_path / "accurate.npz"
    story = ModelStory(ACCURATE, epochs=15, steps=4500, test_accuracy=0.9912)
    save_digit_model(path, ACCURATE.new_network(seed=1), story)
    return path


def previewing(monkeypatch, path, press: str):
    """File → Open with the file dialog answering `path`, and `press` pressed in the preview."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    return answering_message_boxes(press={"modelPreview": press})


def test_opening_a_model_shows_its_story_and_takes_its_learning_settings(qtbot, window,
                                                                         monkeypatch, tmp_path):
    """The issue's case: the panel showed the video's learning rate 3, which drives the
    accurate network's cost to 10¹² within a few hundred steps."""
    controls = window.controls
    assert controls.lr_spin.value() == 3.0
    path = accurate_model(tmp_path)

    with previewing(monkeypatch, path, "Open") as boxes:
        window.open_action.trigger()

    (preview,) = boxes
    assert preview.title == "Open model" and "accurate.npz" in preview.text
    box_text = preview.text
    assert "Trained: 15 epochs (4,500 steps)" in box_text and "99.12%" in box_text
    assert "learning rate to 0.2 (now 3)" in box_text and "momentum to 0.9 (now 0.5)" in box_text
    assert controls.lr_spin.value() == 0.2  # the panel shows the model's rate...
    assert (controls.batch_spin.value(), controls.momentum_spin.value()) == (200, 0.9)
    assert controls.l2_spin.value() == 0.05 and controls.augment_check.isChecked()
    assert controls.hidden_edit.text() == "512, 512" and not controls.reset_hint.isVisible()
    assert window.trainer.settings == ACCURATE  # ...and trains with it
    assert window.session.story_now().epochs == 15
    assert "learning rate 0.2 (its own)" in last_said(window)


def test_cancel_in_the_preview_changes_nothing(qtbot, window, monkeypatch, tmp_path):
    network, settings = window.trainer.network, window.controls.settings()
    with previewing(monkeypatch, accurate_model(tmp_path), "Cancel") as boxes:
        window.open_action.trigger()
    assert len(boxes) == 1
    assert window.trainer.network is network and window.controls.settings() == settings


def test_an_old_model_file_opens_with_the_panels_settings_and_says_so(qtbot, window,
                                                                      monkeypatch):
    old = Path(__file__).parents[1] / "core" / "old_models" / \
        "format1-784-16-16-10-sigmoid-float32.npz"
    with previewing(monkeypatch, old, "Open") as boxes:
        window.open_action.trigger()
    (preview,) = boxes
    assert "does not say how this network was trained" in preview.text
    assert "learning rate 3" in preview.text
    assert window.controls.lr_spin.value() == 3.0 and window.trainer.settings.lr == 3.0
    assert window.trainer.network.sizes == (784, 16, 16, 10)
    assert "the file does not say" in last_said(window)


def test_a_saved_model_carries_its_story(qtbot, window, monkeypatch, tmp_path):
    window.controls.change(lr=0.7)
    for _ in range(8):  # 600 digits in batches of 100: an epoch and two steps
        window.trainer.step()
    qtbot.waitUntil(lambda: window.trainer.steps == 8)
    assert window.trainer.wait_idle(DEADLINE_S)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(tmp_path / "m.npz"), "")))
    window.save_action.trigger()

    story = read_digit_model(tmp_path / "m.npz").story
    assert story.settings == window.trainer.settings and story.settings.lr == 0.7
    assert (story.epochs, story.steps) == (1, 8)
    last = window.trainer.snapshot().epochs[-1]
    assert story.test_accuracy == last.test_accuracy
    assert story.my_digits_accuracy == last.mine_accuracy  # None: no drawings held out
    assert story.saved_at is not None


def test_the_command_lines_model_brings_its_settings(qtbot, small_mnist, tmp_path):
    from digitpad.app import create_window

    window = create_window(accurate_model(tmp_path), data=small_mnist)
    qtbot.addWidget(window)
    assert window.controls.lr_spin.value() == 0.2 and window.trainer.settings == ACCURATE
    assert window.session.story_now().epochs == 15


def test_opening_a_model_keeps_the_panels_choice_of_data(qtbot, window, tmp_path):
    """A model trained on someone's drawings does not make this person train on theirs."""
    path = tmp_path / "theirs.npz"
    theirs = replace(ACCURATE, hidden=(32,), train_on="both", mine_repeats=3)
    save_digit_model(path, theirs.new_network(), ModelStory(theirs, epochs=2, steps=600))
    assert window.load_model(path)
    assert window.trainer.settings.train_on == "mnist" and window.trainer.settings.lr == 0.2
    assert window.controls.settings().mine_repeats == default_settings().mine_repeats
