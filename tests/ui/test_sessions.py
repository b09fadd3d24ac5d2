"""Sessions that come back: saved on quit, restored on the next start with the plots, turned off
and started afresh from the Training menu, and calm about every kind of bad file or disk."""

import os
import subprocess
import threading

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from digitpad.core.saved_session import load_session
from digitpad.ui.training_settings import default_settings
from tests.conftest import fill_disk
from tests.deadlines import DEADLINE_S
from tests.hostile_files import model_members, write_zip, zeros_array
from tests.ui.test_training_on_my_digits import keep
from tests.ui.window_helpers import answering_message_boxes, focus, last_said, opened_window


def train(qtbot, window, steps: int, until=lambda: True) -> None:
    """Space, until at least `steps` steps are done (and `until()` holds), then Space again."""
    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.trainer.steps >= steps and until())
    qtbot.keyClick(window.canvas, Qt.Key.Key_Space)
    assert window.trainer.wait_idle(DEADLINE_S)


def plots_caught_up(window) -> bool:
    """Every step and epoch of the trainer is in the curves' data (one point per step here)."""
    snapshot = window.trainer.snapshot()
    curves = [window.cost_plot.batch_curve, *window.gradient_plot.curves]
    return all(c.xData is not None and len(c.xData) and c.xData[-1] == snapshot.steps
               for c in curves) and (
        len(window.cost_plot.accuracy_curve.xData if snapshot.epochs else []) ==
        len(snapshot.epochs))


def plot_data(window) -> list[tuple[np.ndarray, np.ndarray]]:
    """The xData and yData handed to every curve of the cost and gradient plots."""
    cost = window.cost_plot
    curves = [cost.batch_curve, cost.smooth_curve, cost.test_cost_curve, cost.accuracy_curve,
              cost.mine_curve, *window.gradient_plot.curves]
    return [(np.array(c.xData), np.array(c.yData)) for c in curves]


def points(curve) -> int:
    return 0 if curve.xData is None else len(curve.xData)


def parameters(network) -> list[bytes]:
    return [p.tobytes() for p in network.weights + network.biases + (network.velocity or [])]


def training_menu(window) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")


def click_in_menu(qtbot, window, action) -> None:
    """Open the Training menu and click `action` in it, as a person would."""
    menu = training_menu(window)
    menu.popup(window.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def notice(qtbot, window) -> str:
    """The text of the session's message of this window, once it shows; then OK is pressed."""
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "sessionNotice") is not None)
    box = window.findChild(QMessageBox, "sessionNotice")
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "sessionNotice") is None)
    return text


# ---- saved and restored ---------------------------------------------------------------------


def test_a_restored_session_has_the_same_weights_settings_and_plots(qtbot, small_mnist,
                                                                   isolated_data_dir):
    keep(isolated_data_dir, 30)  # my digits: ten held out, measured after every epoch
    first = opened_window(qtbot, small_mnist)
    first.controls.change(lr=0.7, batch=50)  # step settings: they apply at once

    def my_digits_measured() -> bool:
        epochs = first.trainer.snapshot().epochs
        return bool(epochs) and epochs[-1].mine_accuracy is not None

    train(qtbot, first, 40, my_digits_measured)  # 12 steps an epoch: three epochs and more
    qtbot.waitUntil(lambda: plots_caught_up(first))
    assert points(first.cost_plot.mine_curve) >= 1  # "your handwriting" is in the plot
    weights, data = parameters(first.trainer.network), plot_data(first)
    settings, epochs = first.trainer.settings, first.trainer.snapshot().epochs
    steps = first.trainer.steps
    first.close()
    assert (isolated_data_dir / "session.npz").is_file()

    second = opened_window(qtbot, small_mnist)
    qtbot.waitUntil(lambda: plots_caught_up(second))

    assert second.trainer.steps == steps and second.trainer.network is not first.trainer.network
    assert parameters(second.trainer.network) == weights  # bit for bit, momentum included
    assert second.trainer.settings == settings
    assert (second.controls.lr_spin.value(), second.controls.batch_spin.value()) == (0.7, 50)
    assert second.trainer.snapshot().epochs == epochs
    for (x, y), (x0, y0) in zip(plot_data(second), data, strict=True):
        assert x.tobytes() == x0.tobytes() and y.tobytes() == y0.tobytes()
    assert second.findChild(QMessageBox, "sessionNotice") is None  # nothing to say
    assert "Welcome back" in last_said(second)

    # It goes on from there: the next step is the one after the last.
    focus(qtbot, second.canvas)
    qtbot.keyClick(second.canvas, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: second.trainer.steps == steps + 1)
    assert second.trainer.wait_idle(DEADLINE_S)


