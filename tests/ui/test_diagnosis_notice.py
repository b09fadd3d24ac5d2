"""The run's diagnosis in the window: the notice, its fix button, dismissing it, the presets."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton, QToolButton

from digitpad.core.presets import PRESETS
from digitpad.core.settings import Settings

# A deep sigmoid network with the quadratic cost and a small rate: its first layer's gradient
# vanishes (the second example).
VANISHING = Settings(hidden=(16, 16, 16, 16, 16), activation="sigmoid", output="sigmoid",
                     cost="quadratic", lr=0.05)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def train_with(qtbot, window, settings: Settings) -> None:
    """Show `settings` in the panel, Reset to apply them, Start."""
    window.controls.set_settings(settings)
    click(qtbot, window.findChild(QPushButton, "resetButton"))
    click(qtbot, window.findChild(QPushButton, "startPauseButton"))


def pause(qtbot, window) -> None:
    click(qtbot, window.findChild(QPushButton, "startPauseButton"))
    assert window.trainer.wait_idle()


def first_finding(window):
    findings = window.trainer.snapshot().findings
    return findings[0] if findings else None


def shown_notice(window):
    notice = window.findChild(QFrame, "diagnosisNotice")
    return notice if notice is not None and notice.isVisible() else None


def test_a_vanishing_gradient_is_shown_with_its_layer_marked(qtbot, window):
    train_with(qtbot, window, VANISHING)
    qtbot.waitUntil(lambda: (f := first_finding(window)) is not None
                    and f.kind == "vanishing_gradient")
    pause(qtbot, window)
    finding = first_finding(window)  # the diagnosis made when training stopped
    assert (finding.kind, finding.layer) == ("vanishing_gradient", 1)
    qtbot.waitUntil(lambda: shown_notice(window) is not None
                    and window.notice.finding == finding)
    assert "Vanishing gradient in layer 1" in window.notice.text.text()
    assert "Vanishing gradient:" in window.notice.text.toolTip()  # the term explained
    fix = window.findChild(QPushButton, "diagnosisFixButton")
    assert fix.isVisible() and fix.text() == finding.fix_label
    assert "ReLU" in fix.text()
    # The evidence: layer 1's curve drawn thicker, the cited steps shaded on the cost plot.
    widths = [curve.opts["pen"].widthF() for curve in window.gradient_plot.curves]
    assert widths[0] > max(widths[1:])
    assert window.cost_plot.evidence.isVisible()
    assert window.cost_plot.evidence.getRegion() == pytest.approx(
        (finding.steps[0] - 0.5, finding.steps[1] + 0.5))


def test_the_fix_button_changes_exactly_the_settings_it_names_and_resets(qtbot, window):
    train_with(qtbot, window, VANISHING)
    qtbot.waitUntil(lambda: first_finding(window) is not None)
    pause(qtbot, window)
    qtbot.waitUntil(lambda: shown_notice(window) is not None
                    and window.notice.finding == first_finding(window))
    finding = window.notice.finding
    before = window.controls.settings()

    click(qtbot, window.findChild(QPushButton, "diagnosisFixButton"))

    after = window.controls.settings()
    assert after == replace(before, **finding.fix)
    assert set(before.differences(after)) == set(finding.fix) - {
        name for name, value in finding.fix.items() if getattr(before, name) == value}
    assert finding.needs_reset
    assert window.trainer.steps == 0  # started over …
    assert window.trainer.settings == after  # … with exactly those settings
    assert window.trainer.network.activation == after.activation
    assert shown_notice(window) is None


def test_a_dismissed_finding_stays_hidden_while_it_is_the_same_and_returns_after_reset(
        qtbot, window):
    train_with(qtbot, window, VANISHING)
    qtbot.waitUntil(lambda: shown_notice(window) is not None)
    dismissed = window.notice.finding.key
    click(qtbot, window.notice.findChild(QToolButton, "noticeCloseButton"))
    assert not window.notice.isVisible()

    # Training goes on and the diagnosis is made anew many times; the same problem stays hidden.
    steps = window.trainer.steps
    qtbot.waitUntil(lambda: window.trainer.steps >= steps + 100)
    pause(qtbot, window)
    assert first_finding(window).key == dismissed
    window.session.tick()  # the newest frame reaches every receiver while paused
    # Another problem may show (stuck at chance, after an epoch), the dismissed one does not.
    assert window.notice.finding is None or window.notice.finding.key != dismissed
    assert window.diagnosis.shown is None or window.diagnosis.shown.key != dismissed

    click(qtbot, window.findChild(QPushButton, "resetButton"))  # a new run: shown again
    click(qtbot, window.findChild(QPushButton, "startPauseButton"))
    qtbot.waitUntil(lambda: shown_notice(window) is not None)
    assert window.notice.finding.key == dismissed


@pytest.mark.parametrize("preset", ["video", "accurate"])
def test_the_presets_train_without_a_notice(qtbot, window, preset):
    train_with(qtbot, window, PRESETS[preset])
    # Past the first epochs' test, so that every check of the diagnosis has had its say.
    qtbot.waitUntil(lambda: window.trainer.steps >= 150 and len(window.trainer.snapshot().epochs)
                    >= 3)
    pause(qtbot, window)
    assert window.trainer.snapshot().findings == ()
    window.session.tick()  # the newest frame reaches every receiver while paused
    assert shown_notice(window) is None
    assert not window.notice.isVisible()


def test_the_learning_rate_finder_leaves_the_network_alone_and_its_proposal_is_applied(
        qtbot, window):
    click(qtbot, window.findChild(QPushButton, "stepButton"))
    assert window.trainer.wait_idle()
    before = [W.copy() for W in window.trainer.network.weights]
    before_biases = [b.copy() for b in window.trainer.network.biases]

    click(qtbot, window.findChild(QPushButton, "findLrButton"))
    dialog = window.lr_finder
    qtbot.waitUntil(lambda: dialog.result is not None)
    result = dialog.result
    assert len(result.rates) >= 5 and result.proposed > 0
    np.testing.assert_array_equal(dialog.smoothed_curve.xData, np.log10(result.rates))

    for W, W0 in zip(window.trainer.network.weights, before):
        assert np.array_equal(W, W0)  # bit for bit
    for b, b0 in zip(window.trainer.network.biases, before_biases):
        assert np.array_equal(b, b0)
    assert window.trainer.steps == 1

    use = dialog.findChild(QPushButton, "useProposedRateButton")
    click(qtbot, use)
    assert window.controls.settings().lr == pytest.approx(result.proposed)
    assert window.controls.lr_spin.value() == pytest.approx(result.proposed)
    assert window.trainer.settings.lr == pytest.approx(result.proposed)
