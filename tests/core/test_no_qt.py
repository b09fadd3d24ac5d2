"""digitpad.core is pure NumPy: importing any of it must not pull in Qt or pyqtgraph."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import digitpad.core

GUI_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2")

# Runs in a fresh interpreter, so nothing imported by other tests can hide an import.
PROBE = """
import importlib, json, pkgutil, sys
{before}
import digitpad.core
names = [m.name for m in pkgutil.walk_packages(digitpad.core.__path__, "digitpad.core.")]
for name in names:
    importlib.import_module(name)
gui = sorted(m for m in sys.modules if m.split(".")[0] in {gui_packages!r})
print(json.dumps({{"modules": names, "gui": gui}}))
"""


def run_probe(before: str = "") -> dict:
    code = PROBE.format(before=before, gui_packages=GUI_PACKAGES)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_every_core_module_imports_no_qt():
    found = run_probe()
    on_disk = sorted(
        f"digitpad.core.{p.stem}"
        for p in Path(digitpad.core.__file__).parent.glob("*.py")
        if p.stem != "__init__"
    )
    assert set(on_disk) <= set(found["modules"])  # every module really was imported
    assert "digitpad.core.network" in found["modules"]
    assert found["gui"] == []


def test_the_probe_notices_a_qt_import():
    """The check itself can fail: a Qt import before the core is reported."""
    assert "PySide6" in run_probe(before="import PySide6")["gui"]


def test_core_modules_are_all_found_by_pkgutil():
    names = {m.name for m in pkgutil.iter_modules(digitpad.core.__path__)}
    assert {"network", "costs", "activations", "gradcheck", "batches", "storage", "errors"} <= names