def test_a_session_of_an_opened_model_keeps_its_story(qtbot, small_mnist, tmp_path,
                                                    isolated_data_dir):
    from digitpad.core.digit_model import read_digit_model, save_digit_model
    from digitpad.core.model_story import ModelStory

    network = default_settings().new_network(seed=5)
    story = ModelStory(default_settings(), epochs=7, steps=4200, test_accuracy=0.9)
    save_digit_model(tmp_path / "m.npz", network, story)
    first = opened_window(qtbot, small_mnist)
    assert first.load_model(tmp_path / "m.npz")
    train(qtbot, first, 7)  # an epoch (6 steps) and more
    epochs = first.trainer.epoch
    first.close()

    second = opened_window(qtbot, small_mnist)
    assert epochs >= 1 and second.session.story_now().epochs == 7 + epochs
    assert second.session.story_now().steps == 4200 + second.trainer.steps
    second.close()
    saved = load_session(isolated_data_dir / "session.npz")
    assert saved.story.epochs == 7 and saved.story.test_accuracy == 0.9
    assert read_digit_model(tmp_path / "m.npz").story.epochs == 7  # the model file untouched


def steps(window, count: int) -> None:
    for _ in range(count):
        window.trainer.step()
        assert window.trainer.wait_idle(DEADLINE_S)


def test_two_windows_at_once_lose_neither_session(qtbot, small_mnist, isolated_data_dir):
    first = opened_window(qtbot, small_mnist)
    second = opened_window(qtbot, small_mnist)  # both start afresh: nothing is saved yet
    steps(first, 3)
    steps(second, 5)
    first_weights, second_weights = (parameters(w.trainer.network) for w in (first, second))
    first.close()
    second.close()  # the file holds the first window's session now: it is set aside, not lost

    path = isolated_data_dir / "session.npz"
    assert parameters(load_session(path).network) == second_weights
    aside = [p for p in isolated_data_dir.iterdir() if p.name.startswith("session.npz.replaced-")]
    assert len(aside) == 1 and parameters(load_session(aside[0]).network) == first_weights

    third = opened_window(qtbot, small_mnist)  # goes on from the second, and says where the
    assert aside[0].name in notice(qtbot, third)  # first one went
    assert parameters(third.trainer.network) == second_weights
    steps(third, 1)
    third.close()  # its own session: saved over, nothing more set aside
    assert [p for p in isolated_data_dir.iterdir() if ".replaced-" in p.name] == aside
    fourth = opened_window(qtbot, small_mnist)
    assert fourth.trainer.steps == 6 and fourth.findChild(QMessageBox, "sessionNotice") is None


def test_a_window_opened_on_a_model_sets_the_saved_session_aside(qtbot, small_mnist, tmp_path,
                                                                 isolated_data_dir):
    from digitpad.app import create_window
    from digitpad.core.digit_model import save_digit_model
    from digitpad.core.model_story import NEW_NETWORK

    first = opened_window(qtbot, small_mnist)
    steps(first, 4)
    saved = parameters(first.trainer.network)
    first.close()
    save_digit_model(tmp_path / "m.npz", default_settings().new_network(seed=5), NEW_NETWORK)
    on_model = create_window(tmp_path / "m.npz", data=small_mnist)  # `digitpad --model m.npz`
    qtbot.addWidget(on_model)
    on_model.close()
    aside = [p for p in isolated_data_dir.iterdir() if ".replaced-" in p.name]
    assert len(aside) == 1 and parameters(load_session(aside[0]).network) == saved


# ---- the Training menu ------------------------------------------------------------------------


def test_the_session_is_not_kept_when_that_is_turned_off_in_the_menu(qtbot, small_mnist,
                                                                     isolated_data_dir):
    first = opened_window(qtbot, small_mnist)
    train(qtbot, first, 3)
    first.close()
    saved = (isolated_data_dir / "session.npz").read_bytes()

    second = opened_window(qtbot, small_mnist)
    assert second.trainer.steps >= 3 and second.sessions.remember_action.isChecked()
    click_in_menu(qtbot, second, second.sessions.remember_action)
    assert not second.sessions.remember_action.isChecked()
    train(qtbot, second, second.trainer.steps + 2)
    second.close()
    assert (isolated_data_dir / "session.npz").read_bytes() == saved  # left as it was

    third = opened_window(qtbot, small_mnist)  # the choice is remembered, and nothing comes back
    assert not third.sessions.remember_action.isChecked()
    assert third.trainer.steps == 0
    click_in_menu(qtbot, third, third.sessions.remember_action)  # on again
    third.close()
    fourth = opened_window(qtbot, small_mnist)
    assert fourth.sessions.remember_action.isChecked() and fourth.trainer.steps == 0


def test_new_session_starts_afresh(qtbot, small_mnist):
    first = opened_window(qtbot, small_mnist)
    first.controls.change(lr=0.25, momentum=0.9)
    first.reset_network()
    train(qtbot, first, 8)
    first.close()
    window = opened_window(qtbot, small_mnist)
    assert window.trainer.steps >= 8
    restored = window.trainer.network

    focus(qtbot, window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: window.trainer.steps == 0)
    assert window.trainer.network is not restored
    assert window.trainer.settings == default_settings()
    assert window.controls.settings() == default_settings()
    assert window.session.story_now().epochs == 0
    qtbot.waitUntil(lambda: points(window.cost_plot.batch_curve) == 0)
    assert all(points(c) == 0 for c in window.gradient_plot.curves)
    assert "New session" in last_said(window)
    assert window.sessions.new_action in training_menu(window).actions()


# ---- damaged files, odd places, full and read-only disks ---------------------------------------


def a_saved_session(qtbot, data, folder) -> bytes:
    window = opened_window(qtbot, data)
    train(qtbot, window, 3)
    window.close()
    return (folder / "session.npz").read_bytes()


def truncated(path, good: bytes) -> None:
    path.write_bytes(good[: len(good) // 2])


def random_bytes(path, good: bytes) -> None:
    path.write_bytes(np.random.default_rng(0).bytes(3000))


def huge_history(path, good: bytes) -> None:
    """Small on disk, 2 GB of costs once read: refused before reading."""
    members = model_members(path)
    members["costs.npy"] = zeros_array((500_000_000,))
    write_zip(path, members)


def a_folder(path, good: bytes) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("damage", [truncated, random_bytes, huge_history, a_folder])
def test_a_damaged_session_is_set_aside_and_the_app_starts(qtbot, small_mnist, isolated_data_dir,
                                                          damage):
    path = isolated_data_dir / "session.npz"
    good = a_saved_session(qtbot, small_mnist, isolated_data_dir)
    damage(path, good)
    damaged = None if path.is_dir() else path.read_bytes()

    window = opened_window(qtbot, small_mnist)

    text = notice(qtbot, window)
    asides = [p for p in isolated_data_dir.iterdir() if p.name.startswith("session.npz.damaged")]
    assert len(asides) == 1 and asides[0].name in text and "set aside" in text
    assert str(path) in text
    if damaged is not None:
        assert asides[0].read_bytes() == damaged  # renamed, not changed
    assert window.trainer.steps == 0
    train(qtbot, window, 2)  # the app works
    window.close()
    assert load_session(path).steps == window.trainer.steps  # a new one in its place


def test_a_link_in_place_of_the_session_is_read_but_never_written(qtbot, small_mnist, tmp_path,
                                                                 isolated_data_dir):
    good = a_saved_session(qtbot, small_mnist, isolated_data_dir)
    elsewhere = tmp_path / "elsewhere.npz"
    elsewhere.write_bytes(good)
    (isolated_data_dir / "session.npz").unlink()
    (isolated_data_dir / "session.npz").symlink_to(elsewhere)

    window = opened_window(qtbot, small_mnist)
    text = notice(qtbot, window)
    assert "symbolic link" in text and "will not be saved" in text
    assert window.trainer.steps >= 3  # read...
    train(qtbot, window, window.trainer.steps + 2)
    window.close()
    assert elsewhere.read_bytes() == good  # ...never written through
    assert (isolated_data_dir / "session.npz").is_symlink()


def test_a_link_to_nowhere_is_set_aside(qtbot, small_mnist, tmp_path, isolated_data_dir):
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "session.npz").symlink_to(tmp_path / "gone.npz")
    window = opened_window(qtbot, small_mnist)
    assert "does not exist" in notice(qtbot, window)
    aside = [p for p in isolated_data_dir.iterdir() if p.name.startswith("session.npz.damaged")]
    assert len(aside) == 1 and aside[0].is_symlink()
    window.close()
    assert not (isolated_data_dir / "session.npz").is_symlink()


def watching() -> list[str]:
    return [thread.name for thread in threading.enumerate()]


def pressing(button: str):
    return answering_message_boxes(press={"sessionNotSaved": button})


def test_a_full_disk_keeps_the_old_session_and_lets_you_stay(qtbot, small_mnist, tiny_disk,
                                                            monkeypatch):
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(tiny_disk))
    before = a_saved_session(qtbot, small_mnist, tiny_disk)
    window = opened_window(qtbot, small_mnist)
    train(qtbot, window, window.trainer.steps + 3)
    fill_disk(tiny_disk)

    with pressing("Stay") as boxes:
        window.close()
    assert [b.title for b in boxes] == ["Could not save this session"]
    assert "disk" in boxes[0].text.lower() or "space" in boxes[0].text.lower()
    assert window.isVisible()  # nothing lost: the network is still there to be saved
    assert (tiny_disk / "session.npz").read_bytes() == before
    assert "digitpad-my-digits" in watching()  # staying keeps my digits fed to the trainer

    with pressing("Quit anyway") as boxes:
        window.close()
    assert len(boxes) == 1 and not window.isVisible()
    assert "digitpad-my-digits" not in watching()
    assert (tiny_disk / "session.npz").read_bytes() == before
    assert not [p for p in os.listdir(tiny_disk) if p.endswith(".tmp")]


