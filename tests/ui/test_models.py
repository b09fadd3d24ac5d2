"""File → Open and Save: good models load, bad ones are explained and change nothing."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QFileDialog

from digitpad.core import ModelFileError, Network
from tests.deadlines import DEADLINE_S
from tests.ui.window_helpers import answering_message_boxes


def open_via_menu(qtbot, window, monkeypatch, path) -> list[str]:
    """Trigger File → Open with the file dialog answering `path`; return the texts of any
    message boxes that appeared (each is closed as soon as it shows)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    with answering_message_boxes() as boxes:
        window.open_action.trigger()
    return [box.text for box in boxes]


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
