"""`digitpad` as a program: --version, the app, `python -m digitpad`, Ctrl+C, option names."""

import json
import os
import signal
import subprocess
import sys
import types

import pytest

import digitpad
from digitpad.cli import main
from tests.cli.conftest import QUICK, assert_one_error_line


def run_digitpad(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_version_answers_without_loading_numpy_or_qt():
    probe = ("import sys\nfrom digitpad.cli import main\ntry:\n    main(['--version'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'PySide6'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.splitlines() == [f"digitpad {digitpad.__version__}", "[]"]


def test_python_m_digitpad_reports_a_corrupt_model_in_one_line(tmp_path):
    model = tmp_path / "model.npz"
    model.write_bytes(b"PK\x03\x04 not really a zip file")
    result = run_digitpad("eval", "--model", str(model))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("digitpad: error: ") and str(model) in result.stderr
    assert_one_error_line(result.stderr)


def start_in_the_foreground(args: list[str]) -> subprocess.Popen:
    """Start `args` as a terminal starts the command in front of it: Ctrl+C interrupts it.

    A shell ignores SIGINT in what it starts in the background (`nice pytest &` in a script),
    and a child inherits an ignored signal: the program under test would never see the Ctrl+C
    this test sends. A handled one is not inherited: the child starts with the default.
    """
    handler = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, handler)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl+C", "SIGTERM"])
def test_ctrl_c_or_sigterm_in_a_real_process_stops_training_cleanly(stop, mnist_dir, tmp_path):
    model = tmp_path / "model.npz"
    args = [sys.executable, "-m", "digitpad", "train", *QUICK, "--epochs", "10000",
            "--data", str(mnist_dir), "--save", str(model), "--json"]
    with start_in_the_foreground(args) as process:
        try:
            first_epoch = json.loads(process.stdout.readline())
            process.send_signal(stop)
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert first_epoch["epoch"] == 1
    assert process.returncode == 128 + stop  # 130 after Ctrl+C, 143 after SIGTERM
    assert "Traceback" not in err
    assert err.startswith("digitpad: training interrupted after ")
    assert err.endswith(f" of 10000 epochs; {model} was not written\n")
    assert os.listdir(tmp_path) == []  # no model, and no temporary file either


def test_no_command_and_gui_open_the_app(monkeypatch):
    opened = []

    def fake_app_main(model_path):
        opened.append(model_path)
        return 0

    monkeypatch.setitem(sys.modules, "digitpad.app", types.SimpleNamespace(main=fake_app_main))
    assert main([]) == 0
    assert main(["--model", "a.npz"]) == 0
    assert main(["gui"]) == 0
    assert main(["gui", "--model", "b.npz"]) == 0
    assert opened == [None, "a.npz", None, "b.npz"]


def test_no_display_is_explained_instead_of_a_qt_abort(monkeypatch, capsys):
    monkeypatch.setattr("sys.platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setitem(sys.modules, "digitpad.app", types.SimpleNamespace(main=None))
    assert main([]) == 1
    assert "there is no display" in assert_one_error_line(capsys.readouterr().err)


def test_a_missing_app_is_explained(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "digitpad.app", None)  # makes `import digitpad.app` fail
    assert main([]) == 1
    line = assert_one_error_line(capsys.readouterr().err)
    assert "the desktop app is not part of this build" in line


@pytest.mark.parametrize("command", ["train", "eval", "predict", "gradcheck", "gui"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: digitpad {command}")
