"""digitpad.app.main(): the real entry point, run until its window is closed."""

import threading

from tests.ui.window_helpers import run_app


def test_main_shows_the_window_and_returns_when_it_closes(qtbot):
    status, boxes = run_app()
    assert status == 0
    assert boxes == []
    assert not [t for t in threading.enumerate() if t.name == "digitpad-trainer"]


def test_main_with_a_bad_model_explains_and_starts_fresh(qtbot, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_text("not a model")
    status, boxes = run_app(bad, boxes=1)
    assert status == 0
    assert len(boxes) == 1
    assert "bad.npz" in boxes[0].text and "new random network" in boxes[0].text
