"""Files Qt loads at run time: the icon and the .desktop file, in resources/."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

import digitpad

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resources_dir() -> Path:
    """resources/ inside the installed package, or beside it in a source checkout."""
    package = Path(digitpad.__file__).parent
    for directory in (package / "resources", package.parent / "resources"):
        if directory.is_dir():
            return directory
    return package / "resources"


def app_icon() -> QIcon:
    """The digitpad icon, with a crisp PNG for every common size and the SVG for the rest."""
    directory = resources_dir()
    icon = QIcon()
    for size in ICON_SIZES:
        png = directory / "icons" / f"digitpad-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = directory / "digitpad.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon
