"""Hostile files and odd paths (issue 12): no command and no window above 1 GB or 10 s.

Makes each hostile input of the issue in a temporary folder, runs the command on it in a child
process and reports the child's wall time and peak resident memory (the kernel's own account,
``os.wait4`` -> ``ru_maxrss``: no sampling can miss a spike), with its exit status and the first
line it printed:

    padded.npz   a 784-16-16-10 model plus eight deflated members of 500 MB of zeros (4 MB)
    deep.npz     784 -> 9,998 layers of 1 neuron -> 10
    wide.npz     784-100000-10, its weights deflated zeros (300 KB on disk)
    fifo         a named pipe given as a picture, before a real picture
    \\xff name    a picture whose name is not UTF-8, on a strict UTF-8 terminal
    settings     settings.ini a link to a file outside the data folder (the app opens, closes)
    data dir     DIGITPAD_DATA_DIR naming a regular file (`digitpad samples`)

"app" rows open the real window offscreen (QT_QPA_PLATFORM=offscreen) with the model, wait
until it is shown and MNIST is loaded, and close it; a model the app refuses counts as opened
when the window is up with its message.

Run from the repository root:

    python benchmarks/hostile_files.py
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitpad.core import Network  # noqa: E402
from digitpad.core.mnist import load_mnist  # noqa: E402
from digitpad.image_io import write_png  # noqa: E402
from tests.hostile_files import model_members, stored_array, write_zip, zeros_array  # noqa: E402

LIMIT_MB, LIMIT_S = 1024, 10.0

OPEN_APP = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from digitpad import app
    qt = QApplication([])
    def close_all():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            print(box.text().splitlines()[0], flush=True)
            box.done(0)
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "mainWindow" and w.isVisible()]
        if windows and QApplication.activeModalWidget() is None and windows[0].data_ready_at:
            windows[0].close()
        else:
            QTimer.singleShot(20, close_all)
    QTimer.singleShot(0, close_all)
    sys.exit(app.main(sys.argv[1] if len(sys.argv) > 1 else None))
""")


def make_inputs(folder: Path) -> dict[str, Path | bytes]:
    model = folder / "model.npz"
    Network((784, 16, 16, 10), seed=1).save(model)
    members = model_members(model)
    paths: dict[str, Path | bytes] = {"model": model}
    files = {
        "padded": {**members, **{f"extra{i}.npy": zeros_array((500_000_000,), "|u1")
                                 for i in range(8)}},
        "deep": {**members, "sizes.npy": stored_array(np.array([784, *[1] * 9_998, 10]))},
        "wide": {**members, "sizes.npy": stored_array(np.array([784, 100_000, 10])),
                 "W0.npy": zeros_array((784, 100_000)), "b0.npy": zeros_array((100_000,)),
                 "W1.npy": zeros_array((100_000, 10))},
    }
    for name, contents in files.items():
        paths[name] = folder / f"{name}.npz"
        write_zip(paths[name], contents)
    data = load_mnist()
    paths["seven"] = folder / "seven.png"
    write_png(paths["seven"], data.test_images[int(np.argmax(data.test_labels == 7))])
    paths["fifo"] = folder / "fifo"
    os.mkfifo(paths["fifo"])
    paths["odd name"] = os.fsencode(folder) + b"/seven-\xff.png"
    Path(os.fsdecode(paths["odd name"])).write_bytes(paths["seven"].read_bytes())
    (folder / "data").mkdir()
    outside = folder / "elsewhere.ini"
    outside.write_text("[training]\nlr=0.25\n")
    (folder / "data" / "settings.ini").symlink_to(outside)
    paths["settings data"] = folder / "data"
    paths["outside"] = outside
    paths["a file"] = folder / "notes.txt"
    paths["a file"].write_text("notes")
    return paths


def run(argv: list, env: dict) -> tuple[int, float, float, str]:
    """(exit status, seconds, peak RSS in MB, first line of output) of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                             preexec_fn=lambda: os.nice(10))
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in out.decode("utf-8", "backslashreplace").splitlines()
             if line.strip() and not line.startswith("This plugin does not support")]  # Qt's
    return child.returncode, seconds, usage.ru_maxrss / 1024, (lines or [""])[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        p = make_inputs(folder)
        base = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LC_ALL": "C.UTF-8",
                "DIGITPAD_DATA_DIR": str(folder / "userdata")}
        base.pop("PYTHONIOENCODING", None)
        cli = [sys.executable, "-m", "digitpad"]
        app = [sys.executable, "-c", OPEN_APP]
        cases = [
            ("padded.npz", "predict", [*cli, "predict", "--model", p["padded"], p["seven"]], {}),
            ("padded.npz", "eval", [*cli, "eval", "--model", p["padded"]], {}),
            ("padded.npz", "app", [*app, p["padded"]], {}),
            ("deep.npz", "predict", [*cli, "predict", "--model", p["deep"], p["seven"]], {}),
            ("deep.npz", "eval", [*cli, "eval", "--model", p["deep"]], {}),
            ("deep.npz", "app", [*app, p["deep"]], {}),
            ("wide.npz", "predict", [*cli, "predict", "--model", p["wide"], p["seven"]], {}),
            ("wide.npz", "eval", [*cli, "eval", "--model", p["wide"]], {}),
            ("wide.npz", "app", [*app, p["wide"]], {}),
            ("fifo", "predict", [*cli, "predict", "--model", p["model"], p["fifo"], p["seven"]],
             {}),
            ("\\xff name", "predict", [*cli, "predict", "--model", p["model"], p["odd name"]],
             {}),
            ("settings link", "app", app, {"DIGITPAD_DATA_DIR": str(p["settings data"])}),
            ("data dir file", "samples", [*cli, "samples"],
             {"DIGITPAD_DATA_DIR": str(p["a file"])}),
            ("plain model", "app", [*app, p["model"]], {}),
        ]
        before = p["outside"].read_bytes()
        print(f"{'input':<14} {'command':<8} {'exit':>4} {'seconds':>8} {'peak MB':>8}  "
              "first line of output")
        worst_s = worst_mb = 0.0
        for name, command, argv, env in cases:
            argv = [a if isinstance(a, bytes) else str(a) for a in argv]
            code, seconds, mb, first = run(argv, {**base, **env})
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            print(f"{name:<14} {command:<8} {code:>4} {seconds:>8.2f} {mb:>8.0f}  {first[:90]}")
        verdict = "OK" if worst_s <= LIMIT_S and worst_mb <= LIMIT_MB else "OVER"
        print(f"\nworst: {worst_s:.2f} s (limit {LIMIT_S:g} s), {worst_mb:.0f} MB "
              f"(limit {LIMIT_MB} MB): {verdict}")
        print(f"the settings link's target unchanged: {p['outside'].read_bytes() == before}")


if __name__ == "__main__":
    main()