def test_a_read_only_folder_keeps_the_old_session(qtbot, small_mnist, tiny_disk, monkeypatch):
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(tiny_disk))
    before = a_saved_session(qtbot, small_mnist, tiny_disk)
    window = opened_window(qtbot, small_mnist)
    train(qtbot, window, window.trainer.steps + 2)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    try:
        with pressing("Quit anyway") as boxes:
            window.close()
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    assert [b.title for b in boxes] == ["Could not save this session"]
    assert "read-only" in boxes[0].text.lower()
    assert not window.isVisible()
    assert (tiny_disk / "session.npz").read_bytes() == before


def test_earlier_runs_come_back_on_the_cost_plot(qtbot, small_mnist):
    first = opened_window(qtbot, small_mnist)
    train(qtbot, first, 5)
    qtbot.waitUntil(lambda: plots_caught_up(first))  # the plot keeps the run it has drawn
    first.controls.change(momentum=0.9)  # applies on Reset: the runs differ in it
    focus(qtbot, first.canvas)
    qtbot.keyClick(first.canvas, Qt.Key.Key_R)
    train(qtbot, first, 5)
    qtbot.waitUntil(lambda: len(first.cost_plot.earlier.runs) == 1 and plots_caught_up(first))
    runs, names = first.cost_plot.earlier.runs, first.cost_plot.earlier.names
    curves = [(np.array(c.xData), np.array(c.yData)) for c in first.cost_plot.earlier.curves]
    assert len(names) == 1 and "momentum" in names[0]  # named by what differs
    first.close()

    second = opened_window(qtbot, small_mnist)
    qtbot.waitUntil(lambda: plots_caught_up(second))
    earlier = second.cost_plot.earlier
    assert [r.settings for r in earlier.runs] == [r.settings for r in runs]
    for run, before in zip(earlier.runs, runs, strict=True):
        assert run.steps.tobytes() == before.steps.tobytes()
        assert run.columns.tobytes() == before.columns.tobytes()
    assert earlier.names == names
    for curve, (x, y) in zip(earlier.curves, curves, strict=True):
        assert np.array(curve.xData).tobytes() == x.tobytes()
        assert np.array(curve.yData).tobytes() == y.tobytes()
    assert second.cost_plot.clear_runs_button.isEnabled()
